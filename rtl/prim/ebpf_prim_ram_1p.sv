/**
 * Single-port RAM with byte write enables (generic technology version)
 *
 * One read or write per cycle; the read data appears the cycle after the request and holds
 * until the next request (read-first: a write returns the old word). Written so that Yosys
 * and vendor tools infer block RAM. No reset: contents are undefined until written.
 */
module ebpf_prim_ram_1p #(
  parameter int unsigned Width = 64,    // word width in bits, a multiple of 8
  parameter int unsigned Depth = 512,   // number of words
  localparam int unsigned Aw   = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic               clk_i,

  input  logic               req_i,
  input  logic               we_i,
  input  logic [Aw-1:0]      addr_i,
  input  logic [Width-1:0]   wdata_i,
  input  logic [Width/8-1:0] wmask_i,   // byte enables of a write
  output logic [Width-1:0]   rdata_o
);

  logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      if (we_i) begin
        for (int unsigned i = 0; i < Width / 8; i++) begin
          if (wmask_i[i]) begin
            mem_q[addr_i][8*i +: 8] <= wdata_i[8*i +: 8];
          end
        end
      end
      rdata_q <= mem_q[addr_i];
    end
  end

  assign rdata_o = rdata_q;

`ifndef SYNTHESIS
  // Callers size their address ranges; an access beyond Depth is a wiring bug.
  always_ff @(posedge clk_i) begin
    if (req_i && we_i && (|wmask_i)) begin
      assert (32'(addr_i) < Depth)
        else $error("%m: write to word %0d beyond depth %0d", addr_i, Depth);
    end
  end
`endif

endmodule
