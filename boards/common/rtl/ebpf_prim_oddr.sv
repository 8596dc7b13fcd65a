/**
 * Output DDR register, generic model
 *
 * Registers d_rise_i and d_fall_i on the rising edge of clk_i and drives d_rise_i while the
 * clock is high and d_fall_i while it is low. Family versions with the same name and ports
 * live in boards/prim_<family>/ (ECP5: ODDRX1F).
 */
module ebpf_prim_oddr #(
  parameter int unsigned Width = 1   // bits
) (
  input  logic             clk_i,
  input  logic [Width-1:0] d_rise_i,
  input  logic [Width-1:0] d_fall_i,
  output logic [Width-1:0] q_o
);

  logic [Width-1:0] rise_q, fall_q;

  always_ff @(posedge clk_i) begin
    rise_q <= d_rise_i;
    fall_q <= d_fall_i;
  end

  // A model of the output mux of a DDR cell; technology versions use the real primitive.
  assign q_o = clk_i ? rise_q : fall_q;

endmodule
