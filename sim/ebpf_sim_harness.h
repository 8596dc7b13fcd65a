// The Verilator model of ebpf_top and the clock and bus that drive it. Cycles are counted in
// tick() and nowhere else; csr_read()/csr_write() are single bus cycles.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace ebpf::sim {

struct HarnessOptions {
  std::string trace_path;  // non-empty: dump an FST waveform of every cycle to this file
};

class Harness {
 public:
  explicit Harness(const HarnessOptions& opts = {});
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Holds reset for `cycles` clock cycles, then releases it.
  void reset(unsigned cycles = 4);
  // One clock cycle: inputs set before the call are sampled at its rising edge.
  void tick();
  uint64_t cycles() const { return cycles_; }

  // One bus cycle each. A read returns the data the slave answers with in the next cycle.
  void csr_write(uint32_t addr, uint32_t data);
  uint32_t csr_read(uint32_t addr);
  void csr_write64(uint32_t addr_lo, uint64_t data);
  uint64_t csr_read64(uint32_t addr_lo);

  // The packet port (docs/register-map.md "Packet port"), one cycle each; a read returns the
  // word the port answers with in the next cycle.
  void pkt_port_write(uint32_t word, uint64_t data, uint8_t mask = 0xff);
  uint64_t pkt_port_read(uint32_t word);

  // The top's status lines, as seen after the last tick.
  bool busy() const;
  bool done() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint64_t cycles_ = 0;
};

}  // namespace ebpf::sim
