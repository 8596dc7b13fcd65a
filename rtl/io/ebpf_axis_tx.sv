/**
 * AXI4-Stream egress: a frame from the packet buffer
 *
 * Sends the bytes [start_off_i, end_off_i) of the packet buffer as one frame on a 64-bit
 * AXI4-Stream master, tdest = port_i. The start may be any byte (after bpf_xdp_adjust_head
 * the frame begins anywhere) and the length any number of bytes: beat k carries buffer bytes
 * start + 8k .. start + 8k + 7, realigned from two buffer words; every beat but the last has
 * tkeep = 8'hff, the last has tkeep = 2^n - 1 for its n bytes, with the unused lanes zero.
 * The stream is packed, as ebpf_axis_rx expects it.
 *
 * The buffer is read through a 64-bit word port whose data arrives the cycle after the
 * request. A four-word queue keeps the stream at one beat per cycle while m_axis_tready_i
 * stays high and absorbs back-pressure. An empty range (end <= start) sends nothing and
 * finishes at once. done_o pulses when the last beat has been taken (or at once for an
 * empty range); start_i is ignored while busy_o.
 */
module ebpf_axis_tx #(
  parameter int unsigned PortW = 2,    // tdest width
  parameter int unsigned AddrW = 11,   // buffer word address width
  parameter int unsigned OffW  = 16    // byte offset width
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  input  logic              start_i,
  input  logic [OffW-1:0]   start_off_i,
  input  logic [OffW-1:0]   end_off_i,
  input  logic [PortW-1:0]  port_i,
  output logic              busy_o,
  output logic              done_o,

  // Packet buffer word reads (data the cycle after the request)
  output logic              rd_req_o,
  output logic [AddrW-1:0]  rd_addr_o,
  input  logic [63:0]       rd_data_i,

  // AXI4-Stream master
  output logic              m_axis_tvalid_o,
  input  logic              m_axis_tready_i,
  output logic [63:0]       m_axis_tdata_o,
  output logic [7:0]        m_axis_tkeep_o,
  output logic              m_axis_tlast_o,
  output logic [PortW-1:0]  m_axis_tdest_o
);

  if (OffW < AddrW + 3) begin : gen_off_check
    $error("ebpf_axis_tx: OffW (%0d) must cover the buffer (AddrW + 3) (instance %m)", OffW);
  end

  localparam int unsigned Depth = 4;

  logic              busy_q;
  logic [2:0]        shift_q;          // start byte within its word
  logic [AddrW-1:0]  raddr_q;          // next word to read
  logic [OffW-3:0]   reads_left_q;     // words still to read
  logic [OffW-3:0]   words_left_q;     // words not yet taken out of the queue
  logic [OffW-3:0]   beats_left_q;     // beats not yet formed
  logic [3:0]        last_n_q;         // bytes of the last beat, 1..8
  logic [PortW-1:0]  port_q;

  // Word queue: entry 0 is the word of the next beat, entry 1 the one after it.
  logic [Depth-1:0][63:0] q_data;
  logic [2:0]        q_count_q;
  logic              inflight_q;

  // ---- start -----------------------------------------------------------------------------
  logic [OffW-1:0]   len;
  logic [OffW-4:0]   first_word, last_word;
  logic              empty;

  assign empty      = end_off_i <= start_off_i;
  assign len        = end_off_i - start_off_i;
  assign first_word = start_off_i[OffW-1:3];
  assign last_word  = (OffW - 3)'(OffW'(end_off_i - OffW'(1)) >> 3);
  logic start_go;
  assign start_go   = start_i && !busy_q && !empty;

  // ---- reads -----------------------------------------------------------------------------
  logic issue;
  assign issue     = busy_q && reads_left_q != '0 && (32'(q_count_q) + 32'(inflight_q)) < Depth;
  assign rd_req_o  = issue;
  assign rd_addr_o = raddr_q;

  // ---- beat formation ---------------------------------------------------------------------
  logic        need_next, avail, last_beat;
  logic [127:0] pair;
  logic [63:0] beat_data;
  logic [7:0]  beat_keep;

  assign need_next = shift_q != 3'd0 && words_left_q >= 2;
  assign avail     = busy_q && beats_left_q != '0 && q_count_q != 3'd0 &&
                     (!need_next || q_count_q >= 3'd2);
  assign last_beat = beats_left_q == 1;
  assign pair      = {(need_next ? q_data[1] : 64'd0), q_data[0]} >> {shift_q, 3'b000};
  assign beat_keep = last_beat ? 8'((16'd1 << last_n_q) - 16'd1) : 8'hff;

  always_comb begin
    for (int unsigned b = 0; b < 8; b++) begin
      beat_data[8*b +: 8] = beat_keep[b] ? pair[8*b +: 8] : 8'd0;
    end
  end

  logic out_valid_q, out_last_q;
  logic [63:0] out_data_q;
  logic [7:0]  out_keep_q;
  logic load, take;

  assign take = out_valid_q && m_axis_tready_i;
  assign load = avail && (!out_valid_q || m_axis_tready_i);

  // ---- queue ------------------------------------------------------------------------------
  // Pop one word per beat, and every remaining word with the last beat.
  logic [2:0] pop_n;
  logic       push;
  assign push  = inflight_q;
  assign pop_n = !load ? 3'd0 : (last_beat ? q_count_q : 3'd1);

  logic [Depth-1:0][63:0] q_data_q;
  logic [2:0]  wr_idx;
  assign q_data = q_data_q;
  assign wr_idx = q_count_q - pop_n;

  always_ff @(posedge clk_i) begin
    for (int unsigned i = 0; i < Depth; i++) begin
      if (pop_n == 3'd1 && i + 1 < Depth) begin
        q_data_q[i] <= q_data_q[i + 1];
      end
    end
    if (push) begin
      q_data_q[wr_idx[1:0]] <= rd_data_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q       <= 1'b0;
      shift_q      <= '0;
      raddr_q      <= '0;
      reads_left_q <= '0;
      words_left_q <= '0;
      beats_left_q <= '0;
      last_n_q     <= '0;
      port_q       <= '0;
      q_count_q    <= '0;
      inflight_q   <= 1'b0;
      out_valid_q  <= 1'b0;
      out_last_q   <= 1'b0;
      out_data_q   <= '0;
      out_keep_q   <= '0;
    end else begin
      inflight_q <= issue;
      q_count_q  <= q_count_q - pop_n + 3'(push);
      if (start_go) begin
        busy_q       <= 1'b1;
        shift_q      <= start_off_i[2:0];
        raddr_q      <= AddrW'(first_word);
        reads_left_q <= (OffW - 2)'(last_word - first_word) + 1'b1;
        words_left_q <= (OffW - 2)'(last_word - first_word) + 1'b1;
        beats_left_q <= (OffW - 2)'((len + OffW'(7)) >> 3);
        last_n_q     <= (len[2:0] == 3'd0) ? 4'd8 : {1'b0, len[2:0]};
        port_q       <= port_i;
      end
      if (issue) begin
        raddr_q      <= raddr_q + AddrW'(1);
        reads_left_q <= reads_left_q - 1'b1;
      end
      if (load) begin
        out_valid_q  <= 1'b1;
        out_last_q   <= last_beat;
        out_data_q   <= beat_data;
        out_keep_q   <= beat_keep;
        beats_left_q <= beats_left_q - 1'b1;
        words_left_q <= words_left_q - (OffW - 2)'(pop_n);
      end else if (take) begin
        out_valid_q  <= 1'b0;
      end
      if (take && out_last_q) begin
        busy_q <= 1'b0;
      end
    end
  end

  logic unused_tx;
  assign unused_tx = ^{len[OffW-1:OffW-2], q_data[Depth-1:2], wr_idx[2]};

  assign busy_o          = busy_q;
  assign done_o          = (take && out_last_q) || (start_i && !busy_q && empty);
  assign m_axis_tvalid_o = out_valid_q;
  assign m_axis_tdata_o  = out_data_q;
  assign m_axis_tkeep_o  = out_keep_q;
  assign m_axis_tlast_o  = out_last_q;
  assign m_axis_tdest_o  = port_q;

endmodule
