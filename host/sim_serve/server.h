// The simulated board's sockets: Etherbone over UDP and the pcie-socket protocol over a Unix
// socket, served from one thread. Requests from every client are performed one at a time, in
// arrival order, as a board's single CSR bus would. Between requests the board's clock runs
// while the core is busy.
#pragma once

#include <signal.h>

#include <string>
#include <vector>

#include "board.h"
#include "etherbone_endpoint.h"

namespace ebpf::simserve {

struct ServerOptions {
  bool udp = true;
  std::string udp_host = "127.0.0.1";
  uint16_t udp_port = 1234;       // 0: the kernel picks a free port (see udp_uri())
  std::string pcie_socket_path;   // empty: no pcie-socket listener
  uint64_t clock_chunk = 2'000;   // cycles ticked between two looks at the sockets
};

struct ServerStats {
  uint64_t pcie_connections = 0;
  uint64_t pcie_frames = 0;
  uint64_t pcie_bad_frames = 0;     // unknown frame types: the connection is closed
  uint64_t pcie_unsupported = 0;    // accesses outside BAR0 (reads answered Unsupported)
  uint64_t udp_send_errors = 0;
};

class Server {
 public:
  // Binds the sockets; throws ebpf::Error naming the address when it cannot.
  Server(SimBoard& board, DatagramHandler& udp, const ServerOptions& opts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::string udp_uri() const;   // "udp://127.0.0.1:PORT" with the port actually bound
  std::string pcie_uri() const;  // "pcie-socket://PATH", or empty

  // Serves until *stop becomes non-zero. The caller blocks the stop signals and passes the
  // mask to use while waiting (`wait_mask`), so a signal can only arrive inside ppoll().
  void run(const volatile sig_atomic_t* stop, const sigset_t& wait_mask);

  const ServerStats& stats() const { return stats_; }

  // Traffic through the board's stream ports (optional; board.h): pumped between requests,
  // the clock kept running while frames move, the TAP polled with the sockets.
  void set_traffic(Traffic* t) { traffic_ = t; }

 private:
  struct Conn {
    int fd = -1;
    std::vector<uint8_t> in, out;
  };
  void serve_udp();
  void accept_conn();
  bool serve_conn(Conn& c);  // false: close it
  bool flush_conn(Conn& c);

  SimBoard& board_;
  DatagramHandler& udp_;
  ServerOptions opts_;
  int udp_fd_ = -1, listen_fd_ = -1;
  std::string udp_uri_;
  std::vector<Conn> conns_;
  ServerStats stats_;
  Traffic* traffic_ = nullptr;
  std::vector<uint8_t> rx_ = std::vector<uint8_t>(65536);
};

}  // namespace ebpf::simserve
