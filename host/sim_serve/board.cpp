#include "board.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "ebpf_fpga/error.h"

namespace ebpf::simserve {

SimBoard::SimBoard(const BoardOptions& opts)
    : pipe_(sim::XdpPipelineOptions{.trace_path = opts.trace_path}) {}

uint32_t SimBoard::read(uint32_t addr) {
  if (addr >= kCsrSpace) {
    ++out_of_range_;
    return 0;  // unmapped, as on the CSR bus itself
  }
  return pipe_.csr_read(addr);
}

void SimBoard::write(uint32_t addr, uint32_t value) {
  if (addr >= kCsrSpace) {
    ++out_of_range_;
    return;
  }
  pipe_.csr_write(addr, value);
}

bool SimBoard::mapped(uint32_t a) const {
  // The whole 20-bit CSR space, as the boards' Etherbone endpoint accepts it (EbWholeMap):
  // register page, program table, map command block, NET page 0x0_e000 (the network stack's;
  // reads 0 here), packet I/O page 0x0_f000 (the model's own), stack, packet, event, map
  // value and instruction windows. Words ebpf_xdp_top leaves unmapped read 0 there too.
  return a < kCsrSpace;
}

uint64_t SimBoard::run_clock(uint64_t max_cycles) {
  uint64_t n = 0;
  while (n < max_cycles && core_busy()) {
    pipe_.tick();
    ++n;
  }
  return n;
}

// Frames queued on s_axis ahead of the block when unpaced: enough that the block never
// waits for the server between two looks at the sockets.
constexpr size_t kQueueAhead = 4;

Traffic::Traffic(SimBoard& board, const TrafficOptions& opts) : board_(board), opts_(opts) {
  sim::XdpPipeline& pipe = board_.pipeline();
  if (!opts_.pcap_in.empty()) {
    if (opts_.port_in >= pipe.num_ports()) {
      throw Error("--port-in " + std::to_string(opts_.port_in) + ": the board has ports 0.." +
                  std::to_string(pipe.num_ports() - 1) + " (port " +
                  std::to_string(pipe.host_port()) + " is the host port)");
    }
    if (opts_.pps < 0) throw Error("--pps must not be negative");
    for (PcapRecord& r : read_pcap_file(opts_.pcap_in)) {
      if (r.bytes.empty()) {
        throw Error(opts_.pcap_in + ": record " + std::to_string(frames_.size()) +
                    " is empty (a zero-byte frame cannot be sent on AXI4-Stream)");
      }
      frames_.push_back(std::move(r.bytes));
    }
  }
  stats_.egress_per_port.assign(pipe.num_ports(), 0);
  // The TAP before the output files, so that a refused TAP leaves no files behind open.
  if (!opts_.tap.empty()) tap_fd_ = open_tap(opts_.tap);
  try {
    if (!opts_.pcap_out.empty()) {
      out_ = std::make_unique<PcapWriter>(opts_.pcap_out);
      const std::string side = opts_.pcap_out + ".ports.tsv";
      side_ = std::fopen(side.c_str(), "w");
      if (!side_) throw Error(side + ": cannot create: " + std::strerror(errno));
      std::fprintf(side_, "# index\tegress_port\tsource\tseq\trecord\n");
    }
  } catch (...) {
    if (tap_fd_ >= 0) ::close(tap_fd_);
    throw;
  }
}

Traffic::~Traffic() {
  try {
    finish();
  } catch (const std::exception&) {
    // finish() reports; a destructor cannot
  }
  if (tap_fd_ >= 0) ::close(tap_fd_);
}

void Traffic::finish() {
  if (side_) {
    const bool bad = std::fclose(side_) != 0;
    side_ = nullptr;
    if (bad) throw Error(opts_.pcap_out + ".ports.tsv: write failed");
  }
  if (out_) {
    auto out = std::move(out_);
    out->close();
  }
}

int Traffic::open_tap(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    throw Error("--tap '" + name + "': an interface name has 1 to " +
                std::to_string(IFNAMSIZ - 1) + " characters");
  }
  const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    std::string why = std::string("/dev/net/tun: ") + std::strerror(e);
    if (e == ENOENT) {
      why += " (no TUN/TAP device node: load the tun module, or give the container "
             "/dev/net/tun)";
    } else if (e == EACCES || e == EPERM) {
      why += " (no permission to open the TUN/TAP device)";
    }
    throw Error("TAP is unavailable: " + why);
  }
  ifreq ifr{};
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::memcpy(ifr.ifr_name, name.c_str(), name.size());
  if (::ioctl(fd, TUNSETIFF, &ifr) != 0) {
    const int e = errno;
    ::close(fd);
    std::string why = "TUNSETIFF " + name + ": " + std::strerror(e);
    if (e == EPERM || e == EACCES) why += " (creating or attaching a TAP needs CAP_NET_ADMIN)";
    if (e == EBUSY) why += " (a TAP of that name exists and is in use)";
    if (e == EINVAL) why += " (an interface of that name exists and is not a TAP)";
    throw Error("TAP is unavailable: " + why);
  }
  return fd;
}

void Traffic::read_tap() {
  if (tap_fd_ < 0) return;
  for (int burst = 0; burst < 256; ++burst) {
    const ssize_t n = ::read(tap_fd_, rx_.data(), rx_.size());
    if (n <= 0) return;  // EAGAIN, or nothing
    ++stats_.tap_in;
    if (tap_q_.size() >= opts_.tap_queue) {
      ++stats_.tap_dropped;
      continue;
    }
    tap_q_.emplace_back(rx_.begin(), rx_.begin() + n);
  }
}

void Traffic::feed(std::vector<uint8_t> bytes, uint32_t port, Origin o) {
  o.tag = next_tag_++;
  board_.pipeline().queue_frame(bytes, port, o.tag);
  origins_.push_back(o);
  // Only the frame in the block and the ones queued behind it can still send a frame.
  while (origins_.size() > 4 * kQueueAhead) origins_.pop_front();
}

std::optional<Traffic::Clock::time_point> Traffic::pump() {
  record_egress();
  sim::XdpPipeline& pipe = board_.pipeline();
  const auto now = Clock::now();
  std::optional<Clock::time_point> due;
  // Frames wait on s_axis (tvalid high) until the block takes them: IO_CTRL.ENABLE set and
  // no frame in flight. Behind those, the rest wait here: the pcap file's in order, the
  // TAP's in a queue of opts_.tap_queue frames (more are dropped and counted).
  for (;;) {
    const size_t waiting = pipe.frames_waiting();
    if (!tap_q_.empty() && waiting < kQueueAhead) {
      feed(std::move(tap_q_.front()), 0, Origin{0, true, stats_.tap_fed++, 0});
      tap_q_.pop_front();
      continue;
    }
    if (pcap_left() == 0) break;
    if (opts_.pps > 0) {
      // Paced: one at a time, offered only when the block takes it at once, so that the
      // gaps are between frames entering (not between frames put in front of a disabled
      // block); while it cannot, the frame waits here.
      if (waiting > 0 || !pipe.ingress_ready()) break;
      if (next_due_ && now < *next_due_) {
        due = next_due_;
        break;
      }
      const auto gap = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(1.0 / opts_.pps));
      // Keep the average rate when a frame went late by less than a gap; start again after
      // a longer pause (the block not taking frames, say).
      next_due_ = next_due_ && now - *next_due_ < gap ? *next_due_ + gap : now + gap;
    } else if (waiting >= kQueueAhead) {
      break;
    }
    const uint64_t seq = stats_.pcap_fed++;
    const uint64_t record = seq % frames_.size();
    feed(frames_[record], opts_.port_in, Origin{0, false, seq, record});
  }
  if (!announced_ && !frames_.empty() && pcap_left() == 0 && pipe.frames_waiting() == 0 &&
      !board_.core_busy()) {
    announced_ = true;
    std::printf("ebpf-fpga-sim: pcap done: %llu frames in, %llu frames out\n",
                static_cast<unsigned long long>(stats_.pcap_fed),
                static_cast<unsigned long long>(stats_.egress));
    std::fflush(stdout);
  }
  return due;
}

void Traffic::record_egress() {
  for (sim::XdpEgressFrame& f : board_.pipeline().take_egress()) {
    const uint64_t index = stats_.egress++;
    if (f.port < stats_.egress_per_port.size()) ++stats_.egress_per_port[f.port];
    const Origin* o = nullptr;
    for (const Origin& c : origins_) {
      if (c.tag == f.tag) o = &c;
    }
    if (out_) {
      timespec ts{};
      ::clock_gettime(CLOCK_REALTIME, &ts);
      out_->write(f.bytes, ts.tv_sec, ts.tv_nsec / 1000);
      std::fprintf(side_, "%llu\t%u\t%s\t%lld\t%lld\n",
                   static_cast<unsigned long long>(index), f.port,
                   o ? (o->tap ? "tap" : "pcap") : "?",
                   o ? static_cast<long long>(o->seq) : -1LL,
                   o && !o->tap ? static_cast<long long>(o->record) : -1LL);
    }
    if (tap_fd_ >= 0 && (f.port == 0 || f.port == board_.pipeline().host_port())) {
      if (::write(tap_fd_, f.bytes.data(), f.bytes.size()) ==
          static_cast<ssize_t>(f.bytes.size())) {
        ++stats_.tap_out;
      } else {
        ++stats_.tap_write_errors;
      }
    }
  }
}

}  // namespace ebpf::simserve
