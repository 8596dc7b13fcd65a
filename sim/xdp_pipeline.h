// The Verilated model of ebpf_xdp_top (the soft-CPU behind the AXI4-Stream packet I/O block,
// docs/packet_io.md) and the clock, CSR bus and stream ports that drive it.
//
// XdpTopDriver<Model> is the one cycle driver of every Verilated build of ebpf_xdp_top: the
// host CSR bus, an AXI4-Stream source on s_axis (packed beats, tuser = port; bursty on
// request) and a sink on m_axis (back-pressure on request). XdpPipeline owns the project's
// build of the model (sim/CMakeLists.txt, the rtl engine's map pools) and drives it with
// XdpTopDriver; tests/rtl/io and bench/rtl/packet_io_bench drive their own builds with it.
//
// XdpPipeline serves three users:
//  - the "rtl" XdpSession (host/src/xdp/rtl_stream_session.cpp): one frame at a time through
//    send_frame(), so that a packet's cycles are the hardware's own IO_LAST_VERDICT
//    (contracts.md 5); no CSR access is made while a frame is in flight;
//  - the simulated board (host/sim_serve) and sim: (host/src/transport/sim.cpp): the whole
//    CSR map over io(), and traffic through queue_frame()/tick()/take_egress() while the host
//    uses the bus (the I/O block arbitrates: docs/packet_io.md "The host rule").
//
// Cycles are counted in the model's clock only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ebpf_fpga/error.h"
#include "ebpf_io_map.h"

namespace ebpf::device {
class CsrIo;
}

namespace ebpf::sim {

// The packet I/O register page: ebpf_io_map.h (ebpf::io_csr), also reachable as sim::io_csr.
namespace io_csr = ::ebpf::io_csr;

struct XdpEgressFrame {
  std::vector<uint8_t> bytes;
  uint32_t port = 0;  // tdest
  // The tag given to queue_frame() for the frame this one came from: the frame whose first
  // beat had entered last when the block began sending it (eg_start_o; the next frame may
  // come in before this one's first beat leaves).
  uint64_t tag = 0;
  // Frames are equal when their bytes and port are (the tag is bookkeeping).
  friend bool operator==(const XdpEgressFrame& a, const XdpEgressFrame& b) {
    return a.port == b.port && a.bytes == b.bytes;
  }
};

// Drives one Verilated ebpf_xdp_top (`Model`: the class Verilator generated). `eval` is
// called for every evaluation of the model (the owner dumps its waveform there).
template <class Model>
class XdpTopDriver {
 public:
  XdpTopDriver(Model& m, std::function<void()> eval) : m_(m), eval_(std::move(eval)) {}

  Model& model() { return m_; }
  uint64_t cycles() const { return cycles_; }

  // s_axis offers a waiting beat with probability p in each cycle; m_axis is ready with
  // probability q. Either one also puts random data on s_axis while it offers nothing.
  void set_valid_prob(double p) {
    valid_ = std::bernoulli_distribution(p);
    random_ = true;
  }
  void set_ready_prob(double q) {
    ready_ = std::bernoulli_distribution(q);
    random_ = true;
  }

  // Sets the inputs to rest and holds reset for `n` cycles, then releases it. Beats waiting
  // and frames half received or sent are forgotten.
  void reset(unsigned n = 4) {
    in_.clear();
    frames_waiting_ = 0;
    out_.clear();
    cur_ = {};
    eg_tags_.clear();
    m_.csr_req_i = 0;
    m_.csr_we_i = 0;
    m_.csr_addr_i = 0;
    m_.csr_wdata_i = 0;
    m_.s_axis_tvalid_i = 0;
    m_.m_axis_tready_i = 1;
    m_.clk_i = 0;
    m_.rst_ni = 1;
    eval_();
    m_.rst_ni = 0;  // a falling edge: the asynchronous reset acts before any clock
    eval_();
    for (unsigned i = 0; i < n; ++i) cycle();
    m_.rst_ni = 1;
    cycle();
  }

  // One clock cycle with an optional host request. Outputs are sampled before the rising
  // edge (they show the registered state after the previous one).
  void cycle(bool req = false, bool we = false, uint32_t addr = 0, uint32_t wdata = 0) {
    m_.csr_req_i = req;
    m_.csr_we_i = we;
    m_.csr_addr_i = addr;
    m_.csr_wdata_i = wdata;
    const bool v = !in_.empty() && (!random_ || valid_(rng_));
    if (v) {
      const Beat& b = in_.front();
      m_.s_axis_tdata_i = b.data;
      m_.s_axis_tkeep_i = b.keep;
      m_.s_axis_tlast_i = b.last;
      m_.s_axis_tuser_i = b.user;
    } else if (random_) {
      m_.s_axis_tdata_i = rng_();
      m_.s_axis_tkeep_i = static_cast<uint8_t>(rng_());
      m_.s_axis_tlast_i = rng_() & 1;
      m_.s_axis_tuser_i = rng_() & 3;
    } else {
      m_.s_axis_tdata_i = 0;
      m_.s_axis_tkeep_i = 0;
      m_.s_axis_tlast_i = 0;
      m_.s_axis_tuser_i = 0;
    }
    m_.s_axis_tvalid_i = v;
    m_.m_axis_tready_i = random_ ? ready_(rng_) : 1;
    m_.clk_i = 0;
    eval_();
    if (!m_.rst_ni) {  // nothing moves in reset
      m_.clk_i = 1;
      eval_();
      return;
    }
    if (m_.eg_start_o) eg_tags_.push_back(in_tag_);
    if (v && m_.s_axis_tready_o) {
      if (in_.front().first) in_tag_ = in_.front().tag;
      if (in_.front().last) --frames_waiting_;
      in_.pop_front();
    }
    if (m_.m_axis_tvalid_o && m_.m_axis_tready_i) {
      for (unsigned i = 0; i < 8; ++i) {
        if ((m_.m_axis_tkeep_o >> i) & 1) {
          cur_.bytes.push_back(static_cast<uint8_t>(m_.m_axis_tdata_o >> (8 * i)));
        }
      }
      cur_.port = m_.m_axis_tdest_o;
      if (m_.m_axis_tlast_o) {
        if (!eg_tags_.empty()) {
          cur_.tag = eg_tags_.front();
          eg_tags_.pop_front();
        }
        out_.push_back(std::move(cur_));
        cur_ = {};
      }
    }
    rvalid_ = m_.csr_rvalid_o;
    rdata_ = m_.csr_rdata_o;
    m_.clk_i = 1;
    eval_();
    ++cycles_;
  }

  // The host bus: a write takes one cycle, a read two (the answer comes in the next cycle).
  void write(uint32_t addr, uint32_t value) { cycle(true, true, addr, value); }
  uint32_t read(uint32_t addr) {
    cycle(true, false, addr);
    cycle();
    if (!rvalid_) {
      throw Error("rtl: ebpf_xdp_top gave no csr_rvalid_o for a read of CSR 0x" + hex(addr));
    }
    return rdata_;
  }

  // Queues `frame` on s_axis as packed beats (tuser = port), behind what waits already.
  void queue(std::span<const uint8_t> frame, uint32_t port, uint64_t tag = 0) {
    for (size_t b = 0; b * 8 < frame.size(); ++b) {
      Beat beat;
      beat.first = b == 0;
      beat.last = (b + 1) * 8 >= frame.size();
      beat.user = static_cast<uint8_t>(port);
      beat.tag = tag;
      for (size_t i = 0; i < 8 && b * 8 + i < frame.size(); ++i) {
        beat.data |= uint64_t{frame[b * 8 + i]} << (8 * i);
        beat.keep = static_cast<uint8_t>(beat.keep | (1u << i));
      }
      in_.push_back(beat);
    }
    if (!frame.empty()) ++frames_waiting_;
  }

  // Beats still waiting to be offered on s_axis, and the frames they belong to.
  size_t beats_waiting() const { return in_.size(); }
  size_t frames_waiting() const { return frames_waiting_; }
  // Something is under way in the block: a frame in flight or leaving, or a beat waiting
  // that s_axis would take now.
  bool stream_busy() const {
    return m_.io_busy_o || m_.m_axis_tvalid_o || !cur_.bytes.empty() ||
           (!in_.empty() && m_.s_axis_tready_o);
  }
  // Nothing waiting, nothing in flight, nothing leaving.
  bool stream_idle() const {
    return in_.empty() && !m_.io_busy_o && !m_.m_axis_tvalid_o && cur_.bytes.empty();
  }

  // Clocks until stream_idle() has held for `idle_cycles` cycles in a row; false when that
  // did not happen within `max_cycles`.
  bool drain(uint64_t max_cycles = 5'000'000, int idle_cycles = 4) {
    const uint64_t end = cycles_ + max_cycles;
    int idle = 0;
    while (cycles_ < end) {
      cycle();
      if (stream_idle()) {
        if (++idle >= idle_cycles) return true;
      } else {
        idle = 0;
      }
    }
    return false;
  }

  // Frames complete on m_axis, oldest first.
  std::vector<XdpEgressFrame>& out() { return out_; }

  static std::string hex(uint32_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    do {
      s.insert(s.begin(), digits[v & 15]);
      v >>= 4;
    } while (v);
    return s;
  }

 private:
  struct Beat {
    uint64_t data = 0;
    uint8_t keep = 0;
    bool last = false;
    bool first = false;
    uint8_t user = 0;
    uint64_t tag = 0;
  };
  Model& m_;
  std::function<void()> eval_;
  std::mt19937_64 rng_{0x10c0de};
  std::bernoulli_distribution valid_{1.0}, ready_{1.0};
  bool random_ = false;
  std::deque<Beat> in_;
  std::vector<XdpEgressFrame> out_;
  XdpEgressFrame cur_;
  uint64_t in_tag_ = 0;
  std::deque<uint64_t> eg_tags_;   // tags of the frames being sent, oldest first
  size_t frames_waiting_ = 0;
  bool rvalid_ = false;
  uint32_t rdata_ = 0;
  uint64_t cycles_ = 0;
};

struct XdpPipelineOptions {
  std::string trace_path;  // non-empty: dump an FST waveform of every cycle to this file
};

// One frame through the block.
struct XdpFrameResult {
  enum class Ingress { kRun, kOversize, kMalformed };
  Ingress ingress = Ingress::kRun;     // kRun: the program ran on it
  uint32_t last_verdict = 0;           // IO_LAST_VERDICT: first beat in -> verdict (kRun)
  uint32_t last_out = 0;               // IO_LAST_OUT
  uint32_t last_info = 0;              // IO_LAST_INFO
  uint64_t cycles = 0;                 // model cycles from the first beat offered to idle
  std::vector<XdpEgressFrame> egress;  // frames that left on m_axis
};

class XdpPipeline {
 public:
  explicit XdpPipeline(const XdpPipelineOptions& opts = {});
  ~XdpPipeline();
  XdpPipeline(const XdpPipeline&) = delete;
  XdpPipeline& operator=(const XdpPipeline&) = delete;

  // The host CSR bus (one request per cycle; a read answers in the next cycle). Frames
  // queued with queue_frame() move in the same cycles.
  device::CsrIo& io();
  uint32_t csr_read(uint32_t addr);
  void csr_write(uint32_t addr, uint32_t value);

  // Holds reset for `cycles` clock cycles, then releases it (everything is lost, frames
  // waiting on s_axis too).
  void reset(unsigned cycles = 4);
  uint64_t cycles() const;

  // IO_PARAMS.
  uint32_t num_ports() const { return num_ports_; }
  uint32_t host_port() const { return host_port_; }
  uint32_t max_frame_bytes() const { return max_frame_; }

  // IO_CTRL.ENABLE. Clearing it waits for the frame in flight (none, between send_frame()s).
  void set_enable(bool on);

  // Offers `frame` on s_axis (packed beats, tuser = port) and clocks until every beat is in,
  // the block is idle and m_axis has nothing left. Throws ebpf::Error after `max_cycles`
  // (the model is reset then: program and maps are lost) or for an empty frame or a port
  // outside 0 .. num_ports() - 1. Nothing else may be queued.
  XdpFrameResult send_frame(std::span<const uint8_t> frame, uint32_t port, uint64_t max_cycles);

  // Traffic while the host uses the bus. queue_frame() puts `frame` behind the beats
  // waiting on s_axis (they wait there, tvalid high, while the block does not take frames:
  // IO_CTRL.ENABLE clear or a frame in flight); `tag` comes back on the frames it causes to
  // leave. Throws ebpf::Error for an empty frame or a port that is not one.
  void queue_frame(std::span<const uint8_t> frame, uint32_t port, uint64_t tag = 0);
  size_t beats_waiting() const;
  size_t frames_waiting() const;
  // One clock cycle with no host request.
  void tick();
  // The core runs (a frame's program or a host run).
  bool core_busy() const;
  // Frames move: see XdpTopDriver::stream_busy().
  bool stream_busy() const;
  // s_axis_tready: the block would take a frame's first beat now (IO_CTRL.ENABLE set, no
  // frame in flight, no host run).
  bool ingress_ready() const;
  // Frames that left on m_axis since the last call, oldest first.
  std::vector<XdpEgressFrame> take_egress();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint32_t num_ports_ = 0, host_port_ = 0, max_frame_ = 0;
};

}  // namespace ebpf::sim
