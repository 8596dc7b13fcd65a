/**
 * XDP top: the soft-CPU (ebpf_top) with AXI4-Stream packet I/O around it
 *
 *   s_axis -> ebpf_axis_rx -> packet buffer -> program -> verdict -> ebpf_axis_tx -> m_axis
 *
 * Frames enter on s_axis (64-bit, tkeep, tlast, tuser = ingress port) and leave on m_axis
 * (tdest = egress port). Ports 0 .. NumPorts-1; port HostPort (default the last) is the
 * host port, where XDP_PASS sends frames. ingress_ifindex = port + 1; a redirect to
 * ifindex i leaves on port i - 1. ebpf_xdp_ctrl sequences each frame through ebpf_top over
 * the CSR bus and steers it by its verdict (docs/packet_io.md).
 *
 * Host CSR bus (same protocol as ebpf_top: one request per cycle, no back-pressure, reads
 * answer the next cycle): the packet I/O page (ebpf_io_pkg::IoCsrBase, 4 KiB) is answered
 * by ebpf_xdp_ctrl; every other address goes to ebpf_top. The host always wins the bus in
 * the cycle it uses it (the sequencer waits), but while a frame is in flight (IO_STATUS.BUSY)
 * host writes to ebpf_top and host accesses to the packet window are refused, and while
 * IO_CTRL.ENABLE is set so are host writes of CTRL (START) and RUN_SEQ: the I/O block owns
 * the core then. A refused read answers 0; every refused access is counted
 * (IO_CNT_HOST_DROP), and every refused write is reported to ebpf_top (host_drop_i), which
 * marks a map command's staging disturbed when the write was part of it.
 */
module ebpf_xdp_top
  import ebpf_csr_pkg::*;
  import ebpf_io_pkg::*;
#(
  parameter int unsigned ImemSlots     = 4096,
  parameter int unsigned NsPerCycle    = 10,
  parameter int unsigned NumPorts      = 4,
  parameter int unsigned HostPort      = NumPorts - 1,
  parameter int unsigned MaxFrameBytes = ebpf_pkg::PacketMaxFrame,
  parameter int unsigned CntW          = 32,
  // ebpf_top's map and event pools, passed down unchanged (the capability block reports them)
  parameter int unsigned MapSlots      = 32,
  parameter int unsigned MapValueBytes = 65536,
  parameter int unsigned MapKeyWords   = 1024,
  parameter int unsigned MapBuckets    = 4096,
  parameter int unsigned MapPoolSlots  = 1024,
  parameter int unsigned EventFifoBytes = 65536,
  localparam int unsigned PortW        = (NumPorts > 1) ? $clog2(NumPorts) : 1
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // Host CSR bus
  input  logic              csr_req_i,
  input  logic              csr_we_i,
  input  logic [CsrAw-1:0]  csr_addr_i,
  input  logic [31:0]       csr_wdata_i,
  output logic              csr_rvalid_o,
  output logic [31:0]       csr_rdata_o,

  // Ingress
  input  logic              s_axis_tvalid_i,
  output logic              s_axis_tready_o,
  input  logic [63:0]       s_axis_tdata_i,
  input  logic [7:0]        s_axis_tkeep_i,
  input  logic              s_axis_tlast_i,
  input  logic [PortW-1:0]  s_axis_tuser_i,

  // Egress
  output logic              m_axis_tvalid_o,
  input  logic              m_axis_tready_i,
  output logic [63:0]       m_axis_tdata_o,
  output logic [7:0]        m_axis_tkeep_o,
  output logic              m_axis_tlast_o,
  output logic [PortW-1:0]  m_axis_tdest_o,

  output logic              busy_o,     // ebpf_top: a program is running
  output logic              done_o,
  output logic              io_busy_o,  // a frame is in flight
  // One-cycle pulse: a frame starts going out on m_axis (from the buffer of the frame whose
  // first beat entered last before it: a testbench attributes egress frames with it, since
  // the next frame may come in before this one's first beat leaves)
  output logic              eg_start_o
);

  localparam int unsigned PktWords = (ebpf_pkg::PacketBufferSize + 7) / 8;
  localparam int unsigned AddrW    = $clog2(PktWords);
  localparam int unsigned LenW     = 16;
  localparam int unsigned OffW     = 16;

  if (MaxFrameBytes < 64 || MaxFrameBytes > ebpf_pkg::PacketMaxFrame) begin : gen_frame_check
    $error("ebpf_xdp_top: MaxFrameBytes (%0d) must be in [64, %0d] (instance %m)",
           MaxFrameBytes, ebpf_pkg::PacketMaxFrame);
  end

  ////////////////
  // Host bus //
  ////////////////

  logic host_page, host_top, host_pkt_win, host_refuse, host_ok;
  logic io_busy, io_enabled;

  assign host_page    = csr_addr_i[CsrAw-1:IoCsrPageBits] == IoCsrBase[CsrAw-1:IoCsrPageBits];
  assign host_top     = csr_req_i && !host_page;
  assign host_pkt_win = csr_addr_i[CsrAw-1:17] == WIN_PACKET[CsrAw-1:17];
  assign host_refuse  = host_top && ((io_busy && (csr_we_i || host_pkt_win)) ||
                                     (io_enabled && csr_we_i &&
                                      (csr_addr_i == CSR_CTRL || csr_addr_i == CSR_RUN_SEQ)));
  assign host_ok      = host_top && !host_refuse;

  // Sequencer master: granted when the host leaves the bus to it.
  logic             m_req, m_gnt, top_mcmd_busy;   // the sequencer's master only writes
  logic [CsrAw-1:0] m_addr;
  logic [31:0]      m_wdata;
  // A frame's START waits while a host map command is in progress (ebpf_top would ignore
  // it: the run's helper calls would take the map unit from under the command).
  assign m_gnt = m_req && !host_ok && !(top_mcmd_busy && m_addr == CSR_CTRL);

  logic             top_req, top_we, top_rvalid;
  logic [CsrAw-1:0] top_addr;
  logic [31:0]      top_wdata, top_rdata;

  assign top_req   = host_ok || m_req;
  assign top_we    = host_ok ? csr_we_i : 1'b1;
  assign top_addr  = host_ok ? csr_addr_i : m_addr;
  assign top_wdata = host_ok ? csr_wdata_i : m_wdata;

  logic host_rd_q, refused_rd_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      host_rd_q    <= 1'b0;
      refused_rd_q <= 1'b0;
    end else begin
      host_rd_q    <= host_ok && !csr_we_i;
      refused_rd_q <= host_refuse && !csr_we_i;
    end
  end

  logic        io_rvalid;
  logic [31:0] io_rdata;

  assign csr_rvalid_o = (top_rvalid && host_rd_q) || io_rvalid || refused_rd_q;
  assign csr_rdata_o  = io_rvalid ? io_rdata : (host_rd_q ? top_rdata : 32'd0);

  //////////////
  // Core //
  //////////////

  logic              tx_start, tx_busy, tx_done, tx_rd_req;
  logic [OffW-1:0]   tx_start_off, tx_end_off;
  logic [PortW-1:0]  tx_port;
  logic [AddrW-1:0]  tx_rd_addr;

  logic        pkt_req, pkt_we, pkt_bank, pkt_eg_bank;
  logic [15:0] pkt_addr;
  logic [63:0] pkt_wdata, unused_pkt_rdata, eg_rdata;
  logic [7:0]  pkt_wmask;
  logic        core_busy, core_done;
  ebpf_csr_pkg::run_verdict_t core_verdict;

  ebpf_top #(
    .ImemSlots      (ImemSlots),
    .NsPerCycle     (NsPerCycle),
    .MapSlots       (MapSlots),
    .MapValueBytes  (MapValueBytes),
    .MapKeyWords    (MapKeyWords),
    .MapBuckets     (MapBuckets),
    .MapPoolSlots   (MapPoolSlots),
    .EventFifoBytes (EventFifoBytes),
    .PktBanks       (2)
  ) u_top (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .csr_req_i        (top_req),
    .csr_we_i         (top_we),
    .csr_addr_i       (top_addr),
    .csr_wdata_i      (top_wdata),
    .csr_rvalid_o     (top_rvalid),
    .csr_rdata_o      (top_rdata),
    .pkt_port_req_i   (pkt_req),
    .pkt_port_we_i    (pkt_we),
    .pkt_port_addr_i  (pkt_addr),
    .pkt_port_wdata_i (pkt_wdata),
    .pkt_port_wmask_i (pkt_wmask),
    .pkt_port_rdata_o (unused_pkt_rdata),
    .pkt_bank_i       (pkt_bank),
    .pkt_eg_bank_i    (pkt_eg_bank),
    .pkt_eg_req_i     (tx_rd_req),
    .pkt_eg_addr_i    (16'(tx_rd_addr)),
    .pkt_eg_rdata_o   (eg_rdata),
    .host_drop_i      (host_refuse && csr_we_i),
    .host_drop_addr_i (csr_addr_i),
    .mcmd_busy_o      (top_mcmd_busy),
    .busy_o           (core_busy),
    .done_o           (core_done),
    .verdict_o        (core_verdict)
  );

  assign busy_o = core_busy;
  assign done_o = core_done;

  //////////////////
  // Packet I/O //
  //////////////////

  logic              rx_wr_req;
  logic [AddrW-1:0]  rx_wr_addr;
  logic [63:0]       rx_wr_data;
  logic [7:0]        rx_wr_mask;
  logic              rx_en, rx_in_frame, rx_sof, rx_frame_valid, rx_frame_ack, rx_eof;
  logic              rx_drop_over, rx_drop_bad;
  logic [LenW-1:0]   rx_frame_len;
  logic [PortW-1:0]  rx_frame_port, rx_eof_port;

  ebpf_axis_rx #(
    .NumPorts      (NumPorts),
    .PortW         (PortW),
    .MaxFrameBytes (MaxFrameBytes),
    .HeadroomBytes (ebpf_pkg::PacketHeadroom),
    .AddrW         (AddrW),
    .LenW          (LenW)
  ) u_rx (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .s_axis_tvalid_i  (s_axis_tvalid_i),
    .s_axis_tready_o  (s_axis_tready_o),
    .s_axis_tdata_i   (s_axis_tdata_i),
    .s_axis_tkeep_i   (s_axis_tkeep_i),
    .s_axis_tlast_i   (s_axis_tlast_i),
    .s_axis_tuser_i   (s_axis_tuser_i),
    .wr_req_o         (rx_wr_req),
    .wr_addr_o        (rx_wr_addr),
    .wr_data_o        (rx_wr_data),
    .wr_mask_o        (rx_wr_mask),
    .en_i             (rx_en),
    .in_frame_o       (rx_in_frame),
    .sof_o            (rx_sof),
    .frame_valid_o    (rx_frame_valid),
    .frame_len_o      (rx_frame_len),
    .frame_port_o     (rx_frame_port),
    .frame_ack_i      (rx_frame_ack),
    .eof_o            (rx_eof),
    .eof_port_o       (rx_eof_port),
    .drop_oversize_o  (rx_drop_over),
    .drop_malformed_o (rx_drop_bad)
  );


  ebpf_axis_tx #(
    .PortW (PortW),
    .AddrW (AddrW),
    .OffW  (OffW)
  ) u_tx (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .start_i         (tx_start),
    .start_off_i     (tx_start_off),
    .end_off_i       (tx_end_off),
    .port_i          (tx_port),
    .busy_o          (tx_busy),
    .done_o          (tx_done),
    .rd_req_o        (tx_rd_req),
    .rd_addr_o       (tx_rd_addr),
    .rd_data_i       (eg_rdata),
    .m_axis_tvalid_o (m_axis_tvalid_o),
    .m_axis_tready_i (m_axis_tready_i),
    .m_axis_tdata_o  (m_axis_tdata_o),
    .m_axis_tkeep_o  (m_axis_tkeep_o),
    .m_axis_tlast_o  (m_axis_tlast_o),
    .m_axis_tdest_o  (m_axis_tdest_o)
  );

  // Two packet buffers (ebpf_top PktBanks = 2): ingress writes the sequencer's current one
  // (pkt_bank) through the packet port, egress reads the one it sends from (pkt_eg_bank)
  // through its own port, so a frame comes in while the one before it goes out.
  assign pkt_req   = rx_wr_req;
  assign pkt_we    = 1'b1;
  assign pkt_addr  = 16'(rx_wr_addr);
  assign pkt_wdata = rx_wr_data;
  assign pkt_wmask = rx_wr_mask;

  ebpf_xdp_ctrl #(
    .NumPorts      (NumPorts),
    .PortW         (PortW),
    .HostPort      (HostPort),
    .MaxFrameBytes (MaxFrameBytes),
    .HeadroomBytes (ebpf_pkg::PacketHeadroom),
    .LenW          (LenW),
    .OffW          (OffW),
    .CntW          (CntW)
  ) u_ctrl (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .rx_en_o             (rx_en),
    .rx_waiting_i        (s_axis_tvalid_i),
    .rx_in_frame_i       (rx_in_frame),
    .rx_sof_i            (rx_sof),
    .rx_frame_valid_i    (rx_frame_valid),
    .rx_frame_len_i      (rx_frame_len),
    .rx_frame_port_i     (rx_frame_port),
    .rx_frame_ack_o      (rx_frame_ack),
    .rx_eof_i            (rx_eof),
    .rx_eof_port_i       (rx_eof_port),
    .rx_drop_oversize_i  (rx_drop_over),
    .rx_drop_malformed_i (rx_drop_bad),
    .tx_start_o          (tx_start),
    .tx_start_off_o      (tx_start_off),
    .tx_end_off_o        (tx_end_off),
    .tx_port_o           (tx_port),
    .tx_busy_i           (tx_busy),
    .tx_done_i           (tx_done),
    .pkt_bank_o          (pkt_bank),
    .pkt_eg_bank_o       (pkt_eg_bank),
    .m_req_o             (m_req),
    .m_addr_o            (m_addr),
    .m_wdata_o           (m_wdata),
    .m_gnt_i             (m_gnt),
    .core_busy_i         (core_busy),
    .core_done_i         (core_done),
    .core_verdict_i      (core_verdict),
    .s_req_i             (csr_req_i && host_page),
    .s_we_i              (csr_we_i),
    .s_addr_i            (csr_addr_i[IoCsrPageBits-1:0]),
    .s_wdata_i           (csr_wdata_i),
    .s_rvalid_o          (io_rvalid),
    .s_rdata_o           (io_rdata),
    .host_drop_i         (host_refuse),
    .enabled_o           (io_enabled),
    .busy_o              (io_busy)
  );

  assign io_busy_o  = io_busy;
  assign eg_start_o = tx_start;

  logic unused_xt;
  assign unused_xt = ^unused_pkt_rdata;

endmodule
