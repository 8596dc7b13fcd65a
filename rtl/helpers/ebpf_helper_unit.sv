/**
 * Helper unit
 *
 * Answers the core's helper calls (request = helper ID and r1-r5; response = r0, or a fault,
 * or a tail call) with Linux IDs and the interpreter's semantics (docs/helpers.md,
 * host/src/interp/helpers_impl.cpp is the reference, bit for bit):
 *   1 map_lookup_elem  2 map_update_elem  3 map_delete_elem  5 ktime_get_ns
 *   6 trace_printk  7 get_prandom_u32  8 get_smp_processor_id  12 tail_call  23 redirect
 *   25 perf_event_output  28 csum_diff  44 xdp_adjust_head  51 redirect_map
 *   54 xdp_adjust_meta  65 xdp_adjust_tail  130 ringbuf_output  188 xdp_get_buff_len
 *   189 xdp_load_bytes  190 xdp_store_bytes
 * Any other ID is FAULT_UNKNOWN_HELPER. Every argument is checked before anything is
 * written, so a call that faults has no effect: pointer arguments with ebpf_core_region
 * (the LSU's rules; FAULT_HELPER_FAULT, or FAULT_READ_ONLY_WRITE for a helper writing into a
 * read-only map), map handles against the map table, the ctx argument against the ctx
 * pointer of an XDP run.
 *
 * Submodules: ebpf_helper_copy (byte moves between memories and into the event FIFO, the map
 * unit's key/value buffers and the checksum), ebpf_helper_csum (csum_diff), ebpf_helper_events
 * (the event FIFO). The map unit does the map operations; this unit fills its key and value
 * buffers and commands it.
 *
 * The core waits in EX during a call, so the data-memory master here never meets the LSU.
 */
module ebpf_helper_unit
  import ebpf_pkg::*;
#(
  parameter int unsigned NsPerCycle     = 10,     // clock period in ns (10: 100 MHz)
  parameter int unsigned DmemAw         = 14,     // data memory word-address width
  parameter int unsigned MapSlots       = 32,     // map descriptors
  parameter int unsigned EventFifoBytes = 65536,  // helper_limits::kEventFifoBytes
  parameter int unsigned KbAw           = 6,      // map unit key buffer word address width
  parameter int unsigned VbAw           = 7,      // map unit value buffer word address width
  localparam int unsigned EvAw          = $clog2(2 * EventFifoBytes / 8),
  localparam int unsigned MapW          = (MapSlots > 1) ? $clog2(MapSlots) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             start_i,        // a run starts (clears the per-run state)
  input  logic [63:0]      cycles_i,       // <- core cycle counter
  input  logic             has_ctx_i,      // XDP run: r1 may be the ctx pointer
  input  logic [7:0]       cpu_i,          // the run's cpu (PERCPU copies, processor id)
  input  logic [31:0]      stack_limit_i,  // stack bytes the calling frame may reach

  // Packet offsets: the run's, and their update by the adjust helpers
  input  logic [31:0]      data_meta_i,
  input  logic [31:0]      data_i,
  input  logic [31:0]      data_end_i,
  output logic             pkt_we_o,
  output logic [31:0]      pkt_data_meta_o,
  output logic [31:0]      pkt_data_o,
  output logic [31:0]      pkt_data_end_o,

  // get_prandom_u32 state: the host writes the seed between runs
  input  logic             seed_we_i,
  input  logic [63:0]      seed_i,
  output logic [63:0]      prandom_state_o,

  // Program table (tail calls): the length of program mcmd_word_i[ProgW-1:0], from the
  // table's read port at that index; a program exists when its length is not zero
  input  logic [31:0]      mcmd_prog_len_i,

  // Map table (the host writes it with the descriptors) and value regions (map unit)
  // (read ports of ebpf_top's map table: entry A is the map of r1's handle, B of r2's)
  output logic [MapW-1:0]   minfo_a_idx_o,
  input  logic              minfo_a_valid_i,
  input  logic [7:0]        minfo_a_type_i,
  input  logic [31:0]       minfo_a_key_size_i,
  input  logic [31:0]       minfo_a_value_size_i,
  input  logic [31:0]       minfo_a_max_entries_i,
  output logic [MapW-1:0]   minfo_b_idx_o,
  input  logic              minfo_b_valid_i,
  input  logic [7:0]        minfo_b_type_i,
  input  logic [31:0]       minfo_b_max_entries_i,
  input  logic [MapSlots-1:0]       map_valid_i,
  // The maps of the two pointer checks' regions, and their value bases and limits (read
  // ports of the map unit's region table)
  output logic [MapW-1:0]           pa_map_idx_o,
  input  logic [31:0]               pa_map_base_i,
  input  logic [31:0]               pa_map_limit_i,
  output logic [MapW-1:0]           pb_map_idx_o,
  input  logic [31:0]               pb_map_base_i,
  input  logic [31:0]               pb_map_limit_i,
  input  logic [MapSlots-1:0]       map_ro_i,

  // Helper port <- / -> the core
  input  logic             req_i,          // held until done_o
  input  logic [63:0]      id_i,
  input  logic [4:0][63:0] args_i,         // r5..r1
  output logic             done_o,         // one-cycle pulse
  output logic             fault_o,
  output fault_e           fault_code_o,
  output logic [63:0]      r0_o,
  output logic             keep_r0_o,      // with done: r0 stays as it is
  output logic             tail_o,         // with done: tail call to tail_prog_o
  output logic [ProgW-1:0] tail_prog_o,
  output logic [7:0]       tail_calls_o,   // tail calls taken in this run

  // Data memory master (stack, packet, map values), one word of the pair
  output logic              dm_req_o,
  output logic              dm_we_o,
  output dmem_sel_e         dm_sel_o,
  output logic [DmemAw-1:0] dm_addr_o,
  output logic [63:0]       dm_wdata_o,
  output logic [7:0]        dm_wmask_o,
  input  logic [63:0]       dm_rdata_i,

  // Map unit command port and buffer write ports
  output logic             mcmd_valid_o,
  output logic [2:0]       mcmd_op_o,
  output logic [31:0]      mcmd_map_o,
  output logic [63:0]      mcmd_flags_o,
  input  logic             mcmd_done_i,
  input  logic [31:0]      mcmd_status_i,
  input  logic [31:0]      mcmd_offset_i,
  input  logic [63:0]      mcmd_word_i,
  output logic             kbuf_we_o,
  output logic [KbAw-1:0]  kbuf_addr_o,
  output logic [63:0]      kbuf_wdata_o,
  output logic [7:0]       kbuf_wmask_o,
  output logic             vbuf_we_o,
  output logic [VbAw-1:0]  vbuf_addr_o,
  output logic [63:0]      vbuf_wdata_o,
  output logic [7:0]       vbuf_wmask_o,

  // Event FIFO: host read port (between runs) and fill level
  input  logic             ev_req_i,
  input  logic [EvAw-1:0]  ev_addr_i,
  output logic [63:0]      ev_rdata_o,
  output logic [31:0]      ev_bytes_o,     // memory bytes holding records
  output logic [31:0]      ev_count_o,     // records
  input  logic             ev_hold_i,      // EVT_CTRL.HOLD: records accumulate across runs
  input  logic             ev_ack_i,       // EVT_ACK written with ev_ack_bytes_i
  input  logic [31:0]      ev_ack_bytes_i,
  output logic [31:0]      ev_empties_o,   // acknowledgements that emptied the FIFO
  output logic [31:0]      ev_lost_o,      // events refused for lack of FIFO room while HOLD

  // Redirect state (Linux struct bpf_redirect_info)
  output logic [31:0]      redir_tgt_o,    // ifindex, or the DEVMAP key after redirect_map
  output logic             redir_has_map_o,
  output logic [31:0]      redir_map_o,
  output logic [31:0]      redir_ifindex_o,
  output logic [63:0]      redir_flags_o
);

  localparam logic [63:0] PrandomZero = 64'h9E37_79B9_7F4A_7C15;
  localparam logic [63:0] XdpAborted  = 64'd0;
  localparam logic [63:0] XdpRedirect = 64'd4;
  localparam logic [63:0] ActionMask  = 64'h3;                  // aborted, drop, pass, tx
  localparam logic [63:0] FBroadcast  = 64'h8;
  localparam logic [63:0] FExclIngr   = 64'h10;
  localparam logic [63:0] CtxlenMask  = 64'h000F_FFFF_0000_0000;
  localparam logic [63:0] IndexMask   = 64'h0000_0000_FFFF_FFFF;
  localparam logic [31:0] FrameRsv    = 32'd40;                 // kXdpFrameReserve
  localparam logic [31:0] MetaMax     = 32'd255;                // kXdpMetaMax
  localparam logic [31:0] AccessMax   = 32'hffff;               // kXdpAccessMax
  localparam logic [31:0] EthHlen     = 32'd14;
  localparam logic [63:0] EvBytes     = 64'(EventFifoBytes);

  localparam logic [63:0] EINVAL = -64'sd22;
  localparam logic [63:0] EFAULT = -64'sd14;
  localparam logic [63:0] E2BIG  = -64'sd7;
  localparam logic [63:0] ENOSPC = -64'sd28;
  localparam logic [63:0] EAGAIN = -64'sd11;
  localparam logic [63:0] EACCES = -64'sd13;

  function automatic logic [63:0] round8(logic [63:0] v);
    return (v + 64'd7) & ~64'd7;
  endfunction
  function automatic logic [31:0] end_around(logic [32:0] s);
    return s[31:0] + 32'(s[32]);
  endfunction

  //////////////
  // Operands //
  //////////////

  // The helper being served and its operands, latched in the call's first cycle (H_IDLE ->
  // H_CALL); adjust_head/tail reuse a2/a3 for the offsets they commit at the end.
  logic [63:0] hid_q;
  logic [63:0] a1_q, a1_d, a2_q, a2_d, a3_q, a3_d, a4_q, a4_d, a5_q, a5_d;

  logic [63:0] r1, r2, r3, r4, r5;
  // The call's operands as latched in its first cycle (H_IDLE -> H_CALL): every check below
  // starts from these flops, not from the core's register file across the chip.
  assign r1 = a1_q;
  assign r2 = a2_q;
  assign r3 = a3_q;
  assign r4 = a4_q;
  assign r5 = a5_q;

  logic is_ctx;
  assign is_ctx = has_ctx_i && r1 == CtxBase;

  // Map handles in r1 and r2: lddw map[i] (tag 0xf00), i a configured map.
  logic            mh1_ok, mh2_ok;
  logic [MapW-1:0] m1, m2;
  logic [7:0]      m1_type, m2_type;
  assign m1      = MapW'(r1[31:0]);
  assign m2      = MapW'(r2[31:0]);
  assign mh1_ok  = r1[63:32] == RegionMapHandle && r1[31:0] < MapSlots && minfo_a_valid_i;
  assign mh2_ok  = r2[63:32] == RegionMapHandle && r2[31:0] < MapSlots && minfo_b_valid_i;
  assign m1_type = minfo_a_type_i;
  assign m2_type = minfo_b_type_i;
  assign minfo_a_idx_o = m1;
  assign minfo_b_idx_o = m2;

  logic m1_lookup_t, m1_update_t;
  assign m1_update_t = m1_type == MapTypeHash || m1_type == MapTypeArray ||
                       m1_type == MapTypePercpuHash || m1_type == MapTypePercpuArr ||
                       m1_type == MapTypeLruHash || m1_type == MapTypeLpmTrie;
  assign m1_lookup_t = m1_update_t || m1_type == MapTypeDevmap || m1_type == MapTypeDevmapHash;

  ///////////////////////
  // Pointer arguments //
  ///////////////////////

  // Two checks per call (A and B), on the arguments the helper ID names.
  logic [63:0] pa_addr, pb_addr, pa_size, pb_size;
  logic        pa_write;
  logic        pa_ok, pb_ok, pa_ro, pb_ro, pa_ctx, pb_ctx;
  dmem_sel_e   pa_sel, pb_sel;
  logic [31:0] pa_off, pb_off;

  always_comb begin
    pa_addr  = r2;
    pa_size  = 64'(minfo_a_key_size_i);
    pa_write = 1'b0;
    pb_addr  = r3;
    pb_size  = 64'(minfo_a_value_size_i);
    unique case (hid_q)
      HelperTracePrintk: begin
        pa_addr = r1;
        pa_size = {32'd0, r2[31:0]};
      end
      HelperPerfEventOutput: begin
        pa_addr = r4;
        pa_size = r5;
      end
      HelperCsumDiff: begin
        pa_addr = r1;
        pa_size = {32'd0, r2[31:0]};
        pb_addr = r3;
        pb_size = {32'd0, r4[31:0]};
      end
      HelperRingbufOutput: begin
        pa_addr = r2;
        pa_size = r3;
      end
      HelperXdpLoadBytes, HelperXdpStoreBytes: begin
        pa_addr  = r3;
        pa_size  = {32'd0, r4[31:0]};
        pa_write = hid_q == HelperXdpLoadBytes;
      end
      default: ;
    endcase
  end

  ebpf_core_region #(
    .SizeW    (64),
    .MapSlots (MapSlots)
  ) u_region_a (
    .addr_i        (pa_addr),
    .size_i        (pa_size),
    .write_i       (pa_write),
    .stack_limit_i (stack_limit_i),
    .pkt_lo_i      (data_meta_i),
    .pkt_hi_i      (data_end_i),
    .map_valid_i   (map_valid_i),
    .map_idx_o     (pa_map_idx_o),
    .map_base_i    (pa_map_base_i),
    .map_limit_i   (pa_map_limit_i),
    .map_ro_i      (map_ro_i),
    .ok_o          (pa_ok),
    .sel_o         (pa_sel),
    .mem_off_o     (pa_off),
    .is_ctx_o      (pa_ctx),
    .ro_write_o    (pa_ro)
  );

  ebpf_core_region #(
    .SizeW    (64),
    .MapSlots (MapSlots)
  ) u_region_b (
    .addr_i        (pb_addr),
    .size_i        (pb_size),
    .write_i       (1'b0),
    .stack_limit_i (stack_limit_i),
    .pkt_lo_i      (data_meta_i),
    .pkt_hi_i      (data_end_i),
    .map_valid_i   (map_valid_i),
    .map_idx_o     (pb_map_idx_o),
    .map_base_i    (pb_map_base_i),
    .map_limit_i   (pb_map_limit_i),
    .map_ro_i      (map_ro_i),
    .ok_o          (pb_ok),
    .sel_o         (pb_sel),
    .mem_off_o     (pb_off),
    .is_ctx_o      (pb_ctx),
    .ro_write_o    (pb_ro)
  );

  // A pointer of size 0 is not dereferenced: any value is fine.
  logic pa_in, pb_in;
  assign pa_in = pa_size == 64'd0 || pa_ok;
  assign pb_in = pb_size == 64'd0 || pb_ok;

  //////////////////
  // Copy engine  //
  //////////////////

  logic        cp_start, cp_zero, cp_dst_mem, cp_back, cp_stop, cp_busy, cp_done, cp_nul;
  dmem_sel_e   cp_src_sel, cp_dst_sel;
  logic [31:0] cp_src, cp_dst, cp_len, cp_count, cp_idx;
  logic        cp_out;
  logic [7:0]  cp_byte;

  ebpf_helper_copy #(
    .DmemAw (DmemAw)
  ) u_copy (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .start_i     (cp_start),
    .src_zero_i  (cp_zero),
    .src_sel_i   (cp_src_sel),
    .src_off_i   (cp_src),
    .dst_mem_i   (cp_dst_mem),
    .dst_sel_i   (cp_dst_sel),
    .dst_off_i   (cp_dst),
    .len_i       (cp_len),
    .backward_i  (cp_back),
    .stop_nul_i  (cp_stop),
    .busy_o      (cp_busy),
    .done_o      (cp_done),
    .nul_o       (cp_nul),
    .count_o     (cp_count),
    .out_valid_o (cp_out),
    .out_byte_o  (cp_byte),
    .out_idx_o   (cp_idx),
    .mem_req_o   (dm_req_o),
    .mem_we_o    (dm_we_o),
    .mem_sel_o   (dm_sel_o),
    .mem_addr_o  (dm_addr_o),
    .mem_wdata_o (dm_wdata_o),
    .mem_wmask_o (dm_wmask_o),
    .mem_rdata_i (dm_rdata_i)
  );

  ///////////
  // State //
  ///////////

  typedef enum logic [2:0] {
    H_IDLE,
    H_COPY,     // a copy pass runs; step_q says which
    H_MAP,      // a map command runs
    H_HDR,      // commit an event record
    H_RESP,     // answer the core
    H_CALL      // the latched call is checked and started
  } hstate_e;

  // What a copy pass feeds.
  typedef enum logic [1:0] {
    SINK_NONE,
    SINK_EVENTS,
    SINK_KBUF,
    SINK_VBUF
  } sink_e;

  hstate_e     state_q, state_d;
  logic        kd_we;
  logic [KbAw-1:0] kd_addr;
  logic [63:0] kd_wdata;
  logic [7:0]  kd_wmask;
  logic [2:0]  step_q, step_d;
  sink_e       sink_q, sink_d;
  logic        csum_sink_q, csum_sink_d;
  logic [31:0] ev_off_q, ev_off_d;   // event byte offset of the pass's first byte

  logic        resp_fault_q, resp_fault_d, resp_keep_q, resp_keep_d, resp_tail_q, resp_tail_d;
  fault_e      resp_code_q, resp_code_d;
  logic [63:0] resp_r0_q, resp_r0_d;
  logic [ProgW-1:0] tail_prog_q, tail_prog_d;

  logic [MapW-1:0] map_q, map_d;
  dmem_sel_e   pb_sel_q, pb_sel_d;
  logic [31:0] pb_off_q, pb_off_d, pb_len_q, pb_len_d;
  logic [31:0] csum_a_q, csum_a_d;
  logic [31:0] ev_len_q, ev_len_d;

  // Per-run state.
  logic [63:0] prandom_q, prandom_d;
  logic [7:0]  tail_calls_q, tail_calls_d;
  logic [31:0] tgt_q, tgt_d, rmap_q, rmap_d, rifx_q, rifx_d;
  logic        has_map_q, has_map_d;
  logic [63:0] rflags_q, rflags_d;
  // Bytes each ring buffer has taken this run: LUT RAM read at the call's map (r1) and at the
  // map of the record being committed, emptied at every run start.
  logic            rb_we;
  logic [31:0]     rb_used_wdata;
  logic [1:0][31:0] rb_used_rd;
  logic        pkt_we;
  logic [31:0] pkt_meta_d, pkt_data_d, pkt_end_d;

  // Event FIFO writer.
  logic        evw_byte, evw_word, evw_hdr;
  logic [31:0] evw_off, evw_cost, evw_len;
  logic [63:0] evw_wdata, evw_hdr0, evw_hdr1;
  logic [31:0] ev_used, ev_room;

  ebpf_helper_events #(
    .FifoBytes (EventFifoBytes)
  ) u_events (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .clear_i      (start_i),
    .hold_i       (ev_hold_i),
    .call_done_i  (done_o),
    .ack_i        (ev_ack_i),
    .ack_bytes_i  (ev_ack_bytes_i),
    .room_o       (ev_room),
    .empties_o    (ev_empties_o),
    .byte_we_i    (evw_byte),
    .byte_off_i   (evw_off),
    .byte_i       (cp_byte),
    .word_i       (evw_word),
    .word_data_i  (evw_wdata),
    .hdr_we_i     (evw_hdr),
    .hdr0_i       (evw_hdr0),
    .hdr1_i       (evw_hdr1),
    .cost_i       (evw_cost),
    .len_i        (evw_len),
    .used_o       (ev_used),
    .wr_ptr_o     (ev_bytes_o),
    .count_o      (ev_count_o),
    .host_req_i   (ev_req_i),
    .host_addr_i  (ev_addr_i),
    .host_rdata_o (ev_rdata_o)
  );

  // Checksum.
  logic        cs_load;
  logic [31:0] cs_seed, cs_sum;

  ebpf_helper_csum u_csum (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .load_i       (cs_load),
    .seed_i       (cs_seed),
    .byte_valid_i (cp_out && csum_sink_q),
    .byte_i       (cp_byte),
    .idx_i        (cp_idx[1:0]),
    .sum_o        (cs_sum)
  );

  // xorshift64 (13, 7, 17).
  logic [63:0] xs1, xs2, xs3;
  assign xs1 = prandom_q ^ (prandom_q << 13);
  assign xs2 = xs1 ^ (xs1 >> 7);
  assign xs3 = xs2 ^ (xs2 << 17);

  logic done_q;
  logic call;
  assign call = req_i && state_q == H_IDLE && !done_q;

  // Helper-specific values of the call cycle.
  logic [63:0] off64, sdata, smeta, send, newdata, newmeta, newend, metalen, pktlen;
  logic [63:0] pkt_bytes, perf_index, rb_record, ev_cost_perf, ev_cost_rb, cs_final;
  logic [31:0] xlen, xoff;
  assign off64      = {{32{r2[31]}}, r2[31:0]};
  assign sdata      = 64'(data_i);
  assign smeta      = 64'(data_meta_i);
  assign send       = 64'(data_end_i);
  assign metalen    = sdata - smeta;
  assign newdata    = sdata + off64;
  assign newmeta    = smeta + off64;
  assign newend     = send + off64;
  assign pktlen     = send - sdata;
  assign pkt_bytes  = (r3 & CtxlenMask) >> 32;
  assign perf_index = ((r3 & IndexMask) == IndexMask) ? 64'(cpu_i) : (r3 & IndexMask);
  assign rb_record  = round8(r3 + 64'd8);
  assign ev_cost_perf = 64'd8 + round8(r5 + pkt_bytes);
  assign ev_cost_rb   = 64'd8 + round8(r3);
  assign xoff       = r2[31:0];
  assign xlen       = r4[31:0];

  // Final csum_diff value from the two partial sums (from: csum_a_q, to: cs_sum).
  logic [31:0] cs_ret;
  always_comb begin
    if (a2_q[31:0] != 32'd0 && a4_q[31:0] != 32'd0) begin
      cs_ret = end_around(33'(cs_sum) + {1'b0, ~csum_a_q});
    end else if (a4_q[31:0] != 32'd0) begin
      cs_ret = cs_sum;
    end else if (a2_q[31:0] != 32'd0) begin
      cs_ret = ~csum_a_q;
    end else begin
      cs_ret = a5_q[31:0];
    end
  end
  logic [16:0] f1;
  logic [16:0] f2;
  assign f1       = 17'(cs_ret[15:0]) + 17'(cs_ret[31:16]);
  assign f2       = 17'(f1[15:0]) + 17'(f1[16]);
  assign cs_final = 64'(f2[15:0]);

  // trace_printk record: 24 argument bytes, then the format up to its NUL.
  logic [31:0] tp_len;
  logic [63:0] tp_cost;
  assign tp_len  = 32'd24 + cp_count - 32'd1;
  assign tp_cost = 64'd8 + round8(64'(tp_len));

  // HOLD: an event must also fit the memory left (16-byte header + its bytes padded to 8).
  // One that fits the run's room but not the memory is refused like a per-run overflow and
  // counted in EVT_LOST.
  logic        full_perf, full_rb, full_tp, ev_lost;
  logic [31:0] lost_q;
  assign full_perf = ev_hold_i && 64'd16 + round8(r5 + pkt_bytes) > 64'(ev_room);
  assign full_rb   = ev_hold_i && 64'd16 + round8(r3) > 64'(ev_room);
  assign full_tp   = ev_hold_i && 64'd16 + round8(64'(tp_len)) > 64'(ev_room);

  always_comb begin
    ev_lost      = 1'b0;
    state_d      = state_q;
    step_d       = step_q;
    sink_d       = sink_q;
    csum_sink_d  = csum_sink_q;
    ev_off_d     = ev_off_q;
    resp_fault_d = resp_fault_q;
    resp_code_d  = resp_code_q;
    resp_r0_d    = resp_r0_q;
    resp_keep_d  = resp_keep_q;
    resp_tail_d  = resp_tail_q;
    tail_prog_d  = tail_prog_q;
    a1_d = a1_q;
    a2_d = a2_q;
    a3_d = a3_q;
    a4_d = a4_q;
    a5_d = a5_q;
    map_d        = map_q;
    pb_sel_d     = pb_sel_q;
    pb_off_d     = pb_off_q;
    pb_len_d     = pb_len_q;
    csum_a_d     = csum_a_q;
    ev_len_d     = ev_len_q;
    prandom_d    = prandom_q;
    tail_calls_d = tail_calls_q;
    tgt_d        = tgt_q;
    rmap_d       = rmap_q;
    rifx_d       = rifx_q;
    has_map_d    = has_map_q;
    rflags_d     = rflags_q;
    rb_we        = 1'b0;
    rb_used_wdata = '0;
    pkt_we       = 1'b0;
    pkt_meta_d   = data_meta_i;
    pkt_data_d   = data_i;
    pkt_end_d    = data_end_i;

    cp_start   = 1'b0;
    cp_zero    = 1'b0;
    cp_src_sel = pa_sel;
    cp_src     = pa_off;
    cp_dst_mem = 1'b0;
    cp_dst_sel = DMEM_PACKET;
    cp_dst     = '0;
    cp_len     = pa_size[31:0];
    cp_back    = 1'b0;
    cp_stop    = 1'b0;
    cs_load    = 1'b0;
    cs_seed    = '0;

    evw_word  = 1'b0;
    evw_wdata = '0;
    evw_hdr   = 1'b0;
    evw_hdr0  = '0;
    evw_hdr1  = '0;
    evw_cost  = '0;
    evw_len   = '0;

    mcmd_valid_o = 1'b0;
    mcmd_op_o    = MapOpLookup;
    mcmd_flags_o = '0;
    kd_we        = 1'b0;
    kd_addr      = '0;
    kd_wdata     = '0;
    kd_wmask     = '0;

    if (seed_we_i) begin
      prandom_d = (seed_i == 64'd0) ? PrandomZero : seed_i;
    end
    if (start_i) begin
      tail_calls_d = '0;
      tgt_d        = '0;
      has_map_d    = 1'b0;
      rmap_d       = '0;
      rifx_d       = '0;
      rflags_d     = '0;
    end

    unique case (state_q)
      H_IDLE: begin
        if (call) begin
          a1_d    = args_i[0];
          a2_d    = args_i[1];
          a3_d    = args_i[2];
          a4_d    = args_i[3];
          a5_d    = args_i[4];
          state_d = H_CALL;
        end
      end

      H_CALL: begin
        // Defaults of an answer in the next cycle.
        state_d      = H_RESP;
        resp_fault_d = 1'b0;
        resp_code_d  = FAULT_NONE;
        resp_r0_d    = '0;
        resp_keep_d  = 1'b0;
        resp_tail_d  = 1'b0;
        step_d       = '0;
        sink_d       = SINK_NONE;
        csum_sink_d  = 1'b0;
        ev_off_d     = '0;
        map_d    = m1;
        pb_sel_d = pb_sel;
        pb_off_d = pb_off;
        pb_len_d = pb_size[31:0];
        unique case (hid_q)
          HelperMapLookupElem, HelperMapUpdateElem, HelperMapDeleteElem: begin
            if (!mh1_ok || !(hid_q == HelperMapLookupElem ? m1_lookup_t : m1_update_t) ||
                !pa_in || (hid_q == HelperMapUpdateElem && !pb_in)) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if (hid_q != HelperMapLookupElem && map_ro_i[m1]) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_READ_ONLY_WRITE;
            end else begin
              // Key into the key buffer, then (update) the value into the value buffer.
              state_d  = H_COPY;
              sink_d   = SINK_KBUF;
              cp_start = 1'b1;
            end
          end
          HelperKtimeGetNs:        resp_r0_d = cycles_i * 64'(NsPerCycle);
          HelperGetPrandomU32: begin
            resp_r0_d = {32'd0, xs3[63:32]};
            prandom_d = xs3;
          end
          HelperGetSmpProcessorId: resp_r0_d = 64'(cpu_i);
          HelperTracePrintk: begin
            if (r2[31:0] == 32'd0 || !pa_ok) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else begin
              // The three arguments, then the format (stopping at its NUL) into the FIFO.
              state_d  = H_COPY;
              step_d   = 3'd0;
              sink_d   = SINK_EVENTS;
              ev_off_d = 32'd24;
              cp_start = 1'b1;
              cp_stop  = 1'b1;
            end
          end
          HelperTailCall: begin
            if (!is_ctx || !mh2_ok || m2_type != MapTypeProgArray) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if (r3[31:0] >= minfo_b_max_entries_i ||
                         32'(tail_calls_q) >= MaxTailCalls) begin
              resp_keep_d = 1'b1;
            end else begin
              tail_calls_d = tail_calls_q + 8'd1;
              map_d        = m2;
              kd_we    = 1'b1;
              kd_addr  = '0;
              kd_wdata = {32'd0, r3[31:0]};
              kd_wmask = 8'h0f;
              state_d      = H_MAP;
            end
          end
          HelperRedirect: begin
            if (r2 != 64'd0) begin
              resp_r0_d = XdpAborted;
            end else begin
              resp_r0_d = XdpRedirect;
              tgt_d     = r1[31:0];
              has_map_d = 1'b0;
            end
          end
          HelperPerfEventOutput: begin
            if (!is_ctx || !mh2_ok || m2_type != MapTypePerfEvent || !pa_in) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if ((r3 & ~(CtxlenMask | IndexMask)) != 64'd0) begin
              resp_r0_d = EINVAL;
            end else if (pkt_bytes > pktlen) begin
              resp_r0_d = EFAULT;
            end else if (perf_index >= 64'(minfo_b_max_entries_i)) begin
              resp_r0_d = E2BIG;
            end else if (r5 + pkt_bytes > EvBytes ||
                         64'(ev_used) + ev_cost_perf > EvBytes || full_perf) begin
              resp_r0_d = ENOSPC;
              ev_lost   = !(r5 + pkt_bytes > EvBytes ||
                            64'(ev_used) + ev_cost_perf > EvBytes);
            end else begin
              // The data, then the packet's first bytes, then the header.
              map_d    = m2;
              state_d  = H_COPY;
              step_d   = 3'd0;
              sink_d   = SINK_EVENTS;
              cp_start = 1'b1;
            end
          end
          HelperCsumDiff: begin
            if (!pa_in || !pb_in) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else begin
              // Pass 1 sums `from`, pass 2 `to`.
              state_d     = H_COPY;
              step_d      = 3'd0;
              csum_sink_d = 1'b1;
              cp_start    = 1'b1;
              cs_load     = 1'b1;
              cs_seed     = (r4[31:0] != 32'd0) ? 32'd0 : ~r5[31:0];
            end
          end
          HelperXdpAdjustHead: begin
            if (!is_ctx) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if ($signed(newdata) < $signed(64'(FrameRsv) + metalen) ||
                         $signed(newdata) > $signed(send - 64'(EthHlen))) begin
              resp_r0_d = EINVAL;
            end else begin
              pkt_meta_d = newmeta[31:0];
              pkt_data_d = newdata[31:0];
              if (metalen == 64'd0) begin
                pkt_we = 1'b1;
              end else begin
                // Move the metadata with the data (memmove), then the offsets.
                state_d    = H_COPY;
                step_d     = 3'd0;
                cp_start   = 1'b1;
                cp_src_sel = DMEM_PACKET;
                cp_src     = data_meta_i;
                cp_dst_mem = 1'b1;
                cp_dst_sel = DMEM_PACKET;
                cp_dst     = newmeta[31:0];
                cp_len     = metalen[31:0];
                cp_back    = !off64[63];
                a2_d       = newmeta;
                a3_d       = newdata;
              end
            end
          end
          HelperRedirectMap: begin
            if (!mh1_ok || (m1_type != MapTypeDevmap && m1_type != MapTypeDevmapHash)) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if ((r3 & ~(ActionMask | FBroadcast | FExclIngr)) != 64'd0) begin
              resp_r0_d = XdpAborted;
            end else begin
              // Look the key up in the device map.
              kd_we    = 1'b1;
              kd_addr  = '0;
              kd_wdata = {32'd0, r2[31:0]};
              kd_wmask = 8'h0f;
              state_d      = H_MAP;
            end
          end
          HelperXdpAdjustMeta: begin
            if (!is_ctx) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if ($signed(newmeta) < $signed(64'(FrameRsv)) ||
                         $signed(newmeta) > $signed(sdata)) begin
              resp_r0_d = EINVAL;
            end else if ((sdata - newmeta) > 64'(MetaMax) ||
                         (sdata[1:0] - newmeta[1:0]) != 2'd0) begin
              resp_r0_d = EACCES;
            end else begin
              pkt_we     = 1'b1;
              pkt_meta_d = newmeta[31:0];
            end
          end
          HelperXdpAdjustTail: begin
            if (!is_ctx) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if ($signed(newend) > $signed(64'(PacketBufferSize)) ||
                         $signed(newend) < $signed(sdata + 64'(EthHlen))) begin
              resp_r0_d = EINVAL;
            end else begin
              pkt_end_d = newend[31:0];
              if ($signed(off64) <= 0) begin
                pkt_we = 1'b1;
              end else begin
                // Zero the new tail bytes, then move data_end.
                state_d    = H_COPY;
                step_d     = 3'd0;
                cp_start   = 1'b1;
                cp_zero    = 1'b1;
                cp_dst_mem = 1'b1;
                cp_dst_sel = DMEM_PACKET;
                cp_dst     = data_end_i;
                cp_len     = off64[31:0];
                a3_d       = newend;
              end
            end
          end
          HelperRingbufOutput: begin
            if (!mh1_ok || m1_type != MapTypeRingbuf || !pa_in) begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end else if ((r4 & ~64'h3) != 64'd0) begin
              resp_r0_d = EINVAL;
            end else if (64'(rb_used_rd[0]) + rb_record >
                         64'(minfo_a_max_entries_i) - 64'd1 ||
                         r3 > EvBytes || 64'(ev_used) + ev_cost_rb > EvBytes || full_rb) begin
              resp_r0_d = EAGAIN;
              ev_lost   = !(64'(rb_used_rd[0]) + rb_record >
                            64'(minfo_a_max_entries_i) - 64'd1 ||
                            r3 > EvBytes || 64'(ev_used) + ev_cost_rb > EvBytes);
            end else begin
              state_d  = H_COPY;
              step_d   = 3'd0;
              sink_d   = SINK_EVENTS;
              cp_start = 1'b1;
            end
          end
          HelperXdpGetBuffLen: begin
            if (is_ctx) begin
              resp_r0_d = {32'd0, data_end_i - data_i};
            end else begin
              resp_fault_d = 1'b1;
              resp_code_d  = FAULT_HELPER_FAULT;
            end
          end
          HelperXdpLoadBytes, HelperXdpStoreBytes: begin
            if (!is_ctx || xlen == 32'd0 || !pa_ok) begin
              resp_fault_d = 1'b1;
              resp_code_d  = (is_ctx && xlen != 32'd0 && pa_ro) ? FAULT_READ_ONLY_WRITE
                                                                 : FAULT_HELPER_FAULT;
            end else if (xoff > AccessMax || xlen > AccessMax) begin
              resp_r0_d = EFAULT;
            end else if (64'(xoff) + 64'(xlen) > pktlen) begin
              resp_r0_d = EINVAL;
            end else begin
              state_d    = H_COPY;
              step_d     = 3'd0;
              cp_start   = 1'b1;
              cp_dst_mem = 1'b1;
              cp_len     = xlen;
              if (hid_q == HelperXdpStoreBytes) begin
                cp_src_sel = pa_sel;
                cp_src     = pa_off;
                cp_dst_sel = DMEM_PACKET;
                cp_dst     = data_i + xoff;
              end else begin
                cp_src_sel = DMEM_PACKET;
                cp_src     = data_i + xoff;
                cp_dst_sel = pa_sel;
                cp_dst     = pa_off;
              end
              cp_back = cp_src_sel == cp_dst_sel && cp_dst > cp_src;
            end
          end
          default: begin
            resp_fault_d = 1'b1;
            resp_code_d  = FAULT_UNKNOWN_HELPER;
          end
        endcase
      end

      H_COPY: begin
        if (cp_done) begin
          unique case (hid_q)
            HelperMapLookupElem, HelperMapDeleteElem: state_d = H_MAP;
            HelperMapUpdateElem: begin
              if (step_q == 3'd0) begin
                step_d     = 3'd1;
                sink_d     = SINK_VBUF;
                cp_start   = 1'b1;
                cp_src_sel = pb_sel_q;
                cp_src     = pb_off_q;
                cp_len     = pb_len_q;
              end else begin
                state_d = H_MAP;
              end
            end
            HelperTracePrintk: begin
              if (!cp_nul) begin
                resp_r0_d = EINVAL;
                state_d   = H_RESP;
              end else if (64'(tp_len) > EvBytes || 64'(ev_used) + tp_cost > EvBytes ||
                           full_tp) begin
                resp_r0_d = ENOSPC;
                state_d   = H_RESP;
                ev_lost   = !(64'(tp_len) > EvBytes || 64'(ev_used) + tp_cost > EvBytes);
              end else begin
                ev_len_d = tp_len;
                state_d  = H_HDR;
                step_d   = 3'd0;
              end
            end
            HelperPerfEventOutput: begin
              if (step_q == 3'd0) begin
                step_d     = 3'd1;
                ev_off_d   = a5_q[31:0];
                cp_start   = 1'b1;
                cp_src_sel = DMEM_PACKET;
                cp_src     = data_i;
                cp_len     = 32'((a3_q & CtxlenMask) >> 32);
              end else begin
                ev_len_d = 32'(a5_q + ((a3_q & CtxlenMask) >> 32));
                state_d  = H_HDR;
              end
            end
            HelperRingbufOutput: begin
              ev_len_d = a3_q[31:0];
              state_d  = H_HDR;
            end
            HelperCsumDiff: begin
              if (step_q == 3'd0) begin
                step_d     = 3'd1;
                csum_a_d   = cs_sum;
                cp_start   = 1'b1;
                cs_load    = 1'b1;
                cs_seed    = a5_q[31:0];
                cp_src_sel = pb_sel_q;
                cp_src     = pb_off_q;
                cp_len     = pb_len_q;
              end else begin
                resp_r0_d = cs_final;
                state_d   = H_RESP;
              end
            end
            HelperXdpAdjustHead: begin
              pkt_we     = 1'b1;
              pkt_meta_d = a2_q[31:0];
              pkt_data_d = a3_q[31:0];
              state_d    = H_RESP;
            end
            HelperXdpAdjustTail: begin
              pkt_we    = 1'b1;
              pkt_end_d = a3_q[31:0];
              state_d   = H_RESP;
            end
            default: state_d = H_RESP;   // load/store bytes
          endcase
        end
      end

      H_MAP: begin
        mcmd_valid_o = 1'b1;
        unique case (hid_q)
          HelperMapUpdateElem: begin
            mcmd_op_o    = MapOpUpdate;
            mcmd_flags_o = a4_q;
          end
          HelperMapDeleteElem: mcmd_op_o = MapOpDelete;
          default:             mcmd_op_o = MapOpLookup;
        endcase
        if (mcmd_done_i) begin
          state_d = H_RESP;
          unique case (hid_q)
            HelperMapLookupElem: begin
              resp_r0_d = (mcmd_status_i == 32'd0) ?
                          {RegionMapValue + 32'(map_q), mcmd_offset_i} : 64'd0;
            end
            HelperTailCall: begin
              // An empty slot or a program that does not exist: r0 unchanged, no jump.
              if (mcmd_status_i != 32'd0 || mcmd_word_i[31:0] >= MaxPrograms ||
                  mcmd_prog_len_i == 32'd0) begin
                resp_keep_d = 1'b1;
              end else begin
                resp_keep_d = 1'b1;   // the target starts with r0 as it is
                resp_tail_d = 1'b1;
                tail_prog_d = ProgW'(mcmd_word_i[31:0]);
              end
            end
            HelperRedirectMap: begin
              if (mcmd_status_i != 32'd0 && (a3_q & FBroadcast) == 64'd0) begin
                has_map_d = 1'b0;                      // tgt_index stays, as in Linux
                resp_r0_d = a3_q & ActionMask;
              end else begin
                tgt_d     = a2_q[31:0];
                has_map_d = 1'b1;
                rmap_d    = 32'(map_q);
                if ((a3_q & FBroadcast) != 64'd0) begin
                  rifx_d   = '0;
                  rflags_d = a3_q & (FBroadcast | FExclIngr);
                end else begin
                  rifx_d   = mcmd_word_i[31:0];
                  rflags_d = '0;
                end
                resp_r0_d = XdpRedirect;
              end
            end
            default: resp_r0_d = {{32{mcmd_status_i[31]}}, mcmd_status_i};
          endcase
        end
      end

      H_HDR: begin
        // Commit the record; trace_printk first writes its three argument words.
        if (hid_q == HelperTracePrintk && step_q != 3'd3) begin
          evw_word  = 1'b1;
          evw_wdata = (step_q == 3'd0) ? a3_q : (step_q == 3'd1) ? a4_q : a5_q;
          step_d    = step_q + 3'd1;
        end else begin
          evw_hdr  = 1'b1;
          evw_len  = ev_len_q;
          evw_cost = 32'(64'd8 + round8(64'(ev_len_q)));
          unique case (hid_q)
            HelperTracePrintk: evw_hdr0 = {ev_len_q, 16'd0, 8'd0, 8'd1};
            HelperPerfEventOutput: begin
              evw_hdr0 = {ev_len_q, 16'(map_q), 8'd0, 8'd2};
              evw_hdr1 = a3_q;
            end
            default: begin
              evw_hdr0 = {ev_len_q, 16'(map_q), 8'd0, 8'd3};
              evw_hdr1 = a4_q;
              rb_we         = 1'b1;
              rb_used_wdata = rb_used_rd[1] + 32'(round8(a3_q + 64'd8));
            end
          endcase
          resp_r0_d = '0;
          state_d   = H_RESP;
        end
      end

      H_RESP: state_d = H_IDLE;

      default: state_d = H_IDLE;
    endcase
  end

  // Bytes of a copy pass go to their sink.
  assign evw_byte   = (cp_out && sink_q == SINK_EVENTS) || evw_word;
  assign evw_off    = evw_word ? {26'd0, step_q, 3'b000} : ev_off_q + cp_idx;
  assign vbuf_we_o    = cp_out && sink_q == SINK_VBUF;
  assign vbuf_addr_o  = VbAw'(cp_idx >> 3);
  assign vbuf_wdata_o = {8{cp_byte}};
  assign vbuf_wmask_o = 8'(1) << cp_idx[2:0];

  logic kbuf_copy;
  assign kbuf_copy = cp_out && sink_q == SINK_KBUF;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= H_IDLE;
      done_q       <= 1'b0;
      hid_q        <= '0;
      step_q       <= '0;
      sink_q       <= SINK_NONE;
      csum_sink_q  <= 1'b0;
      ev_off_q     <= '0;
      resp_fault_q <= 1'b0;
      resp_code_q  <= FAULT_NONE;
      resp_r0_q    <= '0;
      resp_keep_q  <= 1'b0;
      resp_tail_q  <= 1'b0;
      tail_prog_q  <= '0;
      a1_q         <= '0;
      a2_q         <= '0;
      a3_q         <= '0;
      a4_q         <= '0;
      a5_q         <= '0;
      map_q        <= '0;
      pb_sel_q     <= DMEM_STACK;
      pb_off_q     <= '0;
      pb_len_q     <= '0;
      csum_a_q     <= '0;
      ev_len_q     <= '0;
      prandom_q    <= PrandomZero;
      tail_calls_q <= '0;
      tgt_q        <= '0;
      rmap_q       <= '0;
      rifx_q       <= '0;
      has_map_q    <= 1'b0;
      rflags_q     <= '0;
    end else begin
      state_q      <= state_d;
      done_q       <= state_d == H_RESP;
      if (call) begin
        hid_q <= id_i;
      end
      step_q       <= step_d;
      sink_q       <= sink_d;
      csum_sink_q  <= csum_sink_d;
      ev_off_q     <= ev_off_d;
      resp_fault_q <= resp_fault_d;
      resp_code_q  <= resp_code_d;
      resp_r0_q    <= resp_r0_d;
      resp_keep_q  <= resp_keep_d;
      resp_tail_q  <= resp_tail_d;
      tail_prog_q  <= tail_prog_d;
      a1_q         <= a1_d;
      a2_q         <= a2_d;
      a3_q         <= a3_d;
      a4_q         <= a4_d;
      a5_q         <= a5_d;
      map_q        <= map_d;
      pb_sel_q     <= pb_sel_d;
      pb_off_q     <= pb_off_d;
      pb_len_q     <= pb_len_d;
      csum_a_q     <= csum_a_d;
      ev_len_q     <= ev_len_d;
      prandom_q    <= prandom_d;
      tail_calls_q <= tail_calls_d;
      tgt_q        <= tgt_d;
      rmap_q       <= rmap_d;
      rifx_q       <= rifx_d;
      has_map_q    <= has_map_d;
      rflags_q     <= rflags_d;
    end
  end

  ebpf_prim_lutram_flagged #(.Width(32), .Depth(MapSlots), .NumRead(2)) u_rb_used (
    .clk_i, .rst_ni,
    .clear_i(start_i),
    .we_i   (rb_we),
    .waddr_i(map_q),
    .wdata_i(rb_used_wdata),
    .raddr_i({map_q, m1}),
    .rdata_o(rb_used_rd)
  );

  // Key bytes of a copy pass, or a 4-byte key written directly (tail call, redirect_map).
  assign kbuf_we_o    = kd_we || kbuf_copy;
  assign kbuf_addr_o  = kd_we ? kd_addr : KbAw'(cp_idx >> 3);
  assign kbuf_wdata_o = kd_we ? kd_wdata : {8{cp_byte}};
  assign kbuf_wmask_o = kd_we ? kd_wmask : (8'(1) << cp_idx[2:0]);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lost_q <= '0;
    end else if (ev_lost) begin
      lost_q <= lost_q + 32'd1;
    end
  end
  assign ev_lost_o = lost_q;

  assign done_o          = done_q;
  assign fault_o         = done_q && resp_fault_q;
  assign fault_code_o    = resp_code_q;
  assign r0_o            = resp_r0_q;
  assign keep_r0_o       = resp_keep_q;
  assign tail_o          = resp_tail_q;
  assign tail_prog_o     = tail_prog_q;
  assign tail_calls_o    = tail_calls_q;
  assign prandom_state_o = prandom_q;
  assign mcmd_map_o      = 32'(map_q);
  assign pkt_we_o        = pkt_we;
  assign pkt_data_meta_o = pkt_meta_d;
  assign pkt_data_o      = pkt_data_d;
  assign pkt_data_end_o  = pkt_end_d;
  assign redir_tgt_o     = tgt_q;
  assign redir_has_map_o = has_map_q;
  assign redir_map_o     = rmap_q;
  assign redir_ifindex_o = rifx_q;
  assign redir_flags_o   = rflags_q;

  logic unused_hu;
  assign unused_hu = ^{pa_ctx, pb_ctx, pb_ro, cp_busy, cp_idx[31:KbAw+3], mcmd_word_i[63:32],
                       f2[16]};

endmodule
