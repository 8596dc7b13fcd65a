/**
 * Register file, flip-flop version
 *
 * Owns r0-r9 (r10, the frame pointer, is not stored: ebpf_core_id_stage derives it from the
 * call depth). All registers are visible at once, so the EX stage can read the implicit
 * operands of calls and helpers (r0-r9) and the host can read every register after a run.
 * Two write ports: the writeback port (the WB stage, or the host while the core is idle)
 * and the restore port (r6-r9 from a frame popped by exit), which wins for r6-r9: it is
 * younger than the instruction in WB.
 */
module ebpf_core_regfile_ff
  import ebpf_pkg::*;
#(
  parameter int unsigned NumGpr = NumRegs - 1   // registers held: r0 .. r(NumGpr-1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,

  // <- from the WB stage (or the host)
  input  logic                     we_i,
  input  logic [3:0]               waddr_i,
  input  logic [63:0]              wdata_i,

  // <- from the call stack: exit in a callee restores r6-r9
  input  logic                     restore_i,
  input  logic [3:0][63:0]         restore_data_i,   // r9, r8, r7, r6

  output logic [NumGpr-1:0][63:0]  regs_o
);

  logic [NumGpr-1:0][63:0] regs_q;

  for (genvar k = 0; k < NumGpr; k++) begin : gen_reg
    logic        restore_k;
    logic        we_k;
    logic [63:0] wdata_k;

    assign restore_k = (k >= 6 && k <= 9) ? restore_i : 1'b0;
    assign we_k      = restore_k || (we_i && waddr_i == 4'(k));
    if (k >= 6 && k <= 9) begin : gen_restorable
      assign wdata_k = restore_k ? restore_data_i[k-6] : wdata_i;
    end else begin : gen_plain
      assign wdata_k = wdata_i;
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        regs_q[k] <= '0;
      end else if (we_k) begin
        regs_q[k] <= wdata_k;
      end
    end
  end

  assign regs_o = regs_q;

endmodule
