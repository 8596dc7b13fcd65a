// Default implementations of the Engine interface's additive parts (maps, several programs)
// and the engine-independent views of a run result.
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"

namespace ebpf {

void Engine::load_programs(std::span<const std::vector<Insn>> progs, size_t entry,
                           const LoadOptions& opts) {
  if (entry >= progs.size()) {
    throw Error("entry program " + std::to_string(entry) + " is out of range (" +
                std::to_string(progs.size()) + " programs)");
  }
  if (progs.size() != 1) {
    throw Error("engine " + std::string(name()) + " cannot load several programs yet (tail calls)");
  }
  load(progs[entry], opts);
}

void Engine::configure_maps(std::span<const MapSpec> specs, const MapOptions& /*opts*/) {
  if (!specs.empty()) throw Error("engine " + std::string(name()) + " has no map unit yet");
}

std::string_view event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::kTracePrintk: return "trace_printk";
    case EventKind::kPerfEventOutput: return "perf_event_output";
    case EventKind::kRingbufOutput: return "ringbuf_output";
  }
  return "unknown";
}

uint32_t xdp_action(const RunResult& r) {
  if (r.fault != FaultCode::kNone || r.r0 > kXdpRedirect) return kXdpAborted;
  return static_cast<uint32_t>(r.r0);
}

FaultCode xdp_fault(const RunResult& r) {
  if (r.fault != FaultCode::kNone) return r.fault;
  return r.r0 > kXdpRedirect ? FaultCode::kInvalidAction : FaultCode::kNone;
}

}  // namespace ebpf
