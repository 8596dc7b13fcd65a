/**
 * CSR register map of ebpf_top (documented in docs/register-map.md)
 *
 * A 32-bit bus with byte addresses; every register is 32 bits wide, 64-bit values are a
 * _LO/_HI pair. The memory windows (instruction memory, stack, packet buffer) are open to
 * the host only while the core is not busy; writes there while it runs are dropped and
 * reads return 0.
 */
package ebpf_csr_pkg;

  /* verilator lint_off UNUSEDPARAM */

  localparam int unsigned CsrAw = 20;   // byte address width of the bus

  localparam logic [31:0] CoreId      = 32'h6542_5046;   // "eBPF"
  localparam logic [31:0] CoreVersion = 32'h0001_0000;   // major 1, minor 0

  // Registers (byte offsets).
  localparam logic [CsrAw-1:0] CSR_ID             = 20'h0_0000;   // RO  CoreId
  localparam logic [CsrAw-1:0] CSR_VERSION        = 20'h0_0004;   // RO  CoreVersion
  localparam logic [CsrAw-1:0] CSR_CTRL           = 20'h0_0008;   // W1  bit 0: start
  localparam logic [CsrAw-1:0] CSR_STATUS         = 20'h0_000c;   // RO  see Status* bits
  localparam logic [CsrAw-1:0] CSR_FAULT_PC       = 20'h0_0010;   // RO  slot of the fault
  localparam logic [CsrAw-1:0] CSR_PROG_LEN       = 20'h0_0014;   // RW  program slots
  localparam logic [CsrAw-1:0] CSR_CONFIG         = 20'h0_0018;   // RW  bit 0: has_ctx
  localparam logic [CsrAw-1:0] CSR_IMEM_SLOTS     = 20'h0_001c;   // RO  instruction capacity
  localparam logic [CsrAw-1:0] CSR_BUDGET_LO      = 20'h0_0020;   // RW  instruction budget
  localparam logic [CsrAw-1:0] CSR_BUDGET_HI      = 20'h0_0024;
  localparam logic [CsrAw-1:0] CSR_R0_LO          = 20'h0_0028;   // RO  result r0 (0 on fault)
  localparam logic [CsrAw-1:0] CSR_R0_HI          = 20'h0_002c;
  localparam logic [CsrAw-1:0] CSR_DATA_META      = 20'h0_0030;   // RW  packet offsets
  localparam logic [CsrAw-1:0] CSR_DATA           = 20'h0_0034;
  localparam logic [CsrAw-1:0] CSR_DATA_END       = 20'h0_0038;
  localparam logic [CsrAw-1:0] CSR_IFINDEX        = 20'h0_003c;   // RW  ctx ingress_ifindex
  localparam logic [CsrAw-1:0] CSR_RX_QUEUE       = 20'h0_0040;   // RW  ctx rx_queue_index
  localparam logic [CsrAw-1:0] CSR_STACK_WLO      = 20'h0_0048;   // RO  written word range of
  localparam logic [CsrAw-1:0] CSR_STACK_WHI      = 20'h0_004c;   //     the last run: [lo, hi)
  localparam logic [CsrAw-1:0] CSR_PKT_WLO        = 20'h0_0050;
  localparam logic [CsrAw-1:0] CSR_PKT_WHI        = 20'h0_0054;
  // Verdict of the last run (RO): what the packet I/O block steers by.
  localparam logic [CsrAw-1:0] CSR_REDIR_IFINDEX  = 20'h0_0058;   // RO  target device
  localparam logic [CsrAw-1:0] CSR_REDIR_KEY      = 20'h0_005c;   // RO  redirect_map key
  localparam logic [CsrAw-1:0] CSR_REDIR_MAP      = 20'h0_0060;   // RO  redirect_map map index
  localparam logic [CsrAw-1:0] CSR_REDIR_STATUS   = 20'h0_0064;   // RO  see Redir* bits
  localparam logic [CsrAw-1:0] CSR_REDIR_FLAGS_LO = 20'h0_0068;   // RO  redirect_map flags
  localparam logic [CsrAw-1:0] CSR_REDIR_FLAGS_HI = 20'h0_006c;
  localparam logic [CsrAw-1:0] CSR_ACTION         = 20'h0_0070;   // RO  XDP action (0-4)
  localparam logic [CsrAw-1:0] CSR_ENTRY          = 20'h0_0074;   // RW  program a run starts
  localparam logic [CsrAw-1:0] CSR_PROG           = 20'h0_0078;   // RO  program running / last
  localparam logic [CsrAw-1:0] CSR_TAIL_CALLS     = 20'h0_007c;   // RO  tail calls of the run
  // get_prandom_u32 state: W seed (takes effect on _HI), R current state.
  localparam logic [CsrAw-1:0] CSR_SEED_LO        = 20'h0_00b0;
  localparam logic [CsrAw-1:0] CSR_SEED_HI        = 20'h0_00b4;
  // Event FIFO of the last run (RO): memory bytes holding records, and records.
  localparam logic [CsrAw-1:0] CSR_EVT_BYTES      = 20'h0_00b8;
  localparam logic [CsrAw-1:0] CSR_EVT_COUNT      = 20'h0_00bc;
  localparam logic [CsrAw-1:0] CSR_MAP_SLOTS      = 20'h0_00c0;   // RO  map descriptors
  // Host map command block (between runs): fields, then CSR_MCMD starts the command.
  localparam logic [CsrAw-1:0] CSR_MCMD           = 20'h0_00c4;   // W start (op, bits), R busy
  localparam logic [CsrAw-1:0] CSR_MCMD_MAP       = 20'h0_00c8;   // RW  map index
  localparam logic [CsrAw-1:0] CSR_MCMD_CPU       = 20'h0_00cc;   // RW  cpu (PERCPU copies)
  localparam logic [CsrAw-1:0] CSR_MCMD_FLAGS_LO  = 20'h0_00d0;   // RW  update flags
  localparam logic [CsrAw-1:0] CSR_MCMD_FLAGS_HI  = 20'h0_00d4;
  localparam logic [CsrAw-1:0] CSR_MCMD_STATUS    = 20'h0_00d8;   // RO  0 or -errno
  localparam logic [CsrAw-1:0] CSR_MCMD_OFFSET    = 20'h0_00dc;   // RO  value offset in region
  localparam logic [CsrAw-1:0] CSR_MCMD_WORD_LO   = 20'h0_00e0;   // RO  first value word
  localparam logic [CsrAw-1:0] CSR_MCMD_WORD_HI   = 20'h0_00e4;
  // The cpu a run plays (RW): get_smp_processor_id, PERCPU copies, BPF_F_CURRENT_CPU.
  localparam logic [CsrAw-1:0] CSR_RUN_CPU        = 20'h0_00e8;
  localparam logic [CsrAw-1:0] CSR_MAX_PROGRAMS   = 20'h0_00ec;   // RO  program table entries
  // Map unit pool sizes (RO; the host lays maps out with them, map_layout.h).
  localparam logic [CsrAw-1:0] CSR_MAP_KEY_WORDS  = 20'h0_00f0;
  localparam logic [CsrAw-1:0] CSR_MAP_BUCKETS    = 20'h0_00f4;
  localparam logic [CsrAw-1:0] CSR_MAP_POOL_SLOTS = 20'h0_00f8;
  localparam logic [CsrAw-1:0] CSR_MAP_VALUE_WORDS = 20'h0_00fc;
  // Capability block (RO, docs/register-map.md "Capability block"): what the host checks an
  // object against before loading it.
  localparam logic [CsrAw-1:0] CSR_CAP_CORES        = 20'h0_0160;   // cores (1)
  localparam logic [CsrAw-1:0] CSR_CAP_STACK_BYTES  = 20'h0_0164;   // stack memory per run
  localparam logic [CsrAw-1:0] CSR_CAP_PACKET_BYTES = 20'h0_0168;   // packet buffer
  localparam logic [CsrAw-1:0] CSR_CAP_MAPVAL_BYTES = 20'h0_016c;   // map value memory
  localparam logic [CsrAw-1:0] CSR_CAP_EVT_BYTES    = 20'h0_0170;   // event room per run
  localparam logic [CsrAw-1:0] CSR_CAP_MAP_TYPES    = 20'h0_0174;   // bit t: bpf_map_type t
  localparam logic [CsrAw-1:0] CSR_CAP_FEATURES     = 20'h0_0178;   // see Feat* bits
  localparam logic [CsrAw-1:0] CSR_OBJINFO_BYTES    = 20'h0_017c;   // bytes of WIN_OBJINFO
  // Helper bitmap: bit (id % 32) of word CSR_CAP_HELPERS + 4 * (id / 32), ids 0-255.
  localparam logic [CsrAw-1:0] CSR_CAP_HELPERS      = 20'h0_0180;
  localparam logic [CsrAw-1:0] CSR_CAP_HELPERS_END  = 20'h0_01a0;
  // Exactly-once sequencing (docs/register-map.md "Exactly-once commands").
  localparam logic [CsrAw-1:0] CSR_RUN_SEQ          = 20'h0_01a0;   // W start if LAST + 1; R LAST
  localparam logic [CsrAw-1:0] CSR_LAST_RUN_SEQ     = 20'h0_01a4;   // RO  last sequenced run
  localparam logic [CsrAw-1:0] CSR_MCMD_STAGE       = 20'h0_01a8;   // RW  seq being staged
  localparam logic [CsrAw-1:0] CSR_MCMD_LAST_SEQ    = 20'h0_01ac;   // RO  last accepted command
  localparam logic [CsrAw-1:0] CSR_MCMD_DONE_SEQ    = 20'h0_01b0;   // RO  last completed one
  localparam logic [CsrAw-1:0] CSR_MCMD_EXECUTED    = 20'h0_01b4;   // RO  commands executed
  // Events while frames flow (docs/register-map.md "Event FIFO").
  localparam logic [CsrAw-1:0] CSR_EVT_CTRL         = 20'h0_01b8;   // RW  bit EvtCtrlHold
  localparam logic [CsrAw-1:0] CSR_EVT_ACK          = 20'h0_01bc;   // W bytes consumed, R empties
  localparam logic [CsrAw-1:0] CSR_EVT_LOST         = 20'h0_01c0;   // RO  refused while HOLD
  localparam logic [CsrAw-1:0] CSR_MCMD_SEQ_STATUS  = 20'h0_01c4;   // RO  see McmdSeq* bits
  // Performance counters of the last run (RO, 64-bit _LO/_HI pairs).
  localparam logic [CsrAw-1:0] CSR_CYCLES_LO      = 20'h0_0080;
  localparam logic [CsrAw-1:0] CSR_CYCLES_HI      = 20'h0_0084;
  localparam logic [CsrAw-1:0] CSR_INSTRET_LO     = 20'h0_0088;
  localparam logic [CsrAw-1:0] CSR_INSTRET_HI     = 20'h0_008c;
  localparam logic [CsrAw-1:0] CSR_STALL_LU_LO    = 20'h0_0090;   // load-use
  localparam logic [CsrAw-1:0] CSR_STALL_LU_HI    = 20'h0_0094;
  localparam logic [CsrAw-1:0] CSR_STALL_BR_LO    = 20'h0_0098;   // taken branch/call/return
  localparam logic [CsrAw-1:0] CSR_STALL_BR_HI    = 20'h0_009c;
  localparam logic [CsrAw-1:0] CSR_STALL_MC_LO    = 20'h0_00a0;   // multi-cycle (mul/div, atomic)
  localparam logic [CsrAw-1:0] CSR_STALL_MC_HI    = 20'h0_00a4;
  localparam logic [CsrAw-1:0] CSR_STALL_HLP_LO   = 20'h0_00a8;   // helper wait
  localparam logic [CsrAw-1:0] CSR_STALL_HLP_HI   = 20'h0_00ac;
  // Registers r0-r10: r(k) at CSR_REGS + 8k (_LO) and + 8k + 4 (_HI). Written before a run
  // (initial values; r10 is read-only), read after it.
  localparam logic [CsrAw-1:0] CSR_REGS           = 20'h0_0100;
  localparam logic [CsrAw-1:0] CSR_REGS_END       = 20'h0_0158;
  // Program table: program k's first slot at CSR_PROGS + 8k, its length at + 8k + 4 (RW).
  // CSR_PROG_LEN is program 0's length.
  localparam logic [CsrAw-1:0] CSR_PROGS          = 20'h0_0200;
  localparam logic [CsrAw-1:0] CSR_PROGS_END      = 20'h0_0280;
  // Map table of the helper unit: map i at CSR_MINFO + 16i: +0 [31] valid, [7:0] type;
  // +4 key_size; +8 value_size; +12 max_entries (RW).
  localparam logic [CsrAw-1:0] CSR_MINFO          = 20'h0_0800;
  // Map unit windows (between runs): key buffer, value buffer, descriptor registers
  // (map i word w at WIN_MAPDESC + 4 * (16i + w)).
  localparam logic [CsrAw-1:0] WIN_KBUF           = 20'h0_2000;
  localparam logic [CsrAw-1:0] WIN_VBUF           = 20'h0_2400;
  localparam logic [CsrAw-1:0] WIN_MAPDESC        = 20'h0_4000;
  // Object info window: plain RAM for the host's manifest of what it loaded (never
  // interpreted by the device); written while the core is idle, readable any time.
  localparam logic [CsrAw-1:0] WIN_OBJINFO        = 20'h0_1000;   // 0x0_1000-0x0_1fff
  localparam int unsigned      ObjinfoBytes       = 4096;
  // Reserved 4 KiB pages that ebpf_top leaves unmapped (reads 0, writes ignored) for the
  // blocks around it, which answer them before the bus reaches ebpf_top: the network stack's
  // NET page (boards/common/rtl/ebpf_net_pkg.sv NetCsrBase) and the packet I/O page
  // (rtl/io/ebpf_io_pkg.sv IoCsrBase, docs/packet_io.md).
  localparam int unsigned      PageBits           = 12;           // 4 KiB pages
  localparam logic [CsrAw-1:0] PAGE_NET           = 20'h0_e000;   // 0x0_e000-0x0_efff
  localparam logic [CsrAw-1:0] PAGE_IO            = 20'h0_f000;   // 0x0_f000-0x0_ffff

  // Memory windows (byte addresses; 32-bit accesses, little-endian).
  localparam logic [CsrAw-1:0] WIN_STACK          = 20'h1_0000;   // 64 KiB window
  localparam logic [CsrAw-1:0] WIN_PACKET         = 20'h2_0000;   // 128 KiB window
  localparam logic [CsrAw-1:0] WIN_EVENTS         = 20'h4_0000;   // 128 KiB, read-only
  localparam logic [CsrAw-1:0] WIN_MAPVAL         = 20'h6_0000;   // 128 KiB window
  localparam logic [CsrAw-1:0] WIN_IMEM           = 20'h8_0000;   // 512 KiB window

  // CSR_CTRL bits.
  localparam int unsigned CtrlStart = 0;
  // CSR_CONFIG bits.
  localparam int unsigned ConfigHasCtx = 0;
  // CSR_STATUS bits and fields.
  localparam int unsigned StatusBusy      = 0;
  localparam int unsigned StatusDone      = 1;
  localparam int unsigned StatusFault     = 2;
  localparam int unsigned StatusFaultLsb  = 8;    // [15:8] fault code (ebpf_pkg::fault_e)
  // CSR_REDIR_STATUS bits.
  localparam int unsigned RedirValid      = 0;    // the run ended in XDP_REDIRECT to a target
  localparam int unsigned RedirHasMap     = 1;    // the target came from redirect_map
  // CSR_MINFO word 0 bits.
  localparam int unsigned MinfoValid      = 31;
  // CSR_MCMD bits: [2:0] op (ebpf_map_pkg::map_op_e).
  localparam int unsigned McmdNullKey     = 8;    // NEXT_KEY from NULL
  localparam int unsigned McmdProg        = 9;    // program semantics
  // CSR_MCMD_SEQ_STATUS bits.
  localparam int unsigned McmdSeqDisturbed = 0;   // a staging write of MCMD_STAGE was lost
  localparam int unsigned McmdSeqStageOk   = 1;   // MCMD_STAGE == MCMD_LAST_SEQ + 1
  // CSR_CAP_FEATURES bits.
  localparam int unsigned FeatRunSeq      = 0;    // RUN_SEQ / LAST_RUN_SEQ
  localparam int unsigned FeatMcmdSeq     = 1;    // sequenced map commands (MCMD_STAGE...)
  localparam int unsigned FeatObjinfo     = 2;    // the OBJINFO window
  localparam int unsigned FeatEvtHold     = 3;    // EVT_CTRL.HOLD, EVT_ACK, EVT_LOST
  // CSR_EVT_CTRL bits.
  localparam int unsigned EvtCtrlHold     = 0;    // the event FIFO survives run starts
  localparam logic [31:0] CapCores        = 32'd1;
  localparam logic [31:0] CapFeatures     = (32'd1 << FeatRunSeq) | (32'd1 << FeatMcmdSeq) |
                                            (32'd1 << FeatObjinfo) | (32'd1 << FeatEvtHold);

  /* verilator lint_on UNUSEDPARAM */

  // A finished run's outcome as a packet sequencer steers by it (ebpf_top verdict_o ->
  // ebpf_xdp_ctrl): the values STATUS, R0, DATA, DATA_END and REDIR_* read, valid while
  // done_o is high.
  typedef struct packed {
    logic [7:0]  fault;          // fault code, 0 when none
    logic [2:0]  action;         // contracts.md 3: r0 when 0..4 and no fault, else ABORTED
    logic        bad_action;     // no fault and r0 > 4 (counted as invalid_action)
    logic [31:0] data;           // DATA after the adjust helpers
    logic [31:0] data_end;       // DATA_END
    logic        redir_valid;    // REDIR_STATUS.VALID
    logic [31:0] redir_ifindex;  // REDIR_IFINDEX
  } run_verdict_t;

endpackage
