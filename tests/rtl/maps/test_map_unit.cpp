// The RTL map unit (Verilated tb_map_unit) against the reference MapStore: every type, random
// operation sequences with identical status, offsets, values, dumps and program views (the
// value memory bytes a program can address), map full, NOEXIST/EXIST, LRU eviction (window
// and whole map), LPM longest match and iteration order, DEVMAP/PROG_ARRAY, INIT, PERCPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <random>

#include "ebpf_fpga/error.h"
#include "tb_port.h"

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

using Bytes = std::vector<uint8_t>;
Bytes u32key(uint32_t v) {
  Bytes b(4);
  std::memcpy(b.data(), &v, 4);
  return b;
}
Bytes lpm_key(uint32_t len, std::initializer_list<uint8_t> data, uint32_t key_size) {
  Bytes b(key_size, 0);
  std::memcpy(b.data(), &len, 4);
  std::copy(data.begin(), data.end(), b.begin() + 4);
  return b;
}
Bytes random_bytes(std::mt19937& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

struct Bench {
  TbMapPort port;
  MapUnitDriver drv{port};
  MapStore ref;
  std::vector<MapSpec> specs;
  MapOptions opts;

  void configure(std::vector<MapSpec> s, MapOptions o = {}) {
    specs = std::move(s);
    opts = o;
    ref.configure(specs, opts);
    drv.configure(specs, opts);
  }
  // The bytes a program can address in region 0x1000 + map, read from value memory.
  Bytes program_view(uint32_t map) {
    const auto& d = drv.layout().desc[map];
    const uint32_t limit = d[map_desc::kLimit];
    Bytes out(limit);
    for (uint32_t w = 0; w * 8 < limit; ++w) {
      const uint64_t v = port.read_value_word(d[map_desc::kVbase] + w);
      for (uint32_t i = 0; i < 8 && w * 8 + i < limit; ++i) out[w * 8 + i] = uint8_t(v >> (8 * i));
    }
    return out;
  }
  void expect_same(uint32_t map, const std::string& where) {
    SCOPED_TRACE(where);
    EXPECT_EQ(dump_map(drv, map), dump_map(ref, map)) << "dump of map " << map;
    const auto r = ref.region(map);
    EXPECT_EQ(program_view(map), Bytes(r.base, r.base + r.limit)) << "program view of map " << map;
  }
};

using KeyGen = std::function<Bytes(std::mt19937&)>;

// A random mix of host and program operations on one map; every result is compared.
void random_ops(Bench& b, uint32_t map, int n, uint32_t seed, const KeyGen& gen) {
  std::mt19937 rng(seed);
  const MapSpec& s = b.specs[map];
  const uint32_t hv = host_value_size(s, b.opts.cores);
  static constexpr uint64_t kFlags[] = {0, 0, 0, 1, 2, 1, 2, 3, 4, 5};
  int writes_ok = 0, reads_ok = 0;  // the sequence must reach filled states, not only errors
  for (int i = 0; i < n; ++i) {
    const Bytes key = gen(rng);
    const uint64_t flags = kFlags[rng() % std::size(kFlags)];
    const uint32_t cpu = static_cast<uint32_t>(rng() % b.opts.cores);
    const std::string at = "map " + std::to_string(map) + " op " + std::to_string(i);
    switch (rng() % 9) {
      case 0:
      case 1: {
        Bytes v = random_bytes(rng, hv);
        if ((s.type == MapType::kDevmap || s.type == MapType::kDevmapHash) && rng() % 4 == 0) {
          std::fill(v.begin(), v.begin() + 4, uint8_t{0});
        }
        if (s.type == MapType::kDevmap && s.value_size == 8 && rng() % 2) {
          std::fill(v.begin() + 4, v.end(), uint8_t{0});
        }
        if (s.type == MapType::kProgArray) v[1] = v[2] = v[3] = 0;
        const int e = b.ref.update(map, key, v, flags);
        ASSERT_EQ(b.drv.update(map, key, v, flags), e) << at;
        writes_ok += e == 0;
        break;
      }
      case 2: {
        Bytes v = random_bytes(rng, s.value_size);
        const int e = b.ref.prog_update(map, key.data(), v.data(), flags, cpu);
        ASSERT_EQ(b.drv.prog_update(map, key, v, flags, cpu), e) << at;
        writes_ok += e == 0;
        break;
      }
      case 3:
        ASSERT_EQ(b.drv.remove(map, key), b.ref.remove(map, key)) << at;
        break;
      case 4:
        ASSERT_EQ(b.drv.prog_delete(map, key), b.ref.prog_delete(map, key.data())) << at;
        break;
      case 5: {
        Bytes v1(hv), v2(hv);
        const int e = b.ref.lookup(map, key, v2);
        ASSERT_EQ(b.drv.lookup(map, key, v1), e) << at;
        if (e == 0) {
          ASSERT_EQ(v1, v2) << at;
          ++reads_ok;
        }
        break;
      }
      case 6: {
        const auto got = b.drv.prog_lookup(map, key, cpu);
        if (s.type == MapType::kProgArray) {
          const auto want = b.ref.prog_array_get(map, key[0] | key[1] << 8 | key[2] << 16 |
                                                         uint32_t{key[3]} << 24);
          ASSERT_EQ(got.has_value(), want.has_value()) << at;
          if (want) {
            ASSERT_EQ(uint32_t(b.drv.last().word), *want) << at;
          }
        } else {
          ASSERT_EQ(got, b.ref.prog_lookup(map, key.data(), cpu)) << at;
          if (got && s.type != MapType::kLpmTrie) {
            uint64_t w = 0;
            const auto r = b.ref.region(map);
            std::memcpy(&w, r.base + *got, std::min<uint32_t>(8, r.limit - *got));
            if (s.value_size < 8) w &= (uint64_t{1} << (8 * s.value_size)) - 1;
            uint64_t hw = b.drv.last().word;
            if (s.value_size < 8) hw &= (uint64_t{1} << (8 * s.value_size)) - 1;
            ASSERT_EQ(hw, w) << at << " first value word";
          }
        }
        break;
      }
      default: {
        Bytes n1(s.key_size), n2(s.key_size);
        const bool null = rng() % 4 == 0;
        std::optional<std::span<const uint8_t>> k;
        if (!null) k = std::span<const uint8_t>(key);
        const int e = b.ref.get_next_key(map, k, n2);
        ASSERT_EQ(b.drv.get_next_key(map, k, n1), e) << at;
        if (e == 0) {
          ASSERT_EQ(n1, n2) << at;
        }
        break;
      }
    }
    if (i % 97 == 96) {
      b.expect_same(map, at);
      if (testing::Test::HasFailure()) return;
    }
  }
  b.expect_same(map, "after " + std::to_string(n) + " ops");
  const bool has_view = s.type != MapType::kPerfEventArray && s.type != MapType::kRingbuf;
  if (has_view) {
    EXPECT_GT(writes_ok, n / 100) << "map " << map << ": too few successful updates";
    EXPECT_GT(reads_ok, n / 100) << "map " << map << ": too few successful lookups";
  }
}

KeyGen index_keys(uint32_t max) {
  return [max](std::mt19937& rng) {
    const uint32_t r = static_cast<uint32_t>(rng() % 16);
    return u32key(r == 0 ? 0xFFFFFFFFu : r == 1 ? max : static_cast<uint32_t>(rng() % (max + 1)));
  };
}

KeyGen pool_keys(uint32_t key_size, uint32_t pool, uint32_t seed) {
  std::mt19937 g(seed);
  std::vector<Bytes> keys;
  for (uint32_t i = 0; i < pool; ++i) keys.push_back(random_bytes(g, key_size));
  return [keys](std::mt19937& rng) { return keys[rng() % keys.size()]; };
}

KeyGen lpm_keys(uint32_t key_size, uint32_t seed) {
  std::mt19937 g(seed);
  std::vector<Bytes> data;
  for (int i = 0; i < 6; ++i) data.push_back(random_bytes(g, key_size - 4));
  const uint32_t maxlen = 8 * (key_size - 4);
  return [data, key_size, maxlen](std::mt19937& rng) {
    Bytes k(key_size);
    const uint32_t r = static_cast<uint32_t>(rng() % 20);
    const uint32_t len = static_cast<uint32_t>(r == 0   ? maxlen + 1 + rng() % 3
                                               : r < 4 ? rng() % 9
                                                       : rng() % (maxlen + 1));
    std::memcpy(k.data(), &len, 4);
    Bytes d = data[rng() % data.size()];
    if (rng() % 3 == 0) d[rng() % d.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    std::copy(d.begin(), d.end(), k.begin() + 4);
    return k;
  };
}


TEST(MapUnit, ArrayTypesMatchMapStore) {
  for (uint32_t cores : {1u, 2u}) {
    SCOPED_TRACE("cores " + std::to_string(cores));
    Bench b;
    MapSpec data = spec(".data", MapType::kArray, 4, 13, 1);
    data.origin = MapOrigin::kData;
    data.initial_value = Bytes(13, 0x5a);
    MapSpec rodata = spec(".rodata", MapType::kArray, 4, 6, 1);
    rodata.origin = MapOrigin::kRodata;
    rodata.initial_value = {1, 2, 3, 4, 5, 6};
    MapSpec bss = spec(".bss", MapType::kArray, 4, 20, 1);
    bss.origin = MapOrigin::kBss;
    MapOptions o;
    o.cores = cores;
    b.configure({spec("arr", MapType::kArray, 4, 12, 5), spec("pca", MapType::kPercpuArray, 4, 9, 4),
                 data, rodata, bss, spec("prog", MapType::kProgArray, 4, 4, 6),
                 spec("dev4", MapType::kDevmap, 4, 4, 5), spec("dev8", MapType::kDevmap, 4, 8, 5),
                 spec("perf", MapType::kPerfEventArray, 4, 4, 0),
                 spec("rb", MapType::kRingbuf, 0, 0, 4096)},
                o);
    for (uint32_t m = 0; m < 5; ++m) b.expect_same(m, "after configure");
    // The bounds registers the LSU checks against.
    auto& model = b.port.model();
    for (uint32_t m = 0; m < 32; ++m) {
      const bool configured = m < b.specs.size();
      EXPECT_EQ((model.map_valid_o >> m) & 1u, configured ? 1u : 0u) << m;
      if (!configured) continue;
      EXPECT_EQ(model.map_limit_o[m], b.ref.region(m).limit) << m;
      EXPECT_EQ(model.map_base_o[m], 8 * b.drv.layout().desc[m][map_desc::kVbase]) << m;
      EXPECT_EQ((model.map_ro_o >> m) & 1u, b.ref.region(m).read_only ? 1u : 0u) << m;
    }
    EXPECT_TRUE(model.map_ro_o & (1u << 3));  // .rodata
    EXPECT_TRUE(model.map_ro_o & (1u << 6));  // devmap
    for (uint32_t m = 0; m < 9; ++m) {
      random_ops(b, m, 600, 100 + m, index_keys(b.specs[m].max_entries ? b.specs[m].max_entries : cores));
      if (HasFailure()) return;
    }
    // RINGBUF: no host view
    Bytes nk(0);
    EXPECT_EQ(b.drv.get_next_key(9, std::nullopt, nk), -kEnotsupp);
    EXPECT_EQ(b.drv.remove(9, nk), -kEnotsupp);
  }
}

// The value bases and limits are LUT RAM behind region read ports (written-flags make them
// read 0 until written): a reset clears them although the RAM keeps the old words, and a map
// made valid without them has base and limit 0, as with flip-flops.
TEST(MapUnit, RegionBoundsReadZeroAfterReset) {
  Bench b;
  b.configure({spec("a", MapType::kArray, 4, 8, 4), spec("b", MapType::kArray, 4, 16, 3)},
              MapOptions{});
  auto& model = b.port.model();
  for (uint32_t m = 0; m < 2; ++m) {
    ASSERT_EQ(model.map_limit_o[m], b.ref.region(m).limit) << m;
    ASSERT_NE(model.map_limit_o[m], 0u) << m;
  }
  model.rst_ni = 0;
  b.port.tick();
  model.rst_ni = 1;
  b.port.tick();
  for (uint32_t m = 0; m < 32; ++m) {
    EXPECT_EQ((model.map_valid_o >> m) & 1u, 0u) << m;
    EXPECT_EQ(model.map_base_o[m], 0u) << m;
    EXPECT_EQ(model.map_limit_o[m], 0u) << m;
  }
  // Map 1 valid again, its base and limit not rewritten: both read 0.
  b.port.write_desc(1 * kMapDescWords + map_desc::kCtrl, 1u << 31);
  EXPECT_EQ((model.map_valid_o >> 1) & 1u, 1u);
  EXPECT_EQ(model.map_base_o[1], 0u);
  EXPECT_EQ(model.map_limit_o[1], 0u);
  b.port.write_desc(1 * kMapDescWords + map_desc::kLimit, 40);
  EXPECT_EQ(model.map_limit_o[1], 40u);
  EXPECT_EQ(model.map_base_o[1], 0u);
}

TEST(MapUnit, HashTypesMatchMapStore) {
  for (uint32_t cores : {1u, 2u}) {
    SCOPED_TRACE("cores " + std::to_string(cores));
    Bench b;
    MapOptions o;
    o.cores = cores;
    b.configure({spec("h4", MapType::kHash, 4, 8, 16), spec("h13", MapType::kHash, 13, 20, 24),
                 spec("h40", MapType::kHash, 40, 3, 8, kBpfFZeroSeed),
                 spec("h64", MapType::kHash, 64, 64, 12),
                 spec("pch", MapType::kPercpuHash, 6, 12, 10),
                 spec("dh", MapType::kDevmapHash, 4, 8, 8), spec("dh4", MapType::kDevmapHash, 4, 4, 4)},
                o);
    const uint32_t pools[] = {24, 40, 12, 18, 16, 12, 8};
    for (uint32_t m = 0; m < b.specs.size(); ++m) {
      random_ops(b, m, 1500, 200 + m + 10 * cores, pool_keys(b.specs[m].key_size, pools[m], m));
      if (HasFailure()) return;
    }
  }
}

TEST(MapUnit, LruHashMatchesMapStore) {
  Bench b;
  b.configure({spec("lru", MapType::kLruHash, 8, 16, 8), spec("lru2", MapType::kLruHash, 13, 4, 20)});
  random_ops(b, 0, 2000, 300, pool_keys(8, 20, 1));
  random_ops(b, 1, 2000, 301, pool_keys(13, 30, 2));
}

TEST(MapUnit, LpmTrieMatchesMapStore) {
  Bench b;
  b.configure({spec("v4", MapType::kLpmTrie, 8, 8, 16, kBpfFNoPrealloc),
               spec("v6", MapType::kLpmTrie, 20, 12, 12, kBpfFNoPrealloc)});
  random_ops(b, 0, 2000, 400, lpm_keys(8, 3));
  random_ops(b, 1, 1500, 401, lpm_keys(20, 4));
}

// Keys whose home bucket is the same, to fill one probe window.
std::vector<Bytes> same_home_keys(uint32_t count, uint32_t nb, uint32_t seed_reg) {
  std::vector<Bytes> out;
  for (uint32_t v = 0; out.size() < count; ++v) {
    Bytes k = u32key(v);
    if ((map_hash(k, seed_reg) & (nb - 1)) == 5) out.push_back(k);
  }
  return out;
}

TEST(MapUnit, FullMapAndFullWindowGiveE2big) {
  Bench b;
  b.configure({spec("small", MapType::kHash, 4, 4, 3), spec("big", MapType::kHash, 4, 4, 64)});
  const Bytes v = {1, 2, 3, 4};
  auto both = [&](uint32_t map, const Bytes& k, uint64_t flags) {
    const int e = b.drv.update(map, k, v, flags);
    EXPECT_EQ(e, b.ref.update(map, k, v, flags));
    return e;
  };
  for (uint32_t k = 0; k < 3; ++k) ASSERT_EQ(both(0, u32key(k), kBpfAny), 0);
  EXPECT_EQ(both(0, u32key(7), kBpfAny), -E2BIG);
  EXPECT_EQ(both(0, u32key(1), kBpfNoexist), -EEXIST);
  EXPECT_EQ(both(0, u32key(9), kBpfExist), -ENOENT);
  EXPECT_EQ(both(0, u32key(1), kBpfExist), 0);
  b.expect_same(0, "small");
  // 33 keys with one home bucket: the 33rd finds its window full before max_entries.
  const auto keys = same_home_keys(33, 256, kDefaultHashSeed);
  for (uint32_t i = 0; i < 32; ++i) ASSERT_EQ(both(1, keys[i], kBpfAny), 0) << i;
  EXPECT_EQ(both(1, keys[32], kBpfAny), -E2BIG);
  EXPECT_EQ(b.ref.entry_count(1), 32u);
  // Deleting from the middle of the cluster shifts the rest back; all stay reachable.
  for (uint32_t i = 0; i < 32; i += 5) ASSERT_EQ(b.drv.remove(1, keys[i]), b.ref.remove(1, keys[i]));
  for (uint32_t i = 0; i < 33; ++i) {
    ASSERT_EQ(b.drv.prog_lookup(1, keys[i], 0), b.ref.prog_lookup(1, keys[i].data(), 0)) << i;
  }
  b.expect_same(1, "cluster");
}

TEST(MapUnit, LruWindowAndWholeMapEviction) {
  Bench b;
  b.configure({spec("lru", MapType::kLruHash, 4, 8, 64)});
  const auto keys = same_home_keys(40, 256, kDefaultHashSeed);
  std::mt19937 rng(5);
  for (uint32_t i = 0; i < 40; ++i) {
    const Bytes v = random_bytes(rng, 8);
    ASSERT_EQ(b.drv.update(0, keys[i], v, kBpfAny), b.ref.update(0, keys[i], v, kBpfAny)) << i;
    if (i % 3 == 0) {
      const Bytes& k = keys[rng() % (i + 1)];
      ASSERT_EQ(b.drv.prog_lookup(0, k, 0), b.ref.prog_lookup(0, k.data(), 0)) << i;
    }
  }
  b.expect_same(0, "window evictions");
  EXPECT_EQ(b.ref.entry_count(0), 32u);
  // Fill with other keys until the whole map evicts.
  for (uint32_t i = 0; i < 200; ++i) {
    const Bytes k = random_bytes(rng, 4), v = random_bytes(rng, 8);
    ASSERT_EQ(b.drv.update(0, k, v, kBpfAny), b.ref.update(0, k, v, kBpfAny)) << i;
    const Bytes& k2 = keys[rng() % keys.size()];
    ASSERT_EQ(b.drv.prog_lookup(0, k2, 0), b.ref.prog_lookup(0, k2.data(), 0)) << i;
  }
  EXPECT_EQ(b.ref.entry_count(0), 64u);
  b.expect_same(0, "whole-map evictions");
}

TEST(MapUnit, LpmLongestMatchAndPostOrder) {
  for (uint32_t ks : {8u, 20u}) {
    Bench b;
    b.configure({spec("lpm", MapType::kLpmTrie, ks, 4, 8, kBpfFNoPrealloc)});
    const Bytes v0 = {0, 0, 0, 0}, v1 = {1, 0, 0, 0}, v2 = {2, 0, 0, 0}, v3 = {3, 0, 0, 0},
                v4 = {4, 0, 0, 0};
    ASSERT_EQ(b.drv.update(0, lpm_key(16, {192, 168}, ks), v1, kBpfAny), 0);
    ASSERT_EQ(b.drv.update(0, lpm_key(24, {192, 168, 0}, ks), v2, kBpfAny), 0);
    ASSERT_EQ(b.drv.update(0, lpm_key(24, {192, 168, 1}, ks), v3, kBpfAny), 0);
    ASSERT_EQ(b.drv.update(0, lpm_key(24, {192, 168, 128}, ks), v4, kBpfAny), 0);
    ASSERT_EQ(b.drv.update(0, lpm_key(0, {}, ks), v0, kBpfAny), 0);
    const uint32_t full = 8 * (ks - 4);
    Bytes out(4);
    EXPECT_EQ(b.drv.lookup(0, lpm_key(full, {192, 168, 1, 7}, ks), out), 0);
    EXPECT_EQ(out, v3);
    EXPECT_EQ(b.drv.lookup(0, lpm_key(full, {192, 168, 77, 7}, ks), out), 0);
    EXPECT_EQ(out, v1);
    EXPECT_EQ(b.drv.lookup(0, lpm_key(full, {10, 1, 1, 1}, ks), out), 0);
    EXPECT_EQ(out, v0);
    EXPECT_EQ(b.drv.lookup(0, lpm_key(full + 1, {192, 168, 1, 7}, ks), out), -ENOENT);
    // post-order: .0/24, .1/24, .128/24, /16, then /0
    std::vector<Bytes> order;
    Bytes k(ks), n(ks);
    for (int e = b.drv.get_next_key(0, std::nullopt, n); e == 0;
         e = b.drv.get_next_key(0, std::span<const uint8_t>(k), n)) {
      order.push_back(n);
      k = n;
    }
    ASSERT_EQ(order.size(), 5u);
    EXPECT_EQ(order[0], lpm_key(24, {192, 168, 0}, ks));
    EXPECT_EQ(order[1], lpm_key(24, {192, 168, 1}, ks));
    EXPECT_EQ(order[2], lpm_key(24, {192, 168, 128}, ks));
    EXPECT_EQ(order[3], lpm_key(16, {192, 168}, ks));
    EXPECT_EQ(order[4], lpm_key(0, {}, ks));
    EXPECT_EQ(b.drv.remove(0, lpm_key(16, {192, 168}, ks)), 0);
    EXPECT_EQ(b.drv.lookup(0, lpm_key(full, {192, 168, 77, 7}, ks), out), 0);
    EXPECT_EQ(out, v0);
  }
}

TEST(MapUnit, InitResetsAMap) {
  Bench b;
  b.configure({spec("h", MapType::kHash, 4, 8, 8), spec("a", MapType::kArray, 4, 8, 4)});
  const Bytes v(8, 0xee);
  ASSERT_EQ(b.drv.update(0, u32key(1), v, kBpfAny), 0);
  ASSERT_EQ(b.drv.update(1, u32key(2), v, kBpfAny), 0);
  ASSERT_EQ(b.drv.init(0), 0);
  ASSERT_EQ(b.drv.init(1), 0);
  b.expect_same(0, "init hash");
  b.expect_same(1, "init array");
  ASSERT_EQ(b.drv.update(0, u32key(1), v, kBpfAny), b.ref.update(0, u32key(1), v, kBpfAny));
  b.expect_same(0, "reuse after init");
}

// Descriptor registers are host-writable: one the unit cannot serve answers -EINVAL at once
// instead of looping over memory it does not have.
TEST(MapUnit, InconsistentDescriptorIsEinval) {
  Bench b;
  b.configure({spec("h", MapType::kHash, 4, 8, 8)});
  const auto good = b.drv.layout().desc[0];
  const std::pair<uint32_t, uint32_t> bad[] = {
      {map_desc::kProbe, 1000}, {map_desc::kBmask, 0xFFFFFFFFu}, {map_desc::kSlotw, 0x10000000u},
      {map_desc::kMax, 1u << 20}, {map_desc::kKey, 4u | (4096u << 16)}};
  for (const auto& [word, value] : bad) {
    b.port.write_desc(word, value);
    const auto r = b.port.command(MapOp::kInit, 0, 0, false, 0, false);
    EXPECT_EQ(r.status, -EINVAL) << "word " << word;
    EXPECT_LT(r.cycles, 100u) << "word " << word;
    b.port.write_desc(word, good[word]);
  }
  const Bytes v(8, 1);
  EXPECT_EQ(b.drv.init(0), 0);
  EXPECT_EQ(b.drv.update(0, u32key(3), v, kBpfAny), b.ref.update(0, u32key(3), v, kBpfAny));
  b.expect_same(0, "after restoring the descriptor");
}

TEST(MapUnit, UnconfiguredMapIndexIsEinval) {
  Bench b;
  b.configure({spec("a", MapType::kArray, 4, 8, 4)});
  EXPECT_EQ(b.port.command(MapOp::kLookup, 1, 0, false, 0, false).status, -EINVAL);
  EXPECT_EQ(b.port.command(MapOp::kLookup, 1000, 0, false, 0, false).status, -EINVAL);
  EXPECT_THROW(b.drv.remove(3, u32key(0)), Error);
  Bytes v(7);
  EXPECT_THROW(b.drv.lookup(0, u32key(0), v), Error);
}

}  // namespace
}  // namespace ebpf
