/**
 * AXI4-Stream ingress: frames into the packet buffer
 *
 * Accepts one frame at a time on a 64-bit AXI4-Stream slave and writes it into the packet
 * buffer through a 64-bit word port, byte 0 of the frame at byte HeadroomBytes of the buffer
 * (word HeadroomBytes / 8, lane 0). The ingress port number travels in tuser and is taken
 * from the first beat of the frame.
 *
 * Stream rules (docs/packet_io.md): the stream is packed. Every beat but the last carries
 * 8 bytes (tkeep = 8'hff); the last beat (tlast) carries n = 1..8 bytes in its low lanes
 * (tkeep = 2^n - 1). A frame that breaks these rules, or whose tuser names no port
 * (>= NumPorts), is malformed: it is consumed up to tlast and dropped (drop_malformed_o).
 * A frame longer than MaxFrameBytes is consumed up to tlast and dropped (drop_oversize_o);
 * nothing past MaxFrameBytes is ever written, and a frame is never cut. Every length from
 * 1 to MaxFrameBytes is handed on (runts too: the program decides).
 *
 * Handshake with the sequencer: a frame starts only while en_i is high (tready is low
 * otherwise). When its last beat has been written, frame_valid_o rises with frame_len_o and
 * frame_port_o and stays until frame_ack_i; no new frame is accepted meanwhile (the buffer
 * belongs to the program, then to egress). Writes reach the buffer one cycle after their
 * beat; frame_valid_o rises in the cycle of the last write.
 */
module ebpf_axis_rx #(
  parameter int unsigned NumPorts      = 4,
  parameter int unsigned PortW         = 2,      // tuser width: at least $clog2(NumPorts)
  parameter int unsigned MaxFrameBytes = 9018,   // longest frame handed on
  parameter int unsigned HeadroomBytes = 256,    // buffer offset of frame byte 0 (multiple of 8)
  parameter int unsigned AddrW         = 11,     // buffer word address width
  parameter int unsigned LenW          = 16      // frame length width
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // AXI4-Stream slave
  input  logic              s_axis_tvalid_i,
  output logic              s_axis_tready_o,
  input  logic [63:0]       s_axis_tdata_i,
  input  logic [7:0]        s_axis_tkeep_i,
  input  logic              s_axis_tlast_i,
  input  logic [PortW-1:0]  s_axis_tuser_i,

  // Packet buffer word writes
  output logic              wr_req_o,
  output logic [AddrW-1:0]  wr_addr_o,
  output logic [63:0]       wr_data_o,
  output logic [7:0]        wr_mask_o,

  // Sequencer
  input  logic              en_i,             // a new frame may start
  output logic              in_frame_o,       // between the first and the last beat
  output logic              sof_o,            // pulse: first beat of a frame accepted
  output logic              frame_valid_o,    // a frame is in the buffer
  output logic [LenW-1:0]   frame_len_o,
  output logic [PortW-1:0]  frame_port_o,
  input  logic              frame_ack_i,
  output logic              eof_o,            // pulse: a frame ended (handed on or dropped)
  output logic [PortW-1:0]  eof_port_o,       // its port (valid with eof_o)
  output logic              drop_oversize_o,  // pulse with eof_o: dropped, too long
  output logic              drop_malformed_o  // pulse with eof_o: dropped, bad tkeep or port
);

  localparam int unsigned HeadWords = HeadroomBytes / 8;

  if (HeadroomBytes % 8 != 0) begin : gen_head_check
    $error("ebpf_axis_rx: HeadroomBytes (%0d) must be a multiple of 8 (instance %m)",
           HeadroomBytes);
  end
  if ((HeadroomBytes + MaxFrameBytes + 7) / 8 > (1 << AddrW)) begin : gen_addr_check
    $error("ebpf_axis_rx: AddrW (%0d) too narrow for the frame (instance %m)", AddrW);
  end
  if (MaxFrameBytes >= (1 << LenW) - 8) begin : gen_len_check
    $error("ebpf_axis_rx: LenW (%0d) too narrow for MaxFrameBytes (instance %m)", LenW);
  end
  if (NumPorts > (1 << PortW) || NumPorts < 1) begin : gen_port_check
    $error("ebpf_axis_rx: PortW (%0d) too narrow for NumPorts (instance %m)", PortW);
  end

  typedef enum logic [1:0] {
    RX_IDLE  = 2'd0,   // waiting for a first beat
    RX_RECV  = 2'd1,   // inside a frame
    RX_FULL  = 2'd2    // frame in the buffer, waiting for frame_ack_i
  } rx_state_e;

  rx_state_e         state_q, state_d;
  logic [LenW-1:0]   len_q, len_d;
  logic [PortW-1:0]  port_q, port_d;
  logic              oversize_q, oversize_d, malformed_q, malformed_d;
  logic [AddrW-1:0]  waddr_q, waddr_d;

  logic              beat;
  logic [3:0]        nbytes;
  logic              keep_ok;
  logic [LenW:0]     len_next;
  logic [PortW-1:0]  beat_port;
  logic              port_ok;

  assign s_axis_tready_o = (state_q == RX_RECV) || (state_q == RX_IDLE && en_i);
  assign beat            = s_axis_tvalid_i && s_axis_tready_o;

  // Bytes of this beat and whether its tkeep is allowed.
  always_comb begin
    nbytes  = 4'd8;
    keep_ok = s_axis_tkeep_i == 8'hff;
    if (s_axis_tlast_i) begin
      keep_ok = 1'b0;
      for (int unsigned n = 1; n <= 8; n++) begin
        if (s_axis_tkeep_i == 8'((16'd1 << n) - 16'd1)) begin
          keep_ok = 1'b1;
          nbytes  = 4'(n);
        end
      end
    end
  end

  // The port of a frame is its first beat's tuser.
  assign beat_port = (state_q == RX_IDLE) ? s_axis_tuser_i : port_q;
  assign port_ok   = 32'(beat_port) < NumPorts;
  assign len_next  = (state_q == RX_IDLE ? '0 : {1'b0, len_q}) + (LenW + 1)'(nbytes);

  logic write_beat;
  logic first_ok, bad, over;

  always_comb begin
    state_d     = state_q;
    len_d       = len_q;
    port_d      = port_q;
    oversize_d  = oversize_q;
    malformed_d = malformed_q;
    waddr_d     = waddr_q;
    write_beat  = 1'b0;
    first_ok    = 1'b0;
    bad         = 1'b0;
    over        = 1'b0;

    unique case (state_q)
      RX_IDLE, RX_RECV: begin
        if (beat) begin
          first_ok = state_q == RX_IDLE;
          // Errors so far, this beat included.
          bad  = (first_ok ? 1'b0 : malformed_q) || !keep_ok || !port_ok;
          over = (first_ok ? 1'b0 : oversize_q) || len_next > (LenW + 1)'(MaxFrameBytes);
          write_beat  = !bad && !over;
          port_d      = beat_port;
          malformed_d = bad;
          oversize_d  = over;
          waddr_d     = (first_ok ? AddrW'(HeadWords) : waddr_q) + AddrW'(1);
          len_d       = over ? len_q : len_next[LenW-1:0];
          if (s_axis_tlast_i) begin
            state_d = (bad || over) ? RX_IDLE : RX_FULL;
          end else begin
            state_d = RX_RECV;
          end
        end
      end
      RX_FULL: begin
        if (frame_ack_i) begin
          state_d = RX_IDLE;
        end
      end
      default: state_d = RX_IDLE;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= RX_IDLE;
      len_q       <= '0;
      port_q      <= '0;
      oversize_q  <= 1'b0;
      malformed_q <= 1'b0;
      waddr_q     <= '0;
    end else begin
      state_q     <= state_d;
      len_q       <= len_d;
      port_q      <= port_d;
      oversize_q  <= oversize_d;
      malformed_q <= malformed_d;
      waddr_q     <= waddr_d;
    end
  end

  // The write of a beat, one cycle later.
  logic              wr_req_q;
  logic [AddrW-1:0]  wr_addr_q;
  logic [63:0]       wr_data_q;
  logic [7:0]        wr_mask_q;
  logic              eof_q, drop_over_q, drop_bad_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_req_q    <= 1'b0;
      wr_addr_q   <= '0;
      wr_data_q   <= '0;
      wr_mask_q   <= '0;
      eof_q       <= 1'b0;
      drop_over_q <= 1'b0;
      drop_bad_q  <= 1'b0;
    end else begin
      wr_req_q    <= write_beat;
      if (write_beat) begin
        wr_addr_q <= first_ok ? AddrW'(HeadWords) : waddr_q;
        wr_data_q <= s_axis_tdata_i;
        wr_mask_q <= s_axis_tkeep_i;
      end
      eof_q       <= beat && s_axis_tlast_i;
      drop_over_q <= beat && s_axis_tlast_i && over && !bad;
      drop_bad_q  <= beat && s_axis_tlast_i && bad;
    end
  end

  assign wr_req_o  = wr_req_q;
  assign wr_addr_o = wr_addr_q;
  assign wr_data_o = wr_data_q;
  assign wr_mask_o = wr_mask_q;

  assign in_frame_o       = state_q == RX_RECV || wr_req_q;
  assign sof_o            = beat && state_q == RX_IDLE;
  assign frame_valid_o    = state_q == RX_FULL;
  assign frame_len_o      = len_q;
  assign frame_port_o     = port_q;
  assign eof_o            = eof_q;
  assign eof_port_o       = port_q;
  assign drop_oversize_o  = drop_over_q;
  assign drop_malformed_o = drop_bad_q;

endmodule
