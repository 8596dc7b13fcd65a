/**
 * Word-pair RAM: reads or writes two consecutive words in one cycle
 *
 * Word w and word w+1 come from two banks (even and odd words), so an access that straddles
 * a word boundary still takes one cycle. The instruction memory uses it to fetch an lddw
 * (two slots) in one go; the data memories use it for unaligned loads and stores of up to
 * 8 bytes. Port data is {word w+1, word w}; reads appear the cycle after the request.
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

  // With a power-of-two word count the pair of the last word wraps to word 0 (its half is
  // never used: callers bound their accesses); otherwise the even bank gets one spare entry.
  localparam bit          Pow2      = (Words & (Words - 1)) == 0;
  localparam int unsigned EvenDepth = Pow2 ? Words / 2 : Words / 2 + 1;
  localparam int unsigned OddDepth  = (Words + 1) / 2;
  localparam int unsigned EvenAw    = $clog2(EvenDepth);
  localparam int unsigned OddAw     = $clog2(OddDepth);

  logic [Aw-1:0] addr_next;
  logic          odd_first;      // word w lives in the odd bank
  logic          odd_first_q;

  assign addr_next = addr_i + Aw'(1);
  assign odd_first = addr_i[0];

  logic [EvenAw-1:0]   even_addr;
  logic [OddAw-1:0]    odd_addr;
  logic [Width-1:0]    even_wdata, odd_wdata, even_rdata, odd_rdata;
  logic [Width/8-1:0]  even_wmask, odd_wmask;

  assign even_addr  = EvenAw'(addr_next >> 1);
  assign odd_addr   = OddAw'(addr_i >> 1);
  assign even_wdata = odd_first ? wdata_i[2*Width-1:Width] : wdata_i[Width-1:0];
  assign odd_wdata  = odd_first ? wdata_i[Width-1:0]       : wdata_i[2*Width-1:Width];
  assign even_wmask = odd_first ? wmask_i[2*Width/8-1:Width/8] : wmask_i[Width/8-1:0];
  assign odd_wmask  = odd_first ? wmask_i[Width/8-1:0]         : wmask_i[2*Width/8-1:Width/8];

  ebpf_prim_ram_1p #(
    .Width (Width),
    .Depth (EvenDepth)
  ) u_even (
    .clk_i   (clk_i),
    .req_i   (req_i),
    .we_i    (we_i),
    .addr_i  (even_addr),
    .wdata_i (even_wdata),
    .wmask_i (even_wmask),
    .rdata_o (even_rdata)
  );

  ebpf_prim_ram_1p #(
    .Width (Width),
    .Depth (OddDepth)
  ) u_odd (
    .clk_i   (clk_i),
    .req_i   (req_i),
    .we_i    (we_i),
    .addr_i  (odd_addr),
    .wdata_i (odd_wdata),
    .wmask_i (odd_wmask),
    .rdata_o (odd_rdata)
  );

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      odd_first_q <= odd_first;
    end
  end

  assign rdata_o = odd_first_q ? {even_rdata, odd_rdata} : {odd_rdata, even_rdata};

endmodule
