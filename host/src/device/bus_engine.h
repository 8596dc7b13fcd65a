// ebpf::Engine on any Bus: the host side of a run on the soft-CPU, as docs/registers.md
// describes it ("A run, as the rtl engine does it"), in batches so that a remote device
// costs a handful of round trips per run. Internal to the device library.
#pragma once

#include <vector>

#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/engine.h"

namespace ebpf::device {

class BusEngine final : public Engine {
 public:
  BusEngine(Bus& bus, uint32_t imem_slots, const DeviceOpts& opts);

  std::string_view name() const override { return "device"; }
  void load(std::span<const Insn> prog, const LoadOptions& opts) override;
  RunResult run(MemoryImage& mem, const RunOptions& opts) override;

  DeviceCounters counters();
  const DeviceStats& stats() const { return stats_; }

 private:
  // Waits until STATUS.BUSY is clear (run_timeout); returns the last STATUS read.
  uint32_t wait_idle(const char* before);
  void invalidate() {
    stack_.clear();
    packet_.clear();
  }
  void sync_in(BusBatch& b, std::vector<uint8_t>& shadow, const uint8_t* image, uint32_t size,
               uint32_t window);
  void sync_out(std::vector<uint8_t>& shadow, uint8_t* image, uint32_t size, uint32_t window,
                uint32_t wlo, uint32_t whi);

  Bus& bus_;
  uint32_t imem_slots_;
  DeviceOpts opts_;
  bool loaded_ = false;
  uint32_t loaded_len_ = 0;
  std::vector<uint8_t> stack_, packet_;  // what the device memories hold (empty: unknown)
  DeviceStats stats_;
};

}  // namespace ebpf::device
