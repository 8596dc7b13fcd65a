// MapStore: descriptor validation, the array types, and the dispatch of host and program
// operations to the per-type code (map_hash.cpp, map_lpm.cpp). Errno order follows the Linux
// functions named in the comments; docs/maps.md has the per-type table.
#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/error.h"
#include "map_internal.h"

namespace ebpf {

const char* supported_map_type_name(MapType t) {
  switch (t) {
    case MapType::kHash: return "hash";
    case MapType::kArray: return "array";
    case MapType::kProgArray: return "prog_array";
    case MapType::kPerfEventArray: return "perf_event_array";
    case MapType::kPercpuHash: return "percpu_hash";
    case MapType::kPercpuArray: return "percpu_array";
    case MapType::kLruHash: return "lru_hash";
    case MapType::kLpmTrie: return "lpm_trie";
    case MapType::kDevmap: return "devmap";
    case MapType::kDevmapHash: return "devmap_hash";
    case MapType::kRingbuf: return "ringbuf";
  }
  return nullptr;
}

namespace {

constexpr uint32_t kBpfFNumaNode = 1u << 2;
constexpr uint32_t kBpfFWronlyProg = 1u << 8;
constexpr uint32_t kLpmDataMax = 256;       // LPM_DATA_SIZE_MAX
constexpr uint32_t kMaxHashKey = 512;       // MAX_BPF_STACK: keys live on the stack
constexpr uint32_t kRingbufPage = 4096;

bool is_array_type(MapType t) {
  return t == MapType::kArray || t == MapType::kPercpuArray;
}

std::string describe(const MapSpec& s) {
  const char* n = supported_map_type_name(s.type);
  return "map '" + s.name + "' (" +
         (n ? std::string(n) : "type " + std::to_string(static_cast<uint32_t>(s.type))) + ")";
}

// Linux's update-flag check shared by most types: unknown bits or BPF_F_LOCK are -EINVAL.
bool flags_invalid(uint64_t flags) { return (flags & ~kBpfFLock) > kBpfExist; }

}  // namespace

bool map_is_percpu(MapType t) { return t == MapType::kPercpuArray || t == MapType::kPercpuHash; }

uint32_t host_value_size(const MapSpec& spec, uint32_t cores) {
  if (map_is_percpu(spec.type)) return map_value_stride(spec.value_size) * cores;
  return spec.value_size;
}

uint32_t host_value_size(const MapAccess& maps, uint32_t map) {
  return host_value_size(maps.spec(map), maps.cores());
}

uint32_t MapStore::Map::alloc_slot() {
  uint32_t s;
  if (!free_stack.empty()) {
    s = free_stack.back();
    free_stack.pop_back();
  } else {
    s = high_water++;
  }
  std::fill_n(key(s), spec.key_size, uint8_t{0});
  std::fill_n(value(s), static_cast<size_t>(copies) * stride, uint8_t{0});
  return s;
}

MapStore::MapStore() = default;
MapStore::~MapStore() = default;
MapStore::MapStore(MapStore&&) noexcept = default;
MapStore& MapStore::operator=(MapStore&&) noexcept = default;

void MapStore::configure(std::span<const MapSpec> specs, const MapOptions& opts) {
  if (opts.cores == 0) throw Error("map unit: the number of cores must be at least 1");
  if (specs.size() > addr::kMaxMaps) {
    throw Error("map unit: " + std::to_string(specs.size()) + " maps, more than the limit of " +
                std::to_string(addr::kMaxMaps));
  }
  std::vector<std::unique_ptr<Map>> maps;
  for (size_t i = 0; i < specs.size(); ++i) {
    const MapSpec& s = specs[i];
    auto fail = [&](const std::string& why) { throw Error(describe(s) + ": " + why); };
    auto need = [&](bool ok, const std::string& why) {
      if (!ok) fail(why);
    };
    auto allow_flags = [&](uint32_t allowed) {
      if (s.map_flags & ~allowed) {
        fail("map_flags 0x" + [](uint32_t v) {
          char b[16];
          std::snprintf(b, sizeof b, "%x", v);
          return std::string(b);
        }(s.map_flags & ~allowed) + " are not supported for this type");
      }
    };
    if (!supported_map_type_name(s.type)) fail("the map unit does not support this type");

    auto m = std::make_unique<Map>();
    m->spec = s;
    m->index = static_cast<uint32_t>(i);
    constexpr uint32_t kCommon = kBpfFRdonly | kBpfFWronly | kBpfFNumaNode;
    const MapType t = s.type;
    uint32_t max_entries = s.max_entries;
    switch (t) {
      case MapType::kArray:
      case MapType::kPercpuArray:
        need(s.key_size == 4, "key_size must be 4, got " + std::to_string(s.key_size));
        need(s.value_size > 0, "value_size is 0");
        allow_flags(kCommon | kBpfFRdonlyProg | kBpfFWronlyProg |
                    (t == MapType::kArray ? kBpfFMmapable : 0u));
        break;
      case MapType::kHash:
      case MapType::kPercpuHash:
      case MapType::kLruHash:
        need(s.key_size > 0 && s.key_size <= kMaxHashKey,
             "key_size must be 1.." + std::to_string(kMaxHashKey) + ", got " +
                 std::to_string(s.key_size));
        need(s.value_size > 0, "value_size is 0");
        allow_flags(kCommon | kBpfFRdonlyProg | kBpfFWronlyProg | kBpfFZeroSeed |
                    (t == MapType::kLruHash ? kBpfFNoCommonLru : kBpfFNoPrealloc));
        break;
      case MapType::kLpmTrie:
        need(s.key_size > 4 && s.key_size <= 4 + kLpmDataMax,
             "key_size must be 5..260 (u32 prefixlen + 1..256 data bytes), got " +
                 std::to_string(s.key_size));
        need(s.value_size > 0, "value_size is 0");
        // Linux requires BPF_F_NO_PREALLOC here; the map unit has fixed slots either way.
        allow_flags(kCommon | kBpfFRdonlyProg | kBpfFWronlyProg | kBpfFNoPrealloc);
        break;
      case MapType::kDevmap:
      case MapType::kDevmapHash:
        need(s.key_size == 4, "key_size must be 4, got " + std::to_string(s.key_size));
        need(s.value_size == 4 || s.value_size == 8,
             "value_size must be 4 (ifindex) or 8 (struct bpf_devmap_val), got " +
                 std::to_string(s.value_size));
        allow_flags(kCommon);
        break;
      case MapType::kProgArray:
      case MapType::kPerfEventArray:
        need(s.key_size == 4 && s.value_size == 4, "key_size and value_size must be 4");
        allow_flags(kCommon);
        if (t == MapType::kPerfEventArray && max_entries == 0) max_entries = opts.cores;
        break;
      case MapType::kRingbuf:
        need(s.key_size == 0 && s.value_size == 0, "a ringbuf has no key or value");
        need(max_entries >= kRingbufPage && (max_entries & (max_entries - 1)) == 0,
             "max_entries must be a power of 2 and a multiple of 4096, got " +
                 std::to_string(max_entries));
        allow_flags(kBpfFNumaNode);
        break;
    }
    need(max_entries > 0, "max_entries is 0");
    if (s.origin != MapOrigin::kBtf) {
      need(t == MapType::kArray && max_entries == 1 && s.key_size == 4,
           "global data must be a one-entry array");
      need(s.initial_value.empty() || s.initial_value.size() == s.value_size,
           "initial value has " + std::to_string(s.initial_value.size()) +
               " bytes, value_size is " + std::to_string(s.value_size));
    }
    m->spec.max_entries = max_entries;

    m->stride = map_value_stride(s.value_size);
    m->copies = map_is_percpu(t) ? opts.cores : 1;
    m->slots = t == MapType::kRingbuf || t == MapType::kPerfEventArray ? 0 : max_entries;
    const uint64_t bytes = static_cast<uint64_t>(m->slots) * m->copies * m->stride;
    need(bytes <= UINT32_MAX, "value memory of " + std::to_string(bytes) +
                                  " bytes exceeds the 4 GiB window of a map region");
    m->values.assign(bytes, 0);
    const bool program_access = t != MapType::kProgArray && t != MapType::kPerfEventArray &&
                                t != MapType::kRingbuf;
    m->limit = program_access && bytes ? static_cast<uint32_t>(bytes - (m->stride - s.value_size))
                                       : 0;
    m->read_only = (s.map_flags & kBpfFRdonlyProg) || s.origin == MapOrigin::kRodata ||
                   t == MapType::kDevmap || t == MapType::kDevmapHash;
    if (t == MapType::kDevmap || t == MapType::kProgArray) m->present.assign(m->slots, 0);
    if (is_hash_type(t) || t == MapType::kLpmTrie) {
      m->keys.assign(static_cast<size_t>(m->slots) * s.key_size, 0);
      m->seed = (s.map_flags & kBpfFZeroSeed) ? 0 : opts.hash_seed;
    }
    if (is_hash_type(t)) hash_init(*m);
    if (t == MapType::kLpmTrie) m->live.assign(m->slots, 0);
    if (!s.initial_value.empty()) {
      std::copy(s.initial_value.begin(), s.initial_value.end(), m->values.begin());
    }
    maps.push_back(std::move(m));
  }
  maps_ = std::move(maps);
  cores_ = opts.cores;
}

uint32_t MapStore::map_count() const { return static_cast<uint32_t>(maps_.size()); }
uint32_t MapStore::cores() const { return cores_; }
const MapSpec& MapStore::spec(uint32_t map) const { return at(map).spec; }

MapStore::Map& MapStore::at(uint32_t map) {
  return const_cast<Map&>(static_cast<const MapStore*>(this)->at(map));
}
const MapStore::Map& MapStore::at(uint32_t map) const {
  if (map >= maps_.size()) {
    throw Error("map index " + std::to_string(map) + " is out of range (" +
                std::to_string(maps_.size()) + " maps configured)");
  }
  return *maps_[map];
}

namespace {

void check_size(const MapStore::Map& m, const char* what, size_t got, size_t want) {
  if (got != want) {
    throw Error(describe(m.spec) + ": " + what + " is " + std::to_string(got) +
                " bytes, the map needs " + std::to_string(want));
  }
}

bool no_host_view(MapType t) { return t == MapType::kRingbuf; }

// Writes a DEVMAP value (struct bpf_devmap_val: ifindex, then a program fd in, a program
// id out). Devmap programs are not supported, so a program fd > 0 is refused.
int devmap_value_check(const MapStore::Map& m, const uint8_t* v) {
  if (m.spec.value_size == 8 && static_cast<int32_t>(load_u32(v + 4)) > 0) {
    return load_u32(v) == 0 ? -EINVAL : -EOPNOTSUPP;
  }
  return 0;
}
void devmap_store(MapStore::Map& m, uint32_t slot, const uint8_t* v) {
  uint8_t* dst = m.value(slot);
  std::memmove(dst, v, 4);
  if (m.spec.value_size == 8) std::memset(dst + 4, 0, 4);  // prog id: none
}

int array_next_key(const MapStore::Map& m, const uint8_t* key, uint8_t* next) {
  const uint32_t index = key ? load_u32(key) : UINT32_MAX;
  uint32_t n;
  if (index >= m.spec.max_entries) {
    n = 0;
  } else if (index == m.spec.max_entries - 1) {
    return -ENOENT;
  } else {
    n = index + 1;
  }
  std::memcpy(next, &n, 4);
  return 0;
}

}  // namespace

int MapStore::lookup(uint32_t map, std::span<const uint8_t> key, std::span<uint8_t> value) {
  Map& m = at(map);
  check_size(m, "key", key.size(), m.spec.key_size);
  check_size(m, "value", value.size(), host_value_size(m.spec, cores_));
  const MapType t = m.spec.type;
  if (t == MapType::kRingbuf || t == MapType::kPerfEventArray) return -kEnotsupp;
  std::optional<uint32_t> slot;
  if (is_array_type(t) || t == MapType::kDevmap || t == MapType::kProgArray) {
    const uint32_t i = load_u32(key.data());
    if (i < m.spec.max_entries && (m.present.empty() || m.present[i])) slot = i;
  } else if (is_hash_type(t)) {
    if (const auto b = hash_find(m, key.data())) slot = m.buckets[*b].slot;  // no LRU use
  } else if (t == MapType::kLpmTrie) {
    slot = lpm_lookup(m, key.data());
  }
  if (!slot) return -ENOENT;
  if (map_is_percpu(t)) {
    std::memcpy(value.data(), m.value(*slot), value.size());
  } else {
    std::memcpy(value.data(), m.value(*slot), m.spec.value_size);
  }
  return 0;
}

int MapStore::update(uint32_t map, std::span<const uint8_t> key, std::span<const uint8_t> value,
                     uint64_t flags) {
  Map& m = at(map);
  check_size(m, "key", key.size(), m.spec.key_size);
  check_size(m, "value", value.size(), host_value_size(m.spec, cores_));
  const MapType t = m.spec.type;
  if (no_host_view(t) || t == MapType::kPerfEventArray) return -kEnotsupp;
  // The bpf() syscall refuses BPF_F_LOCK first: no value here has a bpf_spin_lock.
  if (flags & kBpfFLock) return -EINVAL;
  if (map_is_percpu(t)) {
    // All copies at once, round_up(value_size, 8) bytes each (Linux bpf_percpu_*_update).
    if (flags > kBpfExist) return -EINVAL;
    std::optional<uint32_t> slot;
    if (t == MapType::kPercpuArray) {
      const uint32_t i = load_u32(key.data());
      if (i >= m.spec.max_entries) return -E2BIG;
      if (flags == kBpfNoexist) return -EEXIST;
      slot = i;
    } else {
      const HashWrite w = hash_write(m, key.data(), flags);
      if (w.err) return w.err;
      slot = w.slot;
    }
    std::memcpy(m.value(*slot), value.data(), value.size());
    return 0;
  }
  return prog_update(map, key.data(), value.data(), flags, 0);
}

int MapStore::remove(uint32_t map, std::span<const uint8_t> key) {
  Map& m = at(map);
  check_size(m, "key", key.size(), m.spec.key_size);
  const MapType t = m.spec.type;
  if (no_host_view(t)) return -kEnotsupp;
  if (t == MapType::kPerfEventArray || t == MapType::kProgArray) {
    // fd_array_map_delete_elem
    const uint32_t i = load_u32(key.data());
    if (i >= m.spec.max_entries) return -E2BIG;
    if (t == MapType::kPerfEventArray) return -ENOENT;  // nothing is ever stored
    if (!m.present[i]) return -ENOENT;
    m.present[i] = 0;
    std::memset(m.value(i), 0, m.stride);
    return 0;
  }
  return prog_delete(map, key.data());
}

int MapStore::get_next_key(uint32_t map, std::optional<std::span<const uint8_t>> key,
                           std::span<uint8_t> next_key) {
  Map& m = at(map);
  if (key) check_size(m, "key", key->size(), m.spec.key_size);
  check_size(m, "next key", next_key.size(), m.spec.key_size);
  const uint8_t* k = key ? key->data() : nullptr;
  const MapType t = m.spec.type;
  if (no_host_view(t)) return -kEnotsupp;
  if (is_hash_type(t)) return hash_next_key(m, k, next_key.data());
  if (t == MapType::kLpmTrie) return lpm_next_key(m, k, next_key.data());
  return array_next_key(m, k, next_key.data());
}

// ---- program side ----

MapStore::Region MapStore::region(uint32_t map) {
  Map& m = at(map);
  return {m.values.data(), m.limit, m.read_only};
}

std::optional<uint32_t> MapStore::prog_lookup(uint32_t map, const uint8_t* key, uint32_t cpu) {
  Map& m = at(map);
  const MapType t = m.spec.type;
  std::optional<uint32_t> slot;
  if (is_array_type(t) || t == MapType::kDevmap) {
    const uint32_t i = load_u32(key);
    if (i < m.spec.max_entries && (m.present.empty() || m.present[i])) slot = i;
  } else if (is_hash_type(t)) {
    if (const auto b = hash_find(m, key)) {
      slot = m.buckets[*b].slot;
      lru_touch(m, *slot);
    }
  } else if (t == MapType::kLpmTrie) {
    slot = lpm_lookup(m, key);
  }
  if (!slot) return std::nullopt;
  return m.value_offset(*slot, m.copies > 1 ? cpu : 0);
}

int MapStore::prog_update(uint32_t map, const uint8_t* key_in, const uint8_t* value,
                          uint64_t flags, uint32_t cpu) {
  Map& m = at(map);
  const MapType t = m.spec.type;
  const uint32_t copy_cpu = m.copies > 1 ? cpu : 0;
  // The key may alias the map's own memory, which the update can change.
  std::vector<uint8_t> key(key_in, key_in + m.spec.key_size);
  switch (t) {
    case MapType::kArray:
    case MapType::kPercpuArray: {  // array_map_update_elem
      if (flags_invalid(flags)) return -EINVAL;
      const uint32_t i = load_u32(key.data());
      if (i >= m.spec.max_entries) return -E2BIG;
      if (flags & kBpfNoexist) return -EEXIST;
      if (flags & kBpfFLock) return -EINVAL;
      std::memmove(m.value(i, copy_cpu), value, m.spec.value_size);
      return 0;
    }
    case MapType::kHash:
    case MapType::kPercpuHash:
    case MapType::kLruHash: {  // htab_map_update_elem and friends
      if (flags_invalid(flags) || (flags & kBpfFLock)) return -EINVAL;
      std::vector<uint8_t> v(value, value + m.spec.value_size);
      const HashWrite w = hash_write(m, key.data(), flags);
      if (w.err) return w.err;
      std::memcpy(m.value(w.slot, copy_cpu), v.data(), v.size());
      return 0;
    }
    case MapType::kLpmTrie: {  // trie_update_elem
      if (flags > kBpfExist) return -EINVAL;
      std::vector<uint8_t> v(value, value + m.spec.value_size);
      const HashWrite w = lpm_write(m, key.data(), flags);
      if (w.err) return w.err;
      std::memcpy(m.value(w.slot), v.data(), v.size());
      return 0;
    }
    case MapType::kDevmap: {  // __dev_map_update_elem
      if (flags > kBpfExist) return -EINVAL;
      const uint32_t i = load_u32(key.data());
      if (i >= m.spec.max_entries) return -E2BIG;
      if (flags == kBpfNoexist) return -EEXIST;
      if (const int e = devmap_value_check(m, value)) return e;
      if (load_u32(value) == 0) {  // ifindex 0 empties the slot
        m.present[i] = 0;
        std::memset(m.value(i), 0, m.stride);
      } else {
        devmap_store(m, i, value);
        m.present[i] = 1;
      }
      return 0;
    }
    case MapType::kDevmapHash: {  // __dev_map_hash_update_elem: BPF_EXIST is not checked
      if (flags > kBpfExist || load_u32(value) == 0) return -EINVAL;  // no device 0
      const auto b = hash_find(m, key.data());
      if (b && (flags & kBpfNoexist)) return -EEXIST;
      if (const int e = devmap_value_check(m, value)) return e;
      std::vector<uint8_t> v(value, value + m.spec.value_size);
      const HashWrite w = hash_write(m, key.data(), kBpfAny);
      if (w.err) return w.err;
      devmap_store(m, w.slot, v.data());
      return 0;
    }
    case MapType::kProgArray: {  // bpf_fd_array_map_update_elem
      if (flags != kBpfAny) return -EINVAL;
      const uint32_t i = load_u32(key.data());
      if (i >= m.spec.max_entries) return -E2BIG;
      std::memcpy(m.value(i), value, 4);
      m.present[i] = 1;
      return 0;
    }
    case MapType::kPerfEventArray:
    case MapType::kRingbuf:
      return -kEnotsupp;
  }
  return -EINVAL;
}

int MapStore::prog_delete(uint32_t map, const uint8_t* key_in) {
  Map& m = at(map);
  std::vector<uint8_t> key(key_in, key_in + m.spec.key_size);
  switch (m.spec.type) {
    case MapType::kArray:
    case MapType::kPercpuArray:
      return -EINVAL;  // array_map_delete_elem
    case MapType::kHash:
    case MapType::kPercpuHash:
    case MapType::kLruHash:
    case MapType::kDevmapHash:
      return hash_delete(m, key.data());
    case MapType::kLpmTrie:
      return lpm_delete(m, key.data());
    case MapType::kDevmap: {  // dev_map_delete_elem: an empty slot is not an error
      const uint32_t i = load_u32(key.data());
      if (i >= m.spec.max_entries) return -EINVAL;
      m.present[i] = 0;
      std::memset(m.value(i), 0, m.stride);
      return 0;
    }
    case MapType::kProgArray:
    case MapType::kPerfEventArray:
    case MapType::kRingbuf:
      return -kEnotsupp;
  }
  return -EINVAL;
}

std::optional<uint32_t> MapStore::devmap_ifindex(uint32_t map, uint32_t key) {
  Map& m = at(map);
  if (m.spec.type == MapType::kDevmap) {
    if (key >= m.spec.max_entries || !m.present[key]) return std::nullopt;
    return load_u32(m.value(key));
  }
  if (m.spec.type == MapType::kDevmapHash) {
    uint8_t k[4];
    std::memcpy(k, &key, 4);
    const auto b = hash_find(m, k);
    if (!b) return std::nullopt;
    return load_u32(m.value(m.buckets[*b].slot));
  }
  return std::nullopt;
}

std::optional<uint32_t> MapStore::prog_array_get(uint32_t map, uint32_t index) {
  Map& m = at(map);
  if (m.spec.type != MapType::kProgArray || index >= m.spec.max_entries || !m.present[index]) {
    return std::nullopt;
  }
  return load_u32(m.value(index));
}

std::optional<uint32_t> MapStore::bucket_of(uint32_t map, std::span<const uint8_t> key) {
  Map& m = at(map);
  check_size(m, "key", key.size(), m.spec.key_size);
  if (!is_hash_type(m.spec.type)) return std::nullopt;
  return hash_find(m, key.data());
}

uint32_t MapStore::bucket_count(uint32_t map) const {
  return static_cast<uint32_t>(at(map).buckets.size());
}

uint32_t MapStore::entry_count(uint32_t map) const {
  const Map& m = at(map);
  if (is_hash_type(m.spec.type) || m.spec.type == MapType::kLpmTrie) return m.count;
  if (!m.present.empty()) {
    return static_cast<uint32_t>(std::count(m.present.begin(), m.present.end(), uint8_t{1}));
  }
  return m.slots;
}

// ---- free functions ----

std::vector<MapEntry> dump_map(MapAccess& maps, uint32_t map) {
  const MapSpec& s = maps.spec(map);
  std::vector<MapEntry> out;
  if (s.type == MapType::kRingbuf || s.type == MapType::kPerfEventArray) return out;
  std::vector<uint8_t> key(s.key_size), next(s.key_size), value(host_value_size(maps, map));
  bool first = true;
  // A consistent map ends after at most max_entries keys (DEVMAP/PROG_ARRAY visit empty
  // slots too); the bound only guards against a broken engine.
  for (uint64_t guard = 0; guard <= static_cast<uint64_t>(s.max_entries) + 1; ++guard) {
    const int e = first ? maps.get_next_key(map, std::nullopt, next)
                        : maps.get_next_key(map, std::span<const uint8_t>(key), next);
    if (e == -ENOENT) return out;
    if (e != 0) {
      throw Error("map '" + s.name + "': get_next_key failed with errno " + std::to_string(-e));
    }
    first = false;
    key = next;
    if (maps.lookup(map, key, value) == 0) out.emplace_back(key, value);
  }
  throw Error("map '" + s.name + "': get_next_key does not end");
}

void init_prog_arrays(MapAccess& maps, std::span<const MapSpec> specs,
                      std::span<const ProgramSpec> programs) {
  for (uint32_t i = 0; i < specs.size(); ++i) {
    for (const auto& [slot, name] : specs[i].prog_array_init) {
      auto it = std::find_if(programs.begin(), programs.end(),
                             [&](const ProgramSpec& p) { return p.name == name; });
      if (it == programs.end()) {
        throw Error("map '" + specs[i].name + "': slot " + std::to_string(slot) +
                    " names program '" + name + "', which is not loaded");
      }
      const auto index = static_cast<uint32_t>(it - programs.begin());
      uint8_t k[4], v[4];
      std::memcpy(k, &slot, 4);
      std::memcpy(v, &index, 4);
      if (const int e = maps.update(i, k, v, kBpfAny); e != 0) {
        throw Error("map '" + specs[i].name + "': slot " + std::to_string(slot) +
                    ": update failed with errno " + std::to_string(-e));
      }
    }
  }
}

}  // namespace ebpf
