// run_xdp_frame (ebpf_fpga/xdp_session.h): one frame through an engine, shared by the engine
// XDP sessions (xdp_session.cpp) and the offload API's test run (host/src/offload). A file of
// its own: libebpf_fpga.so takes this object from ebpf_fpga_xdp and nothing else of it.
#include <algorithm>

#include "ebpf_fpga/xdp_session.h"

namespace ebpf {

XdpPacketOut xdp_verdict(const RunResult& r) {
  XdpPacketOut out;
  out.action = xdp_action(r);
  out.fault = xdp_fault(r);
  if (out.fault != FaultCode::kNone) {
    out.fault_pc = out.fault == FaultCode::kInvalidAction ? 0 : r.fault_pc;
    out.fault_program = r.program;
  }
  return out;
}

XdpPacketOut run_xdp_frame(Engine& engine, MemoryImage& mem, const XdpPacketIn& packet,
                           uint64_t budget) {
  mem.has_ctx = true;
  mem.set_packet(packet.bytes);  // throws for a frame above addr::kPacketMaxFrame
  std::fill(mem.stack.begin(), mem.stack.end(), 0);
  mem.ingress_ifindex = packet.ingress_ifindex;
  mem.rx_queue_index = packet.rx_queue_index;
  const RunResult r = engine.run(mem, RunOptions{.budget = budget, .cpu = 0});
  XdpPacketOut out = xdp_verdict(r);
  const auto data = mem.packet_data();
  out.data.assign(data.begin(), data.end());
  const auto meta = mem.packet_meta();
  out.meta.assign(meta.begin(), meta.end());
  if (out.action == kXdpRedirect) out.redirect = r.redirect;
  out.cycles = r.cycles;
  out.instructions = r.instructions;
  out.events = r.events;
  return out;
}

}  // namespace ebpf
