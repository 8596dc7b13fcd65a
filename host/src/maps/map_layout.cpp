// Pool allocation and descriptor registers of the RTL map unit (map_layout.h). The numbers
// follow docs/maps.md "Descriptor table" exactly, so that value offsets equal MapStore's.
#include "ebpf_fpga/map_layout.h"

#include <algorithm>
#include <string>

#include "ebpf_fpga/error.h"
#include "map_internal.h"

namespace ebpf {
namespace {

bool is_hash(MapType t) {
  return t == MapType::kHash || t == MapType::kPercpuHash || t == MapType::kLruHash ||
         t == MapType::kDevmapHash;
}

uint64_t next_pow2(uint64_t v) {
  uint64_t p = 1;
  while (p < v) p <<= 1;
  return p;
}

std::string describe(const MapSpec& s) {
  const char* n = supported_map_type_name(s.type);
  return "map '" + s.name + "' (" +
         (n ? std::string(n) : "type " + std::to_string(static_cast<uint32_t>(s.type))) + ")";
}

}  // namespace

MapLayout layout_maps(std::span<const MapSpec> specs, const MapOptions& opts,
                      const MapUnitParams& p) {
  if (specs.size() > p.max_maps) {
    throw Error("map unit: " + std::to_string(specs.size()) + " maps, the unit holds MaxMaps = " +
                std::to_string(p.max_maps));
  }
  MapLayout out;
  uint64_t vw = 0, kw_used = 0, bk = 0, sl = 0;
  // Hardware limits first (cheap, no allocation), then MapStore's own validation.
  for (const MapSpec& s : specs) {
    auto fail = [&](const std::string& why) { throw Error(describe(s) + ": " + why); };
    if (!supported_map_type_name(s.type)) continue;  // MapStore::configure refuses it below
    const MapType t = s.type;
    if (t == MapType::kLpmTrie && s.key_size != 8 && s.key_size != 20) {
      fail("the RTL map unit supports LPM key_size 8 (IPv4) and 20 (IPv6) only, got " +
           std::to_string(s.key_size));
    }
    if (s.key_size > p.key_buf_bytes) {
      fail("key_size " + std::to_string(s.key_size) + " exceeds the key buffer (KeyBufBytes = " +
           std::to_string(p.key_buf_bytes) + ")");
    }
    const uint64_t host_bytes =
        map_is_percpu(t) ? uint64_t{map_value_stride(s.value_size)} * opts.cores : s.value_size;
    if (host_bytes > p.value_buf_bytes) {
      fail("a value of " + std::to_string(host_bytes) +
           " bytes exceeds the value buffer (ValueBufBytes = " +
           std::to_string(p.value_buf_bytes) + ")");
    }
    const bool memless = t == MapType::kRingbuf || t == MapType::kPerfEventArray;
    const uint64_t copies = map_is_percpu(t) ? opts.cores : 1;
    const uint64_t slots = memless ? 0 : s.max_entries;
    vw += slots * copies * (map_value_stride(s.value_size) / 8);
    if (is_hash(t) || t == MapType::kLpmTrie) kw_used += slots * ((s.key_size + 7) / 8);
    if (is_hash(t)) bk += kHashBucketsPerEntry * next_pow2(s.max_entries);
    if (is_hash(t) || t == MapType::kLpmTrie || t == MapType::kDevmap ||
        t == MapType::kProgArray) {
      sl += slots;
    }
    auto cap = [&](uint64_t used, uint32_t have, const char* what, const char* param) {
      if (used > have) {
        fail("needs " + std::to_string(used) + " " + what +
             " (with the maps before it), the map unit has " + param + " = " +
             std::to_string(have));
      }
    };
    cap(vw, p.value_words, "value memory words", "ValueWords");
    cap(kw_used, p.key_words, "key memory words", "KeyWords");
    cap(bk, p.buckets, "buckets", "Buckets");
    cap(sl, p.slots, "slots", "Slots");
  }
  {
    MapStore check;  // refuses exactly what the reference refuses, with its messages
    check.configure(specs, opts);
  }

  uint32_t vbase = 0, kbase = 0, bbase = 0, sbase = 0;
  for (const MapSpec& s : specs) {
    const MapType t = s.type;
    const bool memless = t == MapType::kRingbuf || t == MapType::kPerfEventArray;
    uint32_t max_entries = s.max_entries;
    if (t == MapType::kPerfEventArray && max_entries == 0) max_entries = opts.cores;
    const uint32_t stride = map_value_stride(s.value_size);
    const uint32_t copies = map_is_percpu(t) ? opts.cores : 1;
    const uint32_t slots = memless ? 0 : max_entries;
    const uint32_t slot_words = memless ? 0 : copies * (stride / 8);
    const uint64_t bytes = uint64_t{slots} * copies * stride;
    const bool program_access = t != MapType::kProgArray && !memless;
    const uint32_t limit =
        program_access && bytes ? static_cast<uint32_t>(bytes - (stride - s.value_size)) : 0;
    const bool read_only = (s.map_flags & kBpfFRdonlyProg) || s.origin == MapOrigin::kRodata ||
                           t == MapType::kDevmap || t == MapType::kDevmapHash;
    const uint32_t key_words = (s.key_size + 7) / 8;

    std::array<uint32_t, kMapDescWords> d{};
    d[map_desc::kCtrl] = static_cast<uint32_t>(t) | (read_only ? 1u << 8 : 0u) | (1u << 31);
    d[map_desc::kKey] = s.key_size | (key_words << 16);
    d[map_desc::kVsize] = s.value_size;
    d[map_desc::kMax] = max_entries;
    d[map_desc::kVbase] = vbase;
    d[map_desc::kLimit] = limit;
    d[map_desc::kStride] = (stride / 8) | (copies << 16);
    d[map_desc::kSlotw] = slot_words;
    d[map_desc::kSeed] = (s.map_flags & kBpfFZeroSeed) ? 0 : opts.hash_seed;
    vbase += slots * slot_words;
    if (is_hash(t) || t == MapType::kLpmTrie) {
      d[map_desc::kKbase] = kbase;
      kbase += slots * key_words;
    }
    if (is_hash(t)) {
      const uint32_t nb = kHashBucketsPerEntry * static_cast<uint32_t>(next_pow2(max_entries));
      d[map_desc::kBbase] = bbase;
      d[map_desc::kBmask] = nb - 1;
      d[map_desc::kProbe] = std::min(kHashProbeLimit, nb);
      bbase += nb;
    }
    if (is_hash(t) || t == MapType::kLpmTrie || t == MapType::kDevmap ||
        t == MapType::kProgArray) {
      d[map_desc::kSbase] = sbase;
      sbase += slots;
    }
    out.desc.push_back(d);
  }
  out.value_words = vbase;
  out.key_words = kbase;
  out.buckets = bbase;
  out.slots = sbase;
  return out;
}

}  // namespace ebpf
