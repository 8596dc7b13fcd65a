// Traffic through the simulated board (`ebpf-fpga-sim serve --pcap/--pcap-out/--tap`): the
// host loads a firmware program over udp:// with the Device engine API (programs, maps,
// map-init), attaches it (IO_CTRL.ENABLE), and the corpus's frames go through the Verilated
// ebpf_xdp_top's stream ports. The IO counters per action must equal the corpus's expected
// actions (expect.tsv), and every frame leaving the board (--pcap-out) must be the reference
// interpreter's frame after the program (and the corpus's, expect-out.tsv, where it lists
// one) on the port the steering rule gives, with the redirect target taken from the
// interpreter's run of the same frames.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/object.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_report.h"
#include "ebpf_io_map.h"
#include "transport_test_util.h"
#include "xdp_pipeline.h"

namespace ebpf {
namespace {

namespace io = io_csr;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

std::string firmware_dir() { return EBPF_FPGA_FIRMWARE_DIR; }

// Loads every program of `obj` (entry first to run), configures its maps, fills PROG_ARRAYs
// and applies the map-init, as `ebpf-fpga run` does on an engine.
void load_object(Engine& e, const Object& obj, const ProgramSpec& entry, const MapInit& init,
                 const std::string& init_source) {
  const auto& programs = obj.programs();
  auto it = std::find_if(programs.begin(), programs.end(), [&](const ProgramSpec& p) {
    return p.name == entry.name && p.section == entry.section;
  });
  ASSERT_NE(it, programs.end());
  std::vector<std::vector<Insn>> progs;
  for (const ProgramSpec& p : programs) progs.push_back(p.insns);
  e.load_programs(progs, static_cast<size_t>(it - programs.begin()));
  e.configure_maps(obj.maps());
  ASSERT_NE(e.maps(), nullptr) << e.name() << " has no map access";
  init_prog_arrays(*e.maps(), obj.maps(), programs);
  apply_map_init(*e.maps(), init, init_source);
}

// Lines of a corpus TSV: index -> second column (comments skipped).
std::map<size_t, std::string> read_tsv(const std::string& path) {
  std::map<size_t, std::string> r;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    size_t index = 0;
    std::string col;
    ls >> index >> col;
    r[index] = col;
  }
  return r;
}

std::string test_hex(const std::vector<uint8_t>& b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) {
    s += digits[x >> 4];
    s += digits[x & 15];
  }
  return s;
}

Bytes from_hex(const std::string& s) {
  Bytes b;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    b.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  }
  return b;
}

struct IoCounters {
  std::array<uint32_t, 5> action{};
  uint32_t oversize = 0, malformed = 0, redir_bad = 0, host_drop = 0;
  std::array<uint32_t, 4> rx{}, tx{};
  uint32_t ended() const {
    uint32_t n = oversize + malformed;
    for (uint32_t a : action) n += a;
    return n;
  }
};

IoCounters read_counters(Bus& bus) {
  IoCounters c;
  for (uint32_t a = 0; a < 5; ++a) c.action[a] = bus.read(io::kCntAction + 4 * a);
  c.oversize = bus.read(io::kCntOversize);
  c.malformed = bus.read(io::kCntMalformed);
  c.redir_bad = bus.read(io::kCntRedirBad);
  c.host_drop = bus.read(io::kCntHostDrop);
  for (uint32_t p = 0; p < 4; ++p) {
    c.rx[p] = bus.read(io::kCntRx + 4 * p);
    c.tx[p] = bus.read(io::kCntTx + 4 * p);
  }
  return c;
}

// Polls the counters until `frames` frames have ended (an action, oversize or malformed).
IoCounters wait_for_frames(Bus& bus, uint32_t frames, std::chrono::seconds limit) {
  const auto end = Clock::now() + limit;
  IoCounters c = read_counters(bus);
  while (c.ended() < frames && Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    c = read_counters(bus);
  }
  return c;
}

// One line of OUT.pcap.ports.tsv.
struct SideRow {
  uint32_t port = 0;
  std::string source;
  int64_t seq = -1, record = -1;
};
std::vector<SideRow> read_side_table(const std::string& path) {
  std::vector<SideRow> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    uint64_t index = 0;
    SideRow r;
    ls >> index >> r.port >> r.source >> r.seq >> r.record;
    EXPECT_EQ(index, rows.size()) << path << ": " << line;
    rows.push_back(r);
  }
  return rows;
}

struct Corpus {
  std::string program;
  std::string entry;
  uint32_t port_in = 0;
};
void PrintTo(const Corpus& c, std::ostream* os) { *os << c.program; }

class ServeTraffic : public ::testing::TestWithParam<Corpus> {};

TEST_P(ServeTraffic, CountersAndEgressFramesMatchTheCorpus) {
  const Corpus& cp = GetParam();
  const std::string object = firmware_dir() + "/" + cp.program + ".o";
  const std::string base = firmware_dir() + "/pcap/" + cp.program;
  if (!std::ifstream(object) || !std::ifstream(base + ".pcap")) {
    GTEST_SKIP() << object << " or " << base << ".pcap not built (clang or libpcap missing?)";
  }
  const Object obj = Object::open_file(object);
  const ProgramSpec& entry = obj.select_program(cp.entry, std::nullopt);
  MapInit init;
  if (std::ifstream(base + ".map-init.json")) init = read_map_init_file(base + ".map-init.json");
  const auto frames = read_pcap_file(base + ".pcap");
  const auto expect = read_tsv(base + ".expect.tsv");
  const auto expect_out = read_tsv(base + ".expect-out.tsv");
  ASSERT_EQ(expect.size(), frames.size()) << base << ".expect.tsv";

  test::TempDir dir;
  const std::string out = (dir.path() / "out.pcap").string();
  test::SimServer server(test::SimServer::Options{
      .pcie_socket = false,
      .extra_args = {"--pcap", base + ".pcap", "--port-in", std::to_string(cp.port_in),
                     "--pcap-out", out},
      .mac = false});
  Device dev = Device::open(server.udp_uri());
  Bus& bus = *dev.bus();
  ASSERT_NO_FATAL_FAILURE(load_object(dev.engine(), obj, entry, init, base + ".map-init.json"));

  // The reference: the interpreter on the same frames, in order (state carries over).
  auto interp = make_engine("interp");
  ASSERT_NO_FATAL_FAILURE(load_object(*interp, obj, entry, init, base + ".map-init.json"));
  const uint32_t num_ports = bus.read(io::kParams) & 0xff;
  const uint32_t host_port = (bus.read(io::kParams) >> 8) & 0xff;
  ASSERT_EQ(num_ports, 4u);
  struct Want {
    size_t index;
    uint32_t port;
    Bytes bytes;  // the interpreter's [data, data_end) after the program
  };
  std::vector<Want> want;
  IoCounters want_c;
  for (size_t i = 0; i < frames.size(); ++i) {
    MemoryImage m;
    m.has_ctx = true;
    m.set_packet(frames[i].bytes);
    m.ingress_ifindex = cp.port_in + 1;
    const RunResult r = interp->run(m);
    const uint32_t action = xdp_action(r);
    const auto data = m.packet_data();
    const Bytes after(data.begin(), data.end());
    EXPECT_EQ(std::to_string(action), expect.at(i)) << cp.program << " frame " << i
                                                    << ": the interpreter and expect.tsv";
    ++want_c.action[action];
    if (action == 2) want.push_back({i, host_port, after});
    if (action == 3) want.push_back({i, cp.port_in, after});
    if (action == 4) {
      if (r.redirect && r.redirect->ifindex >= 1 && r.redirect->ifindex <= num_ports) {
        want.push_back({i, r.redirect->ifindex - 1, after});
      } else {
        ++want_c.redir_bad;
      }
    }
  }

  // Before the program is attached the frames wait: nothing has entered.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(bus.read(io::kCntRx + 4 * cp.port_in), 0u) << "frames entered before IO_CTRL.ENABLE";
  bus.write(io::kCtrl, io::kCtrlEnable);
  const IoCounters got = wait_for_frames(bus, static_cast<uint32_t>(frames.size()),
                                         std::chrono::seconds(60));
  for (uint32_t a = 0; a < 5; ++a) {
    EXPECT_EQ(got.action[a], want_c.action[a]) << cp.program << ": IO_CNT_ACTION[" << a << "]";
  }
  EXPECT_EQ(got.oversize, 0u);
  EXPECT_EQ(got.malformed, 0u);
  EXPECT_EQ(got.redir_bad, want_c.redir_bad);
  EXPECT_EQ(got.rx[cp.port_in], frames.size());
  EXPECT_EQ(got.host_drop, 0u);
  uint32_t tx_total = 0;
  for (uint32_t p = 0; p < 4; ++p) tx_total += got.tx[p];
  EXPECT_EQ(tx_total, want.size());
  ASSERT_EQ(server.stop(), 0);

  const auto sent = read_pcap_file(out);
  const auto side = read_side_table(out + ".ports.tsv");
  ASSERT_EQ(sent.size(), want.size()) << cp.program << ": frames in " << out;
  ASSERT_EQ(side.size(), want.size()) << cp.program << ": rows in " << out << ".ports.tsv";
  size_t checked_bytes = 0, same = 0;
  for (size_t k = 0; k < want.size(); ++k) {
    const size_t i = want[k].index;
    EXPECT_EQ(side[k].port, want[k].port) << cp.program << " frame " << i << ": egress port";
    EXPECT_EQ(side[k].source, "pcap");
    EXPECT_EQ(side[k].record, static_cast<int64_t>(i)) << cp.program << " egress frame " << k;
    EXPECT_EQ(sent[k].bytes, want[k].bytes) << cp.program << " frame " << i
                                            << ": the interpreter's frame after the program";
    same += sent[k].bytes == want[k].bytes ? 1 : 0;
    if (auto it = expect_out.find(i); it != expect_out.end()) {
      EXPECT_EQ(sent[k].bytes, from_hex(it->second)) << cp.program << " frame " << i;
      ++checked_bytes;
    }
  }
  std::cout << "[ serve ] " << cp.program << ": " << frames.size() << " frames in, "
            << sent.size() << " out, " << same << " equal to the interpreter's (" << checked_bytes
            << " also compared with expect-out.tsv)\n";
}

// mac_swap: XDP_TX; router: redirects (DEVMAP), XDP_PASS and drops with map-init;
// icmp_frag_needed: adjust_tail + TX; ipip_encap: adjust_head; katran_lb: encapsulation and
// LRU maps; firewall: hash map, counters; xdp_pass on port 2.
INSTANTIATE_TEST_SUITE_P(Firmware, ServeTraffic,
                         ::testing::Values(Corpus{"mac_swap", "mac_swap", 0},
                                           Corpus{"router", "router", 0},
                                           Corpus{"icmp_frag_needed", "icmp_frag_needed", 0},
                                           Corpus{"ipip_encap", "ipip_encap", 0},
                                           Corpus{"katran_lb", "katran_lb", 0},
                                           Corpus{"firewall", "firewall", 1},
                                           Corpus{"xdp_pass", "xdp_pass", 2}),
                         [](const auto& p) { return p.param.program; });

// --loop repeats the file; the host reads the counters over udp:// all the while (reads are
// never refused) and now and then pauses the traffic to dump the maps; every frame is counted
// exactly once and the maps end equal to the interpreter's after the same frames.
TEST(ServeTrafficLoop, HostReadsWhileFramesFlow) {
  const std::string object = firmware_dir() + "/proto_count.o";
  const std::string pcap = firmware_dir() + "/pcap/proto_count.pcap";
  if (!std::ifstream(object) || !std::ifstream(pcap)) GTEST_SKIP() << object << " not built";
  const size_t n = read_pcap_file(pcap).size();
  constexpr uint32_t kLoops = 50;
  test::SimServer server(test::SimServer::Options{
      .pcie_socket = false,
      .extra_args = {"--pcap", pcap, "--loop", std::to_string(kLoops)},
      .mac = false});
  const Object obj = Object::open_file(object);
  Device dev = Device::open(server.udp_uri());
  Bus& bus = *dev.bus();
  ASSERT_NO_FATAL_FAILURE(
      load_object(dev.engine(), obj, obj.select_program("proto_count", std::nullopt), {}, ""));
  bus.write(io::kCtrl, io::kCtrlEnable);
  const uint32_t total = static_cast<uint32_t>(n * kLoops);
  uint64_t reads = 0;
  const auto end = Clock::now() + std::chrono::seconds(120);
  IoCounters c = read_counters(bus);
  size_t pauses = 0;
  while (c.ended() < total && Clock::now() < end) {
    c = read_counters(bus);
    ++reads;
    if (reads % 8 == 0) {
      // Map commands stage writes, which the block refuses while a frame is in flight: the
      // host pauses the traffic (docs/packet_io.md "The host rule"), reads, resumes.
      bus.write(io::kCtrl, 0);
      while (bus.read(io::kStatus) & io::kStatusBusy) {
      }
      for (uint32_t m = 0; m < obj.maps().size(); ++m) dump_map(*dev.engine().maps(), m);
      bus.write(io::kCtrl, io::kCtrlEnable);
      ++pauses;
    }
  }
  EXPECT_EQ(c.action[2], total) << "proto_count passes every frame";
  EXPECT_EQ(c.rx[0], total);
  EXPECT_EQ(c.tx[3], total);
  EXPECT_EQ(c.host_drop, 0u);
  // The maps after the traffic equal the interpreter's after the same frames.
  auto interp = make_engine("interp");
  ASSERT_NO_FATAL_FAILURE(
      load_object(*interp, obj, obj.select_program("proto_count", std::nullopt), {}, ""));
  const auto frames = read_pcap_file(pcap);
  for (uint32_t l = 0; l < kLoops; ++l) {
    for (const PcapRecord& f : frames) {
      MemoryImage m;
      m.has_ctx = true;
      m.set_packet(f.bytes);
      m.ingress_ifindex = 1;
      interp->run(m);
    }
  }
  for (uint32_t m = 0; m < obj.maps().size(); ++m) {
    EXPECT_EQ(dump_map(*dev.engine().maps(), m), dump_map(*interp->maps(), m))
        << "map " << obj.maps()[m].name << " after " << total << " frames";
  }
  EXPECT_GT(reads, 1u) << "the host's reads interleaved with the traffic";
  std::cout << "[ serve ] proto_count x" << kLoops << ": " << total << " frames, " << reads
            << " counter reads and " << pauses << " map dumps while they flowed\n";
}

// Map updates while paced frames flow, without pausing: a staging write refused while a frame
// is in flight (IO_CNT_HOST_DROP) disturbs the command, which the host library stages again;
// every update lands exactly once, with its own key, and every frame is counted.
//
// This found a real hole (2026-11-24): a frame's run could start between the host's KBUF
// staging and its doorbell and overwrite the staged key (5 of 200 updates landed under keys
// the firewall itself looks up). ebpf_top now starts no run while a host map command is
// pending, and a run's use of the buffers disturbs the staging (docs/register-map.md
// "Exactly-once commands").
TEST(ServeTrafficLoop, MapUpdatesWhilePacedFramesFlow) {
  const std::string object = firmware_dir() + "/firewall.o";
  const std::string base = firmware_dir() + "/pcap/firewall";
  if (!std::ifstream(object) || !std::ifstream(base + ".pcap")) {
    GTEST_SKIP() << object << " not built";
  }
  const size_t n = read_pcap_file(base + ".pcap").size();
  constexpr uint32_t kLoops = 20;
  test::SimServer server(test::SimServer::Options{
      .pcie_socket = false,
      .extra_args = {"--pcap", base + ".pcap", "--loop", std::to_string(kLoops), "--pps", "500"},
      .mac = false});
  const Object obj = Object::open_file(object);
  Device dev = Device::open(server.udp_uri());
  Bus& bus = *dev.bus();
  // Without the device's map command sequencing (CAP_FEATURES bit 1, MCMD_SEQ) a staging
  // write refused mid-frame is not noticed: the doorbell then runs the command on what the
  // buffers hold.
  constexpr uint32_t kCapFeatures = 0x178, kFeatureMcmdSeq = 1u << 1;
  if (!(bus.read(kCapFeatures) & kFeatureMcmdSeq)) {
    GTEST_SKIP() << "the device has no MCMD_SEQ (CAP_FEATURES bit 1): map commands are not "
                    "safe against refused staging writes while frames flow";
  }
  const MapInit init = read_map_init_file(base + ".map-init.json");
  ASSERT_NO_FATAL_FAILURE(load_object(dev.engine(), obj,
                                      obj.select_program("firewall", std::nullopt), init,
                                      base + ".map-init.json"));
  MapAccess& maps = *dev.engine().maps();
  uint32_t rules = 0;
  while (rules < obj.maps().size() && obj.maps()[rules].name != "rules") ++rules;
  ASSERT_LT(rules, obj.maps().size());
  const auto before = dump_map(maps, rules);
  bus.write(io::kCtrl, io::kCtrlEnable);
  const uint32_t total = static_cast<uint32_t>(n * kLoops);
  // Rules no frame of the corpus matches (protocol 132, SCTP): key {proto, pad, dport BE}.
  auto key_of = [](uint32_t k) {
    return std::array<uint8_t, 4>{132, 0, static_cast<uint8_t>(k >> 8), static_cast<uint8_t>(k)};
  };
  uint32_t updates = 0;
  IoCounters c = read_counters(bus);
  const auto end = Clock::now() + std::chrono::seconds(120);
  while ((c.ended() < total || updates < 20) && updates < 200 && Clock::now() < end) {
    const auto key = key_of(updates + 1);
    const std::array<uint8_t, 4> value = {static_cast<uint8_t>(updates), 0, 0, 0};
    ASSERT_EQ(maps.update(rules, key, value, 0), 0) << "update " << updates;
    ++updates;
    c = read_counters(bus);
  }
  c = wait_for_frames(bus, total, std::chrono::seconds(60));
  EXPECT_EQ(c.ended(), total);
  EXPECT_EQ(c.rx[0], total);
  const auto after = dump_map(maps, rules);
  EXPECT_EQ(after.size(), before.size() + updates);
  for (const auto& [k, v] : after) {
    const int port = k.size() == 4 ? (k[2] << 8) | k[3] : 0;
    const bool ours = k.size() == 4 && k[0] == 132 && k[1] == 0 && port >= 1 &&
                      port <= static_cast<int>(updates);
    if (!ours && std::find(before.begin(), before.end(), MapEntry{k, v}) == before.end()) {
      ADD_FAILURE() << "a rule nobody wrote: key " << test_hex(k) << " value " << test_hex(v);
    }
  }
  for (uint32_t k = 0; k < updates; ++k) {
    std::array<uint8_t, 4> got{};
    ASSERT_EQ(maps.lookup(rules, key_of(k + 1), got), 0) << "rule " << k + 1;
    EXPECT_EQ(got[0], static_cast<uint8_t>(k)) << "rule " << k + 1;
  }
  std::cout << "[ serve ] firewall x" << kLoops << " at 500 pps: " << total << " frames, "
            << updates << " rule updates while they flowed, IO_CNT_HOST_DROP " << c.host_drop
            << " (refused staging writes, staged again)\n";
}

// --pps: the frames are spread out in wall-clock time (at most R per second).
TEST(ServeTrafficLoop, PacedFramesTakeAtLeastTheirTime) {
  const std::string object = firmware_dir() + "/xdp_drop.o";
  const std::string pcap = firmware_dir() + "/pcap/xdp_drop.pcap";
  if (!std::ifstream(object) || !std::ifstream(pcap)) GTEST_SKIP() << object << " not built";
  const size_t n = read_pcap_file(pcap).size();
  constexpr double kPps = 100;
  test::SimServer server(test::SimServer::Options{
      .pcie_socket = false, .extra_args = {"--pcap", pcap, "--pps", "100"}, .mac = false});
  const Object obj = Object::open_file(object);
  Device dev = Device::open(server.udp_uri());
  Bus& bus = *dev.bus();
  ASSERT_NO_FATAL_FAILURE(
      load_object(dev.engine(), obj, obj.select_program("xdp_drop", std::nullopt), {}, ""));
  const auto t0 = Clock::now();
  bus.write(io::kCtrl, io::kCtrlEnable);
  const IoCounters c = wait_for_frames(bus, static_cast<uint32_t>(n), std::chrono::seconds(30));
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_EQ(c.action[1], n);
  EXPECT_GE(secs, static_cast<double>(n - 1) / kPps) << n << " frames at " << kPps << " pps";
}

// Bad traffic options: a clear error, no server.
TEST(ServeTrafficLoop, BadOptionsAreRefused) {
  const std::string pcap = firmware_dir() + "/pcap/xdp_drop.pcap";
  if (!std::ifstream(pcap)) GTEST_SKIP() << pcap << " not built";
  test::TempDir dir;
  const std::string bogus = (dir.path() / "bogus.pcap").string();
  std::ofstream(bogus) << "not a pcap";
  auto r = test::run_process({EBPF_FPGA_SIM, "serve", "--port", "0", "--pcap", bogus});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bogus + ": not a pcap file"), std::string::npos) << r.err;
  r = test::run_process({EBPF_FPGA_SIM, "serve", "--port", "0", "--pcap", pcap, "--port-in", "4"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--port-in 4: the board has ports 0..3"), std::string::npos) << r.err;
  r = test::run_process({EBPF_FPGA_SIM, "serve", "--port", "0", "--pcap-out",
                         (dir.path() / "no" / "such" / "dir.pcap").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot create"), std::string::npos) << r.err;
  r = test::run_process({EBPF_FPGA_SIM, "serve", "--port", "0", "--tap",
                         "a-name-far-too-long-for-linux"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("an interface name has 1 to 15 characters"), std::string::npos) << r.err;
}

// The whole CSR map of ebpf_xdp_top over every transport to the model: the packet I/O page
// answers on sim: (in-process), udp:// and pcie-socket:// alike.
TEST(ServeIoPage, AnswersOnEveryTransport) {
  test::SimServer server(test::SimServer::Options{.pcie_socket = true, .mac = false});
  for (const std::string& uri : {std::string("sim:"), server.udp_uri(), server.pcie_uri()}) {
    Device dev = Device::open(uri);
    Bus& bus = *dev.bus();
    EXPECT_EQ(bus.read(io::kId), io::kIdValue) << uri;
    EXPECT_EQ(bus.read(io::kParams), (9018u << 16) | (3u << 8) | 4u) << uri << ": IO_PARAMS";
    EXPECT_EQ(bus.read(io::kCtrl) & io::kCtrlEnable, 0u) << uri << ": IO_CTRL.ENABLE at reset";
    bus.write(io::kCtrl, io::kCtrlEnable);
    EXPECT_EQ(bus.read(io::kCtrl) & io::kCtrlEnable, io::kCtrlEnable) << uri;
    EXPECT_EQ(bus.read(io::kStatus) & io::kStatusBusy, 0u) << uri << ": no frame in flight";
    bus.write(io::kCtrl, 0);
    EXPECT_EQ(bus.read(io::kCtrl) & io::kCtrlEnable, 0u) << uri;
  }
}

// --- TAP ------------------------------------------------------------------------------


// In a network namespace of its own (a forked child: the death-test machinery runs it and
// checks its exit code): the board serves TAP "ebpfsim0" on port 0 with mac_swap attached;
// frames sent into the TAP from a packet socket enter port 0, are swapped and leave port 0
// (XDP_TX) back out of the TAP, where the packet socket receives them.
// What it saw goes to stderr and to `report` (read by the parent).
[[noreturn]] void tap_scenario(const std::string& object, const std::string& report) {
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "TAP scenario: %s\n", why.c_str());
    std::fflush(stderr);
    _exit(1);
  };
  if (::unshare(CLONE_NEWNET) != 0) fail(std::string("unshare: ") + std::strerror(errno));
  const int ctl = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (!test::interface_up(ctl, "lo")) fail("cannot bring lo up");
  const std::string tap = "ebpfsim0";
  try {
    test::SimServer server(test::SimServer::Options{
        .pcie_socket = false, .extra_args = {"--tap", tap}, .mac = false});
    // The server created the TAP (down). Quiet IPv6 (no router solicitations), then up.
    std::ofstream("/proc/sys/net/ipv6/conf/" + tap + "/disable_ipv6") << "1";
    if (!test::interface_up(ctl, tap)) fail("cannot bring " + tap + " up: " + std::strerror(errno));
    const Object obj = Object::open_file(object);
    Device dev = Device::open(server.udp_uri());
    Bus& bus = *dev.bus();
    Engine& e = dev.engine();
    std::vector<std::vector<Insn>> progs;
    for (const ProgramSpec& p : obj.programs()) progs.push_back(p.insns);
    e.load_programs(progs, 0);
    e.configure_maps(obj.maps());
    bus.write(io::kCtrl, io::kCtrlEnable);

    const int ps = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (ps < 0) fail(std::string("packet socket: ") + std::strerror(errno));
    sockaddr_ll ll{};
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(ETH_P_ALL);
    ll.sll_ifindex = static_cast<int>(::if_nametoindex(tap.c_str()));
    if (::bind(ps, reinterpret_cast<sockaddr*>(&ll), sizeof ll) != 0) fail("bind packet socket");
    timeval tv{0, 200'000};
    ::setsockopt(ps, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    constexpr int kFrames = 40;
    const Bytes a = {0x02, 0, 0, 0, 0, 0x0a}, b = {0x02, 0, 0, 0, 0, 0x0b};
    for (int k = 0; k < kFrames; ++k) {
      Bytes f;
      f.insert(f.end(), b.begin(), b.end());  // destination
      f.insert(f.end(), a.begin(), a.end());  // source
      f.push_back(0x88);                      // EtherType 0x88b5 (local experimental)
      f.push_back(0xb5);
      const char* magic = "ebpf-fpga-sim tap test";
      f.insert(f.end(), magic, magic + std::strlen(magic));
      f.push_back(static_cast<uint8_t>(k));
      f.resize(60, 0);
      if (::send(ps, f.data(), f.size(), 0) != static_cast<ssize_t>(f.size())) fail("send");
    }
    int swapped = 0, other = 0;
    std::vector<bool> seen(kFrames);
    const auto end = Clock::now() + std::chrono::seconds(20);
    while (swapped < kFrames && Clock::now() < end) {
      uint8_t buf[2048];
      sockaddr_ll from{};
      socklen_t fl = sizeof from;
      const ssize_t n = ::recvfrom(ps, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &fl);
      if (n < 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
      const bool ours = n >= 60 && buf[12] == 0x88 && buf[13] == 0xb5;
      if (ours && std::equal(a.begin(), a.end(), buf) && std::equal(b.begin(), b.end(), buf + 6)) {
        const int k = buf[14 + 22];
        if (k < kFrames && !seen[static_cast<size_t>(k)]) {
          seen[static_cast<size_t>(k)] = true;
          ++swapped;
        }
      } else {
        ++other;
      }
    }
    const IoCounters c = read_counters(bus);
    char line[256];
    std::snprintf(line, sizeof line,
                  "TAP scenario: %d of %d frames came back swapped (%d other frames); "
                  "IO_CNT_RX[0]=%u IO_CNT_ACTION[XDP_TX]=%u IO_CNT_TX[0]=%u\n",
                  swapped, kFrames, other, c.rx[0], c.action[3], c.tx[0]);
    std::fputs(line, stderr);
    std::ofstream(report) << line;
    if (swapped != kFrames) fail("frames missing");
    if (c.rx[0] < static_cast<uint32_t>(kFrames) || c.action[3] != c.rx[0] || c.tx[0] != c.rx[0]) {
      fail("counters do not add up");
    }
    if (server.stop() != 0) fail("server exit");
    if (server.stat("tap_out") != c.tx[0]) fail("tap_out " + std::to_string(server.stat("tap_out")));
  } catch (const std::exception& ex) {
    fail(ex.what());
  }
  std::fflush(stderr);
  _exit(0);
}

TEST(ServeTap, FramesFromLinuxGoThroughTheBoardAndBack) {
  const std::string object = firmware_dir() + "/mac_swap.o";
  if (!std::ifstream(object)) GTEST_SKIP() << object << " not built";
  if (const std::string why = test::tap_unavailable(false); !why.empty()) {
    GTEST_SKIP() << "TAP unavailable here: " << why;
  }
  GTEST_FLAG_SET(death_test_style, "fast");
  test::TempDir dir;
  const std::string report = (dir.path() / "report.txt").string();
  EXPECT_EXIT(tap_scenario(object, report), ::testing::ExitedWithCode(0), "came back swapped");
  std::ifstream in(report);
  std::cout << "[ serve ] " << std::string(std::istreambuf_iterator<char>(in), {});
}

// When TAP cannot be had the server says that TAP is unavailable and why, and exits.
TEST(ServeTap, UnavailableTapIsExplained) {
  // An interface of that name exists and is not a TAP.
  auto r = test::run_process({EBPF_FPGA_SIM, "serve", "--port", "0", "--tap", "lo"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("TAP is unavailable: TUNSETIFF lo: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("exists and is not a TAP"), std::string::npos) << r.err;
  // Without CAP_NET_ADMIN (dropped from the bounding set by setpriv(1), where it exists and
  // we may drop it).
  if (!fs::exists("/usr/bin/setpriv") || ::geteuid() != 0) {
    GTEST_SKIP() << "setpriv(1) or root missing: the CAP_NET_ADMIN case is not tried";
  }
  r = test::run_process({"/usr/bin/setpriv", "--bounding-set", "-net_admin", "--inh-caps",
                         "-net_admin", EBPF_FPGA_SIM, "serve", "--port", "0", "--tap",
                         "ebpfsimcap0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("TAP is unavailable: TUNSETIFF ebpfsimcap0: Operation not permitted "
                       "(creating or attaching a TAP needs CAP_NET_ADMIN)"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace ebpf
