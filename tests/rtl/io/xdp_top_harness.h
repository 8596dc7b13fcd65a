// Cycle-level driver of the Verilated ebpf_xdp_top (MODEL): the host CSR bus, an AXI4-Stream
// source on s_axis (bursty on request) and a sink on m_axis (back-pressure on request), and
// the reference: the interpreter run of the same program and frame, turned into the frame
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

namespace xdp_io {

using Bytes = std::vector<uint8_t>;

// The packet I/O page (rtl/io/ebpf_io_pkg.sv, docs/packet_io.md).
namespace io {
inline constexpr uint32_t kBase = 0x0'f000;
inline constexpr uint32_t kId = kBase + 0x000;
inline constexpr uint32_t kCtrl = kBase + 0x004;
inline constexpr uint32_t kStatus = kBase + 0x008;
inline constexpr uint32_t kParams = kBase + 0x00c;
inline constexpr uint32_t kLastVerdict = kBase + 0x010;
inline constexpr uint32_t kLastOut = kBase + 0x014;
inline constexpr uint32_t kLastInfo = kBase + 0x018;
inline constexpr uint32_t kLastLen = kBase + 0x01c;
inline constexpr uint32_t kCntAction = kBase + 0x100;  // + 4a
inline constexpr uint32_t kCntFault = kBase + 0x140;   // + 4f
inline constexpr uint32_t kCntOversize = kBase + 0x180;
inline constexpr uint32_t kCntMalformed = kBase + 0x184;
inline constexpr uint32_t kCntRedirBad = kBase + 0x188;
inline constexpr uint32_t kCntEmpty = kBase + 0x18c;
inline constexpr uint32_t kCntHostDrop = kBase + 0x190;
inline constexpr uint32_t kCntRx = kBase + 0x200;  // + 4p
inline constexpr uint32_t kCntTx = kBase + 0x300;  // + 4p
inline constexpr uint32_t kIdValue = 0x5844'494f;
inline constexpr uint32_t kCtrlEnable = 1u << 0;
inline constexpr uint32_t kCtrlClear = 1u << 1;
inline constexpr uint32_t kStatusBusy = 1u << 0;
}  // namespace io

inline constexpr uint32_t kNumPorts = 4;
inline constexpr uint32_t kHostPort = 3;
inline constexpr uint32_t kMaxFrame = 9018;

struct OutFrame {
  Bytes bytes;
  uint32_t port = 0;
  friend bool operator==(const OutFrame&, const OutFrame&) = default;
};

// What the interpreter says should happen to a frame.
struct Expect {
  uint32_t action = 0;
  ebpf::FaultCode fault = ebpf::FaultCode::kNone;
  std::optional<OutFrame> out;  // the frame sent, if any
  bool redirect_bad = false;    // XDP_REDIRECT with no known port
};

class XdpTop {
 public:
  XdpTop() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->clk_i = 0;
    m_->rst_ni = 1;
    m_->eval();
    m_->rst_ni = 0;  // a falling edge: the asynchronous reset acts before any clock
    m_->eval();
    m_->csr_req_i = 0;
    m_->s_axis_tvalid_i = 0;
    m_->m_axis_tready_i = 1;
    for (int i = 0; i < 4; ++i) cycle();
    m_->rst_ni = 1;
    cycle();
  }
  ~XdpTop() { m_->final(); }
  XdpTop(const XdpTop&) = delete;
  XdpTop& operator=(const XdpTop&) = delete;

  MODEL& model() { return *m_; }
  uint64_t cycles() const { return cycles_; }
  void set_valid_prob(double p) { valid_ = std::bernoulli_distribution(p); }
  void set_ready_prob(double p) { ready_ = std::bernoulli_distribution(p); }

  // One clock cycle with an optional host request.
  void cycle(bool req = false, bool we = false, uint32_t addr = 0, uint32_t wdata = 0) {
    m_->csr_req_i = req;
    m_->csr_we_i = we;
    m_->csr_addr_i = addr;
    m_->csr_wdata_i = wdata;
    const bool v = !in_.empty() && valid_(rng_);
    if (v) {
      const Beat& b = in_.front();
      m_->s_axis_tdata_i = b.data;
      m_->s_axis_tkeep_i = b.keep;
      m_->s_axis_tlast_i = b.last;
      m_->s_axis_tuser_i = b.user;
    } else {
      m_->s_axis_tdata_i = rng_();
      m_->s_axis_tkeep_i = static_cast<uint8_t>(rng_());
      m_->s_axis_tlast_i = rng_() & 1;
      m_->s_axis_tuser_i = rng_() & 3;
    }
    m_->s_axis_tvalid_i = v;
    m_->m_axis_tready_i = ready_(rng_);
    m_->clk_i = 0;
    m_->eval();
    if (!m_->rst_ni) {  // nothing moves in reset
      m_->clk_i = 1;
      m_->eval();
      return;
    }
    if (v && m_->s_axis_tready_o) {
      in_.pop_front();
    }
    if (m_->m_axis_tvalid_o && m_->m_axis_tready_i) {
      for (int i = 0; i < 8; ++i) {
        if ((m_->m_axis_tkeep_o >> i) & 1) {
          cur_.bytes.push_back(static_cast<uint8_t>(m_->m_axis_tdata_o >> (8 * i)));
        }
      }
      cur_.port = m_->m_axis_tdest_o;
      if (m_->m_axis_tlast_o) {
        out_.push_back(std::move(cur_));
        cur_ = {};
      }
    }
    rvalid_ = m_->csr_rvalid_o;
    rdata_ = m_->csr_rdata_o;
    m_->clk_i = 1;
    m_->eval();
    ++cycles_;
  }

  void write(uint32_t addr, uint32_t value) { cycle(true, true, addr, value); }
  uint32_t read(uint32_t addr) {
    cycle(true, false, addr);
    cycle();
    if (!rvalid_) throw std::runtime_error("no csr_rvalid_o for a read of " + std::to_string(addr));
    return rdata_;
  }

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
  void send(const Bytes& bytes, uint32_t port) {
    for (size_t b = 0; b * 8 < bytes.size(); ++b) {
      Beat beat{0, 0, (b + 1) * 8 >= bytes.size(), static_cast<uint8_t>(port)};
      for (size_t i = 0; i < 8 && b * 8 + i < bytes.size(); ++i) {
        beat.data |= static_cast<uint64_t>(bytes[b * 8 + i]) << (8 * i);
        beat.keep = static_cast<uint8_t>(beat.keep | (1u << i));
      }
      in_.push_back(beat);
    }
  }

  // Runs until every queued beat is in and the I/O block is idle; false on a timeout.
  bool drain(uint64_t max_cycles = 5'000'000) {
    const uint64_t end = cycles_ + max_cycles;
    int idle = 0;
    while (cycles_ < end) {
      cycle();
      if (in_.empty() && !m_->io_busy_o && !m_->m_axis_tvalid_o) {
        if (++idle >= 4) return true;
      } else {
        idle = 0;
      }
    }
    return false;
  }

  std::vector<OutFrame>& out() { return out_; }

 private:
  struct Beat {
    uint64_t data;
    uint8_t keep;
    bool last;
    uint8_t user;
  };
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::mt19937_64 rng_{0x10c0de};
  std::bernoulli_distribution valid_{1.0}, ready_{1.0};
  std::deque<Beat> in_;
  std::vector<OutFrame> out_;
  OutFrame cur_;
  bool rvalid_ = false;
  uint32_t rdata_ = 0;
  uint64_t cycles_ = 0;
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
