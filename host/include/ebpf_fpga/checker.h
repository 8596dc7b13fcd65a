// Load-time checker: refuses malformed programs before any run, naming the instruction
// index and the reason. It does not try to prove memory safety (the engines check every
// access at run time); it guarantees that every slot decodes and every jump lands on an
// instruction.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ebpf_fpga/isa.h"

namespace ebpf {

struct CheckIssue {
  uint32_t index;      // slot index of the offending instruction
  std::string reason;  // e.g. "jump target 40 is outside the program (12 slots)"
};

struct CheckOptions {
  uint8_t cpu_version = 4;  // instructions of a newer cpu version are refused
  uint32_t max_slots = 65536;
};

// The rules one slot must meet on its own (reserved fields, register numbers, writes to r10,
// map indexes), one reason each. The checker reports them; the interpreter's unchecked mode
// turns a slot that breaks any of them into an invalid_instruction fault.
std::vector<std::string> encoding_problems(const Insn& insn, Form form);

std::vector<CheckIssue> check_program(std::span<const Insn> prog, const CheckOptions& opts = {});

// Throws ebpf::Error listing every issue ("instruction 5: reason; instruction 9: reason").
void check_program_or_throw(std::span<const Insn> prog, const CheckOptions& opts = {});

}  // namespace ebpf
