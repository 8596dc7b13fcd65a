// A device: the soft-CPU behind any transport, or the reference interpreter, behind one API.
//
//   ebpf::Device dev = ebpf::Device::open("udp://192.168.1.50:1234");
//   dev.load(prog);                              // checker, IMEM_SLOTS, instruction memory
//   ebpf::MemoryImage mem = ebpf::conformance_memory(bytes);
//   ebpf::RunResult r = dev.test_run(mem);       // the offloaded BPF_PROG_TEST_RUN
//
// URIs (docs/host.md): sim: (the Verilator model in this process, the default), interp:
// (the reference interpreter), udp://HOST:PORT, pcie://BDF, pcie-socket://PATH. Opening reads
// the capability block (ID, VERSION, IMEM_SLOTS) and refuses a device this library cannot
// drive, saying why. Every failure throws ebpf::Error (BusError for transport failures).
//
// Runs start with RUN_SEQ and map commands are sequenced (MCMD_STAGE, MCMD_LAST_SEQ), so a
// re-sent datagram never applies one twice (docs/register-map.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/isa.h"
#include "ebpf_fpga/object.h"

namespace ebpf {

// What the device says about itself (docs/register-map.md "Registers" and "Capability block"),
// read in one batch by Device::open. interp: reports the interpreter's own capabilities.
struct DeviceInfo {
  std::string uri = {};
  std::string transport = {};  // one line: how the host reaches it
  uint32_t id = 0;          // ID register: 0x65425046 "eBPF"
  uint32_t version = 0;     // VERSION: major << 16 | minor
  uint32_t imem_slots = 0;  // IMEM_SLOTS: instruction memory capacity in 8-byte slots
  bool has_counters = false;  // cycle and stall counters (the RTL; not the interpreter)

  // The capability block (0x160-0x19c). A core built before it reads 0 there:
  // has_capabilities is then false and the fields below stay 0 (no features).
  bool has_capabilities = false;
  uint32_t cores = 0;          // CAP_CORES
  uint32_t stack_bytes = 0;    // CAP_STACK_BYTES: stack memory of a run (all frames)
  uint32_t packet_bytes = 0;   // CAP_PACKET_BYTES: packet buffer
  uint32_t mapval_bytes = 0;   // CAP_MAPVAL_BYTES: map value memory
  uint32_t event_bytes = 0;    // CAP_EVT_BYTES: event room per run
  uint32_t map_slots = 0;      // MAP_SLOTS: maps the map unit holds
  uint32_t max_programs = 0;   // MAX_PROGRAMS: entries of the program table
  uint32_t map_key_words = 0;  // MAP_KEY_WORDS, MAP_BUCKETS, MAP_POOL_SLOTS, MAP_VALUE_WORDS:
  uint32_t map_buckets = 0;    //   the map unit's pools (map_layout.h)
  uint32_t map_pool_slots = 0;
  uint32_t map_value_words = 0;
  uint32_t map_types = 0;       // CAP_MAP_TYPES: bit t = Linux bpf_map_type t is supported
  uint32_t helpers[8] = {};     // CAP_HELPERS: bit id % 32 of word id / 32 = helper id exists
  uint32_t features = 0;        // CAP_FEATURES: bit 0 RUN_SEQ, 1 MCMD_SEQ, 2 OBJINFO, 3 EVT_HOLD
  uint32_t objinfo_bytes = 0;   // OBJINFO_BYTES: the object info window (0 when absent)

  // The packet I/O page (docs/register-map.md "Packet I/O page"): has_io when IO_ID reads
  // "XDIO" (ebpf_xdp_top; not the bare core, not the interpreter), io_ports its
  // IO_PARAMS.NumPorts (ports counted per port).
  bool has_io = false;
  uint32_t io_ports = 0;

  static constexpr uint32_t kFeatRunSeq = 1u << 0;
  static constexpr uint32_t kFeatMcmdSeq = 1u << 1;
  static constexpr uint32_t kFeatObjinfo = 1u << 2;
  static constexpr uint32_t kFeatEvtHold = 1u << 3;

  uint32_t version_major() const { return version >> 16; }
  uint32_t version_minor() const { return version & 0xffff; }
  bool has_helper(int64_t helper_id) const {
    return helper_id >= 0 && helper_id < 256 &&
           ((helpers[helper_id / 32] >> (helper_id % 32)) & 1u);
  }
  bool has_map_type(uint32_t type) const { return type < 32 && ((map_types >> type) & 1u); }
  bool has_feature(uint32_t bit) const { return (features & bit) == bit; }
};

struct DeviceOpts {
  BusOpts bus = {};  // transport options (timeouts, retries, MTU...)
  // A run is reported as a hang when the device's cycle counter has not moved for this much
  // wall-clock time, or when it has taken more cycles than the budget allows (the bound of
  // device::max_insn_cycles per instruction, from the device's memory sizes).
  std::chrono::milliseconds run_timeout{60'000};
  // Runs start with RUN_SEQ (exactly once however often the datagram is re-sent); a run
  // whose RUN_SEQ the device did not take (it was busy, or the write was refused while
  // packet I/O is attached) is tried again at most this many times.
  unsigned max_reruns = 8;
};

// The counters of the last run (docs/register-map.md 0x080-0x0ac).
struct DeviceCounters {
  uint64_t cycles = 0;
  uint64_t instructions = 0;
  uint64_t stall_load_use = 0;
  uint64_t stall_branch = 0;
  uint64_t stall_multicycle = 0;
  uint64_t stall_helper = 0;
};

struct DeviceStats {
  uint64_t loads = 0;
  uint64_t runs = 0;
  uint64_t reruns = 0;       // runs whose RUN_SEQ the device did not take, started again
  uint64_t start_resends = 0;  // RUN_SEQ datagrams re-sent by the transport (run once anyway)
  uint64_t polls = 0;        // STATUS reads while waiting for runs
  uint64_t busy_waits = 0;   // times the device was found busy before a load or run
  // Sequenced map commands (docs/register-map.md "Exactly-once commands").
  uint64_t map_commands = 0;  // completed
  uint64_t map_restages = 0;  // stagings sent again: the device did not take the doorbell
  uint64_t map_fences = 0;    // no-effect commands that settled one of unknown fate
};

// The checks of Device::check_compatible against a given capability block (for a device
// not opened here, e.g. one described by a file).
void check_compatible(const DeviceInfo& info, const Object& obj);
void check_compatible(const DeviceInfo& info, std::span<const Insn> prog,
                      std::string_view name = "program");

class Device {
 public:
  // Opens a device by URI ("sim:" when empty). Throws ebpf::Error when the transport cannot
  // be opened or the capability block does not match (not an eBPF core, unsupported major
  // version, implausible IMEM_SLOTS).
  static Device open(std::string_view uri = "sim:", const DeviceOpts& opts = {});

  Device(Device&&) noexcept;
  Device& operator=(Device&&) noexcept;
  ~Device();

  const std::string& uri() const;
  const DeviceInfo& info() const;

  // Loads a program: the load-time checker first (unless opts.check is false), then the
  // capacity check against IMEM_SLOTS, then instruction memory and PROG_LEN. Throws
  // ebpf::Error naming the instruction and reason, or the sizes, when it refuses.
  void load(std::span<const Insn> prog, const LoadOptions& opts = {});

  // Runs the loaded program once on `mem` and updates `mem` with what the program wrote:
  // writes the memories and initial registers, starts, waits for done (run_timeout), reads
  // the result, registers, counters and written memory back.
  RunResult test_run(MemoryImage& mem, const RunOptions& opts = {});

  // Checks what a program or an object needs against the capability block: every helper it
  // calls (call imm), every map type, and the numbers of maps, programs and instruction
  // slots. Throws ebpf::Error naming the program, the instruction index and the helper id and
  // name, or the map, its type and the device's limit. load() refuses a program that calls
  // a helper this library knows but the device lacks (an id nobody implements is left to
  // fault at run time, as on every engine); check_compatible refuses any helper the device
  // lacks. A device without a capability block (has_capabilities false) passes every
  // helper, map type and table-size check (only IMEM_SLOTS is known).
  void check_compatible(const Object& obj) const;
  void check_compatible(std::span<const Insn> prog, std::string_view name = "program") const;

  // The hardware counters of the last run; throws ebpf::Error on interp:, which has none.
  DeviceCounters counters();

  // The device as an ebpf::Engine (name "device"), for code written against engines (the
  // conformance runner, `ebpf-fpga exec --device`). Valid as long as the Device.
  Engine& engine();

  // The register bus, for layers built on top (maps); nullptr for interp:.
  Bus* bus();

  DeviceStats stats() const;

 private:
  struct Impl;
  explicit Device(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ebpf
