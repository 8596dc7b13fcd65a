// The state of one map in the reference map unit (docs/maps.md), shared by the files of
// host/src/maps/. Each member corresponds to a memory or register of the RTL map unit.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "ebpf_fpga/maps.h"

namespace ebpf {

// The bpftool name of a type the map unit supports ("hash", "lpm_trie"...), nullptr for any
// other number. object.h's map_type_name lives in the ELF library, which the map code must
// not depend on.
const char* supported_map_type_name(MapType t);

struct MapStore::Map {
  MapSpec spec;
  uint32_t index = 0;      // position in the descriptor table
  uint32_t stride = 0;     // round_up(value_size, 8)
  uint32_t copies = 1;     // cores for PERCPU types, else 1
  uint32_t slots = 0;      // value slots (max_entries; 1 for global data)
  uint32_t limit = 0;      // bytes a program may address
  bool read_only = false;  // program stores fault
  std::vector<uint8_t> values;  // slots x copies x stride

  // DEVMAP / PROG_ARRAY: whether a slot holds something.
  std::vector<uint8_t> present;

  // Hash types and LPM: key memory, slot allocator, entry count.
  std::vector<uint8_t> keys;  // slots x key_size
  std::vector<uint32_t> free_stack;
  uint32_t high_water = 0;  // slots [high_water, slots) were never used
  uint32_t count = 0;

  // Hash types: bucket table, probe limit, seed register.
  struct Bucket {
    bool used = false;
    uint32_t hash = 0;
    uint32_t slot = 0;
  };
  std::vector<Bucket> buckets;
  uint32_t mask = 0;
  uint32_t probe = 0;
  uint32_t seed = 0;

  // LRU_HASH: per-slot use stamps and the use counter, and the same order as a list
  // (least recently used first) so that the whole-map victim is found in O(1).
  std::vector<uint64_t> stamps;
  uint64_t tick = 0;
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  std::vector<uint32_t> lru_prev, lru_next;
  uint32_t lru_head = kNoSlot, lru_tail = kNoSlot;

  // Hash types and LPM_TRIE: which slots hold an entry (iteration goes by slot).
  std::vector<uint8_t> live;

  // ---- helpers ----
  uint8_t* value(uint32_t slot, uint32_t cpu = 0) {
    return values.data() + (static_cast<size_t>(slot) * copies + cpu) * stride;
  }
  uint32_t value_offset(uint32_t slot, uint32_t cpu) const {
    return static_cast<uint32_t>((static_cast<uint64_t>(slot) * copies + cpu) * stride);
  }
  uint8_t* key(uint32_t slot) { return keys.data() + static_cast<size_t>(slot) * spec.key_size; }
  // Takes a slot from the free stack, or the next never-used one; zeroes its key and values.
  uint32_t alloc_slot();
  void free_slot(uint32_t slot) { free_stack.push_back(slot); }
};

// ---- hash family (map_hash.cpp) ----
bool is_hash_type(MapType t);
void hash_init(MapStore::Map& m);
uint32_t hash_of(const MapStore::Map& m, const uint8_t* key);
std::optional<uint32_t> hash_find(const MapStore::Map& m, const uint8_t* key);  // bucket
// Outcome of writing a key: the slot that now holds it, or an errno.
struct HashWrite {
  int err = 0;
  uint32_t slot = 0;
  bool created = false;  // a new element (its values are zero)
};
// Finds or creates the element for `key` per `flags` (already validated to be ANY, NOEXIST
// or EXIST). LRU maps evict instead of failing and mark the element as used.
HashWrite hash_write(MapStore::Map& m, const uint8_t* key, uint64_t flags);
int hash_delete(MapStore::Map& m, const uint8_t* key);
int hash_next_key(MapStore::Map& m, const uint8_t* key, uint8_t* next);  // key may be null
void lru_touch(MapStore::Map& m, uint32_t slot);

// ---- LPM trie (map_lpm.cpp) ----
std::optional<uint32_t> lpm_lookup(MapStore::Map& m, const uint8_t* key);  // slot
HashWrite lpm_write(MapStore::Map& m, const uint8_t* key, uint64_t flags);
int lpm_delete(MapStore::Map& m, const uint8_t* key);
int lpm_next_key(MapStore::Map& m, const uint8_t* key, uint8_t* next);  // key may be null

inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace ebpf
