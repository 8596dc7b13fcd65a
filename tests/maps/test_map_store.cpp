// MapStore, the reference map unit: every type's host operations and errnos (Linux's), the
// layout docs/maps.md specifies (slots, hash, probing, LRU order, LPM order), program-side
// offsets, and configure-time validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <random>
#include <set>

#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "map_test_util.h"

namespace ebpf::maptest {
namespace {

class Store {
 public:
  explicit Store(std::vector<MapSpec> specs, MapOptions opts = {}) : specs_(std::move(specs)) {
    s.configure(specs_, opts);
  }
  int update(uint32_t m, const Bytes& k, const Bytes& v, uint64_t flags = kBpfAny) {
    return s.update(m, k, v, flags);
  }
  // The value, or the errno as a one-element marker (tests compare with EXPECT_EQ).
  int lookup(uint32_t m, const Bytes& k, Bytes* out = nullptr) {
    Bytes v(host_value_size(s, m));
    const int e = s.lookup(m, k, v);
    if (out) *out = v;
    return e;
  }
  Bytes value(uint32_t m, const Bytes& k) {
    Bytes v;
    EXPECT_EQ(lookup(m, k, &v), 0);
    return v;
  }
  int remove(uint32_t m, const Bytes& k) { return s.remove(m, k); }
  int next(uint32_t m, const Bytes* k, Bytes* out) {
    out->assign(s.spec(m).key_size, 0);
    if (!k) return s.get_next_key(m, std::nullopt, *out);
    return s.get_next_key(m, std::span<const uint8_t>(*k), *out);
  }
  // All keys in get_next_key order.
  std::vector<Bytes> keys(uint32_t m) {
    std::vector<Bytes> out;
    Bytes k, n;
    int e = next(m, nullptr, &n);
    while (e == 0) {
      out.push_back(n);
      k = n;
      e = next(m, &k, &n);
      if (out.size() > 100000) break;
    }
    EXPECT_EQ(e, -ENOENT);
    return out;
  }
  std::optional<uint32_t> prog_lookup(uint32_t m, const Bytes& k, uint32_t cpu = 0) {
    return s.prog_lookup(m, k.data(), cpu);
  }

  std::vector<MapSpec> specs_;
  MapStore s;
};

// ---------------------------------------------------------------- arrays

TEST(MapStoreArray, LookupUpdateAndLinuxErrnos) {
  Store st({spec(MapType::kArray, 4, 12, 4)});
  EXPECT_EQ(st.value(0, le32(3)), Bytes(12, 0)) << "arrays start zeroed";
  const Bytes v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  EXPECT_EQ(st.update(0, le32(3), v), 0);
  EXPECT_EQ(st.value(0, le32(3)), v);
  EXPECT_EQ(st.update(0, le32(3), v, kBpfExist), 0);
  EXPECT_EQ(st.update(0, le32(3), v, kBpfNoexist), -EEXIST) << "every element exists";
  EXPECT_EQ(st.update(0, le32(4), v), -E2BIG) << "index past max_entries";
  EXPECT_EQ(st.update(0, le32(0xffffffff), v), -E2BIG);
  EXPECT_EQ(st.update(0, le32(1), v, 3), -EINVAL) << "unknown flags";
  EXPECT_EQ(st.update(0, le32(1), v, 8), -EINVAL);
  EXPECT_EQ(st.update(0, le32(1), v, kBpfFLock), -EINVAL) << "no spin lock in the value";
  EXPECT_EQ(st.lookup(0, le32(4)), -ENOENT);
  EXPECT_EQ(st.remove(0, le32(1)), -EINVAL) << "array elements cannot be deleted";
  EXPECT_EQ(st.remove(0, le32(9)), -EINVAL);
}

TEST(MapStoreArray, GetNextKeyIsIndexOrder) {
  Store st({spec(MapType::kArray, 4, 4, 3)});
  Bytes n;
  EXPECT_EQ(st.next(0, nullptr, &n), 0);
  EXPECT_EQ(u32(n), 0u) << "no key: the first index";
  Bytes k = le32(1);
  EXPECT_EQ(st.next(0, &k, &n), 0);
  EXPECT_EQ(u32(n), 2u);
  k = le32(2);
  EXPECT_EQ(st.next(0, &k, &n), -ENOENT) << "last index";
  k = le32(77);
  EXPECT_EQ(st.next(0, &k, &n), 0);
  EXPECT_EQ(u32(n), 0u) << "an index out of range restarts at 0";
  EXPECT_EQ(st.keys(0).size(), 3u);
}

TEST(MapStoreArray, ProgramSideOffsetsAndBounds) {
  Store st({spec(MapType::kArray, 4, 12, 4)});
  // Slot i at i * round_up(12, 8) = 16 i; a program may reach the end of the last value.
  EXPECT_EQ(st.prog_lookup(0, le32(0)), 0u);
  EXPECT_EQ(st.prog_lookup(0, le32(3)), 48u);
  EXPECT_EQ(st.prog_lookup(0, le32(4)), std::nullopt);
  EXPECT_EQ(st.s.region(0).limit, 3u * 16 + 12);
  EXPECT_FALSE(st.s.region(0).read_only);
  // A program update writes value_size bytes; the padding stays.
  const Bytes v(12, 0xab);
  EXPECT_EQ(st.s.prog_update(0, le32(2).data(), v.data(), kBpfAny, 0), 0);
  EXPECT_EQ(st.value(0, le32(2)), v);
  EXPECT_EQ(st.s.region(0).base[32 + 12], 0);
}

TEST(MapStoreArray, PercpuLayoutAndHostView) {
  Store st({spec(MapType::kPercpuArray, 4, 12, 3)}, {.cores = 4});
  EXPECT_EQ(host_value_size(st.s, 0), 16u * 4) << "round_up(value_size, 8) x cores";
  Bytes all(64);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(st.update(0, le32(1), all), 0);
  EXPECT_EQ(st.value(0, le32(1)), all) << "padding is part of the host view";
  // Core c of slot s sits at (s x cores + c) x stride.
  EXPECT_EQ(st.prog_lookup(0, le32(1), 0), 64u);
  EXPECT_EQ(st.prog_lookup(0, le32(1), 3), 64u + 48);
  EXPECT_EQ(st.prog_lookup(0, le32(2), 2), 128u + 32);
  // A program update touches its own core's value_size bytes only.
  const Bytes v(12, 0xee);
  EXPECT_EQ(st.s.prog_update(0, le32(1).data(), v.data(), kBpfAny, 2), 0);
  Bytes want = all;
  std::fill_n(want.begin() + 32, 12, 0xee);
  EXPECT_EQ(st.value(0, le32(1)), want);
  EXPECT_EQ(st.update(0, le32(1), all, kBpfNoexist), -EEXIST);
  EXPECT_EQ(st.update(0, le32(3), all), -E2BIG);
  EXPECT_EQ(st.remove(0, le32(1)), -EINVAL);
}

TEST(MapStoreArray, GlobalDataHoldsItsSectionAndRodataIsReadOnlyToPrograms) {
  Store st({global_data(MapOrigin::kData, {1, 2, 3, 4, 5}, ".data"),
            global_data(MapOrigin::kRodata, {9, 8, 7}, ".rodata"),
            global_data(MapOrigin::kBss, Bytes(6, 0), ".bss")});
  EXPECT_EQ(st.value(0, le32(0)), (Bytes{1, 2, 3, 4, 5}));
  EXPECT_EQ(st.value(1, le32(0)), (Bytes{9, 8, 7}));
  EXPECT_EQ(st.s.region(0).limit, 5u) << "exactly the section";
  EXPECT_FALSE(st.s.region(0).read_only);
  EXPECT_TRUE(st.s.region(1).read_only);
  EXPECT_FALSE(st.s.region(2).read_only);
  EXPECT_EQ(st.update(1, le32(0), Bytes{1, 1, 1}), 0) << "the host may still write .rodata";
}

// ---------------------------------------------------------------- hash maps

Bytes key8(uint64_t v) { return le64(v); }

TEST(MapStoreHash, InsertReplaceDeleteAndFlags) {
  Store st({spec(MapType::kHash, 8, 4, 8)});
  EXPECT_EQ(st.lookup(0, key8(1)), -ENOENT);
  EXPECT_EQ(st.update(0, key8(1), le32(10), kBpfExist), -ENOENT);
  EXPECT_EQ(st.update(0, key8(1), le32(10), kBpfNoexist), 0);
  EXPECT_EQ(st.update(0, key8(1), le32(11), kBpfNoexist), -EEXIST);
  EXPECT_EQ(u32(st.value(0, key8(1))), 10u);
  EXPECT_EQ(st.update(0, key8(1), le32(12), kBpfExist), 0);
  EXPECT_EQ(u32(st.value(0, key8(1))), 12u);
  EXPECT_EQ(st.update(0, key8(1), le32(13)), 0);
  EXPECT_EQ(u32(st.value(0, key8(1))), 13u);
  EXPECT_EQ(st.update(0, key8(2), le32(1), 3), -EINVAL);
  EXPECT_EQ(st.update(0, key8(2), le32(1), kBpfFLock), -EINVAL);
  EXPECT_EQ(st.remove(0, key8(2)), -ENOENT);
  EXPECT_EQ(st.remove(0, key8(1)), 0);
  EXPECT_EQ(st.lookup(0, key8(1)), -ENOENT);
  EXPECT_EQ(st.s.entry_count(0), 0u);
}

TEST(MapStoreHash, FullMapGivesE2bigButReplacingStillWorks) {
  Store st({spec(MapType::kHash, 8, 4, 4)});
  for (uint32_t k = 0; k < 4; ++k) EXPECT_EQ(st.update(0, key8(k), le32(k)), 0);
  EXPECT_EQ(st.update(0, key8(4), le32(4)), -E2BIG);
  EXPECT_EQ(st.update(0, key8(4), le32(4), kBpfExist), -ENOENT) << "flags are checked first";
  EXPECT_EQ(st.update(0, key8(2), le32(22)), 0);
  EXPECT_EQ(st.update(0, key8(2), le32(22), kBpfNoexist), -EEXIST);
  EXPECT_EQ(st.remove(0, key8(0)), 0);
  EXPECT_EQ(st.update(0, key8(4), le32(4)), 0);
  EXPECT_EQ(st.s.entry_count(0), 4u);
}

TEST(MapStoreHash, SlotsComeFromAStackOfFreedSlotsThenInOrder) {
  Store st({spec(MapType::kHash, 8, 12, 8)});
  const uint32_t stride = 16;
  for (uint64_t k = 0; k < 3; ++k) {
    ASSERT_EQ(st.update(0, key8(100 + k), Bytes(12, 0)), 0);
    EXPECT_EQ(st.prog_lookup(0, key8(100 + k)), k * stride) << "slot k for the k-th key";
  }
  EXPECT_EQ(st.remove(0, key8(100)), 0);
  EXPECT_EQ(st.remove(0, key8(102)), 0);
  ASSERT_EQ(st.update(0, key8(7), Bytes(12, 1)), 0);
  EXPECT_EQ(st.prog_lookup(0, key8(7)), 2u * stride) << "last freed, first reused";
  ASSERT_EQ(st.update(0, key8(8), Bytes(12, 1)), 0);
  EXPECT_EQ(st.prog_lookup(0, key8(8)), 0u);
  ASSERT_EQ(st.update(0, key8(9), Bytes(12, 1)), 0);
  EXPECT_EQ(st.prog_lookup(0, key8(9)), 3u * stride) << "then the next never-used slot";
}

TEST(MapStoreHash, ReusedSlotStartsZeroedAndReplaceKeepsTheSlot) {
  Store st({spec(MapType::kHash, 4, 16, 4)});
  ASSERT_EQ(st.update(0, le32(1), Bytes(16, 0xff)), 0);
  const auto off = st.prog_lookup(0, le32(1));
  ASSERT_EQ(st.update(0, le32(1), Bytes(16, 0x11)), 0);
  EXPECT_EQ(st.prog_lookup(0, le32(1)), off) << "in-place replace: pointers stay valid";
  ASSERT_EQ(st.remove(0, le32(1)), 0);
  const Bytes v(16, 0x22);
  ASSERT_EQ(st.s.prog_update(0, le32(2).data(), v.data(), kBpfAny, 0), 0);
  EXPECT_EQ(st.prog_lookup(0, le32(2)), off);
}

// CRC32C bit by bit, independent of the table-driven map_hash.
uint32_t crc32c_bitwise(const Bytes& data, uint32_t crc) {
  for (uint8_t byte : data) {
    crc ^= byte;
    for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return crc;
}

TEST(MapStoreHash, HashIsCrc32cOverTheKeyZeroPaddedToEightBytes) {
  const Bytes check = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  ASSERT_EQ(~crc32c_bitwise(check, 0xFFFFFFFFu), 0xE3069283u) << "the CRC32C check value";
  Bytes padded = check;
  padded.resize(16, 0);
  EXPECT_EQ(map_hash(check, 0xFFFFFFFFu), crc32c_bitwise(padded, 0xFFFFFFFFu));
  EXPECT_EQ(map_hash(le32(0x01020304), 0), crc32c_bitwise(cat({le32(0x01020304), le32(0)}), 0));
  EXPECT_EQ(map_hash(key8(42), 7), crc32c_bitwise(key8(42), 7));
  // The seed register: the configured one, or 0 with BPF_F_ZERO_SEED.
  Store a({spec(MapType::kHash, 8, 4, 16)}, {.hash_seed = 0x1234});
  Store z({spec(MapType::kHash, 8, 4, 16, kBpfFZeroSeed)}, {.hash_seed = 0x1234});
  a.update(0, key8(5), le32(0));
  z.update(0, key8(5), le32(0));
  EXPECT_EQ(a.s.bucket_of(0, key8(5)), map_hash(key8(5), 0x1234) & 63);
  EXPECT_EQ(z.s.bucket_of(0, key8(5)), map_hash(key8(5), 0) & 63);
}

TEST(MapStoreHash, BucketTableIsFourTimesTheNextPowerOfTwo) {
  EXPECT_EQ(Store({spec(MapType::kHash, 4, 4, 1)}).s.bucket_count(0), 4u);
  EXPECT_EQ(Store({spec(MapType::kHash, 4, 4, 100)}).s.bucket_count(0), 512u);
  EXPECT_EQ(Store({spec(MapType::kHash, 4, 4, 128)}).s.bucket_count(0), 512u);
  EXPECT_EQ(Store({spec(MapType::kLruHash, 4, 4, 129)}).s.bucket_count(0), 1024u);
}

// Keys (u64) whose home bucket is `home` in a table of `buckets` with the default seed.
std::vector<Bytes> colliding_keys(uint32_t home, uint32_t buckets, size_t n, uint64_t start = 0) {
  std::vector<Bytes> out;
  for (uint64_t k = start; out.size() < n; ++k) {
    if ((map_hash(key8(k), kDefaultHashSeed) & (buckets - 1)) == home) out.push_back(key8(k));
  }
  return out;
}

TEST(MapStoreHash, LinearProbingAndBackwardShiftDeletion) {
  Store st({spec(MapType::kHash, 8, 4, 64)});  // 256 buckets
  const uint32_t nb = st.s.bucket_count(0);
  ASSERT_EQ(nb, 256u);
  const auto keys = colliding_keys(10, nb, 3);
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(st.update(0, keys[i], le32(static_cast<uint32_t>(i))), 0);
    EXPECT_EQ(st.s.bucket_of(0, keys[i]), 10u + i) << "home, then the next buckets";
  }
  // A key homed at 11 lands after the cluster.
  const auto at11 = colliding_keys(11, nb, 1);
  ASSERT_EQ(st.update(0, at11[0], le32(9)), 0);
  EXPECT_EQ(st.s.bucket_of(0, at11[0]), 13u);
  // Deleting the first key pulls the others back towards their homes.
  ASSERT_EQ(st.remove(0, keys[0]), 0);
  EXPECT_EQ(st.s.bucket_of(0, keys[1]), 10u);
  EXPECT_EQ(st.s.bucket_of(0, keys[2]), 11u);
  EXPECT_EQ(st.s.bucket_of(0, at11[0]), 12u);
  for (size_t i = 1; i < keys.size(); ++i) EXPECT_EQ(u32(st.value(0, keys[i])), i);
  EXPECT_EQ(u32(st.value(0, at11[0])), 9u);
}

TEST(MapStoreHash, DeletionAtTheTableEndWrapsAround) {
  Store st({spec(MapType::kHash, 8, 4, 2)});  // 8 buckets, probe window 8
  const uint32_t nb = st.s.bucket_count(0);
  const auto keys = colliding_keys(nb - 1, nb, 3);
  for (const Bytes& k : keys) ASSERT_EQ(st.update(0, k, le32(1)), k == keys[2] ? -E2BIG : 0);
  EXPECT_EQ(st.s.bucket_of(0, keys[0]), nb - 1);
  EXPECT_EQ(st.s.bucket_of(0, keys[1]), 0u);
  ASSERT_EQ(st.remove(0, keys[0]), 0);
  EXPECT_EQ(st.s.bucket_of(0, keys[1]), nb - 1);
}

TEST(MapStoreHash, FullProbeWindowGivesE2bigBeforeMaxEntries) {
  // The documented difference from Linux: 32 keys sharing a home bucket fill its window.
  Store st({spec(MapType::kHash, 8, 4, 64)});
  const auto keys = colliding_keys(100, st.s.bucket_count(0), kHashProbeLimit + 1);
  for (uint32_t i = 0; i < kHashProbeLimit; ++i) ASSERT_EQ(st.update(0, keys[i], le32(i)), 0);
  EXPECT_EQ(st.update(0, keys[kHashProbeLimit], le32(0)), -E2BIG);
  EXPECT_EQ(st.s.entry_count(0), kHashProbeLimit);
  for (uint32_t i = 0; i < kHashProbeLimit; ++i) EXPECT_EQ(u32(st.value(0, keys[i])), i);
}

TEST(MapStoreHash, RandomKeysFillTheMapCompletely) {
  // At a load factor of 1/4 a full window is practically impossible (docs/maps.md).
  std::mt19937_64 rng(7);
  for (uint32_t max : {1u, 3u, 64u, 1000u, 4096u}) {
    Store st({spec(MapType::kHash, 16, 4, max)});
    std::set<Bytes> inserted;
    while (inserted.size() < max) {
      Bytes k = cat({key8(rng()), key8(rng())});
      ASSERT_EQ(st.update(0, k, le32(7)), 0) << "max_entries " << max;
      inserted.insert(k);
    }
    EXPECT_EQ(st.update(0, cat({key8(1), key8(2)}), le32(7)), -E2BIG);
    std::set<Bytes> seen;
    for (const Bytes& k : st.keys(0)) seen.insert(k);
    EXPECT_EQ(seen, inserted);
  }
}

TEST(MapStoreHash, GetNextKeyFollowsTheSlots) {
  Store st({spec(MapType::kHash, 8, 4, 32)});
  Bytes n;
  EXPECT_EQ(st.next(0, nullptr, &n), -ENOENT) << "empty map";
  std::mt19937_64 rng(3);
  std::vector<Bytes> keys;
  for (int i = 0; i < 20; ++i) {
    keys.push_back(key8(rng()));
    ASSERT_EQ(st.update(0, keys.back(), le32(i)), 0);
  }
  EXPECT_EQ(st.keys(0), keys) << "slots are taken in order";
  // Deleting frees slots; new keys fill them last-freed first.
  ASSERT_EQ(st.remove(0, keys[3]), 0);
  ASSERT_EQ(st.remove(0, keys[7]), 0);
  const Bytes a = key8(1), b = key8(2);
  ASSERT_EQ(st.update(0, a, le32(0)), 0);
  ASSERT_EQ(st.update(0, b, le32(0)), 0);
  keys[7] = a;
  keys[3] = b;
  EXPECT_EQ(st.keys(0), keys);
  const Bytes missing = key8(12345);
  ASSERT_EQ(st.next(0, &missing, &n), 0);
  EXPECT_EQ(n, keys.front()) << "a missing key restarts at the first, as Linux's htab";
  ASSERT_EQ(st.next(0, &keys.back(), &n), -ENOENT);
}

TEST(MapStoreHash, DeletingWhileIteratingVisitsEveryKey) {
  // The usual "get next, delete previous" loop of tools such as bpftool.
  Store st({spec(MapType::kHash, 8, 4, 64)});
  std::set<Bytes> keys;
  for (uint64_t i = 0; i < 64; ++i) {
    keys.insert(key8(i * 7919));
    ASSERT_EQ(st.update(0, key8(i * 7919), le32(1)), 0);
  }
  std::set<Bytes> seen;
  Bytes cur, n;
  ASSERT_EQ(st.next(0, nullptr, &cur), 0);
  for (;;) {
    seen.insert(cur);
    const int e = st.next(0, &cur, &n);
    ASSERT_EQ(st.remove(0, cur), 0);
    if (e != 0) break;
    cur = n;
  }
  EXPECT_EQ(seen, keys);
  EXPECT_EQ(st.s.entry_count(0), 0u);
}

TEST(MapStoreHash, PercpuHashHostAndProgramViews) {
  Store st({spec(MapType::kPercpuHash, 4, 4, 8)}, {.cores = 2});
  EXPECT_EQ(host_value_size(st.s, 0), 16u);
  const Bytes v = {1, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 2, 0, 0, 0, 0xbb, 0xbb, 0xbb, 0xbb};
  ASSERT_EQ(st.update(0, le32(5), v), 0);
  EXPECT_EQ(st.value(0, le32(5)), v);
  // A program creating an element writes its core's copy; the other core reads zeros.
  const Bytes pv = le32(0x77);
  ASSERT_EQ(st.s.prog_update(0, le32(6).data(), pv.data(), kBpfAny, 1), 0);
  EXPECT_EQ(st.value(0, le32(6)), cat({Bytes(8, 0), le32(0x77), Bytes(4, 0)}));
  EXPECT_EQ(st.prog_lookup(0, le32(6), 1), *st.prog_lookup(0, le32(6), 0) + 8);
  // Updating an existing element from a program changes its core only.
  ASSERT_EQ(st.s.prog_update(0, le32(5).data(), pv.data(), kBpfExist, 0), 0);
  EXPECT_EQ(st.value(0, le32(5)), cat({le32(0x77), Bytes(4, 0xaa), le32(2), Bytes(4, 0xbb)}));
}

TEST(MapStoreLru, EvictsTheLeastRecentlyUsedWhenFull) {
  Store st({spec(MapType::kLruHash, 8, 4, 4)});
  for (uint32_t k = 1; k <= 4; ++k) ASSERT_EQ(st.update(0, key8(k), le32(k)), 0);
  // Uses: a program lookup of 1, then an update of 2; host lookups do not count.
  ASSERT_TRUE(st.prog_lookup(0, key8(1)));
  ASSERT_EQ(st.update(0, key8(2), le32(20)), 0);
  EXPECT_EQ(st.lookup(0, key8(3)), 0);
  ASSERT_EQ(st.update(0, key8(5), le32(5)), 0) << "LRU maps evict instead of E2BIG";
  EXPECT_EQ(st.lookup(0, key8(3)), -ENOENT) << "3 was the least recently used";
  ASSERT_EQ(st.update(0, key8(6), le32(6)), 0);
  EXPECT_EQ(st.lookup(0, key8(4)), -ENOENT);
  ASSERT_EQ(st.update(0, key8(7), le32(7)), 0);
  EXPECT_EQ(st.lookup(0, key8(1)), -ENOENT);
  for (uint64_t k : {2, 5, 6, 7}) EXPECT_EQ(st.lookup(0, key8(k)), 0) << k;
  EXPECT_EQ(st.s.entry_count(0), 4u);
}

TEST(MapStoreLru, MatchesAnIndependentRecencyModel) {
  // max_entries 8: 32 buckets, so the probe window is the whole table and only the
  // whole-map rule evicts. The test keeps its own "last use" clock per key.
  Store st({spec(MapType::kLruHash, 8, 4, 8)});
  std::map<uint64_t, uint64_t> last_use;
  uint64_t clock = 0, state = 5;
  for (int i = 0; i < 5000; ++i) {
    const uint64_t k = prandom_next(state) % 20;
    const uint32_t op = prandom_next(state) % 4;
    if (op == 0) {
      const bool hit = st.prog_lookup(0, key8(k)).has_value();
      ASSERT_EQ(hit, last_use.count(k) == 1) << i;
      if (hit) last_use[k] = ++clock;
    } else if (op == 1) {
      ASSERT_EQ(st.remove(0, key8(k)), last_use.erase(k) ? 0 : -ENOENT) << i;
    } else if (op == 2) {
      ASSERT_EQ(st.lookup(0, key8(k)), last_use.count(k) ? 0 : -ENOENT) << "host lookup, no use";
    } else {
      if (!last_use.count(k) && last_use.size() == 8) {
        auto victim = std::min_element(last_use.begin(), last_use.end(),
                                       [](auto& a, auto& b) { return a.second < b.second; });
        last_use.erase(victim);
      }
      ASSERT_EQ(st.update(0, key8(k), le32(static_cast<uint32_t>(i))), 0) << i;
      last_use[k] = ++clock;
    }
    ASSERT_EQ(st.s.entry_count(0), last_use.size()) << i;
  }
  std::set<Bytes> want;
  for (const auto& [k, t] : last_use) want.insert(key8(k));
  const auto keys = st.keys(0);
  EXPECT_EQ(std::set<Bytes>(keys.begin(), keys.end()), want);
}

TEST(MapStoreLru, FlagsAndDeletesDoNotEvict) {
  Store st({spec(MapType::kLruHash, 8, 4, 2)});
  ASSERT_EQ(st.update(0, key8(1), le32(1)), 0);
  ASSERT_EQ(st.update(0, key8(2), le32(2)), 0);
  EXPECT_EQ(st.update(0, key8(3), le32(3), kBpfExist), -ENOENT);
  EXPECT_EQ(st.update(0, key8(1), le32(3), kBpfNoexist), -EEXIST);
  EXPECT_EQ(st.s.entry_count(0), 2u);
  ASSERT_EQ(st.remove(0, key8(1)), 0);
  ASSERT_EQ(st.update(0, key8(3), le32(3)), 0);
  EXPECT_EQ(st.lookup(0, key8(2)), 0) << "room was free: nothing evicted";
}

TEST(MapStoreLru, FullProbeWindowEvictsItsLeastRecentlyUsedInPlace) {
  Store st({spec(MapType::kLruHash, 8, 4, 64)});
  const uint32_t nb = st.s.bucket_count(0);
  const auto keys = colliding_keys(40, nb, kHashProbeLimit + 1);
  for (uint32_t i = 0; i < kHashProbeLimit; ++i) ASSERT_EQ(st.update(0, keys[i], le32(i)), 0);
  // Use every key but keys[4], which becomes the least recently used of the window.
  const auto off4 = st.prog_lookup(0, keys[4]);
  for (uint32_t i = 0; i < kHashProbeLimit; ++i) {
    if (i != 4) {
      ASSERT_TRUE(st.prog_lookup(0, keys[i]));
    }
  }
  const auto bucket4 = st.s.bucket_of(0, keys[4]);
  ASSERT_EQ(st.update(0, keys[kHashProbeLimit], le32(99)), 0);
  EXPECT_EQ(st.lookup(0, keys[4]), -ENOENT);
  EXPECT_EQ(st.s.bucket_of(0, keys[kHashProbeLimit]), bucket4) << "the victim's bucket";
  EXPECT_EQ(st.prog_lookup(0, keys[kHashProbeLimit]), off4) << "and its slot";
  EXPECT_EQ(st.s.entry_count(0), kHashProbeLimit);
}

// ---------------------------------------------------------------- LPM trie

TEST(MapStoreLpm, Ipv4LongestPrefixMatch) {
  Store st({spec(MapType::kLpmTrie, 8, 4, 16, kBpfFNoPrealloc)});
  ASSERT_EQ(st.update(0, v4(8, 10, 0, 0, 0), le32(8)), 0);
  ASSERT_EQ(st.update(0, v4(16, 10, 1, 0, 0), le32(16)), 0);
  ASSERT_EQ(st.update(0, v4(24, 10, 1, 2, 0), le32(24)), 0);
  ASSERT_EQ(st.update(0, v4(32, 10, 1, 2, 3), le32(32)), 0);
  ASSERT_EQ(st.update(0, v4(0, 0, 0, 0, 0), le32(0)), 0);
  auto match = [&](const Bytes& k) -> int64_t {
    Bytes v;
    if (st.lookup(0, k, &v) != 0) return -1;
    return u32(v);
  };
  EXPECT_EQ(match(v4(32, 10, 1, 2, 3)), 32);
  EXPECT_EQ(match(v4(32, 10, 1, 2, 4)), 24);
  EXPECT_EQ(match(v4(32, 10, 1, 3, 3)), 16);
  EXPECT_EQ(match(v4(32, 10, 2, 2, 3)), 8);
  EXPECT_EQ(match(v4(32, 11, 1, 2, 3)), 0) << "/0 matches everything";
  EXPECT_EQ(match(v4(20, 10, 1, 2, 3)), 16) << "the lookup's prefixlen bounds the match";
  EXPECT_EQ(match(v4(0, 10, 1, 2, 3)), 0);
  EXPECT_EQ(match(v4(33, 10, 1, 2, 3)), -1) << "prefixlen above 32: no match";
  ASSERT_EQ(st.remove(0, v4(0, 0, 0, 0, 0)), 0);
  EXPECT_EQ(match(v4(32, 11, 1, 2, 3)), -1);
  // Bits past the prefix are ignored when matching and deleting.
  EXPECT_EQ(st.remove(0, v4(24, 10, 1, 2, 99)), 0);
  EXPECT_EQ(match(v4(32, 10, 1, 2, 4)), 16);
}

TEST(MapStoreLpm, Ipv6LongestPrefixMatch) {
  Store st({spec(MapType::kLpmTrie, 20, 8, 16, kBpfFNoPrealloc)});
  const uint64_t net = 0x20010db800000000ull;
  ASSERT_EQ(st.update(0, v6(0, 0, 0), le64(0)), 0);
  ASSERT_EQ(st.update(0, v6(32, net, 0), le64(32)), 0);
  ASSERT_EQ(st.update(0, v6(64, net | 0x12340000ull, 0), le64(64)), 0);
  ASSERT_EQ(st.update(0, v6(127, net | 0x12340000ull, 0x10), le64(127)), 0);
  ASSERT_EQ(st.update(0, v6(128, net | 0x12340000ull, 0x11), le64(128)), 0);
  auto match = [&](const Bytes& k) -> int64_t {
    Bytes v;
    return st.lookup(0, k, &v) == 0 ? static_cast<int64_t>(u64(v)) : -1;
  };
  EXPECT_EQ(match(v6(128, net | 0x12340000ull, 0x11)), 128);
  EXPECT_EQ(match(v6(128, net | 0x12340000ull, 0x10)), 127);
  EXPECT_EQ(match(v6(128, net | 0x12340000ull, 0x12)), 64);
  EXPECT_EQ(match(v6(128, net | 0x12350000ull, 0x11)), 32);
  EXPECT_EQ(match(v6(128, 0x20020db800000000ull, 0)), 0);
  EXPECT_EQ(match(v6(129, net, 0)), -1);
  EXPECT_EQ(st.update(0, v6(129, net, 0), le64(1)), -EINVAL);
}

TEST(MapStoreLpm, ErrnosAsLinux) {
  Store st({spec(MapType::kLpmTrie, 8, 4, 2, kBpfFNoPrealloc)});
  EXPECT_EQ(st.update(0, v4(33, 1, 2, 3, 4), le32(1)), -EINVAL);
  EXPECT_EQ(st.update(0, v4(8, 1, 2, 3, 4), le32(1), 3), -EINVAL);
  EXPECT_EQ(st.update(0, v4(8, 1, 0, 0, 0), le32(1), kBpfExist), -ENOENT);
  ASSERT_EQ(st.update(0, v4(8, 1, 0, 0, 0), le32(1), kBpfNoexist), 0);
  EXPECT_EQ(st.update(0, v4(8, 1, 9, 9, 9), le32(2), kBpfNoexist), -EEXIST);
  ASSERT_EQ(st.update(0, v4(16, 1, 1, 0, 0), le32(3)), 0);
  EXPECT_EQ(st.update(0, v4(24, 1, 1, 1, 0), le32(4)), -ENOSPC) << "LPM's full errno";
  EXPECT_EQ(st.update(0, v4(8, 1, 0, 0, 0), le32(5), kBpfExist), 0) << "replace when full";
  EXPECT_EQ(st.remove(0, v4(24, 1, 1, 1, 0)), -ENOENT);
  EXPECT_EQ(st.remove(0, v4(33, 1, 1, 1, 0)), -EINVAL);
  EXPECT_EQ(st.remove(0, v4(12, 1, 0, 0, 0)), -ENOENT) << "exact prefix only";
}

TEST(MapStoreLpm, KeyBytesPastThePrefixAreKeptAsLastWritten) {
  Store st({spec(MapType::kLpmTrie, 8, 4, 4, kBpfFNoPrealloc)});
  ASSERT_EQ(st.update(0, v4(16, 192, 168, 7, 7), le32(1)), 0);
  Bytes n;
  ASSERT_EQ(st.next(0, nullptr, &n), 0);
  EXPECT_EQ(n, v4(16, 192, 168, 7, 7));
  ASSERT_EQ(st.update(0, v4(16, 192, 168, 9, 9), le32(2)), 0);
  ASSERT_EQ(st.next(0, nullptr, &n), 0);
  EXPECT_EQ(n, v4(16, 192, 168, 9, 9));
  EXPECT_EQ(u32(st.value(0, v4(32, 192, 168, 1, 1))), 2u);
  EXPECT_EQ(st.s.entry_count(0), 1u);
}

TEST(MapStoreLpm, GetNextKeyIsTheTriesPostOrder) {
  // The example of Linux's lpm_trie.c: more specific prefixes first, a 0 bit before a 1 bit.
  Store st({spec(MapType::kLpmTrie, 8, 4, 16, kBpfFNoPrealloc)});
  const std::vector<Bytes> order = {
      v4(24, 192, 168, 0, 0), v4(24, 192, 168, 1, 0), v4(24, 192, 168, 128, 0),
      v4(16, 192, 168, 0, 0), v4(32, 193, 0, 0, 1),   v4(1, 128, 0, 0, 0),
      v4(0, 0, 0, 0, 0)};
  for (uint32_t i : {3u, 1u, 6u, 0u, 5u, 2u, 4u}) ASSERT_EQ(st.update(0, order[i], le32(i)), 0);
  EXPECT_EQ(st.keys(0), order);
  Bytes n;
  const Bytes missing = v4(24, 10, 0, 0, 0);
  ASSERT_EQ(st.next(0, &missing, &n), 0);
  EXPECT_EQ(n, order.front()) << "a key not in the trie restarts at the first";
  const Bytes bad = v4(40, 192, 168, 0, 0);
  ASSERT_EQ(st.next(0, &bad, &n), 0);
  EXPECT_EQ(n, order.front());
  EXPECT_EQ(st.next(0, &order.back(), &n), -ENOENT);
  Store empty({spec(MapType::kLpmTrie, 8, 4, 16, kBpfFNoPrealloc)});
  EXPECT_EQ(empty.next(0, nullptr, &n), -ENOENT);
}

TEST(MapStoreLpm, ProgramLookupReturnsTheValueSlot) {
  Store st({spec(MapType::kLpmTrie, 8, 12, 4, kBpfFNoPrealloc)});
  ASSERT_EQ(st.update(0, v4(8, 10, 0, 0, 0), Bytes(12, 1)), 0);
  ASSERT_EQ(st.update(0, v4(16, 10, 1, 0, 0), Bytes(12, 2)), 0);
  EXPECT_EQ(st.prog_lookup(0, v4(32, 10, 1, 1, 1)), 16u);
  EXPECT_EQ(st.prog_lookup(0, v4(32, 10, 2, 1, 1)), 0u);
  EXPECT_EQ(st.prog_lookup(0, v4(32, 11, 2, 1, 1)), std::nullopt);
  EXPECT_FALSE(st.s.region(0).read_only);
}

// ---------------------------------------------------------------- devmap, prog array, others

TEST(MapStoreDevmap, ArrayOfInterfaces) {
  Store st({spec(MapType::kDevmap, 4, 4, 4), spec(MapType::kDevmap, 4, 8, 2)});
  EXPECT_EQ(st.lookup(0, le32(1)), -ENOENT) << "empty slot";
  ASSERT_EQ(st.update(0, le32(1), le32(7)), 0);
  EXPECT_EQ(u32(st.value(0, le32(1))), 7u);
  EXPECT_EQ(st.s.devmap_ifindex(0, 1), 7u);
  EXPECT_EQ(st.update(0, le32(1), le32(8), kBpfNoexist), -EEXIST);
  EXPECT_EQ(st.update(0, le32(4), le32(8)), -E2BIG);
  EXPECT_EQ(st.update(0, le32(1), le32(8), 4), -EINVAL);
  ASSERT_EQ(st.update(0, le32(1), le32(0)), 0) << "ifindex 0 empties the slot";
  EXPECT_EQ(st.lookup(0, le32(1)), -ENOENT);
  ASSERT_EQ(st.update(0, le32(2), le32(3)), 0);
  EXPECT_EQ(st.remove(0, le32(2)), 0);
  EXPECT_EQ(st.remove(0, le32(2)), 0) << "deleting an empty slot is not an error";
  EXPECT_EQ(st.remove(0, le32(4)), -EINVAL);
  EXPECT_EQ(st.keys(0).size(), 4u) << "iteration visits every index";
  EXPECT_TRUE(st.s.region(0).read_only);
  // struct bpf_devmap_val: the program id reads 0; a program fd is not supported.
  ASSERT_EQ(st.update(1, le32(0), cat({le32(5), le32(0xffffffff)})), 0);
  EXPECT_EQ(st.value(1, le32(0)), cat({le32(5), le32(0)}));
  EXPECT_EQ(st.update(1, le32(0), cat({le32(5), le32(3)})), -EOPNOTSUPP);
  EXPECT_EQ(st.update(1, le32(0), cat({le32(0), le32(3)})), -EINVAL);
}

TEST(MapStoreDevmap, HashOfInterfaces) {
  Store st({spec(MapType::kDevmapHash, 4, 4, 2)});
  EXPECT_EQ(st.update(0, le32(100), le32(3), kBpfExist), 0)
      << "Linux's devmap_hash does not check BPF_EXIST";
  EXPECT_EQ(st.update(0, le32(100), le32(4), kBpfNoexist), -EEXIST);
  EXPECT_EQ(st.update(0, le32(200), le32(0)), -EINVAL) << "no device has ifindex 0";
  ASSERT_EQ(st.update(0, le32(200), le32(5)), 0);
  EXPECT_EQ(st.update(0, le32(300), le32(6)), -E2BIG);
  EXPECT_EQ(st.s.devmap_ifindex(0, 200), 5u);
  EXPECT_EQ(st.s.devmap_ifindex(0, 300), std::nullopt);
  EXPECT_EQ(st.remove(0, le32(300)), -ENOENT);
  EXPECT_EQ(st.remove(0, le32(200)), 0);
  EXPECT_EQ(st.keys(0), std::vector<Bytes>{le32(100)});
}

TEST(MapStoreProgArray, SlotsHoldProgramIndexes) {
  Store st({spec(MapType::kProgArray, 4, 4, 4)});
  EXPECT_EQ(st.lookup(0, le32(1)), -ENOENT);
  EXPECT_EQ(st.update(0, le32(1), le32(2), kBpfNoexist), -EINVAL) << "only BPF_ANY";
  EXPECT_EQ(st.update(0, le32(1), le32(2), kBpfExist), -EINVAL);
  EXPECT_EQ(st.update(0, le32(4), le32(2)), -E2BIG);
  ASSERT_EQ(st.update(0, le32(1), le32(2)), 0);
  EXPECT_EQ(st.s.prog_array_get(0, 1), 2u);
  EXPECT_EQ(u32(st.value(0, le32(1))), 2u);
  EXPECT_EQ(st.remove(0, le32(1)), 0);
  EXPECT_EQ(st.remove(0, le32(1)), -ENOENT);
  EXPECT_EQ(st.remove(0, le32(4)), -E2BIG);
  EXPECT_EQ(st.s.region(0).limit, 0u) << "programs cannot address a prog array";
}

TEST(MapStoreOther, RingbufAndPerfEventArrayHaveNoHostValues) {
  Store st({spec(MapType::kRingbuf, 0, 0, 4096), spec(MapType::kPerfEventArray, 4, 4, 0)},
           {.cores = 2});
  EXPECT_EQ(st.s.spec(1).max_entries, 2u) << "max_entries 0: one ring per core";
  Bytes n;
  EXPECT_EQ(st.s.get_next_key(0, std::nullopt, n), -kEnotsupp);
  EXPECT_EQ(st.lookup(1, le32(0)), -kEnotsupp);
  EXPECT_EQ(st.update(1, le32(0), le32(0)), -kEnotsupp);
  EXPECT_EQ(st.keys(1).size(), 2u);
  EXPECT_TRUE(dump_map(st.s, 0).empty());
  EXPECT_TRUE(dump_map(st.s, 1).empty());
}

TEST(MapStoreOther, DumpAndProgArrayInitialValues) {
  std::vector<MapSpec> specs = {spec(MapType::kHash, 4, 4, 8, 0, "h"),
                                spec(MapType::kProgArray, 4, 4, 4, 0, "jmp")};
  specs[1].prog_array_init = {{0, "second"}, {3, "first"}};
  Store st(specs);
  std::vector<ProgramSpec> progs(2);
  progs[0].name = "first";
  progs[1].name = "second";
  init_prog_arrays(st.s, specs, progs);
  EXPECT_EQ(st.s.prog_array_get(1, 0), 1u);
  EXPECT_EQ(st.s.prog_array_get(1, 3), 0u);
  ASSERT_EQ(st.update(0, le32(5), le32(50)), 0);
  ASSERT_EQ(st.update(0, le32(6), le32(60)), 0);
  auto d = dump_map(st.s, 0);
  std::sort(d.begin(), d.end());
  EXPECT_EQ(d, (std::vector<MapEntry>{{le32(5), le32(50)}, {le32(6), le32(60)}}));
  EXPECT_EQ(dump_map(st.s, 1).size(), 2u) << "filled slots only";
  specs[1].prog_array_init = {{1, "nope"}};
  EXPECT_THROW(init_prog_arrays(st.s, specs, progs), Error);
}

TEST(MapStoreConfig, RefusesBadDescriptorsWithTheMapName) {
  auto refuse = [](MapSpec s, const std::string& part) {
    MapStore st;
    try {
      st.configure(std::vector<MapSpec>{s});
      ADD_FAILURE() << "accepted: " << part;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("map 'm'"), std::string::npos) << e.what();
    }
  };
  refuse(spec(MapType::kArray, 8, 4, 4), "key_size must be 4");
  refuse(spec(MapType::kArray, 4, 0, 4), "value_size is 0");
  refuse(spec(MapType::kArray, 4, 4, 0), "max_entries is 0");
  refuse(spec(MapType::kHash, 0, 4, 4), "key_size must be 1..512");
  refuse(spec(MapType::kHash, 4, 4, 4, kBpfFNoCommonLru), "map_flags 0x2");
  refuse(spec(MapType::kLruHash, 4, 4, 4, kBpfFNoPrealloc), "map_flags 0x1");
  refuse(spec(MapType::kLpmTrie, 4, 4, 4), "key_size must be 5..260");
  refuse(spec(MapType::kDevmap, 4, 6, 4), "value_size must be 4");
  refuse(spec(MapType::kRingbuf, 0, 0, 1000), "power of 2");
  refuse(spec(MapType::kArray, 4, 1 << 20, 1 << 13), "4 GiB");
  refuse(spec(static_cast<MapType>(10), 4, 4, 4), "does not support");
  MapStore st;
  EXPECT_NO_THROW(st.configure(std::vector<MapSpec>{spec(MapType::kLpmTrie, 8, 4, 4)}))
      << "LPM without BPF_F_NO_PREALLOC is accepted";
  EXPECT_THROW(st.configure({}, {.cores = 0}), Error);
}

TEST(MapStoreConfig, HostSpansOfTheWrongSizeThrow) {
  Store st({spec(MapType::kHash, 8, 4, 4)});
  Bytes v(4);
  EXPECT_THROW(st.s.lookup(0, le32(1), v), Error);
  EXPECT_THROW(st.s.update(0, key8(1), Bytes(5), 0), Error);
  EXPECT_THROW(st.s.lookup(1, key8(1), v), Error);
}

}  // namespace
}  // namespace ebpf::maptest
