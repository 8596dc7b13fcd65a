// The CLI on devices: `ebpf-fpga device info --device URI`, `ebpf-fpga exec --device URI`,
// and the bpftool-shaped commands (prog, map, stats, events, run --device): a program loaded
// by one invocation, its maps read and changed by others, unloaded by another.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "transport_test_util.h"

namespace ebpf {
namespace {

test::ProcessResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), EBPF_FPGA_CLI);
  return test::run_process(args);
}

TEST(CliDevice, InfoOverEachTransport) {
  test::SimServer server;
  for (const std::string& uri : {std::string("sim:"), std::string("interp:"), server.udp_uri(),
                                 server.pcie_uri()}) {
    const test::ProcessResult r = cli({"device", "info", "--device", uri});
    EXPECT_EQ(r.exit_code, 0) << uri << ": " << r.err;
    EXPECT_NE(r.out.find("device      " + uri + "\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("id          0x65425046 (\"eBPF\")\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("version     1.0\n"), std::string::npos) << r.out;
  }
  const test::ProcessResult r = cli({"device", "info", "--device", server.udp_uri(), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"device\": \"" + server.udp_uri() + "\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"id\": \"0x65425046\", \"version\": \"1.0\", \"imem_slots\": 4096, "
                       "\"counters\": true}"),
            std::string::npos)
      << r.out;
}

TEST(CliDevice, InfoErrors) {
  test::ProcessResult r = cli({"device", "info", "--device", "udp://127.0.0.1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga device info: error: udp://127.0.0.1: missing :PORT (e.g. "
                   "udp://127.0.0.1:1234)\n");
  r = cli({"device", "info", "--device", "udp://127.0.0.1", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "{\"error\": \"udp://127.0.0.1: missing :PORT (e.g. udp://127.0.0.1:1234)\"}\n");
  r = cli({"device"});
  EXPECT_EQ(r.exit_code, 2);
  r = cli({"device", "help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("info"), std::string::npos);
}

TEST(CliDevice, ExecOnADevice) {
  test::SimServer server;
  test::TempDir dir;
  const std::string prog = (dir.path() / "p.s").string();
  std::ofstream(prog) << "ldxb %r0, [%r1+1]\nadd %r0, 40\nexit\n";
  for (const std::string& uri : {server.udp_uri(), server.pcie_uri(), std::string("sim:"),
                                 std::string("interp:")}) {
    const test::ProcessResult r =
        cli({"exec", prog, "--mem", "01 02 03", "--device", uri, "--json"});
    EXPECT_EQ(r.exit_code, 0) << uri << ": " << r.err;
    EXPECT_NE(r.out.find("\"device\": \"" + uri + "\", \"r0\": 42, \"instructions\": 3"),
              std::string::npos)
        << r.out;
  }
  test::ProcessResult r = cli({"exec", prog, "--device", "sim:", "--engine", "rtl"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = cli({"exec", prog, "--device", "udp://127.0.0.1:1?probe=0&timeout_ms=1&retries=0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ebpf-fpga exec: error: udp://127.0.0.1:1?probe=0&timeout_ms=1&retries=0: "),
            std::string::npos)
      << r.err;
}

std::string firmware(const std::string& name) {
  return std::string(EBPF_FPGA_BINARY_DIR) + "/firmware/" + name;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CliDevice, ProgAndMapAcrossInvocations) {
  const std::string obj = firmware("firewall.o"), init = firmware("pcap/firewall.map-init.json");
  if (!std::ifstream(obj) || !std::ifstream(init)) GTEST_SKIP() << obj << " not built";
  test::SimServer server;
  for (const std::string& uri : {server.udp_uri(), server.pcie_uri()}) {
    SCOPED_TRACE(uri);
    // A map-init naming a map the object lacks: refused before the device is touched.
    test::TempDir dir;
    const std::string bad = (dir.path() / "bad.json").string();
    std::ofstream(bad) << "{\"rules\": [{\"key\": \"01000000\", \"value\": \"01000000\"}], "
                          "\"nosuch\": [{\"key\": \"00\", \"value\": \"00\"}]}";
    test::ProcessResult r = cli({"prog", "load", obj, "--map-init", bad, "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "nosuch")) << r.err;
    r = cli({"prog", "show", "--device", uri});
    EXPECT_TRUE(contains(r.err, "no program loaded on " + uri) ||
                contains(r.err, "no OBJINFO window"))
        << "the refused load left nothing behind: " << r.err;
    r = cli({"prog", "load", obj, "--map-init", init, "--device", uri});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "0: xdp  name firewall  tag ")) << r.out;
    r = cli({"prog", "show", "--device", uri});
    if (contains(r.err, "no OBJINFO window")) {
      GTEST_SKIP() << uri << " has no OBJINFO window (CAP_FEATURES bit 2 clear): " << r.err;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "0: xdp  name firewall  tag ")) << r.out;
    EXPECT_TRUE(
        contains(r.out, "object " + obj + " on " + uri + "  maps conntrack,rules,.rodata,.bss"))
        << r.out;
    r = cli({"prog", "show", "--device", uri, "--json"});
    EXPECT_TRUE(contains(
        r.out, "\"programs\": [{\"id\": 0, \"name\": \"firewall\", \"section\": \"xdp\""))
        << r.out;

    r = cli({"map", "dump", "rules", "--device", uri});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "key: 06 00 00 16  value: 02 00 00 00\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "key: 11 00 00 35  value: 02 00 00 00\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "Found 4 elements\n")) << r.out;
    r = cli({"map", "dump", "rules", "--device", uri, "--json"});
    EXPECT_TRUE(contains(r.out, "{\"key\": \"06000016\", \"value\": \"02000000\"}")) << r.out;

    // Block DNS: rule {UDP, port 53} -> XDP_DROP.
    r = cli({"map", "update", "rules", "key", "11", "00", "00", "35", "value", "01", "00", "00",
             "00", "noexist", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "update of key 11 00 00 35 failed: EEXIST")) << r.err;
    r = cli({"map", "update", "rules", "key", "0x11", "0", "0x0035", "value", "01000000", "exist",
             "--device", uri});
    EXPECT_EQ(r.exit_code, 1) << "'0' is not a byte";
    EXPECT_TRUE(contains(r.err, "odd number of hex digits")) << r.err;
    r = cli({"map", "update", "rules", "key", "0x11", "00", "0035", "value", "01000000", "exist",
             "--device", uri});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = cli({"map", "lookup", "rules", "key", "11", "00", "00", "35", "--device", uri});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "key: 11 00 00 35  value: 01 00 00 00\n");

    // Bad input: clear errors, exit 1, the map unchanged.
    r = cli({"map", "lookup", "rules", "key", "11", "00", "00", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "ebpf-fpga map lookup: error: map 'rules' on " + uri +
                         ": key is 3 bytes, the map's key_size is 4\n");
    r = cli({"map", "update", "rules", "key", "11", "00", "00", "35", "value", "01", "--device",
             uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "value is 1 bytes, the map's value size is 4")) << r.err;
    r = cli({"map", "dump", "nosuch", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "no map 'nosuch' in " + obj + " on " + uri +
                                    " (maps: conntrack, rules, .rodata, .bss)"))
        << r.err;
    r = cli({"map", "lookup", "rules", "key", "zz", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "expected hex digits, got 'z'")) << r.err;
    r = cli({"map", "dump", "rules", "--device", uri});
    EXPECT_TRUE(contains(r.out, "key: 11 00 00 35  value: 01 00 00 00\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "Found 4 elements\n")) << r.out;

    r = cli({"map", "delete", "rules", "key", "11", "00", "00", "35", "--device", uri});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = cli({"map", "lookup", "rules", "key", "11", "00", "00", "35", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "no entry for key 11 00 00 35")) << r.err;
    r = cli({"map", "list", "--device", uri});
    EXPECT_TRUE(contains(
        r.out, "1: hash  name rules  flags 0x0\n\tkey 4B  value 4B  max_entries 256\n"))
        << r.out;

    r = cli({"stats", "--device", uri});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "object       " + obj + " (not attached)")) << r.out;
    r = cli({"stats", "--device", uri, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "\"object\": \"" + obj + "\", \"attached\": false")) << r.out;

    r = cli({"prog", "unload", "--device", uri});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "unloaded " + obj + " from " + uri + "\n");
    r = cli({"prog", "show", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "ebpf-fpga prog show: error: no program loaded on " + uri + "\n");
    r = cli({"map", "dump", "rules", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "ebpf-fpga map dump: error: no program loaded on " + uri + "\n");
  }
}

TEST(CliDevice, InProcessDevicesSayTheyKeepNothing) {
  for (const std::string uri : {"sim:", "interp:"}) {
    const test::ProcessResult r = cli({"prog", "show", "--device", uri});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "no program loaded on " + uri + " (")) << r.err;
    EXPECT_TRUE(contains(r.err, "lives inside one process")) << r.err;
  }
  const std::string obj = firmware("firewall.o"), init = firmware("pcap/firewall.map-init.json");
  if (!std::ifstream(obj)) GTEST_SKIP() << obj << " not built";
  const test::ProcessResult r =
      cli({"map", "dump", "rules", "--object", obj, "--map-init", init, "--device", "interp:"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Found 4 elements\n")) << r.out;
}

// `run --device URI` prints what `run --engine interp` prints, packet for packet.
TEST(CliDevice, RunOnADeviceEqualsTheInterpreter) {
  test::SimServer server;
  for (const std::string program : {"firewall", "sampler", "router"}) {
    const std::string obj = firmware(program + ".o"), pcap = firmware("pcap/" + program + ".pcap"),
                      init = firmware("pcap/" + program + ".map-init.json");
    if (!std::ifstream(obj) || !std::ifstream(pcap)) GTEST_SKIP() << obj << " not built";
    std::vector<std::string> args = {"run", obj, "--pcap", pcap, "--json", "-", "-q"};
    if (std::ifstream(init)) args.insert(args.end(), {"--map-init", init});
    std::vector<std::string> interp = args, device = args;
    interp.insert(interp.end(), {"--engine", "interp"});
    device.insert(device.end(), {"--device", server.udp_uri()});
    const test::ProcessResult a = cli(interp), b = cli(device);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    // The device reports cycles; the interpreter does not. Everything else is equal.
    const std::regex engine("\"engine\": \"[^\"]*\""), cycles("\"cycles\": [0-9null]+");
    auto strip = [&](const std::string& s) {
      return std::regex_replace(std::regex_replace(s, engine, ""), cycles, "");
    };
    EXPECT_EQ(strip(b.out), strip(a.out)) << program;
    EXPECT_TRUE(contains(b.out, "\"engine\": \"device\"")) << b.out.substr(0, 200);
  }
}

// `events --object OBJ --pcap FILE`: the events of the test runs, as the interpreter sends
// them (the sampler corpus has perf_event_output records), cut at --count.
TEST(CliDevice, EventsOfTestRuns) {
  const std::string obj = firmware("sampler.o"), pcap = firmware("pcap/sampler.pcap");
  if (!std::ifstream(obj) || !std::ifstream(pcap)) GTEST_SKIP() << obj << " not built";
  test::SimServer server;
  const test::ProcessResult all =
      cli({"events", "--object", obj, "--pcap", pcap, "--device", "interp:", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const size_t n = static_cast<size_t>(std::count(all.out.begin(), all.out.end(), '\n'));
  ASSERT_GT(n, 2u) << all.out;
  const test::ProcessResult dev =
      cli({"events", "--object", obj, "--pcap", pcap, "--device", server.udp_uri(), "--json"});
  ASSERT_EQ(dev.exit_code, 0) << dev.err;
  EXPECT_EQ(dev.out, all.out);
  const test::ProcessResult two = cli({"events", "--object", obj, "--pcap", pcap, "--device",
                                       server.pcie_uri(), "--count", "2"});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(std::count(two.out.begin(), two.out.end(), '\n'), 2) << two.out;
  EXPECT_TRUE(two.out.starts_with("perf_event_output map ")) << two.out;
  // Without --pcap: only a device that keeps events while frames flow.
  const test::ProcessResult flow = cli({"events", "--object", obj, "--device", "interp:"});
  EXPECT_EQ(flow.exit_code, 1);
  EXPECT_TRUE(contains(flow.err, "does not keep events while frames flow")) << flow.err;
}

// Frames flowing through the served board once `prog load --attach`: `stats` counts them
// per action as the corpus's expectations say (firewall: 9 XDP_DROP, 9 XDP_PASS), and
// `prog detach` / `prog show` report the state.
TEST(CliDevice, StatsCountFramesWhileAttached) {
  const std::string obj = firmware("firewall.o"), init = firmware("pcap/firewall.map-init.json"),
                    pcap = firmware("pcap/firewall.pcap"),
                    expect = firmware("pcap/firewall.expect.tsv");
  if (!std::ifstream(obj) || !std::ifstream(expect)) GTEST_SKIP() << obj << " not built";
  size_t want[5] = {};
  std::ifstream tsv(expect);
  for (std::string line; std::getline(tsv, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    ++want[std::stoul(line.substr(tab + 1))];
  }
  test::SimServer::Options so;
  so.extra_args = {"--pcap", pcap};
  test::SimServer server(so);
  const std::string uri = server.udp_uri();
  test::ProcessResult r =
      cli({"prog", "load", obj, "--map-init", init, "--attach", "--device", uri});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string counts = "\"XDP_ABORTED\": " + std::to_string(want[0]) +
                             ", \"XDP_DROP\": " + std::to_string(want[1]) +
                             ", \"XDP_PASS\": " + std::to_string(want[2]) +
                             ", \"XDP_TX\": " + std::to_string(want[3]) +
                             ", \"XDP_REDIRECT\": " + std::to_string(want[4]) + "}";
  for (int i = 0; i < 100; ++i) {
    r = cli({"stats", "--device", uri, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (contains(r.out, counts)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(contains(r.out, counts)) << r.out;
  EXPECT_TRUE(contains(r.out, "\"attached\": true")) << r.out;
  r = cli({"prog", "show", "--device", uri});
  EXPECT_TRUE(contains(r.out, "  attached\n")) << r.out;
  r = cli({"prog", "detach", "--device", uri});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = cli({"prog", "show", "--device", uri});
  EXPECT_TRUE(contains(r.out, "  not attached\n")) << r.out;
  r = cli({"stats", "--device", uri});
  EXPECT_TRUE(contains(r.out, "XDP_DROP     " + std::to_string(want[1]) + "\n")) << r.out;
}

// `stats --clear` while frames flow: the I/O block has no atomic snapshot-and-clear, so a
// read followed by a clear loses every frame counted between the two. The CLI pauses the
// flow around read + clear (take_io_counters): the readings add up to every frame the
// server sent, frames in and verdicts alike.
TEST(CliDevice, StatsClearWhileFramesFlowCountsEveryFrameOnce) {
  const std::string obj = firmware("firewall.o"), init = firmware("pcap/firewall.map-init.json"),
                    pcap = firmware("pcap/firewall.pcap"),
                    expect = firmware("pcap/firewall.expect.tsv");
  if (!std::ifstream(obj) || !std::ifstream(expect)) GTEST_SKIP() << obj << " not built";
  // Verdicts change across the loops (conntrack lets reverse flows pass later), so the
  // readings are checked against the number of frames, each of which has one verdict.
  constexpr uint64_t kLoops = 200;
  uint64_t per_loop = 0;
  std::ifstream tsv(expect);
  for (std::string line; std::getline(tsv, line);) {
    if (!line.empty() && line[0] != '#') ++per_loop;
  }
  const uint64_t total = per_loop * kLoops;
  ASSERT_GT(total, 0u);
  test::SimServer::Options so;
  so.extra_args = {"--pcap", pcap, "--loop", std::to_string(kLoops), "--pps", "2000"};
  test::SimServer server(so);
  const std::string uri = server.udp_uri();
  test::ProcessResult r =
      cli({"prog", "load", obj, "--map-init", init, "--attach", "--device", uri});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const char* const names[5] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
                                "XDP_REDIRECT"};
  uint64_t got[5] = {}, rx = 0, sum = 0;
  int readings = 0, nonzero = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (sum < total && std::chrono::steady_clock::now() < deadline) {
    r = cli({"stats", "--device", uri, "--json", "--clear"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ++readings;
    uint64_t this_one = 0;
    for (int a = 0; a < 5; ++a) {
      std::smatch m;
      std::string pattern = "\"";  // "NAME": N (built in steps: GCC 12 -Wrestrict)
      pattern += names[a];
      pattern += "\": ([0-9]+)";
      const std::regex re(pattern);
      ASSERT_TRUE(std::regex_search(r.out, m, re)) << r.out;
      got[a] += std::stoull(m[1]);
      this_one += std::stoull(m[1]);
    }
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"("port": 0, "rx": ([0-9]+))")))
        << r.out;
    rx += std::stoull(m[1]);
    sum += this_one;
    if (this_one) ++nonzero;
    ASSERT_TRUE(contains(r.out, "\"attached\": true")) << r.out;
  }
  EXPECT_EQ(sum, total) << "frames counted by " << readings << " readings of stats --clear";
  EXPECT_EQ(got[1] + got[2], total) << "firewall verdicts are XDP_DROP or XDP_PASS";
  EXPECT_EQ(rx, total) << "frames in on port 0";
  // The frames flowed while the readings were taken (more than one reading counted some).
  EXPECT_GT(nonzero, 1);
  std::cout << "[ cli ] " << total << " frames, " << readings << " readings of stats --clear ("
            << nonzero << " non-zero)\n";
}

}  // namespace
}  // namespace ebpf
