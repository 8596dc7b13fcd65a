/**
 * Register file, flip-flop version
 *
 * Owns r0-r9 (r10, the frame pointer, is not stored: ebpf_core_id_stage derives it from the
 * call depth). All registers are visible at once, so the EX stage can read the implicit
 * operands of calls and helpers (r1-r9) and the host can read every register after a run.
 * Write ports, in priority order for a register:
 *   restore: r6-r9 from a frame popped by exit (younger than the WB instruction),
 *   wb:      the writeback stage,
 *   host:    32-bit halves from the CSR bus while the core is idle.
 */
module ebpf_core_regfile_ff
  import ebpf_pkg::*;
#(
  parameter int unsigned NumGpr = NumRegs - 1   // registers held: r0 .. r(NumGpr-1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,

  // <- from the WB stage
  input  logic                     wb_we_i,
  input  logic [3:0]               wb_addr_i,
  input  logic [63:0]              wb_data_i,

  // <- from the call stack: exit in a callee restores r6-r9
  input  logic                     restore_i,
  input  logic [3:0][63:0]         restore_data_i,   // r9, r8, r7, r6

  // <- from the CSR bus (core idle)
  input  logic                     host_we_i,
  input  logic [3:0]               host_addr_i,
  input  logic                     host_hi_i,        // write bits 63:32 (else 31:0)
  input  logic [31:0]              host_wdata_i,

  output logic [NumGpr-1:0][63:0]  regs_o
);

  logic [NumGpr-1:0][63:0] regs_q, regs_d;

  always_comb begin
    regs_d = regs_q;
    for (int unsigned k = 0; k < NumGpr; k++) begin
      if (restore_i && k >= 6 && k <= 9) begin
        regs_d[k] = restore_data_i[k-6];
      end else if (wb_we_i && 32'(wb_addr_i) == k) begin
        regs_d[k] = wb_data_i;
      end else if (host_we_i && 32'(host_addr_i) == k) begin
        if (host_hi_i) begin
          regs_d[k][63:32] = host_wdata_i;
        end else begin
          regs_d[k][31:0] = host_wdata_i;
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      regs_q <= '0;
    end else begin
      regs_q <= regs_d;
    end
  end

  assign regs_o = regs_q;

endmodule
