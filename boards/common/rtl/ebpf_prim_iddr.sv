/**
 * Input DDR register, generic model
 *
 * Samples d_i on both edges of clk_i and presents each pair on the rising edge: q_rise_o is
 * the sample of a rising edge and q_fall_o the sample of the falling edge that followed it,
 * one clock after the pair arrived. Family versions with the same name and ports live in
 * boards/prim_<family>/ (ECP5: IDDRX1F).
 */
module ebpf_prim_iddr #(
  parameter int unsigned Width = 1   // bits
) (
  input  logic             clk_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_rise_o,
  output logic [Width-1:0] q_fall_o
);

  logic [Width-1:0] rise_q, fall_q, rise_out_q, fall_out_q;

  always_ff @(posedge clk_i) begin
    rise_q <= d_i;
  end

  always_ff @(negedge clk_i) begin
    fall_q <= d_i;
  end

  always_ff @(posedge clk_i) begin
    rise_out_q <= rise_q;
    fall_out_q <= fall_q;
  end

  assign q_rise_o = rise_out_q;
  assign q_fall_o = fall_out_q;

endmodule
