// Review fixes of the transports and the simulated board (issue #6): a TAP whose interface
// is removed while `ebpf-fpga-sim serve` runs is closed and reported; the server keeps
// serving.
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "ebpf_fpga/device.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/offload.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {


// In a network namespace of its own (a forked child run by the death-test machinery): the
// board serves TAP "ebpfrv0"; the interface is deleted; the server must say so on stderr
// and still answer on udp://.
[[noreturn]] void tap_removed_scenario() {
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "TAP removed: %s\n", why.c_str());
    std::fflush(stderr);
    _exit(1);
  };
  if (::unshare(CLONE_NEWNET) != 0) fail(std::string("unshare: ") + std::strerror(errno));
  const int ctl = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (!test::interface_up(ctl, "lo")) fail("cannot bring lo up");
  const std::string tap = "ebpfrv0";
  try {
    test::SimServer server(test::SimServer::Options{
        .pcie_socket = false, .extra_args = {"--tap", tap}, .mac = false});
    const std::string ip = ::access("/usr/sbin/ip", X_OK) == 0 ? "/usr/sbin/ip" : "/sbin/ip";
    const auto r = test::run_process({ip, "link", "delete", tap});
    if (r.exit_code != 0) fail("ip link delete " + tap + ": " + r.err);
    // The server notices at its next poll.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.stderr_text().find("closed it") == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) {
        fail("no report of the removed TAP on the server's stderr: " + server.stderr_text());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // It still serves: registers read and write over udp://.
    Device dev = Device::open(server.udp_uri());
    const DeviceInfo& caps = dev.info();
    if (!caps.has_capabilities) fail("no capability block answers after the TAP was removed");
    if (!server.running()) fail("the server exited");
    const int code = server.stop();
    if (code != 0) fail("server exit code " + std::to_string(code) + ": " + server.stderr_text());
    std::fprintf(stderr, "%s", server.stderr_text().c_str());
  } catch (const std::exception& e) {
    fail(e.what());
  }
  std::fflush(stderr);
  _exit(0);
}

TEST(ServeTapRemoved, ClosedReportedAndServingGoesOn) {
  if (const std::string why = test::tap_unavailable(true); !why.empty()) {
    GTEST_SKIP() << "TAP unavailable here: " << why;
  }
  GTEST_FLAG_SET(death_test_style, "fast");
  EXPECT_EXIT(tap_removed_scenario(), ::testing::ExitedWithCode(0),
              "the TAP reported an error \\(interface removed\\?\\): closed it");
}

}  // namespace
}  // namespace ebpf
