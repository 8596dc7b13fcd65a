// Seeded random XDP programs that call helpers and use maps, for rtl against interp.
//
// Every case configures the same map set (ARRAY, HASH, LRU_HASH, RINGBUF, PROG_ARRAY, DEVMAP,
// PERF_EVENT_ARRAY, PERCPU_ARRAY and a read-only .rodata array), fills PROG_ARRAY and DEVMAP
// slots from the host, loads one to three programs (tail-call targets of each other) and
// runs them twice on a random frame. The programs call every helper with arguments that are
// mostly valid and sometimes not (bad keys, full maps, Linux limits of the adjust helpers,
// read-only maps, flags), fold the results into r0, and write through map value pointers.
// The comparison covers r0, registers, faults, instructions, tail calls, events, redirects,
// packet bytes and offsets, the stack and the contents of every iterable map.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/maps.h"

namespace ebpf::difftest {

struct HelperCase {
  std::vector<MapSpec> maps;
  std::vector<std::vector<Insn>> programs;
  std::vector<std::string> texts;                        // their assembly
  std::vector<std::pair<uint32_t, uint32_t>> prog_slots;  // PROG_ARRAY key -> program
  std::vector<std::pair<uint32_t, uint32_t>> dev_slots;   // DEVMAP key -> ifindex
  MemoryImage memory;
  uint64_t seed = 0;                                     // get_prandom_u32
};

std::vector<MapSpec> helper_case_maps();
HelperCase make_helper_case(uint64_t seed, uint64_t index);
// Empty when the engines agree, else every difference and the programs.
std::string compare_helper_case(const HelperCase& hc, Engine& reference, Engine& dut);

}  // namespace ebpf::difftest
