// Internal to the ELF loader: a relocatable BPF ELF object read through libelf into plain
// tables (sections with their bytes, symbols, relocations), every index and range checked, so
// the loader never touches libelf or an unchecked offset. Also the error formatting that names
// the file, the section and the offset.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ebpf::elf {

// Builds the messages of ebpf::Error: "FILE: section S: offset 0xN (instruction I): what".
class Diag {
 public:
  explicit Diag(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void fail_section(std::string_view section, const std::string& what) const;
  [[noreturn]] void fail_at(std::string_view section, uint64_t offset,
                            const std::string& what) const;
  // Like fail_at, and also names the instruction slot (offset / 8).
  [[noreturn]] void fail_insn(std::string_view section, uint64_t offset,
                              const std::string& what) const;

 private:
  std::string file_;
};

std::string hex(uint64_t v);

struct Section {
  size_t index = 0;
  std::string name;
  uint32_t type = 0;  // SHT_*
  uint64_t flags = 0;
  uint64_t size = 0;
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t entsize = 0;
  std::vector<uint8_t> bytes;  // empty for SHT_NOBITS

  bool is_nobits() const;
  bool is_exec() const;  // SHT_PROGBITS with SHF_EXECINSTR
};

struct Symbol {
  std::string name;
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t type = 0;   // STT_*
  uint8_t bind = 0;   // STB_*
  uint32_t shndx = 0; // SHN_UNDEF, a section index, or a reserved index (>= SHN_LORESERVE)
};

struct Reloc {
  uint64_t offset = 0;  // in the target section
  uint32_t type = 0;    // R_BPF_*
  uint32_t sym = 0;     // symbol table index (checked to be in range)
};

// ELF relocation types of the BPF target (llvm/BinaryFormat/ELFRelocs/BPF.def).
namespace rbpf {
inline constexpr uint32_t kNone = 0, k64_64 = 1, kAbs64 = 2, kAbs32 = 3, kNoDyld32 = 4,
                          k64_32 = 10;
}
std::string reloc_type_name(uint32_t type);

class ElfFile {
 public:
  // Parses a whole ELF image; throws ebpf::Error through diag for anything malformed,
  // for a class, byte order or machine other than 64-bit little-endian EM_BPF, and for
  // objects that are not relocatable (ET_REL).
  ElfFile(std::span<const uint8_t> image, const Diag& diag);

  const std::vector<Section>& sections() const { return sections_; }
  const std::vector<Symbol>& symbols() const { return symbols_; }
  const Section* find_section(std::string_view name) const;
  const Section& section(size_t index) const { return sections_.at(index); }
  bool has_section(uint32_t index) const { return index > 0 && index < sections_.size(); }
  // Relocations (from SHT_REL sections) whose target is section `index`, sorted by offset.
  const std::vector<Reloc>& relocations_for(size_t index) const { return relocs_.at(index); }

 private:
  std::vector<Section> sections_;
  std::vector<Symbol> symbols_;
  std::vector<std::vector<Reloc>> relocs_;  // per target section
};

}  // namespace ebpf::elf
