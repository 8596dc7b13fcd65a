/**
 * Network stack: GMII MAC, ARP, IPv4/UDP, Etherbone and clock-domain crossing
 *
 * Receive (GMII RX clock): ebpf_net_gmii_rx checks each frame and ebpf_net_rx_steer splits
 * the traffic: ARP for our IP and UDP to our IP and control port go to the control FIFO,
 * everything else to the data-plane FIFO (widened to DpBytes first). Both FIFOs are
 * asynchronous store-and-forward FIFOs that drop bad frames and, when full, whole frames
 * (counted), so the data plane never waits for control traffic and vice versa.
 *
 * Control (core clock clk_i): ARP replies; IPv4/UDP receive into the Etherbone endpoint,
 * which masters the CSR bus (through ebpf_net_regs, which serves the NET page itself) and
 * sends its replies through IPv4/UDP transmit to the requester's MAC, IP and port.
 *
 * Transmit (GMII TX clock): control replies and data-plane frames each cross in their own
 * store-and-forward FIFO and are sent a whole frame at a time, alternating when both wait.
 *
 * Data plane: m_axis_rx_* gives received frames without FCS (good ones only), s_axis_tx_*
 * takes frames to send (the MAC pads and adds the FCS); DpBytes bytes per beat, lane 0
 * first, tkeep on the last beat. Configuration inputs are quasi-static (set them before
 * traffic, or from constants). All three resets must be asserted together.
 */
module ebpf_net_stack
  import ebpf_net_pkg::*;
#(
  parameter int unsigned DpBytes         = 4,            // data-plane beat, bytes: 1,2,4,8
  parameter int unsigned MaxFrameBytes   = EthMaxFrame,  // largest frame, bytes with FCS
  parameter int unsigned RxDataFifoBytes = 4096,         // power of two >= 2 * max frame
  parameter int unsigned RxCtrlFifoBytes = 2048,         // power of two >= max frame
  parameter int unsigned TxDataFifoBytes = 4096,         // power of two >= max frame
  parameter int unsigned TxCtrlFifoBytes = 2048,         // power of two
  parameter int unsigned EbBufWords      = 512,          // Etherbone request buffer, words
  parameter int unsigned BusTimeout      = 255,          // CSR read timeout, core cycles
  parameter int unsigned CntW            = 32,           // counter width, bits
  parameter bit          EbWholeMap      = 1'b1          // Etherbone: whole CSR space (pkg)
) (
  // Core clock domain
  input  logic                 clk_i,
  input  logic                 rst_ni,

  // Configuration (quasi-static)
  input  logic [47:0]          local_mac_i,
  input  logic [31:0]          local_ip_i,
  input  logic [15:0]          ctrl_port_i,      // Etherbone UDP port (1234 for LiteX tools)

  // GMII receive (PHY clock)
  input  logic                 gmii_rx_clk_i,
  input  logic                 gmii_rx_rst_ni,
  input  logic [7:0]           gmii_rxd_i,
  input  logic                 gmii_rx_dv_i,
  input  logic                 gmii_rx_er_i,

  // GMII transmit (125 MHz transmit clock)
  input  logic                 gmii_tx_clk_i,
  input  logic                 gmii_tx_rst_ni,
  output logic [7:0]           gmii_txd_o,
  output logic                 gmii_tx_en_o,
  output logic                 gmii_tx_er_o,

  // CSR bus master -> to ebpf_top
  output logic                 csr_req_o,
  output logic                 csr_we_o,
  output logic [ebpf_csr_pkg::CsrAw-1:0] csr_addr_o,
  output logic [31:0]          csr_wdata_o,
  input  logic                 csr_rvalid_i,
  input  logic [31:0]          csr_rdata_i,

  // Data plane, received frames -> to the XDP datapath
  output logic [8*DpBytes-1:0] m_axis_rx_tdata_o,
  output logic [DpBytes-1:0]   m_axis_rx_tkeep_o,
  output logic                 m_axis_rx_tvalid_o,
  input  logic                 m_axis_rx_tready_i,
  output logic                 m_axis_rx_tlast_o,
  output logic                 m_axis_rx_tuser_o,

  // Data plane, frames to send <- from the XDP datapath
  input  logic [8*DpBytes-1:0] s_axis_tx_tdata_i,
  input  logic [DpBytes-1:0]   s_axis_tx_tkeep_i,
  input  logic                 s_axis_tx_tvalid_i,
  output logic                 s_axis_tx_tready_o,
  input  logic                 s_axis_tx_tlast_i,
  input  logic                 s_axis_tx_tuser_i  // on tlast: drop the frame
);

  if (DpBytes != 1 && DpBytes != 2 && DpBytes != 4 && DpBytes != 8) begin : gen_dp_check
    $error("ebpf_net_stack: DpBytes (%0d) must be 1, 2, 4 or 8 (instance %m)", DpBytes);
  end
  if (RxCtrlFifoBytes < MaxFrameBytes || RxDataFifoBytes < MaxFrameBytes ||
      TxDataFifoBytes < MaxFrameBytes) begin : gen_fifo_check
    $error("ebpf_net_stack: RX FIFOs and data TX FIFO must hold MaxFrameBytes (%0d) (instance %m)",
           MaxFrameBytes);
  end

  logic [NetNumRegs-1:0] ev_rx, ev_tx, ev_core;   // counter events, by net_reg_e index
  logic [NetNumRegs-1:0][CntW-1:0] cnt;

  ///////////////////////
  // Receive, RX clock //
  ///////////////////////

  logic [47:0] rx_mac;
  logic [31:0] rx_ip;
  logic [15:0] rx_port;

  ebpf_prim_sync_2ff #(
    .Width (96)
  ) u_rx_cfg_sync (
    .clk_i  (gmii_rx_clk_i),
    .rst_ni (gmii_rx_rst_ni),
    .d_i    ({local_mac_i, local_ip_i, ctrl_port_i}),
    .q_o    ({rx_mac, rx_ip, rx_port})
  );

  logic [7:0] mac_rx_tdata;
  logic       mac_rx_tvalid, mac_rx_tlast, mac_rx_tuser;

  ebpf_net_gmii_rx #(
    .MaxFrameBytes (MaxFrameBytes)
  ) u_mac_rx (
    .clk_i           (gmii_rx_clk_i),
    .rst_ni          (gmii_rx_rst_ni),
    .gmii_rxd_i      (gmii_rxd_i),
    .gmii_rx_dv_i    (gmii_rx_dv_i),
    .gmii_rx_er_i    (gmii_rx_er_i),
    .m_axis_tdata_o  (mac_rx_tdata),
    .m_axis_tvalid_o (mac_rx_tvalid),
    .m_axis_tlast_o  (mac_rx_tlast),
    .m_axis_tuser_o  (mac_rx_tuser),
    .stat_good_o     (ev_rx[NetRegRxGood]),
    .stat_bad_fcs_o  (ev_rx[NetRegRxBadFcs]),
    .stat_runt_o     (ev_rx[NetRegRxRunt]),
    .stat_giant_o    (ev_rx[NetRegRxGiant]),
    .stat_phy_err_o  (ev_rx[NetRegRxPhyErr])
  );

  logic [7:0] st_tdata;
  logic       st_tvalid, st_tlast, st_ctrl_tuser, st_data_tuser;

  ebpf_net_rx_steer u_steer (
    .clk_i           (gmii_rx_clk_i),
    .rst_ni          (gmii_rx_rst_ni),
    .local_mac_i     (rx_mac),
    .local_ip_i      (rx_ip),
    .ctrl_port_i     (rx_port),
    .s_axis_tdata_i  (mac_rx_tdata),
    .s_axis_tvalid_i (mac_rx_tvalid),
    .s_axis_tlast_i  (mac_rx_tlast),
    .s_axis_tuser_i  (mac_rx_tuser),
    .m_axis_tdata_o  (st_tdata),
    .m_axis_tvalid_o (st_tvalid),
    .m_axis_tlast_o  (st_tlast),
    .m_ctrl_tuser_o  (st_ctrl_tuser),
    .m_data_tuser_o  (st_data_tuser),
    .stat_ctrl_o     (ev_rx[NetRegRxCtrl]),
    .stat_data_o     (ev_rx[NetRegRxData])
  );

  // Control copy -> core clock.
  logic [7:0] crx_tdata;
  logic       crx_tvalid, crx_tready, crx_tlast, crx_tuser;
  logic       crx_s_ready, crx_drop_bad;
  logic [0:0] crx_keep;

  ebpf_prim_fifo_async #(
    .DataW        (8),
    .Depth        (RxCtrlFifoBytes),
    .FrameMode    (1'b1),
    .DropWhenFull (1'b1)
  ) u_rx_ctrl_fifo (
    .s_clk_i         (gmii_rx_clk_i),
    .s_rst_ni        (gmii_rx_rst_ni),
    .s_axis_tdata_i  (st_tdata),
    .s_axis_tkeep_i  (1'b1),
    .s_axis_tvalid_i (st_tvalid),
    .s_axis_tready_o (crx_s_ready),
    .s_axis_tlast_i  (st_tlast),
    .s_axis_tuser_i  (st_ctrl_tuser),
    .s_drop_bad_o    (crx_drop_bad),
    .s_drop_full_o   (ev_rx[NetRegRxCtrlOvf]),
    .m_clk_i         (clk_i),
    .m_rst_ni        (rst_ni),
    .m_axis_tdata_o  (crx_tdata),
    .m_axis_tkeep_o  (crx_keep),
    .m_axis_tvalid_o (crx_tvalid),
    .m_axis_tready_i (crx_tready),
    .m_axis_tlast_o  (crx_tlast),
    .m_axis_tuser_o  (crx_tuser)
  );

  // Data-plane copy, widened -> core clock.
  logic [8*DpBytes-1:0] drx_tdata;
  logic [DpBytes-1:0]   drx_tkeep;
  logic                 drx_tvalid, drx_tlast, drx_tuser;
  logic                 drx_s_ready, drx_drop_bad;

  if (DpBytes > 1) begin : gen_rx_up
    logic unused_up_ready;
    ebpf_net_axis_upsize #(
      .Bytes (DpBytes)
    ) u_rx_up (
      .clk_i           (gmii_rx_clk_i),
      .rst_ni          (gmii_rx_rst_ni),
      .s_axis_tdata_i  (st_tdata),
      .s_axis_tvalid_i (st_tvalid),
      .s_axis_tready_o (unused_up_ready),   // always ready: the FIFO never back-pressures
      .s_axis_tlast_i  (st_tlast),
      .s_axis_tuser_i  (st_data_tuser),
      .m_axis_tdata_o  (drx_tdata),
      .m_axis_tkeep_o  (drx_tkeep),
      .m_axis_tvalid_o (drx_tvalid),
      .m_axis_tready_i (drx_s_ready),
      .m_axis_tlast_o  (drx_tlast),
      .m_axis_tuser_o  (drx_tuser)
    );
  end else begin : gen_rx_narrow
    assign drx_tdata  = st_tdata;
    assign drx_tkeep  = 1'b1;
    assign drx_tvalid = st_tvalid;
    assign drx_tlast  = st_tlast;
    assign drx_tuser  = st_data_tuser;
  end

  ebpf_prim_fifo_async #(
    .DataW        (8 * DpBytes),
    .Depth        (RxDataFifoBytes / DpBytes),
    .FrameMode    (1'b1),
    .DropWhenFull (1'b1)
  ) u_rx_data_fifo (
    .s_clk_i         (gmii_rx_clk_i),
    .s_rst_ni        (gmii_rx_rst_ni),
    .s_axis_tdata_i  (drx_tdata),
    .s_axis_tkeep_i  (drx_tkeep),
    .s_axis_tvalid_i (drx_tvalid),
    .s_axis_tready_o (drx_s_ready),
    .s_axis_tlast_i  (drx_tlast),
    .s_axis_tuser_i  (drx_tuser),
    .s_drop_bad_o    (drx_drop_bad),
    .s_drop_full_o   (ev_rx[NetRegRxDataOvf]),
    .m_clk_i         (clk_i),
    .m_rst_ni        (rst_ni),
    .m_axis_tdata_o  (m_axis_rx_tdata_o),
    .m_axis_tkeep_o  (m_axis_rx_tkeep_o),
    .m_axis_tvalid_o (m_axis_rx_tvalid_o),
    .m_axis_tready_i (m_axis_rx_tready_i),
    .m_axis_tlast_o  (m_axis_rx_tlast_o),
    .m_axis_tuser_o  (m_axis_rx_tuser_o)
  );

  ////////////////////////////
  // Control, core clock    //
  ////////////////////////////

  // The control stream goes to ARP (always ready) and to IPv4/UDP together.
  logic udp_rx_ready, arp_ready;
  assign crx_tready = udp_rx_ready;

  logic [7:0] arp_tx_tdata;
  logic       arp_tx_tvalid, arp_tx_tready, arp_tx_tlast, arp_tx_tuser;

  ebpf_net_arp u_arp (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .local_mac_i     (local_mac_i),
    .local_ip_i      (local_ip_i),
    .s_axis_tdata_i  (crx_tdata),
    .s_axis_tvalid_i (crx_tvalid && udp_rx_ready),
    .s_axis_tready_o (arp_ready),
    .s_axis_tlast_i  (crx_tlast),
    .s_axis_tuser_i  (crx_tuser),
    .m_axis_tdata_o  (arp_tx_tdata),
    .m_axis_tvalid_o (arp_tx_tvalid),
    .m_axis_tready_i (arp_tx_tready),
    .m_axis_tlast_o  (arp_tx_tlast),
    .m_axis_tuser_o  (arp_tx_tuser),
    .stat_reply_o    (ev_core[NetRegArpReplies]),
    .stat_drop_o     (ev_core[NetRegArpDropped])
  );

  logic [7:0]  pl_tdata;
  logic        pl_tvalid, pl_tready, pl_tlast, pl_tuser;
  logic [47:0] pl_src_mac;
  logic [31:0] pl_src_ip;
  logic [15:0] pl_src_port, pl_len;

  ebpf_net_ipv4_udp_rx u_udp_rx (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .local_mac_i     (local_mac_i),
    .local_ip_i      (local_ip_i),
    .local_port_i    (ctrl_port_i),
    .s_axis_tdata_i  (crx_tdata),
    .s_axis_tvalid_i (crx_tvalid),
    .s_axis_tready_o (udp_rx_ready),
    .s_axis_tlast_i  (crx_tlast),
    .s_axis_tuser_i  (crx_tuser),
    .m_axis_tdata_o  (pl_tdata),
    .m_axis_tvalid_o (pl_tvalid),
    .m_axis_tready_i (pl_tready),
    .m_axis_tlast_o  (pl_tlast),
    .m_axis_tuser_o  (pl_tuser),
    .m_src_mac_o     (pl_src_mac),
    .m_src_ip_o      (pl_src_ip),
    .m_src_port_o    (pl_src_port),
    .m_len_o         (pl_len),
    .stat_good_o     (ev_core[NetRegIpUdpGood]),
    .stat_bad_csum_o (ev_core[NetRegIpBadCsum]),
    .stat_bad_hdr_o  (ev_core[NetRegIpBadHdr]),
    .stat_fragment_o (ev_core[NetRegIpFragment]),
    .stat_udp_bad_o  (ev_core[NetRegUdpBad])
  );

  logic        rp_hdr_valid, rp_hdr_ready;
  logic [47:0] rp_dst_mac;
  logic [31:0] rp_dst_ip;
  logic [15:0] rp_dst_port, rp_len;
  logic [7:0]  rp_tdata;
  logic        rp_tvalid, rp_tready, rp_tlast;

  logic        eb_req, eb_we, eb_rvalid;
  logic [ebpf_csr_pkg::CsrAw-1:0] eb_addr;
  logic [31:0] eb_wdata, eb_rdata;

  ebpf_net_etherbone #(
    .BufWords   (EbBufWords),
    .BusTimeout (BusTimeout),
    .WholeMap   (EbWholeMap)
  ) u_etherbone (
    .clk_i              (clk_i),
    .rst_ni             (rst_ni),
    .s_axis_tdata_i     (pl_tdata),
    .s_axis_tvalid_i    (pl_tvalid),
    .s_axis_tready_o    (pl_tready),
    .s_axis_tlast_i     (pl_tlast),
    .s_axis_tuser_i     (pl_tuser),
    .s_src_mac_i        (pl_src_mac),
    .s_src_ip_i         (pl_src_ip),
    .s_src_port_i       (pl_src_port),
    .m_hdr_valid_o      (rp_hdr_valid),
    .m_hdr_ready_i      (rp_hdr_ready),
    .m_dst_mac_o        (rp_dst_mac),
    .m_dst_ip_o         (rp_dst_ip),
    .m_dst_port_o       (rp_dst_port),
    .m_len_o            (rp_len),
    .m_axis_tdata_o     (rp_tdata),
    .m_axis_tvalid_o    (rp_tvalid),
    .m_axis_tready_i    (rp_tready),
    .m_axis_tlast_o     (rp_tlast),
    .csr_req_o          (eb_req),
    .csr_we_o           (eb_we),
    .csr_addr_o         (eb_addr),
    .csr_wdata_o        (eb_wdata),
    .csr_rvalid_i       (eb_rvalid),
    .csr_rdata_i        (eb_rdata),
    .stat_packet_o      (ev_core[NetRegEbPackets]),
    .stat_probe_o       (ev_core[NetRegEbProbes]),
    .stat_bad_magic_o   (ev_core[NetRegEbBadMagic]),
    .stat_bad_version_o (ev_core[NetRegEbBadVersion]),
    .stat_bad_size_o    (ev_core[NetRegEbBadSize]),
    .stat_bad_len_o     (ev_core[NetRegEbBadLen]),
    .stat_bad_addr_o    (ev_core[NetRegEbBadAddr]),
    .stat_ignored_o     (ev_core[NetRegEbIgnored]),
    .stat_write_o       (ev_core[NetRegEbWrites]),
    .stat_read_o        (ev_core[NetRegEbReads]),
    .stat_timeout_o     (ev_core[NetRegEbTimeouts])
  );

  ebpf_net_regs #(
    .CntW (CntW)
  ) u_regs (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .local_mac_i    (local_mac_i),
    .local_ip_i     (local_ip_i),
    .ctrl_port_i    (ctrl_port_i),
    .cnt_i          (cnt),
    .s_csr_req_i    (eb_req),
    .s_csr_we_i     (eb_we),
    .s_csr_addr_i   (eb_addr),
    .s_csr_wdata_i  (eb_wdata),
    .s_csr_rvalid_o (eb_rvalid),
    .s_csr_rdata_o  (eb_rdata),
    .m_csr_req_o    (csr_req_o),
    .m_csr_we_o     (csr_we_o),
    .m_csr_addr_o   (csr_addr_o),
    .m_csr_wdata_o  (csr_wdata_o),
    .m_csr_rvalid_i (csr_rvalid_i),
    .m_csr_rdata_i  (csr_rdata_i)
  );

  logic [7:0] utx_tdata;
  logic       utx_tvalid, utx_tready, utx_tlast, utx_tuser, utx_frame;

  ebpf_net_ipv4_udp_tx u_udp_tx (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .local_mac_i     (local_mac_i),
    .local_ip_i      (local_ip_i),
    .local_port_i    (ctrl_port_i),
    .s_hdr_valid_i   (rp_hdr_valid),
    .s_hdr_ready_o   (rp_hdr_ready),
    .s_dst_mac_i     (rp_dst_mac),
    .s_dst_ip_i      (rp_dst_ip),
    .s_dst_port_i    (rp_dst_port),
    .s_len_i         (rp_len),
    .s_axis_tdata_i  (rp_tdata),
    .s_axis_tvalid_i (rp_tvalid),
    .s_axis_tready_o (rp_tready),
    .s_axis_tlast_i  (rp_tlast),
    .m_axis_tdata_o  (utx_tdata),
    .m_axis_tvalid_o (utx_tvalid),
    .m_axis_tready_i (utx_tready),
    .m_axis_tlast_o  (utx_tlast),
    .m_axis_tuser_o  (utx_tuser),
    .stat_frame_o    (utx_frame)
  );

  logic [7:0] ctx_tdata;
  logic       ctx_tvalid, ctx_tready, ctx_tlast, ctx_tuser;

  ebpf_net_axis_arb u_ctrl_arb (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .s0_axis_tdata_i  (arp_tx_tdata),
    .s0_axis_tvalid_i (arp_tx_tvalid),
    .s0_axis_tready_o (arp_tx_tready),
    .s0_axis_tlast_i  (arp_tx_tlast),
    .s0_axis_tuser_i  (arp_tx_tuser),
    .s1_axis_tdata_i  (utx_tdata),
    .s1_axis_tvalid_i (utx_tvalid),
    .s1_axis_tready_o (utx_tready),
    .s1_axis_tlast_i  (utx_tlast),
    .s1_axis_tuser_i  (utx_tuser),
    .m_axis_tdata_o   (ctx_tdata),
    .m_axis_tvalid_o  (ctx_tvalid),
    .m_axis_tready_i  (ctx_tready),
    .m_axis_tlast_o   (ctx_tlast),
    .m_axis_tuser_o   (ctx_tuser)
  );

  ////////////////////////
  // Transmit, TX clock //
  ////////////////////////

  logic [7:0] tc_tdata;
  logic       tc_tvalid, tc_tready, tc_tlast, tc_tuser;
  logic       tc_drop_bad, tc_drop_full;
  logic [0:0] tc_keep;

  ebpf_prim_fifo_async #(
    .DataW        (8),
    .Depth        (TxCtrlFifoBytes),
    .FrameMode    (1'b1),
    .DropWhenFull (1'b0)
  ) u_tx_ctrl_fifo (
    .s_clk_i         (clk_i),
    .s_rst_ni        (rst_ni),
    .s_axis_tdata_i  (ctx_tdata),
    .s_axis_tkeep_i  (1'b1),
    .s_axis_tvalid_i (ctx_tvalid),
    .s_axis_tready_o (ctx_tready),
    .s_axis_tlast_i  (ctx_tlast),
    .s_axis_tuser_i  (ctx_tuser),
    .s_drop_bad_o    (tc_drop_bad),
    .s_drop_full_o   (tc_drop_full),
    .m_clk_i         (gmii_tx_clk_i),
    .m_rst_ni        (gmii_tx_rst_ni),
    .m_axis_tdata_o  (tc_tdata),
    .m_axis_tkeep_o  (tc_keep),
    .m_axis_tvalid_o (tc_tvalid),
    .m_axis_tready_i (tc_tready),
    .m_axis_tlast_o  (tc_tlast),
    .m_axis_tuser_o  (tc_tuser)
  );

  logic [8*DpBytes-1:0] td_wtdata;
  logic [DpBytes-1:0]   td_wtkeep;
  logic                 td_wtvalid, td_wtready, td_wtlast, td_wtuser;
  logic                 td_drop_bad;

  ebpf_prim_fifo_async #(
    .DataW        (8 * DpBytes),
    .Depth        (TxDataFifoBytes / DpBytes),
    .FrameMode    (1'b1),
    .DropWhenFull (1'b0)
  ) u_tx_data_fifo (
    .s_clk_i         (clk_i),
    .s_rst_ni        (rst_ni),
    .s_axis_tdata_i  (s_axis_tx_tdata_i),
    .s_axis_tkeep_i  (s_axis_tx_tkeep_i),
    .s_axis_tvalid_i (s_axis_tx_tvalid_i),
    .s_axis_tready_o (s_axis_tx_tready_o),
    .s_axis_tlast_i  (s_axis_tx_tlast_i),
    .s_axis_tuser_i  (s_axis_tx_tuser_i),
    .s_drop_bad_o    (td_drop_bad),
    .s_drop_full_o   (ev_core[NetRegTxDataDrop]),
    .m_clk_i         (gmii_tx_clk_i),
    .m_rst_ni        (gmii_tx_rst_ni),
    .m_axis_tdata_o  (td_wtdata),
    .m_axis_tkeep_o  (td_wtkeep),
    .m_axis_tvalid_o (td_wtvalid),
    .m_axis_tready_i (td_wtready),
    .m_axis_tlast_o  (td_wtlast),
    .m_axis_tuser_o  (td_wtuser)
  );

  logic [7:0] td_tdata;
  logic       td_tvalid, td_tready, td_tlast, td_tuser;

  if (DpBytes > 1) begin : gen_tx_down
    ebpf_net_axis_downsize #(
      .Bytes (DpBytes)
    ) u_tx_down (
      .clk_i           (gmii_tx_clk_i),
      .rst_ni          (gmii_tx_rst_ni),
      .s_axis_tdata_i  (td_wtdata),
      .s_axis_tkeep_i  (td_wtkeep),
      .s_axis_tvalid_i (td_wtvalid),
      .s_axis_tready_o (td_wtready),
      .s_axis_tlast_i  (td_wtlast),
      .s_axis_tuser_i  (td_wtuser),
      .m_axis_tdata_o  (td_tdata),
      .m_axis_tvalid_o (td_tvalid),
      .m_axis_tready_i (td_tready),
      .m_axis_tlast_o  (td_tlast),
      .m_axis_tuser_o  (td_tuser)
    );
  end else begin : gen_tx_narrow
    logic unused_keep;
    assign unused_keep = td_wtkeep[0];
    assign td_tdata    = td_wtdata;
    assign td_tvalid   = td_wtvalid;
    assign td_wtready  = td_tready;
    assign td_tlast    = td_wtlast;
    assign td_tuser    = td_wtuser;
  end

  logic [7:0] mtx_tdata;
  logic       mtx_tvalid, mtx_tready, mtx_tlast, mtx_tuser;

  ebpf_net_axis_arb u_tx_arb (
    .clk_i            (gmii_tx_clk_i),
    .rst_ni           (gmii_tx_rst_ni),
    .s0_axis_tdata_i  (tc_tdata),
    .s0_axis_tvalid_i (tc_tvalid),
    .s0_axis_tready_o (tc_tready),
    .s0_axis_tlast_i  (tc_tlast),
    .s0_axis_tuser_i  (tc_tuser),
    .s1_axis_tdata_i  (td_tdata),
    .s1_axis_tvalid_i (td_tvalid),
    .s1_axis_tready_o (td_tready),
    .s1_axis_tlast_i  (td_tlast),
    .s1_axis_tuser_i  (td_tuser),
    .m_axis_tdata_o   (mtx_tdata),
    .m_axis_tvalid_o  (mtx_tvalid),
    .m_axis_tready_i  (mtx_tready),
    .m_axis_tlast_o   (mtx_tlast),
    .m_axis_tuser_o   (mtx_tuser)
  );

  // Register slice in front of the MAC (125 MHz timing: cuts the arbiter and the width
  // converter's byte select from the MAC's output logic).
  logic [7:0] mac_tdata;
  logic       mac_tvalid, mac_tready, mac_tlast, mac_tuser;

  ebpf_net_axis_reg #(
    .DataW (8)
  ) u_tx_reg (
    .clk_i           (gmii_tx_clk_i),
    .rst_ni          (gmii_tx_rst_ni),
    .s_axis_tdata_i  (mtx_tdata),
    .s_axis_tvalid_i (mtx_tvalid),
    .s_axis_tready_o (mtx_tready),
    .s_axis_tlast_i  (mtx_tlast),
    .s_axis_tuser_i  (mtx_tuser),
    .m_axis_tdata_o  (mac_tdata),
    .m_axis_tvalid_o (mac_tvalid),
    .m_axis_tready_i (mac_tready),
    .m_axis_tlast_o  (mac_tlast),
    .m_axis_tuser_o  (mac_tuser)
  );

  ebpf_net_gmii_tx u_mac_tx (
    .clk_i           (gmii_tx_clk_i),
    .rst_ni          (gmii_tx_rst_ni),
    .s_axis_tdata_i  (mac_tdata),
    .s_axis_tvalid_i (mac_tvalid),
    .s_axis_tready_o (mac_tready),
    .s_axis_tlast_i  (mac_tlast),
    .s_axis_tuser_i  (mac_tuser),
    .gmii_txd_o      (gmii_txd_o),
    .gmii_tx_en_o    (gmii_tx_en_o),
    .gmii_tx_er_o    (gmii_tx_er_o),
    .stat_frame_o    (ev_tx[NetRegTxFrames]),
    .stat_underrun_o (ev_tx[NetRegTxUnderrun])
  );

  //////////////
  // Counters //
  //////////////

  // Events not driven above stay 0 (each index has one source domain).
  assign ev_rx[7:0]                  = '0;
  assign ev_rx[NetNumRegs-1:NetRegRxDataOvf+1] = '0;
  assign ev_tx[NetRegTxFrames-1:0]   = '0;
  assign ev_tx[NetNumRegs-1:NetRegTxUnderrun+1] = '0;
  assign ev_core[NetRegTxDataDrop-1:0] = '0;

  for (genvar i = 0; i < NetNumRegs; i++) begin : gen_cnt
    if (i >= NetRegRxGood && i <= NetRegRxDataOvf) begin : gen_rx
      ebpf_prim_cdc_count #(
        .Width (CntW)
      ) u_cnt (
        .src_clk_i  (gmii_rx_clk_i),
        .src_rst_ni (gmii_rx_rst_ni),
        .inc_i      (ev_rx[i]),
        .dst_clk_i  (clk_i),
        .dst_rst_ni (rst_ni),
        .count_o    (cnt[i])
      );
    end else if (i == NetRegTxFrames || i == NetRegTxUnderrun) begin : gen_tx
      ebpf_prim_cdc_count #(
        .Width (CntW)
      ) u_cnt (
        .src_clk_i  (gmii_tx_clk_i),
        .src_rst_ni (gmii_tx_rst_ni),
        .inc_i      (ev_tx[i]),
        .dst_clk_i  (clk_i),
        .dst_rst_ni (rst_ni),
        .count_o    (cnt[i])
      );
    end else if (i >= NetRegTxDataDrop) begin : gen_core
      logic [CntW-1:0] cnt_q;
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          cnt_q <= '0;
        end else if (ev_core[i]) begin
          cnt_q <= cnt_q + 1'b1;
        end
      end
      assign cnt[i] = cnt_q;
    end else begin : gen_none
      assign cnt[i] = '0;
    end
  end

  // Drop pulses already counted elsewhere (MAC verdicts, steering, UDP layer) or never
  // expected (the control path builds its own frames).
  logic unused_stack;
  assign unused_stack = ^{crx_s_ready, crx_drop_bad, drx_s_ready, crx_keep, drx_drop_bad, arp_ready,
                          utx_frame, tc_drop_bad, tc_drop_full, td_drop_bad,
                          pl_len, tc_keep, ev_rx, ev_tx, ev_core[NetRegTxDataDrop-1:0]};

endmodule
