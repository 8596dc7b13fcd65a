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
// Today's hardware has one core, instruction/stack/packet memories and a CSR bus; maps,
// packet I/O and events arrive later. Their hooks: DeviceInfo grows at the end as the
// capability block does, bus() gives the map layer the same bus, and CommandChannel
// (ebpf_fpga/cmd_channel.h) carries map commands exactly once.
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

namespace ebpf {

// What the device says about itself (docs/registers.md, offsets 0x000-0x01c).
struct DeviceInfo {
  std::string uri = {};
  std::string transport = {};  // one line: how the host reaches it
  uint32_t id = 0;          // ID register: 0x65425046 "eBPF"
  uint32_t version = 0;     // VERSION: major << 16 | minor
  uint32_t imem_slots = 0;  // IMEM_SLOTS: instruction memory capacity in 8-byte slots
  bool has_counters = false;  // cycle and stall counters (the RTL; not the interpreter)

  uint32_t version_major() const { return version >> 16; }
  uint32_t version_minor() const { return version & 0xffff; }
};

struct DeviceOpts {
  BusOpts bus = {};  // transport options (timeouts, retries, MTU...)
  // A run is reported as a hang when the device's cycle counter has not moved for this much
  // wall-clock time, or when it has taken more cycles than the budget allows (the bound of
  // device::max_insn_cycles per instruction, from the device's memory sizes).
  std::chrono::milliseconds run_timeout{60'000};
  // udp://: when the datagram that starts a run had to be re-sent, the device may have run
  // the program twice (today's CTRL.START has no sequence number), so the run is repeated
  // from a full rewrite of its memories, at most this many times.
  unsigned max_reruns = 8;
};

// The counters of the last run (docs/registers.md 0x080-0x0ac).
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
  uint64_t reruns = 0;       // runs repeated because their START datagram was re-sent
  uint64_t polls = 0;        // STATUS reads while waiting for runs
  uint64_t busy_waits = 0;   // times the device was found busy before a load or run
};

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
