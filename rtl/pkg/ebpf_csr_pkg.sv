/**
 * CSR register map of ebpf_top (documented in docs/registers.md)
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

  // Memory windows (byte addresses; 32-bit accesses, little-endian).
  localparam logic [CsrAw-1:0] WIN_STACK          = 20'h1_0000;   // 64 KiB window
  localparam logic [CsrAw-1:0] WIN_PACKET         = 20'h2_0000;   // 128 KiB window
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

  /* verilator lint_on UNUSEDPARAM */

endpackage
