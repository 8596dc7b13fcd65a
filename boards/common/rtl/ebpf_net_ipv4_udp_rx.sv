/**
 * IPv4 and UDP receive, one local port
 *
 * Parses Ethernet frames (no FCS) and delivers the payload of UDP datagrams sent to
 * local_mac_i / local_ip_i / local_port_i, with the sender's MAC, IP and port beside it
 * (m_src_*_o and m_len_o hold from the first payload byte to tlast). Checks: version 4 with
 * a 20-byte header (options are refused), header checksum, total length, no fragments, UDP
 * length, and the UDP checksum when it is not zero. The IPv4 checks are done before the
 * payload starts, so a bad datagram puts nothing on the stream; the UDP checksum is only
 * known at the end, so a datagram that fails it (or is cut short) ends with tuser = 1 and
 * the receiver must discard it. Frames of other types, or for other addresses or ports,
 * are skipped silently; the failures are counted.
 */
module ebpf_net_ipv4_udp_rx
  import ebpf_net_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [47:0] local_mac_i,
  input  logic [31:0] local_ip_i,
  input  logic [15:0] local_port_i,

  // Frames without FCS <- control path
  input  logic [7:0]  s_axis_tdata_i,
  input  logic        s_axis_tvalid_i,
  output logic        s_axis_tready_o,
  input  logic        s_axis_tlast_i,
  input  logic        s_axis_tuser_i,

  // UDP payload -> to Etherbone
  output logic [7:0]  m_axis_tdata_o,
  output logic        m_axis_tvalid_o,
  input  logic        m_axis_tready_i,
  output logic        m_axis_tlast_o,
  output logic        m_axis_tuser_o,      // on tlast: discard (bad checksum, truncated)
  output logic [47:0] m_src_mac_o,
  output logic [31:0] m_src_ip_o,
  output logic [15:0] m_src_port_o,
  output logic [15:0] m_len_o,             // payload bytes

  // Counter pulses
  output logic        stat_good_o,         // datagram delivered whole and good
  output logic        stat_bad_csum_o,     // IPv4 header checksum
  output logic        stat_bad_hdr_o,      // not version 4, options, bad total length
  output logic        stat_fragment_o,
  output logic        stat_udp_bad_o       // UDP length or checksum, truncated datagram
);

  typedef enum logic [1:0] {
    StHdr,
    StPayload,
    StSkip
  } state_e;

  state_e      state_q;
  logic [5:0]  pos_q;
  logic [7:0]  b;
  logic        accept;

  logic        mac_us_q, dip_q, etype_q, ver_ok_q, frag_q, proto_q, port_q;
  logic [15:0] tot_len_q, udp_len_q, udp_csum_q;
  logic [31:0] ip_sum_q, udp_sum_q;        // ones'-complement accumulators (unfolded)
  logic [15:0] left_q;                     // payload bytes still to come
  logic        odd_q;                      // next payload byte is the low byte of a word

  assign b      = s_axis_tdata_i;
  assign accept = s_axis_tvalid_i && s_axis_tready_o;

  assign s_axis_tready_o = (state_q == StPayload) ? m_axis_tready_i : 1'b1;

  function automatic logic [7:0] mac_byte(logic [47:0] mac, logic [5:0] i);
    return mac[8*(5 - int'(i)) +: 8];
  endfunction

  function automatic logic [7:0] ip_byte(logic [31:0] ip, logic [5:0] i);
    return ip[8*(3 - int'(i)) +: 8];
  endfunction

  // A byte at an even offset is the high half of a 16-bit word.
  function automatic logic [31:0] add_byte(logic [31:0] sum, logic [7:0] v, logic high);
    return sum + (high ? {16'd0, v, 8'd0} : {24'd0, v});
  endfunction

  // Payload path.
  logic [31:0] udp_sum_next;
  logic        pl_last, csum_bad, short;

  assign udp_sum_next = add_byte(udp_sum_q, b, !odd_q);
  assign pl_last      = left_q == 16'd1;
  assign csum_bad     = udp_csum_q != 16'd0 && csum_fold(udp_sum_next) != 16'hffff;
  assign short        = s_axis_tlast_i && !pl_last;

  assign m_axis_tdata_o  = b;
  assign m_axis_tvalid_o = state_q == StPayload && s_axis_tvalid_i;
  assign m_axis_tlast_o  = pl_last || s_axis_tlast_i;
  assign m_axis_tuser_o  = short || (pl_last && csum_bad) || (s_axis_tlast_i && s_axis_tuser_i);

  // Header decision, taken on the last UDP header byte (position 41).
  logic        hdr_end;
  logic [15:0] udp_len_full;
  logic        ip_csum_ok, tot_ok, udp_ok;

  assign hdr_end      = accept && state_q == StHdr && pos_q == 6'd41 && !s_axis_tlast_i;
  assign udp_len_full = udp_len_q;
  assign ip_csum_ok   = csum_fold(ip_sum_q) == 16'hffff;
  assign tot_ok       = tot_len_q >= 16'(IpHdrBytes + UdpHdrBytes);
  assign udp_ok       = udp_len_full > 16'(UdpHdrBytes) &&
                        udp_len_full <= tot_len_q - 16'(IpHdrBytes);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q         <= StHdr;
      pos_q           <= '0;
      mac_us_q        <= 1'b1;
      dip_q           <= 1'b1;
      etype_q         <= 1'b0;
      ver_ok_q        <= 1'b0;
      frag_q          <= 1'b0;
      proto_q         <= 1'b0;
      port_q          <= 1'b0;
      tot_len_q       <= '0;
      udp_len_q       <= '0;
      udp_csum_q      <= '0;
      ip_sum_q        <= '0;
      udp_sum_q       <= '0;
      left_q          <= '0;
      odd_q           <= 1'b0;
      m_src_mac_o     <= '0;
      m_src_ip_o      <= '0;
      m_src_port_o    <= '0;
      m_len_o         <= '0;
      stat_good_o     <= 1'b0;
      stat_bad_csum_o <= 1'b0;
      stat_bad_hdr_o  <= 1'b0;
      stat_fragment_o <= 1'b0;
      stat_udp_bad_o  <= 1'b0;
    end else begin
      stat_good_o     <= 1'b0;
      stat_bad_csum_o <= 1'b0;
      stat_bad_hdr_o  <= 1'b0;
      stat_fragment_o <= 1'b0;
      stat_udp_bad_o  <= 1'b0;

      unique case (state_q)
        StHdr: begin
          if (accept) begin
            pos_q <= pos_q + 6'd1;
            if (pos_q <= 6'd5) mac_us_q <= mac_us_q && b == mac_byte(local_mac_i, pos_q);
            if (pos_q >= 6'd6 && pos_q <= 6'd11) m_src_mac_o <= {m_src_mac_o[39:0], b};
            if (pos_q == 6'd12) etype_q <= b == EtherTypeIpv4[15:8];
            if (pos_q == 6'd13) etype_q <= etype_q && b == EtherTypeIpv4[7:0];
            if (pos_q == 6'd14) ver_ok_q <= b == IpVerIhl5;
            if (pos_q == 6'd16) tot_len_q[15:8] <= b;
            if (pos_q == 6'd17) tot_len_q[7:0]  <= b;
            if (pos_q == 6'd20) frag_q <= b[5] || b[4:0] != '0;
            if (pos_q == 6'd21) frag_q <= frag_q || b != '0;
            if (pos_q == 6'd23) proto_q <= b == IpProtoUdp;
            if (pos_q >= 6'd26 && pos_q <= 6'd29) m_src_ip_o <= {m_src_ip_o[23:0], b};
            if (pos_q >= 6'd30 && pos_q <= 6'd33) begin
              dip_q <= dip_q && b == ip_byte(local_ip_i, pos_q - 6'd30);
            end
            if (pos_q == 6'd34) m_src_port_o[15:8] <= b;
            if (pos_q == 6'd35) m_src_port_o[7:0]  <= b;
            if (pos_q == 6'd36) port_q <= b == local_port_i[15:8];
            if (pos_q == 6'd37) port_q <= port_q && b == local_port_i[7:0];
            if (pos_q == 6'd38) udp_len_q[15:8] <= b;
            if (pos_q == 6'd39) udp_len_q[7:0]  <= b;
            if (pos_q == 6'd40) udp_csum_q[15:8] <= b;
            if (pos_q == 6'd41) udp_csum_q[7:0]  <= b;
            if (pos_q >= 6'd14 && pos_q <= 6'd33) begin
              ip_sum_q <= add_byte(ip_sum_q, b, !pos_q[0]);
            end
            if (pos_q >= 6'd26 && pos_q <= 6'd41) begin
              udp_sum_q <= add_byte(udp_sum_q, b, !pos_q[0]);
            end
            if (pos_q == 6'd39) begin
              // Pseudo header: protocol and UDP length (the addresses are summed in place).
              udp_sum_q <= add_byte(udp_sum_q, b, 1'b0) + {24'd0, IpProtoUdp} +
                           {16'd0, udp_len_q[15:8], b};
            end

            if (s_axis_tlast_i) begin
              // Too short to hold the headers.
              stat_bad_hdr_o <= etype_q && mac_us_q && pos_q > 6'd13;
            end
            if (hdr_end) begin
              state_q <= StSkip;
              if (!etype_q || !mac_us_q) begin
                // not IPv4 to us: skip silently
              end else if (!ver_ok_q) begin
                stat_bad_hdr_o <= 1'b1;
              end else if (!ip_csum_ok) begin
                stat_bad_csum_o <= 1'b1;
              end else if (!tot_ok) begin
                stat_bad_hdr_o <= 1'b1;
              end else if (!dip_q || !proto_q) begin
                // another address or protocol: skip silently
              end else if (frag_q) begin
                stat_fragment_o <= 1'b1;
              end else if (!port_q) begin
                // another port: skip silently
              end else if (!udp_ok) begin
                stat_udp_bad_o <= 1'b1;
              end else begin
                state_q <= StPayload;
                left_q  <= udp_len_full - 16'(UdpHdrBytes);
                m_len_o <= udp_len_full - 16'(UdpHdrBytes);
                odd_q   <= 1'b0;
              end
            end
          end
        end

        StPayload: begin
          if (accept) begin
            left_q    <= left_q - 16'd1;
            udp_sum_q <= udp_sum_next;
            odd_q     <= !odd_q;
            if (m_axis_tlast_o) begin
              stat_good_o    <= !m_axis_tuser_o;
              stat_udp_bad_o <= m_axis_tuser_o;
              state_q        <= s_axis_tlast_i ? StHdr : StSkip;
            end
          end
        end

        StSkip: begin
          // Ethernet padding or a refused datagram: wait for the end of the frame.
        end

        default: state_q <= StHdr;
      endcase

      if (accept && s_axis_tlast_i) begin
        if (state_q != StPayload || m_axis_tlast_o) begin
          state_q <= StHdr;
        end
        pos_q     <= '0;
        mac_us_q  <= 1'b1;
        dip_q     <= 1'b1;
        ip_sum_q  <= '0;
        udp_sum_q <= '0;
      end
    end
  end

endmodule
