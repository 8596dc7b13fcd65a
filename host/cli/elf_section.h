// Reads the instructions of one executable section of an eBPF ELF object (libelf).
#pragma once

#include <string>
#include <vector>

#include "ebpf_fpga/isa.h"

namespace ebpf::cli {

// True when the file starts with the ELF magic (so `disasm` treats it as an object).
bool is_elf_file(const std::string& path);

struct ElfSection {
  std::string name;
  std::vector<Insn> insns;
};

// The section called `section`, or, when it is empty, the only non-empty executable
// (SHF_EXECINSTR) section. Throws ebpf::Error listing the executable sections when the
// name is unknown or the choice is ambiguous, and for anything that is not a little-endian
// 64-bit eBPF object.
ElfSection read_elf_section(const std::string& path, const std::string& section);

}  // namespace ebpf::cli
