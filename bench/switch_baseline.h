// A deliberately conventional eBPF interpreter used only as the benchmark's baseline: it
// re-decodes every instruction's fields and switches on the raw opcode at every step, the
// design of ubpf's interpreter loop, with the same bounds checks as our engines. It
// implements the subset the benchmark workloads use (ALU, jumps, ldx/stx, calls to no
// helper) and returns false for anything else.
#pragma once

#include <cstdint>
#include <span>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/isa.h"

namespace bench {

struct BaselineResult {
  bool ok = false;
  uint64_t r0 = 0;
  uint64_t instructions = 0;
};

BaselineResult switch_baseline_run(std::span<const ebpf::Insn> prog, ebpf::MemoryImage& mem,
                                   uint64_t budget);

}  // namespace bench
