/**
 * Colorlight 5A-75B v8.x: bump-in-the-wire XDP filter between the two Gigabit ports
 *
 * LFE5U-25F-6BG256C, 25 MHz clock from PHY U13 on P6, two RTL8211FD PHYs on RGMII (U11 =
 * port 0, U13 = port 1), one LED (T6, active low), one button (R7). Pinout: q3k/chubby75,
 * 5a-75b/hardware_V8.0.md; constraints in ../colorlight_5a75b.lpf.
 *
 * Clocks (one EHXPLLL from the 25 MHz input, VCO 625 MHz; dividers from yowasp-ecppll):
 *   clk125    125 MHz      GMII/RGMII transmit of both ports
 *   clk125_90 125 MHz +90  RGMII TXC (the FPGA provides the TX clock-to-data skew)
 *   clk_core  25 MHz       soft-CPU, network stack control path, data plane
 * plus each PHY's RXC (125 MHz) for its receive MAC.
 *
 * Data plane: 8 bytes per core cycle (200 MB/s at 25 MHz, above the 125 MB/s of one
 * Gigabit port). Etherbone/UDP control (ARP, udp://) on port 0. Every other frame goes
 * through the XDP program (ebpf_fpga_core, Ports = 2): XDP_PASS out of the other port,
 * XDP_TX back out of the same port, XDP_REDIRECT by ifindex (1 = port 0, 2 = port 1).
 *
 * The PHYs are never reset by the FPGA (eth_rst_no held high): PHY U13 generates the 25 MHz
 * clock the FPGA runs on. MDIO is not driven (PHY strap defaults: autonegotiation).
 */
module colorlight_5a75b_top #(
  parameter int unsigned ImemSlots = 1024,   // 8 KiB of instructions: 4 block RAMs
  // Map and event pools of ebpf_top, sized for the 25F's 56 block RAMs (docs/boards.md);
  // the capability block reports them and the host checks programs against them
  parameter int unsigned MapSlots       = 8,
  parameter int unsigned MapValueBytes  = 8192,
  parameter int unsigned MapKeyWords    = 256,
  parameter int unsigned MapBuckets     = 1024,
  parameter int unsigned MapPoolSlots   = 256,
  parameter int unsigned EventFifoBytes = 4096,
  parameter logic [47:0] LocalMac  = 48'h02_65_62_70_66_00,
  parameter logic [31:0] LocalIp   = 32'hc0a8_0132           // 192.168.1.50
) (
  input  logic       clk25_i,

  input  logic       key_i,          // KEY+ (R7)
  output logic       led_no,         // DATA_LED- (T6), active low

  output logic       eth_rst_no,     // shared PHY reset: held inactive
  output logic       eth_mdc_o,

  input  logic       eth0_rxc_i,
  input  logic [3:0] eth0_rxd_i,
  input  logic       eth0_rx_ctl_i,
  output logic       eth0_txc_o,
  output logic [3:0] eth0_txd_o,
  output logic       eth0_tx_ctl_o,

  input  logic       eth1_rxc_i,
  input  logic [3:0] eth1_rxd_i,
  input  logic       eth1_rx_ctl_i,
  output logic       eth1_txc_o,
  output logic [3:0] eth1_txd_o,
  output logic       eth1_tx_ctl_o
);

  localparam int unsigned CoreNs  = 40;   // clk_core period (25 MHz)
  localparam int unsigned DpBytes = 8;

  // ---- clocks and resets -------------------------------------------------------------------
  logic clk125, clk125_90, clk_core, pll_locked;

  ebpf_ecp5_pll #(
    .ClkiDiv      (1),
    .ClkfbDiv     (5),
    .ClkopDiv     (5),     // 125 MHz
    .ClkopCphase  (2),
    .ClkosDiv     (5),     // 125 MHz, 90 degrees (1.25 VCO cycles later)
    .ClkosCphase  (3),
    .ClkosFphase  (2),
    .Clkos2Div    (25),    // 25 MHz
    .Clkos2Cphase (2)
  ) u_pll (
    .clk_i    (clk25_i),
    .clkop_o  (clk125),
    .clkos_o  (clk125_90),
    .clkos2_o (clk_core),
    .locked_o (pll_locked)
  );

  logic rst_core_n, rst_tx_n, rst_rx0_n, rst_rx1_n;
  logic gmii0_rx_clk, gmii1_rx_clk;

  // Asynchronous assertion while the PLL is not locked, release synchronous to each clock.
  ebpf_prim_sync_2ff u_rst_core (
    .clk_i (clk_core), .rst_ni (pll_locked), .d_i (1'b1), .q_o (rst_core_n));
  ebpf_prim_sync_2ff u_rst_tx (
    .clk_i (clk125), .rst_ni (pll_locked), .d_i (1'b1), .q_o (rst_tx_n));
  ebpf_prim_sync_2ff u_rst_rx0 (
    .clk_i (gmii0_rx_clk), .rst_ni (pll_locked), .d_i (1'b1), .q_o (rst_rx0_n));
  ebpf_prim_sync_2ff u_rst_rx1 (
    .clk_i (gmii1_rx_clk), .rst_ni (pll_locked), .d_i (1'b1), .q_o (rst_rx1_n));

  assign eth_rst_no = 1'b1;
  assign eth_mdc_o  = 1'b0;

  // ---- RGMII <-> GMII ----------------------------------------------------------------------
  logic [7:0] gmii0_rxd, gmii0_txd, gmii1_rxd, gmii1_txd;
  logic       gmii0_rx_dv, gmii0_rx_er, gmii0_tx_en, gmii0_tx_er;
  logic       gmii1_rx_dv, gmii1_rx_er, gmii1_tx_en, gmii1_tx_er;

  ebpf_net_rgmii_phy_if u_rgmii0 (
    .rgmii_rxc_i    (eth0_rxc_i),
    .rgmii_rxd_i    (eth0_rxd_i),
    .rgmii_rx_ctl_i (eth0_rx_ctl_i),
    .gmii_rx_clk_o  (gmii0_rx_clk),
    .gmii_rxd_o     (gmii0_rxd),
    .gmii_rx_dv_o   (gmii0_rx_dv),
    .gmii_rx_er_o   (gmii0_rx_er),
    .clk_tx_i       (clk125),
    .clk_tx90_i     (clk125_90),
    .gmii_txd_i     (gmii0_txd),
    .gmii_tx_en_i   (gmii0_tx_en),
    .gmii_tx_er_i   (gmii0_tx_er),
    .rgmii_txc_o    (eth0_txc_o),
    .rgmii_txd_o    (eth0_txd_o),
    .rgmii_tx_ctl_o (eth0_tx_ctl_o)
  );

  ebpf_net_rgmii_phy_if u_rgmii1 (
    .rgmii_rxc_i    (eth1_rxc_i),
    .rgmii_rxd_i    (eth1_rxd_i),
    .rgmii_rx_ctl_i (eth1_rx_ctl_i),
    .gmii_rx_clk_o  (gmii1_rx_clk),
    .gmii_rxd_o     (gmii1_rxd),
    .gmii_rx_dv_o   (gmii1_rx_dv),
    .gmii_rx_er_o   (gmii1_rx_er),
    .clk_tx_i       (clk125),
    .clk_tx90_i     (clk125_90),
    .gmii_txd_i     (gmii1_txd),
    .gmii_tx_en_i   (gmii1_tx_en),
    .gmii_tx_er_i   (gmii1_tx_er),
    .rgmii_txc_o    (eth1_txc_o),
    .rgmii_txd_o    (eth1_txd_o),
    .rgmii_tx_ctl_o (eth1_tx_ctl_o)
  );

  // ---- the core ----------------------------------------------------------------------------
  logic busy, done;
  logic [8*DpBytes-1:0] unused_rx_tdata;
  logic [DpBytes-1:0]   unused_rx_tkeep;
  logic                 unused_rx_tvalid, unused_rx_tlast, unused_rx_tuser, unused_tx_tready;

  ebpf_fpga_core #(
    .ImemSlots  (ImemSlots),
    .NsPerCycle (CoreNs),
    .DpBytes    (DpBytes),
    .Ports      (2),
    .NetCntW    (16),      // NET counters wrap at 65,536: saves logic on the 25F
    .IoCntW     (16),      // IO page counters likewise (docs/boards.md)
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
    .gmii_rx_clk_i      (gmii0_rx_clk),
    .gmii_rx_rst_ni     (rst_rx0_n),
    .gmii_rxd_i         (gmii0_rxd),
    .gmii_rx_dv_i       (gmii0_rx_dv),
    .gmii_rx_er_i       (gmii0_rx_er),
    .gmii_tx_clk_i      (clk125),
    .gmii_tx_rst_ni     (rst_tx_n),
    .gmii_txd_o         (gmii0_txd),
    .gmii_tx_en_o       (gmii0_tx_en),
    .gmii_tx_er_o       (gmii0_tx_er),
    .p1_gmii_rx_clk_i   (gmii1_rx_clk),
    .p1_gmii_rx_rst_ni  (rst_rx1_n),
    .p1_gmii_rxd_i      (gmii1_rxd),
    .p1_gmii_rx_dv_i    (gmii1_rx_dv),
    .p1_gmii_rx_er_i    (gmii1_rx_er),
    .p1_gmii_txd_o      (gmii1_txd),
    .p1_gmii_tx_en_o    (gmii1_tx_en),
    .p1_gmii_tx_er_o    (gmii1_tx_er),
    .m_axis_rx_tdata_o  (unused_rx_tdata),
    .m_axis_rx_tkeep_o  (unused_rx_tkeep),
    .m_axis_rx_tvalid_o (unused_rx_tvalid),
    .m_axis_rx_tready_i (1'b1),
    .m_axis_rx_tlast_o  (unused_rx_tlast),
    .m_axis_rx_tuser_o  (unused_rx_tuser),
    .s_axis_tx_tdata_i  ('0),
    .s_axis_tx_tkeep_i  ('0),
    .s_axis_tx_tvalid_i (1'b0),
    .s_axis_tx_tready_o (unused_tx_tready),
    .s_axis_tx_tlast_i  (1'b0),
    .s_axis_tx_tuser_i  (1'b0),
    .busy_o             (busy),
    .done_o             (done)
  );

  // ---- LED: heartbeat (0.67 s per phase), lit while the soft-CPU runs or the key is down ----
  logic [24:0] beat_q;
  logic [1:0]  key_q;
  always_ff @(posedge clk_core or negedge rst_core_n) begin
    if (!rst_core_n) begin
      beat_q <= '0;
      key_q  <= '0;
    end else begin
      beat_q <= beat_q + 25'd1;
      key_q  <= {key_q[0], key_i};
    end
  end
  assign led_no = ~(beat_q[24] | busy | key_q[1]);

  logic unused_top;
  assign unused_top = ^{done, unused_rx_tdata, unused_rx_tkeep, unused_rx_tvalid,
                        unused_rx_tlast, unused_rx_tuser, unused_tx_tready};

endmodule
