/**
 * Board-independent core: the network stack and the soft-CPU
 *
 * One Ethernet port (GMII; boards with RGMII put ebpf_net_rgmii_phy_if in front) whose
 * control traffic (ARP, Etherbone over UDP) reaches ebpf_top's CSR bus through
 * ebpf_net_stack, in the core clock. The data plane (every other frame) is brought out as
 * AXI-Stream until ebpf_top has packet ports: a board top either connects it or drains it
 * (m_axis_rx_tready_i = 1). The simulated board (ebpf-fpga-sim serve, issue 7 item 3) is
 * meant to run this module at its GMII pins.
 */
module ebpf_fpga_core
  import ebpf_net_pkg::*;
#(
  parameter int unsigned ImemSlots  = 4096,             // ebpf_top instruction slots (2^n)
  parameter int unsigned NsPerCycle = 10,               // core clock period in ns
  parameter int unsigned DpBytes    = 4,                // data-plane beat, bytes
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

  // Data plane (core clock)
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
    .m_axis_rx_tdata_o  (m_axis_rx_tdata_o),
    .m_axis_rx_tkeep_o  (m_axis_rx_tkeep_o),
    .m_axis_rx_tvalid_o (m_axis_rx_tvalid_o),
    .m_axis_rx_tready_i (m_axis_rx_tready_i),
    .m_axis_rx_tlast_o  (m_axis_rx_tlast_o),
    .m_axis_rx_tuser_o  (m_axis_rx_tuser_o),
    .s_axis_tx_tdata_i  (s_axis_tx_tdata_i),
    .s_axis_tx_tkeep_i  (s_axis_tx_tkeep_i),
    .s_axis_tx_tvalid_i (s_axis_tx_tvalid_i),
    .s_axis_tx_tready_o (s_axis_tx_tready_o),
    .s_axis_tx_tlast_i  (s_axis_tx_tlast_i),
    .s_axis_tx_tuser_i  (s_axis_tx_tuser_i)
  );

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
    .busy_o       (busy_o),
    .done_o       (done_o)
  );

endmodule
