/**
 * IPv4 and UDP transmit
 *
 * Wraps a payload in Ethernet, IPv4 and UDP headers: from local_mac_i / local_ip_i /
 * local_port_i to the destination given with the request (s_dst_*_i, held until
 * s_hdr_ready_o). The IPv4 header has no options, TTL 64, DF set, an identification that
 * counts datagrams, and its checksum; the UDP checksum is 0 (allowed on IPv4). The payload
 * stream must bring exactly s_len_i bytes; if its tlast comes at another length the frame
 * still ends there, with tuser = 1 (the MAC then spoils its FCS).
 */
module ebpf_net_ipv4_udp_tx
  import ebpf_net_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [47:0] local_mac_i,
  input  logic [31:0] local_ip_i,
  input  logic [15:0] local_port_i,

  // Datagram request <- from Etherbone
  input  logic        s_hdr_valid_i,
  output logic        s_hdr_ready_o,
  input  logic [47:0] s_dst_mac_i,
  input  logic [31:0] s_dst_ip_i,
  input  logic [15:0] s_dst_port_i,
  input  logic [15:0] s_len_i,           // payload bytes, 1..1472

  // Payload <- from Etherbone
  input  logic [7:0]  s_axis_tdata_i,
  input  logic        s_axis_tvalid_i,
  output logic        s_axis_tready_o,
  input  logic        s_axis_tlast_i,

  // Frames without FCS -> to the TX arbiter
  output logic [7:0]  m_axis_tdata_o,
  output logic        m_axis_tvalid_o,
  input  logic        m_axis_tready_i,
  output logic        m_axis_tlast_o,
  output logic        m_axis_tuser_o,

  output logic        stat_frame_o
);

  typedef enum logic [1:0] {
    StIdle,
    StCsum,
    StHdr,
    StPayload
  } state_e;

  state_e      state_q;
  logic [47:0] dst_mac_q;
  logic [31:0] dst_ip_q;
  logic [15:0] dst_port_q, len_q, id_q, csum_q, cnt_q;
  logic [5:0]  idx_q;

  logic [15:0] tot_len, udp_len;
  logic [31:0] sum;

  assign tot_len = len_q + 16'(IpHdrBytes + UdpHdrBytes);
  assign udp_len = len_q + 16'(UdpHdrBytes);
  assign sum     = {16'd0, IpVerIhl5, 8'h00} + {16'd0, tot_len} + {16'd0, id_q} +
                   {16'd0, IpFlagsDf} + {16'd0, IpTtl, IpProtoUdp} +
                   {16'd0, local_ip_i[31:16]} + {16'd0, local_ip_i[15:0]} +
                   {16'd0, dst_ip_q[31:16]} + {16'd0, dst_ip_q[15:0]};

  logic [8*UdpFrameHdr-1:0] hdr;
  assign hdr = {dst_mac_q, local_mac_i, EtherTypeIpv4,
                IpVerIhl5, 8'h00, tot_len, id_q, IpFlagsDf, IpTtl, IpProtoUdp, csum_q,
                local_ip_i, dst_ip_q,
                local_port_i, dst_port_q, udp_len, 16'h0000};

  assign s_hdr_ready_o   = state_q == StIdle;
  assign s_axis_tready_o = state_q == StPayload && m_axis_tready_i;

  always_comb begin
    m_axis_tdata_o  = hdr[8*(UdpFrameHdr - 1 - int'(idx_q)) +: 8];
    m_axis_tvalid_o = 1'b0;
    m_axis_tlast_o  = 1'b0;
    m_axis_tuser_o  = 1'b0;
    unique case (state_q)
      StHdr: m_axis_tvalid_o = 1'b1;
      StPayload: begin
        m_axis_tdata_o  = s_axis_tdata_i;
        m_axis_tvalid_o = s_axis_tvalid_i;
        m_axis_tlast_o  = s_axis_tlast_i;
        m_axis_tuser_o  = s_axis_tlast_i && cnt_q + 16'd1 != len_q;
      end
      default: ;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= StIdle;
      dst_mac_q    <= '0;
      dst_ip_q     <= '0;
      dst_port_q   <= '0;
      len_q        <= '0;
      id_q         <= '0;
      csum_q       <= '0;
      cnt_q        <= '0;
      idx_q        <= '0;
      stat_frame_o <= 1'b0;
    end else begin
      stat_frame_o <= 1'b0;
      unique case (state_q)
        StIdle: begin
          if (s_hdr_valid_i) begin
            dst_mac_q  <= s_dst_mac_i;
            dst_ip_q   <= s_dst_ip_i;
            dst_port_q <= s_dst_port_i;
            len_q      <= s_len_i;
            state_q    <= StCsum;
          end
        end
        StCsum: begin
          csum_q  <= ~csum_fold(sum);
          idx_q   <= '0;
          state_q <= StHdr;
        end
        StHdr: begin
          if (m_axis_tready_i) begin
            idx_q <= idx_q + 6'd1;
            if (idx_q == 6'(UdpFrameHdr - 1)) begin
              cnt_q   <= '0;
              state_q <= StPayload;
            end
          end
        end
        StPayload: begin
          if (s_axis_tvalid_i && m_axis_tready_i) begin
            cnt_q <= cnt_q + 16'd1;
            if (s_axis_tlast_i) begin
              id_q         <= id_q + 16'd1;
              stat_frame_o <= 1'b1;
              state_q      <= StIdle;
            end
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end

endmodule
