/**
 * Helper unit (minimal)
 *
 * Answers the core's helper calls: request = helper ID and r1-r5, response = r0 and done,
 * one cycle later. This version implements what the ISA corpus needs:
 *   5 ktime_get_ns: the core's cycle counter times NsPerCycle (the clock period)
 * and answers FAULT_UNKNOWN_HELPER for every other ID. The map unit and the real helper
 * set replace it in a later version with the same port.
 */
module ebpf_helper_unit
  import ebpf_pkg::*;
#(
  parameter int unsigned NsPerCycle = 10   // clock period in ns (10: 100 MHz)
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic [63:0]      cycles_i,       // <- core cycle counter

  // Helper port <- / -> the core
  input  logic             req_i,          // held until done_o
  input  logic [63:0]      id_i,
  input  logic [4:0][63:0] args_i,         // r5..r1
  output logic             done_o,         // one-cycle pulse
  output logic             fault_o,
  output fault_e           fault_code_o,
  output logic [63:0]      r0_o
);

  logic        done_q;
  logic        fault_q;
  logic [63:0] r0_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      done_q  <= 1'b0;
      fault_q <= 1'b0;
      r0_q    <= '0;
    end else begin
      // A request is answered once: the core drops it in the cycle after done.
      done_q  <= req_i && !done_q;
      fault_q <= 1'b0;
      r0_q    <= '0;
      if (req_i && !done_q) begin
        unique case (id_i)
          HelperKtimeGetNs: r0_q    <= cycles_i * 64'(NsPerCycle);
          default:          fault_q <= 1'b1;
        endcase
      end
    end
  end

  assign done_o       = done_q;
  assign fault_o      = fault_q;
  assign fault_code_o = FAULT_UNKNOWN_HELPER;
  assign r0_o         = r0_q;

  logic unused_args;
  assign unused_args = ^args_i;

endmodule
