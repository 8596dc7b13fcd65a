// ebpf::Engine on any Bus: the host side of a run on the soft-CPU, as docs/register-map.md
// describes it ("A run, as the rtl engine does it"), in batches so that a remote device
// costs a handful of round trips per run. Internal to the device library.
#pragma once

#include <cerrno>
#include <optional>
#include <vector>

#include "bus_csr_io.h"
#include "csr_protocol.h"
#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/engine.h"

namespace ebpf::device {

class BusEngine final : public Engine {
 public:
  // features: CAP_FEATURES (runs need RUN_SEQ).
  BusEngine(Bus& bus, uint32_t imem_slots, uint32_t features, const DeviceOpts& opts);

  std::string_view name() const override { return "device"; }
  void load(std::span<const Insn> prog, const LoadOptions& opts) override;
  void load_programs(std::span<const std::vector<Insn>> progs, size_t entry,
                     const LoadOptions& opts) override;
  RunResult run(MemoryImage& mem, const RunOptions& opts) override;
  void configure_maps(std::span<const MapSpec> specs, const MapOptions& opts) override;
  MapAccess* maps() override { return &*map_driver_; }

  DeviceCounters counters();
  DeviceStats stats() const {
    DeviceStats s = stats_;
    s.map_commands = map_port_.stats().commands;
    s.map_restages = map_port_.stats().restages;
    s.map_fences = map_port_.stats().fences;
    return s;
  }

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

  void load_all(std::span<const std::span<const Insn>> progs, size_t entry,
                const LoadOptions& opts);

  Bus& bus_;
  BusCsrIo io_;
  CsrMapPort map_port_;
  // Pool sizes default to the unit's; configure_maps() reads the device's first.
  std::optional<MapUnitDriver> map_driver_;
  uint32_t cores_ = 1;
  bool table_used_ = false;  // load_programs() wrote the program table
  bool params_read_ = false;  // map_driver_ knows the device's pool sizes
  uint64_t insn_bound_ = 0;   // max_insn_cycles of the device (0: not read yet)
  uint32_t imem_slots_;
  uint32_t features_;
  DeviceOpts opts_;
  bool loaded_ = false;
  uint32_t loaded_len_ = 0;
  std::vector<uint8_t> stack_, packet_;  // what the device memories hold (empty: unknown)
  DeviceStats stats_;
};

}  // namespace ebpf::device
