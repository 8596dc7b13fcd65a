/**
 * Two-port RAM: one read/write port with byte write enables (A) and one read-only port (B)
 * (generic technology version)
 *
 * Both ports read the cycle after their request and hold until their next read; a write on
 * A leaves A's read data as it was (no caller reads during a write, and it is the block
 * RAMs' plain write mode, DP16KD NORMAL). B reading the word A writes in the same cycle
 * gets an undefined word: callers keep the two ports apart. Written so that Yosys and
 * vendor tools infer one true dual-port block RAM (ECP5 DP16KD, Xilinx RAMB36E1) rather than
 * a copy per port. No reset: contents are undefined until written.
 */
module ebpf_prim_ram_2p #(
  parameter int unsigned Width = 64,    // word width in bits, a multiple of 8
  parameter int unsigned Depth = 512,   // number of words
  localparam int unsigned Aw   = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic               clk_i,

  input  logic               a_req_i,
  input  logic               a_we_i,
  input  logic [Aw-1:0]      a_addr_i,
  input  logic [Width-1:0]   a_wdata_i,
  input  logic [Width/8-1:0] a_wmask_i,   // byte enables of a write
  output logic [Width-1:0]   a_rdata_o,

  input  logic               b_req_i,
  input  logic [Aw-1:0]      b_addr_i,
  output logic [Width-1:0]   b_rdata_o
);

  // Collisions between the ports are the callers' to avoid (above): without this, Yosys
  // emulates a defined answer with registers and a second copy of the array.
  (* no_rw_check *)
  logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] a_rdata_q, b_rdata_q;

  always_ff @(posedge clk_i) begin
    if (a_req_i) begin
      if (a_we_i) begin
        for (int unsigned i = 0; i < Width / 8; i++) begin
          if (a_wmask_i[i]) begin
            mem_q[a_addr_i][8*i +: 8] <= a_wdata_i[8*i +: 8];
          end
        end
      end else begin
        a_rdata_q <= mem_q[a_addr_i];
      end
    end
    if (b_req_i) begin
      b_rdata_q <= mem_q[b_addr_i];
    end
  end

  assign a_rdata_o = a_rdata_q;
  assign b_rdata_o = b_rdata_q;

`ifndef SYNTHESIS
  // Callers size their address ranges and never read on B the word A writes.
  always_ff @(posedge clk_i) begin
    if (a_req_i && a_we_i && (|a_wmask_i)) begin
      assert (32'(a_addr_i) < Depth)
        else $error("%m: write to word %0d beyond depth %0d", a_addr_i, Depth);
      assert (!(b_req_i && b_addr_i == a_addr_i))
        else $error("%m: port B reads word %0d while port A writes it", b_addr_i);
    end
  end
`endif

endmodule
