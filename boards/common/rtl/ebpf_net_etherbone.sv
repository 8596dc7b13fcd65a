/**
 * Etherbone endpoint: Wishbone-over-UDP requests mastering the CSR bus
 *
 * The packet format is the one LiteX's tools speak (docs/etherbone.md): an 8-byte header
 * (magic 0x4e6f, version 1, flags, address and port size 0x44 = 32-bit), then records of
 * {flags, byte enable, wcount, rcount}, each followed by a base write address and wcount
 * values, then a base return address and rcount read addresses; big-endian words.
 *
 * Receive: the payload is checked while it streams into a frame FIFO (ebpf_prim_fifo_sync),
 * so a packet is executed only if all of it is good: magic, version, sizes, the write byte
 * enable (0x0f: the bus has no byte strobes), a length that ends exactly after a record,
 * and every address (word aligned, inside the CSR map: ebpf_net_pkg::csr_addr_ok). A bad
 * packet is dropped whole and counted by its first fault; nothing of it reaches the bus.
 *
 * Execute: each record's writes go out as 32-bit bus writes (one per cycle), then its reads,
 * one at a time; the reply carries, per record with reads, {0, byte enable, rcount, 0}, the
 * base return address and the values read. Probes (PF) are answered with PR and bytes 4-7
 * of the header echoed. A packet without reads gets no reply (as LiteX). A read that gets
 * no csr_rvalid_i within BusTimeout cycles answers 0xffffffff and is counted.
 *
 * Bus: ebpf_top's CSR slave: one request per cycle, no back-pressure, read data with
 * csr_rvalid_i (next cycle on ebpf_top, any later cycle here).
 */
module ebpf_net_etherbone
  import ebpf_net_pkg::*;
#(
  parameter int unsigned BufWords   = 512,   // request FIFO, 32-bit words (power of two >= 16)
  parameter int unsigned MetaDepth  = 4,     // validated requests that can wait (power of two)
  parameter int unsigned BusTimeout = 255,   // cycles a read may take, 1..65535
  parameter bit          WholeMap   = 1'b1   // accept every word of the CSR space (csr_addr_ok)
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // UDP payload <- from ebpf_net_ipv4_udp_rx (s_src_*_i sampled at tlast)
  input  logic [7:0]  s_axis_tdata_i,
  input  logic        s_axis_tvalid_i,
  output logic        s_axis_tready_o,
  input  logic        s_axis_tlast_i,
  input  logic        s_axis_tuser_i,
  input  logic [47:0] s_src_mac_i,
  input  logic [31:0] s_src_ip_i,
  input  logic [15:0] s_src_port_i,

  // Reply datagram -> to ebpf_net_ipv4_udp_tx
  output logic        m_hdr_valid_o,
  input  logic        m_hdr_ready_i,
  output logic [47:0] m_dst_mac_o,
  output logic [31:0] m_dst_ip_o,
  output logic [15:0] m_dst_port_o,
  output logic [15:0] m_len_o,
  output logic [7:0]  m_axis_tdata_o,
  output logic        m_axis_tvalid_o,
  input  logic        m_axis_tready_i,
  output logic        m_axis_tlast_o,

  // CSR bus master
  output logic        csr_req_o,
  output logic        csr_we_o,
  output logic [ebpf_csr_pkg::CsrAw-1:0] csr_addr_o,
  output logic [31:0] csr_wdata_o,
  input  logic        csr_rvalid_i,
  input  logic [31:0] csr_rdata_i,

  // Counter pulses
  output logic        stat_packet_o,       // request accepted for execution
  output logic        stat_probe_o,
  output logic        stat_bad_magic_o,
  output logic        stat_bad_version_o,
  output logic        stat_bad_size_o,
  output logic        stat_bad_len_o,
  output logic        stat_bad_addr_o,
  output logic        stat_ignored_o,      // PR set: a reply, not a request
  output logic        stat_write_o,
  output logic        stat_read_o,
  output logic        stat_timeout_o
);

  localparam int unsigned CsrAw = ebpf_csr_pkg::CsrAw;
  localparam int unsigned MetaW = 48 + 32 + 16 + 16 + 1;

  if (BufWords < 16 || (BufWords & (BufWords - 1)) != 0 || BufWords > 4096) begin : gen_buf_check
    $error("ebpf_net_etherbone: BufWords (%0d) must be a power of two in [16, 4096] (instance %m)",
           BufWords);
  end
  if (BusTimeout < 1 || BusTimeout > 65535) begin : gen_timeout_check
    $error("ebpf_net_etherbone: BusTimeout (%0d) must be in [1, 65535] (instance %m)",
           BusTimeout);
  end

  typedef enum logic [2:0] {
    ErrNone,
    ErrMagic,
    ErrVersion,
    ErrSize,
    ErrLen,
    ErrAddr,
    ErrIgnored
  } err_e;

  typedef enum logic [2:0] {
    VHdr0,
    VHdr1,
    VRec,
    VWbase,
    VWdata,
    VRbase,
    VRaddr,
    VProbe
  } vstate_e;

  ///////////////////////////////////
  // Receive and check the request //
  ///////////////////////////////////

  logic        wf_tready, wf_tvalid, wf_tlast, wf_tuser;
  logic [31:0] wf_tdata;
  logic        mf_tready, mf_tvalid;
  logic        wf_pop, mf_pop;             // executor takes a word / finishes a request
  logic [MetaW-1:0] mf_tdata;

  vstate_e     vstate_q, vstate_d;
  err_e        err_q, err_w;
  logic [15:0] byte_cnt_q;
  logic [23:0] wacc_q;
  logic        probe_q, probe_d, wff_q, wff_d;
  logic [7:0]  wleft_q, wleft_d, rleft_q, rleft_d;
  logic [31:0] waddr_q, waddr_d;
  logic [15:0] rsum_q, rsum_d;             // reply bytes of the records so far

  logic        accept, word_done, too_long;
  logic [31:0] word;

  assign s_axis_tready_o = wf_tready && mf_tready;
  assign accept    = s_axis_tvalid_i && s_axis_tready_o;
  assign word_done = accept && byte_cnt_q[1:0] == 2'd3;
  assign word      = {wacc_q, s_axis_tdata_i};
  assign too_long  = 32'(byte_cnt_q) >= 4 * BufWords;

  // The check of one complete word.
  always_comb begin
    vstate_d = vstate_q;
    err_w    = ErrNone;
    probe_d  = probe_q;
    wff_d    = wff_q;
    wleft_d  = wleft_q;
    rleft_d  = rleft_q;
    waddr_d  = waddr_q;
    rsum_d   = rsum_q;
    unique case (vstate_q)
      VHdr0: begin
        probe_d  = word[8 + EbFlagPf];
        vstate_d = VHdr1;
        if (word[31:16] != EbMagic) begin
          err_w = ErrMagic;
        end else if (word[15:12] != EbVersion) begin
          err_w = ErrVersion;
        end else if (word[8 + EbFlagPr]) begin
          err_w = ErrIgnored;
        end else if (word[7:0] != EbSizes) begin
          err_w = ErrSize;
        end
      end
      VHdr1: vstate_d = probe_q ? VProbe : VRec;
      VRec: begin
        wff_d   = word[24 + EbRecWff];
        wleft_d = word[15:8];
        rleft_d = word[7:0];
        if (word[7:0] != 8'd0) begin
          rsum_d = rsum_q + 16'd8 + {6'd0, word[7:0], 2'b00};
        end
        if (word[15:8] != 8'd0 && word[23:16] != EbByteEnAll) begin
          err_w = ErrSize;
        end
        if (word[15:8] != 8'd0) begin
          vstate_d = VWbase;
        end else if (word[7:0] != 8'd0) begin
          vstate_d = VRbase;
        end
      end
      VWbase: begin
        waddr_d  = word;
        vstate_d = VWdata;
      end
      VWdata: begin
        if (!csr_addr_ok(waddr_q, WholeMap)) begin
          err_w = ErrAddr;
        end
        waddr_d = wff_q ? waddr_q : waddr_q + 32'd4;
        wleft_d = wleft_q - 8'd1;
        if (wleft_q == 8'd1) begin
          vstate_d = (rleft_q != 8'd0) ? VRbase : VRec;
        end
      end
      VRbase: vstate_d = VRaddr;
      VRaddr: begin
        if (!csr_addr_ok(word, WholeMap)) begin
          err_w = ErrAddr;
        end
        rleft_d = rleft_q - 8'd1;
        if (rleft_q == 8'd1) begin
          vstate_d = VRec;
        end
      end
      VProbe: ;
      default: vstate_d = VHdr0;
    endcase
  end

  // The verdict at tlast: the first fault wins; otherwise the packet must end on a word,
  // after its header and between records.
  err_e        err_final;
  logic        good_final;
  logic [15:0] rlen_final;

  always_comb begin
    err_final = err_q;
    if (err_final == ErrNone && too_long) begin
      err_final = ErrLen;
    end
    if (err_final == ErrNone && word_done) begin
      err_final = err_w;
    end
    if (err_final == ErrNone &&
        !(word_done && (vstate_d == VRec || vstate_d == VProbe) && vstate_q != VHdr0)) begin
      err_final = ErrLen;
    end
    good_final = err_final == ErrNone;
    rlen_final = probe_d ? 16'(EbHdrBytes) :
                 (rsum_d != 16'd0) ? rsum_d + 16'(EbHdrBytes) : 16'd0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      vstate_q           <= VHdr0;
      err_q              <= ErrNone;
      byte_cnt_q         <= '0;
      wacc_q             <= '0;
      probe_q            <= 1'b0;
      wff_q              <= 1'b0;
      wleft_q            <= '0;
      rleft_q            <= '0;
      waddr_q            <= '0;
      rsum_q             <= '0;
      stat_packet_o      <= 1'b0;
      stat_probe_o       <= 1'b0;
      stat_bad_magic_o   <= 1'b0;
      stat_bad_version_o <= 1'b0;
      stat_bad_size_o    <= 1'b0;
      stat_bad_len_o     <= 1'b0;
      stat_bad_addr_o    <= 1'b0;
      stat_ignored_o     <= 1'b0;
    end else begin
      stat_packet_o      <= 1'b0;
      stat_probe_o       <= 1'b0;
      stat_bad_magic_o   <= 1'b0;
      stat_bad_version_o <= 1'b0;
      stat_bad_size_o    <= 1'b0;
      stat_bad_len_o     <= 1'b0;
      stat_bad_addr_o    <= 1'b0;
      stat_ignored_o     <= 1'b0;
      if (accept) begin
        wacc_q <= {wacc_q[15:0], s_axis_tdata_i};
        if (!too_long) begin
          byte_cnt_q <= byte_cnt_q + 16'd1;
        end
        if (word_done && err_q == ErrNone) begin
          vstate_q <= vstate_d;
          err_q    <= err_w;
          probe_q  <= probe_d;
          wff_q    <= wff_d;
          wleft_q  <= wleft_d;
          rleft_q  <= rleft_d;
          waddr_q  <= waddr_d;
          rsum_q   <= rsum_d;
        end
        if (too_long && err_q == ErrNone) begin
          err_q <= ErrLen;
        end
        if (s_axis_tlast_i) begin
          vstate_q   <= VHdr0;
          err_q      <= ErrNone;
          byte_cnt_q <= '0;
          probe_q    <= 1'b0;
          rsum_q     <= '0;
          // A datagram the UDP layer refused (tuser) was counted there.
          if (!s_axis_tuser_i) begin
            stat_packet_o      <= good_final && !probe_d;
            stat_probe_o       <= good_final && probe_d;
            stat_bad_magic_o   <= err_final == ErrMagic;
            stat_bad_version_o <= err_final == ErrVersion;
            stat_bad_size_o    <= err_final == ErrSize;
            stat_bad_len_o     <= err_final == ErrLen;
            stat_bad_addr_o    <= err_final == ErrAddr;
            stat_ignored_o     <= err_final == ErrIgnored;
          end
        end
      end
    end
  end

  // Words go into the FIFO while the packet is good; tlast always closes the frame there,
  // with tuser when the packet is to be dropped.
  logic wf_s_valid, wf_s_user, mf_s_valid;
  logic unused_drop_w, unused_drop_m, unused_mf_last, unused_mf_user;

  assign wf_s_valid = s_axis_tvalid_i && s_axis_tready_o &&
                      ((byte_cnt_q[1:0] == 2'd3 && err_q == ErrNone && !too_long) ||
                       s_axis_tlast_i);
  assign wf_s_user  = !good_final || s_axis_tuser_i;
  assign mf_s_valid = accept && s_axis_tlast_i && good_final && !s_axis_tuser_i;

  ebpf_prim_fifo_sync #(
    .DataW     (32),
    .Depth     (BufWords),
    .FrameMode (1'b1)
  ) u_word_fifo (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .s_axis_tdata_i  (word),
    .s_axis_tvalid_i (wf_s_valid),
    .s_axis_tready_o (wf_tready),
    .s_axis_tlast_i  (s_axis_tlast_i),
    .s_axis_tuser_i  (wf_s_user),
    .s_drop_o        (unused_drop_w),
    .m_axis_tdata_o  (wf_tdata),
    .m_axis_tvalid_o (wf_tvalid),
    .m_axis_tready_i (wf_pop),
    .m_axis_tlast_o  (wf_tlast),
    .m_axis_tuser_o  (wf_tuser)
  );

  ebpf_prim_fifo_sync #(
    .DataW     (MetaW),
    .Depth     (MetaDepth),
    .FrameMode (1'b0)
  ) u_meta_fifo (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .s_axis_tdata_i  ({s_src_mac_i, s_src_ip_i, s_src_port_i, rlen_final, probe_d}),
    .s_axis_tvalid_i (mf_s_valid),
    .s_axis_tready_o (mf_tready),
    .s_axis_tlast_i  (1'b1),
    .s_axis_tuser_i  (1'b0),
    .s_drop_o        (unused_drop_m),
    .m_axis_tdata_o  (mf_tdata),
    .m_axis_tvalid_o (mf_tvalid),
    .m_axis_tready_i (mf_pop),
    .m_axis_tlast_o  (unused_mf_last),
    .m_axis_tuser_o  (unused_mf_user)
  );

  //////////////////////////////
  // Execute and send replies //
  //////////////////////////////

  typedef enum logic [3:0] {
    XIdle,
    XHdrReq,
    XW0,
    XW1,
    XRec,
    XWbase,
    XWdata,
    XRbase,
    XRaddr,
    XRwait,
    XSend,
    XSkip,
    XEnd
  } xstate_e;

  logic [15:0] meta_len;
  logic        meta_probe, reply;

  assign {m_dst_mac_o, m_dst_ip_o, m_dst_port_o, meta_len, meta_probe} = mf_tdata;
  assign m_len_o = meta_len;
  assign reply   = meta_len != 16'd0;

  xstate_e     xstate_q, xstate_d, ret_q, ret_d;
  logic [31:0] out_q, out_d;                // reply word being sent, top byte first
  logic [1:0]  ob_q, ob_d;                  // its byte index
  logic [15:0] sent_q, sent_d;
  logic [7:0]  xw_q, xw_d, xr_q, xr_d;      // writes and reads left in this record
  logic        xwff_q, xwff_d;
  logic [31:0] xaddr_q, xaddr_d;
  logic [15:0] tmo_q, tmo_d;
  logic        bus_req_d, bus_we_d;
  logic [31:0] bus_addr_d, bus_wdata_d;
  logic        write_d, read_d, timeout_d;

  // After a word: what comes next in this record, or the end of the packet.
  function automatic xstate_e after(xstate_e nxt, logic last);
    return last ? XEnd : nxt;
  endfunction

  always_comb begin
    xstate_d    = xstate_q;
    ret_d       = ret_q;
    out_d       = out_q;
    ob_d        = ob_q;
    sent_d      = sent_q;
    xw_d        = xw_q;
    xr_d        = xr_q;
    xwff_d      = xwff_q;
    xaddr_d     = xaddr_q;
    tmo_d       = tmo_q;
    bus_req_d   = 1'b0;
    bus_we_d    = 1'b0;
    bus_addr_d  = 32'd0;
    bus_wdata_d = 32'd0;
    write_d     = 1'b0;
    read_d      = 1'b0;
    timeout_d   = 1'b0;
    wf_pop      = 1'b0;
    mf_pop      = 1'b0;
    m_hdr_valid_o   = 1'b0;
    m_axis_tvalid_o = 1'b0;
    m_axis_tdata_o  = out_q[31:24];
    m_axis_tlast_o  = sent_q == meta_len - 16'd1;

    unique case (xstate_q)
      XIdle: begin
        sent_d = '0;
        if (mf_tvalid) begin
          xstate_d = reply ? XHdrReq : XW0;
        end
      end

      XHdrReq: begin
        m_hdr_valid_o = 1'b1;
        if (m_hdr_ready_i) begin
          xstate_d = XW0;
        end
      end

      XW0: begin
        if (wf_tvalid) begin
          wf_pop = 1'b1;
          out_d  = {EbMagic, EbVersion, 2'b00, meta_probe, 1'b0, EbSizes};
          if (reply) begin
            ob_d     = '0;
            ret_d    = XW1;
            xstate_d = XSend;
          end else begin
            xstate_d = XW1;
          end
        end
      end

      XW1: begin
        if (wf_tvalid) begin
          wf_pop = 1'b1;
          out_d  = wf_tdata;
          ret_d  = after(meta_probe ? XSkip : XRec, wf_tlast);
          if (reply) begin
            ob_d     = '0;
            xstate_d = XSend;
          end else begin
            xstate_d = ret_d;
          end
        end
      end

      XRec: begin
        if (wf_tvalid) begin
          wf_pop = 1'b1;
          xw_d   = wf_tdata[15:8];
          xr_d   = wf_tdata[7:0];
          xwff_d = wf_tdata[24 + EbRecWff];
          out_d  = {8'h00, wf_tdata[23:16], wf_tdata[7:0], 8'h00};
          ret_d  = after((wf_tdata[15:8] != 8'd0) ? XWbase :
                         (wf_tdata[7:0] != 8'd0) ? XRbase : XRec, wf_tlast);
          if (wf_tdata[7:0] != 8'd0) begin
            ob_d     = '0;
            xstate_d = XSend;
          end else begin
            xstate_d = ret_d;
          end
        end
      end

      XWbase: begin
        if (wf_tvalid) begin
          wf_pop   = 1'b1;
          xaddr_d  = wf_tdata;
          xstate_d = XWdata;
        end
      end

      XWdata: begin
        if (wf_tvalid) begin
          wf_pop      = 1'b1;
          bus_req_d   = 1'b1;
          bus_we_d    = 1'b1;
          bus_addr_d  = xaddr_q;
          bus_wdata_d = wf_tdata;
          write_d     = 1'b1;
          xaddr_d     = xwff_q ? xaddr_q : xaddr_q + 32'd4;
          xw_d        = xw_q - 8'd1;
          if (xw_q == 8'd1) begin
            xstate_d = after((xr_q != 8'd0) ? XRbase : XRec, wf_tlast);
          end
        end
      end

      XRbase: begin
        if (wf_tvalid) begin
          wf_pop   = 1'b1;
          out_d    = wf_tdata;
          ob_d     = '0;
          ret_d    = XRaddr;
          xstate_d = XSend;
        end
      end

      XRaddr: begin
        if (wf_tvalid) begin
          wf_pop     = 1'b1;
          bus_req_d  = 1'b1;
          bus_addr_d = wf_tdata;
          read_d     = 1'b1;
          xr_d       = xr_q - 8'd1;
          tmo_d      = '0;
          ret_d      = (xr_q == 8'd1) ? after(XRec, wf_tlast) : XRaddr;
          xstate_d   = XRwait;
        end
      end

      XRwait: begin
        // The request leaves in this cycle (registered); the answer comes after it.
        tmo_d = tmo_q + 16'd1;
        if (csr_rvalid_i && !csr_req_o) begin
          out_d    = csr_rdata_i;
          ob_d     = '0;
          xstate_d = XSend;
        end else if (tmo_q == 16'(BusTimeout)) begin
          out_d     = 32'hffff_ffff;
          ob_d      = '0;
          timeout_d = 1'b1;
          xstate_d  = XSend;
        end
      end

      XSend: begin
        m_axis_tvalid_o = 1'b1;
        if (m_axis_tready_i) begin
          out_d  = {out_q[23:0], 8'h00};
          ob_d   = ob_q + 2'd1;
          sent_d = sent_q + 16'd1;
          if (ob_q == 2'd3) begin
            xstate_d = ret_q;
          end
        end
      end

      XSkip: begin
        if (wf_tvalid) begin
          wf_pop = 1'b1;
          if (wf_tlast) begin
            xstate_d = XEnd;
          end
        end
      end

      XEnd: begin
        mf_pop   = 1'b1;
        xstate_d = XIdle;
      end

      default: xstate_d = XIdle;
    endcase
  end

  logic unused_wf_user;
  logic [11:0] unused_addr_hi;
  assign unused_wf_user = wf_tuser;
  assign unused_addr_hi = bus_addr_d[31:20];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      xstate_q       <= XIdle;
      ret_q          <= XIdle;
      out_q          <= '0;
      ob_q           <= '0;
      sent_q         <= '0;
      xw_q           <= '0;
      xr_q           <= '0;
      xwff_q         <= 1'b0;
      xaddr_q        <= '0;
      tmo_q          <= '0;
      csr_req_o      <= 1'b0;
      csr_we_o       <= 1'b0;
      csr_addr_o     <= '0;
      csr_wdata_o    <= '0;
      stat_write_o   <= 1'b0;
      stat_read_o    <= 1'b0;
      stat_timeout_o <= 1'b0;
    end else begin
      xstate_q       <= xstate_d;
      ret_q          <= ret_d;
      out_q          <= out_d;
      ob_q           <= ob_d;
      sent_q         <= sent_d;
      xw_q           <= xw_d;
      xr_q           <= xr_d;
      xwff_q         <= xwff_d;
      xaddr_q        <= xaddr_d;
      tmo_q          <= tmo_d;
      csr_req_o      <= bus_req_d;
      csr_we_o       <= bus_we_d;
      csr_addr_o     <= bus_addr_d[CsrAw-1:0];
      csr_wdata_o    <= bus_wdata_d;
      stat_write_o   <= write_d;
      stat_read_o    <= read_d;
      stat_timeout_o <= timeout_d;
    end
  end

endmodule
