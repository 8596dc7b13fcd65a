// Map layout: turns the MapSpec list of a program set into the descriptor registers of the
// RTL map unit (rtl/maps/ebpf_map_unit.sv), allocating its memory pools. Every bus-driven
// engine configures the unit with this one function. docs/xdp_datapath.md "Map descriptor
// table" gives the register layout; docs/maps.md "The RTL map unit" the behaviour.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/object.h"

namespace ebpf {

// Synthesis parameters of ebpf_map_unit (its defaults). Sizes of the pools in entries.
struct MapUnitParams {
  uint32_t max_maps = 32;           // MaxMaps
  uint32_t key_buf_bytes = 512;     // KeyBufBytes
  uint32_t value_buf_bytes = 1024;  // ValueBufBytes
  uint32_t key_words = 2048;        // KeyWords: key memory, 64-bit words
  uint32_t buckets = 8192;          // Buckets: bucket memory entries
  uint32_t slots = 2048;            // Slots: used bits, LRU links and stamps, free stacks
  uint32_t value_words = 16384;     // ValueWords: value memory (outside the unit), 64-bit words
};

// Descriptor register words of one map (register index = map * kMapDescWords + word).
inline constexpr uint32_t kMapDescWords = 16;
namespace map_desc {
inline constexpr uint32_t kCtrl = 0;    // [7:0] type, [8] read_only, [31] valid
inline constexpr uint32_t kKey = 1;     // [15:0] key_size, [31:16] key words
inline constexpr uint32_t kVsize = 2;   // value_size
inline constexpr uint32_t kMax = 3;     // max_entries (PERF_EVENT_ARRAY 0: cores)
inline constexpr uint32_t kVbase = 4;   // value memory base, 64-bit words
inline constexpr uint32_t kLimit = 5;   // bytes a program may address
inline constexpr uint32_t kStride = 6;  // [15:0] stride words, [31:16] copies
inline constexpr uint32_t kSlotw = 7;   // words of one slot: copies x stride words (0: none)
inline constexpr uint32_t kKbase = 8;   // key memory base, 64-bit words
inline constexpr uint32_t kBbase = 9;   // bucket memory base
inline constexpr uint32_t kBmask = 10;  // buckets - 1
inline constexpr uint32_t kProbe = 11;  // probe window
inline constexpr uint32_t kSeed = 12;   // CRC32C seed
inline constexpr uint32_t kSbase = 13;  // slot memory base
}  // namespace map_desc

// Command op codes (ebpf_map_pkg::map_op_e).
enum class MapOp : uint8_t { kLookup = 0, kUpdate = 1, kDelete = 2, kNextKey = 3, kInit = 4 };

struct MapLayout {
  std::vector<std::array<uint32_t, kMapDescWords>> desc;  // one per map, in spec order
  // Pool use, in entries of each pool.
  uint32_t value_words = 0, key_words = 0, buckets = 0, slots = 0;
};

// Validates the specs as MapStore::configure does (same messages) and against the unit's
// capacity: throws ebpf::Error "map 'NAME' (TYPE): reason" naming the exceeded parameter.
// LPM_TRIE keys must be 8 (IPv4) or 20 (IPv6) bytes on the RTL unit.
MapLayout layout_maps(std::span<const MapSpec> specs, const MapOptions& opts,
                      const MapUnitParams& params = {});

}  // namespace ebpf
