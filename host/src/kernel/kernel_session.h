// The Linux kernel as an XDP engine (docs/kernel.md): an Object is loaded with libbpf, each
// packet runs through BPF_PROG_TEST_RUN, and maps are read and written with bpf(). This header
// exposes the session class itself for the speed anchor (bench/speed_anchor.cpp) and the
// tests; other code reaches it through make_kernel_xdp_session() in xdp_session.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ebpf_fpga/xdp_session.h"

namespace ebpf::kernel {

// BPF_PROG_TEST_RUN refuses XDP packets shorter than an Ethernet header.
inline constexpr size_t kMinPacketBytes = 14;

// How an XdpPacketIn's ctx fields reach the kernel, which accepts in ctx_in only an
// ingress_ifindex of an existing device and an rx_queue_index below that device's rx queue
// count: an unknown ifindex becomes 1 (loopback), a queue the device lacks becomes 0.
struct KernelCtx {
  uint32_t ingress_ifindex = 1;
  uint32_t rx_queue_index = 0;
};
KernelCtx map_ctx(uint32_t ingress_ifindex, uint32_t rx_queue_index);

// The probe behind kernel_unavailable_reason(), uncached: loads and test-runs a two-instruction
// XDP program. nullopt when that works, else why not.
std::optional<std::string> probe_unavailable_reason();

// The number of CPUs the kernel keeps PERCPU values for (its possible CPUs).
uint32_t possible_cpus();

class KernelXdpSession final : public XdpSession {
 public:
  explicit KernelXdpSession(const XdpSessionOptions& opts);
  ~KernelXdpSession() override;
  KernelXdpSession(const KernelXdpSession&) = delete;
  KernelXdpSession& operator=(const KernelXdpSession&) = delete;

  std::string_view engine() const override { return "kernel"; }
  void load(const Object& obj, const ProgramSpec& entry) override;
  MapAccess& maps() override;
  XdpPacketOut run(const XdpPacketIn& packet) override;

  // The speed anchor: runs `packet` `repeat` times in one BPF_PROG_TEST_RUN (the kernel's
  // JIT when it is enabled) and returns the kernel's mean duration per run in ns. Map state
  // changes as `repeat` runs would change it.
  uint64_t time_packet(const XdpPacketIn& packet, uint32_t repeat);

  // Whether the kernel JIT-compiles programs (/proc/sys/net/core/bpf_jit_enable).
  static std::optional<int> jit_enabled();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ebpf::kernel
