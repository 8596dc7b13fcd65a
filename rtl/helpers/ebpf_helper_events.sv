/**
 * Event FIFO of the helper unit (trace_printk, perf_event_output, ringbuf_output)
 *
 * Records in program order, each a 16-byte header then the event's bytes padded to 8:
 *   header word 0: [7:0] kind (EventKind: 1 trace_printk, 2 perf, 3 ringbuf),
 *                  [31:16] map index, [63:32] byte count
 *   header word 1: the helper's flags argument (perf: the ring is its index field, or cpu 0
 *                  for BPF_F_CURRENT_CPU)
 * Room is accounted as the interpreter does (helper_limits::kEventFifoBytes = FifoBytes):
 * an event costs 8 + its bytes rounded up to 8, and one that does not fit is refused. The
 * memory holds 2 x FifoBytes, enough for the 16-byte headers of any accepted set. Cleared
 * when a run starts, unless HOLD (EVT_CTRL bit 0) is set: then records accumulate across
 * runs (the per-run room above still starts from 0 each run) until the host acknowledges
 * them (EVT_ACK = EVT_BYTES empties the memory), and room_o tells the helper unit how many
 * memory bytes remain. The host reads through a port of its own, also while a run writes
 * records past the committed ones.
 */
module ebpf_helper_events #(
  parameter int unsigned FifoBytes = 65536,
  localparam int unsigned Words    = 2 * FifoBytes / 8,
  localparam int unsigned Aw       = $clog2(Words)
) (
  input  logic          clk_i,
  input  logic          rst_ni,

  input  logic          clear_i,          // a run starts
  input  logic          hold_i,           // EVT_CTRL.HOLD: a run start keeps the records
  input  logic          call_done_i,      // a helper call ended (its record committed or refused)
  input  logic          ack_i,            // EVT_ACK written
  input  logic [31:0]   ack_bytes_i,      // its value: bytes the host consumed
  output logic [31:0]   room_o,           // memory bytes left for records
  output logic [31:0]   empties_o,        // acknowledgements that emptied the memory

  // Writer (helper unit): bytes of the record being built, then its header and commit.
  // A write is one byte (byte_i at byte_off_i) or, with word_i, the aligned word at
  // byte_off_i (8 bytes of word_data_i).
  input  logic          byte_we_i,
  input  logic [31:0]   byte_off_i,       // byte offset after the record's header
  input  logic [7:0]    byte_i,
  input  logic          word_i,
  input  logic [63:0]   word_data_i,
  input  logic          hdr_we_i,         // writes both header words and commits the record
  input  logic [63:0]   hdr0_i,
  input  logic [63:0]   hdr1_i,
  input  logic [31:0]   cost_i,           // accounted bytes of the committed record
  input  logic [31:0]   len_i,            // its byte count
  output logic [31:0]   used_o,           // accounted bytes so far
  output logic [31:0]   wr_ptr_o,         // memory bytes used (records committed)
  output logic [31:0]   count_o,          // records committed

  // Host read port, read data the next cycle
  input  logic          host_req_i,
  input  logic [Aw-1:0] host_addr_i,
  output logic [63:0]   host_rdata_o
);

  logic [31:0] used_q, wr_q, count_q;
  logic        hdr1_q;          // the second header word goes out in the next cycle
  logic [63:0] hdr1_buf_q;
  logic [31:0] next_q;          // where the next record starts (set with the second word)
  logic        building_q;      // bytes of an uncommitted record have been written
  logic        ack_pend_q;      // an acknowledgement waits for the record being built
  logic [31:0] ack_val_q;
  logic [31:0] empties_q;

  logic          we;
  logic [Aw-1:0] addr;
  logic [63:0]   wdata;
  logic [7:0]    wmask;
  logic [31:0]   b_addr;

  assign b_addr = wr_q + 32'd16 + byte_off_i;

  always_comb begin
    we    = 1'b0;
    addr  = '0;
    wdata = '0;
    wmask = '0;
    if (hdr1_q) begin
      we    = 1'b1;
      addr  = Aw'((wr_q + 32'd8) >> 3);
      wdata = hdr1_buf_q;
      wmask = 8'hff;
    end else if (hdr_we_i) begin
      we    = 1'b1;
      addr  = Aw'(wr_q >> 3);
      wdata = hdr0_i;
      wmask = 8'hff;
    end else if (byte_we_i) begin
      // Bytes past the memory (a trace_printk format that will not fit) are dropped.
      we    = b_addr < 32'(2 * FifoBytes);
      addr  = Aw'(b_addr >> 3);
      wdata = word_i ? word_data_i : {8{byte_i}};
      wmask = word_i ? 8'hff : (8'(1) << b_addr[2:0]);
    end
  end

  // Simple dual-port memory: the writer above, the host's read port below.
  logic [63:0] mem_q [Words];
  logic [63:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (we) begin
      for (int unsigned i = 0; i < 8; i++) begin
        if (wmask[i]) begin
          mem_q[addr][8*i +: 8] <= wdata[8*i +: 8];
        end
      end
    end
    if (host_req_i) begin
      rdata_q <= mem_q[host_addr_i];
    end
  end

  assign host_rdata_o = rdata_q;

  // The acknowledgement empties the memory when it names every committed byte. While a
  // record is being built (its bytes sit after the committed ones) it waits for the commit,
  // which then makes it stale, or for the next run start.
  logic        ack_now, ack_take, ack_empty, in_record;
  logic [31:0] ack_v;
  assign in_record = building_q || hdr1_q || hdr_we_i || byte_we_i;
  assign ack_now   = ack_i || ack_pend_q;
  assign ack_v     = ack_i ? ack_bytes_i : ack_val_q;
  assign ack_take  = ack_now && (!in_record || clear_i);
  assign ack_empty = ack_take && ack_v == wr_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      used_q     <= '0;
      wr_q       <= '0;
      count_q    <= '0;
      hdr1_q     <= 1'b0;
      hdr1_buf_q <= '0;
      next_q     <= '0;
      building_q <= 1'b0;
      ack_pend_q <= 1'b0;
      ack_val_q  <= '0;
      empties_q  <= '0;
    end else begin
      if (ack_i) begin
        ack_val_q <= ack_bytes_i;
      end
      ack_pend_q <= ack_now && !ack_take;
      if (ack_empty) begin
        empties_q <= empties_q + 32'd1;
      end
      if (clear_i) begin
        used_q     <= '0;
        hdr1_q     <= 1'b0;
        building_q <= 1'b0;
        if (!hold_i || ack_empty) begin
          wr_q    <= '0;
          count_q <= '0;
        end
      end else if (hdr1_q) begin
        hdr1_q <= 1'b0;
        wr_q   <= next_q;
      end else if (hdr_we_i) begin
        hdr1_q     <= 1'b1;
        hdr1_buf_q <= hdr1_i;
        next_q     <= wr_q + 32'd16 + ((len_i + 32'd7) & ~32'd7);
        used_q     <= used_q + cost_i;
        count_q    <= count_q + 32'd1;
        building_q <= 1'b0;
      end else if (byte_we_i) begin
        building_q <= 1'b1;
      end else if (call_done_i) begin
        building_q <= 1'b0;
      end else if (ack_empty) begin
        wr_q    <= '0;
        count_q <= '0;
      end
    end
  end

  assign used_o   = used_q;
  assign wr_ptr_o = hdr1_q ? next_q : wr_q;
  assign count_o  = count_q;
  assign room_o   = 32'(2 * FifoBytes) - wr_q;
  assign empties_o = empties_q;

endmodule
