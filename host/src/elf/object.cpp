// The parts of ebpf::Object that do not read ELF: map type names and the choice of the
// entry program (contracts.md section 4).
#include <array>

#include "ebpf_fpga/error.h"
#include "ebpf_fpga/object.h"

namespace ebpf {
namespace {

// Linux enum bpf_map_type, by number (the names bpftool prints).
constexpr std::array<std::string_view, 33> kMapTypeNames = {
    "unspec",          "hash",          "array",
    "prog_array",      "perf_event_array", "percpu_hash",
    "percpu_array",    "stack_trace",   "cgroup_array",
    "lru_hash",        "lru_percpu_hash", "lpm_trie",
    "array_of_maps",   "hash_of_maps",  "devmap",
    "sockmap",         "cpumap",        "xskmap",
    "sockhash",        "cgroup_storage", "reuseport_sockarray",
    "percpu_cgroup_storage", "queue",   "stack",
    "sk_storage",      "devmap_hash",   "struct_ops",
    "ringbuf",         "inode_storage", "task_storage",
    "bloom_filter",    "user_ringbuf",  "cgrp_storage",
};

std::string describe(const ProgramSpec& p) { return p.name + " (section " + p.section + ")"; }

std::string list(const std::vector<const ProgramSpec*>& progs) {
  std::string out;
  for (const ProgramSpec* p : progs) {
    if (!out.empty()) out += ", ";
    out += describe(*p);
  }
  return out;
}

}  // namespace

std::string map_type_name(uint32_t type) {
  if (type < kMapTypeNames.size()) return std::string(kMapTypeNames[type]);
  return "unknown(" + std::to_string(type) + ")";
}

bool map_type_supported(uint32_t type) {
  switch (static_cast<MapType>(type)) {
    case MapType::kHash:
    case MapType::kArray:
    case MapType::kProgArray:
    case MapType::kPerfEventArray:
    case MapType::kPercpuHash:
    case MapType::kPercpuArray:
    case MapType::kLruHash:
    case MapType::kLpmTrie:
    case MapType::kDevmap:
    case MapType::kDevmapHash:
    case MapType::kRingbuf:
      return true;
  }
  return false;
}

std::optional<size_t> Object::find_map(std::string_view name) const {
  for (size_t i = 0; i < maps_.size(); ++i) {
    if (maps_[i].name == name) return i;
  }
  return std::nullopt;
}

const ProgramSpec& Object::select_program(const std::optional<std::string>& function,
                                          const std::optional<std::string>& section) const {
  std::vector<const ProgramSpec*> all, match;
  for (const ProgramSpec& p : programs_) {
    all.push_back(&p);
    if ((!function || p.name == *function) && (!section || p.section == *section)) {
      match.push_back(&p);
    }
  }
  if (all.empty()) throw Error(name_ + ": the object holds no programs");
  if (match.size() == 1) return *match.front();

  std::string wanted;
  if (function) wanted = "named '" + *function + "'";
  if (section) wanted += std::string(wanted.empty() ? "" : " ") + "in section " + *section;
  if (match.empty()) {
    throw Error(name_ + ": no program " + wanted + "; the object holds " + list(all));
  }
  if (!function && !section) {
    throw Error(name_ + ": the object holds " + std::to_string(all.size()) +
                " programs; choose one with --program FUNC or --section NAME: " + list(all));
  }
  throw Error(name_ + ": " + std::to_string(match.size()) + " programs " + wanted +
              "; choose one with --program FUNC: " + list(match));
}

}  // namespace ebpf
