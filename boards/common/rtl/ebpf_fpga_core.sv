/**
 * Board-independent core: the network stack, the soft-CPU and the data path between ports
 *
 * Every board top instantiates this module, so that a change of the datapath (ebpf_xdp_top
 * when it lands) is made here once for every board.
 *
 * Port 0 (GMII; boards with RGMII put ebpf_net_rgmii_phy_if in front) carries the control
 * traffic (ARP, Etherbone over UDP), which reaches ebpf_top's CSR bus through
 * ebpf_net_stack in the core clock. Every other frame is data plane:
 *
 * - Ports = 1: the data plane of port 0 is brought out as AXI-Stream (m_axis_rx_*,
 *   s_axis_tx_*); a board top either connects it or drains it (m_axis_rx_tready_i = 1).
 *   The simulated board (ebpf-fpga-sim serve, issue 7 item 3) runs this form.
 * - Ports = 2: a second, data-only port (ebpf_net_mac_port, p1_gmii_*) and the bump in the
 *   wire: frames received on one port leave on the other. Today this is plain forwarding
 *   (as if every frame got XDP_PASS): the soft-CPU is not yet in the packet path, because
 *   ebpf_top has no packet port yet (docs/xdp_datapath.md). The AXI-Stream ports are unused
 *   (m_axis_rx_tvalid_o = 0, s_axis_tx_tready_o = 0). Port 1 shares port 0's TX clock.
 */
module ebpf_fpga_core
  import ebpf_net_pkg::*;
#(
  parameter int unsigned ImemSlots  = 4096,             // ebpf_top instruction slots (2^n)
  parameter int unsigned NsPerCycle = 10,               // core clock period in ns
  parameter int unsigned DpBytes    = 4,                // data-plane beat, bytes
  parameter int unsigned Ports      = 1,                // Ethernet ports: 1 or 2
  parameter logic [47:0] LocalMac   = 48'h02_65_62_70_66_00,   // locally administered
  parameter logic [31:0] LocalIp    = 32'hc0a8_0132,    // 192.168.1.50
  parameter logic [15:0] CtrlPort   = EbDefaultPort     // 1234, as LiteX's tools
) (
  input  logic                 clk_i,              // core clock
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

  // Port 1 (Ports = 2; its TX runs on gmii_tx_clk_i / gmii_tx_rst_ni)
  input  logic                 p1_gmii_rx_clk_i,
  input  logic                 p1_gmii_rx_rst_ni,
  input  logic [7:0]           p1_gmii_rxd_i,
  input  logic                 p1_gmii_rx_dv_i,
  input  logic                 p1_gmii_rx_er_i,
  output logic [7:0]           p1_gmii_txd_o,
  output logic                 p1_gmii_tx_en_o,
  output logic                 p1_gmii_tx_er_o,

  // Data plane of port 0 (core clock; Ports = 1)
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

  // Status of the soft-CPU (LEDs, interrupts)
  output logic                 busy_o,
  output logic                 done_o
);

  if (!(Ports inside {1, 2})) begin : gen_bad_ports
    $error("ebpf_fpga_core %m: Ports must be 1 or 2, not %0d", Ports);
  end

  // Port 0's data plane inside this module
  logic [8*DpBytes-1:0] p0_rx_tdata, p0_tx_tdata;
  logic [DpBytes-1:0]   p0_rx_tkeep, p0_tx_tkeep;
  logic                 p0_rx_tvalid, p0_rx_tready, p0_rx_tlast, p0_rx_tuser;
  logic                 p0_tx_tvalid, p0_tx_tready, p0_tx_tlast, p0_tx_tuser;

  logic        csr_req, csr_we, csr_rvalid;
  logic [ebpf_csr_pkg::CsrAw-1:0] csr_addr;
  logic [31:0] csr_wdata, csr_rdata;

  ebpf_net_stack #(
    .DpBytes (DpBytes)
  ) u_net (
    .clk_i              (clk_i),
    .rst_ni             (rst_ni),
    .local_mac_i        (LocalMac),
    .local_ip_i         (LocalIp),
    .ctrl_port_i        (CtrlPort),
    .gmii_rx_clk_i      (gmii_rx_clk_i),
    .gmii_rx_rst_ni     (gmii_rx_rst_ni),
    .gmii_rxd_i         (gmii_rxd_i),
    .gmii_rx_dv_i       (gmii_rx_dv_i),
    .gmii_rx_er_i       (gmii_rx_er_i),
    .gmii_tx_clk_i      (gmii_tx_clk_i),
    .gmii_tx_rst_ni     (gmii_tx_rst_ni),
    .gmii_txd_o         (gmii_txd_o),
    .gmii_tx_en_o       (gmii_tx_en_o),
    .gmii_tx_er_o       (gmii_tx_er_o),
    .csr_req_o          (csr_req),
    .csr_we_o           (csr_we),
    .csr_addr_o         (csr_addr),
    .csr_wdata_o        (csr_wdata),
    .csr_rvalid_i       (csr_rvalid),
    .csr_rdata_i        (csr_rdata),
    .m_axis_rx_tdata_o  (p0_rx_tdata),
    .m_axis_rx_tkeep_o  (p0_rx_tkeep),
    .m_axis_rx_tvalid_o (p0_rx_tvalid),
    .m_axis_rx_tready_i (p0_rx_tready),
    .m_axis_rx_tlast_o  (p0_rx_tlast),
    .m_axis_rx_tuser_o  (p0_rx_tuser),
    .s_axis_tx_tdata_i  (p0_tx_tdata),
    .s_axis_tx_tkeep_i  (p0_tx_tkeep),
    .s_axis_tx_tvalid_i (p0_tx_tvalid),
    .s_axis_tx_tready_o (p0_tx_tready),
    .s_axis_tx_tlast_i  (p0_tx_tlast),
    .s_axis_tx_tuser_i  (p0_tx_tuser)
  );

  // ---- data path ----------------------------------------------------------------------------
  if (Ports == 1) begin : gen_one_port
    assign m_axis_rx_tdata_o  = p0_rx_tdata;
    assign m_axis_rx_tkeep_o  = p0_rx_tkeep;
    assign m_axis_rx_tvalid_o = p0_rx_tvalid;
    assign p0_rx_tready       = m_axis_rx_tready_i;
    assign m_axis_rx_tlast_o  = p0_rx_tlast;
    assign m_axis_rx_tuser_o  = p0_rx_tuser;
    assign p0_tx_tdata        = s_axis_tx_tdata_i;
    assign p0_tx_tkeep        = s_axis_tx_tkeep_i;
    assign p0_tx_tvalid       = s_axis_tx_tvalid_i;
    assign s_axis_tx_tready_o = p0_tx_tready;
    assign p0_tx_tlast        = s_axis_tx_tlast_i;
    assign p0_tx_tuser        = s_axis_tx_tuser_i;

    assign p1_gmii_txd_o   = '0;
    assign p1_gmii_tx_en_o = 1'b0;
    assign p1_gmii_tx_er_o = 1'b0;
    logic unused_p1;
    assign unused_p1 = ^{p1_gmii_rx_clk_i, p1_gmii_rx_rst_ni, p1_gmii_rxd_i, p1_gmii_rx_dv_i,
                         p1_gmii_rx_er_i};
  end else begin : gen_two_ports
    logic [8*DpBytes-1:0] p1_rx_tdata;
    logic [DpBytes-1:0]   p1_rx_tkeep;
    logic                 p1_rx_tvalid, p1_rx_tready, p1_rx_tlast, p1_rx_tuser;
    logic                 p1_tx_tready;
    logic                 unused_stat_rx_good, unused_stat_rx_bad, unused_stat_rx_ovf;
    logic                 unused_stat_tx_frame, unused_stat_tx_drop;

    ebpf_net_mac_port #(
      .DpBytes (DpBytes)
    ) u_p1 (
      .clk_i              (clk_i),
      .rst_ni             (rst_ni),
      .gmii_rx_clk_i      (p1_gmii_rx_clk_i),
      .gmii_rx_rst_ni     (p1_gmii_rx_rst_ni),
      .gmii_rxd_i         (p1_gmii_rxd_i),
      .gmii_rx_dv_i       (p1_gmii_rx_dv_i),
      .gmii_rx_er_i       (p1_gmii_rx_er_i),
      .gmii_tx_clk_i      (gmii_tx_clk_i),
      .gmii_tx_rst_ni     (gmii_tx_rst_ni),
      .gmii_txd_o         (p1_gmii_txd_o),
      .gmii_tx_en_o       (p1_gmii_tx_en_o),
      .gmii_tx_er_o       (p1_gmii_tx_er_o),
      .m_axis_rx_tdata_o  (p1_rx_tdata),
      .m_axis_rx_tkeep_o  (p1_rx_tkeep),
      .m_axis_rx_tvalid_o (p1_rx_tvalid),
      .m_axis_rx_tready_i (p1_rx_tready),
      .m_axis_rx_tlast_o  (p1_rx_tlast),
      .m_axis_rx_tuser_o  (p1_rx_tuser),
      // port 0 -> port 1
      .s_axis_tx_tdata_i  (p0_rx_tdata),
      .s_axis_tx_tkeep_i  (p0_rx_tkeep),
      .s_axis_tx_tvalid_i (p0_rx_tvalid),
      .s_axis_tx_tready_o (p1_tx_tready),
      .s_axis_tx_tlast_i  (p0_rx_tlast),
      .s_axis_tx_tuser_i  (p0_rx_tuser),
      .stat_rx_good_o     (unused_stat_rx_good),
      .stat_rx_bad_o      (unused_stat_rx_bad),
      .stat_rx_ovf_o      (unused_stat_rx_ovf),
      .stat_tx_frame_o    (unused_stat_tx_frame),
      .stat_tx_drop_o     (unused_stat_tx_drop)
    );
    assign p0_rx_tready = p1_tx_tready;

    // port 1 -> port 0
    assign p0_tx_tdata  = p1_rx_tdata;
    assign p0_tx_tkeep  = p1_rx_tkeep;
    assign p0_tx_tvalid = p1_rx_tvalid;
    assign p1_rx_tready = p0_tx_tready;
    assign p0_tx_tlast  = p1_rx_tlast;
    assign p0_tx_tuser  = p1_rx_tuser;

    assign m_axis_rx_tdata_o  = '0;
    assign m_axis_rx_tkeep_o  = '0;
    assign m_axis_rx_tvalid_o = 1'b0;
    assign m_axis_rx_tlast_o  = 1'b0;
    assign m_axis_rx_tuser_o  = 1'b0;
    assign s_axis_tx_tready_o = 1'b0;
    logic unused_axis;
    assign unused_axis = ^{m_axis_rx_tready_i, s_axis_tx_tdata_i, s_axis_tx_tkeep_i,
                           s_axis_tx_tvalid_i, s_axis_tx_tlast_i, s_axis_tx_tuser_i,
                           unused_stat_rx_good, unused_stat_rx_bad, unused_stat_rx_ovf,
                           unused_stat_tx_frame, unused_stat_tx_drop};
  end

  logic [63:0] unused_pkt_rdata;
  logic        unused_pkt;
  assign unused_pkt = ^unused_pkt_rdata;

  ebpf_top #(
    .ImemSlots  (ImemSlots),
    .NsPerCycle (NsPerCycle)
  ) u_top (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .csr_req_i    (csr_req),
    .csr_we_i     (csr_we),
    .csr_addr_i   (csr_addr),
    .csr_wdata_i  (csr_wdata),
    .csr_rvalid_o (csr_rvalid),
    .csr_rdata_o  (csr_rdata),
    // The packet port is for ebpf_xdp_top (packet I/O), which is not in this datapath yet.
    .pkt_port_req_i   (1'b0),
    .pkt_port_we_i    (1'b0),
    .pkt_port_addr_i  ('0),
    .pkt_port_wdata_i ('0),
    .pkt_port_wmask_i ('0),
    .pkt_port_rdata_o (unused_pkt_rdata),
    .busy_o       (busy_o),
    .done_o       (done_o)
  );

endmodule
