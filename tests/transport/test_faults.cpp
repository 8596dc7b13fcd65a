// Failures the host must report clearly and quickly: the board going away and coming back,
// nothing listening, silence, and replies that are malformed or answer something else.
#include <gtest/gtest.h>

#include <cerrno>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/maps.h"
#include "etherbone.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

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

const char* kProgram = "mov %r0, 42\nexit\n";

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

TEST(Faults, UdpServerRestartMidSession) {
  auto server = std::make_unique<test::SimServer>(test::SimServer::Options{.pcie_socket = false});
  const int port = server->port();
  Device dev = Device::open(server->udp_uri());
  dev.load(assemble(kProgram));
  MemoryImage mem = conformance_memory({});
  EXPECT_EQ(dev.test_run(mem).r0, 42u);

  // The board goes away: the next operation fails with a clear error, quickly.
  ASSERT_EQ(server->stop(), 0);
  Clock::time_point t0 = Clock::now();
  try {
    dev.test_run(mem);
    FAIL() << "ran with the server gone";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ECONNREFUSED);
    const std::string what = e.what();
    EXPECT_NE(what.find(": connection refused: nothing listens on 127.0.0.1:" +
                        std::to_string(port) + " (is the board up"),
              std::string::npos)
        << what;
  }
  EXPECT_LT(seconds_since(t0), 5.0);

  // It comes back (a fresh board): the host notices that its program is gone.
  server = std::make_unique<test::SimServer>(
      test::SimServer::Options{.port = port, .pcie_socket = false});
  try {
    dev.test_run(mem);
    FAIL() << "ran a program the restarted board never received";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              server->udp_uri() + ": the device no longer holds the loaded program (PROG_LEN "
                                  "reads 0, 2 was loaded): it was reset, or another host loaded "
                                  "a program; load again");
  }
  dev.load(assemble(kProgram));
  EXPECT_EQ(dev.test_run(mem).r0, 42u);
}

// A board reset between map commands: MCMD_LAST_SEQ reads 0, and the next command says so
// instead of running with a stale number (the maps are gone); configuring again recovers.
TEST(Faults, MapUnitResetIsReported) {
  auto server = std::make_unique<test::SimServer>(test::SimServer::Options{.pcie_socket = false});
  const int port = server->port();
  Device dev = Device::open(server->udp_uri());
  const std::vector<MapSpec> specs = {make_spec("h", MapType::kHash, 4, 4, 8)};
  dev.engine().configure_maps(specs, {});
  MapAccess& maps = *dev.engine().maps();
  const uint8_t key[4] = {1, 0, 0, 0}, value[4] = {2, 0, 0, 0};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(maps.update(0, key, value, kBpfAny), 0);
  const uint32_t last = dev.bus()->read(csr::kMcmdLastSeq);
  server.reset();
  server = std::make_unique<test::SimServer>(
      test::SimServer::Options{.port = port, .pcie_socket = false});
  try {
    maps.update(0, key, value, kBpfAny);
    FAIL() << "no sign of the reset";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              server->udp_uri() + ": the device was reset: MCMD_LAST_SEQ reads 0, the host's "
                                  "last map command was " + std::to_string(last) +
                                  "; its maps are gone: load and configure again");
  }
  dev.engine().configure_maps(specs, {});
  EXPECT_EQ(maps.update(0, key, value, kBpfNoexist), 0);
  EXPECT_EQ(maps.update(0, key, value, kBpfNoexist), -EEXIST);
}

TEST(Faults, PcieSocketServerGoesAway) {
  auto server = std::make_unique<test::SimServer>();
  Device dev = Device::open(server->pcie_uri());
  dev.load(assemble(kProgram));
  MemoryImage mem = conformance_memory({});
  EXPECT_EQ(dev.test_run(mem).r0, 42u);
  ASSERT_EQ(server->stop(), 0);
  try {
    dev.test_run(mem);
    FAIL() << "ran with the server gone";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ECONNRESET);
    EXPECT_NE(std::string(e.what()).find("the simulated board closed the connection"),
              std::string::npos)
        << e.what();
  }
  try {
    Device::open(server->pcie_uri());
    FAIL() << "opened a socket nobody serves";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ENODEV);
  }
}

TEST(Faults, NothingListens) {
  uint16_t port;
  {
    test::FakeEtherbone fake([](const Bytes&) { return std::nullopt; });
    port = fake.port();
  }  // closed: now nothing listens there
  const std::string uri = "udp://127.0.0.1:" + std::to_string(port);
  const Clock::time_point t0 = Clock::now();
  try {
    Bus::open(uri);
    FAIL() << "opened";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ECONNREFUSED);
    EXPECT_EQ(std::string(e.what()),
              uri + ": Etherbone probe: connection refused: nothing listens on 127.0.0.1:" +
                  std::to_string(port) + " (is the board up, or `ebpf-fpga-sim serve` running?)");
  }
  EXPECT_LT(seconds_since(t0), 2.0);
}

TEST(Faults, SilenceTimesOutAfterTheRetries) {
  test::FakeEtherbone fake([](const Bytes&) { return std::nullopt; });
  const Clock::time_point t0 = Clock::now();
  try {
    Bus::open(fake.uri("timeout_ms=10&retries=3&backoff=2"));
    FAIL() << "opened";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ETIMEDOUT);
    const std::string what = e.what();
    EXPECT_TRUE(what.starts_with(fake.uri("timeout_ms=10&retries=3&backoff=2") +
                                 ": Etherbone probe: no valid reply after 4 attempts in "))
        << what;
  }
  // 10 + 20 + 40 + 80 ms
  EXPECT_GE(seconds_since(t0), 0.15);
  EXPECT_LT(seconds_since(t0), 2.0);
  EXPECT_EQ(fake.requests(), 4u);
}

// A device whose replies are wrong in one way each; every one is rejected, with the reason
// in the error.
TEST(Faults, MalformedRepliesAreRejected) {
  using Mangle = std::function<void(Bytes&)>;
  struct Case {
    const char* name;
    Mangle mangle;
    const char* reason;
  };
  const Case cases[] = {
      {"truncated", [](Bytes& b) { b.resize(b.size() - 2); },
       "truncated: record 0 announces 1 writes and 0 reads (12 bytes), 10 bytes left"},
      {"short", [](Bytes& b) { b.resize(5); },
       "truncated: 5 bytes, shorter than the 8-byte Etherbone header"},
      {"wrong magic", [](Bytes& b) { b[0] = 0xab; b[1] = 0xcd; },
       "wrong magic 0xabcd (expected 0x4e6f)"},
      {"wrong address", [](Bytes& b) { b[12] = 0x12; b[13] = 0x34; b[14] = 0x56; b[15] = 0x78; },
       "reply record 0 is addressed to 0x12345678, expected 0x00000000"},
      {"wrong tag", [](Bytes& b) { b[4] = 0x12; b[5] = 0x34; b[6] = 0x56; b[7] = 0x78; },
       "a reply tagged 0x12345678, not a request this host sent recently (the one in flight "
       "is 0x00000001)"},
      {"probe reply", [](Bytes& b) { b[2] |= 0x02; }, "a probe reply to a read request"},
      {"wrong count", [](Bytes& b) { b[10] = 2; b.insert(b.end(), {0, 0, 0, 0}); },
       "reply record 0 carries 2 values and 0 reads, expected 1 values"},
      {"no records", [](Bytes& b) { b.resize(8); },
       "a reply with 0 records to a request with 1 read records"},
  };
  for (const Case& c : cases) {
    auto good = test::FakeEtherbone::registers({{csr::kId, csr::kCoreId}});
    test::FakeEtherbone fake([&](const Bytes& req) -> std::optional<Bytes> {
      auto reply = good(req);
      if (reply) c.mangle(*reply);
      return reply;
    });
    const std::string uri = fake.uri("probe=0&timeout_ms=5&retries=1");
    auto bus = Bus::open(uri);
    try {
      bus->read(csr::kId);
      ADD_FAILURE() << c.name << ": accepted";
    } catch (const BusError& e) {
      EXPECT_EQ(e.code(), -EPROTO) << c.name;
      const std::string what = e.what();
      EXPECT_TRUE(what.starts_with(uri + ": read 0x00000000: no valid reply after 2 attempts in "))
          << what;
      EXPECT_TRUE(what.ends_with("; the last reply was rejected: " + std::string(c.reason)))
          << c.name << ": " << what;
    }
    EXPECT_EQ(bus->stats().malformed_replies, 2u) << c.name;
    EXPECT_EQ(bus->stats().accepted, 0u) << c.name;
  }
}

// Well-formed replies to earlier requests (duplicates, late ones) are counted as stale and
// never taken for the answer to the current request.
TEST(Faults, StaleRepliesAreNotTakenForAnswers) {
  Bytes previous;
  std::mutex mu;
  auto good = test::FakeEtherbone::registers({{0x4, 1}, {0x8, 2}});
  test::FakeEtherbone fake([&](const Bytes& req) -> std::optional<Bytes> {
    std::lock_guard<std::mutex> lock(mu);
    Bytes reply = *good(req);
    // Answer every request with the previous request's reply first, then its own.
    Bytes out = previous.empty() ? reply : previous;
    previous = reply;
    return out;
  });
  auto bus = Bus::open(fake.uri("probe=0&timeout_ms=20&retries=5"));
  // The first request is answered correctly; the second one first gets the stale answer,
  // times out, and its re-sent copy is answered with its own reply.
  EXPECT_EQ(bus->read(0x4), 1u);
  EXPECT_EQ(bus->read(0x8), 2u);
  EXPECT_EQ(bus->stats().stale_replies, 1u);
  EXPECT_EQ(bus->stats().retries, 1u);
}

}  // namespace
}  // namespace ebpf
