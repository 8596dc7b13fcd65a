// ELF objects built by `clang -O2 -g -target bpf` with libbpf's conventions: the programs,
// the maps they reference and the global data, relocated so that every map reference is an
// index into maps() (lddw src=1 imm=I for a map handle, src=2 imm=I next.imm=OFF for a value
// address, contracts.md section 2).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ebpf_fpga/isa.h"

namespace ebpf {

// Linux map type numbers (include/uapi/linux/bpf.h, enum bpf_map_type).
enum class MapType : uint32_t {
  kHash = 1,
  kArray = 2,
  kProgArray = 3,
  kPerfEventArray = 4,
  kPercpuHash = 5,
  kPercpuArray = 6,
  kLruHash = 9,
  kLpmTrie = 11,
  kDevmap = 14,
  kDevmapHash = 25,
  kRingbuf = 27,
};
// "hash", "array", ... ; "unknown(N)" for other numbers.
std::string map_type_name(uint32_t type);
bool map_type_supported(uint32_t type);

// Where a map came from.
enum class MapOrigin : uint8_t {
  kBtf,     // declared in the .maps section
  kData,    // global data section .data*: one-entry array holding the section
  kRodata,  // .rodata*: read-only to the program
  kBss,     // .bss*: zero-initialised
};

struct MapSpec {
  std::string name;  // variable name, or the section name for global data
  MapType type = MapType::kArray;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t map_flags = 0;
  MapOrigin origin = MapOrigin::kBtf;
  std::vector<uint8_t> initial_value;  // global data: section contents (value of key 0)
  // PROG_ARRAY initial values: (slot, program function name).
  std::vector<std::pair<uint32_t, std::string>> prog_array_init;
};

struct ProgramSpec {
  std::string name;     // function symbol
  std::string section;  // ELF section, e.g. "xdp"
  // The entry function followed by every .text subprogram it calls, relocated.
  std::vector<Insn> insns;
};

struct OpenOpts {
  // Reserved for options such as BTF overrides; fields are added at the end with defaults.
  bool allow_unsupported_maps = false;  // true: keep maps of unsupported types (for listing)
};

class Object {
 public:
  // Throws ebpf::Error "PATH: section S: what was wrong" for malformed or unsupported input.
  static Object open_file(const std::string& path, const OpenOpts& opts = {});
  static Object open_memory(std::span<const uint8_t> bytes, const std::string& name,
                            const OpenOpts& opts = {});

  // The path given to open_file, or the name given to open_memory; error messages start
  // with it.
  const std::string& name() const { return name_; }
  const std::string& license() const { return license_; }
  const std::vector<ProgramSpec>& programs() const { return programs_; }
  const std::vector<MapSpec>& maps() const { return maps_; }
  std::optional<size_t> find_map(std::string_view name) const;

  // The entry program, chosen as contracts.md section 4 says: by function name, by section,
  // or the only program; throws ebpf::Error listing the programs when ambiguous or absent.
  const ProgramSpec& select_program(const std::optional<std::string>& function,
                                    const std::optional<std::string>& section) const;

 private:
  friend class ElfLoader;
  std::string name_;
  std::string license_;
  std::vector<ProgramSpec> programs_;
  std::vector<MapSpec> maps_;
};

}  // namespace ebpf
