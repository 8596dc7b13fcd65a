// map_latency: cycles per map-unit command (cmd_valid_i to cmd_done_o) of the Verilated
// ebpf_map_unit (tests/rtl/maps/tb_map_unit.sv, default parameters), per map type, key size
// and fill. Program-side commands (what the helper unit issues), one map, so the descriptor
// stays cached; the first command on another map costs the descriptor load on top (printed).
// Prints a markdown table (docs/maps.md "The RTL map unit"). Run: build/bench/rtl/map_latency
#include <algorithm>
#include <cstring>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "tb_port.h"

namespace {

using ebpf::MapSpec;
using ebpf::MapType;
using Bytes = std::vector<uint8_t>;

struct Stat {
  uint64_t sum = 0, n = 0, max = 0;
  void add(uint64_t c) {
    sum += c;
    ++n;
    max = std::max(max, c);
  }
  std::string str() const {
    if (!n) return "-";
    char b[48];
    std::snprintf(b, sizeof b, "%.1f (%llu)", double(sum) / double(n),
                  static_cast<unsigned long long>(max));
    return b;
  }
};

MapSpec spec(MapType t, uint32_t k, uint32_t v, uint32_t n, const char* name = "bench") {
  MapSpec s;
  s.name = name;
  s.type = t;
  s.key_size = k;
  s.value_size = v;
  s.max_entries = n;
  if (t == MapType::kLpmTrie) s.map_flags = ebpf::kBpfFNoPrealloc;
  return s;
}

Bytes rnd(std::mt19937& g, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(g());
  return b;
}

void row(const std::string& map, uint32_t key, uint32_t n, const Stat& hit, const Stat& miss,
         const Stat& ins, const Stat& repl, const Stat& del) {
  std::printf("| %s | %u | %u | %s | %s | %s | %s | %s |\n", map.c_str(), key, n,
              hit.str().c_str(), miss.str().c_str(), ins.str().c_str(), repl.str().c_str(),
              del.str().c_str());
}

// A hash-type map of n entries: insert all, replace, look up present and absent keys, delete.
void hash_row(MapType t, const char* name, uint32_t key_size, uint32_t n) {
  ebpf::TbMapPort port;
  ebpf::MapUnitDriver drv(port);
  const std::vector<MapSpec> specs = {spec(t, key_size, 8, n)};
  drv.configure(specs);
  std::mt19937 g(key_size * 1000 + n);
  std::vector<Bytes> keys;
  for (uint32_t i = 0; i < n; ++i) keys.push_back(rnd(g, key_size));
  const Bytes v(8, 1);
  Stat hit, miss, ins, repl, del;
  for (const auto& k : keys) {
    if (drv.prog_update(0, k, v, 0, 0) != 0) throw ebpf::Error("bench: insert failed");
    ins.add(drv.last().cycles);
  }
  for (const auto& k : keys) {
    drv.prog_update(0, k, v, 0, 0);
    repl.add(drv.last().cycles);
  }
  for (const auto& k : keys) {
    if (!drv.prog_lookup(0, k, 0)) throw ebpf::Error("bench: lookup missed");
    hit.add(drv.last().cycles);
    const Bytes absent = rnd(g, key_size);
    drv.prog_lookup(0, absent, 0);
    miss.add(drv.last().cycles);
  }
  if (t == MapType::kLruHash) {
    // Inserting into the full map evicts the least recently used element; the new keys are
    // the ones deleted below.
    Stat evict;
    for (auto& k : keys) {
      k = rnd(g, key_size);
      if (drv.prog_update(0, k, v, 0, 0) != 0) throw ebpf::Error("bench: evicting insert failed");
      evict.add(drv.last().cycles);
    }
    ins = evict;
  }
  for (const auto& k : keys) {
    if (drv.prog_delete(0, k) != 0) throw ebpf::Error("bench: delete missed");
    del.add(drv.last().cycles);
  }
  row(name, key_size, n, hit, miss, ins, repl, del);
}

void array_row(uint32_t value_size, uint32_t n) {
  ebpf::TbMapPort port;
  ebpf::MapUnitDriver drv(port);
  const std::vector<MapSpec> specs = {spec(MapType::kArray, 4, value_size, n)};
  drv.configure(specs);
  Stat hit, miss, upd, none;
  const Bytes v(value_size, 3);
  for (uint32_t i = 0; i < n; ++i) {
    Bytes k(4);
    std::memcpy(k.data(), &i, 4);
    drv.prog_lookup(0, k, 0);
    hit.add(drv.last().cycles);
    drv.prog_update(0, k, v, 0, 0);
    upd.add(drv.last().cycles);
    const uint32_t out = n + i;
    std::memcpy(k.data(), &out, 4);
    drv.prog_lookup(0, k, 0);
    miss.add(drv.last().cycles);
  }
  std::string name = "ARRAY (value ";
  name += std::to_string(value_size);
  name += " B)";
  row(name, 4, n, hit, miss, upd, none, none);
}

void lpm_row(uint32_t key_size, uint32_t n) {
  ebpf::TbMapPort port;
  ebpf::MapUnitDriver drv(port);
  const std::vector<MapSpec> specs = {spec(MapType::kLpmTrie, key_size, 8, n)};
  drv.configure(specs);
  std::mt19937 g(key_size + n);
  const uint32_t maxlen = 8 * (key_size - 4);
  std::vector<Bytes> keys;
  const Bytes v(8, 2);
  Stat hit, miss, ins, repl, del;
  for (uint32_t i = 0; i < n; ++i) {
    Bytes k = rnd(g, key_size);
    const uint32_t len = 8 + static_cast<uint32_t>(g() % (maxlen - 7));
    std::memcpy(k.data(), &len, 4);
    k[4] = 10;  // all routes under 10/8, the lookups below too
    if (drv.prog_update(0, k, v, ebpf::kBpfNoexist, 0) != 0) continue;  // same prefix: skip
    ins.add(drv.last().cycles);
    keys.push_back(k);
  }
  for (const auto& k : keys) {
    drv.prog_update(0, k, v, 0, 0);
    repl.add(drv.last().cycles);
    Bytes a = rnd(g, key_size);
    std::memcpy(a.data(), &maxlen, 4);
    a[4] = 10;
    drv.prog_lookup(0, a, 0);
    hit.add(drv.last().cycles);
    a[4] = 11;
    drv.prog_lookup(0, a, 0);
    miss.add(drv.last().cycles);
  }
  for (const auto& k : keys) {
    if (drv.prog_delete(0, k) != 0) throw ebpf::Error("bench: LPM delete missed");
    del.add(drv.last().cycles);
  }
  row(key_size == 8 ? "LPM_TRIE IPv4" : "LPM_TRIE IPv6", key_size, n, hit, miss, ins, repl, del);
}

}  // namespace

int main() {
  try {
    std::printf("Cycles per command, mean (max), program semantics, descriptor cached.\n\n");
    std::printf("| map | key bytes | entries | lookup hit | lookup miss | update new | "
                "update existing | delete |\n|---|---|---|---|---|---|---|---|\n");
    for (uint32_t ks : {4u, 8u, 16u, 40u, 64u}) hash_row(MapType::kHash, "HASH", ks, 128);
    for (uint32_t ks : {4u, 8u, 16u, 40u, 64u}) {
      hash_row(MapType::kLruHash, "LRU_HASH (update new: evicting)", ks, 128);
    }
    for (uint32_t vs : {8u, 64u}) array_row(vs, 64);
    for (uint32_t n : {16u, 128u}) {
      lpm_row(8, n);
      lpm_row(20, n);
    }
    // Descriptor load: the first command after a command on another map.
    ebpf::TbMapPort port;
    ebpf::MapUnitDriver drv(port);
    const std::vector<MapSpec> specs = {spec(MapType::kArray, 4, 8, 4),
                                        spec(MapType::kArray, 4, 8, 4)};
    drv.configure(specs);
    const Bytes k(4, 0);
    drv.prog_lookup(0, k, 0);  // loads map 0's descriptor
    drv.prog_lookup(0, k, 0);
    const uint64_t cached = drv.last().cycles;
    drv.prog_lookup(1, k, 0);
    std::printf("\nARRAY lookup: %llu cycles with the descriptor cached, %llu after switching "
                "maps.\n",
                static_cast<unsigned long long>(cached),
                static_cast<unsigned long long>(drv.last().cycles));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "map_latency: %s\n", e.what());
    return 1;
  }
  return 0;
}
