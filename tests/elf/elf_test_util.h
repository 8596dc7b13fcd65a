// Test helpers for the ELF loader: where the objects are, and a deliberately small, separate
// ELF64 reader (raw structs from <elf.h>, no libelf) used to cross-check what the loader
// reports and to patch bytes at known places (machine, relocation types, section headers).
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>
#include <string>
#include <vector>

namespace elftest {

std::string firmware_dir();       // build/firmware
std::string test_objects_dir();   // build/tests/elf/objects
std::vector<uint8_t> read_file(const std::string& path);
// Path of a firmware object or test object; empty if it was not built (clang missing).
std::string firmware_object(const std::string& name);  // "dns_filter" -> .../dns_filter.o
std::string test_object(const std::string& name);

struct RawSection {
  uint32_t index;
  std::string name;
  uint32_t type;
  uint64_t flags;
  uint64_t offset;
  uint64_t size;
  uint32_t link;
  uint32_t info;
  uint64_t header_offset;  // file offset of this section's Elf64_Shdr
};

struct RawSymbol {
  std::string name;
  uint64_t value;
  uint64_t size;
  uint8_t type;
  uint16_t shndx;
};

struct RawReloc {
  uint64_t offset;
  uint32_t type;
  uint32_t sym;
  uint64_t file_offset;  // of the Elf64_Rel entry
};

// Only for well-formed objects (the test inputs before they are corrupted).
class RawElf {
 public:
  explicit RawElf(std::vector<uint8_t> bytes);
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  const std::vector<RawSection>& sections() const { return sections_; }
  const std::vector<RawSymbol>& symbols() const { return symbols_; }
  const RawSection* section(const std::string& name) const;
  const RawSymbol* symbol(const std::string& name) const;
  // REL entries applying to section `target`.
  std::vector<RawReloc> relocs_for(uint32_t target) const;
  uint64_t shoff() const;

 private:
  std::vector<uint8_t> bytes_;
  std::vector<RawSection> sections_;
  std::vector<RawSymbol> symbols_;
};

template <typename T>
void poke(std::vector<uint8_t>& bytes, uint64_t offset, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  for (size_t i = 0; i < sizeof(T); ++i) {
    bytes.at(offset + i) = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
  }
}

}  // namespace elftest

namespace ebpf {
struct ProgramSpec;
}

namespace elftest {

// Checks that `p` is `functions[0]` (the entry) followed by the other functions in order,
// each copied from the raw file (same opcodes and dst registers; relocations only change
// src and imm), and that every bpf-to-bpf call lands on the start of one of those copies.
// Returns "" when it is so, else what differs.
std::string check_layout(const ebpf::ProgramSpec& p, const RawElf& raw,
                         const std::vector<std::string>& functions);

}  // namespace elftest
