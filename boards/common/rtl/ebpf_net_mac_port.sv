/**
 * A data-only Ethernet port: GMII MAC receive and transmit with their clock-domain FIFOs
 *
 * The second port of a two-port board (bump in the wire): no ARP, IP or Etherbone, every
 * good frame goes to the data plane. The same blocks as ebpf_net_stack's data path:
 *
 *   GMII RX -> gmii_rx -> upsize -> [async FIFO, frame, drop when full] -> m_axis (clk_i)
 *   s_axis (clk_i) -> [async FIFO, frame] -> downsize -> register slice -> gmii_tx -> GMII TX
 *
 * Frames with a bad FCS, runts and giants never leave the RX FIFO (it commits a frame only at
 * a good tlast); a frame that finds the RX FIFO full is dropped whole. The counter pulses of
 * the MAC and the FIFOs come out as stat_*_o (one-cycle pulses in the clock named) for a
 * board to count; nothing here waits for them.
 */
module ebpf_net_mac_port
  import ebpf_net_pkg::*;
#(
  parameter int unsigned DpBytes       = 4,             // data-plane beat, bytes (2, 4, 8)
  parameter int unsigned MaxFrameBytes = EthMaxFrame,   // largest frame with FCS
  parameter int unsigned RxFifoBytes   = 4096,          // power of two, >= MaxFrameBytes
  parameter int unsigned TxFifoBytes   = 4096           // power of two, >= MaxFrameBytes
) (
  input  logic                 clk_i,              // core clock (data plane)
  input  logic                 rst_ni,

  input  logic                 gmii_rx_clk_i,
  input  logic                 gmii_rx_rst_ni,
  input  logic [7:0]           gmii_rxd_i,
  input  logic                 gmii_rx_dv_i,
  input  logic                 gmii_rx_er_i,

  input  logic                 gmii_tx_clk_i,
  input  logic                 gmii_tx_rst_ni,
  output logic [7:0]           gmii_txd_o,
  output logic                 gmii_tx_en_o,
  output logic                 gmii_tx_er_o,

  output logic [8*DpBytes-1:0] m_axis_rx_tdata_o,
  output logic [DpBytes-1:0]   m_axis_rx_tkeep_o,
  output logic                 m_axis_rx_tvalid_o,
  input  logic                 m_axis_rx_tready_i,
  output logic                 m_axis_rx_tlast_o,
  output logic                 m_axis_rx_tuser_o,
  input  logic [8*DpBytes-1:0] s_axis_tx_tdata_i,
  input  logic [DpBytes-1:0]   s_axis_tx_tkeep_i,
  input  logic                 s_axis_tx_tvalid_i,
  output logic                 s_axis_tx_tready_o,
  input  logic                 s_axis_tx_tlast_i,
  input  logic                 s_axis_tx_tuser_i,

  // Counter pulses (gmii_rx_clk_i: rx_*; gmii_tx_clk_i: tx_frame; clk_i: tx_drop)
  output logic                 stat_rx_good_o,
  output logic                 stat_rx_bad_o,      // bad FCS, runt, giant or PHY error
  output logic                 stat_rx_ovf_o,      // good frame dropped: RX FIFO full
  output logic                 stat_tx_frame_o,
  output logic                 stat_tx_drop_o      // TX frame larger than the TX FIFO
);

  if (!(DpBytes inside {2, 4, 8})) begin : gen_bad_dp
    $error("ebpf_net_mac_port %m: DpBytes must be 2, 4 or 8, not %0d", DpBytes);
  end
  if (RxFifoBytes < MaxFrameBytes || TxFifoBytes < MaxFrameBytes ||
      (RxFifoBytes & (RxFifoBytes - 1)) != 0 || (TxFifoBytes & (TxFifoBytes - 1)) != 0)
  begin : gen_bad_fifo
    $error("ebpf_net_mac_port %m: FIFO sizes must be powers of two >= MaxFrameBytes");
  end

  // ---- receive (gmii_rx_clk_i) -------------------------------------------------------------
  logic [7:0] rx_tdata;
  logic       rx_tvalid, rx_tlast, rx_tuser;
  logic       rx_good, rx_bad_fcs, rx_runt, rx_giant, rx_phy_err;

  ebpf_net_gmii_rx #(
    .MaxFrameBytes (MaxFrameBytes)
  ) u_rx (
    .clk_i           (gmii_rx_clk_i),
    .rst_ni          (gmii_rx_rst_ni),
    .gmii_rxd_i      (gmii_rxd_i),
    .gmii_rx_dv_i    (gmii_rx_dv_i),
    .gmii_rx_er_i    (gmii_rx_er_i),
    .m_axis_tdata_o  (rx_tdata),
    .m_axis_tvalid_o (rx_tvalid),
    .m_axis_tlast_o  (rx_tlast),
    .m_axis_tuser_o  (rx_tuser),
    .stat_good_o     (rx_good),
    .stat_bad_fcs_o  (rx_bad_fcs),
    .stat_runt_o     (rx_runt),
    .stat_giant_o    (rx_giant),
    .stat_phy_err_o  (rx_phy_err)
  );

  assign stat_rx_good_o = rx_good;
  assign stat_rx_bad_o  = rx_bad_fcs | rx_runt | rx_giant | rx_phy_err;

  logic [8*DpBytes-1:0] up_tdata;
  logic [DpBytes-1:0]   up_tkeep;
  logic                 up_tvalid, up_tready, up_tlast, up_tuser, unused_up_ready;
  logic                 unused_rx_drop_bad;

  ebpf_net_axis_upsize #(
    .Bytes (DpBytes)
  ) u_up (
    .clk_i           (gmii_rx_clk_i),
    .rst_ni          (gmii_rx_rst_ni),
    .s_axis_tdata_i  (rx_tdata),
    .s_axis_tvalid_i (rx_tvalid),
    .s_axis_tready_o (unused_up_ready),   // the drop-when-full FIFO never back-pressures
    .s_axis_tlast_i  (rx_tlast),
    .s_axis_tuser_i  (rx_tuser),
    .m_axis_tdata_o  (up_tdata),
    .m_axis_tkeep_o  (up_tkeep),
    .m_axis_tvalid_o (up_tvalid),
    .m_axis_tready_i (up_tready),
    .m_axis_tlast_o  (up_tlast),
    .m_axis_tuser_o  (up_tuser)
  );

  ebpf_prim_fifo_async #(
    .DataW        (8 * DpBytes),
    .Depth        (RxFifoBytes / DpBytes),
    .FrameMode    (1'b1),
    .DropWhenFull (1'b1)
  ) u_rx_fifo (
    .s_clk_i         (gmii_rx_clk_i),
    .s_rst_ni        (gmii_rx_rst_ni),
    .s_axis_tdata_i  (up_tdata),
    .s_axis_tkeep_i  (up_tkeep),
    .s_axis_tvalid_i (up_tvalid),
    .s_axis_tready_o (up_tready),
    .s_axis_tlast_i  (up_tlast),
    .s_axis_tuser_i  (up_tuser),
    .s_drop_bad_o    (unused_rx_drop_bad),   // counted by the MAC already
    .s_drop_full_o   (stat_rx_ovf_o),
    .m_clk_i         (clk_i),
    .m_rst_ni        (rst_ni),
    .m_axis_tdata_o  (m_axis_rx_tdata_o),
    .m_axis_tkeep_o  (m_axis_rx_tkeep_o),
    .m_axis_tvalid_o (m_axis_rx_tvalid_o),
    .m_axis_tready_i (m_axis_rx_tready_i),
    .m_axis_tlast_o  (m_axis_rx_tlast_o),
    .m_axis_tuser_o  (m_axis_rx_tuser_o)
  );

  // ---- transmit (clk_i -> gmii_tx_clk_i) ---------------------------------------------------
  logic [8*DpBytes-1:0] tw_tdata;
  logic [DpBytes-1:0]   tw_tkeep;
  logic                 tw_tvalid, tw_tready, tw_tlast, tw_tuser;
  logic                 unused_tx_drop_bad;

  ebpf_prim_fifo_async #(
    .DataW        (8 * DpBytes),
    .Depth        (TxFifoBytes / DpBytes),
    .FrameMode    (1'b1),
    .DropWhenFull (1'b0)
  ) u_tx_fifo (
    .s_clk_i         (clk_i),
    .s_rst_ni        (rst_ni),
    .s_axis_tdata_i  (s_axis_tx_tdata_i),
    .s_axis_tkeep_i  (s_axis_tx_tkeep_i),
    .s_axis_tvalid_i (s_axis_tx_tvalid_i),
    .s_axis_tready_o (s_axis_tx_tready_o),
    .s_axis_tlast_i  (s_axis_tx_tlast_i),
    .s_axis_tuser_i  (s_axis_tx_tuser_i),
    .s_drop_bad_o    (unused_tx_drop_bad),
    .s_drop_full_o   (stat_tx_drop_o),
    .m_clk_i         (gmii_tx_clk_i),
    .m_rst_ni        (gmii_tx_rst_ni),
    .m_axis_tdata_o  (tw_tdata),
    .m_axis_tkeep_o  (tw_tkeep),
    .m_axis_tvalid_o (tw_tvalid),
    .m_axis_tready_i (tw_tready),
    .m_axis_tlast_o  (tw_tlast),
    .m_axis_tuser_o  (tw_tuser)
  );

  logic [7:0] td_tdata, tx_tdata;
  logic       td_tvalid, td_tready, td_tlast, td_tuser;
  logic       tx_tvalid, tx_tready, tx_tlast, tx_tuser, unused_underrun;

  ebpf_net_axis_downsize #(
    .Bytes (DpBytes)
  ) u_down (
    .clk_i           (gmii_tx_clk_i),
    .rst_ni          (gmii_tx_rst_ni),
    .s_axis_tdata_i  (tw_tdata),
    .s_axis_tkeep_i  (tw_tkeep),
    .s_axis_tvalid_i (tw_tvalid),
    .s_axis_tready_o (tw_tready),
    .s_axis_tlast_i  (tw_tlast),
    .s_axis_tuser_i  (tw_tuser),
    .m_axis_tdata_o  (td_tdata),
    .m_axis_tvalid_o (td_tvalid),
    .m_axis_tready_i (td_tready),
    .m_axis_tlast_o  (td_tlast),
    .m_axis_tuser_o  (td_tuser)
  );

  // Register slice in front of the MAC (125 MHz timing: cuts the width converter's byte
  // select from the MAC's output logic).
  ebpf_net_axis_reg #(
    .DataW (8)
  ) u_tx_reg (
    .clk_i           (gmii_tx_clk_i),
    .rst_ni          (gmii_tx_rst_ni),
    .s_axis_tdata_i  (td_tdata),
    .s_axis_tvalid_i (td_tvalid),
    .s_axis_tready_o (td_tready),
    .s_axis_tlast_i  (td_tlast),
    .s_axis_tuser_i  (td_tuser),
    .m_axis_tdata_o  (tx_tdata),
    .m_axis_tvalid_o (tx_tvalid),
    .m_axis_tready_i (tx_tready),
    .m_axis_tlast_o  (tx_tlast),
    .m_axis_tuser_o  (tx_tuser)
  );

  ebpf_net_gmii_tx u_tx (
    .clk_i           (gmii_tx_clk_i),
    .rst_ni          (gmii_tx_rst_ni),
    .s_axis_tdata_i  (tx_tdata),
    .s_axis_tvalid_i (tx_tvalid),
    .s_axis_tready_o (tx_tready),
    .s_axis_tlast_i  (tx_tlast),
    .s_axis_tuser_i  (tx_tuser),
    .gmii_txd_o      (gmii_txd_o),
    .gmii_tx_en_o    (gmii_tx_en_o),
    .gmii_tx_er_o    (gmii_tx_er_o),
    .stat_frame_o    (stat_tx_frame_o),
    .stat_underrun_o (unused_underrun)     // cannot happen behind a frame-mode FIFO
  );

  logic unused_ok;
  assign unused_ok = ^{unused_up_ready, unused_rx_drop_bad, unused_tx_drop_bad, unused_underrun};

endmodule
