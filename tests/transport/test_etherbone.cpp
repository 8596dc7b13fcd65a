// The Etherbone wire format byte for byte (LiteX's layout, big-endian), decoding errors, and
// device URIs.
#include <gtest/gtest.h>

#include <cerrno>

#include "ebpf_fpga/bus.h"
#include "etherbone.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Etherbone, EncodesLiteXLayout) {
  etherbone::Packet p;
  p.tag = 0x01020304;
  etherbone::Record r;
  r.base_write_addr = 0x30;
  r.writes = {1, 2};
  r.base_ret_addr = 0x400;
  r.reads = {0x0c};
  p.records.push_back(r);
  const Bytes expected = {
      0x4e, 0x6f, 0x10, 0x44, 1, 2, 3, 4,  // magic, version 1, 32-bit sizes, tag
      0x00, 0x0f, 0x02, 0x01,              // flags, byte enable, wcount 2, rcount 1
      0, 0, 0, 0x30, 0, 0, 0, 1, 0, 0, 0, 2,  // base write address, data
      0, 0, 0x04, 0, 0, 0, 0, 0x0c,        // base return address, read address
  };
  EXPECT_EQ(etherbone::encode(p), expected);

  etherbone::Packet probe;
  probe.probe = true;
  EXPECT_EQ(etherbone::encode(probe), (Bytes{0x4e, 0x6f, 0x11, 0x44, 0, 0, 0, 0}));
  etherbone::Packet pong;
  pong.probe_reply = true;
  EXPECT_EQ(etherbone::encode(pong), (Bytes{0x4e, 0x6f, 0x12, 0x44, 0, 0, 0, 0}));
}

TEST(Etherbone, DecodeRoundTripAndFlags) {
  etherbone::Packet p;
  for (int k = 0; k < 3; ++k) {
    etherbone::Record r;
    r.flags = etherbone::kWff;
    r.base_write_addr = 0x1000u * static_cast<uint32_t>(k);
    r.writes.assign(static_cast<size_t>(k) * 100, 0xdeadbeef);
    r.base_ret_addr = 0x800;
    r.reads.assign(255, 0x14);
    p.records.push_back(r);
  }
  etherbone::Packet q;
  std::string why;
  ASSERT_TRUE(etherbone::decode(etherbone::encode(p), &q, &why)) << why;
  ASSERT_EQ(q.records.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(q.records[k].flags, etherbone::kWff);
    EXPECT_EQ(q.records[k].writes, p.records[k].writes);
    EXPECT_EQ(q.records[k].reads, p.records[k].reads);
    EXPECT_EQ(q.records[k].base_write_addr, p.records[k].base_write_addr);
  }
}

TEST(Etherbone, DecodeErrorsSayWhat) {
  etherbone::Packet p;
  std::string why;
  EXPECT_FALSE(etherbone::decode(Bytes{0x4e, 0x6f, 0x10}, &p, &why));
  EXPECT_EQ(why, "truncated: 3 bytes, shorter than the 8-byte Etherbone header");
  EXPECT_FALSE(etherbone::decode(Bytes{0x12, 0x34, 0x10, 0x44, 0, 0, 0, 0}, &p, &why));
  EXPECT_EQ(why, "wrong magic 0x1234 (expected 0x4e6f)");
  EXPECT_FALSE(etherbone::decode(Bytes{0x4e, 0x6f, 0x20, 0x44, 0, 0, 0, 0}, &p, &why));
  EXPECT_EQ(why, "Etherbone version 2 (expected 1)");
  EXPECT_FALSE(etherbone::decode(Bytes{0x4e, 0x6f, 0x10, 0x22, 0, 0, 0, 0}, &p, &why));
  EXPECT_EQ(why, "address/port size 0x22 (only 32-bit, 0x44, is supported)");
  EXPECT_FALSE(etherbone::decode(Bytes{0x4e, 0x6f, 0x10, 0x44, 0, 0, 0, 0, 0, 0x0f}, &p, &why));
  EXPECT_EQ(why, "truncated: record 0 header needs 4 bytes, 2 left");
  EXPECT_FALSE(etherbone::decode(
      Bytes{0x4e, 0x6f, 0x10, 0x44, 0, 0, 0, 0, 0, 0x0f, 0, 2, 0, 0, 4, 0, 0, 0, 0, 0}, &p,
      &why));
  EXPECT_EQ(why, "truncated: record 0 announces 0 writes and 2 reads (16 bytes), 12 bytes left");
}

// The client's first datagram for one read, captured by a fake device.
TEST(Etherbone, ClientRequestBytes) {
  Bytes seen;
  std::mutex mu;
  test::FakeEtherbone fake([&](const Bytes& req) -> std::optional<Bytes> {
    std::lock_guard<std::mutex> lock(mu);
    seen = req;
    return test::FakeEtherbone::registers({{0x0c, 0x2}})(req);
  });
  auto bus = Bus::open(fake.uri("probe=0"));
  EXPECT_EQ(bus->read(0x0c), 2u);
  std::lock_guard<std::mutex> lock(mu);
  // Request 1: tag 1 in the header, read record 0 returns to address 0.
  EXPECT_EQ(seen, (Bytes{0x4e, 0x6f, 0x10, 0x44, 0, 0, 0, 1, 0x00, 0x0f, 0, 1, 0, 0, 0, 0,
                         0, 0, 0, 0x0c}));
}

struct BadUri {
  const char* uri;
  int code;
  const char* message;
};

TEST(DeviceUri, ErrorsNameTheProblem) {
  const BadUri cases[] = {
      {"foo", -EINVAL, "foo: not a device URI (expected sim:, interp:, udp://HOST:PORT, "
                       "pcie://BDF or pcie-socket://PATH)"},
      {"tcp://1.2.3.4:5", -EINVAL, "tcp://1.2.3.4:5: unknown transport 'tcp' (known: sim:, "
                                   "udp://HOST:PORT, pcie://BDF, pcie-socket://PATH)"},
      {"udp://127.0.0.1", -EINVAL, "udp://127.0.0.1: missing :PORT (e.g. udp://127.0.0.1:1234)"},
      {"udp://127.0.0.1:0", -EINVAL, "udp://127.0.0.1:0: bad port '0' (expected 1..65535)"},
      {"udp://127.0.0.1:70000", -EINVAL,
       "udp://127.0.0.1:70000: bad port '70000' (expected 1..65535)"},
      {"udp://:1234", -EINVAL, "udp://:1234: missing host (e.g. udp://127.0.0.1:1234)"},
      {"udp://127.0.0.1:1234?bogus=1", -EINVAL,
       "udp://127.0.0.1:1234?bogus=1: unknown option 'bogus' for udp: (known: timeout_ms, "
       "timeout_us, max_timeout_ms, retries, backoff, mtu, max_records, fence, probe)"},
      {"udp://127.0.0.1:1234?retries=x", -EINVAL,
       "udp://127.0.0.1:1234?retries=x: option retries=x: expected a whole number up to 1000"},
      {"udp://127.0.0.1:1234?mtu=100", -EINVAL,
       "udp://127.0.0.1:1234?mtu=100: option mtu=100: at least 576"},
      {"udp://127.0.0.1:1234?timeout_ms", -EINVAL,
       "udp://127.0.0.1:1234?timeout_ms: malformed option 'timeout_ms' (expected KEY=VALUE)"},
      {"pcie://zz", -EINVAL,
       "pcie://zz: 'zz' is not a PCI address (expected DDDD:BB:DD.F, e.g. pcie://0000:01:00.0)"},
      {"pcie://0000:01:20.0", -EINVAL,
       "pcie://0000:01:20.0: '0000:01:20.0' is not a PCI address (expected DDDD:BB:DD.F, e.g. "
       "pcie://0000:01:00.0)"},
      {"pcie-socket://", -EINVAL,
       "pcie-socket://: missing socket path (pcie-socket:///tmp/board.sock)"},
      {"interp:", -EINVAL, "interp:: the reference interpreter has no register bus (open it as "
                           "a Device: Device::open(\"interp:\"))"},
      {"sim:foo", -EINVAL, "sim:foo: sim: takes no address (options go after '?')"},
      {"sim:?trace=", -EINVAL, "sim:?trace=: option trace= needs a file name"},
  };
  for (const BadUri& c : cases) {
    try {
      Bus::open(c.uri);
      ADD_FAILURE() << c.uri << " opened";
    } catch (const BusError& e) {
      EXPECT_EQ(e.code(), c.code) << c.uri;
      EXPECT_STREQ(e.what(), c.message);
    }
  }
}

}  // namespace
}  // namespace ebpf
