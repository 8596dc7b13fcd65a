/**
 * Two-flop synchroniser
 *
 * For single bits, and for multi-bit values that are quasi-static (configuration that is
 * written once and then held): each bit is synchronised on its own, so a multi-bit value is
 * only coherent once it has been stable for two destination cycles.
 */
module ebpf_prim_sync_2ff #(
  parameter int unsigned Width      = 1,    // bits
  parameter logic [Width-1:0] ResetValue = '0
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  logic [Width-1:0] s1_q, s2_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_q <= ResetValue;
      s2_q <= ResetValue;
    end else begin
      s1_q <= d_i;
      s2_q <= s1_q;
    end
  end

  assign q_o = s2_q;

endmodule
