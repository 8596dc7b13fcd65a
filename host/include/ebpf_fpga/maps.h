// Maps: the reference model of the hardware map unit (docs/maps.md), and the host's view of
// any engine's maps.
//
// MapStore is configured at load time from MapSpec descriptors and holds, per map, the
// memories the RTL map unit holds: a value memory of fixed slots that programs address as
// addr::map_value(i, offset), and for the hash and LPM types a key memory, a bucket table and
// a slot free list. Every algorithm here (the CRC32C hash, bounded linear probing, slot
// allocation, LRU replacement, LPM matching and iteration order) is specified in
// docs/maps.md; the RTL copies it, so value pointers and iteration orders agree bit for bit.
//
// Host access goes through MapAccess, which MapStore implements for the interpreter and the
// rtl engine implements over its CSR bus. Errors follow Linux: negative errnos.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ebpf_fpga/object.h"

namespace ebpf {

// Update flags (include/uapi/linux/bpf.h).
inline constexpr uint64_t kBpfAny = 0;
inline constexpr uint64_t kBpfNoexist = 1;
inline constexpr uint64_t kBpfExist = 2;
inline constexpr uint64_t kBpfFLock = 4;  // no map has a spin lock here: always -EINVAL

// Map creation flags this model reads (others are refused at configure time).
inline constexpr uint32_t kBpfFNoPrealloc = 1u << 0;
inline constexpr uint32_t kBpfFNoCommonLru = 1u << 1;
inline constexpr uint32_t kBpfFRdonly = 1u << 3;       // host side: accepted, not enforced
inline constexpr uint32_t kBpfFWronly = 1u << 4;       // host side: accepted, not enforced
inline constexpr uint32_t kBpfFZeroSeed = 1u << 6;     // hash seed register = 0
inline constexpr uint32_t kBpfFRdonlyProg = 1u << 7;   // stores from programs fault
inline constexpr uint32_t kBpfFMmapable = 1u << 10;

// Linux's kernel-internal ENOTSUPP, which the bpf() syscall returns for some map types.
inline constexpr int kEnotsupp = 524;

// Hash tables: buckets = kHashBucketsPerEntry * next_pow2(max_entries); a key lives at most
// kHashProbeLimit - 1 buckets after its home bucket (docs/maps.md).
inline constexpr uint32_t kHashBucketsPerEntry = 4;
inline constexpr uint32_t kHashProbeLimit = 32;
inline constexpr uint32_t kDefaultHashSeed = 0xFFFFFFFFu;

struct MapOptions {
  uint32_t cores = 1;                     // PERCPU maps keep one value per core
  uint32_t hash_seed = kDefaultHashSeed;  // seed register of every hash map (0: BPF_F_ZERO_SEED)
};

// round_up(value_size, 8): the distance between two values in a map's value memory.
constexpr uint32_t map_value_stride(uint32_t value_size) { return (value_size + 7u) & ~7u; }
bool map_is_percpu(MapType t);
// Bytes of one value as the host reads and writes it: value_size, or
// round_up(value_size, 8) x cores for PERCPU maps (contracts.md section 3).
uint32_t host_value_size(const MapSpec& spec, uint32_t cores);

// CRC32C (Castagnoli, reflected polynomial 0x82F63B78) of `bytes` zero-padded to a multiple
// of 8, starting from `seed`, without final inversion: the hash of the hash map types.
uint32_t map_hash(std::span<const uint8_t> key, uint32_t seed);

// Host access to the maps of an engine. Map indexes are positions in the MapSpec list given
// to Engine::configure_maps. Keys and values are raw bytes in memory order; a span of the
// wrong size or a bad map index throws ebpf::Error (a caller bug, named in the message).
// Results are 0 or a negative Linux errno, as the bpf() syscall gives them.
class MapAccess {
 public:
  virtual ~MapAccess() = default;
  virtual uint32_t map_count() const = 0;
  virtual const MapSpec& spec(uint32_t map) const = 0;
  virtual uint32_t cores() const = 0;

  // value: host_value_size() bytes.
  virtual int lookup(uint32_t map, std::span<const uint8_t> key, std::span<uint8_t> value) = 0;
  virtual int update(uint32_t map, std::span<const uint8_t> key, std::span<const uint8_t> value,
                     uint64_t flags) = 0;
  virtual int remove(uint32_t map, std::span<const uint8_t> key) = 0;  // BPF_MAP_DELETE_ELEM
  // key: nullopt asks for the first key. next_key: key_size bytes.
  virtual int get_next_key(uint32_t map, std::optional<std::span<const uint8_t>> key,
                           std::span<uint8_t> next_key) = 0;
};

uint32_t host_value_size(const MapAccess& maps, uint32_t map);

using MapEntry = std::pair<std::vector<uint8_t>, std::vector<uint8_t>>;  // key, value
// Every entry in get_next_key order (lookup of each key). Types without a host view
// (perf event array, ringbuf) give no entries; DEVMAP and PROG_ARRAY give the filled slots.
std::vector<MapEntry> dump_map(MapAccess& maps, uint32_t map);

// Writes MapSpec::prog_array_init: slot -> index of the named program in `programs` (the
// order given to Engine::load_programs). Throws ebpf::Error naming an unknown function.
void init_prog_arrays(MapAccess& maps, std::span<const MapSpec> specs,
                      std::span<const ProgramSpec> programs);

// The reference map unit. Program-side entry points (the helpers) take raw pointers that the
// engine has already translated and bounds-checked; they never touch memory outside the map.
class MapStore final : public MapAccess {
 public:
  MapStore();
  ~MapStore() override;
  MapStore(MapStore&&) noexcept;
  MapStore& operator=(MapStore&&) noexcept;

  // Validates every spec (throws ebpf::Error "map 'NAME': reason") and builds empty maps;
  // global data maps get MapSpec::initial_value.
  void configure(std::span<const MapSpec> specs, const MapOptions& opts = {});

  // MapAccess
  uint32_t map_count() const override;
  const MapSpec& spec(uint32_t map) const override;
  uint32_t cores() const override;
  int lookup(uint32_t map, std::span<const uint8_t> key, std::span<uint8_t> value) override;
  int update(uint32_t map, std::span<const uint8_t> key, std::span<const uint8_t> value,
             uint64_t flags) override;
  int remove(uint32_t map, std::span<const uint8_t> key) override;
  int get_next_key(uint32_t map, std::optional<std::span<const uint8_t>> key,
                   std::span<uint8_t> next_key) override;

  // ---- program side ----
  // What a program may address in region 0x1000 + map: [base, base + limit).
  struct Region {
    uint8_t* base = nullptr;
    uint32_t limit = 0;      // 0: no program access (PROG_ARRAY, perf, ringbuf)
    bool read_only = false;  // .rodata / BPF_F_RDONLY_PROG / DEVMAP: stores fault
  };
  Region region(uint32_t map);

  // bpf_map_lookup_elem from a program on `cpu`: the value's byte offset in the map's value
  // memory, or nullopt. `key` holds key_size bytes. LRU maps count it as a use.
  std::optional<uint32_t> prog_lookup(uint32_t map, const uint8_t* key, uint32_t cpu);
  // bpf_map_update_elem / bpf_map_delete_elem from a program: 0 or a negative errno. PERCPU
  // maps write value_size bytes of `cpu`'s copy only (a new element's other copies are 0).
  int prog_update(uint32_t map, const uint8_t* key, const uint8_t* value, uint64_t flags,
                  uint32_t cpu);
  int prog_delete(uint32_t map, const uint8_t* key);
  // DEVMAP/DEVMAP_HASH: the ifindex stored for `key`, if any.
  std::optional<uint32_t> devmap_ifindex(uint32_t map, uint32_t key);
  // PROG_ARRAY: the program index in slot `index`, if filled.
  std::optional<uint32_t> prog_array_get(uint32_t map, uint32_t index);

  // Internal state, for tests of the layout (docs/maps.md): the bucket index holding `key`.
  std::optional<uint32_t> bucket_of(uint32_t map, std::span<const uint8_t> key);
  uint32_t bucket_count(uint32_t map) const;
  uint32_t entry_count(uint32_t map) const;

  struct Map;  // defined in host/src/maps/

 private:
  Map& at(uint32_t map);
  const Map& at(uint32_t map) const;
  std::vector<std::unique_ptr<Map>> maps_;
  uint32_t cores_ = 1;
};

}  // namespace ebpf
