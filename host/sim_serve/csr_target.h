// What the simulated board's front ends (Etherbone, pcie-socket) drive: a 32-bit CSR bus.
#pragma once

#include <cstdint>

namespace ebpf::simserve {

class CsrTarget {
 public:
  virtual ~CsrTarget() = default;
  virtual uint32_t read(uint32_t addr) = 0;
  virtual void write(uint32_t addr, uint32_t value) = 0;
  // Whether the Etherbone endpoint lets a request touch `addr` (docs/etherbone.md).
  virtual bool mapped(uint32_t addr) const = 0;
};

}  // namespace ebpf::simserve
