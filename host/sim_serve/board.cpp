#include "board.h"

namespace ebpf::simserve {

SimBoard::SimBoard(const BoardOptions& opts)
    : harness_(sim::HarnessOptions{.trace_path = opts.trace_path}) {
  if (opts.cmd_unit_base) {
    cmd_unit_ = std::make_unique<CmdUnit>(*opts.cmd_unit_base, opts.cmd_latency);
  }
}

uint32_t SimBoard::read(uint32_t addr) {
  if (cmd_unit_ && cmd_unit_->contains(addr)) return cmd_unit_->read(addr);
  if (addr >= kCsrSpace) {
    ++out_of_range_;
    return 0;  // unmapped, as on the CSR bus itself
  }
  return harness_.csr_read(addr);
}

void SimBoard::write(uint32_t addr, uint32_t value) {
  if (cmd_unit_ && cmd_unit_->contains(addr)) {
    cmd_unit_->write(addr, value);
    return;
  }
  if (addr >= kCsrSpace) {
    ++out_of_range_;
    return;
  }
  harness_.csr_write(addr, value);
}

bool SimBoard::mapped(uint32_t a) const {
  // The whole 20-bit CSR space, as the boards' Etherbone endpoint accepts it (EbWholeMap):
  // register page, program table, map command block, NET page 0x0_e000 (the network stack's;
  // reads 0 here), packet I/O page 0x0_f000, stack, packet, event, map value and instruction
  // windows. Words ebpf_top leaves unmapped read 0 there too.
  if (cmd_unit_ && cmd_unit_->contains(a)) return true;
  return a < kCsrSpace;
}

bool SimBoard::busy() {
  const bool cmd = cmd_unit_ && cmd_unit_->advance();
  return cmd || harness_.busy();
}

uint64_t SimBoard::run_clock(uint64_t max_cycles) {
  uint64_t n = 0;
  while (n < max_cycles && harness_.busy()) {
    harness_.tick();
    ++n;
  }
  return n;
}

}  // namespace ebpf::simserve
