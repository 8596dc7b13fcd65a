// A seeded loss-injecting proxy between the host and the simulated board: register traffic
// stays correct with exact retry accounting, sequence-numbered commands execute exactly once,
// a command whose fate is unknown is settled before the next, and runs are repeated (never
// doubled) when the datagram that starts them is re-sent.
#include <gtest/gtest.h>

#include <random>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/cmd_channel.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

using namespace std::chrono_literals;

// A lossy link wants short timeouts and many retries.
const std::string kLossy = "?timeout_us=1000&backoff=1.5&max_timeout_ms=20&retries=40";
constexpr uint32_t kCmdBase = 0x4'0000;  // ebpf-fpga-sim --emulate-cmd-unit default
constexpr uint32_t kOpAdd = 1, kOpGet = 2;

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

TEST(Lossy, TenThousandCommandsExecuteExactlyOnce) {
  test::SimServer server({.pcie_socket = false, .cmd_unit = true});
  test::LossyProxy proxy(server.port(), {.drop_c2s = 0.2,
                                         .drop_s2c = 0.2,
                                         .duplicate = 0.05,
                                         .reorder = 0.05,
                                         .seed = 1234});
  auto bus = Bus::open(proxy.uri() + kLossy);
  CommandChannel ch(*bus, kCmdBase);
  std::mt19937 rng(99);
  std::array<uint32_t, 256> sums{};
  int wrong = 0;
  for (int i = 0; i < 10'000; ++i) {
    const uint32_t key = rng() & 0xff;
    const uint32_t add = static_cast<uint32_t>(rng() % 1000 + 1);
    sums[key] += add;
    const uint32_t args[2] = {key, add};
    const CommandResult r = ch.execute(kOpAdd, args, 1);
    // The new sum after every command: executing one twice (or not at all) shows at once.
    wrong += r.result != 0 || r.data[0] != sums[key];
  }
  EXPECT_EQ(wrong, 0);
  for (uint32_t key = 0; key < 256; ++key) {
    const uint32_t args[1] = {key};
    EXPECT_EQ(ch.execute(kOpGet, args, 1).data[0], sums[key]) << key;
  }
  drain(proxy, *bus);
  EXPECT_EQ(bus->read(kCmdBase + cmd_reg::kExecuted), 10'256u);
  EXPECT_EQ(bus->read(kCmdBase + cmd_reg::kDoneSeq), 10'256u);
  EXPECT_EQ(ch.stats().commands, 10'256u);
  EXPECT_EQ(ch.stats().fences, 0u);

  const BusStats s = bus->stats();
  const test::ProxyDirStats c2s = proxy.c2s(), s2c = proxy.s2c();
  print_stats("commands", s, c2s, s2c);
  std::printf("commands: %llu re-sent whole after a disturbed staging\n",
              (unsigned long long)ch.stats().resends);
  EXPECT_GT(c2s.duplicated + s2c.duplicated, 500u);
  EXPECT_GT(c2s.held + s2c.held, 500u);
  EXPECT_GT(s.retries, 3000u);
  EXPECT_EQ(s.datagrams_sent, c2s.in);
  EXPECT_EQ(s.replies, s2c.out);
  EXPECT_EQ(s.replies, s.accepted + s.stale_replies);
  EXPECT_EQ(s.accepted, s.requests);
  ASSERT_EQ(server.stop(), 0);
  EXPECT_EQ(server.stat("datagrams"), c2s.out);
  EXPECT_EQ(server.stat("cmd_executed"), 10'256u);
}

TEST(Lossy, ACommandWhoseFateIsUnknownIsSettledFirst) {
  test::SimServer server({.pcie_socket = false, .cmd_unit = true});
  test::LossyProxy proxy(server.port(), {});
  auto bus = Bus::open(proxy.uri() + "?timeout_ms=5&retries=2&backoff=1");
  CommandChannel ch(*bus, kCmdBase);
  const uint32_t add5[2] = {1, 5}, add7[2] = {1, 7}, add11[2] = {1, 11}, add100[2] = {1, 100};
  const uint32_t get1[1] = {1};
  EXPECT_EQ(ch.execute(kOpAdd, add5, 1).data[0], 5u);

  // The requests vanish: the ADD never reaches the device. The next command first takes
  // its sequence number with a NOP, so a late copy of it could never run.
  proxy.set_options({.drop_c2s = 1.0});
  EXPECT_THROW(ch.execute(kOpAdd, add7, 1), BusError);
  proxy.set_options({});
  EXPECT_EQ(ch.execute(kOpAdd, add11, 1).data[0], 16u);
  EXPECT_EQ(ch.stats().fences, 1u);
  EXPECT_EQ(ch.stats().late_executions, 0u);

  // The replies vanish: the ADD ran once, unbeknown to the host; the next command finds out.
  proxy.set_options({.drop_s2c = 1.0});
  EXPECT_THROW(ch.execute(kOpAdd, add100, 1), BusError);
  proxy.set_options({});
  EXPECT_EQ(ch.execute(kOpGet, get1, 1).data[0], 116u);
  EXPECT_EQ(ch.stats().fences, 1u);
  EXPECT_EQ(ch.stats().late_executions, 1u);
  // 1 ADD, the fencing NOP, 1 ADD, the ADD that ran late, the GET.
  EXPECT_EQ(bus->read(kCmdBase + cmd_reg::kExecuted), 5u);
}

TEST(Commands, BusyCommandsArePolledAndErrorsReturned) {
  test::SimServer server({.pcie_socket = true, .cmd_unit = true, .cmd_latency_us = 3000});
  for (const std::string& uri : {server.udp_uri(), server.pcie_uri()}) {
    auto bus = Bus::open(uri);
    CommandChannel ch(*bus, kCmdBase);
    EXPECT_EQ(ch.arg_words(), 64u);
    const uint32_t args[2] = {9, 3};
    EXPECT_EQ(ch.execute(kOpAdd, args, 1).result, 0) << uri;
    EXPECT_GT(ch.stats().polls, 0u) << uri;
    EXPECT_EQ(ch.execute(77, args).result, -EINVAL) << uri;  // an opcode the unit lacks
    const std::vector<uint32_t> too_many(65, 0);
    EXPECT_THROW(ch.execute(kOpAdd, too_many), Error);
  }
  // Over PCIe an unmapped block reads 0 (over Etherbone the endpoint would drop the request).
  auto bus = Bus::open(server.pcie_uri());
  try {
    CommandChannel(*bus, 0x5'0000);
    FAIL() << "found a command unit where there is none";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), server.pcie_uri() + ": no command unit at 0x00050000 "
                                                         "(ARG_WORDS reads 0, expected 1..254)");
  }
}

// Today's START has no sequence number: a re-sent START datagram may run the program twice,
// so the device layer repeats such a run from a full rewrite. The program increments the
// word it is given: a doubled run would return 7.
TEST(Lossy, RunsAreRepeatedNotDoubled) {
  test::SimServer server({.pcie_socket = false});
  test::LossyProxy proxy(server.port(), {.drop_c2s = 0.2, .drop_s2c = 0.2, .seed = 5});
  // Each attempt's START datagram is re-sent with a probability of about 40% here.
  Device dev = Device::open(proxy.uri() + kLossy, {.max_reruns = 30});
  dev.load(assemble("ldxw %r0, [%r1]\nadd %r0, 1\nstxw [%r1], %r0\nexit\n"));
  int wrong = 0;
  for (int i = 0; i < 200; ++i) {
    MemoryImage mem = conformance_memory({5, 0, 0, 0});
    const RunResult r = dev.test_run(mem);
    wrong += r.r0 != 6 || mem.packet[addr::kPacketHeadroom] != 6;
  }
  EXPECT_EQ(wrong, 0);
  std::printf("runs: 200, repeated %llu, bus retries %llu\n",
              (unsigned long long)dev.stats().reruns,
              (unsigned long long)dev.bus()->stats().retries);
  EXPECT_GT(dev.stats().reruns, 20u);
  EXPECT_EQ(dev.stats().runs, 200u);
}

}  // namespace
}  // namespace ebpf
