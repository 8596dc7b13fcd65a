// The Verilated ebpf_xdp_top of this test build (MODEL) driven cycle by cycle by
// sim/xdp_pipeline.h's XdpTopDriver (the host CSR bus, an AXI4-Stream source on s_axis, bursty
// on request, and a sink on m_axis, back-pressure on request), and the reference: the interpreter run of the same program and frame, turned into the frame
// the hardware must send (or not). Used by tests/rtl/io/test_xdp_top.cpp and
// bench/rtl/packet_io_bench.cpp.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include MODEL_HDR
#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/interp.h"
#include "verilated.h"
#include "xdp_pipeline.h"

namespace xdp_io {

using Bytes = std::vector<uint8_t>;

// The packet I/O page (rtl/io/ebpf_io_pkg.sv, docs/packet_io.md).
namespace io = ebpf::sim::io_csr;

inline constexpr uint32_t kNumPorts = 4;
inline constexpr uint32_t kHostPort = 3;
inline constexpr uint32_t kMaxFrame = 9018;

// A frame that left on m_axis: bytes and egress port (compared without the tag).
using OutFrame = ebpf::sim::XdpEgressFrame;

// What the interpreter says should happen to a frame.
struct Expect {
  uint32_t action = 0;
  ebpf::FaultCode fault = ebpf::FaultCode::kNone;
  std::optional<OutFrame> out;  // the frame sent, if any
  bool redirect_bad = false;    // XDP_REDIRECT with no known port
};

// This test build of the model (x-random, MODEL) driven by the project's one driver of
// ebpf_xdp_top (sim/xdp_pipeline.h), with its random burst and back-pressure inputs.
class XdpTop {
 public:
  XdpTop() : ctx_(make_context()), m_(std::make_unique<MODEL>(ctx_.get())),
             d_(*m_, [this] { m_->eval(); }) {
    // Random data on s_axis while it offers nothing; always valid and ready until told.
    d_.set_valid_prob(1.0);
    d_.set_ready_prob(1.0);
    d_.reset();
  }
  ~XdpTop() { m_->final(); }
  XdpTop(const XdpTop&) = delete;
  XdpTop& operator=(const XdpTop&) = delete;

  MODEL& model() { return *m_; }
  uint64_t cycles() const { return d_.cycles(); }
  void set_valid_prob(double p) { d_.set_valid_prob(p); }
  void set_ready_prob(double p) { d_.set_ready_prob(p); }

  // One clock cycle with an optional host request.
  void cycle(bool req = false, bool we = false, uint32_t addr = 0, uint32_t wdata = 0) {
    d_.cycle(req, we, addr, wdata);
  }
  void write(uint32_t addr, uint32_t value) { d_.write(addr, value); }
  uint32_t read(uint32_t addr) { return d_.read(addr); }

  // Loads `prog` as program 0 and enables the packet I/O block.
  void load(std::span<const ebpf::Insn> prog) {
    write(io::kCtrl, 0);
    for (size_t i = 0; i < prog.size(); ++i) {
      const uint64_t w = prog[i].raw();
      const uint32_t a = ebpf::csr::kWinImem + static_cast<uint32_t>(8 * i);
      write(a, static_cast<uint32_t>(w));
      write(a + 4, static_cast<uint32_t>(w >> 32));
    }
    write(ebpf::csr::prog_first(0), 0);
    write(ebpf::csr::prog_len(0), static_cast<uint32_t>(prog.size()));
    write(ebpf::csr::kEntry, 0);
    write(io::kCtrl, io::kCtrlEnable | io::kCtrlClear);
  }

  // Queues a frame on s_axis (packed beats, tuser = port).
  void send(const Bytes& bytes, uint32_t port) { d_.queue(bytes, port); }

  // Runs until every queued beat is in and the I/O block is idle; false on a timeout.
  bool drain(uint64_t max_cycles = 5'000'000) { return d_.drain(max_cycles, 4); }

  std::vector<OutFrame>& out() { return d_.out(); }

 private:
  static std::unique_ptr<VerilatedContext> make_context() {
    auto ctx = std::make_unique<VerilatedContext>();
    ctx->randReset(2);  // random initial values (the model is verilated with -x-initial unique)
    return ctx;
  }
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  ebpf::sim::XdpTopDriver<MODEL> d_;
};

// The reference: the interpreter on a fresh MemoryImage (contracts.md 2), ingress_ifindex =
// port + 1, and the steering rules of docs/packet_io.md.
class Reference {
 public:
  explicit Reference(std::span<const ebpf::Insn> prog,
                     std::span<const ebpf::MapSpec> maps = {})
      : e_(ebpf::make_interpreter()) {
    if (!maps.empty()) e_->configure_maps(maps);
    e_->load(prog);
  }
  ebpf::Engine& engine() { return *e_; }
  Expect run(const Bytes& frame, uint32_t port) {
    ebpf::MemoryImage mem;
    mem.has_ctx = true;
    mem.set_packet(frame);
    mem.ingress_ifindex = port + 1;
    const ebpf::RunResult r = e_->run(mem);
    Expect x;
    x.action = ebpf::xdp_action(r);
    x.fault = ebpf::xdp_fault(r);
    const auto data = mem.packet_data();
    const Bytes bytes(data.begin(), data.end());
    switch (x.action) {
      case ebpf::kXdpPass: x.out = OutFrame{bytes, kHostPort}; break;
      case ebpf::kXdpTx: x.out = OutFrame{bytes, port}; break;
      case ebpf::kXdpRedirect:
        if (r.redirect && r.redirect->ifindex >= 1 && r.redirect->ifindex <= kNumPorts) {
          x.out = OutFrame{bytes, r.redirect->ifindex - 1};
        } else {
          x.redirect_bad = true;
        }
        break;
      default: break;
    }
    return x;
  }

 private:
  std::unique_ptr<ebpf::Engine> e_;
};

}  // namespace xdp_io
