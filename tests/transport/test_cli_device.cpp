// The CLI on devices: `ebpf-fpga device info --device URI` and `ebpf-fpga exec --device URI`.
#include <gtest/gtest.h>

#include <fstream>

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

}  // namespace
}  // namespace ebpf
