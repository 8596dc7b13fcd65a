/**
 * Artix-7 PCIe card top: XDMA IP (Vivado) + ebpf_pcie_core.    NOT BUILT HERE (no Vivado).
 *
 * The XDMA IP (xdma_0, created by ../vivado/create_project.tcl: PCIe Gen2 x1, AXI-Stream
 * interface, 64-bit, AXI-Lite master BAR of 1 MiB) provides axi_aclk (125 MHz) and the
 * streams; port names follow the IP's instantiation template (check them against
 * xdma_0.veo of the Vivado version used). IBUFDS_GTE2 buffers the 100 MHz reference clock.
 */
module xilinx_pcie_top (
  input  logic       pcie_refclk_p_i,
  input  logic       pcie_refclk_n_i,
  input  logic       pcie_perst_ni,
  input  logic [0:0] pci_exp_rxp_i,
  input  logic [0:0] pci_exp_rxn_i,
  output logic [0:0] pci_exp_txp_o,
  output logic [0:0] pci_exp_txn_o,
  output logic [3:0] led_o
);

  logic refclk, axi_aclk, axi_aresetn, link_up;
  logic [31:0] awaddr, araddr, wdata, rdata;
  logic [3:0]  wstrb;
  logic [1:0]  bresp, rresp;
  logic awvalid, awready, wvalid, wready, bvalid, bready, arvalid, arready, rvalid, rready;
  logic [63:0] h2c_tdata, c2h_tdata;
  logic [7:0]  h2c_tkeep, c2h_tkeep;
  logic h2c_tvalid, h2c_tready, h2c_tlast, c2h_tvalid, c2h_tready, c2h_tlast;
  logic busy, done;

  IBUFDS_GTE2 u_refclk (
    .I (pcie_refclk_p_i), .IB (pcie_refclk_n_i), .CEB (1'b0), .O (refclk), .ODIV2 ());

  xdma_0 u_xdma (
    .sys_clk              (refclk),
    .sys_rst_n            (pcie_perst_ni),
    .user_lnk_up          (link_up),
    .pci_exp_txp          (pci_exp_txp_o),
    .pci_exp_txn          (pci_exp_txn_o),
    .pci_exp_rxp          (pci_exp_rxp_i),
    .pci_exp_rxn          (pci_exp_rxn_i),
    .axi_aclk             (axi_aclk),
    .axi_aresetn          (axi_aresetn),
    .usr_irq_req          (1'b0),
    .usr_irq_ack          (),
    .msi_enable           (),
    .msi_vector_width     (),
    .m_axil_awaddr        (awaddr),
    .m_axil_awprot        (),
    .m_axil_awvalid       (awvalid),
    .m_axil_awready       (awready),
    .m_axil_wdata         (wdata),
    .m_axil_wstrb         (wstrb),
    .m_axil_wvalid        (wvalid),
    .m_axil_wready        (wready),
    .m_axil_bvalid        (bvalid),
    .m_axil_bresp         (bresp),
    .m_axil_bready        (bready),
    .m_axil_araddr        (araddr),
    .m_axil_arprot        (),
    .m_axil_arvalid       (arvalid),
    .m_axil_arready       (arready),
    .m_axil_rdata         (rdata),
    .m_axil_rresp         (rresp),
    .m_axil_rvalid        (rvalid),
    .m_axil_rready        (rready),
    .s_axis_c2h_tdata_0   (c2h_tdata),
    .s_axis_c2h_tlast_0   (c2h_tlast),
    .s_axis_c2h_tvalid_0  (c2h_tvalid),
    .s_axis_c2h_tready_0  (c2h_tready),
    .s_axis_c2h_tkeep_0   (c2h_tkeep),
    .m_axis_h2c_tdata_0   (h2c_tdata),
    .m_axis_h2c_tlast_0   (h2c_tlast),
    .m_axis_h2c_tvalid_0  (h2c_tvalid),
    .m_axis_h2c_tready_0  (h2c_tready),
    .m_axis_h2c_tkeep_0   (h2c_tkeep)
  );

  ebpf_pcie_core #(
    .NsPerCycle (8)               // axi_aclk 125 MHz
  ) u_core (
    .clk_i               (axi_aclk),
    .rst_ni              (axi_aresetn),
    .s_axil_awaddr_i     (awaddr),
    .s_axil_awvalid_i    (awvalid),
    .s_axil_awready_o    (awready),
    .s_axil_wdata_i      (wdata),
    .s_axil_wstrb_i      (wstrb),
    .s_axil_wvalid_i     (wvalid),
    .s_axil_wready_o     (wready),
    .s_axil_bresp_o      (bresp),
    .s_axil_bvalid_o     (bvalid),
    .s_axil_bready_i     (bready),
    .s_axil_araddr_i     (araddr),
    .s_axil_arvalid_i    (arvalid),
    .s_axil_arready_o    (arready),
    .s_axil_rdata_o      (rdata),
    .s_axil_rresp_o      (rresp),
    .s_axil_rvalid_o     (rvalid),
    .s_axil_rready_i     (rready),
    .s_axis_h2c_tdata_i  (h2c_tdata),
    .s_axis_h2c_tkeep_i  (h2c_tkeep),
    .s_axis_h2c_tvalid_i (h2c_tvalid),
    .s_axis_h2c_tready_o (h2c_tready),
    .s_axis_h2c_tlast_i  (h2c_tlast),
    .m_axis_c2h_tdata_o  (c2h_tdata),
    .m_axis_c2h_tkeep_o  (c2h_tkeep),
    .m_axis_c2h_tvalid_o (c2h_tvalid),
    .m_axis_c2h_tready_i (c2h_tready),
    .m_axis_c2h_tlast_o  (c2h_tlast),
    .busy_o              (busy),
    .done_o              (done)
  );

  assign led_o = {~done, ~busy, ~axi_aresetn, ~link_up};   // LEDs active low

endmodule
