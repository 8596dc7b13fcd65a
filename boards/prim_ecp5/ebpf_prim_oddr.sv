/**
 * Output DDR register, Lattice ECP5 version (ODDRX1F)
 *
 * Same name and ports as boards/common/rtl/ebpf_prim_oddr.sv: d_rise_i goes out while
 * clk_i is high, d_fall_i while it is low (ODDRX1F: D0 first, then D1).
 */
module ebpf_prim_oddr #(
  parameter int unsigned Width = 1   // bits
) (
  input  logic             clk_i,
  input  logic [Width-1:0] d_rise_i,
  input  logic [Width-1:0] d_fall_i,
  output logic [Width-1:0] q_o
);

  for (genvar i = 0; i < Width; i++) begin : gen_bit
    ODDRX1F u_oddr (
      .D0   (d_rise_i[i]),
      .D1   (d_fall_i[i]),
      .SCLK (clk_i),
      .RST  (1'b0),
      .Q    (q_o[i])
    );
  end

endmodule
