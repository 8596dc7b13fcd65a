/**
 * Word-pair RAM with an optional second, read-only port for single words
 *
 * Port A is ebpf_prim_ram_pair's (two consecutive words per access, read or write). With
 * RdPort = 1 a second port reads one word per request (the egress of the packet buffers
 * reads frames out while the core works on the next one); each bank is then a two-port RAM,
 * one block RAM array with both ports, instead of a copy per reader (port A then leaves its
 * read data unchanged on a write, ebpf_prim_ram_2p). With RdPort = 0 the
 * banks are single-port RAMs and the rd_* ports are unused.
 */
module ebpf_prim_ram_pair_rd #(
  parameter int unsigned Width  = 64,     // word width in bits, a multiple of 8
  parameter int unsigned Words  = 1024,   // number of words, at least 2
  parameter bit          RdPort = 1'b0,   // build the read-only word port
  localparam int unsigned Aw    = $clog2(Words)
) (
  input  logic                 clk_i,

  input  logic                 req_i,
  input  logic                 we_i,
  input  logic [Aw-1:0]        addr_i,    // w: the lower word of the pair
  input  logic [2*Width-1:0]   wdata_i,   // {word w+1, word w}
  input  logic [2*Width/8-1:0] wmask_i,   // byte enables, same layout
  output logic [2*Width-1:0]   rdata_o,   // {word w+1, word w}

  input  logic                 rd_req_i,  // RdPort: read word rd_addr_i
  input  logic [Aw-1:0]        rd_addr_i,
  output logic [Width-1:0]     rd_rdata_o // the cycle after rd_req_i
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

  if (RdPort) begin : gen_two_port
    // Word w of the read port: the even bank's entry w/2 or the odd bank's (w-1)/2.
    logic [Width-1:0] even_rd, odd_rd;
    logic             rd_odd_q;

    ebpf_prim_ram_2p #(
      .Width (Width),
      .Depth (EvenDepth)
    ) u_even (
      .clk_i     (clk_i),
      .a_req_i   (req_i),
      .a_we_i    (we_i),
      .a_addr_i  (even_addr),
      .a_wdata_i (even_wdata),
      .a_wmask_i (even_wmask),
      .a_rdata_o (even_rdata),
      .b_req_i   (rd_req_i && !rd_addr_i[0]),
      .b_addr_i  (EvenAw'(rd_addr_i >> 1)),
      .b_rdata_o (even_rd)
    );

    ebpf_prim_ram_2p #(
      .Width (Width),
      .Depth (OddDepth)
    ) u_odd (
      .clk_i     (clk_i),
      .a_req_i   (req_i),
      .a_we_i    (we_i),
      .a_addr_i  (odd_addr),
      .a_wdata_i (odd_wdata),
      .a_wmask_i (odd_wmask),
      .a_rdata_o (odd_rdata),
      .b_req_i   (rd_req_i && rd_addr_i[0]),
      .b_addr_i  (OddAw'(rd_addr_i >> 1)),
      .b_rdata_o (odd_rd)
    );

    always_ff @(posedge clk_i) begin
      if (rd_req_i) begin
        rd_odd_q <= rd_addr_i[0];
      end
    end
    assign rd_rdata_o = rd_odd_q ? odd_rd : even_rd;
  end else begin : gen_one_port
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

    assign rd_rdata_o = '0;
    logic unused_rd;
    assign unused_rd = ^{rd_req_i, rd_addr_i};
  end

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      odd_first_q <= odd_first;
    end
  end

  assign rdata_o = odd_first_q ? {even_rdata, odd_rdata} : {odd_rdata, even_rdata};

endmodule
