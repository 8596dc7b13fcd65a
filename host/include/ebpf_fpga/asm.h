// Assembler and disassembler for the bpf_conformance assembler syntax.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ebpf_fpga/isa.h"

namespace ebpf {

struct AsmOptions {
  std::string source_name = "<input>";  // used in error messages: NAME:LINE:COL: ...
  int first_line = 1;                   // line number of the text's first line (.data files)
};

// Assembles bpf_conformance-syntax text. Throws ebpf::Error "NAME:LINE:COL: message" naming
// what was expected. Extensions: `.raw 0xHHHHHHHHHHHHHHHH` emits one slot verbatim (what the
// disassembler prints for encodings the table does not know), `lddw %rN, map[I]` and
// `lddw %rN, map_value[I]+OFF`.
std::vector<Insn> assemble(std::string_view text, const AsmOptions& opts = {});

struct DisasmOptions {
  bool show_index = false;  // prefix each line with its slot index and the raw bytes
};

// One line per instruction (lddw takes two slots, one line). The output assembles back to
// the same bytes, including for invalid encodings (printed as .raw).
std::string disassemble(std::span<const Insn> prog, const DisasmOptions& opts = {});

// Text of the instruction at prog[index] (no newline); `slots` receives 1 or 2.
std::string disassemble_one(std::span<const Insn> prog, size_t index, size_t* slots = nullptr);

}  // namespace ebpf
