/**
 * RGMII to GMII adapter, 1 Gb/s
 *
 * Receive: the PHY's RXC (125 MHz) clocks four data bits on each edge: RXD on the rising
 * edge is GMII bits 3:0, on the falling edge bits 7:4; RX_CTL is RX_DV on the rising edge and
 * RX_DV xor RX_ER on the falling edge. The GMII outputs are in the RXC domain (gmii_rx_clk_o).
 * Transmit mirrors it on clk_tx_i; TXC is driven by a DDR cell clocked by clk_tx90_i (the
 * transmit clock shifted by 90 degrees for PHYs without an internal TX delay; tie it to
 * clk_tx_i when the PHY adds the delay itself).
 *
 * The DDR cells are ebpf_prim_iddr / ebpf_prim_oddr: generic models for simulation, the
 * family versions (boards/prim_ecp5/) on a board.
 */
module ebpf_net_rgmii_phy_if (
  // RGMII receive, from the PHY
  input  logic       rgmii_rxc_i,
  input  logic [3:0] rgmii_rxd_i,
  input  logic       rgmii_rx_ctl_i,

  // GMII receive, RXC domain -> to ebpf_net_gmii_rx
  output logic       gmii_rx_clk_o,
  output logic [7:0] gmii_rxd_o,
  output logic       gmii_rx_dv_o,
  output logic       gmii_rx_er_o,

  // GMII transmit, clk_tx_i domain <- from ebpf_net_gmii_tx
  input  logic       clk_tx_i,
  input  logic       clk_tx90_i,
  input  logic [7:0] gmii_txd_i,
  input  logic       gmii_tx_en_i,
  input  logic       gmii_tx_er_i,

  // RGMII transmit, to the PHY
  output logic       rgmii_txc_o,
  output logic [3:0] rgmii_txd_o,
  output logic       rgmii_tx_ctl_o
);

  logic [4:0] rx_rise, rx_fall;

  ebpf_prim_iddr #(
    .Width (5)
  ) u_rx_ddr (
    .clk_i    (rgmii_rxc_i),
    .d_i      ({rgmii_rx_ctl_i, rgmii_rxd_i}),
    .q_rise_o (rx_rise),
    .q_fall_o (rx_fall)
  );

  assign gmii_rx_clk_o = rgmii_rxc_i;
  assign gmii_rxd_o    = {rx_fall[3:0], rx_rise[3:0]};
  assign gmii_rx_dv_o  = rx_rise[4];
  assign gmii_rx_er_o  = rx_rise[4] ^ rx_fall[4];

  ebpf_prim_oddr #(
    .Width (5)
  ) u_tx_ddr (
    .clk_i    (clk_tx_i),
    .d_rise_i ({gmii_tx_en_i, gmii_txd_i[3:0]}),
    .d_fall_i ({gmii_tx_en_i ^ gmii_tx_er_i, gmii_txd_i[7:4]}),
    .q_o      ({rgmii_tx_ctl_o, rgmii_txd_o})
  );

  ebpf_prim_oddr #(
    .Width (1)
  ) u_txc_ddr (
    .clk_i    (clk_tx90_i),
    .d_rise_i (1'b1),
    .d_fall_i (1'b0),
    .q_o      (rgmii_txc_o)
  );

endmodule
