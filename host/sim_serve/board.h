// The simulated board: the Verilator model of ebpf_xdp_top (the soft-CPU behind the packet
// I/O block, sim/xdp_pipeline.h) behind a CSR bus, with a clock that runs while the core is
// busy or frames move (a real board's clock never stops; the model's only moves when
// ticked), and its AXI4-Stream ports for traffic.
#pragma once

#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ebpf_fpga/pcap_io.h"
#include "csr_target.h"
#include "xdp_pipeline.h"

namespace ebpf::simserve {

struct BoardOptions {
  std::string trace_path;  // FST waveform of every cycle
};

class SimBoard final : public CsrTarget {
 public:
  // The CSR bus has 20 address bits: 1 MiB, the size of BAR0 on the PCIe side too.
  static constexpr uint32_t kCsrSpace = 1u << 20;

  explicit SimBoard(const BoardOptions& opts);

  uint32_t read(uint32_t addr) override;
  void write(uint32_t addr, uint32_t value) override;
  // The CSR map as the Etherbone endpoint checks it (docs/etherbone.md): every word of the
  // 20-bit CSR space (as on the boards).
  bool mapped(uint32_t addr) const override;

  // The model's clock has work: the core runs or frames move (XdpPipeline::stream_busy()).
  bool core_busy() const { return pipe_.core_busy() || pipe_.stream_busy(); }
  // Ticks the clock while core_busy(), at most `max_cycles`; returns the cycles ticked.
  uint64_t run_clock(uint64_t max_cycles);
  uint64_t cycles() const { return pipe_.cycles(); }

  // Traffic (docs/host.md "The simulated board"): the model's stream ports.
  sim::XdpPipeline& pipeline() { return pipe_; }
  uint64_t out_of_range() const { return out_of_range_; }

 private:
  sim::XdpPipeline pipe_;
  uint64_t out_of_range_ = 0;
};

// Traffic through the board's stream ports (docs/host.md "The simulated board"): frames from
// a pcap file into one ingress port, paced and repeated; frames from a Linux TAP interface
// into port 0; every frame leaving the board recorded in a pcap file (egress port and
// origin in a side table), and the frames of port 0 and of the host port written to the TAP.
struct TrafficOptions {
  std::string pcap_in;        // frames for ingress port `port_in`
  uint32_t port_in = 0;
  double pps = 0;             // at most this many pcap frames per second; 0: as fast as taken
  uint64_t loop = 1;          // the pcap file's frames this many times
  std::string pcap_out;       // every egress frame; PATH.ports.tsv: port and origin of each
  std::string tap;            // TAP interface: ingress and egress port 0
  size_t tap_queue = 1024;    // TAP frames held while the board does not take them
};

struct TrafficStats {
  uint64_t pcap_fed = 0;          // pcap frames queued on s_axis
  uint64_t tap_in = 0;            // frames read from the TAP
  uint64_t tap_fed = 0;           // TAP frames queued on s_axis
  uint64_t tap_dropped = 0;       // TAP frames dropped: the server's queue was full
  uint64_t tap_out = 0;           // frames written to the TAP
  uint64_t tap_write_errors = 0;
  uint64_t egress = 0;            // frames that left the board
  std::vector<uint64_t> egress_per_port;
};

class Traffic {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads the pcap file, creates the output files and opens the TAP. Throws ebpf::Error
  // naming the file or interface and the reason (a TAP that cannot be had says why: no
  // /dev/net/tun, or no CAP_NET_ADMIN).
  Traffic(SimBoard& board, const TrafficOptions& opts);
  ~Traffic();
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  // The TAP's file descriptor (poll it for input), or -1.
  int tap_fd() const { return tap_fd_; }
  // Reads every frame waiting on the TAP into the server's queue (or drops and counts it).
  void read_tap();
  // Queues frames that are due on the model's s_axis and records the frames that left the
  // board. Returns when the next paced frame will be due, if one waits only for its time.
  std::optional<Clock::time_point> pump();
  // Every pcap frame has been queued on s_axis.
  bool pcap_fed() const { return pcap_left() == 0; }
  uint64_t pcap_total() const { return frames_.size() * opts_.loop; }
  // Flushes and closes the output files (also done by the destructor, which cannot report).
  void finish();

  const TrafficStats& stats() const { return stats_; }

  // Opens TAP interface `name` (created if it does not exist, down: configure it with
  // ip(8)). Throws ebpf::Error saying why TAP is unavailable.
  static int open_tap(const std::string& name);

 private:
  struct Origin {
    uint64_t tag;
    bool tap;
    uint64_t seq;     // frames of that source before it
    uint64_t record;  // pcap record index
  };
  uint64_t pcap_left() const { return pcap_total() - stats_.pcap_fed; }
  void feed(std::vector<uint8_t> bytes, uint32_t port, Origin o);
  void record_egress();

  SimBoard& board_;
  TrafficOptions opts_;
  std::vector<std::vector<uint8_t>> frames_;
  std::deque<std::vector<uint8_t>> tap_q_;
  std::deque<Origin> origins_;  // of the frames queued lately, for the side table
  uint64_t next_tag_ = 1;
  bool announced_ = false;
  std::optional<Clock::time_point> next_due_;
  std::unique_ptr<PcapWriter> out_;
  std::FILE* side_ = nullptr;
  int tap_fd_ = -1;
  std::vector<uint8_t> rx_ = std::vector<uint8_t>(65536);
  TrafficStats stats_;
};

}  // namespace ebpf::simserve
