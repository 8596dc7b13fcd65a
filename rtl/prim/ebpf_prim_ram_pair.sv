/**
 * Word-pair RAM: reads or writes two consecutive words in one cycle
 *
 * Word w and word w+1 come from two banks (even and odd words), so an access that straddles
 * a word boundary still takes one cycle. The instruction memory uses it to fetch an lddw
 * (two slots) in one go; the data memories use it for unaligned loads and stores of up to
 * 8 bytes. Port data is {word w+1, word w}; reads appear the cycle after the request.
 * ebpf_prim_ram_pair_rd without its read-only word port.
 */
module ebpf_prim_ram_pair #(
  parameter int unsigned Width = 64,     // word width in bits, a multiple of 8
  parameter int unsigned Words = 1024,   // number of words, at least 2
  localparam int unsigned Aw   = $clog2(Words)
) (
  input  logic                 clk_i,

  input  logic                 req_i,
  input  logic                 we_i,
  input  logic [Aw-1:0]        addr_i,    // w: the lower word of the pair
  input  logic [2*Width-1:0]   wdata_i,   // {word w+1, word w}
  input  logic [2*Width/8-1:0] wmask_i,   // byte enables, same layout
  output logic [2*Width-1:0]   rdata_o    // {word w+1, word w}
);

  logic [Width-1:0] unused_rd;

  ebpf_prim_ram_pair_rd #(
    .Width  (Width),
    .Words  (Words),
    .RdPort (1'b0)
  ) u_pair (
    .clk_i      (clk_i),
    .req_i      (req_i),
    .we_i       (we_i),
    .addr_i     (addr_i),
    .wdata_i    (wdata_i),
    .wmask_i    (wmask_i),
    .rdata_o    (rdata_o),
    .rd_req_i   (1'b0),
    .rd_addr_i  ('0),
    .rd_rdata_o (unused_rd)
  );

endmodule
