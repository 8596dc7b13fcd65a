/**
 * The PCIe card's core: what the XDMA IP connects to (board-independent, no Xilinx IP)
 *
 * - AXI4-Lite (the XDMA's M_AXI_LITE BAR) -> ebpf_axil_csr -> ebpf_top's CSR bus: the host's
 *   pcie:// transport reads and writes the same CSR map as udp:// (docs/host.md).
 * - AXI-Stream packets, 64 bits (the XDMA's H2C and C2H streams, channel 0): today the H2C
 *   frames return on C2H unchanged through a store-and-forward FIFO (as if every packet got
 *   XDP_PASS); the XDP datapath (ebpf_xdp_top: packet port, verdict steering) takes this
 *   place when it lands, exactly as in boards/common/rtl/ebpf_fpga_core.sv.
 * One clock: the XDMA's axi_aclk (125 or 250 MHz per the IP configuration).
 */
module ebpf_pcie_core #(
  parameter int unsigned ImemSlots  = 4096,
  parameter int unsigned NsPerCycle = 8,
  parameter int unsigned FifoBytes  = 16384,
  // ebpf_top's map and event pools, passed down unchanged (the capability block reports them)
  parameter int unsigned MapSlots       = 32,
  parameter int unsigned MapValueBytes  = 65536,
  parameter int unsigned MapKeyWords    = 1024,
  parameter int unsigned MapBuckets     = 4096,
  parameter int unsigned MapPoolSlots   = 1024,
  parameter int unsigned EventFifoBytes = 65536
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [31:0] s_axil_awaddr_i,
  input  logic        s_axil_awvalid_i,
  output logic        s_axil_awready_o,
  input  logic [31:0] s_axil_wdata_i,
  input  logic [3:0]  s_axil_wstrb_i,
  input  logic        s_axil_wvalid_i,
  output logic        s_axil_wready_o,
  output logic [1:0]  s_axil_bresp_o,
  output logic        s_axil_bvalid_o,
  input  logic        s_axil_bready_i,
  input  logic [31:0] s_axil_araddr_i,
  input  logic        s_axil_arvalid_i,
  output logic        s_axil_arready_o,
  output logic [31:0] s_axil_rdata_o,
  output logic [1:0]  s_axil_rresp_o,
  output logic        s_axil_rvalid_o,
  input  logic        s_axil_rready_i,

  input  logic [63:0] s_axis_h2c_tdata_i,
  input  logic [7:0]  s_axis_h2c_tkeep_i,
  input  logic        s_axis_h2c_tvalid_i,
  output logic        s_axis_h2c_tready_o,
  input  logic        s_axis_h2c_tlast_i,
  output logic [63:0] m_axis_c2h_tdata_o,
  output logic [7:0]  m_axis_c2h_tkeep_o,
  output logic        m_axis_c2h_tvalid_o,
  input  logic        m_axis_c2h_tready_i,
  output logic        m_axis_c2h_tlast_o,

  output logic        busy_o,
  output logic        done_o
);

  logic        csr_req, csr_we, csr_rvalid;
  logic [ebpf_csr_pkg::CsrAw-1:0] csr_addr;
  logic [31:0] csr_wdata, csr_rdata;
  logic unused_mcmd_busy;
  ebpf_csr_pkg::run_verdict_t unused_verdict;
  logic [63:0] unused_pkt_rdata;
  logic [63:0] unused_pkt_eg_rdata;

  ebpf_axil_csr u_axil (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .s_axil_awaddr_i  (s_axil_awaddr_i),
    .s_axil_awvalid_i (s_axil_awvalid_i),
    .s_axil_awready_o (s_axil_awready_o),
    .s_axil_wdata_i   (s_axil_wdata_i),
    .s_axil_wstrb_i   (s_axil_wstrb_i),
    .s_axil_wvalid_i  (s_axil_wvalid_i),
    .s_axil_wready_o  (s_axil_wready_o),
    .s_axil_bresp_o   (s_axil_bresp_o),
    .s_axil_bvalid_o  (s_axil_bvalid_o),
    .s_axil_bready_i  (s_axil_bready_i),
    .s_axil_araddr_i  (s_axil_araddr_i),
    .s_axil_arvalid_i (s_axil_arvalid_i),
    .s_axil_arready_o (s_axil_arready_o),
    .s_axil_rdata_o   (s_axil_rdata_o),
    .s_axil_rresp_o   (s_axil_rresp_o),
    .s_axil_rvalid_o  (s_axil_rvalid_o),
    .s_axil_rready_i  (s_axil_rready_i),
    .csr_req_o        (csr_req),
    .csr_we_o         (csr_we),
    .csr_addr_o       (csr_addr),
    .csr_wdata_o      (csr_wdata),
    .csr_rvalid_i     (csr_rvalid),
    .csr_rdata_i      (csr_rdata)
  );

  ebpf_top #(
    .ImemSlots  (ImemSlots),
    .NsPerCycle (NsPerCycle),
    .MapSlots       (MapSlots),
    .MapValueBytes  (MapValueBytes),
    .MapKeyWords    (MapKeyWords),
    .MapBuckets     (MapBuckets),
    .MapPoolSlots   (MapPoolSlots),
    .EventFifoBytes (EventFifoBytes)
  ) u_top (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .csr_req_i        (csr_req),
    .csr_we_i         (csr_we),
    .csr_addr_i       (csr_addr),
    .csr_wdata_i      (csr_wdata),
    .csr_rvalid_o     (csr_rvalid),
    .csr_rdata_o      (csr_rdata),
    .pkt_port_req_i   (1'b0),
    .pkt_port_we_i    (1'b0),
    .pkt_port_addr_i  ('0),
    .pkt_port_wdata_i ('0),
    .pkt_port_wmask_i ('0),
    .pkt_port_rdata_o (unused_pkt_rdata),
    .pkt_bank_i       (1'b0),
    .pkt_eg_bank_i    (1'b0),
    .pkt_eg_req_i     (1'b0),
    .pkt_eg_addr_i    ('0),
    .pkt_eg_rdata_o   (unused_pkt_eg_rdata),
    .host_drop_i      (1'b0),   // the bridge refuses only addresses outside the CSR map
    .host_drop_addr_i ('0),
    .mcmd_busy_o      (unused_mcmd_busy),  // no frame sequencer to hold back here
    .busy_o           (busy_o),
    .done_o           (done_o),
    .verdict_o        (unused_verdict)    // no packet sequencer here
  );

  logic unused_drop, unused_tuser;

  // tkeep travels beside tdata in the FIFO word
  ebpf_prim_fifo_sync #(
    .DataW     (72),
    .Depth     (FifoBytes / 8),
    .FrameMode (1'b1)
  ) u_loop (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .s_axis_tdata_i  ({s_axis_h2c_tkeep_i, s_axis_h2c_tdata_i}),
    .s_axis_tvalid_i (s_axis_h2c_tvalid_i),
    .s_axis_tready_o (s_axis_h2c_tready_o),
    .s_axis_tlast_i  (s_axis_h2c_tlast_i),
    .s_axis_tuser_i  (1'b0),
    .s_drop_o        (unused_drop),
    .m_axis_tdata_o  ({m_axis_c2h_tkeep_o, m_axis_c2h_tdata_o}),
    .m_axis_tvalid_o (m_axis_c2h_tvalid_o),
    .m_axis_tready_i (m_axis_c2h_tready_i),
    .m_axis_tlast_o  (m_axis_c2h_tlast_o),
    .m_axis_tuser_o  (unused_tuser)
  );

  logic unused_ok;
  assign unused_ok = ^{unused_pkt_rdata, unused_pkt_eg_rdata, unused_drop, unused_tuser};

endmodule
