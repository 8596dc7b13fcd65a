// An XDP object loaded on one engine, fed packets one after another (contracts.md sections 4
// and 5): what `ebpf-fpga run` and `ebpf-fpga compare` drive. Map state carries over from
// packet to packet. Engines: "interp" and "rtl" (over ebpf::Engine), "kernel" (the running
// Linux kernel through libbpf and BPF_PROG_TEST_RUN).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/object.h"

namespace ebpf {

struct XdpPacketIn {
  std::vector<uint8_t> bytes;     // the frame, Ethernet header first
  uint32_t ingress_ifindex = 1;   // ctx->ingress_ifindex
  uint32_t rx_queue_index = 0;    // ctx->rx_queue_index
};

struct XdpPacketOut {
  uint32_t action = kXdpAborted;          // xdp_action(): ABORTED after any fault
  std::vector<uint8_t> data;              // [data, data_end) after the program
  std::vector<uint8_t> meta;              // [data_meta, data): bpf_xdp_adjust_meta's bytes
  std::optional<Redirect> redirect;       // XDP_REDIRECT target, when the engine knows it
  std::optional<uint64_t> cycles;         // rtl: clock cycles for this packet
  std::optional<uint64_t> instructions;   // interp, rtl: instructions retired
  FaultCode fault = FaultCode::kNone;     // xdp_fault(): incl. kInvalidAction
  uint32_t fault_pc = 0;                  // slot within `fault_program`
  uint32_t fault_program = 0;             // index into Object::programs()
  std::vector<Event> events;              // trace_printk, perf_event_output, ringbuf_output
};

struct XdpSessionOptions {
  EngineOptions engine;                    // rtl: waveform path
  MapOptions maps;                         // cores, hash seed (interp, rtl)
  uint64_t budget = addr::kDefaultBudget;  // instruction budget per packet (interp, rtl)
  uint64_t prandom_seed = LoadOptions{}.prandom_seed;
};

class XdpSession {
 public:
  virtual ~XdpSession() = default;
  virtual std::string_view engine() const = 0;

  // Loads every program of `obj` (the entry first to run; the others are tail-call targets),
  // configures its maps with global data and PROG_ARRAY initial values. Throws ebpf::Error
  // naming what was wrong (the kernel engine: with the verifier log's last lines).
  virtual void load(const Object& obj, const ProgramSpec& entry) = 0;

  // Host access to the loaded object's maps, indexed as Object::maps(). Keys and values as
  // MapAccess says (PERCPU values: round_up(value_size, 8) x cores() bytes).
  virtual MapAccess& maps() = 0;

  // Runs the entry program on one packet. A fault is reported in the result, never thrown.
  virtual XdpPacketOut run(const XdpPacketIn& packet) = 0;
};

// The verdict part of a run's result: action, fault and (for a fault) its pc and program.
// invalid_action is found after exit: the engines set no fault_pc for it, and the report
// shows "pc": null (docs/cli/run.md).
XdpPacketOut xdp_verdict(const RunResult& r);

// One XDP frame on an engine whose programs are loaded: the frame into `mem` (packet buffer,
// zeroed stack, ctx with ingress_ifindex and rx_queue_index), the entry program run with
// `budget` on CPU 0, and its result (action, fault, output bytes, metadata, redirect,
// cycles, instructions, events). The engine sessions' run() and the offloaded test run
// (OffloadObject::test_run) are this; `mem` is the caller's, reused across frames.
XdpPacketOut run_xdp_frame(Engine& engine, MemoryImage& mem, const XdpPacketIn& packet,
                           uint64_t budget);

// "interp", "rtl" (when the Verilator model is built) or "kernel" (when built with libbpf).
// Throws ebpf::Error for an unknown or unavailable engine, or (kernel) when bpf() is not
// permitted, saying why.
std::unique_ptr<XdpSession> make_xdp_session(std::string_view engine,
                                             const XdpSessionOptions& opts = {});

// Engines make_xdp_session knows in this binary: "interp", "rtl" when built, "kernel" when
// the kernel engine is built (it may still be unavailable at run time).
std::vector<std::string> xdp_engine_names();
// nullopt when make_xdp_session(engine) can work here, else why not (not built, bpf() not
// permitted, unknown name).
std::optional<std::string> xdp_engine_unavailable_reason(std::string_view engine);

// The kernel session (host/src/kernel/); declared here so make_xdp_session can reach it.
std::unique_ptr<XdpSession> make_kernel_xdp_session(const XdpSessionOptions& opts);
// Whether this process may load XDP programs: nullopt when it can, else the reason.
std::optional<std::string> kernel_unavailable_reason();

}  // namespace ebpf
