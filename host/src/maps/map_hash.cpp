// Hash maps (HASH, PERCPU_HASH, LRU_HASH, DEVMAP_HASH): CRC32C over the key, a power-of-two
// bucket table with bounded linear probing, backward-shift deletion, and LRU replacement by
// use stamps. docs/maps.md specifies each step; the RTL map unit follows it exactly.
#include <algorithm>
#include <array>
#include <cerrno>

#include "map_internal.h"

namespace ebpf {
namespace {

constexpr uint32_t kCrc32cPoly = 0x82F63B78u;  // reflected Castagnoli polynomial

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (kCrc32cPoly & (0u - (c & 1u)));
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = make_crc_table();

uint32_t crc_bytes(uint32_t crc, const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) crc = (crc >> 8) ^ kCrcTable[(crc ^ p[i]) & 0xffu];
  return crc;
}

uint32_t next_pow2(uint32_t v) {
  uint32_t p = 1;
  while (p < v) p <<= 1;
  return p;
}

bool keys_equal(MapStore::Map& m, uint32_t slot, const uint8_t* key) {
  return std::memcmp(m.key(slot), key, m.spec.key_size) == 0;
}

// Where a key is or would go: the bucket holding it, else the first empty bucket of its
// probe window, else neither (window full).
struct Probe {
  uint32_t hash = 0;
  std::optional<uint32_t> found;
  std::optional<uint32_t> empty;
};

Probe probe(MapStore::Map& m, const uint8_t* key) {
  Probe p;
  p.hash = hash_of(m, key);
  const uint32_t home = p.hash & m.mask;
  for (uint32_t d = 0; d < m.probe; ++d) {
    const uint32_t b = (home + d) & m.mask;
    const auto& bk = m.buckets[b];
    if (!bk.used) {
      p.empty = b;
      return p;
    }
    if (bk.hash == p.hash && keys_equal(m, bk.slot, key)) {
      p.found = b;
      return p;
    }
  }
  return p;
}

using Map = MapStore::Map;

void lru_unlink(Map& m, uint32_t slot) {
  if (m.lru_head != slot && m.lru_prev[slot] == Map::kNoSlot) return;  // not in the list
  const uint32_t p = m.lru_prev[slot], n = m.lru_next[slot];
  (p == Map::kNoSlot ? m.lru_head : m.lru_next[p]) = n;
  (n == Map::kNoSlot ? m.lru_tail : m.lru_prev[n]) = p;
  m.lru_prev[slot] = m.lru_next[slot] = Map::kNoSlot;
}

// Empties bucket `hole` and closes the gap: later elements of the cluster whose home lies
// at or before the hole move back, so that a lookup may stop at the first empty bucket.
// Only the next probe-1 buckets can hold such an element.
void erase_bucket(MapStore::Map& m, uint32_t hole) {
  if (m.spec.type == MapType::kLruHash) lru_unlink(m, m.buckets[hole].slot);
  m.live[m.buckets[hole].slot] = 0;
  m.free_slot(m.buckets[hole].slot);
  m.buckets[hole] = {};
  --m.count;
  uint32_t k = hole;
  for (;;) {
    k = (k + 1) & m.mask;
    if (((k - hole) & m.mask) >= m.probe) break;
    auto& bk = m.buckets[k];
    if (!bk.used) break;
    const uint32_t home = bk.hash & m.mask;
    if (((k - home) & m.mask) >= ((k - hole) & m.mask)) {
      m.buckets[hole] = bk;
      bk = {};
      hole = k;
    }
  }
}

// LRU victim over the whole map: the element with the smallest stamp (stamps are unique),
// which is the head of the use-ordered list.
uint32_t global_lru_bucket(MapStore::Map& m) { return *probe(m, m.key(m.lru_head)).found; }

}  // namespace

uint32_t map_hash(std::span<const uint8_t> key, uint32_t seed) {
  uint32_t crc = crc_bytes(seed, key.data(), key.size());
  static constexpr uint8_t kZeros[8] = {};
  return crc_bytes(crc, kZeros, (8 - key.size() % 8) % 8);
}

bool is_hash_type(MapType t) {
  return t == MapType::kHash || t == MapType::kPercpuHash || t == MapType::kLruHash ||
         t == MapType::kDevmapHash;
}

void hash_init(MapStore::Map& m) {
  const uint32_t nb = kHashBucketsPerEntry * next_pow2(m.spec.max_entries);
  m.buckets.assign(nb, {});
  m.mask = nb - 1;
  m.probe = std::min(kHashProbeLimit, nb);
  if (m.spec.type == MapType::kLruHash) {
    m.stamps.assign(m.slots, 0);
    m.lru_prev.assign(m.slots, Map::kNoSlot);
    m.lru_next.assign(m.slots, Map::kNoSlot);
  }
  m.live.assign(m.slots, 0);
}

uint32_t hash_of(const MapStore::Map& m, const uint8_t* key) {
  return map_hash({key, m.spec.key_size}, m.seed);
}

std::optional<uint32_t> hash_find(const MapStore::Map& m, const uint8_t* key) {
  return probe(const_cast<MapStore::Map&>(m), key).found;
}

void lru_touch(MapStore::Map& m, uint32_t slot) {
  if (m.spec.type != MapType::kLruHash) return;
  m.stamps[slot] = ++m.tick;
  lru_unlink(m, slot);
  m.lru_prev[slot] = m.lru_tail;
  (m.lru_tail == Map::kNoSlot ? m.lru_head : m.lru_next[m.lru_tail]) = slot;
  m.lru_tail = slot;
}

HashWrite hash_write(MapStore::Map& m, const uint8_t* key, uint64_t flags) {
  HashWrite w;
  Probe p = probe(m, key);
  if (p.found) {
    if (flags == kBpfNoexist) return {.err = -EEXIST};
    w.slot = m.buckets[*p.found].slot;
    lru_touch(m, w.slot);
    return w;
  }
  if (flags == kBpfExist) return {.err = -ENOENT};
  const bool lru = m.spec.type == MapType::kLruHash;
  if (!p.empty) {
    if (!lru) return {.err = -E2BIG};
    // Window full: the least recently used element of the window gives up its bucket and
    // slot to the new key.
    const uint32_t home = p.hash & m.mask;
    uint32_t victim = home;
    for (uint32_t d = 1; d < m.probe; ++d) {
      const uint32_t b = (home + d) & m.mask;
      if (m.stamps[m.buckets[b].slot] < m.stamps[m.buckets[victim].slot]) victim = b;
    }
    auto& bk = m.buckets[victim];
    bk.hash = p.hash;
    std::memcpy(m.key(bk.slot), key, m.spec.key_size);
    std::fill_n(m.value(bk.slot), static_cast<size_t>(m.copies) * m.stride, uint8_t{0});
    lru_touch(m, bk.slot);
    return {.slot = bk.slot, .created = true};
  }
  if (m.count == m.spec.max_entries) {
    if (!lru) return {.err = -E2BIG};
    erase_bucket(m, global_lru_bucket(m));
    p = probe(m, key);  // the window still has an empty bucket (docs/maps.md)
    if (!p.empty) return {.err = -E2BIG};  // unreachable; kept as a guard
  }
  const uint32_t slot = m.alloc_slot();
  std::memcpy(m.key(slot), key, m.spec.key_size);
  m.buckets[*p.empty] = {.used = true, .hash = p.hash, .slot = slot};
  m.live[slot] = 1;
  ++m.count;
  lru_touch(m, slot);
  return {.slot = slot, .created = true};
}

int hash_delete(MapStore::Map& m, const uint8_t* key) {
  const Probe p = probe(m, key);
  if (!p.found) return -ENOENT;
  erase_bucket(m, *p.found);
  return 0;
}

// Iteration follows the slots, which never move: deleting the current key after reading the
// next one (the usual clean-up loop) visits every key, and the order does not depend on the
// hash. A key that is not in the map restarts at the first slot, as Linux restarts at the
// first bucket.
int hash_next_key(MapStore::Map& m, const uint8_t* key, uint8_t* next) {
  uint32_t start = 0;
  if (key) {
    if (const auto b = probe(m, key).found) start = m.buckets[*b].slot + 1;
  }
  for (uint32_t s = start; s < m.high_water; ++s) {
    if (m.live[s]) {
      std::memcpy(next, m.key(s), m.spec.key_size);
      return 0;
    }
  }
  return -ENOENT;
}

}  // namespace ebpf
