#include "server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "ebpf_fpga/error.h"
#include "pcie_socket_proto.h"

namespace ebpf::simserve {
namespace {

namespace ps = pcie_socket;

std::string errno_text() { return std::strerror(errno); }

std::string format_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

Server::Server(SimBoard& board, DatagramHandler& udp, const ServerOptions& opts)
    : board_(board), udp_(udp), opts_(opts) {
  if (opts_.udp) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const int rc = ::getaddrinfo(opts_.udp_host.c_str(), std::to_string(opts_.udp_port).c_str(),
                                 &hints, &res);
    if (rc != 0) throw Error("cannot resolve " + opts_.udp_host + ": " + ::gai_strerror(rc));
    std::string err;
    for (addrinfo* ai = res; ai && udp_fd_ < 0; ai = ai->ai_next) {
      const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) continue;
      // No SO_REUSEADDR: on UDP it would let a second server share the port.
      if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        udp_fd_ = fd;
      } else {
        err = errno_text();
        ::close(fd);
      }
    }
    ::freeaddrinfo(res);
    if (udp_fd_ < 0) {
      throw Error("cannot listen on udp://" + format_host(opts_.udp_host) + ":" +
                  std::to_string(opts_.udp_port) + ": " + err);
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(udp_fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    const uint16_t port = ntohs(ss.ss_family == AF_INET6
                                    ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                    : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    udp_uri_ = "udp://" + format_host(opts_.udp_host) + ":" + std::to_string(port);
  }
  if (!opts_.pcie_socket_path.empty()) {
    const std::string& path = opts_.pcie_socket_path;
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) throw Error(path + ": socket path is too long");
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    // A socket file left by a server that died is replaced; a live server's is not.
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0) {
      if (!S_ISSOCK(st.st_mode)) throw Error(path + ": exists and is not a socket");
      const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      const bool live = ::connect(probe, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
      ::close(probe);
      if (live) throw Error(path + ": another server is listening there");
      ::unlink(path.c_str());
    }
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      throw Error("cannot listen on " + path + ": " + errno_text());
    }
  }
}

Server::~Server() {
  for (Conn& c : conns_) ::close(c.fd);
  if (udp_fd_ >= 0) ::close(udp_fd_);
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    ::unlink(opts_.pcie_socket_path.c_str());
  }
}

std::string Server::udp_uri() const { return udp_uri_; }

std::string Server::pcie_uri() const {
  return opts_.pcie_socket_path.empty() ? "" : "pcie-socket://" + opts_.pcie_socket_path;
}

void Server::run(const volatile sig_atomic_t* stop, const sigset_t& wait_mask) {
  std::vector<pollfd> fds;
  bool tap_gone = false;  // the TAP reported an error or hang-up (interface removed)
  while (!*stop) {
    // Frames due go to the board; a paced one not due yet sets the wake-up time.
    const auto frame_due = traffic_ ? traffic_->pump() : std::nullopt;
    const bool core_busy = board_.core_busy();  // the core runs or frames move
    timespec ts{};
    timespec* timeout = nullptr;  // idle: sleep until a request or a signal
    auto wake_at = [&](std::chrono::steady_clock::time_point at) {
      const auto left = at - std::chrono::steady_clock::now();
      const int64_t ns = std::max<int64_t>(
          0, std::chrono::duration_cast<std::chrono::nanoseconds>(left).count());
      if (timeout && ts.tv_sec * 1'000'000'000 + ts.tv_nsec <= ns) return;
      ts.tv_sec = ns / 1'000'000'000;
      ts.tv_nsec = ns % 1'000'000'000;
      timeout = &ts;
    };
    if (core_busy) {
      timeout = &ts;  // the core runs between quick looks at the sockets
    } else if (frame_due) {
      wake_at(*frame_due);
    }
    fds.clear();
    if (udp_fd_ >= 0) fds.push_back({udp_fd_, POLLIN, 0});
    if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
    const int tap_fd = traffic_ && !tap_gone ? traffic_->tap_fd() : -1;
    if (tap_fd >= 0) fds.push_back({tap_fd, POLLIN, 0});
    for (const Conn& c : conns_) {
      fds.push_back({c.fd, static_cast<short>(POLLIN | (c.out.empty() ? 0 : POLLOUT)), 0});
    }
    const int n = ::ppoll(fds.data(), fds.size(), timeout, &wait_mask);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(std::string("ppoll: ") + errno_text());
    }
    size_t i = 0;
    if (udp_fd_ >= 0 && (fds[i++].revents & POLLIN)) serve_udp();
    if (listen_fd_ >= 0 && (fds[i++].revents & POLLIN)) accept_conn();
    if (tap_fd >= 0) {
      const short re = fds[i++].revents;
      if (re & POLLIN) {
        traffic_->read_tap();
      } else if (re & (POLLERR | POLLHUP | POLLNVAL)) {
        // The interface was removed: the fd reports an error at once on every poll. Close
        // the TAP (the fd number now names /dev/null, so frames for it are dropped and
        // Traffic's own close stays valid) and keep serving the other sockets.
        tap_gone = true;
        const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null_fd >= 0) {
          ::dup2(null_fd, tap_fd);
          ::close(null_fd);
        }
        std::fprintf(stderr,
                     "ebpf-fpga-sim: the TAP reported %s (interface removed?): closed it; "
                     "serving on without TAP traffic\n",
                     (re & POLLHUP) ? "a hang-up" : "an error");
        std::fflush(stderr);
      }
    }
    // Connections accepted just now come after the polled ones, with nothing to do yet.
    const size_t polled = fds.size() - i;
    std::vector<Conn> kept;
    kept.reserve(conns_.size());
    for (size_t k = 0; k < conns_.size(); ++k) {
      const short re = k < polled ? fds[i + k].revents : 0;
      bool keep = true;
      if (re & (POLLIN | POLLHUP | POLLERR)) keep = serve_conn(conns_[k]);
      if (keep && (re & POLLOUT)) keep = flush_conn(conns_[k]);
      if (keep) {
        kept.push_back(std::move(conns_[k]));
      } else {
        ::close(conns_[k].fd);
      }
    }
    conns_.swap(kept);
    if (core_busy) {
      board_.run_clock(opts_.clock_chunk);
      if (traffic_) traffic_->pump();
    }
  }
}

void Server::serve_udp() {
  // A bounded number per turn, so that the clock and the other sockets get their share.
  for (int burst = 0; burst < 64; ++burst) {
    sockaddr_storage peer{};
    socklen_t plen = sizeof peer;
    const ssize_t n = ::recvfrom(udp_fd_, rx_.data(), rx_.size(), 0,
                                 reinterpret_cast<sockaddr*>(&peer), &plen);
    if (n < 0) return;  // EAGAIN, or an ICMP error about an earlier reply: nothing to do
    const auto reply = udp_.on_datagram({rx_.data(), static_cast<size_t>(n)});
    if (reply && ::sendto(udp_fd_, reply->data(), reply->size(), 0,
                          reinterpret_cast<sockaddr*>(&peer), plen) < 0) {
      ++stats_.udp_send_errors;
    }
  }
}

void Server::accept_conn() {
  const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return;
  ++stats_.pcie_connections;
  Conn c;
  c.fd = fd;
  c.out.resize(ps::kFrameBytes);
  ps::encode(ps::Frame{ps::Type::kHello, 0, 0, ps::kHelloMagic, SimBoard::kCsrSpace}, c.out.data());
  conns_.push_back(std::move(c));
  flush_conn(conns_.back());
}

bool Server::serve_conn(Conn& c) {
  for (;;) {
    const ssize_t n = ::recv(c.fd, rx_.data(), rx_.size(), 0);
    if (n == 0) return false;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return false;
    }
    c.in.insert(c.in.end(), rx_.begin(), rx_.begin() + n);
  }
  size_t off = 0;
  for (; off + ps::kFrameBytes <= c.in.size(); off += ps::kFrameBytes) {
    const ps::Frame f = ps::decode(c.in.data() + off);
    ++stats_.pcie_frames;
    const bool in_bar = (f.addr & 3) == 0 && f.addr < SimBoard::kCsrSpace;
    if (f.type == ps::Type::kWrite) {
      if (in_bar) board_.write(f.addr, f.data); else ++stats_.pcie_unsupported;
    } else if (f.type == ps::Type::kRead) {
      ps::Frame cpl{ps::Type::kCompletion, 0, f.tag, f.addr, 0};
      if (in_bar) {
        cpl.data = board_.read(f.addr);
      } else {
        cpl.type = ps::Type::kUnsupported;
        ++stats_.pcie_unsupported;
      }
      const size_t at = c.out.size();
      c.out.resize(at + ps::kFrameBytes);
      ps::encode(cpl, c.out.data() + at);
    } else {
      ++stats_.pcie_bad_frames;
      return false;
    }
  }
  c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(off));
  return flush_conn(c);
}

bool Server::flush_conn(Conn& c) {
  size_t off = 0;
  while (off < c.out.size()) {
    const ssize_t n = ::send(c.fd, c.out.data() + off, c.out.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return false;
    }
    off += static_cast<size_t>(n);
  }
  c.out.erase(c.out.begin(), c.out.begin() + static_cast<std::ptrdiff_t>(off));
  return true;
}

}  // namespace ebpf::simserve
