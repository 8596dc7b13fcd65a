/**
 * Receive steering: control traffic or data plane (GMII RX clock domain)
 *
 * Watches the headers of each received frame and copies every byte to two outputs, the
 * control path and the data plane, each feeding a store-and-forward FIFO. At tlast it marks
 * the copy that must not be kept with tuser = 1, so exactly one FIFO commits the frame (and
 * neither does when the MAC flagged it bad). This needs no header buffer: the decision is
 * due only when the frame ends.
 *
 * Control frames: ARP whose target IP is ours (to our MAC or broadcast), and IPv4/UDP to our
 * MAC and IP whose destination port is the control port (any header length) or which is a
 * fragment (it cannot be matched by port, and the control path drops and counts it).
 * Everything else goes to the data plane.
 *
 * The configuration inputs are quasi-static (synchronised by the caller).
 */
module ebpf_net_rx_steer
  import ebpf_net_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [47:0] local_mac_i,
  input  logic [31:0] local_ip_i,
  input  logic [15:0] ctrl_port_i,

  // Frames from ebpf_net_gmii_rx (no back-pressure)
  input  logic [7:0]  s_axis_tdata_i,
  input  logic        s_axis_tvalid_i,
  input  logic        s_axis_tlast_i,
  input  logic        s_axis_tuser_i,

  // Both copies (same data, valid and last; tuser differs) -> to the RX FIFOs
  output logic [7:0]  m_axis_tdata_o,
  output logic        m_axis_tvalid_o,
  output logic        m_axis_tlast_o,
  output logic        m_ctrl_tuser_o,
  output logic        m_data_tuser_o,

  // Counter pulses for good frames
  output logic        stat_ctrl_o,
  output logic        stat_data_o
);

  logic [6:0]  pos_q;                 // byte position, saturating at 127
  logic        mac_us_q, mac_bc_q;    // running matches of the destination MAC
  logic [15:0] etype_q;
  logic [3:0]  ihl_q;
  logic        ver4_q;
  logic        frag_q, udp_q;
  logic        dip_q, tpa_q;          // running matches of the IPv4 destination / ARP target
  logic        port_hi_q, port_q;

  logic [7:0]  b;
  logic [6:0]  port_pos;
  logic        is_ctrl;

  assign b        = s_axis_tdata_i;
  assign port_pos = 7'd16 + {1'b0, ihl_q, 2'b00};

  // The fields seen so far decide; a frame too short to show them is data.
  always_comb begin
    is_ctrl = 1'b0;
    if (etype_q == EtherTypeArp && pos_q > 7'd41) begin
      is_ctrl = (mac_us_q || mac_bc_q) && tpa_q;
    end else if (etype_q == EtherTypeIpv4 && pos_q > 7'd33) begin
      is_ctrl = mac_us_q && ver4_q && udp_q && dip_q && (frag_q || port_q);
    end
  end

  function automatic logic [7:0] mac_byte(logic [47:0] mac, logic [6:0] i);
    return mac[8*(5 - int'(i)) +: 8];
  endfunction

  function automatic logic [7:0] ip_byte(logic [31:0] ip, logic [6:0] i);
    return ip[8*(3 - int'(i)) +: 8];
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pos_q           <= '0;
      mac_us_q        <= 1'b1;
      mac_bc_q        <= 1'b1;
      etype_q         <= '0;
      ihl_q           <= '0;
      ver4_q          <= 1'b0;
      frag_q          <= 1'b0;
      udp_q           <= 1'b0;
      dip_q           <= 1'b1;
      tpa_q           <= 1'b1;
      port_hi_q       <= 1'b0;
      port_q          <= 1'b0;
      m_axis_tdata_o  <= '0;
      m_axis_tvalid_o <= 1'b0;
      m_axis_tlast_o  <= 1'b0;
      m_ctrl_tuser_o  <= 1'b0;
      m_data_tuser_o  <= 1'b0;
      stat_ctrl_o     <= 1'b0;
      stat_data_o     <= 1'b0;
    end else begin
      m_axis_tdata_o  <= b;
      m_axis_tvalid_o <= s_axis_tvalid_i;
      m_axis_tlast_o  <= s_axis_tvalid_i && s_axis_tlast_i;
      m_ctrl_tuser_o  <= s_axis_tuser_i || !is_ctrl;
      m_data_tuser_o  <= s_axis_tuser_i || is_ctrl;
      stat_ctrl_o     <= s_axis_tvalid_i && s_axis_tlast_i && !s_axis_tuser_i && is_ctrl;
      stat_data_o     <= s_axis_tvalid_i && s_axis_tlast_i && !s_axis_tuser_i && !is_ctrl;

      if (s_axis_tvalid_i) begin
        if (s_axis_tlast_i) begin
          pos_q     <= '0;
          mac_us_q  <= 1'b1;
          mac_bc_q  <= 1'b1;
          etype_q   <= '0;
          ihl_q     <= '0;
          ver4_q    <= 1'b0;
          frag_q    <= 1'b0;
          udp_q     <= 1'b0;
          dip_q     <= 1'b1;
          tpa_q     <= 1'b1;
          port_hi_q <= 1'b0;
          port_q    <= 1'b0;
        end else begin
          if (pos_q != 7'd127) begin
            pos_q <= pos_q + 7'd1;
          end
          if (pos_q <= 7'd5) begin
            mac_us_q <= mac_us_q && b == mac_byte(local_mac_i, pos_q);
            mac_bc_q <= mac_bc_q && b == 8'hff;
          end
          if (pos_q == 7'd12) etype_q[15:8] <= b;
          if (pos_q == 7'd13) etype_q[7:0]  <= b;
          if (pos_q == 7'd14) begin
            ver4_q <= b[7:4] == 4'd4;
            ihl_q  <= b[3:0];
          end
          if (pos_q == 7'd20) frag_q <= b[5] || b[4:0] != '0;   // MF or offset high bits
          if (pos_q == 7'd21) frag_q <= frag_q || b != '0;
          if (pos_q == 7'd23) udp_q  <= b == IpProtoUdp;
          if (pos_q >= 7'd30 && pos_q <= 7'd33) begin
            dip_q <= dip_q && b == ip_byte(local_ip_i, pos_q - 7'd30);
          end
          if (pos_q >= 7'd38 && pos_q <= 7'd41) begin
            tpa_q <= tpa_q && b == ip_byte(local_ip_i, pos_q - 7'd38);
          end
          if (ihl_q >= 4'd5 && pos_q == port_pos) port_hi_q <= b == ctrl_port_i[15:8];
          if (ihl_q >= 4'd5 && pos_q == port_pos + 7'd1) begin
            port_q <= port_hi_q && b == ctrl_port_i[7:0];
          end
        end
      end
    end
  end

endmodule
