// The simulated board server itself: malformed datagrams are counted and change nothing,
// clean shutdown on SIGINT and SIGTERM, a busy port, pcie-socket protocol errors.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/bus.h"
#include "etherbone.h"
#include "pcie_socket_proto.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes write_packet(uint32_t addr, uint32_t value, uint8_t flags = 0, uint8_t byte_enable = 0x0f) {
  etherbone::Packet p;
  etherbone::Record r;
  r.flags = flags;
  r.byte_enable = byte_enable;
  r.base_write_addr = addr;
  r.writes = {value};
  p.records.push_back(r);
  return etherbone::encode(p);
}

Bytes read_packet(uint32_t addr) {
  etherbone::Packet p;
  etherbone::Record r;
  r.reads = {addr};
  p.records.push_back(r);
  return etherbone::encode(p);
}

// A raw socket: send one datagram, wait for at most one reply (a short wait when none is
// expected: a late reply would still fail the test).
std::optional<Bytes> exchange(uint16_t port, const Bytes& payload, bool expect_reply = true) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(port);
  ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  ::send(fd, payload.data(), payload.size(), 0);
  timeval tv{expect_reply ? 2 : 0, expect_reply ? 0 : 30'000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  Bytes buf(2048);
  const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
  ::close(fd);
  if (n < 0) return std::nullopt;
  buf.resize(static_cast<size_t>(n));
  return buf;
}

// The example of docs/etherbone.md, byte for byte (PROG_LEN now clamps to IMEM_SLOTS, so
// the 0x1234 written reads back as 0x1000).
TEST(SimServer, SpeaksTheDocumentedFormat) {
  test::SimServer server({.pcie_socket = false});
  const Bytes request = {0x4e, 0x6f, 0x10, 0x44, 0x00, 0x00, 0x00, 0x00,
                         0x00, 0x0f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x12, 0x34,
                         0x00, 0x0f, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14,
                         0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(exchange(server.port(), request),
            (Bytes{0x4e, 0x6f, 0x10, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x02, 0x00,
                   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x65, 0x42, 0x50, 0x46}));
  // A probe is answered with its header, tag echoed, PR set.
  EXPECT_EQ(exchange(server.port(), Bytes{0x4e, 0x6f, 0x11, 0x44, 0xde, 0xad, 0xbe, 0xef}),
            (Bytes{0x4e, 0x6f, 0x12, 0x44, 0xde, 0xad, 0xbe, 0xef}));
  // Flags other than WFF are ignored; WFF sends every write to the base address.
  EXPECT_FALSE(exchange(server.port(), write_packet(csr::kIfindex, 12, etherbone::kWca), false));
  etherbone::Packet fifo;
  fifo.tag = 7;
  etherbone::Record r;
  r.flags = etherbone::kWff;
  r.base_write_addr = csr::kRxQueue;
  r.writes = {1, 2, 3};
  r.base_ret_addr = 0x40;
  r.reads = {csr::kIfindex, csr::kRxQueue, csr::kIfindex + 8};
  fifo.records.push_back(r);
  etherbone::Packet got;
  std::string why;
  const auto reply = exchange(server.port(), etherbone::encode(fifo));
  ASSERT_TRUE(reply);
  ASSERT_TRUE(etherbone::decode(*reply, &got, &why)) << why;
  EXPECT_EQ(got.tag, 7u);
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(got.records[0].base_write_addr, 0x40u);
  EXPECT_EQ(got.records[0].writes, (std::vector<uint32_t>{12, 3, 0}));
}

TEST(SimServer, MalformedDatagramsAreCountedAndChangeNothing) {
  test::SimServer server;
  auto bus = Bus::open(server.udp_uri());
  bus->write(csr::kIfindex, 11);

  Bytes truncated = write_packet(csr::kIfindex, 99);
  truncated.pop_back();
  Bytes wrong_magic = write_packet(csr::kIfindex, 99);
  wrong_magic[0] = 0x12;
  Bytes too_long = write_packet(csr::kIfindex, 99);
  too_long.resize(2100, 0);  // zero bytes are no-op records, but the buffer holds 2048
  const Bytes malformed[] = {
      Bytes{},                                    // empty
      Bytes{0x4e, 0x6f},                          // shorter than the header
      wrong_magic,
      truncated,                                  // the write's data is cut short
      write_packet(csr::kIfindex, 99, 0, 0x03),   // 16-bit write
      write_packet(csr::kIfindex + 2, 99),        // unaligned
      write_packet(0x17'e000, 99),                // outside the CSR map (write)
      read_packet(0x10'0000),                     // beyond 20 bits
      too_long,
      Bytes(1400, 0xff),                          // noise
  };
  for (const Bytes& d : malformed) EXPECT_FALSE(exchange(server.port(), d, false));
  // A reply sent to the board is ignored, not executed.
  Bytes reply = write_packet(csr::kIfindex, 99);
  reply[2] |= etherbone::kProbeReply;
  EXPECT_FALSE(exchange(server.port(), reply, false));
  // Valid traffic after the junk: the server still answers, and nothing was written.
  EXPECT_EQ(bus->read(csr::kIfindex), 11u);
  bus->write(csr::kIfindex, 0);

  EXPECT_EQ(server.stop(SIGTERM), 0);
  EXPECT_EQ(server.stat("malformed"), std::size(malformed));
  EXPECT_EQ(server.stat("bad_address"), 3u);  // unaligned, outside the map, beyond 20 bits
  EXPECT_EQ(server.stat("ignored"), 1u);
  EXPECT_NE(server.stderr_text().find("stopped by SIGTERM"), std::string::npos);
}

TEST(SimServer, SigintStopsCleanlyAndRemovesTheSocket) {
  test::SimServer server;
  const std::string path = server.pcie_uri().substr(std::string("pcie-socket://").size());
  EXPECT_TRUE(std::filesystem::exists(path));
  {
    auto bus = Bus::open(server.pcie_uri());
    EXPECT_EQ(bus->read(csr::kId), csr::kCoreId);
  }
  EXPECT_EQ(server.stop(SIGINT), 0);
  EXPECT_NE(server.stderr_text().find("stopped by SIGINT"), std::string::npos);
  EXPECT_EQ(server.stat("pcie_connections"), 1u);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SimServer, RefusesABusyPort) {
  test::SimServer first({.pcie_socket = false});
  const test::ProcessResult r = test::run_process(
      {EBPF_FPGA_SIM, "serve", "--listen", "udp://127.0.0.1:" + std::to_string(first.port())});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("ebpf-fpga-sim: error: cannot listen on udp://127.0.0.1:" +
                       std::to_string(first.port())),
            std::string::npos)
      << r.err;
}

TEST(SimServer, UsageErrors) {
  test::ProcessResult r = test::run_process({EBPF_FPGA_SIM});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = test::run_process({EBPF_FPGA_SIM, "serve", "--listen", "tcp://127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--listen tcp://127.0.0.1:1: expected udp://HOST:PORT"), std::string::npos)
      << r.err;
}

TEST(SimServer, PcieSocketUnsupportedRequestsAndBadFrames) {
  test::SimServer server;
  auto bus = Bus::open(server.pcie_uri());
  try {
    bus->read(0x0010'0000);
    FAIL() << "a read beyond BAR0 succeeded";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -EFAULT);
    EXPECT_EQ(std::string(e.what()),
              server.pcie_uri() + ": read 0x00100000: beyond BAR0 (1048576 bytes)");
  }
  // A client speaking nonsense is disconnected; others are not disturbed.
  const std::string path = server.pcie_uri().substr(std::string("pcie-socket://").size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  uint8_t frame[pcie_socket::kFrameBytes] = {0x77};
  ASSERT_EQ(::send(fd, frame, sizeof frame, 0), static_cast<ssize_t>(sizeof frame));
  uint8_t buf[64];
  ssize_t n, total = 0;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) total += n;  // hello, then EOF
  EXPECT_EQ(total, static_cast<ssize_t>(pcie_socket::kFrameBytes));
  ::close(fd);
  EXPECT_EQ(bus->read(csr::kId), csr::kCoreId);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.stat("pcie_bad_frames"), 1u);
}

}  // namespace
}  // namespace ebpf
