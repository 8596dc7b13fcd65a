/**
 * The simulated board: the board-level top `ebpf-fpga-sim serve --mac` runs
 *
 * ebpf_fpga_core (network stack + soft-CPU, Ports = 1) at its GMII pins, with a core clock
 * and one GMII clock for both directions (the model drives them equal, or the GMII clock an
 * integer multiple of the core's as on a board: the CDC FIFOs work for any ratio) and one
 * reset for all three domains. Data-plane frames go through the XDP datapath
 * (ebpf_fpga_core, Ports = 1): XDP_TX frames come back out of the GMII TX pins, XDP_PASS
 * frames are drained here.
 */
module sim_board_top #(
  parameter int unsigned ImemSlots  = 4096,
  parameter int unsigned NsPerCycle = 8,                      // 125 MHz
  // map and event pools of ebpf_top (defaults as ebpf_top's; the model build sets them by -G)
  parameter int unsigned MapSlots       = 32,
  parameter int unsigned MapValueBytes  = 65536,
  parameter int unsigned MapKeyWords    = 1024,
  parameter int unsigned MapBuckets     = 4096,
  parameter int unsigned MapPoolSlots   = 1024,
  parameter int unsigned EventFifoBytes = 65536,
  parameter logic [47:0] LocalMac   = 48'h02_65_62_70_66_00,
  parameter logic [31:0] LocalIp    = 32'hc0a8_0132,          // 192.168.1.50
  parameter logic [15:0] CtrlPort   = 16'd1234
) (
  input  logic       clk_i,            // core
  input  logic       clk_eth_i,        // GMII RX and TX
  input  logic       rst_ni,
  input  logic [7:0] gmii_rxd_i,
  input  logic       gmii_rx_dv_i,
  input  logic       gmii_rx_er_i,
  output logic [7:0] gmii_txd_o,
  output logic       gmii_tx_en_o,
  output logic       gmii_tx_er_o,
  output logic       busy_o,
  output logic       done_o
);

  localparam int unsigned DpBytes = 8;

  logic [8*DpBytes-1:0] unused_rx_tdata;
  logic [DpBytes-1:0]   unused_rx_tkeep;
  logic                 unused_rx_tvalid, unused_rx_tlast, unused_rx_tuser, unused_tx_tready;
  logic [7:0]           unused_p1_txd;
  logic                 unused_p1_tx_en, unused_p1_tx_er;

  ebpf_fpga_core #(
    .ImemSlots  (ImemSlots),
    .NsPerCycle (NsPerCycle),
    .DpBytes    (DpBytes),
    .Ports      (1),
    .MapSlots       (MapSlots),
    .MapValueBytes  (MapValueBytes),
    .MapKeyWords    (MapKeyWords),
    .MapBuckets     (MapBuckets),
    .MapPoolSlots   (MapPoolSlots),
    .EventFifoBytes (EventFifoBytes),
    .LocalMac   (LocalMac),
    .LocalIp    (LocalIp),
    .CtrlPort   (CtrlPort)
  ) u_core (
    .clk_i              (clk_i),
    .rst_ni             (rst_ni),
    .gmii_rx_clk_i      (clk_eth_i),
    .gmii_rx_rst_ni     (rst_ni),
    .gmii_rxd_i         (gmii_rxd_i),
    .gmii_rx_dv_i       (gmii_rx_dv_i),
    .gmii_rx_er_i       (gmii_rx_er_i),
    .gmii_tx_clk_i      (clk_eth_i),
    .gmii_tx_rst_ni     (rst_ni),
    .gmii_txd_o         (gmii_txd_o),
    .gmii_tx_en_o       (gmii_tx_en_o),
    .gmii_tx_er_o       (gmii_tx_er_o),
    .p1_gmii_rx_clk_i   (1'b0),
    .p1_gmii_rx_rst_ni  (1'b0),
    .p1_gmii_rxd_i      ('0),
    .p1_gmii_rx_dv_i    (1'b0),
    .p1_gmii_rx_er_i    (1'b0),
    .p1_gmii_txd_o      (unused_p1_txd),
    .p1_gmii_tx_en_o    (unused_p1_tx_en),
    .p1_gmii_tx_er_o    (unused_p1_tx_er),
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
    .busy_o             (busy_o),
    .done_o             (done_o)
  );

  logic unused_top;
  assign unused_top = ^{unused_rx_tdata, unused_rx_tkeep, unused_rx_tvalid, unused_rx_tlast,
                        unused_rx_tuser, unused_tx_tready, unused_p1_txd, unused_p1_tx_en,
                        unused_p1_tx_er};

endmodule
