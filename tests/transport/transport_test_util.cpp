#include "transport_test_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "etherbone.h"

namespace ebpf::test {

using Clock = std::chrono::steady_clock;

TempDir::TempDir() {
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    path_ = fs::path("/tmp") / ("ebpf_fpga_transport_" + std::to_string(::getpid()) + "_" +
                                std::to_string(rd() % 1000000));
    if (fs::create_directory(path_)) return;
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  const Clock::time_point deadline = Clock::now() + limit;
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

[[noreturn]] void exec_or_die(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  std::perror(args[0]);
  ::_exit(127);
}

}  // namespace

SimServer::SimServer(const Options& opts) {
  std::vector<std::string> argv = {EBPF_FPGA_SIM, "serve", "--listen",
                                   "udp://127.0.0.1:" + std::to_string(opts.port)};
  if (opts.pcie_socket) {
    argv.push_back("--pcie-socket");
    argv.push_back((dir_.path() / "board.sock").string());
  }
  if (opts.mac) argv.push_back("--mac");
  argv.insert(argv.end(), opts.extra_args.begin(), opts.extra_args.end());

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  const std::string err_path = (dir_.path() / "stderr.txt").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], 1);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, 2);
    exec_or_die(argv);
  }
  ::close(out[1]);
  out_fd_ = out[0];

  std::string text;
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(20);
  while (text.find("ready\n") == std::string::npos) {
    pollfd pfd{out_fd_, POLLIN, 0};
    const int n = ::poll(&pfd, 1, 100);
    char buf[512];
    ssize_t got = 0;
    if (n > 0) got = ::read(out_fd_, buf, sizeof buf);
    if (n > 0 && got <= 0) break;  // EOF: the server exited
    if (got > 0) text.append(buf, static_cast<size_t>(got));
    if (Clock::now() > deadline) break;
  }
  if (text.find("ready\n") == std::string::npos) {
    const int code = stop(SIGKILL);
    throw std::runtime_error("ebpf-fpga-sim did not start (exit " + std::to_string(code) +
                             "): " + text + read_all(err_path));
  }
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t at = line.find("listening ");
    if (at == std::string::npos) continue;
    const std::string uri = line.substr(at + 10);
    if (uri.starts_with("udp://")) {
      udp_uri_ = uri;
      port_ = static_cast<uint16_t>(std::stoi(uri.substr(uri.rfind(':') + 1)));
    } else if (uri.starts_with("pcie-socket://")) {
      pcie_uri_ = uri;
    }
  }
}

SimServer::~SimServer() {
  if (pid_ > 0) stop(SIGTERM);
  if (out_fd_ >= 0) ::close(out_fd_);
}

int SimServer::stop(int sig) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, sig);
  const int code = wait_exit(pid_, std::chrono::seconds(10));
  pid_ = -1;
  return code;
}

std::string SimServer::stderr_text() const { return read_all(dir_.path() / "stderr.txt"); }

uint64_t SimServer::stat(const std::string& key) const {
  const std::string text = stderr_text();
  const size_t at = text.find(" " + key + "=");
  if (at == std::string::npos) throw std::runtime_error("no statistic " + key + " in: " + text);
  return std::stoull(text.substr(at + key.size() + 2));
}

ProcessResult run_process(const std::vector<std::string>& argv) {
  TempDir dir;
  const std::string out_path = (dir.path() / "out").string();
  const std::string err_path = (dir.path() / "err").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    exec_or_die(argv);
  }
  ProcessResult r;
  r.exit_code = wait_exit(pid, std::chrono::seconds(120));
  r.out = read_all(out_path);
  r.err = read_all(err_path);
  return r;
}

// ---------------------------------------------------------------------------------------

namespace {

int udp_socket_on_loopback(uint16_t* port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    throw std::runtime_error("cannot bind a UDP socket on 127.0.0.1");
  }
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  *port = ntohs(sa.sin_port);
  return fd;
}

}  // namespace

LossyProxy::LossyProxy(uint16_t server_port, const ProxyOptions& opts) : opts_(opts) {
  front_ = udp_socket_on_loopback(&port_);
  uint16_t unused;
  back_ = udp_socket_on_loopback(&unused);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(server_port);
  ::connect(back_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  thread_ = std::thread([this] { loop(); });
}

LossyProxy::~LossyProxy() {
  stop_ = true;
  thread_.join();
  ::close(front_);
  ::close(back_);
}

void LossyProxy::set_options(const ProxyOptions& opts) {
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t seed = opts_.seed;
  opts_ = opts;
  opts_.seed = seed;
  release_ = true;
}

ProxyDirStats LossyProxy::c2s() const {
  std::lock_guard<std::mutex> lock(mu_);
  return c2s_;
}

ProxyDirStats LossyProxy::s2c() const {
  std::lock_guard<std::mutex> lock(mu_);
  return s2c_;
}

void LossyProxy::loop() {
  std::mt19937_64 rng(opts_.seed);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  sockaddr_in client{};
  bool have_client = false;
  struct Held {
    std::vector<uint8_t> data;
    Clock::time_point since;
    bool valid = false;
  } held[2];
  std::vector<uint8_t> buf(65536);

  auto send = [&](int dir, const std::vector<uint8_t>& d) {
    if (dir == 0) {
      ::send(back_, d.data(), d.size(), 0);
    } else if (have_client) {
      ::sendto(front_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&client),
               sizeof client);
    }
    ++(dir == 0 ? c2s_ : s2c_).out;
  };
  auto release = [&](int dir) {
    if (!held[dir].valid) return;
    held[dir].valid = false;
    send(dir, held[dir].data);
  };
  auto process = [&](int dir, std::vector<uint8_t> d) {
    std::lock_guard<std::mutex> lock(mu_);
    ProxyDirStats& st = dir == 0 ? c2s_ : s2c_;
    ++st.in;
    const double drop = dir == 0 ? opts_.drop_c2s : opts_.drop_s2c;
    const double u = uni(rng);
    if (u < drop) {
      ++st.dropped;
      return;
    }
    if (u < drop + opts_.duplicate) {
      ++st.duplicated;
      send(dir, d);
      send(dir, d);
      release(dir);
      return;
    }
    if (u < drop + opts_.duplicate + opts_.reorder && !held[dir].valid) {
      ++st.held;
      held[dir] = Held{std::move(d), Clock::now(), true};
      return;
    }
    send(dir, d);
    release(dir);
  };

  while (!stop_) {
    pollfd fds[2] = {{front_, POLLIN, 0}, {back_, POLLIN, 0}};
    ::poll(fds, 2, 2);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int dir = 0; dir < 2; ++dir) {
        if (held[dir].valid && (release_ || Clock::now() - held[dir].since > opts_.max_hold)) {
          release(dir);
        }
      }
      release_ = false;
    }
    if (fds[0].revents & POLLIN) {
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(front_, buf.data(), buf.size(), MSG_DONTWAIT,
                                   reinterpret_cast<sockaddr*>(&from), &len);
      if (n >= 0) {
        client = from;
        have_client = true;
        process(0, std::vector<uint8_t>(buf.begin(), buf.begin() + n));
      }
    }
    if (fds[1].revents & (POLLIN | POLLERR)) {
      const ssize_t n = ::recv(back_, buf.data(), buf.size(), MSG_DONTWAIT);
      if (n >= 0) process(1, std::vector<uint8_t>(buf.begin(), buf.begin() + n));
    }
  }
}

// ---------------------------------------------------------------------------------------

FakeEtherbone::FakeEtherbone(Responder r) : respond_(std::move(r)) {
  fd_ = udp_socket_on_loopback(&port_);
  thread_ = std::thread([this] {
    std::vector<uint8_t> buf(65536);
    while (!stop_) {
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 5) <= 0) continue;
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) continue;
      ++requests_;
      const auto reply = respond_(std::vector<uint8_t>(buf.begin(), buf.begin() + n));
      if (reply) {
        ::sendto(fd_, reply->data(), reply->size(), 0, reinterpret_cast<sockaddr*>(&from), len);
      }
    }
  });
}

FakeEtherbone::~FakeEtherbone() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

std::string FakeEtherbone::uri(const std::string& query) const {
  return "udp://127.0.0.1:" + std::to_string(port_) + (query.empty() ? "" : "?" + query);
}

FakeEtherbone::Responder FakeEtherbone::registers(std::map<uint32_t, uint32_t> regs) {
  return [regs](const std::vector<uint8_t>& req) -> std::optional<std::vector<uint8_t>> {
    etherbone::Packet p, reply;
    std::string why;
    if (!etherbone::decode(req, &p, &why)) return std::nullopt;
    reply.tag = p.tag;
    if (p.probe) {
      reply.probe_reply = true;
      return etherbone::encode(reply);
    }
    for (const etherbone::Record& r : p.records) {
      if (r.reads.empty()) continue;
      etherbone::Record out;
      out.base_write_addr = r.base_ret_addr;
      for (uint32_t a : r.reads) {
        const auto it = regs.find(a);
        out.writes.push_back(it == regs.end() ? 0 : it->second);
      }
      reply.records.push_back(out);
    }
    if (reply.records.empty()) return std::nullopt;
    return etherbone::encode(reply);
  };
}

std::string tap_unavailable(bool needs_ip) {
  const int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) return std::string("/dev/net/tun: ") + std::strerror(errno);
  ::close(fd);
  // A network namespace of our own (CAP_SYS_ADMIN) keeps the test's interfaces off the
  // machine's; the TAP itself needs CAP_NET_ADMIN there.
  const pid_t pid = ::fork();
  if (pid == 0) _exit(::unshare(CLONE_NEWNET) == 0 ? 0 : 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "cannot create a network namespace (unshare(CLONE_NEWNET) needs CAP_SYS_ADMIN)";
  }
  if (needs_ip && ::access("/usr/sbin/ip", X_OK) != 0 && ::access("/sbin/ip", X_OK) != 0) {
    return "ip(8) not found";
  }
  return {};
}

bool interface_up(int sock, const std::string& name) {
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (::ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) return false;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  return ::ioctl(sock, SIOCSIFFLAGS, &ifr) == 0;
}

}  // namespace ebpf::test
