// A seeded loss-injecting proxy between the host and the simulated board: register traffic
// stays correct with exact retry accounting; the map unit's sequenced commands (MCMD_STAGE,
// the MCMD doorbell, MCMD_LAST_SEQ) execute exactly once with the status the reference
// map model gives, under loss and under duplication and reordering; a command whose fate
// is unknown is settled before the next; runs started with RUN_SEQ never run twice.
#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/maps.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

using namespace std::chrono_literals;

MapSpec make_spec(const std::string& name, MapType type, uint32_t key_size,
                  uint32_t value_size, uint32_t max_entries) {
  MapSpec s;
  s.name = name;
  s.type = type;
  s.key_size = key_size;
  s.value_size = value_size;
  s.max_entries = max_entries;
  return s;
}

// A lossy link wants short timeouts and many retries.
const std::string kLossy = "?timeout_us=1000&backoff=1.5&max_timeout_ms=20&retries=40";

void print_stats(const char* what, const BusStats& s, const test::ProxyDirStats& c2s,
                 const test::ProxyDirStats& s2c) {
  std::printf(
      "%s: requests %llu, retries %llu, datagrams %llu, replies %llu (stale %llu); proxy "
      "c2s in %llu dropped %llu dup %llu held %llu, s2c in %llu dropped %llu dup %llu held "
      "%llu\n",
      what, (unsigned long long)s.requests, (unsigned long long)s.retries,
      (unsigned long long)s.datagrams_sent, (unsigned long long)s.replies,
      (unsigned long long)s.stale_replies, (unsigned long long)c2s.in,
      (unsigned long long)c2s.dropped, (unsigned long long)c2s.duplicated,
      (unsigned long long)c2s.held, (unsigned long long)s2c.in, (unsigned long long)s2c.dropped,
      (unsigned long long)s2c.duplicated, (unsigned long long)s2c.held);
}

// Waits out late datagrams, then makes one clean request: its reply arrives after every
// earlier one, so the client has counted them all when it returns. A request that needed a
// retry (a slow moment: the timeouts are short) leaves a copy of its reply behind, so then
// once more.
void drain(test::LossyProxy& proxy, Bus& bus) {
  proxy.set_options({});
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(50ms);
    const uint64_t retries = bus.stats().retries;
    bus.read(csr::kId);
    if (bus.stats().retries == retries) return;
  }
}

TEST(Lossy, TenThousandWritesAndReadbacksUnderTwentyPercentLoss) {
  test::SimServer server({.pcie_socket = false});
  test::LossyProxy proxy(server.port(), {.drop_c2s = 0.2, .drop_s2c = 0.2, .seed = 42});
  auto bus = Bus::open(proxy.uri() + kLossy);
  std::mt19937 rng(7);
  int wrong = 0;
  for (int i = 0; i < 10'000; ++i) {
    const uint32_t addr = csr::kWinPacket + 4 * static_cast<uint32_t>(i % 2000);
    const uint32_t v = static_cast<uint32_t>(rng());
    uint32_t back = ~v;
    BusBatch b(*bus);
    b.write(addr, v).read(addr, &back);
    b.flush({.atomic = true});
    wrong += back != v;
  }
  EXPECT_EQ(wrong, 0);
  drain(proxy, *bus);

  const BusStats s = bus->stats();
  const test::ProxyDirStats c2s = proxy.c2s(), s2c = proxy.s2c();
  print_stats("writes+readbacks", s, c2s, s2c);
  EXPECT_GE(s.requests, 10'002u);  // the probe, the 10,000, the drain
  EXPECT_EQ(s.accepted, s.requests);
  EXPECT_EQ(s.requests + s.retries, s.datagrams_sent);
  EXPECT_EQ(s.datagrams_sent, c2s.in);
  EXPECT_EQ(s.replies, s2c.out);
  EXPECT_EQ(s.replies, s.accepted + s.stale_replies);
  EXPECT_EQ(s.malformed_replies, 0u);
  // On a link that only drops, an attempt without an accepted reply lost its request or its
  // reply, or its reply came after the timeout (and then it is one of the stale ones).
  EXPECT_EQ(s.retries, c2s.dropped + s2c.dropped + s.stale_replies);
  EXPECT_NEAR(static_cast<double>(c2s.dropped) / static_cast<double>(c2s.in), 0.2, 0.02);
  EXPECT_NEAR(static_cast<double>(s2c.dropped) / static_cast<double>(s2c.in), 0.2, 0.02);

  ASSERT_EQ(server.stop(), 0);
  EXPECT_EQ(server.stat("datagrams"), c2s.out);
  EXPECT_EQ(server.stat("replies"), s2c.in);
  EXPECT_EQ(server.stat("malformed"), 0u);
}

// One hash map of 4-byte keys and 8-byte values, on the device and in the reference model.
std::vector<MapSpec> hash_map(uint32_t max_entries) {
  return {make_spec("h", MapType::kHash, 4, 8, max_entries)};
}

std::array<uint8_t, 4> key_bytes(uint32_t k) {
  std::array<uint8_t, 4> b;
  std::memcpy(b.data(), &k, 4);
  return b;
}
std::array<uint8_t, 8> value_bytes(uint64_t v) {
  std::array<uint8_t, 8> b;
  std::memcpy(b.data(), &v, 8);
  return b;
}

struct MixResult {
  uint64_t commands = 0;           // map commands the mix issued
  uint64_t noexist_inserts = 0;    // of distinct new keys (each must answer 0)
  uint64_t updates = 0, deletes = 0;
  uint64_t expected_errors = 0;    // -EEXIST, -ENOENT, -E2BIG the reference also gives
  int wrong_status = 0;
};

// `updates` updates and about a tenth as many deletes on map 0 of `dev` and of `ref`, with
// every status compared: NOEXIST inserts of fresh keys, EXIST and ANY updates of present
// keys, NOEXIST on present keys (-EEXIST), EXIST on absent ones (-ENOENT), deletes of
// present and absent keys. A command run twice shows as a wrong status (a repeated NOEXIST
// insert answers -EEXIST, a repeated delete -ENOENT) or, at the end, as a wrong value.
MixResult run_mix(MapAccess& dev, MapStore& ref, uint32_t updates, uint32_t seed,
                  uint32_t max_entries) {
  std::mt19937 rng(seed);
  std::vector<uint32_t> present;
  uint32_t next_key = 1;
  MixResult m;
  uint32_t done_updates = 0;
  while (done_updates < updates) {
    const auto dice = static_cast<uint32_t>(rng() % 100);
    uint32_t k;
    uint64_t flags = kBpfAny;
    bool del = false;
    if (dice < 9 && !present.empty()) {  // delete a present key
      const size_t i = rng() % present.size();
      k = present[i];
      present[i] = present.back();
      present.pop_back();
      del = true;
    } else if (dice < 10) {  // delete an absent key: -ENOENT
      k = 0x8000'0000u + (rng() & 0xffff);
      del = true;
    } else if (dice < 55 && present.size() < max_entries) {  // NOEXIST insert of a new key
      k = next_key++ * 2654435761u;
      flags = kBpfNoexist;
      present.push_back(k);
      ++m.noexist_inserts;
    } else if (dice < 60 && !present.empty()) {  // NOEXIST on a present key: -EEXIST
      k = present[rng() % present.size()];
      flags = kBpfNoexist;
    } else if (dice < 65) {  // EXIST on an absent key: -ENOENT
      k = 0x9000'0000u + (rng() & 0xffff);
      flags = kBpfExist;
    } else if (!present.empty()) {  // EXIST or ANY update of a present key
      k = present[rng() % present.size()];
      flags = (dice & 1) ? kBpfExist : kBpfAny;
    } else {
      continue;
    }
    const auto kb = key_bytes(k);
    int want, got;
    if (del) {
      want = ref.remove(0, kb);
      got = dev.remove(0, kb);
      ++m.deletes;
    } else {
      const auto vb = value_bytes((uint64_t{k} << 32) | done_updates);
      want = ref.update(0, kb, vb, flags);
      got = dev.update(0, kb, vb, flags);
      ++m.updates;
      ++done_updates;
    }
    ++m.commands;
    if (want != 0) ++m.expected_errors;
    if (got != want) {
      if (++m.wrong_status <= 10) {
        ADD_FAILURE() << "command " << m.commands << (del ? ": delete" : ": update flags ")
                      << (del ? 0 : flags) << " key " << k << ": the device answered " << got
                      << ", the reference " << want;
      }
    }
  }
  return m;
}

void check_map_updates_exactly_once(const test::ProxyOptions& link, uint32_t seed,
                                    const char* what) {
  test::SimServer server({.pcie_socket = false});
  test::LossyProxy proxy(server.port(), {});
  Device dev = Device::open(proxy.uri() + kLossy);
  constexpr uint32_t kMaxEntries = 2048;
  const auto specs = hash_map(kMaxEntries);
  dev.engine().configure_maps(specs, {});
  MapStore ref;
  ref.configure(specs);
  Bus& bus = *dev.bus();
  const uint32_t exec0 = bus.read(csr::kMcmdExecuted);
  const uint64_t host0 = dev.stats().map_commands;
  proxy.set_options(link);

  const MixResult m = run_mix(*dev.engine().maps(), ref, 10'000, seed, kMaxEntries);
  drain(proxy, bus);
  EXPECT_EQ(m.wrong_status, 0);
  EXPECT_EQ(m.updates, 10'000u);
  EXPECT_GT(m.noexist_inserts, 2'000u);
  EXPECT_GT(m.deletes, 500u);
  EXPECT_GT(m.expected_errors, 1'000u);
  // The device executed each command exactly once: its count moved by the number issued.
  EXPECT_EQ(bus.read(csr::kMcmdExecuted) - exec0, m.commands);
  EXPECT_EQ(dev.stats().map_commands - host0, m.commands);
  EXPECT_EQ(bus.read(csr::kMcmdDoneSeq), bus.read(csr::kMcmdLastSeq));
  EXPECT_EQ(dev.stats().map_fences, 0u);
  // The map holds what the reference holds, in the same iteration order.
  const std::vector<MapEntry> got = dump_map(*dev.engine().maps(), 0);
  const std::vector<MapEntry> want = dump_map(ref, 0);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want) << "the device's map differs from the reference";

  const BusStats s = bus.stats();
  const test::ProxyDirStats c2s = proxy.c2s(), s2c = proxy.s2c();
  print_stats(what, s, c2s, s2c);
  std::printf("%s: %llu map commands (%llu updates, %llu deletes, %llu expected errors), %llu "
              "stagings sent again\n",
              what, (unsigned long long)m.commands, (unsigned long long)m.updates,
              (unsigned long long)m.deletes, (unsigned long long)m.expected_errors,
              (unsigned long long)dev.stats().map_restages);
  EXPECT_GT(s.retries, 2'000u);
  EXPECT_EQ(s.datagrams_sent, c2s.in);
  EXPECT_EQ(s.replies, s2c.out);
  EXPECT_EQ(s.replies, s.accepted + s.stale_replies);
  EXPECT_EQ(s.accepted, s.requests);
  if (link.duplicate > 0) {
    EXPECT_GT(c2s.duplicated + s2c.duplicated, 500u);
  }
  if (link.reorder > 0) {
    EXPECT_GT(c2s.held + s2c.held, 500u);
  }
  ASSERT_EQ(server.stop(), 0);
  EXPECT_EQ(server.stat("datagrams"), c2s.out);
}

TEST(Lossy, TenThousandMapUpdatesUnderTwentyPercentLossExecuteExactlyOnce) {
  check_map_updates_exactly_once({.drop_c2s = 0.2, .drop_s2c = 0.2, .seed = 1234}, 99,
                                 "map updates, 20% loss");
}

TEST(Lossy, TenThousandMapUpdatesUnderDuplicationAndReorderingExecuteExactlyOnce) {
  check_map_updates_exactly_once({.drop_c2s = 0.2,
                                  .drop_s2c = 0.2,
                                  .duplicate = 0.1,
                                  .reorder = 0.1,
                                  .seed = 4321},
                                 77, "map updates, 20% loss + 10% duplicated + 10% reordered");
}

TEST(Lossy, ACommandWhoseFateIsUnknownIsSettledFirst) {
  test::SimServer server({.pcie_socket = false});
  test::LossyProxy proxy(server.port(), {});
  Device dev = Device::open(proxy.uri() + "?timeout_ms=5&retries=2&backoff=1");
  dev.engine().configure_maps(hash_map(64), {});
  MapAccess& maps = *dev.engine().maps();
  Bus& bus = *dev.bus();
  const uint32_t exec0 = bus.read(csr::kMcmdExecuted);
  const auto k1 = key_bytes(1), k2 = key_bytes(2), k3 = key_bytes(3);
  const auto v = value_bytes(5);
  std::array<uint8_t, 8> out{};
  EXPECT_EQ(maps.update(0, k1, v, kBpfNoexist), 0);

  // The requests vanish: the insert never reaches the device. The next command first gives
  // its sequence number to a command without effect, so a late copy could never run.
  proxy.set_options({.drop_c2s = 1.0});
  EXPECT_THROW(maps.update(0, k2, v, kBpfNoexist), BusError);
  proxy.set_options({});
  EXPECT_EQ(maps.lookup(0, k2, out), -ENOENT);
  EXPECT_EQ(dev.stats().map_fences, 1u);
  EXPECT_EQ(maps.update(0, k2, v, kBpfNoexist), 0);

  // The replies vanish: the insert ran once, unbeknown to the host; the next command finds
  // its number taken and needs no fence.
  proxy.set_options({.drop_s2c = 1.0});
  EXPECT_THROW(maps.update(0, k3, v, kBpfNoexist), BusError);
  proxy.set_options({});
  EXPECT_EQ(maps.lookup(0, k3, out), 0);
  EXPECT_EQ(dev.stats().map_fences, 1u);
  EXPECT_EQ(maps.update(0, k3, v, kBpfNoexist), -EEXIST);
  // insert, fence, lookup, insert, insert (ran), lookup, insert (-EEXIST).
  EXPECT_EQ(bus.read(csr::kMcmdExecuted) - exec0, 7u);
}

// A run that changes memory and a map (an array counter) under loss and duplication: each
// run is started by RUN_SEQ exactly once, so the counter ends at the number of runs and
// LAST_RUN_SEQ moved by as much, however often the starting datagram was re-sent.
TEST(Lossy, RunsStartExactlyOnce) {
  test::SimServer server({.pcie_socket = false});
  test::LossyProxy proxy(server.port(), {});
  Device dev = Device::open(proxy.uri() + kLossy);
  const std::vector<MapSpec> specs = {make_spec("count", MapType::kArray, 4, 8, 1)};
  dev.engine().configure_maps(specs, {});
  dev.load(assemble(
      "mov %r6, %r1\nstw [%r10-4], 0\nlddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -4\n"
      "call 1\njeq %r0, 0, out\nldxdw %r1, [%r0]\nadd %r1, 1\nstxdw [%r0], %r1\n"
      "out:\nldxw %r0, [%r6]\nadd %r0, 1\nstxw [%r6], %r0\nexit\n"));
  Bus& bus = *dev.bus();
  const uint32_t seq0 = bus.read(csr::kLastRunSeq);
  proxy.set_options({.drop_c2s = 0.2, .drop_s2c = 0.2, .duplicate = 0.2, .seed = 5});
  constexpr int kRuns = 300;
  int wrong = 0;
  for (int i = 0; i < kRuns; ++i) {
    MemoryImage mem = conformance_memory({5, 0, 0, 0});
    const RunResult r = dev.test_run(mem);
    wrong += r.fault != FaultCode::kNone || r.r0 != 6 || mem.packet[mem.data] != 6;
  }
  drain(proxy, bus);
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(bus.read(csr::kLastRunSeq) - seq0, static_cast<uint32_t>(kRuns));
  std::array<uint8_t, 8> count{};
  ASSERT_EQ(dev.engine().maps()->lookup(0, key_bytes(0), count), 0);
  uint64_t n;
  std::memcpy(&n, count.data(), 8);
  EXPECT_EQ(n, static_cast<uint64_t>(kRuns));
  const test::ProxyDirStats c2s = proxy.c2s();
  std::printf("runs: %d, RUN_SEQ datagrams re-sent %llu, not taken %llu, bus retries %llu, "
              "c2s duplicated %llu\n",
              kRuns, (unsigned long long)dev.stats().start_resends,
              (unsigned long long)dev.stats().reruns,
              (unsigned long long)bus.stats().retries, (unsigned long long)c2s.duplicated);
  EXPECT_GT(dev.stats().start_resends, 20u);  // re-sent starts that did not run twice
  EXPECT_GT(c2s.duplicated, 100u);
  EXPECT_EQ(dev.stats().runs, static_cast<uint64_t>(kRuns));
}

}  // namespace
}  // namespace ebpf
