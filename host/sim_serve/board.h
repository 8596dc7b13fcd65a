// The simulated board: the Verilator model of ebpf_top behind a CSR bus, with a clock that
// runs while the core is busy (a real board's clock never stops; the model's only moves
// when ticked) and, on request, the command unit emulation of cmd_unit.h.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cmd_unit.h"
#include "csr_target.h"
#include "ebpf_sim_harness.h"

namespace ebpf::simserve {

struct BoardOptions {
  std::string trace_path;                 // FST waveform of every cycle
  std::optional<uint32_t> cmd_unit_base;  // emulate a command unit at this base
  std::chrono::microseconds cmd_latency{0};
};

class SimBoard final : public CsrTarget {
 public:
  // The CSR bus has 20 address bits: 1 MiB, the size of BAR0 on the PCIe side too.
  static constexpr uint32_t kCsrSpace = 1u << 20;

  explicit SimBoard(const BoardOptions& opts);

  uint32_t read(uint32_t addr) override;
  void write(uint32_t addr, uint32_t value) override;
  // The CSR map as the Etherbone endpoint checks it (docs/etherbone.md): every word of the
  // 20-bit CSR space (as on the boards), plus the emulated command unit.
  bool mapped(uint32_t addr) const override;

  // True while something runs on its own: the core, or an emulated command.
  bool busy();
  bool core_busy() const { return harness_.busy(); }
  // Ticks the clock while the core is busy, at most `max_cycles`; returns the cycles ticked.
  uint64_t run_clock(uint64_t max_cycles);
  uint64_t cycles() const { return harness_.cycles(); }
  const CmdUnit* cmd_unit() const { return cmd_unit_.get(); }
  uint64_t out_of_range() const { return out_of_range_; }

 private:
  sim::Harness harness_;
  std::unique_ptr<CmdUnit> cmd_unit_;
  uint64_t out_of_range_ = 0;
};

}  // namespace ebpf::simserve
