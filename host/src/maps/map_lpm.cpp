// LPM_TRIE: entries {prefixlen, data} in fixed slots, longest-prefix match over the live
// entries, and Linux's iteration order (the post-order of the binary trie: more specific
// prefixes before the prefix that covers them, a 0 bit before a 1 bit). docs/maps.md.
//
// The model scans every live slot; the result (one slot) is unique, so any hardware search
// that finds the longest match returns the same slot and thus the same value pointer.
#include <cerrno>

#include "map_internal.h"

namespace ebpf {
namespace {

uint32_t max_prefixlen(const MapStore::Map& m) { return 8 * (m.spec.key_size - 4); }

// Bit i of the data, most significant bit of byte 0 first (Linux extract_bit).
bool bit(const uint8_t* data, uint32_t i) { return (data[i / 8] >> (7 - i % 8)) & 1u; }

// Number of leading bits, at most `limit`, in which the two data arrays agree.
uint32_t common_bits(const uint8_t* a, const uint8_t* b, uint32_t limit) {
  uint32_t n = 0;
  while (n < limit) {
    if (n % 8 == 0 && limit - n >= 8 && a[n / 8] == b[n / 8]) {
      n += 8;
      continue;
    }
    if (bit(a, n) != bit(b, n)) break;
    ++n;
  }
  return n;
}

// Whether entry key `a` comes before entry key `b` in iteration order.
bool before(const uint8_t* a, const uint8_t* b) {
  const uint32_t la = load_u32(a), lb = load_u32(b);
  const uint32_t shorter = la < lb ? la : lb;
  const uint32_t m = common_bits(a + 4, b + 4, shorter);
  if (m < shorter) return !bit(a + 4, m);  // first differing bit: 0 first
  return la > lb;                          // one covers the other: the longer one first
}

// The live slot whose entry has exactly this prefix, if any.
std::optional<uint32_t> find_exact(MapStore::Map& m, const uint8_t* key) {
  const uint32_t len = load_u32(key);
  for (uint32_t s = 0; s < m.high_water; ++s) {
    if (!m.live[s]) continue;
    const uint8_t* e = m.key(s);
    if (load_u32(e) == len && common_bits(e + 4, key + 4, len) == len) return s;
  }
  return std::nullopt;
}

}  // namespace

std::optional<uint32_t> lpm_lookup(MapStore::Map& m, const uint8_t* key) {
  const uint32_t len = load_u32(key);
  if (len > max_prefixlen(m)) return std::nullopt;
  std::optional<uint32_t> best;
  uint32_t best_len = 0;
  for (uint32_t s = 0; s < m.high_water; ++s) {
    if (!m.live[s]) continue;
    const uint8_t* e = m.key(s);
    const uint32_t elen = load_u32(e);
    if (elen > len || (best && elen <= best_len)) continue;
    if (common_bits(e + 4, key + 4, elen) == elen) {
      best = s;
      best_len = elen;
    }
  }
  return best;
}

HashWrite lpm_write(MapStore::Map& m, const uint8_t* key, uint64_t flags) {
  if (load_u32(key) > max_prefixlen(m)) return {.err = -EINVAL};
  if (const auto s = find_exact(m, key)) {
    if (flags == kBpfNoexist) return {.err = -EEXIST};
    std::memcpy(m.key(*s), key, m.spec.key_size);  // Linux keeps the newest key bytes
    return {.slot = *s};
  }
  if (flags == kBpfExist) return {.err = -ENOENT};
  if (m.count == m.spec.max_entries) return {.err = -ENOSPC};
  const uint32_t s = m.alloc_slot();
  std::memcpy(m.key(s), key, m.spec.key_size);
  m.live[s] = 1;
  ++m.count;
  return {.slot = s, .created = true};
}

int lpm_delete(MapStore::Map& m, const uint8_t* key) {
  if (load_u32(key) > max_prefixlen(m)) return -EINVAL;
  const auto s = find_exact(m, key);
  if (!s) return -ENOENT;
  m.live[*s] = 0;
  m.free_slot(*s);
  --m.count;
  return 0;
}

int lpm_next_key(MapStore::Map& m, const uint8_t* key, uint8_t* next) {
  std::optional<uint32_t> after;  // the entry to continue from; none: start at the first
  if (key && load_u32(key) <= max_prefixlen(m)) after = find_exact(m, key);
  std::optional<uint32_t> best;
  for (uint32_t s = 0; s < m.high_water; ++s) {
    if (!m.live[s]) continue;
    if (after && !before(m.key(*after), m.key(s))) continue;
    if (!best || before(m.key(s), m.key(*best))) best = s;
  }
  if (!best) return -ENOENT;
  std::memcpy(next, m.key(*best), m.spec.key_size);
  return 0;
}

}  // namespace ebpf
