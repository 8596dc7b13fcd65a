/**
 * Board-independent core: the network stack, the XDP datapath and the ports between them
 *
 * Every board top instantiates this module, so that a change of the datapath is made here
 * once for every board.
 *
 * Port 0 (GMII; boards with RGMII put ebpf_net_rgmii_phy_if in front) carries the control
 * traffic (ARP, Etherbone over UDP), which reaches the CSR bus of ebpf_xdp_top (ebpf_top plus
 * the packet I/O page) through ebpf_net_stack, in the core clock. Every other frame that
 * arrives is data plane and goes through the XDP program (ebpf_xdp_top: ingress, run,
 * verdict steering; docs/xdp_datapath.md), one frame at a time:
 *
 * - Ports = 1: XDP ports 0 (Ethernet port 0) and 1 (the host port). XDP_TX sends a frame back
 *   out of port 0; XDP_PASS brings it out on m_axis_rx_* (to a local host, or drained by the
 *   board top). s_axis_tx_* is not used (s_axis_tx_tready_o = 0).
 * - Ports = 2: a second, data-only Ethernet port (ebpf_net_mac_port, p1_gmii_*) and the bump
 *   in the wire: XDP ports 0 and 1 are the Ethernet ports, 2 the host port. XDP_PASS sends a
 *   frame out of the other Ethernet port, XDP_TX out of the one it came in on, XDP_REDIRECT
 *   to ifindex 1 or 2 out of port 0 or 1; XDP_DROP and faults drop it. The AXI-Stream
 *   ports are unused (m_axis_rx_tvalid_o = 0, s_axis_tx_tready_o = 0). Port 1 shares port
 *   0's TX clock.
 *
 * Frames flow only while the host has enabled the datapath (IO_CTRL.ENABLE, docs/packet_io.md
 * of ebpf_xdp_top); until then the RX FIFOs fill and further frames are dropped and counted.
 * The data plane is 64 bits wide (DpBytes = 8), as ebpf_xdp_top's streams.
 */
module ebpf_fpga_core
  import ebpf_net_pkg::*;
#(
  parameter int unsigned ImemSlots  = 4096,             // ebpf_top instruction slots (2^n)
  parameter int unsigned NsPerCycle = 10,               // core clock period in ns
  parameter int unsigned DpBytes    = 8,                // data-plane beat, bytes (8)
  parameter int unsigned Ports      = 1,                // Ethernet ports: 1 or 2
  parameter int unsigned NetCntW    = 32,               // network stack counter width
  parameter int unsigned IoCntW     = 32,               // packet I/O (IO page) counter width
  // ebpf_top's map and event pools (ebpf_xdp_top passes them down; defaults as ebpf_top's)
  parameter int unsigned MapSlots       = 32,             // map descriptors
  parameter int unsigned MapValueBytes  = 65536,          // map value memory (2^n bytes)
  parameter int unsigned MapKeyWords    = 1024,           // map key memory, 64-bit words
  parameter int unsigned MapBuckets     = 4096,           // map bucket memory entries
  parameter int unsigned MapPoolSlots   = 1024,           // map slot memories
  parameter int unsigned EventFifoBytes = 65536,          // event FIFO bytes
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

  // XDP_PASS frames (core clock; Ports = 1)
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
  if (DpBytes != 8) begin : gen_bad_dp
    $error("ebpf_fpga_core %m: DpBytes must be 8 (ebpf_xdp_top's 64-bit streams), not %0d",
           DpBytes);
  end

  localparam int unsigned XdpPorts = Ports + 1;      // the Ethernet ports and the host port
  localparam int unsigned HostPort = Ports;
  localparam int unsigned PortW    = $clog2(XdpPorts);

  // Port 0's data plane inside this module
  logic [8*DpBytes-1:0] p0_rx_tdata, p0_tx_tdata;
  logic [DpBytes-1:0]   p0_rx_tkeep, p0_tx_tkeep;
  logic                 p0_rx_tvalid, p0_rx_tready, p0_rx_tlast, p0_rx_tuser;
  logic                 p0_tx_tvalid, p0_tx_tready, p0_tx_tlast, p0_tx_tuser;

  logic        csr_req, csr_we, csr_rvalid;
  logic [ebpf_csr_pkg::CsrAw-1:0] csr_addr;
  logic [31:0] csr_wdata, csr_rdata;

  ebpf_net_stack #(
    .DpBytes    (DpBytes),
    .CntW       (NetCntW),
    .EbWholeMap (1'b1)      // the host reaches the whole CSR map (IO page, maps, events)
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

  // ---- ingress: the Ethernet ports' RX streams into ebpf_xdp_top, whole frames ------------
  logic [63:0]      xin_tdata, xout_tdata;
  logic [7:0]       xin_tkeep, xout_tkeep;
  logic             xin_tvalid, xin_tready, xin_tlast, xout_tvalid, xout_tready, xout_tlast;
  logic [PortW-1:0] xin_tuser, xout_tdest;

  // Port 1 (Ports = 2)
  logic [63:0] p1_rx_tdata, p1_tx_tdata;
  logic [7:0]  p1_rx_tkeep, p1_tx_tkeep;
  logic        p1_rx_tvalid, p1_rx_tready, p1_rx_tlast, p1_rx_tuser;
  logic        p1_tx_tvalid, p1_tx_tready, p1_tx_tlast;

  // Which RX stream owns the ingress: chosen between frames, alternating when both wait.
  logic sel_q, sel_d, busy_q, busy_d, last_q, last_d;
  always_comb begin
    sel_d = sel_q; busy_d = busy_q; last_d = last_q;
    if (!busy_q) begin
      if (Ports == 2 && p1_rx_tvalid && (!p0_rx_tvalid || !last_q)) begin
        sel_d = 1'b1; busy_d = 1'b1;
      end else if (p0_rx_tvalid) begin
        sel_d = 1'b0; busy_d = 1'b1;
      end
    end else if (xin_tvalid && xin_tready && xin_tlast) begin
      busy_d = 1'b0; last_d = sel_q;
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sel_q <= 1'b0; busy_q <= 1'b0; last_q <= 1'b0;
    end else begin
      sel_q <= sel_d; busy_q <= busy_d; last_q <= last_d;
    end
  end

  assign xin_tdata    = sel_q ? p1_rx_tdata  : p0_rx_tdata;
  assign xin_tkeep    = sel_q ? p1_rx_tkeep  : p0_rx_tkeep;
  assign xin_tlast    = sel_q ? p1_rx_tlast  : p0_rx_tlast;
  assign xin_tvalid   = busy_q && (sel_q ? p1_rx_tvalid : p0_rx_tvalid);
  assign xin_tuser    = PortW'(sel_q);
  assign p0_rx_tready = busy_q && !sel_q && xin_tready;
  assign p1_rx_tready = busy_q &&  sel_q && xin_tready;

  // The FIFOs commit only good frames: tuser is always 0 here.
  logic unused_rx_tuser;
  assign unused_rx_tuser = p0_rx_tuser ^ p1_rx_tuser;

  // Ingress port of the frame in flight (ebpf_xdp_top has one frame in flight at a time, so
  // the frame leaving is the last one that entered).
  logic in_port_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_port_q <= 1'b0;
    end else if (xin_tvalid && xin_tready) begin
      in_port_q <= sel_q;
    end
  end

  // ---- egress: by tdest ----------------------------------------------------------------------
  // out_sel: 0 = Ethernet port 0, 1 = Ethernet port 1, 2 = the host (m_axis_rx_*, Ports = 1)
  logic [1:0] out_sel;
  always_comb begin
    if (xout_tdest == PortW'(HostPort)) begin
      out_sel = (Ports == 2) ? {1'b0, ~in_port_q} : 2'd2;   // PASS: the other port / host
    end else begin
      out_sel = {1'b0, xout_tdest[0]};
    end
  end

  assign p0_tx_tdata  = xout_tdata;
  assign p0_tx_tkeep  = xout_tkeep;
  assign p0_tx_tlast  = xout_tlast;
  assign p0_tx_tuser  = 1'b0;
  assign p0_tx_tvalid = xout_tvalid && (out_sel == 2'd0);
  assign p1_tx_tdata  = xout_tdata;
  assign p1_tx_tkeep  = xout_tkeep;
  assign p1_tx_tlast  = xout_tlast;
  assign p1_tx_tvalid = xout_tvalid && (out_sel == 2'd1);

  logic host_tready;
  assign xout_tready = (out_sel == 2'd0) ? p0_tx_tready :
                       (out_sel == 2'd1) ? p1_tx_tready : host_tready;

  if (Ports == 1) begin : gen_one_port
    assign m_axis_rx_tdata_o  = xout_tdata;
    assign m_axis_rx_tkeep_o  = xout_tkeep;
    assign m_axis_rx_tvalid_o = xout_tvalid && (out_sel == 2'd2);
    assign m_axis_rx_tlast_o  = xout_tlast;
    assign m_axis_rx_tuser_o  = 1'b0;
    assign host_tready        = m_axis_rx_tready_i;

    assign p1_rx_tdata  = '0;
    assign p1_rx_tkeep  = '0;
    assign p1_rx_tvalid = 1'b0;
    assign p1_rx_tlast  = 1'b0;
    assign p1_rx_tuser  = 1'b0;
    assign p1_tx_tready = 1'b0;
    assign p1_gmii_txd_o   = '0;
    assign p1_gmii_tx_en_o = 1'b0;
    assign p1_gmii_tx_er_o = 1'b0;
    logic unused_p1;
    assign unused_p1 = ^{p1_gmii_rx_clk_i, p1_gmii_rx_rst_ni, p1_gmii_rxd_i, p1_gmii_rx_dv_i,
                         p1_gmii_rx_er_i, p1_rx_tready, p1_tx_tdata, p1_tx_tkeep, p1_tx_tvalid,
                         p1_tx_tlast};
  end else begin : gen_two_ports
    logic unused_stat_rx_good, unused_stat_rx_bad, unused_stat_rx_ovf;
    logic unused_stat_tx_frame, unused_stat_tx_drop;

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
      .s_axis_tx_tdata_i  (p1_tx_tdata),
      .s_axis_tx_tkeep_i  (p1_tx_tkeep),
      .s_axis_tx_tvalid_i (p1_tx_tvalid),
      .s_axis_tx_tready_o (p1_tx_tready),
      .s_axis_tx_tlast_i  (p1_tx_tlast),
      .s_axis_tx_tuser_i  (1'b0),
      .stat_rx_good_o     (unused_stat_rx_good),
      .stat_rx_bad_o      (unused_stat_rx_bad),
      .stat_rx_ovf_o      (unused_stat_rx_ovf),
      .stat_tx_frame_o    (unused_stat_tx_frame),
      .stat_tx_drop_o     (unused_stat_tx_drop)
    );

    assign m_axis_rx_tdata_o  = '0;
    assign m_axis_rx_tkeep_o  = '0;
    assign m_axis_rx_tvalid_o = 1'b0;
    assign m_axis_rx_tlast_o  = 1'b0;
    assign m_axis_rx_tuser_o  = 1'b0;
    assign host_tready        = 1'b1;   // never selected with two ports
    logic unused_axis;
    assign unused_axis = ^{m_axis_rx_tready_i, unused_stat_rx_good, unused_stat_rx_bad,
                           unused_stat_rx_ovf, unused_stat_tx_frame, unused_stat_tx_drop};
  end

  assign s_axis_tx_tready_o = 1'b0;
  logic unused_s_axis;
  assign unused_s_axis = ^{s_axis_tx_tdata_i, s_axis_tx_tkeep_i, s_axis_tx_tvalid_i,
                           s_axis_tx_tlast_i, s_axis_tx_tuser_i};

  logic io_busy;
  logic unused_eg_start;   // frame attribution in testbenches only
  logic unused_io_busy;
  assign unused_io_busy = io_busy;

  ebpf_xdp_top #(
    .ImemSlots      (ImemSlots),
    .NsPerCycle     (NsPerCycle),
    .NumPorts       (XdpPorts),
    .HostPort       (HostPort),
    .CntW           (IoCntW),
    .MapSlots       (MapSlots),
    .MapValueBytes  (MapValueBytes),
    .MapKeyWords    (MapKeyWords),
    .MapBuckets     (MapBuckets),
    .MapPoolSlots   (MapPoolSlots),
    .EventFifoBytes (EventFifoBytes)
  ) u_xdp (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .csr_req_i       (csr_req),
    .csr_we_i        (csr_we),
    .csr_addr_i      (csr_addr),
    .csr_wdata_i     (csr_wdata),
    .csr_rvalid_o    (csr_rvalid),
    .csr_rdata_o     (csr_rdata),
    .s_axis_tvalid_i (xin_tvalid),
    .s_axis_tready_o (xin_tready),
    .s_axis_tdata_i  (xin_tdata),
    .s_axis_tkeep_i  (xin_tkeep),
    .s_axis_tlast_i  (xin_tlast),
    .s_axis_tuser_i  (xin_tuser),
    .m_axis_tvalid_o (xout_tvalid),
    .m_axis_tready_i (xout_tready),
    .m_axis_tdata_o  (xout_tdata),
    .m_axis_tkeep_o  (xout_tkeep),
    .m_axis_tlast_o  (xout_tlast),
    .m_axis_tdest_o  (xout_tdest),
    .busy_o          (busy_o),
    .done_o          (done_o),
    .io_busy_o       (io_busy),
    .eg_start_o      (unused_eg_start)
  );

endmodule
