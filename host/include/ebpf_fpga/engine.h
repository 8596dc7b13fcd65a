// The engine interface: one program, several engines (interp, rtl, later kernel) that must
// agree bit for bit on r0, registers, memory and faults (contracts.md section 1).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/isa.h"
#include "ebpf_fpga/maps.h"

namespace ebpf {

// Why a run stopped early. The numeric values are shared with the RTL (ebpf_pkg::fault_e).
enum class FaultCode : uint8_t {
  kNone = 0,
  kLoadOutOfBounds = 1,    // load outside every region the program may read
  kStoreOutOfBounds = 2,   // store or atomic outside every region the program may write
  kReadOnlyWrite = 3,      // store or atomic to ctx (or a read-only map)
  kMisalignedAtomic = 4,   // atomic address not a multiple of its size
  kBudgetExceeded = 5,     // more instructions than the budget
  kUnknownHelper = 6,      // helper ID with no implementation (callx with a bad register)
  kCallDepthExceeded = 7,  // more than addr::kMaxFrames nested bpf-to-bpf calls
  kInvalidInstruction = 8, // an encoding the checker would refuse (RTL without checker)
  kInvalidCtxAccess = 9,   // ctx access other than a 4-byte load of a defined field
  kInvalidAction = 10,     // XDP program returned an unknown action
  kHelperFault = 11,       // a helper refused its arguments (bad pointer or size)
};
std::string_view fault_name(FaultCode code);  // stable snake_case name used in JSON

// Everything a program can see or change during one run.
struct MemoryImage {
  std::vector<uint8_t> stack = std::vector<uint8_t>(addr::kStackSize, 0);
  std::vector<uint8_t> packet = std::vector<uint8_t>(addr::kPacketBufferSize, 0);
  uint32_t data_meta = addr::kPacketHeadroom;  // offsets into `packet`
  uint32_t data = addr::kPacketHeadroom;
  uint32_t data_end = addr::kPacketHeadroom;
  uint32_t ingress_ifindex = 0;
  uint32_t rx_queue_index = 0;
  bool has_ctx = false;  // XDP run: r1 = ctx; conformance run: r1 = data, r2 = length

  // Places `bytes` at data and sets data_end (and data_meta = data).
  void set_packet(std::span<const uint8_t> bytes);
  std::span<const uint8_t> packet_data() const {
    return {packet.data() + data, packet.data() + data_end};
  }
  // The metadata bpf_xdp_adjust_meta made room for: [data_meta, data).
  std::span<const uint8_t> packet_meta() const {
    return {packet.data() + data_meta, packet.data() + data};
  }
};

// XDP actions (contracts.md section 3).
inline constexpr uint32_t kXdpAborted = 0, kXdpDrop = 1, kXdpPass = 2, kXdpTx = 3,
                          kXdpRedirect = 4;

struct RunOptions {
  uint64_t budget = addr::kDefaultBudget;
  // The core the packet runs on: bpf_get_smp_processor_id() returns it and PERCPU map
  // lookups reach its copy. Must be below MapOptions::cores.
  uint32_t cpu = 0;
};

// Something a program sent to the host (trace_printk, perf_event_output, ringbuf_output):
// the event FIFO of the device, returned per run in program order (docs/helpers.md).
enum class EventKind : uint8_t {
  kTracePrintk = 1,
  kPerfEventOutput = 2,
  kRingbufOutput = 3,
};
std::string_view event_kind_name(EventKind kind);  // "trace_printk", ...

struct Event {
  EventKind kind = EventKind::kTracePrintk;
  uint32_t map = 0;    // perf/ringbuf: the map index; trace_printk: 0
  uint32_t index = 0;  // perf: the ring (flags index, or the cpu for BPF_F_CURRENT_CPU)
  uint64_t flags = 0;  // the helper's flags argument (trace_printk: 0)
  // perf: the data, then the requested packet bytes; ringbuf: the data; trace_printk: the
  // three u64 arguments (little-endian), then the format up to its NUL.
  std::vector<uint8_t> bytes{};
  friend bool operator==(const Event&, const Event&) = default;
};

// Where an XDP_REDIRECT sends the packet, as bpf_redirect or bpf_redirect_map chose it.
struct Redirect {
  uint32_t ifindex = 0;         // egress interface (port); 0 for a broadcast
  std::optional<uint32_t> map{};  // redirect_map: index of the DEVMAP/DEVMAP_HASH
  uint32_t key = 0;             // redirect_map: the key
  uint64_t flags = 0;           // redirect_map: BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS
  friend bool operator==(const Redirect&, const Redirect&) = default;
};

struct RunResult {
  uint64_t r0 = 0;                   // 0 (XDP_ABORTED) after a fault
  std::array<uint64_t, 11> regs{};   // register file at exit (at the fault: before the
                                     // faulting instruction wrote anything)
  FaultCode fault = FaultCode::kNone;
  uint32_t fault_pc = 0;             // slot index of the faulting instruction
  uint64_t instructions = 0;         // instructions retired (lddw counts once)
  std::optional<uint64_t> cycles;    // rtl only
  // Added for XDP (issue 4); engines without helpers leave them empty.
  std::vector<Event> events;         // in the order the program sent them
  std::optional<Redirect> redirect;  // set when the run ends with XDP_REDIRECT and a target
  uint32_t program = 0;              // program executing at exit or fault (fault_pc is its slot)
  uint32_t tail_calls = 0;           // tail calls taken
};

// The XDP action of a run (contracts.md section 3): r0 when it is 0..4 and nothing faulted,
// else XDP_ABORTED. xdp_fault() is the fault to report: the run's own, or kInvalidAction.
uint32_t xdp_action(const RunResult& r);
FaultCode xdp_fault(const RunResult& r);

struct LoadOptions {
  uint8_t cpu_version = 4;  // refuse instructions newer than this
  // false: skip the load-time checker and run any bit pattern, as the hardware must. Then an
  // instruction the checker would refuse (unknown opcode, reserved field set, register > 10,
  // write to r10, bad lddw second slot, pc outside the program) faults with
  // kInvalidInstruction at its pc when it is reached, and an unknown helper faults with
  // kUnknownHelper. Used by the differential tests to compare engines on arbitrary bits.
  bool check = true;
  // bpf_get_prandom_u32: load() seeds the generator with this; it advances across runs
  // (docs/helpers.md gives the exact sequence, the same on every engine).
  uint64_t prandom_seed = 0x5EED5EED5EED5EEDull;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  // Checks the program (throws ebpf::Error naming the instruction index and reason) and
  // prepares it for repeated runs.
  virtual void load(std::span<const Insn> prog, const LoadOptions& opts = {}) = 0;
  // Runs the loaded program once on `mem`, which it updates in place.
  virtual RunResult run(MemoryImage& mem, const RunOptions& opts = {}) = 0;

  // ---- maps, helpers and tail calls (issue 4); the defaults say the engine lacks them ----

  // Loads several programs at once: `entry` runs; the others are tail-call targets, and a
  // PROG_ARRAY value is an index into `progs` (init_prog_arrays in maps.h fills them from
  // MapSpec::prog_array_init). Default: one program is load(progs[entry]); more throw.
  virtual void load_programs(std::span<const std::vector<Insn>> progs, size_t entry,
                             const LoadOptions& opts = {});
  // Builds the map unit from the descriptors (map i is region 0x1000 + i, lddw map[i]) with
  // empty maps, global data holding MapSpec::initial_value. Call before runs; it resets map
  // contents. Default: throws ebpf::Error "engine NAME has no map unit yet" unless empty.
  virtual void configure_maps(std::span<const MapSpec> specs, const MapOptions& opts = {});
  // Host access to the configured maps; nullptr for an engine without a map unit.
  virtual MapAccess* maps() { return nullptr; }
};

// Engines built into this binary: "interp" always, "rtl" when the Verilator model is built.
std::vector<std::string> engine_names();

struct EngineOptions {
  std::string trace_path;  // rtl: write waveforms (FST) to this file; ignored by interp
};
// Throws ebpf::Error for an unknown or unavailable engine name.
std::unique_ptr<Engine> make_engine(std::string_view name, const EngineOptions& opts = {});

}  // namespace ebpf
