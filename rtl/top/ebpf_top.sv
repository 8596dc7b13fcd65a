/**
 * eBPF soft-CPU top: one core with its memories, context and CSR bus
 *
 * Owns the instruction memory (word pairs, ImemSlots slots), the stack memory (MaxFrames
 * frames of StackFrameSize bytes), the packet buffer (PacketBufferSize bytes), the context
 * fields, the minimal helper unit and the CSR slave (map: ebpf_csr_pkg, docs/register-map.md).
 * The host loads a program and a memory image over the CSR bus, writes the initial
 * registers, starts a run and reads the status, registers, counters and memory back. While
 * the core runs it owns the memories; between runs the bus does.
 *
 * CSR bus: one request per cycle, no back-pressure; a read answers in the next cycle
 * (csr_rvalid_o with csr_rdata_o).
 */
module ebpf_top
  import ebpf_pkg::*;
  import ebpf_csr_pkg::*;
#(
  parameter int unsigned ImemSlots     = 4096,    // instruction memory slots (2^n)
  parameter int unsigned NsPerCycle    = 10,      // clock period in ns, for ktime_get_ns
  parameter int unsigned MapSlots      = 32,      // map descriptors (map unit MaxMaps)
  // Map pool defaults: a board configuration (an ECP5-85F with the network stack beside it,
  // docs/architecture.md "Resources"); the simulation model (sim/CMakeLists.txt) overrides
  // them with larger pools.
  parameter int unsigned MapValueBytes = 65536,   // map value memory (2^n bytes)
  parameter int unsigned MapKeyWords   = 1024,    // map unit key memory, 64-bit words
  parameter int unsigned MapBuckets    = 4096,    // map unit bucket memory entries
  parameter int unsigned MapPoolSlots  = 1024,    // map unit slot memories
  parameter int unsigned EventFifoBytes = 65536,  // helper_limits::kEventFifoBytes
  // 2: two packet buffers (ping-pong) for a packet sequencer in front: the core, the CSR
  // window and the packet port use buffer pkt_bank_i, the egress read port reads buffer
  // pkt_eg_bank_i, so the next frame can come in while the last one goes out (ebpf_xdp_top).
  // 1: one buffer, the egress port unused.
  parameter int unsigned PktBanks = 1
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // CSR bus
  input  logic              csr_req_i,
  input  logic              csr_we_i,
  input  logic [CsrAw-1:0]  csr_addr_i,
  input  logic [31:0]       csr_wdata_i,
  output logic              csr_rvalid_o,
  output logic [31:0]       csr_rdata_o,

  // Packet port into the packet buffer (for the packet I/O block), served while the core
  // is idle. It has priority over a CSR packet-window access in the same cycle (that one is
  // dropped; ebpf_xdp_top never issues both). Reads answer the cycle after the request.
  input  logic              pkt_port_req_i,
  input  logic              pkt_port_we_i,
  input  logic [15:0]       pkt_port_addr_i,    // 64-bit word index into the packet buffer
  input  logic [63:0]       pkt_port_wdata_i,
  input  logic [7:0]        pkt_port_wmask_i,
  output logic [63:0]       pkt_port_rdata_o,
  // PktBanks = 2: the buffer the core side uses (change it only while nothing accesses the
  // buffers), and a read-only word port into buffer pkt_eg_bank_i (reads answer the next
  // cycle). Egress has its own port; the sequencer keeps the core side in the other buffer
  // while a frame leaves (a core-side write to the word egress reads is undefined).
  input  logic              pkt_bank_i,
  input  logic              pkt_eg_bank_i,
  input  logic              pkt_eg_req_i,
  input  logic [15:0]       pkt_eg_addr_i,
  output logic [63:0]       pkt_eg_rdata_o,

  // A host write that a block in front of this one refused (ebpf_xdp_top while a frame is in
  // flight), with its address: a refused map-command staging write marks the staging
  // disturbed, so that the doorbell cannot execute a command with stale buffer bytes. Tie to
  // 0 when nothing sits in front of the bus.
  input  logic              host_drop_i,
  input  logic [CsrAw-1:0]  host_drop_addr_i,
  // A host map command is in progress (MCMD.PENDING): a run cannot start now (CTRL.START
  // and RUN_SEQ are ignored), so a sequencer in front holds its START back meanwhile.
  output logic              mcmd_busy_o,

  // Status lines (the same as CSR_STATUS bits), e.g. for an interrupt
  output logic              busy_o,
  output logic              done_o,
  // The run's outcome for a packet sequencer in front (ebpf_xdp_top), valid while done_o:
  // what STATUS, R0, DATA, DATA_END and REDIR_* read, without the register reads
  output run_verdict_t      verdict_o
);

  localparam int unsigned ImemAw     = $clog2(ImemSlots);
  localparam int unsigned StackWords = StackSize / 8;
  localparam int unsigned PktWords   = (PacketBufferSize + 7) / 8;
  localparam int unsigned StackAw    = $clog2(StackWords);
  localparam int unsigned PktAw      = $clog2(PktWords);
  localparam int unsigned MvWords    = MapValueBytes / 8;
  localparam int unsigned MvAw       = $clog2(MvWords);
  localparam int unsigned DmemAw0    = (PktAw > StackAw) ? PktAw : StackAw;
  localparam int unsigned DmemAw     = (MvAw > DmemAw0) ? MvAw : DmemAw0;
  localparam int unsigned EvAw       = $clog2(2 * EventFifoBytes / 8);
  localparam int unsigned KbAw       = 6;    // map unit key buffer: 512 bytes
  localparam int unsigned VbAw       = 7;    // map unit value buffer: 1,024 bytes

  // Capability block: the helpers the helper unit implements (every Helper* id of ebpf_pkg,
  // the list generated from the C++ table helpers.h; ebpf_helper_unit decodes each of them)
  // and the map types of the map unit (ebpf_pkg::MapType*, Linux bpf_map_type numbers).
  localparam logic [255:0] CapHelpers =
      (256'd1 << HelperMapLookupElem) | (256'd1 << HelperMapUpdateElem) |
      (256'd1 << HelperMapDeleteElem) | (256'd1 << HelperKtimeGetNs) |
      (256'd1 << HelperTracePrintk) | (256'd1 << HelperGetPrandomU32) |
      (256'd1 << HelperGetSmpProcessorId) | (256'd1 << HelperTailCall) |
      (256'd1 << HelperRedirect) | (256'd1 << HelperPerfEventOutput) |
      (256'd1 << HelperCsumDiff) | (256'd1 << HelperXdpAdjustHead) |
      (256'd1 << HelperRedirectMap) | (256'd1 << HelperXdpAdjustMeta) |
      (256'd1 << HelperXdpAdjustTail) | (256'd1 << HelperRingbufOutput) |
      (256'd1 << HelperXdpGetBuffLen) | (256'd1 << HelperXdpLoadBytes) |
      (256'd1 << HelperXdpStoreBytes);
  localparam logic [31:0] CapMapTypes =
      (32'd1 << MapTypeHash) | (32'd1 << MapTypeArray) |
      (32'd1 << MapTypeProgArray) | (32'd1 << MapTypePerfEvent) |
      (32'd1 << MapTypePercpuHash) | (32'd1 << MapTypePercpuArr) |
      (32'd1 << MapTypeLruHash) | (32'd1 << MapTypeLpmTrie) |
      (32'd1 << MapTypeDevmap) | (32'd1 << MapTypeDevmapHash) |
      (32'd1 << MapTypeRingbuf);

  if ((ImemSlots & (ImemSlots - 1)) != 0) begin : gen_imem_check
    $error("ebpf_top: ImemSlots (%0d) must be a power of two (instance %m)", ImemSlots);
  end

  ///////////////////
  // CSR registers //
  ///////////////////

  logic [31:0] data_meta_q, data_q, data_end_q, ifindex_q, rx_queue_q;
  logic [63:0] budget_q;
  logic [31:0] seed_lo_q;
  logic [7:0]  run_cpu_q;
  logic        has_ctx_q;

  logic        csr_wr, csr_rd, start;
  assign csr_wr = csr_req_i && csr_we_i;
  assign csr_rd = csr_req_i && !csr_we_i;
  // A run starts on CTRL.START, or on a RUN_SEQ write of the next sequence number while the
  // core is idle (exactly-once runs: a repeated write of the same number is ignored). Neither
  // starts one while a host map command is in progress: the run's helper calls would take
  // the map unit and its key buffer from under the command.
  logic [31:0] last_run_seq_q;
  logic        run_seq_take, hc_pending_q;
  assign run_seq_take = csr_wr && csr_addr_i == CSR_RUN_SEQ && !busy_o && !hc_pending_q &&
                        csr_wdata_i == last_run_seq_q + 32'd1;
  assign start  = (csr_wr && csr_addr_i == CSR_CTRL && csr_wdata_i[CtrlStart] &&
                   !hc_pending_q) || run_seq_take;
  assign mcmd_busy_o = hc_pending_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      last_run_seq_q <= '0;
    end else if (run_seq_take) begin
      last_run_seq_q <= csr_wdata_i;
    end
  end

  // EVT_CTRL.HOLD: the event FIFO keeps its records across run starts until EVT_ACK.
  logic evt_hold_q, evt_ack;
  assign evt_ack = csr_wr && csr_addr_i == CSR_EVT_ACK;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      evt_hold_q <= 1'b0;
    end else if (csr_wr && csr_addr_i == CSR_EVT_CTRL) begin
      evt_hold_q <= csr_wdata_i[EvtCtrlHold];
    end
  end

  // Program table (docs/xdp_datapath.md "Program table"): first slot and length per program,
  // in LUT RAM with a read port per reader (ebpf_prog_table). Lengths are at most ImemSlots,
  // so they are LenW bits wide and zero-extended at the core and helper ports.
  localparam int unsigned LenW = ImemAw + 1;
  logic [ProgW-1:0]             entry_q;
  logic                         win_progs;
  logic [ProgW-1:0]             progs_idx;

  assign win_progs = csr_addr_i >= CSR_PROGS && csr_addr_i < CSR_PROGS_END;
  assign progs_idx = ProgW'((csr_addr_i - CSR_PROGS) >> 3);

  // The PROGS window writes either field of any entry; PROG_LEN is entry 0's length. The
  // host read port follows the same index (PROG_LEN reads entry 0).
  logic             prog_wr, prog_wr_len;
  logic [ProgW-1:0] prog_host_idx;
  logic [31:0]      pt_host_first;
  logic [LenW-1:0]  pt_host_len;

  assign prog_wr       = csr_wr && !busy_o && (win_progs || csr_addr_i == CSR_PROG_LEN);
  assign prog_wr_len   = !win_progs || csr_addr_i[2];
  assign prog_host_idx = win_progs ? progs_idx : '0;

  // Read ports of the core (entry, running program, tail-call target) and the helper unit
  // (the program a tail call's prog_array lookup returned).
  logic [ImemAw-1:0] pt_entry_first, pt_tail_first;
  logic [LenW-1:0]   pt_entry_len, pt_cur_len, pt_tail_len, pt_check_len;
  logic [ProgW-1:0]  helper_tail_prog, cur_prog;
  logic [63:0]       mcmd_word;

  ebpf_prog_table #(
    .MaxPrograms (MaxPrograms),
    .ImemSlots   (ImemSlots)
  ) u_prog_table (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .we_i          (prog_wr),
    .we_len_i      (prog_wr_len),
    .wdata_i       (csr_wdata_i),
    .host_idx_i    (prog_host_idx),
    .host_first_o  (pt_host_first),
    .host_len_o    (pt_host_len),
    .entry_idx_i   (entry_q),
    .entry_first_o (pt_entry_first),
    .entry_len_o   (pt_entry_len),
    .cur_idx_i     (cur_prog),
    .cur_len_o     (pt_cur_len),
    .tail_idx_i    (helper_tail_prog),
    .tail_first_o  (pt_tail_first),
    .tail_len_o    (pt_tail_len),
    .check_idx_i   (ProgW'(mcmd_word[31:0])),
    .check_len_o   (pt_check_len)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      entry_q <= '0;
    end else if (csr_wr && !busy_o && csr_addr_i == CSR_ENTRY) begin
      entry_q <= ProgW'(csr_wdata_i);
    end
  end

  // Map table for the helper unit (type checks, key and value sizes, max_entries), written by
  // the host with the map unit's descriptors; LUT RAM with a read port per reader
  // (ebpf_map_info_table).
  localparam int unsigned MinfoW = (MapSlots > 1) ? $clog2(MapSlots) : 1;
  logic              win_minfo;
  logic [MinfoW-1:0] minfo_idx, minfo_a_idx, minfo_b_idx;
  logic              minfo_host_valid, minfo_a_valid, minfo_b_valid;
  logic [7:0]        minfo_host_type, minfo_a_type, minfo_b_type;
  logic [31:0]       minfo_host_ksize, minfo_host_vsize, minfo_host_max;
  logic [31:0]       minfo_a_ksize, minfo_a_vsize, minfo_a_max, minfo_b_max;

  assign win_minfo = csr_addr_i >= CSR_MINFO && csr_addr_i < CSR_MINFO + CsrAw'(16 * MapSlots);
  assign minfo_idx = MinfoW'((csr_addr_i - CSR_MINFO) >> 4);

  ebpf_map_info_table #(
    .MapSlots (MapSlots)
  ) u_map_info (
    .clk_i              (clk_i),
    .rst_ni             (rst_ni),
    .we_i               (csr_wr && !busy_o && win_minfo),
    .field_i            (csr_addr_i[3:2]),
    .wvalid_i           (csr_wdata_i[MinfoValid]),
    .wdata_i            (csr_wdata_i),
    .host_idx_i         (minfo_idx),
    .host_valid_o       (minfo_host_valid),
    .host_type_o        (minfo_host_type),
    .host_key_size_o    (minfo_host_ksize),
    .host_value_size_o  (minfo_host_vsize),
    .host_max_entries_o (minfo_host_max),
    .a_idx_i            (minfo_a_idx),
    .a_valid_o          (minfo_a_valid),
    .a_type_o           (minfo_a_type),
    .a_key_size_o       (minfo_a_ksize),
    .a_value_size_o     (minfo_a_vsize),
    .a_max_entries_o    (minfo_a_max),
    .b_idx_i            (minfo_b_idx),
    .b_valid_o          (minfo_b_valid),
    .b_type_o           (minfo_b_type),
    .b_max_entries_o    (minfo_b_max)
  );

  // Packet offsets: the host sets them before a run; the adjust helpers move them.
  logic        hu_pkt_we;
  logic [31:0] hu_meta, hu_data, hu_end;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      has_ctx_q   <= 1'b0;
      budget_q    <= DefaultBudget;
      data_meta_q <= PacketHeadroom;
      data_q      <= PacketHeadroom;
      data_end_q  <= PacketHeadroom;
      ifindex_q   <= '0;
      rx_queue_q  <= '0;
      seed_lo_q   <= '0;
      run_cpu_q   <= '0;
    end else if (hu_pkt_we) begin
      data_meta_q <= hu_meta;
      data_q      <= hu_data;
      data_end_q  <= hu_end;
    end else if (csr_wr && !busy_o) begin
      unique case (csr_addr_i)
        CSR_CONFIG:    has_ctx_q         <= csr_wdata_i[ConfigHasCtx];
        CSR_BUDGET_LO: budget_q[31:0]    <= csr_wdata_i;
        CSR_BUDGET_HI: budget_q[63:32]   <= csr_wdata_i;
        CSR_DATA_META: data_meta_q       <= csr_wdata_i;
        CSR_DATA:      data_q            <= csr_wdata_i;
        // The LSU relies on data_end never passing the end of the packet buffer.
        CSR_DATA_END:  data_end_q        <= (csr_wdata_i > PacketBufferSize) ?
                                            32'(PacketBufferSize) : csr_wdata_i;
        CSR_IFINDEX:   ifindex_q         <= csr_wdata_i;
        CSR_RX_QUEUE:  rx_queue_q        <= csr_wdata_i;
        CSR_SEED_LO:   seed_lo_q         <= csr_wdata_i;
        CSR_RUN_CPU:   run_cpu_q         <= csr_wdata_i[7:0];
        default:       ;
      endcase
    end
  end

  ///////////////////////
  // Bus address decode //
  ///////////////////////

  // A register takes its 64-bit value when the host writes the _HI half; the _LO half
  // written before waits here.
  logic [31:0] reg_lo_q;

  logic win_regs, win_stack, win_pkt, win_imem, win_ev, win_mv, win_kbuf, win_vbuf, win_desc;
  logic win_obj, win_caph;
  logic host_mem;          // a memory window access the bus may make now (core idle)
  logic [127:0] mv_rdata;  // map value memory read data
  logic [3:0] reg_idx;

  assign win_regs  = csr_addr_i >= CSR_REGS && csr_addr_i < CSR_REGS_END;
  assign win_stack = csr_addr_i[CsrAw-1:16] == WIN_STACK[CsrAw-1:16];
  assign win_pkt   = csr_addr_i[CsrAw-1:17] == WIN_PACKET[CsrAw-1:17];
  assign win_imem  = csr_addr_i[CsrAw-1] == WIN_IMEM[CsrAw-1];
  assign win_ev    = csr_addr_i[CsrAw-1:17] == WIN_EVENTS[CsrAw-1:17];
  assign win_mv    = csr_addr_i[CsrAw-1:17] == WIN_MAPVAL[CsrAw-1:17];
  assign reg_idx   = win_regs ? 4'((csr_addr_i - CSR_REGS) >> 3) : 4'd0;
  assign win_obj   = csr_addr_i[CsrAw-1:PageBits] == WIN_OBJINFO[CsrAw-1:PageBits];
  assign win_caph  = csr_addr_i >= CSR_CAP_HELPERS && csr_addr_i < CSR_CAP_HELPERS_END;

  // Word (64-bit) index and half of a memory-window access.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      reg_lo_q <= '0;
    end else if (csr_wr && win_regs && !csr_addr_i[2]) begin
      reg_lo_q <= csr_wdata_i;
    end
  end

  logic [15:0] imem_word, stack_word, pkt_word, ev_word, mv_word, win_word;
  logic        win_half, win_in_range;

  assign imem_word  = csr_addr_i[18:3];
  assign stack_word = {3'd0, csr_addr_i[15:3]};
  assign pkt_word   = {2'd0, csr_addr_i[16:3]};
  assign ev_word    = {2'd0, csr_addr_i[16:3]};
  assign mv_word    = {2'd0, csr_addr_i[16:3]};
  assign win_half   = csr_addr_i[2];

  always_comb begin
    win_word     = '0;
    win_in_range = 1'b0;
    if (win_imem) begin
      win_word     = imem_word;
      win_in_range = 32'(imem_word) < ImemSlots;
    end else if (win_stack) begin
      win_word     = stack_word;
      win_in_range = 32'(stack_word) < StackWords;
    end else if (win_pkt) begin
      win_word     = pkt_word;
      win_in_range = 32'(pkt_word) < PktWords;
    end else if (win_ev) begin
      win_word     = ev_word;
      win_in_range = 32'(ev_word) < 2 * EventFifoBytes / 8;
    end else if (win_mv) begin
      win_word     = mv_word;
      win_in_range = 32'(mv_word) < MvWords;
    end else if (win_kbuf || win_vbuf) begin
      win_in_range = 1'b1;
    end
  end

  logic [127:0] half_wdata;
  logic [15:0]  half_wmask;
  assign half_wdata = {64'd0, win_half ? {csr_wdata_i, 32'd0} : {32'd0, csr_wdata_i}};
  assign half_wmask = win_half ? 16'h00f0 : 16'h000f;

  //////////
  // Core //
  //////////

  logic               core_active;
  logic               imem_req_c;
  logic [ImemAw-1:0]  imem_addr_c;
  logic [127:0]       imem_rdata;
  logic               dmem_req_c, dmem_we_c;
  dmem_sel_e          dmem_sel_c;
  logic [DmemAw-1:0]  dmem_addr_c;
  logic [127:0]       dmem_wdata_c, dmem_rdata_c;
  logic [15:0]        dmem_wmask_c;
  logic               helper_req, helper_done, helper_fault;
  logic [63:0]        helper_id, helper_r0;
  logic [4:0][63:0]   helper_args;
  fault_e             helper_fault_code;
  logic               helper_keep_r0, helper_tail;
  logic [7:0]         tail_calls;
  fault_e             fault_code;
  logic [31:0]        fault_pc;
  logic [63:0]        cycles, instret, st_lu, st_br, st_mc, st_hlp, host_reg_rdata, core_r0;

  // Map value regions exported by the map unit.
  // Valid and read-only bits of every map; the value base and limit come from the map unit's
  // read ports, one per region checker (0: the core's LSU, 1 and 2: the helper unit's two).
  localparam int unsigned RegionPorts = 3;
  logic [MapSlots-1:0]                   map_valid, map_ro;
  logic [RegionPorts-1:0][MinfoW-1:0]    region_idx;
  logic [RegionPorts-1:0][31:0]          region_base, region_limit;
  logic [31:0]               stack_limit;

  ebpf_core #(
    .ImemAw   (ImemAw),
    .DmemAw   (DmemAw),
    .MapSlots (MapSlots)
  ) u_core (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .start_i             (start),
    .entry_i             (entry_q),
    .entry_first_i       (pt_entry_first),
    .entry_len_i         (32'(pt_entry_len)),
    .cur_len_i           (32'(pt_cur_len)),
    .tail_first_i        (pt_tail_first),
    .tail_len_i          (32'(pt_tail_len)),
    .prog_o              (cur_prog),
    .budget_i            (budget_q),
    .active_o            (core_active),
    .busy_o              (busy_o),
    .done_o              (done_o),
    .fault_code_o        (fault_code),
    .fault_pc_o          (fault_pc),
    .cycles_o            (cycles),
    .instret_o           (instret),
    .stall_load_use_o    (st_lu),
    .stall_branch_o      (st_br),
    .stall_multi_o       (st_mc),
    .stall_helper_o      (st_hlp),
    .host_reg_we_i       (csr_wr && win_regs && csr_addr_i[2]),
    .host_reg_addr_i     (reg_idx),
    .host_reg_wdata_i    ({csr_wdata_i, reg_lo_q}),
    .host_reg_rdata_o    (host_reg_rdata),
    .r0_o                (core_r0),
    .has_ctx_i           (has_ctx_q),
    .pkt_data_meta_i     (data_meta_q),
    .pkt_data_i          (data_q),
    .pkt_data_end_i      (data_end_q),
    .ifindex_i           (ifindex_q),
    .rx_queue_i          (rx_queue_q),
    .map_valid_i         (map_valid),
    .map_idx_o           (region_idx[0]),
    .map_base_i          (region_base[0]),
    .map_limit_i         (region_limit[0]),
    .map_ro_i            (map_ro),
    .stack_limit_o       (stack_limit),
    .imem_req_o          (imem_req_c),
    .imem_addr_o         (imem_addr_c),
    .imem_rdata_i        (imem_rdata),
    .dmem_req_o          (dmem_req_c),
    .dmem_sel_o          (dmem_sel_c),
    .dmem_we_o           (dmem_we_c),
    .dmem_addr_o         (dmem_addr_c),
    .dmem_wdata_o        (dmem_wdata_c),
    .dmem_wmask_o        (dmem_wmask_c),
    .dmem_rdata_i        (dmem_rdata_c),
    .helper_req_o        (helper_req),
    .helper_id_o         (helper_id),
    .helper_args_o       (helper_args),
    .helper_done_i       (helper_done),
    .helper_fault_i      (helper_fault),
    .helper_fault_code_i (helper_fault_code),
    .helper_r0_i         (helper_r0),
    .helper_keep_r0_i    (helper_keep_r0),
    .helper_tail_i       (helper_tail),
    .helper_tail_prog_i  (helper_tail_prog)
  );

  logic [31:0] redir_tgt, redir_map, redir_ifindex;
  logic        redir_has_map;
  logic [63:0] redir_flags, prandom_state;
  logic        seed_we;

  assign seed_we = csr_wr && !busy_o && csr_addr_i == CSR_SEED_HI;

  // Helper unit: data-memory master, map unit command port, event FIFO.
  logic              hm_req, hm_we;
  dmem_sel_e         hm_sel;
  logic [DmemAw-1:0] hm_addr;
  logic [63:0]       hm_wdata, hm_rdata;
  logic [7:0]        hm_wmask;
  logic              mcmd_valid, mcmd_done;
  logic [2:0]        mcmd_op;
  logic [31:0]       mcmd_map, mcmd_status, mcmd_offset;
  logic [63:0]       mcmd_flags;   // mcmd_word: with the program table
  logic              hkb_we, hvb_we;
  logic [KbAw-1:0]   hkb_addr;
  logic [VbAw-1:0]   hvb_addr;
  logic [63:0]       hkb_wdata, hvb_wdata, ev_rdata;
  logic [7:0]        hkb_wmask, hvb_wmask;
  logic [31:0]       ev_bytes, ev_count, ev_empties, ev_lost;
  logic              ev_req;

  ebpf_helper_unit #(
    .NsPerCycle     (NsPerCycle),
    .DmemAw         (DmemAw),
    .MapSlots       (MapSlots),
    .EventFifoBytes (EventFifoBytes),
    .KbAw           (KbAw),
    .VbAw           (VbAw)
  ) u_helper_unit (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .start_i             (start && !busy_o),
    .cycles_i            (cycles),
    .has_ctx_i           (has_ctx_q),
    .cpu_i               (run_cpu_q),
    .stack_limit_i       (stack_limit),
    .data_meta_i         (data_meta_q),
    .data_i              (data_q),
    .data_end_i          (data_end_q),
    .pkt_we_o            (hu_pkt_we),
    .pkt_data_meta_o     (hu_meta),
    .pkt_data_o          (hu_data),
    .pkt_data_end_o      (hu_end),
    .seed_we_i           (seed_we),
    .seed_i              ({csr_wdata_i, seed_lo_q}),
    .prandom_state_o     (prandom_state),
    .mcmd_prog_len_i     (32'(pt_check_len)),
    .minfo_a_idx_o         (minfo_a_idx),
    .minfo_a_valid_i       (minfo_a_valid),
    .minfo_a_type_i        (minfo_a_type),
    .minfo_a_key_size_i    (minfo_a_ksize),
    .minfo_a_value_size_i  (minfo_a_vsize),
    .minfo_a_max_entries_i (minfo_a_max),
    .minfo_b_idx_o         (minfo_b_idx),
    .minfo_b_valid_i       (minfo_b_valid),
    .minfo_b_type_i        (minfo_b_type),
    .minfo_b_max_entries_i (minfo_b_max),
    .map_valid_i         (map_valid),
    .pa_map_idx_o        (region_idx[1]),
    .pa_map_base_i       (region_base[1]),
    .pa_map_limit_i      (region_limit[1]),
    .pb_map_idx_o        (region_idx[2]),
    .pb_map_base_i       (region_base[2]),
    .pb_map_limit_i      (region_limit[2]),
    .map_ro_i            (map_ro),
    .req_i               (helper_req),
    .id_i                (helper_id),
    .args_i              (helper_args),
    .done_o              (helper_done),
    .fault_o             (helper_fault),
    .fault_code_o        (helper_fault_code),
    .r0_o                (helper_r0),
    .keep_r0_o           (helper_keep_r0),
    .tail_o              (helper_tail),
    .tail_prog_o         (helper_tail_prog),
    .tail_calls_o        (tail_calls),
    .dm_req_o            (hm_req),
    .dm_we_o             (hm_we),
    .dm_sel_o            (hm_sel),
    .dm_addr_o           (hm_addr),
    .dm_wdata_o          (hm_wdata),
    .dm_wmask_o          (hm_wmask),
    .dm_rdata_i          (hm_rdata),
    .mcmd_valid_o        (mcmd_valid),
    .mcmd_op_o           (mcmd_op),
    .mcmd_map_o          (mcmd_map),
    .mcmd_flags_o        (mcmd_flags),
    .mcmd_done_i         (mcmd_done),
    .mcmd_status_i       (mcmd_status),
    .mcmd_offset_i       (mcmd_offset),
    .mcmd_word_i         (mcmd_word),
    .kbuf_we_o           (hkb_we),
    .kbuf_addr_o         (hkb_addr),
    .kbuf_wdata_o        (hkb_wdata),
    .kbuf_wmask_o        (hkb_wmask),
    .vbuf_we_o           (hvb_we),
    .vbuf_addr_o         (hvb_addr),
    .vbuf_wdata_o        (hvb_wdata),
    .vbuf_wmask_o        (hvb_wmask),
    .ev_req_i            (ev_req),
    .ev_addr_i           (EvAw'(win_word)),
    .ev_rdata_o          (ev_rdata),
    .ev_bytes_o          (ev_bytes),
    .ev_count_o          (ev_count),
    .ev_hold_i           (evt_hold_q),
    .ev_ack_i            (evt_ack),
    .ev_ack_bytes_i      (csr_wdata_i),
    .ev_empties_o        (ev_empties),
    .ev_lost_o           (ev_lost),
    .redir_tgt_o         (redir_tgt),
    .redir_has_map_o     (redir_has_map),
    .redir_map_o         (redir_map),
    .redir_ifindex_o     (redir_ifindex),
    .redir_flags_o       (redir_flags)
  );

  // With HOLD the host reads committed records also while a run adds more (own read port).
  logic ev_readable;
  assign ev_readable = win_in_range && (!core_active || evt_hold_q);
  assign ev_req      = csr_rd && win_ev && ev_readable;

  //////////////
  // Map unit //
  //////////////

  // Commands come from the helper unit while the core runs, else from the host command block
  // (CSR_MCMD*); the key and value buffers likewise. The unit reaches value memory only while
  // its requester waits, so its value-memory port has priority there.
  localparam int unsigned DescAw = $clog2(MapSlots * ebpf_map_pkg::MAP_DESC_WORDS);

  logic        hc_null_q, hc_prog_q;
  logic [2:0]  hc_op_q;
  logic [31:0] hc_map_q, hc_status_q, hc_offset_q;
  logic [63:0] hc_flags_q, hc_word_q;
  logic [7:0]  hc_cpu_q;
  // Sequenced host commands: the number being staged, the last accepted and the last
  // completed command, the count executed, and the "staging disturbed" flag.
  logic [31:0] hc_stage_q, hc_last_q, hc_done_q, hc_exec_q;
  logic        hc_disturbed_q;

  assign win_kbuf = csr_addr_i >= WIN_KBUF && csr_addr_i < WIN_KBUF + CsrAw'(8 << KbAw);
  assign win_vbuf = csr_addr_i >= WIN_VBUF && csr_addr_i < WIN_VBUF + CsrAw'(8 << VbAw);
  assign win_desc = csr_addr_i >= WIN_MAPDESC &&
                    csr_addr_i < WIN_MAPDESC + CsrAw'(4 * MapSlots * ebpf_map_pkg::MAP_DESC_WORDS);

  logic        mu_valid, mu_done, mu_busy, mu_prog, mu_null;
  ebpf_map_pkg::map_op_e mu_op;
  logic [31:0] mu_map, mu_status, mu_offset;
  logic [63:0] mu_flags, mu_word;
  logic        mu_kb_req, mu_kb_we, mu_vb_req, mu_vb_we;
  logic [KbAw-1:0] mu_kb_addr;
  logic [VbAw-1:0] mu_vb_addr;
  logic [63:0] mu_kb_wdata, mu_vb_wdata, mu_kb_rdata, mu_vb_rdata;
  logic [7:0]  mu_kb_wmask, mu_vb_wmask;
  logic        mu_vm_req, mu_vm_we;
  logic [MvAw-1:0] mu_vm_addr;
  logic [63:0] mu_vm_wdata;
  logic [7:0]  mu_vm_wmask;
  logic        host_side;

  assign host_side = !core_active;
  assign mu_valid  = host_side ? hc_pending_q : mcmd_valid;
  assign mu_op     = ebpf_map_pkg::map_op_e'(host_side ? hc_op_q : mcmd_op);
  assign mu_map    = host_side ? hc_map_q : mcmd_map;
  assign mu_flags  = host_side ? hc_flags_q : mcmd_flags;
  assign mu_prog   = host_side ? hc_prog_q : 1'b1;
  assign mu_null   = host_side && hc_null_q;

  logic [63:0] half64;
  logic [7:0]  half_mask8;
  assign half64     = {csr_wdata_i, csr_wdata_i};
  assign half_mask8 = win_half ? 8'hf0 : 8'h0f;

  // Staging: the key and value buffer windows and the command fields. Writes take effect
  // only for the command being staged (MCMD_STAGE == MCMD_LAST_SEQ + 1) while the unit can
  // take them; one dropped for another reason (core running, command in progress) disturbs
  // the staging, and so does one refused in front of this block (host_drop_i), and any use
  // of the buffers by a run's helper calls.
  logic stage_ok, stage_addr, stage_wr, stage_take, stage_lost, drop_stage_addr, doorbell;
  logic buf_free;

  function automatic logic is_stage_addr(logic [CsrAw-1:0] a);
    return (a >= WIN_KBUF && a < WIN_KBUF + CsrAw'(8 << KbAw)) ||
           (a >= WIN_VBUF && a < WIN_VBUF + CsrAw'(8 << VbAw)) ||
           a == CSR_MCMD_MAP || a == CSR_MCMD_CPU || a == CSR_MCMD_FLAGS_LO ||
           a == CSR_MCMD_FLAGS_HI;
  endfunction

  assign buf_free        = host_side && !hc_pending_q && !mu_busy;
  assign stage_ok        = hc_stage_q == hc_last_q + 32'd1;
  assign stage_addr      = is_stage_addr(csr_addr_i);
  assign drop_stage_addr = is_stage_addr(host_drop_addr_i);
  assign stage_wr        = csr_wr && stage_addr;
  assign stage_take      = stage_wr && stage_ok && buf_free;
  assign stage_lost      = (stage_wr && stage_ok && !buf_free) ||
                           (host_drop_i && drop_stage_addr) ||
                           hkb_we || hvb_we || (!host_side && mu_valid);
  assign doorbell        = csr_wr && csr_addr_i == CSR_MCMD && stage_ok && !hc_disturbed_q &&
                           buf_free;

  assign mu_kb_req   = host_side ? (csr_req_i && win_kbuf && (!csr_we_i || stage_take)) : hkb_we;
  assign mu_kb_we    = host_side ? csr_we_i : 1'b1;
  assign mu_kb_addr  = host_side ? KbAw'(csr_addr_i[KbAw+2:3]) : hkb_addr;
  assign mu_kb_wdata = host_side ? half64 : hkb_wdata;
  assign mu_kb_wmask = host_side ? half_mask8 : hkb_wmask;
  assign mu_vb_req   = host_side ? (csr_req_i && win_vbuf && (!csr_we_i || stage_take)) : hvb_we;
  assign mu_vb_we    = host_side ? csr_we_i : 1'b1;
  assign mu_vb_addr  = host_side ? VbAw'(csr_addr_i[VbAw+2:3]) : hvb_addr;
  assign mu_vb_wdata = host_side ? half64 : hvb_wdata;
  assign mu_vb_wmask = host_side ? half_mask8 : hvb_wmask;

  ebpf_map_unit #(
    .MaxMaps       (MapSlots),
    .RegionPorts   (RegionPorts),
    .KeyBufBytes   (8 << KbAw),
    .ValueBufBytes (8 << VbAw),
    .KeyWords      (MapKeyWords),
    .Buckets       (MapBuckets),
    .Slots         (MapPoolSlots),
    .ValueWords    (MvWords)
  ) u_map_unit (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .cmd_valid_i    (mu_valid),
    .cmd_op_i       (mu_op),
    .cmd_map_i      (mu_map),
    .cmd_flags_i    (mu_flags),
    .cmd_prog_i     (mu_prog),
    .cmd_cpu_i      (host_side ? hc_cpu_q : run_cpu_q),
    .cmd_null_key_i (mu_null),
    .cmd_done_o     (mu_done),
    .cmd_status_o   (mu_status),
    .cmd_offset_o   (mu_offset),
    .cmd_word_o     (mu_word),
    .busy_o         (mu_busy),
    .kbuf_req_i     (mu_kb_req),
    .kbuf_we_i      (mu_kb_we),
    .kbuf_addr_i    (mu_kb_addr),
    .kbuf_wdata_i   (mu_kb_wdata),
    .kbuf_wmask_i   (mu_kb_wmask),
    .kbuf_rdata_o   (mu_kb_rdata),
    .vbuf_req_i     (mu_vb_req),
    .vbuf_we_i      (mu_vb_we),
    .vbuf_addr_i    (mu_vb_addr),
    .vbuf_wdata_i   (mu_vb_wdata),
    .vbuf_wmask_i   (mu_vb_wmask),
    .vbuf_rdata_o   (mu_vb_rdata),
    .desc_we_i      (csr_wr && win_desc && !busy_o && !mu_busy && !hc_pending_q),
    .desc_addr_i    (DescAw'((csr_addr_i - WIN_MAPDESC) >> 2)),
    .desc_wdata_i   (csr_wdata_i),
    .map_valid_o    (map_valid),
    .map_ro_o       (map_ro),
    .region_idx_i   (region_idx),
    .region_base_o  (region_base),
    .region_limit_o (region_limit),
    .vm_req_o       (mu_vm_req),
    .vm_we_o        (mu_vm_we),
    .vm_addr_o      (mu_vm_addr),
    .vm_wdata_o     (mu_vm_wdata),
    .vm_wmask_o     (mu_vm_wmask),
    .vm_rdata_i     (mv_rdata[63:0])
  );

  assign mcmd_done   = !host_side && mu_done;
  assign mcmd_status = mu_status;
  assign mcmd_offset = mu_offset;
  assign mcmd_word   = mu_word;

  // Host command block: CSR_MCMD starts a command with the fields written before; it is
  // pending until the unit answers.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      hc_pending_q <= 1'b0;
      hc_null_q    <= 1'b0;
      hc_prog_q    <= 1'b0;
      hc_op_q      <= '0;
      hc_map_q     <= '0;
      hc_flags_q   <= '0;
      hc_cpu_q     <= '0;
      hc_status_q  <= '0;
      hc_offset_q  <= '0;
      hc_word_q    <= '0;
      hc_stage_q   <= '0;
      hc_last_q    <= '0;
      hc_done_q    <= '0;
      hc_exec_q    <= '0;
      hc_disturbed_q <= 1'b0;
    end else begin
      if (host_side && hc_pending_q && mu_done) begin
        hc_pending_q <= 1'b0;
        hc_status_q  <= mu_status;
        hc_offset_q  <= mu_offset;
        hc_word_q    <= mu_word;
        hc_done_q    <= hc_last_q;
        hc_exec_q    <= hc_exec_q + 32'd1;
      end
      if (csr_wr && csr_addr_i == CSR_MCMD_STAGE) begin
        hc_stage_q     <= csr_wdata_i;
        hc_disturbed_q <= 1'b0;
      end else if (stage_lost) begin
        hc_disturbed_q <= 1'b1;
      end
      if (doorbell) begin
        hc_pending_q <= 1'b1;
        hc_last_q    <= hc_stage_q;
        hc_op_q      <= csr_wdata_i[2:0];
        hc_null_q    <= csr_wdata_i[McmdNullKey];
        hc_prog_q    <= csr_wdata_i[McmdProg];
      end
      if (stage_take) begin
        unique case (csr_addr_i)
          CSR_MCMD_MAP:      hc_map_q          <= csr_wdata_i;
          CSR_MCMD_FLAGS_LO: hc_flags_q[31:0]  <= csr_wdata_i;
          CSR_MCMD_FLAGS_HI: hc_flags_q[63:32] <= csr_wdata_i;
          CSR_MCMD_CPU:      hc_cpu_q          <= csr_wdata_i[7:0];
          default: ;
        endcase
      end
    end
  end

  ///////////////////////
  // Object info window //
  ///////////////////////

  // 4 KiB of RAM for the host's manifest (never interpreted here): written while the core
  // is idle, read at any time.
  localparam int unsigned ObjWords = ObjinfoBytes / 4;
  logic [31:0] obj_rdata;

  ebpf_prim_ram_1p #(
    .Width (32),
    .Depth (ObjWords)
  ) u_objinfo (
    .clk_i   (clk_i),
    .req_i   (csr_req_i && win_obj && (!csr_we_i || !busy_o)),
    .we_i    (csr_we_i),
    .addr_i  ($clog2(ObjWords)'(csr_addr_i[PageBits-1:2])),
    .wdata_i (csr_wdata_i),
    .wmask_i (4'hf),
    .rdata_o (obj_rdata)
  );

  // The run's XDP action, as the host reports it: ABORTED after a fault or for r0 > 4.
  logic [2:0] action;
  logic       redir_valid;
  assign action      = (fault_code != FAULT_NONE || core_r0 > 64'd4) ? 3'd0 : core_r0[2:0];
  assign redir_valid = done_o && action == 3'd4 && (redir_has_map || redir_tgt != 32'd0);

  assign verdict_o.fault         = 8'(fault_code);
  assign verdict_o.action        = action;
  assign verdict_o.bad_action    = fault_code == FAULT_NONE && core_r0 > 64'd4;
  assign verdict_o.data          = data_q;
  assign verdict_o.data_end      = data_end_q;
  assign verdict_o.redir_valid   = redir_valid;
  assign verdict_o.redir_ifindex = redir_has_map ? redir_ifindex : redir_tgt;

  //////////////
  // Memories //
  //////////////

  // The core owns the memories while active; between runs the CSR bus does.
  assign host_mem = !core_active && win_in_range;

  logic               imem_req, imem_we;
  logic [ImemAw-1:0]  imem_addr;

  assign imem_req  = core_active ? imem_req_c : (csr_req_i && win_imem && host_mem);
  assign imem_we   = !core_active && csr_we_i;
  assign imem_addr = core_active ? imem_addr_c : ImemAw'(win_word);

  ebpf_prim_ram_pair #(
    .Width (64),
    .Words (ImemSlots)
  ) u_imem (
    .clk_i   (clk_i),
    .req_i   (imem_req),
    .we_i    (imem_we),
    .addr_i  (imem_addr),
    .wdata_i (half_wdata),
    .wmask_i (half_wmask),
    .rdata_o (imem_rdata)
  );

  // While the core runs, the helper unit's master (the core waits in EX meanwhile) or the
  // LSU; between runs the CSR bus.
  logic               rs_req, rs_we;
  dmem_sel_e          rs_sel;
  logic [DmemAw-1:0]  rs_addr;
  logic [127:0]       rs_wdata;
  logic [15:0]        rs_wmask;

  assign rs_req   = hm_req || dmem_req_c;
  assign rs_sel   = hm_req ? hm_sel : dmem_sel_c;
  assign rs_we    = hm_req ? hm_we : dmem_we_c;
  assign rs_addr  = hm_req ? hm_addr : dmem_addr_c;
  assign rs_wdata = hm_req ? {64'd0, hm_wdata} : dmem_wdata_c;
  assign rs_wmask = hm_req ? {8'd0, hm_wmask} : dmem_wmask_c;

  logic               stack_req, pkt_req, mv_req, dmem_we;
  logic [127:0]       dmem_wdata, stack_rdata, pkt_rdata;
  logic [15:0]        dmem_wmask;
  logic [DmemAw-1:0]  dmem_addr;

  assign stack_req  = core_active ? (rs_req && rs_sel == DMEM_STACK)
                                  : (csr_req_i && win_stack && host_mem);
  logic               port_sel;
  logic               pkt_we;
  logic [PktAw-1:0]   pkt_addr;
  logic [127:0]       pkt_wdata;
  logic [15:0]        pkt_wmask;

  assign port_sel   = !core_active && pkt_port_req_i;
  assign pkt_req    = core_active ? (rs_req && rs_sel == DMEM_PACKET)
                                  : (pkt_port_req_i || (csr_req_i && win_pkt && host_mem));
  assign pkt_we     = port_sel ? pkt_port_we_i : dmem_we;
  assign pkt_addr   = port_sel ? PktAw'(pkt_port_addr_i) : PktAw'(dmem_addr);
  assign pkt_wdata  = port_sel ? {64'd0, pkt_port_wdata_i} : dmem_wdata;
  assign pkt_wmask  = port_sel ? {8'd0, pkt_port_wmask_i} : dmem_wmask;
  assign pkt_port_rdata_o = pkt_rdata[63:0];
  assign mv_req     = mu_vm_req || (core_active ? (rs_req && rs_sel == DMEM_MAPVAL)
                                                : (csr_req_i && win_mv && host_mem));
  assign dmem_we    = core_active ? rs_we : csr_we_i;
  assign dmem_addr  = core_active ? rs_addr : DmemAw'(win_word);
  assign dmem_wdata = core_active ? rs_wdata : half_wdata;
  assign dmem_wmask = core_active ? rs_wmask : half_wmask;

  ebpf_prim_ram_pair #(
    .Width (64),
    .Words (StackWords)
  ) u_stack_mem (
    .clk_i   (clk_i),
    .req_i   (stack_req),
    .we_i    (dmem_we),
    .addr_i  (StackAw'(dmem_addr)),
    .wdata_i (dmem_wdata),
    .wmask_i (dmem_wmask),
    .rdata_o (stack_rdata)
  );

  if (PktBanks == 1) begin : gen_pkt_one
    ebpf_prim_ram_pair #(
      .Width (64),
      .Words (PktWords)
    ) u_pkt_mem (
      .clk_i   (clk_i),
      .req_i   (pkt_req),
      .we_i    (pkt_we),
      .addr_i  (pkt_addr),
      .wdata_i (pkt_wdata),
      .wmask_i (pkt_wmask),
      .rdata_o (pkt_rdata)
    );
    assign pkt_eg_rdata_o = '0;
    logic unused_eg;
    assign unused_eg = ^{pkt_bank_i, pkt_eg_bank_i, pkt_eg_req_i, pkt_eg_addr_i};
  end else begin : gen_pkt_two
    // Both buffers in one word-pair RAM, buffer b at words [b * 2^PktAw, ...): the core side
    // (core, host, ingress) uses port A in buffer pkt_bank_i, egress the read-only word port
    // in buffer pkt_eg_bank_i. Each bank of the pair is one two-port block RAM array, so no
    // read data or address is muxed between buffers, and the core side keeps its port while
    // a frame leaves (the sequencer keeps the two in different buffers while it does).
    ebpf_prim_ram_pair_rd #(
      .Width  (64),
      .Words  (2 << PktAw),
      .RdPort (1'b1)
    ) u_pkt_mem (
      .clk_i      (clk_i),
      .req_i      (pkt_req),
      .we_i       (pkt_we),
      .addr_i     ({pkt_bank_i, pkt_addr}),
      .wdata_i    (pkt_wdata),
      .wmask_i    (pkt_wmask),
      .rdata_o    (pkt_rdata),
      .rd_req_i   (pkt_eg_req_i),
      .rd_addr_i  ({pkt_eg_bank_i, PktAw'(pkt_eg_addr_i)}),
      .rd_rdata_o (pkt_eg_rdata_o)
    );
  end
  if (PktBanks != 1 && PktBanks != 2) begin : gen_banks_check
    $error("ebpf_top: PktBanks (%0d) must be 1 or 2 (instance %m)", PktBanks);
  end

  ebpf_prim_ram_pair #(
    .Width (64),
    .Words (MvWords)
  ) u_mapval_mem (
    .clk_i   (clk_i),
    .req_i   (mv_req),
    .we_i    (mu_vm_req ? mu_vm_we : dmem_we),
    .addr_i  (mu_vm_req ? mu_vm_addr : MvAw'(dmem_addr)),
    .wdata_i (mu_vm_req ? {64'd0, mu_vm_wdata} : dmem_wdata),
    .wmask_i (mu_vm_req ? {8'd0, mu_vm_wmask} : dmem_wmask),
    .rdata_o (mv_rdata)
  );

  dmem_sel_e dmem_sel_q;
  always_ff @(posedge clk_i) begin
    if (rs_req) begin
      dmem_sel_q <= rs_sel;
    end
  end
  always_comb begin
    unique case (dmem_sel_q)
      DMEM_PACKET: dmem_rdata_c = pkt_rdata;
      DMEM_MAPVAL: dmem_rdata_c = mv_rdata;
      default:     dmem_rdata_c = stack_rdata;
    endcase
  end
  assign hm_rdata = dmem_rdata_c[63:0];

  // Words the last run wrote, so the host reads back only those: [lo, hi).
  logic [15:0] stack_wlo_q, stack_whi_q, pkt_wlo_q, pkt_whi_q;
  logic [15:0] wr_lo, wr_hi;

  assign wr_lo = 16'(rs_addr) + ((rs_wmask[7:0] != 8'd0) ? 16'd0 : 16'd1);
  assign wr_hi = 16'(rs_addr) + ((rs_wmask[15:8] != 8'd0) ? 16'd2 : 16'd1);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      stack_wlo_q <= '1;
      stack_whi_q <= '0;
      pkt_wlo_q   <= '1;
      pkt_whi_q   <= '0;
    end else if (start && !busy_o) begin
      stack_wlo_q <= '1;
      stack_whi_q <= '0;
      pkt_wlo_q   <= '1;
      pkt_whi_q   <= '0;
    end else if (core_active && rs_req && rs_we) begin
      if (rs_sel == DMEM_STACK) begin
        if (wr_lo < stack_wlo_q) stack_wlo_q <= wr_lo;
        if (wr_hi > stack_whi_q) stack_whi_q <= wr_hi;
      end else if (rs_sel == DMEM_PACKET) begin
        if (wr_lo < pkt_wlo_q) pkt_wlo_q <= wr_lo;
        if (wr_hi > pkt_whi_q) pkt_whi_q <= wr_hi;
      end
    end
  end

  logic unused_top;
  assign unused_top = ^{win_word, pkt_port_addr_i, pkt_eg_addr_i};

  //////////////
  // CSR read //
  //////////////

  typedef enum logic [3:0] {
    RD_REG   = 4'd0,
    RD_IMEM  = 4'd1,
    RD_STACK = 4'd2,
    RD_PKT   = 4'd3,
    RD_EV    = 4'd4,
    RD_MV    = 4'd5,
    RD_KBUF  = 4'd6,
    RD_VBUF  = 4'd7,
    RD_OBJ   = 4'd8
  } rd_src_e;

  // Register reads: the named registers and small windows fall into groups by the unit that
  // owns them, each selected by its own mux and registered in its own flip-flops (a group reads
  // 0 for an address outside it), and the groups are ORed after the registers. One mux over
  // every register would pull all of them into one spot of the device; per group, the mux
  // and its register can sit by the registers they read.
  localparam int unsigned RdGroups = 4;
  localparam int unsigned RdTop    = 0;   // run control, program table, register window, constants
  localparam int unsigned RdPerf   = 1;   // cycle, instruction and stall counters
  localparam int unsigned RdHelper = 2;   // helper state: redirect, prandom, events, map table
  localparam int unsigned RdMcmd   = 3;   // host map commands

  logic [RdGroups-1:0][31:0] rd_grp_d, rd_grp_q;
  logic [31:0] reg_rdata;
  rd_src_e     rd_src_d, rd_src_q;
  logic        rd_half_q, rd_mem_ok_q, rvalid_q;
  logic [63:0] r0_result;
  logic        rd_named;   // not in a register window: a named register, or nothing

  assign r0_result = (fault_code == FAULT_NONE) ? core_r0 : 64'd0;
  assign rd_named  = !(win_caph || win_regs || win_progs || win_minfo);

  always_comb begin
    rd_src_d = RD_REG;
    if (win_imem) begin
      rd_src_d = RD_IMEM;
    end else if (win_stack) begin
      rd_src_d = RD_STACK;
    end else if (win_pkt) begin
      rd_src_d = RD_PKT;
    end else if (win_ev) begin
      rd_src_d = RD_EV;
    end else if (win_mv) begin
      rd_src_d = RD_MV;
    end else if (win_kbuf) begin
      rd_src_d = RD_KBUF;
    end else if (win_vbuf) begin
      rd_src_d = RD_VBUF;
    end else if (win_obj) begin
      rd_src_d = RD_OBJ;
    end
  end

  always_comb begin
    rd_grp_d[RdTop] = '0;
    if (win_caph) begin
      rd_grp_d[RdTop] = CapHelpers[32 * 32'(csr_addr_i[4:2]) +: 32];
    end else if (win_regs) begin
      rd_grp_d[RdTop] = csr_addr_i[2] ? host_reg_rdata[63:32] : host_reg_rdata[31:0];
    end else if (win_progs) begin
      rd_grp_d[RdTop] = csr_addr_i[2] ? 32'(pt_host_len) : pt_host_first;
    end else if (rd_named) begin
      unique case (csr_addr_i)
        CSR_ID:           rd_grp_d[RdTop] = CoreId;
        CSR_VERSION:      rd_grp_d[RdTop] = CoreVersion;
        CSR_STATUS: begin
          rd_grp_d[RdTop][StatusBusy]  = busy_o;
          rd_grp_d[RdTop][StatusDone]  = done_o;
          rd_grp_d[RdTop][StatusFault] = fault_code != FAULT_NONE;
          rd_grp_d[RdTop][StatusFaultLsb +: 8] = fault_code;
        end
        CSR_FAULT_PC:     rd_grp_d[RdTop] = fault_pc;
        CSR_PROG_LEN:     rd_grp_d[RdTop] = 32'(pt_host_len);   // entry 0 (prog_host_idx)
        CSR_MAX_PROGRAMS: rd_grp_d[RdTop] = MaxPrograms;
        CSR_ENTRY:        rd_grp_d[RdTop] = 32'(entry_q);
        CSR_PROG:         rd_grp_d[RdTop] = 32'(cur_prog);
        CSR_CONFIG:       rd_grp_d[RdTop] = {31'd0, has_ctx_q};
        CSR_IMEM_SLOTS:   rd_grp_d[RdTop] = ImemSlots;
        CSR_BUDGET_LO:    rd_grp_d[RdTop] = budget_q[31:0];
        CSR_BUDGET_HI:    rd_grp_d[RdTop] = budget_q[63:32];
        CSR_R0_LO:        rd_grp_d[RdTop] = r0_result[31:0];
        CSR_R0_HI:        rd_grp_d[RdTop] = r0_result[63:32];
        CSR_DATA_META:    rd_grp_d[RdTop] = data_meta_q;
        CSR_DATA:         rd_grp_d[RdTop] = data_q;
        CSR_DATA_END:     rd_grp_d[RdTop] = data_end_q;
        CSR_IFINDEX:      rd_grp_d[RdTop] = ifindex_q;
        CSR_RX_QUEUE:     rd_grp_d[RdTop] = rx_queue_q;
        CSR_STACK_WLO:    rd_grp_d[RdTop] = {16'd0, stack_wlo_q};
        CSR_STACK_WHI:    rd_grp_d[RdTop] = {16'd0, stack_whi_q};
        CSR_PKT_WLO:      rd_grp_d[RdTop] = {16'd0, pkt_wlo_q};
        CSR_PKT_WHI:      rd_grp_d[RdTop] = {16'd0, pkt_whi_q};
        CSR_ACTION:       rd_grp_d[RdTop] = {29'd0, action};
        CSR_MAP_SLOTS:    rd_grp_d[RdTop] = MapSlots;
        CSR_RUN_CPU:      rd_grp_d[RdTop] = {24'd0, run_cpu_q};
        CSR_MAP_KEY_WORDS:   rd_grp_d[RdTop] = MapKeyWords;
        CSR_MAP_BUCKETS:     rd_grp_d[RdTop] = MapBuckets;
        CSR_MAP_POOL_SLOTS:  rd_grp_d[RdTop] = MapPoolSlots;
        CSR_MAP_VALUE_WORDS: rd_grp_d[RdTop] = MvWords;
        CSR_RUN_SEQ:      rd_grp_d[RdTop] = last_run_seq_q;
        CSR_LAST_RUN_SEQ: rd_grp_d[RdTop] = last_run_seq_q;
        CSR_CAP_CORES:    rd_grp_d[RdTop] = CapCores;
        CSR_CAP_STACK_BYTES:  rd_grp_d[RdTop] = StackSize;
        CSR_CAP_PACKET_BYTES: rd_grp_d[RdTop] = PacketBufferSize;
        CSR_CAP_MAPVAL_BYTES: rd_grp_d[RdTop] = MapValueBytes;
        CSR_CAP_EVT_BYTES:    rd_grp_d[RdTop] = EventFifoBytes;
        CSR_CAP_MAP_TYPES:    rd_grp_d[RdTop] = CapMapTypes;
        CSR_CAP_FEATURES:     rd_grp_d[RdTop] = CapFeatures;
        CSR_OBJINFO_BYTES:    rd_grp_d[RdTop] = ObjinfoBytes;
        default:          rd_grp_d[RdTop] = '0;
      endcase
    end
  end

  always_comb begin
    rd_grp_d[RdPerf] = '0;
    if (rd_named) begin
      unique case (csr_addr_i)
        CSR_CYCLES_LO:    rd_grp_d[RdPerf] = cycles[31:0];
        CSR_CYCLES_HI:    rd_grp_d[RdPerf] = cycles[63:32];
        CSR_INSTRET_LO:   rd_grp_d[RdPerf] = instret[31:0];
        CSR_INSTRET_HI:   rd_grp_d[RdPerf] = instret[63:32];
        CSR_STALL_LU_LO:  rd_grp_d[RdPerf] = st_lu[31:0];
        CSR_STALL_LU_HI:  rd_grp_d[RdPerf] = st_lu[63:32];
        CSR_STALL_BR_LO:  rd_grp_d[RdPerf] = st_br[31:0];
        CSR_STALL_BR_HI:  rd_grp_d[RdPerf] = st_br[63:32];
        CSR_STALL_MC_LO:  rd_grp_d[RdPerf] = st_mc[31:0];
        CSR_STALL_MC_HI:  rd_grp_d[RdPerf] = st_mc[63:32];
        CSR_STALL_HLP_LO: rd_grp_d[RdPerf] = st_hlp[31:0];
        CSR_STALL_HLP_HI: rd_grp_d[RdPerf] = st_hlp[63:32];
        default:          rd_grp_d[RdPerf] = '0;
      endcase
    end
  end

  always_comb begin
    rd_grp_d[RdHelper] = '0;
    if (win_minfo) begin
      unique case (csr_addr_i[3:2])
        2'd0:    rd_grp_d[RdHelper] = {minfo_host_valid, 23'd0, minfo_host_type};
        2'd1:    rd_grp_d[RdHelper] = minfo_host_ksize;
        2'd2:    rd_grp_d[RdHelper] = minfo_host_vsize;
        default: rd_grp_d[RdHelper] = minfo_host_max;
      endcase
    end else if (rd_named) begin
      unique case (csr_addr_i)
        CSR_TAIL_CALLS:   rd_grp_d[RdHelper] = 32'(tail_calls);
        CSR_REDIR_IFINDEX: rd_grp_d[RdHelper] = verdict_o.redir_ifindex;
        CSR_REDIR_KEY:    rd_grp_d[RdHelper] = redir_has_map ? redir_tgt : 32'd0;
        CSR_REDIR_MAP:    rd_grp_d[RdHelper] = redir_has_map ? redir_map : 32'd0;
        CSR_REDIR_STATUS: begin
          rd_grp_d[RdHelper][RedirValid]  = redir_valid;
          rd_grp_d[RdHelper][RedirHasMap] = redir_has_map;
        end
        CSR_REDIR_FLAGS_LO: rd_grp_d[RdHelper] = redir_has_map ? redir_flags[31:0] : 32'd0;
        CSR_REDIR_FLAGS_HI: rd_grp_d[RdHelper] = redir_has_map ? redir_flags[63:32] : 32'd0;
        CSR_SEED_LO:      rd_grp_d[RdHelper] = prandom_state[31:0];
        CSR_SEED_HI:      rd_grp_d[RdHelper] = prandom_state[63:32];
        CSR_EVT_BYTES:    rd_grp_d[RdHelper] = ev_bytes;
        CSR_EVT_COUNT:    rd_grp_d[RdHelper] = ev_count;
        CSR_EVT_CTRL:     rd_grp_d[RdHelper] = {31'd0, evt_hold_q};
        CSR_EVT_ACK:      rd_grp_d[RdHelper] = ev_empties;
        CSR_EVT_LOST:     rd_grp_d[RdHelper] = ev_lost;
        default:          rd_grp_d[RdHelper] = '0;
      endcase
    end
  end

  always_comb begin
    rd_grp_d[RdMcmd] = '0;
    if (rd_named) begin
      unique case (csr_addr_i)
        CSR_MCMD:         rd_grp_d[RdMcmd] = {31'd0, hc_pending_q};
        CSR_MCMD_STAGE:   rd_grp_d[RdMcmd] = hc_stage_q;
        CSR_MCMD_LAST_SEQ: rd_grp_d[RdMcmd] = hc_last_q;
        CSR_MCMD_DONE_SEQ: rd_grp_d[RdMcmd] = hc_done_q;
        CSR_MCMD_EXECUTED: rd_grp_d[RdMcmd] = hc_exec_q;
        CSR_MCMD_SEQ_STATUS: begin
          rd_grp_d[RdMcmd][McmdSeqDisturbed] = hc_disturbed_q;
          rd_grp_d[RdMcmd][McmdSeqStageOk]   = stage_ok;
        end
        CSR_MCMD_MAP:     rd_grp_d[RdMcmd] = hc_map_q;
        CSR_MCMD_CPU:     rd_grp_d[RdMcmd] = {24'd0, hc_cpu_q};
        CSR_MCMD_FLAGS_LO: rd_grp_d[RdMcmd] = hc_flags_q[31:0];
        CSR_MCMD_FLAGS_HI: rd_grp_d[RdMcmd] = hc_flags_q[63:32];
        CSR_MCMD_STATUS:  rd_grp_d[RdMcmd] = hc_status_q;
        CSR_MCMD_OFFSET:  rd_grp_d[RdMcmd] = hc_offset_q;
        CSR_MCMD_WORD_LO: rd_grp_d[RdMcmd] = hc_word_q[31:0];
        CSR_MCMD_WORD_HI: rd_grp_d[RdMcmd] = hc_word_q[63:32];
        default:          rd_grp_d[RdMcmd] = '0;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rvalid_q    <= 1'b0;
      rd_src_q    <= RD_REG;
      rd_half_q   <= 1'b0;
      rd_mem_ok_q <= 1'b0;
      rd_grp_q    <= '0;
    end else begin
      rvalid_q <= csr_rd;
      if (csr_rd) begin
        rd_src_q    <= rd_src_d;
        rd_half_q   <= win_half;
        rd_mem_ok_q <= host_mem || win_obj || (win_ev && ev_readable);
        rd_grp_q    <= rd_grp_d;
      end
    end
  end

  // At most one group holds a nonzero word: the others read 0 for the address.
  always_comb begin
    reg_rdata = '0;
    for (int unsigned g = 0; g < RdGroups; g++) begin
      reg_rdata |= rd_grp_q[g];
    end
  end

  logic [63:0] mem_word;
  always_comb begin
    unique case (rd_src_q)
      RD_IMEM:  mem_word = imem_rdata[63:0];
      RD_STACK: mem_word = stack_rdata[63:0];
      RD_PKT:   mem_word = pkt_rdata[63:0];
      RD_EV:    mem_word = ev_rdata;
      RD_MV:    mem_word = mv_rdata[63:0];
      RD_KBUF:  mem_word = mu_kb_rdata;
      RD_VBUF:  mem_word = mu_vb_rdata;
      default:  mem_word = '0;
    endcase
  end

  assign csr_rvalid_o = rvalid_q;
  assign csr_rdata_o  = (rd_src_q == RD_REG) ? reg_rdata :
                        !rd_mem_ok_q ? 32'd0 :
                        (rd_src_q == RD_OBJ) ? obj_rdata :
                        rd_half_q ? mem_word[63:32] : mem_word[31:0];

endmodule
