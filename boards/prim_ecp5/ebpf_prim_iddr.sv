/**
 * Input DDR register, Lattice ECP5 version (IDDRX1F)
 *
 * Same name and ports as boards/common/rtl/ebpf_prim_iddr.sv: q_rise_o is the rising-edge
 * sample and q_fall_o the falling-edge sample that followed it. IDDRX1F presents both on
 * the rising edge of SCLK (Q0 = rising, Q1 = falling); one extra fabric register keeps the
 * latency of the generic model.
 */
module ebpf_prim_iddr #(
  parameter int unsigned Width = 1   // bits
) (
  input  logic             clk_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_rise_o,
  output logic [Width-1:0] q_fall_o
);

  logic [Width-1:0] q0, q1;

  for (genvar i = 0; i < Width; i++) begin : gen_bit
    IDDRX1F u_iddr (
      .D    (d_i[i]),
      .SCLK (clk_i),
      .RST  (1'b0),
      .Q0   (q0[i]),
      .Q1   (q1[i])
    );
  end

  always_ff @(posedge clk_i) begin
    q_rise_o <= q0;
    q_fall_o <= q1;
  end

endmodule
