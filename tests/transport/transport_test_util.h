// Shared helpers of the transport tests: the simulated board as a child process, a seeded
// loss-injecting UDP proxy, a scriptable fake Etherbone device, temporary directories.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ebpf_fpga/error.h"

namespace ebpf::test {

namespace fs = std::filesystem;

// A fresh directory under /tmp, removed with its contents when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Whether SimServer starts `serve --mac` unless told otherwise: the test_transport_mac
// binary is built with EBPF_FPGA_TEST_SERVER_MAC=1, so the same tests that go over udp://
// run through the board top level's MAC, IPv4/UDP and Etherbone RTL.
#ifdef EBPF_FPGA_TEST_SERVER_MAC
inline constexpr bool kServerMacDefault = true;
#else
inline constexpr bool kServerMacDefault = false;
#endif

// `ebpf-fpga-sim serve` on 127.0.0.1, started in the constructor (which returns once the
// server says "ready") and stopped with SIGTERM in the destructor.
class SimServer {
 public:
  struct Options {
    int port = 0;             // 0: a free port, read back from the server's output
    // also serve pcie-socket:// in a temporary directory (not with --mac)
    bool pcie_socket = !kServerMacDefault;
    std::vector<std::string> extra_args = {};
    // --mac: datagrams go through the simulated board's GMII pins (our MAC, ARP, IPv4/UDP
    // and Etherbone RTL); Etherbone over UDP only
    bool mac = kServerMacDefault;
  };
  SimServer() : SimServer(Options{}) {}
  explicit SimServer(const Options& opts);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  const std::string& udp_uri() const { return udp_uri_; }
  const std::string& pcie_uri() const { return pcie_uri_; }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // Sends `sig` and waits for the exit; returns the exit code (128 + signal if killed).
  int stop(int sig = 15);
  // The server's standard error so far (complete after stop()).
  std::string stderr_text() const;
  // "key=value" from the statistics line the server prints at exit (after stop()).
  uint64_t stat(const std::string& key) const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string udp_uri_, pcie_uri_;
  uint16_t port_ = 0;
};

// Runs a binary with arguments; collects exit code, stdout and stderr.
struct ProcessResult {
  int exit_code = -1;
  std::string out, err;
};
ProcessResult run_process(const std::vector<std::string>& argv);

// The message of the ebpf::Error that `f` throws, or "" when it throws none.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Why a TAP in a network namespace of the test's own cannot be had here (no /dev/net/tun, no
// CAP_SYS_ADMIN for unshare(CLONE_NEWNET), or, with needs_ip, no ip(8)); empty when it can.
std::string tap_unavailable(bool needs_ip);

// Sets IFF_UP on interface `name` (sock: any AF_INET datagram socket); false on failure.
bool interface_up(int sock, const std::string& name);

// A UDP proxy between one client and a server on 127.0.0.1 that drops, duplicates and
// reorders (holds back until the next datagram in the same direction, or max_hold) datagrams
// at the given rates, with decisions drawn from a seeded generator, and counts all of it.
struct ProxyOptions {
  double drop_c2s = 0, drop_s2c = 0;  // client to server, server to client
  double duplicate = 0;
  double reorder = 0;
  uint64_t seed = 1;
  std::chrono::milliseconds max_hold{20};
};
struct ProxyDirStats {
  uint64_t in = 0;          // datagrams received
  uint64_t dropped = 0;
  uint64_t duplicated = 0;  // sent twice
  uint64_t held = 0;        // sent later, after a newer one
  uint64_t out = 0;         // datagrams sent on (duplicates and held ones included)
};
class LossyProxy {
 public:
  LossyProxy(uint16_t server_port, const ProxyOptions& opts);
  ~LossyProxy();
  uint16_t port() const { return port_; }
  std::string uri() const { return "udp://127.0.0.1:" + std::to_string(port_); }
  // New rates from now on (the generator continues); held datagrams are released at once.
  void set_options(const ProxyOptions& opts);
  ProxyDirStats c2s() const;
  ProxyDirStats s2c() const;

 private:
  void loop();
  int front_ = -1, back_ = -1;
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  ProxyOptions opts_;
  bool release_ = false;
  ProxyDirStats c2s_, s2c_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A fake Etherbone device on 127.0.0.1 that answers through a callback: given the request
// bytes, return the reply bytes (nullopt: stay silent). Registers() builds a well-behaved
// responder from an address -> value map (unknown addresses read 0).
class FakeEtherbone {
 public:
  using Responder =
      std::function<std::optional<std::vector<uint8_t>>(const std::vector<uint8_t>&)>;
  explicit FakeEtherbone(Responder r);
  ~FakeEtherbone();
  uint16_t port() const { return port_; }
  std::string uri(const std::string& query = "") const;
  uint64_t requests() const { return requests_; }

  static Responder registers(std::map<uint32_t, uint32_t> regs);

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  Responder respond_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

inline fs::path conformance_tests() {
  return fs::path(EBPF_FPGA_CONFORMANCE_DIR) / "tests";
}

}  // namespace ebpf::test
