// Seeded random eBPF programs for the differential tests (rtl against interp).
//
// Two kinds of cases:
//  - structured: valid programs built from the instruction table (every form), with forward
//    branches, bounded loops, bpf-to-bpf calls (sometimes too deep), helper calls, stack,
//    packet and ctx accesses that are mostly in bounds and sometimes just outside, atomics,
//    mul/div with corner-case operands and, now and then, a budget too small to finish;
//  - raw: arbitrary bit patterns (random slots or mutated structured programs) loaded with
//    the checker off, so invalid encodings must fault identically.
// The same seed always gives the same case.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/isa.h"

namespace ebpf::difftest {

struct TestCase {
  std::vector<Insn> program;
  MemoryImage memory;
  LoadOptions load;
  RunOptions run;
  std::string kind;  // "structured", "random", "mutated"
};

// Case number `index` of the stream `seed`.
TestCase make_case(uint64_t seed, uint64_t index);

// Runs a case on both engines; returns an empty string when they agree, else a report of
// every difference (with the program's disassembly).
std::string compare_engines(const TestCase& tc, Engine& reference, Engine& dut);

}  // namespace ebpf::difftest
