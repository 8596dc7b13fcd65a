// pcie-socket://PATH: BAR0 MMIO transactions over a Unix socket to the simulated board
// (protocol in pcie_socket_proto.h). It exists so that the PCIe transport's way of working,
// posted writes and non-posted reads on a flat BAR, runs in CI without a PCIe board.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pcie_socket_proto.h"
#include "transports.h"

namespace ebpf::transport {
namespace {

using Clock = std::chrono::steady_clock;
namespace ps = pcie_socket;

// Reads in flight before the client collects their completions (bounds socket buffering).
constexpr size_t kMaxReadsInFlight = 512;
constexpr size_t kMaxFramesPerChunk = 4096;

class PcieSocketBus final : public Bus {
 public:
  PcieSocketBus(const Uri& uri, const BusOpts& opts) : Bus(uri.text), opts_(opts), path_(uri.rest) {
    if (path_.empty()) {
      throw BusError(-EINVAL, uri.text + ": missing socket path (pcie-socket:///tmp/board.sock)");
    }
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path_.size() >= sizeof sa.sun_path) {
      throw BusError(-EINVAL, uri.text + ": socket path is longer than " +
                                  std::to_string(sizeof sa.sun_path - 1) + " bytes");
    }
    std::memcpy(sa.sun_path, path_.c_str(), path_.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw BusError(-errno, uri.text + ": socket: " + std::strerror(errno));
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
      const int e = errno;
      ::close(fd_);
      fd_ = -1;
      if (e == ENOENT) {
        throw BusError(-ENODEV, uri.text + ": no socket at " + path_ +
                                    " (is `ebpf-fpga-sim serve --pcie-socket " + path_ +
                                    "` running?)");
      }
      if (e == ECONNREFUSED) {
        throw BusError(-ECONNREFUSED, uri.text + ": nothing listens on " + path_ +
                                          " (a stale socket file of a server that exited?)");
      }
      throw BusError(-e, uri.text + ": connect " + path_ + ": " + std::strerror(e));
    }
    const ps::Frame hello = recv_frame("waiting for the server's hello");
    if (hello.type != ps::Type::kHello || hello.addr != ps::kHelloMagic) {
      throw BusError(-EPROTO, uri.text + ": the server at " + path_ +
                                  " does not speak the pcie-socket protocol");
    }
    bar_size_ = hello.data;
  }

  ~PcieSocketBus() override {
    if (fd_ >= 0) ::close(fd_);
  }

  std::string describe() const override {
    return "PCIe BAR0 MMIO over the Unix socket " + path_ + " (BAR0 " +
           std::to_string(bar_size_ >> 10) + " KiB)";
  }

 protected:
  void do_execute(std::span<BusOp> ops, const FlushOpts&) override {
    for (const BusOp& op : ops) {
      if (static_cast<uint64_t>(op.addr) + 4 > bar_size_) {
        throw BusError(-EFAULT, uri() + ": " + describe_ops({&op, 1}) + ": beyond BAR0 (" +
                                    std::to_string(bar_size_) + " bytes)");
      }
    }
    size_t begin = 0;
    while (begin < ops.size()) {
      // A chunk: frames up to kMaxReadsInFlight reads; the last one ends with a read so that
      // the flush returns only when every write has landed.
      std::vector<uint8_t> out;
      std::vector<size_t> reads;  // op indices
      size_t end = begin;
      for (; end < ops.size() && reads.size() < kMaxReadsInFlight &&
             end - begin < kMaxFramesPerChunk;
           ++end) {
        const BusOp& op = ops[end];
        ps::Frame f;
        f.addr = op.addr;
        if (op.kind == BusOp::Kind::kWrite) {
          f.type = ps::Type::kWrite;
          f.data = op.value;
        } else {
          f.type = ps::Type::kRead;
          f.tag = tag_++;
          reads.push_back(end);
        }
        append(out, f);
      }
      const bool fence = end == ops.size() && reads.empty();
      uint16_t fence_tag = 0;
      if (fence) {
        fence_tag = tag_++;
        append(out, ps::Frame{ps::Type::kRead, 0, fence_tag, opts_.fence_addr, 0});
      }
      const std::span<BusOp> chunk = ops.subspan(begin, end - begin);
      send_all(out, chunk);
      for (size_t i : reads) ops[i].value = complete(chunk, ops[i]);
      if (fence) {
        BusOp f{BusOp::Kind::kRead, opts_.fence_addr, 0};
        (void)complete(chunk, f);
      }
      begin = end;
    }
  }

 private:
  static void append(std::vector<uint8_t>& out, const ps::Frame& f) {
    const size_t at = out.size();
    out.resize(at + ps::kFrameBytes);
    ps::encode(f, out.data() + at);
  }

  uint32_t complete(std::span<const BusOp> chunk, const BusOp& op) {
    const uint16_t want = expect_tag_++;
    const ps::Frame f = recv_frame(describe_ops(chunk));
    if (f.tag != want || (f.type != ps::Type::kCompletion && f.type != ps::Type::kUnsupported)) {
      throw BusError(-EPROTO, uri() + ": " + describe_ops(chunk) + ": unexpected frame type " +
                                  std::to_string(static_cast<int>(f.type)) + " tag " +
                                  std::to_string(f.tag) + " (expected a completion, tag " +
                                  std::to_string(want) + ")");
    }
    if (f.type == ps::Type::kUnsupported) {
      throw BusError(-EFAULT, uri() + ": " + describe_ops({&op, 1}) +
                                  ": the device answered Unsupported Request");
    }
    return f.data;
  }

  void send_all(const std::vector<uint8_t>& bytes, std::span<const BusOp> chunk) {
    size_t off = 0;
    while (off < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int e = errno;
        throw BusError(e == EPIPE || e == ECONNRESET ? -ECONNRESET : -e,
                       uri() + ": " + describe_ops(chunk) + ": " +
                           (e == EPIPE || e == ECONNRESET
                                ? std::string("the simulated board closed the connection")
                                : std::string(std::strerror(e))));
      }
      off += static_cast<size_t>(n);
    }
  }

  // Frames come out of a buffer filled by as large reads as the socket offers.
  ps::Frame recv_frame(const std::string& what) {
    const Clock::time_point deadline = Clock::now() + opts_.io_timeout;
    while (rx_.size() - rx_off_ < ps::kFrameBytes) {
      if (rx_off_ > 0) {
        rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(rx_off_));
        rx_off_ = 0;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        throw BusError(-ETIMEDOUT, uri() + ": " + what + ": no completion within " +
                                       std::to_string(opts_.io_timeout.count()) + " ms");
      }
      pollfd pfd{fd_, POLLIN, 0};
      const int pn = ::poll(&pfd, 1, static_cast<int>(left.count()));
      if (pn < 0 && errno != EINTR) {
        throw BusError(-errno, uri() + ": poll: " + std::strerror(errno));
      }
      if (pn <= 0) continue;
      uint8_t buf[16384];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        throw BusError(-ECONNRESET, uri() + ": " + what +
                                        ": the simulated board closed the connection");
      }
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        throw BusError(-errno, uri() + ": " + what + ": recv: " + std::strerror(errno));
      }
      rx_.insert(rx_.end(), buf, buf + n);
    }
    const ps::Frame f = ps::decode(rx_.data() + rx_off_);
    rx_off_ += ps::kFrameBytes;
    return f;
  }

  BusOpts opts_;
  std::string path_;
  int fd_ = -1;
  uint32_t bar_size_ = 0;
  uint16_t tag_ = 0, expect_tag_ = 0;
  std::vector<uint8_t> rx_;
  size_t rx_off_ = 0;
};

}  // namespace

std::unique_ptr<Bus> open_pcie_socket(const Uri& uri, const BusOpts& opts) {
  BusOpts o = opts;
  apply_query(uri, {"io_timeout_ms", "fence"}, o);
  return std::make_unique<PcieSocketBus>(uri, o);
}

}  // namespace ebpf::transport
