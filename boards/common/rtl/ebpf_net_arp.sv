/**
 * ARP responder
 *
 * Answers ARP requests (Ethernet, IPv4) whose target protocol address is local_ip_i with a
 * reply carrying local_mac_i, sent to the requester's hardware address. It takes every
 * frame of the control path (always ready) and ignores the others. One reply can wait;
 * a request that arrives while a reply is still being sent is dropped and counted (the
 * requester retries).
 */
module ebpf_net_arp
  import ebpf_net_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [47:0] local_mac_i,
  input  logic [31:0] local_ip_i,

  // Frames without FCS <- control path
  input  logic [7:0]  s_axis_tdata_i,
  input  logic        s_axis_tvalid_i,
  output logic        s_axis_tready_o,
  input  logic        s_axis_tlast_i,
  input  logic        s_axis_tuser_i,

  // Replies (42 bytes; the MAC pads) -> to the TX arbiter
  output logic [7:0]  m_axis_tdata_o,
  output logic        m_axis_tvalid_o,
  input  logic        m_axis_tready_i,
  output logic        m_axis_tlast_o,
  output logic        m_axis_tuser_o,

  // Counter pulses
  output logic        stat_reply_o,
  output logic        stat_drop_o
);

  // Expected bytes 12..21: EtherType, hardware type, protocol type, sizes, request opcode.
  localparam logic [79:0] ArpReqHdr = {EtherTypeArp, ArpHtypeEth, EtherTypeIpv4, 8'd6, 8'd4,
                                       ArpOpRequest};

  logic [5:0]  pos_q;                 // byte position, saturating at 63
  logic        ok_q;                  // every checked byte so far matched
  logic [47:0] sha_q;                 // sender hardware / protocol address of the request
  logic [31:0] spa_q;
  logic [7:0]  b;
  logic        req_done;

  assign s_axis_tready_o = 1'b1;
  assign b               = s_axis_tdata_i;

  function automatic logic [7:0] ip_byte(logic [31:0] ip, logic [5:0] i);
    return ip[8*(3 - int'(i)) +: 8];
  endfunction

  // The request is complete and for us when its last byte passes with every check good.
  assign req_done = s_axis_tvalid_i && s_axis_tlast_i && !s_axis_tuser_i && ok_q &&
                    pos_q >= 6'd41;

  logic        busy_q;
  logic [5:0]  idx_q;
  logic [47:0] tha_q;
  logic [31:0] tpa_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pos_q        <= '0;
      ok_q         <= 1'b1;
      sha_q        <= '0;
      spa_q        <= '0;
      busy_q       <= 1'b0;
      idx_q        <= '0;
      tha_q        <= '0;
      tpa_q        <= '0;
      stat_reply_o <= 1'b0;
      stat_drop_o  <= 1'b0;
    end else begin
      stat_reply_o <= 1'b0;
      stat_drop_o  <= 1'b0;

      if (s_axis_tvalid_i) begin
        if (s_axis_tlast_i) begin
          pos_q <= '0;
          ok_q  <= 1'b1;
        end else if (pos_q != 6'd63) begin
          pos_q <= pos_q + 6'd1;
        end
        if (!s_axis_tlast_i) begin
          if (pos_q >= 6'd12 && pos_q <= 6'd21) begin
            ok_q <= ok_q && b == ArpReqHdr[8*(21 - int'(pos_q)) +: 8];
          end
          if (pos_q >= 6'd38 && pos_q <= 6'd41) begin
            ok_q <= ok_q && b == ip_byte(local_ip_i, pos_q - 6'd38);
          end
        end
        if (pos_q >= 6'd22 && pos_q <= 6'd27) sha_q <= {sha_q[39:0], b};
        if (pos_q >= 6'd28 && pos_q <= 6'd31) spa_q <= {spa_q[23:0], b};
      end

      if (req_done) begin
        if (busy_q) begin
          stat_drop_o <= 1'b1;
        end else begin
          busy_q <= 1'b1;
          idx_q  <= '0;
          tha_q  <= sha_q;
          tpa_q  <= spa_q;
        end
      end

      if (m_axis_tvalid_o && m_axis_tready_i) begin
        idx_q <= idx_q + 6'd1;
        if (m_axis_tlast_o) begin
          busy_q       <= 1'b0;
          stat_reply_o <= 1'b1;
        end
      end
    end
  end

  // The reply, byte 0 at the top.
  logic [8*ArpFrameBytes-1:0] reply;
  assign reply = {tha_q, local_mac_i, EtherTypeArp, ArpHtypeEth, EtherTypeIpv4, 8'd6, 8'd4,
                  ArpOpReply, local_mac_i, local_ip_i, tha_q, tpa_q};

  assign m_axis_tdata_o  = reply[8*(ArpFrameBytes - 1 - int'(idx_q)) +: 8];
  assign m_axis_tvalid_o = busy_q;
  assign m_axis_tlast_o  = idx_q == 6'(ArpFrameBytes - 1);
  assign m_axis_tuser_o  = 1'b0;

endmodule
