// layout_maps: descriptor values match the MapStore layout, and refusals name the map and
// the reason (LPM key sizes, buffers, pool capacity, whatever MapStore::configure refuses).
#include <gtest/gtest.h>

#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_layout.h"

namespace ebpf {
namespace {

MapSpec spec(const char* name, MapType t, uint32_t k, uint32_t v, uint32_t n, uint32_t flags = 0) {
  MapSpec s;
  s.name = name;
  s.type = t;
  s.key_size = k;
  s.value_size = v;
  s.max_entries = n;
  s.map_flags = flags;
  return s;
}

std::string refusal(std::vector<MapSpec> specs, MapOptions o = {}, MapUnitParams p = {}) {
  try {
    layout_maps(specs, o, p);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(MapLayout, DescriptorsFollowTheMapStoreLayout) {
  MapOptions o;
  o.cores = 2;
  const std::vector<MapSpec> specs = {
      spec("a", MapType::kArray, 4, 12, 3), spec("h", MapType::kPercpuHash, 13, 8, 5),
      spec("l", MapType::kLpmTrie, 20, 4, 7, kBpfFNoPrealloc),
      spec("p", MapType::kPerfEventArray, 4, 4, 0), spec("z", MapType::kHash, 4, 4, 2, kBpfFZeroSeed)};
  const MapLayout l = layout_maps(specs, o);
  ASSERT_EQ(l.desc.size(), 5u);
  MapStore ref;
  ref.configure(specs, o);
  uint32_t vbase = 0;
  for (uint32_t i = 0; i < specs.size(); ++i) {
    const auto& d = l.desc[i];
    EXPECT_EQ(d[map_desc::kCtrl] & 0xff, static_cast<uint32_t>(specs[i].type));
    EXPECT_TRUE(d[map_desc::kCtrl] >> 31);
    EXPECT_EQ(d[map_desc::kLimit], ref.region(i).limit) << i;
    EXPECT_EQ(d[map_desc::kVbase], vbase);
    vbase += d[map_desc::kMax] * d[map_desc::kSlotw];
    if (specs[i].type == MapType::kPercpuHash || specs[i].type == MapType::kHash) {
      EXPECT_EQ(d[map_desc::kBmask] + 1, ref.bucket_count(i));
    }
  }
  EXPECT_EQ(l.desc[1][map_desc::kStride], 1u | (2u << 16));
  EXPECT_EQ(l.desc[1][map_desc::kSlotw], 2u);
  EXPECT_EQ(l.desc[1][map_desc::kSeed], kDefaultHashSeed);
  EXPECT_EQ(l.desc[4][map_desc::kSeed], 0u);
  EXPECT_EQ(l.desc[3][map_desc::kMax], 2u);  // perf event array: max_entries 0 -> cores
  EXPECT_EQ(l.desc[3][map_desc::kSlotw], 0u);
  EXPECT_EQ(l.value_words, vbase);
}

TEST(MapLayout, RefusesWhatTheHardwareCannotHold) {
  EXPECT_EQ(refusal({spec("r", MapType::kLpmTrie, 12, 4, 4, kBpfFNoPrealloc)}),
            "map 'r' (lpm_trie): the RTL map unit supports LPM key_size 8 (IPv4) and 20 (IPv6) "
            "only, got 12");
  MapUnitParams small;
  small.key_words = 10;
  EXPECT_NE(refusal({spec("h", MapType::kHash, 16, 4, 8)}, {}, small)
                .find("map 'h' (hash): needs 16 key memory words"),
            std::string::npos);
  MapUnitParams few_buckets;
  few_buckets.buckets = 16;
  EXPECT_NE(refusal({spec("h", MapType::kHash, 4, 4, 8)}, {}, few_buckets)
                .find("needs 32 buckets (with the maps before it), the map unit has Buckets = 16"),
            std::string::npos);
  EXPECT_NE(refusal({spec("a", MapType::kArray, 4, 8, 20000)}).find("ValueWords = 16384"),
            std::string::npos);
  EXPECT_NE(refusal({spec("v", MapType::kArray, 4, 2000, 1)}).find("ValueBufBytes = 1024"),
            std::string::npos);
  MapOptions o;
  o.cores = 4;
  EXPECT_NE(refusal({spec("pc", MapType::kPercpuArray, 4, 300, 1)}, o).find("1216 bytes"),
            std::string::npos);
  std::vector<MapSpec> many(33, spec("a", MapType::kArray, 4, 4, 1));
  EXPECT_EQ(refusal(many), "map unit: 33 maps, the unit holds MaxMaps = 32");
}

TEST(MapLayout, RefusesWhatMapStoreRefuses) {
  EXPECT_EQ(refusal({spec("h", MapType::kHash, 0, 4, 4)}),
            "map 'h' (hash): key_size must be 1..512, got 0");
  EXPECT_EQ(refusal({spec("a", MapType::kArray, 4, 4, 0)}), "map 'a' (array): max_entries is 0");
  EXPECT_NE(refusal({spec("a", MapType::kArray, 4, 4, 1, kBpfFNoPrealloc)}).find("map_flags 0x1"),
            std::string::npos);
  MapSpec bad = spec("x", MapType::kArray, 4, 4, 1);
  bad.type = static_cast<MapType>(99);
  EXPECT_EQ(refusal({bad}), "map 'x' (type 99): the map unit does not support this type");
}

}  // namespace
}  // namespace ebpf
