// `ebpf-fpga-sim serve --mac` as a process: what only this mode has. The host's end-to-end
// tests (BusTest, UdpBus, DeviceTest, ConformanceOverTransport, DeviceFirmwareOverUdp) run
// through it too, from the same sources (tests/transport/CMakeLists.txt, prefix "mac.").
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

constexpr uint32_t kNet = 0x0'e000;

TEST(MacServer, TheNetPageAndCountersOfTheBoardsNetworkStack) {
  test::SimServer server(test::SimServer::Options{.pcie_socket = false, .mac = true});
  // A long timeout: the counts below are exact only if no datagram is sent twice, and a
  // datagram through the model takes about 1 ms on a loaded machine (20 ms by default).
  auto bus = Bus::open(server.udp_uri() + "?timeout_ms=2000");   // probes first
  // NET page: ID "net1", MAC, IP, port (sim_board_top's parameters).
  const uint32_t page[] = {kNet, kNet + 4, kNet + 8, kNet + 12, kNet + 16};
  EXPECT_EQ(bus->read_burst(page),
            (std::vector<uint32_t>{0x6e65'7431, 0x0265, 0x6270'6600, 0xc0a8'0132, 1234}));
  bus->write(csr::kProgLen, 3);             // a write and its fence read
  EXPECT_EQ(bus->read(csr::kProgLen), 3u);
  bus->write(csr::kProgLen, 0);
  // EB_PACKETS (word 27), EB_PROBES (28), EB_WRITES (34), EB_READS (35), IP_UDP_GOOD (22)
  const uint32_t counters[] = {kNet + 4 * 27, kNet + 4 * 28, kNet + 4 * 34, kNet + 4 * 35,
                               kNet + 4 * 22};
  const std::vector<uint32_t> c = bus->read_burst(counters);
  const BusStats bs = bus->stats();
  // Every datagram the client sent reached the Etherbone endpoint (loopback loses nothing):
  // the probe and bs.requests - 1 requests, this one included.
  EXPECT_EQ(bs.retries, 0u);
  EXPECT_EQ(c[1], 1u);
  EXPECT_EQ(c[0], bs.requests - 1);
  EXPECT_EQ(c[4], bs.requests);
  EXPECT_EQ(c[2], 2u);
  EXPECT_EQ(server.stop(), 0);
  // Every frame that left the board's GMII TX was good and expected.
  EXPECT_EQ(server.stat("mac_arp_replies"), 1u);
  EXPECT_EQ(server.stat("mac_lost_replies"), 0u) << server.stderr_text();
  EXPECT_EQ(server.stat("mac_unexpected"), 0u) << server.stderr_text();
  EXPECT_EQ(server.stat("mac_reply_mismatch"), 0u) << server.stderr_text();
  EXPECT_EQ(server.stat("mac_bad_frames_out"), 0u) << server.stderr_text();
  EXPECT_EQ(server.stat("mac_datagrams"), bs.requests);
  EXPECT_EQ(server.stat("mac_replies"), bs.accepted);
  // The exit statistics read the NET page through the RTL once more.
  EXPECT_EQ(server.stat("net_eb_packets"), bs.requests);
  EXPECT_EQ(server.stat("net_rx_bad_fcs"), 0u);
  EXPECT_EQ(server.stat("net_arp_replies"), 1u);
  EXPECT_EQ(server.stat("net_tx_frames"), bs.accepted + 1);   // + the ARP reply
}

// A program that runs longer than a datagram's worth of cycles: the board's clock keeps
// running while the host waits between its STATUS polls; the result matches the in-process
// model, cycles included.
TEST(MacServer, TheClockRunsWhileTheHostWaits) {
  const std::vector<Insn> prog = assemble(R"(
mov %r0, 0
mov %r1, 30000
loop:
add %r0, 3
sub %r1, 1
jne %r1, 0, loop
exit
)");
  RunResult want;
  {
    Device sim = Device::open("sim:");
    sim.load(prog);
    MemoryImage m = conformance_memory({});
    want = sim.test_run(m);
  }
  test::SimServer server(test::SimServer::Options{.pcie_socket = false, .mac = true});
  Device dev = Device::open(server.udp_uri());
  dev.load(prog);
  MemoryImage m = conformance_memory({});
  const RunResult got = dev.test_run(m);
  EXPECT_EQ(got.r0, 90'000u);
  EXPECT_EQ(got.r0, want.r0);
  EXPECT_EQ(got.instructions, want.instructions);
  EXPECT_EQ(got.cycles, want.cycles);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.stat("mac_lost_replies"), 0u) << server.stderr_text();
  EXPECT_EQ(server.stat("mac_bad_frames_out"), 0u) << server.stderr_text();
  // The program's cycles were ticked outside the datagrams too.
  EXPECT_GT(server.stat("mac_cycles"), server.stat("mac_datagram_cycles"));
}

TEST(MacServer, RefusesWhatItCannotServe) {
  const test::ProcessResult r =
      test::run_process({EBPF_FPGA_SIM, "serve", "--mac", "--port", "0", "--pcie-socket",
                         "/tmp/ebpf-fpga-mac-test.sock"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--mac serves Etherbone over UDP only"), std::string::npos) << r.err;
}

// Not a pass/fail number: the time a datagram costs through the MAC, printed for docs/host.md.
TEST(MacServer, TimePerDatagram) {
  test::SimServer server(test::SimServer::Options{.pcie_socket = false, .mac = true});
  auto bus = Bus::open(server.udp_uri());
  constexpr int kReads = 1000;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kReads; ++i) ASSERT_EQ(bus->read(csr::kId), csr::kCoreId);
  const double us_small = std::chrono::duration<double, std::micro>(
                              std::chrono::steady_clock::now() - t0).count() / kReads;
  std::vector<uint32_t> words(360 * 20, 0x5a5a'a5a5);
  const uint64_t before = bus->stats().requests;
  const auto t1 = std::chrono::steady_clock::now();
  bus->write_block(csr::kWinImem, words);
  const double s_block =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const uint64_t full = bus->stats().requests - before;
  EXPECT_EQ(server.stop(), 0);
  const double cycles = static_cast<double>(server.stat("mac_datagram_cycles")) /
                        static_cast<double>(server.stat("mac_datagrams"));
  std::printf("[ mac ] one-word read: %.1f us per round trip; 1472-byte datagrams: %.1f us "
              "each (%llu for %zu words); %.0f model cycles per datagram on average, %llu at "
              "most\n",
              us_small, 1e6 * s_block / static_cast<double>(full),
              static_cast<unsigned long long>(full), words.size(), cycles,
              static_cast<unsigned long long>(server.stat("mac_max_datagram_cycles")));
  EXPECT_EQ(server.stat("mac_lost_replies"), 0u) << server.stderr_text();
}

}  // namespace
}  // namespace ebpf
