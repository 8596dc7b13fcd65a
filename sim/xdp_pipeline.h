// The Verilated model of ebpf_xdp_top (the soft-CPU behind the AXI4-Stream packet I/O block,
// docs/packet_io.md) and the clock, CSR bus and stream ports that drive it. The "rtl"
// XdpSession (host/src/xdp/rtl_stream_session.cpp) runs every packet through it, so that a
// packet's cycles are the hardware's own IO_LAST_VERDICT (contracts.md 5).
//
// Cycles are counted in the model's clock only. No CSR access is made while a frame is in
// flight (the host would win the bus and delay the sequencer).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "csr_protocol.h"

namespace ebpf::sim {

// The packet I/O register page (rtl/io/ebpf_io_pkg.sv, docs/packet_io.md).
namespace io_csr {
inline constexpr uint32_t kBase = 0x0'f000;
inline constexpr uint32_t kId = kBase + 0x000;
inline constexpr uint32_t kCtrl = kBase + 0x004;
inline constexpr uint32_t kStatus = kBase + 0x008;
inline constexpr uint32_t kParams = kBase + 0x00c;
inline constexpr uint32_t kLastVerdict = kBase + 0x010;
inline constexpr uint32_t kLastOut = kBase + 0x014;
inline constexpr uint32_t kLastInfo = kBase + 0x018;
inline constexpr uint32_t kLastLen = kBase + 0x01c;
inline constexpr uint32_t kCntOversize = kBase + 0x180;
inline constexpr uint32_t kCntMalformed = kBase + 0x184;
inline constexpr uint32_t kCntHostDrop = kBase + 0x190;
inline constexpr uint32_t kIdValue = 0x5844'494f;  // "XDIO"
inline constexpr uint32_t kCtrlEnable = 1u << 0;
inline constexpr uint32_t kCtrlClear = 1u << 1;
inline constexpr uint32_t kStatusBusy = 1u << 0;
}  // namespace io_csr

struct XdpPipelineOptions {
  std::string trace_path;  // non-empty: dump an FST waveform of every cycle to this file
};

struct XdpEgressFrame {
  std::vector<uint8_t> bytes;
  uint32_t port = 0;  // tdest
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

  // The host CSR bus (one request per cycle; a read answers in the next cycle).
  device::CsrIo& io();

  // Holds reset for `cycles` clock cycles, then releases it (everything is lost).
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
  // outside 0 .. num_ports() - 1.
  XdpFrameResult send_frame(std::span<const uint8_t> frame, uint32_t port, uint64_t max_cycles);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint32_t num_ports_ = 0, host_port_ = 0, max_frame_ = 0;
};

}  // namespace ebpf::sim
