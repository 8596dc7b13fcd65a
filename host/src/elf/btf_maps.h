// Internal to the ELF loader: BTF-defined maps (the `.maps` section) decoded with libbpf's
// BTF parser, and the CO-RE check on `.BTF.ext`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "elf_file.h"

struct btf;

namespace ebpf::elf {

// One variable of the .maps DATASEC, as libbpf's macros encode it: __uint(name, N) is a
// member of type `int (*)[N]`, __type(name, T) a member of type `T *`, __array(values, T)
// a flexible array of `T *`.
struct BtfMapDef {
  std::string name;
  std::optional<uint32_t> type;
  std::optional<uint32_t> key_size;    // from key_size, or the size of key's type
  std::optional<uint32_t> value_size;  // from value_size, or the size of value's type
  std::optional<uint32_t> max_entries;
  std::optional<uint32_t> map_flags;
  std::optional<uint32_t> values_offset;  // byte offset of `values` in the definition
};

class Btf {
 public:
  // Parses the .BTF section with btf__new; throws ebpf::Error naming the section.
  Btf(std::span<const uint8_t> bytes, const Diag& diag);
  ~Btf();
  Btf(const Btf&) = delete;
  Btf& operator=(const Btf&) = delete;

  // The variables of DATASEC ".maps", in declaration order. Empty when there is none.
  std::vector<BtfMapDef> maps(const Diag& diag) const;
  // Name at a string offset, or "" when out of range.
  std::string name_at(uint32_t offset) const;

 private:
  struct ::btf* btf_ = nullptr;
};

// Throws when .BTF.ext carries CO-RE relocations. `btf` (may be null) names their sections.
void check_no_core_relocations(const Section& btf_ext, const Btf* btf, const Diag& diag);

}  // namespace ebpf::elf
