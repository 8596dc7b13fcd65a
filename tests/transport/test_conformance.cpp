// The shared conformance corpus through a Device over each transport, every program compared
// with the reference interpreter: same outcome (pass, refused at load, fault) and same r0.
#include <gtest/gtest.h>

#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/interp.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

class ConformanceOverTransport : public ::testing::TestWithParam<std::string> {};

TEST_P(ConformanceOverTransport, EveryProgramMatchesTheInterpreter) {
  const auto files = collect_data_files({test::conformance_tests().string()});
  if (files.empty()) GTEST_SKIP() << "no conformance corpus at " << test::conformance_tests();
  std::unique_ptr<test::SimServer> server;
  std::string uri = "sim:";
  if (GetParam() != "sim") {
    server = std::make_unique<test::SimServer>();
    uri = GetParam() == "udp" ? server->udp_uri() : server->pcie_uri();
  }
  Device dev = Device::open(uri);
  auto interp = make_interpreter();
  const ConformanceOptions opts;
  size_t ran = 0, passed = 0;
  for (const auto& f : files) {
    const DataTest t = parse_data_file(f);
    const TestOutcome want = run_data_test(t, *interp, opts);
    const TestOutcome got = run_data_test(t, dev.engine(), opts);
    EXPECT_EQ(got.status, want.status) << f << ": " << got.message << " / " << want.message;
    EXPECT_EQ(got.r0, want.r0) << f;
    ++ran;
    passed += got.status == TestStatus::kPass;
  }
  EXPECT_EQ(ran, files.size());
  EXPECT_EQ(passed, files.size()) << "every corpus program passes on the interpreter";
  if (dev.bus()) {
    const BusStats& s = dev.bus()->stats();
    std::printf("%s: %zu programs, %llu flushes, %llu datagrams, %llu retries\n", uri.c_str(), ran,
                static_cast<unsigned long long>(s.flushes),
                static_cast<unsigned long long>(s.datagrams_sent),
                static_cast<unsigned long long>(s.retries));
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, ConformanceOverTransport,
                         ::testing::Values("sim", "udp", "pcie_socket"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace ebpf
