// Small builders shared by the map and helper tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/object.h"

namespace ebpf::maptest {

using Bytes = std::vector<uint8_t>;

inline MapSpec spec(MapType type, uint32_t key_size, uint32_t value_size, uint32_t max_entries,
                    uint32_t flags = 0, std::string name = "m") {
  MapSpec s;
  s.name = std::move(name);
  s.type = type;
  s.key_size = key_size;
  s.value_size = value_size;
  s.max_entries = max_entries;
  s.map_flags = flags;
  return s;
}

inline MapSpec global_data(MapOrigin origin, Bytes init, std::string name) {
  MapSpec s = spec(MapType::kArray, 4, static_cast<uint32_t>(init.size()), 1,
                   origin == MapOrigin::kRodata ? kBpfFRdonlyProg : 0u, std::move(name));
  s.origin = origin;
  s.initial_value = std::move(init);
  return s;
}

inline Bytes le32(uint32_t v) {
  Bytes b(4);
  std::memcpy(b.data(), &v, 4);
  return b;
}
inline Bytes le64(uint64_t v) {
  Bytes b(8);
  std::memcpy(b.data(), &v, 8);
  return b;
}
inline uint32_t u32(const Bytes& b, size_t off = 0) {
  uint32_t v;
  std::memcpy(&v, b.data() + off, 4);
  return v;
}
inline uint64_t u64(const Bytes& b, size_t off = 0) {
  uint64_t v;
  std::memcpy(&v, b.data() + off, 8);
  return v;
}
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// struct bpf_lpm_trie_key for IPv4: prefixlen, then the address in network order.
inline Bytes v4(uint32_t prefixlen, uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return cat({le32(prefixlen), Bytes{a, b, c, d}});
}
// IPv6: prefixlen, then 16 bytes; `hi` fills the first 8 bytes big-endian, `lo` the last 8.
inline Bytes v6(uint32_t prefixlen, uint64_t hi, uint64_t lo) {
  Bytes k = le32(prefixlen);
  for (int i = 7; i >= 0; --i) k.push_back(static_cast<uint8_t>(hi >> (8 * i)));
  for (int i = 7; i >= 0; --i) k.push_back(static_cast<uint8_t>(lo >> (8 * i)));
  return k;
}

}  // namespace ebpf::maptest
