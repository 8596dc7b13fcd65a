/**
 * LambdaConcept ECPIX-5 (LFE5UM5G-85F-8BG554I): the largest configuration, one Gigabit port
 *
 * 100 MHz oscillator (K23), reset button (N5, active low), RGB LED 0 (active low), one
 * RGMII PHY. Pinout from the board's public documentation (as collected in LiteX-Boards'
 * ecpix5 platform); constraints in ../ecpix5.lpf.
 *
 * Clocks (one EHXPLLL, VCO 625 MHz; dividers from yowasp-ecppll):
 *   clk125    125 MHz      GMII/RGMII transmit
 *   clk125_90 125 MHz +90  RGMII TXC
 *   clk_core  625 MHz / CoreClkDiv: soft-CPU and data plane (default 25 MHz; the whole
 *                          design's routed Fmax on this part is in docs/boards.md)
 * Data plane 8 bytes per core cycle (333 MB/s >= 125 MB/s) through the XDP datapath of
 * ebpf_fpga_core (Ports = 1): XDP_TX returns a frame on the port; XDP_PASS frames (to the
 * host port) are drained here, as there is no local host. Etherbone/UDP control on the
 * port. The PHY is held in reset for about 10 ms after the PLL
 * locks, then released.
 */
module ecpix5_top #(
  // 64 KiB of instructions (32 DP16KD): with ebpf_top's map pools and a 64 KiB event FIFO
  // (151 DP16KD at 4,096 slots) and the network stack, 16,384 slots would need more than the
  // 208 block RAMs of the 85F (docs/boards.md)
  parameter int unsigned ImemSlots = 8192,
  // map pools of ebpf_top (its defaults: the 85F pools)
  parameter int unsigned MapSlots       = 32,
  parameter int unsigned MapValueBytes  = 65536,
  parameter int unsigned MapKeyWords    = 1024,
  parameter int unsigned MapBuckets     = 4096,
  parameter int unsigned MapPoolSlots   = 1024,
  // 16 KiB of events per run (16 DP16KD; ebpf_top's default, 64 KiB, takes 64 of the 208
  // block RAMs, spread over the whole die, and the design did not route reliably with it:
  // docs/boards.md); CAP_EVT_BYTES tells the host
  parameter int unsigned EventFifoBytes = 16384,
  // core clock = VCO 625 MHz / CoreClkDiv (EHXPLLL CLKOS2, 1..128): 25 -> 25 MHz, 20 -> 31.25,
  // 15 -> 41.67; chosen below the routed Fmax so that the bitstream meets timing
  parameter int unsigned CoreClkDiv = 25,
  parameter logic [47:0] LocalMac  = 48'h02_65_62_70_66_01,
  parameter logic [31:0] LocalIp   = 32'hc0a8_0132            // 192.168.1.50
) (
  input  logic       clk100_i,
  input  logic       rst_ni,           // button, active low

  output logic       led_r_no,
  output logic       led_g_no,
  output logic       led_b_no,

  output logic       eth_rst_no,
  output logic       eth_mdc_o,
  input  logic       eth_rxc_i,
  input  logic [3:0] eth_rxd_i,
  input  logic       eth_rx_ctl_i,
  output logic       eth_txc_o,
  output logic [3:0] eth_txd_o,
  output logic       eth_tx_ctl_o
);

  // clk_core period in whole ns (the data plane's timers count it)
  localparam int unsigned CoreNs  = (CoreClkDiv * 1000 + 312) / 625;
  localparam int unsigned DpBytes = 8;

  logic clk125, clk125_90, clk_core, pll_locked;

  ebpf_ecp5_pll #(
    .ClkiDiv      (4),
    .ClkfbDiv     (5),
    .ClkopDiv     (5),     // 125 MHz
    .ClkopCphase  (2),
    .ClkosDiv     (5),     // 125 MHz, 90 degrees
    .ClkosCphase  (3),
    .ClkosFphase  (2),
    .Clkos2Div    (CoreClkDiv),
    .Clkos2Cphase (2)
  ) u_pll (
    .clk_i    (clk100_i),
    .clkop_o  (clk125),
    .clkos_o  (clk125_90),
    .clkos2_o (clk_core),
    .locked_o (pll_locked)
  );

  logic rst_all_n, rst_core_n, rst_tx_n, rst_rx_n, gmii_rx_clk;
  assign rst_all_n = pll_locked & rst_ni;

  ebpf_prim_sync_2ff u_rst_core (
    .clk_i (clk_core), .rst_ni (rst_all_n), .d_i (1'b1), .q_o (rst_core_n));
  ebpf_prim_sync_2ff u_rst_tx (
    .clk_i (clk125), .rst_ni (rst_all_n), .d_i (1'b1), .q_o (rst_tx_n));
  ebpf_prim_sync_2ff u_rst_rx (
    .clk_i (gmii_rx_clk), .rst_ni (rst_all_n), .d_i (1'b1), .q_o (rst_rx_n));

  // PHY reset: 2^19 core cycles (12.6 ms) after reset, then released.
  logic [19:0] phy_rst_q;
  always_ff @(posedge clk_core or negedge rst_core_n) begin
    if (!rst_core_n) begin
      phy_rst_q <= '0;
    end else if (!phy_rst_q[19]) begin
      phy_rst_q <= phy_rst_q + 20'd1;
    end
  end
  assign eth_rst_no = phy_rst_q[19];
  assign eth_mdc_o  = 1'b0;

  logic [7:0] gmii_rxd, gmii_txd;
  logic       gmii_rx_dv, gmii_rx_er, gmii_tx_en, gmii_tx_er;

  ebpf_net_rgmii_phy_if u_rgmii (
    .rgmii_rxc_i    (eth_rxc_i),
    .rgmii_rxd_i    (eth_rxd_i),
    .rgmii_rx_ctl_i (eth_rx_ctl_i),
    .gmii_rx_clk_o  (gmii_rx_clk),
    .gmii_rxd_o     (gmii_rxd),
    .gmii_rx_dv_o   (gmii_rx_dv),
    .gmii_rx_er_o   (gmii_rx_er),
    .clk_tx_i       (clk125),
    .clk_tx90_i     (clk125_90),
    .gmii_txd_i     (gmii_txd),
    .gmii_tx_en_i   (gmii_tx_en),
    .gmii_tx_er_i   (gmii_tx_er),
    .rgmii_txc_o    (eth_txc_o),
    .rgmii_txd_o    (eth_txd_o),
    .rgmii_tx_ctl_o (eth_tx_ctl_o)
  );

  logic busy, done;
  logic [8*DpBytes-1:0] rx_tdata;
  logic [DpBytes-1:0]   rx_tkeep;
  logic                 rx_tvalid, rx_tlast, rx_tuser, tx_tready;
  logic [7:0]           unused_p1_txd;
  logic                 unused_p1_tx_en, unused_p1_tx_er;

  ebpf_fpga_core #(
    .ImemSlots  (ImemSlots),
    .NsPerCycle (CoreNs),
    .DpBytes    (DpBytes),
    .Ports      (1),
    .MapSlots       (MapSlots),
    .MapValueBytes  (MapValueBytes),
    .MapKeyWords    (MapKeyWords),
    .MapBuckets     (MapBuckets),
    .MapPoolSlots   (MapPoolSlots),
    .EventFifoBytes (EventFifoBytes),
    .LocalMac   (LocalMac),
    .LocalIp    (LocalIp)
  ) u_core (
    .clk_i              (clk_core),
    .rst_ni             (rst_core_n),
    .gmii_rx_clk_i      (gmii_rx_clk),
    .gmii_rx_rst_ni     (rst_rx_n),
    .gmii_rxd_i         (gmii_rxd),
    .gmii_rx_dv_i       (gmii_rx_dv),
    .gmii_rx_er_i       (gmii_rx_er),
    .gmii_tx_clk_i      (clk125),
    .gmii_tx_rst_ni     (rst_tx_n),
    .gmii_txd_o         (gmii_txd),
    .gmii_tx_en_o       (gmii_tx_en),
    .gmii_tx_er_o       (gmii_tx_er),
    .p1_gmii_rx_clk_i   (1'b0),
    .p1_gmii_rx_rst_ni  (1'b0),
    .p1_gmii_rxd_i      ('0),
    .p1_gmii_rx_dv_i    (1'b0),
    .p1_gmii_rx_er_i    (1'b0),
    .p1_gmii_txd_o      (unused_p1_txd),
    .p1_gmii_tx_en_o    (unused_p1_tx_en),
    .p1_gmii_tx_er_o    (unused_p1_tx_er),
    .m_axis_rx_tdata_o  (rx_tdata),
    .m_axis_rx_tkeep_o  (rx_tkeep),
    .m_axis_rx_tvalid_o (rx_tvalid),
    .m_axis_rx_tready_i (1'b1),          // XDP_PASS frames: drained (see above)
    .m_axis_rx_tlast_o  (rx_tlast),
    .m_axis_rx_tuser_o  (rx_tuser),
    .s_axis_tx_tdata_i  ('0),
    .s_axis_tx_tkeep_i  ('0),
    .s_axis_tx_tvalid_i (1'b0),
    .s_axis_tx_tready_o (tx_tready),
    .s_axis_tx_tlast_i  (1'b0),
    .s_axis_tx_tuser_i  (1'b0),
    .busy_o             (busy),
    .done_o             (done)
  );

  // LEDs: green heartbeat, blue while the soft-CPU runs, red flashes per XDP_PASS frame.
  logic [25:0] beat_q;
  logic [21:0] frame_q;
  always_ff @(posedge clk_core or negedge rst_core_n) begin
    if (!rst_core_n) begin
      beat_q  <= '0;
      frame_q <= '0;
    end else begin
      beat_q <= beat_q + 26'd1;
      if (rx_tvalid && rx_tlast) begin
        frame_q <= '1;
      end else if (frame_q != '0) begin
        frame_q <= frame_q - 22'd1;
      end
    end
  end
  assign led_g_no = ~beat_q[25];
  assign led_b_no = ~busy;
  assign led_r_no = ~(frame_q != '0);

  logic unused_top;
  assign unused_top = ^{done, rx_tdata, rx_tkeep, rx_tuser, tx_tready, unused_p1_txd,
                        unused_p1_tx_en, unused_p1_tx_er};

endmodule
