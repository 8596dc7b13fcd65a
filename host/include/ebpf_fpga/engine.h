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
};

struct RunOptions {
  uint64_t budget = addr::kDefaultBudget;
};

struct RunResult {
  uint64_t r0 = 0;                   // 0 (XDP_ABORTED) after a fault
  std::array<uint64_t, 11> regs{};   // register file at exit (at the fault: before the
                                     // faulting instruction wrote anything)
  FaultCode fault = FaultCode::kNone;
  uint32_t fault_pc = 0;             // slot index of the faulting instruction
  uint64_t instructions = 0;         // instructions retired (lddw counts once)
  std::optional<uint64_t> cycles;    // rtl only
};

struct LoadOptions {
  uint8_t cpu_version = 4;  // refuse instructions newer than this
  // false: skip the load-time checker and run any bit pattern, as the hardware must. Then an
  // instruction the checker would refuse (unknown opcode, reserved field set, register > 10,
  // write to r10, bad lddw second slot, pc outside the program) faults with
  // kInvalidInstruction at its pc when it is reached, and an unknown helper faults with
  // kUnknownHelper. Used by the differential tests to compare engines on arbitrary bits.
  bool check = true;
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
};

// Engines built into this binary: "interp" always, "rtl" when the Verilator model is built.
std::vector<std::string> engine_names();

struct EngineOptions {
  std::string trace_path;  // rtl: write waveforms (FST) to this file; ignored by interp
};
// Throws ebpf::Error for an unknown or unavailable engine name.
std::unique_ptr<Engine> make_engine(std::string_view name, const EngineOptions& opts = {});

}  // namespace ebpf
