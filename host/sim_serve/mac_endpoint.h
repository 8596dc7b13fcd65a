// ebpf-fpga-sim serve --mac: the simulated board through our own network RTL.
//
// MacEndpoint is the second DatagramHandler (etherbone_endpoint.h): instead of parsing
// Etherbone in C++, it wraps each UDP payload from the host in Ethernet/IPv4/UDP (to the
// board's MAC, IP and control port, from a fixed host MAC/IP/port; preamble, SFD, FCS), puts
// the frame on the GMII RX pins of boards/sim/sim_board_top.sv (ebpf_fpga_core: GMII MAC,
// ARP, IPv4/UDP, Etherbone endpoint, ebpf_xdp_top) one byte per clock, ticks the model, and
// returns the UDP payload of the frame that comes out of GMII TX after checking that frame
// (preamble, FCS, IPv4 header checksum, UDP length and checksum, addresses and ports). The
// board's MAC is learnt by ARP when the endpoint starts.
//
// Whether a reply is due is known before the frame goes in: the C++ Etherbone endpoint runs
// the same request against a bus that does nothing (the RTL must agree: a reply of the same
// size, or none). The clock runs while the soft-CPU is busy, between datagrams too, on a
// thread of its own, as a board's clock never stops.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "etherbone_endpoint.h"

namespace ebpf::sim::board {
class BoardModel;
}

namespace ebpf::simserve {

struct MacEndpointOptions {
  std::string trace_path;                       // FST waveform of every cycle
  uint64_t host_mac = 0x02'68'6f'73'74'01ull;   // locally administered, "host"
  uint32_t host_ip = 0xc0a8'0164;               // 192.168.1.100
  uint16_t host_port = 50'000;                  // the UDP source port of every request
  bool udp_checksum = true;                     // compute the requests' UDP checksum
  size_t mtu = 1500;                            // larger datagrams go as IP fragments
  uint64_t clock_chunk = 2'000;                 // cycles per turn of the clock thread
};

struct MacStats {
  uint64_t datagrams = 0;          // payloads from the host
  uint64_t frames_in = 0;          // frames put on GMII RX (fragments count one each)
  uint64_t frames_out = 0;         // frames seen on GMII TX
  uint64_t replies = 0;            // reply payloads handed back to the host
  uint64_t no_reply = 0;           // requests that get no reply (writes only, malformed)
  uint64_t lost_replies = 0;       // a reply was due and none came in time
  uint64_t unexpected = 0;         // a reply to us that was not due
  uint64_t reply_mismatch = 0;     // the RTL's reply differs in size/header from the C++ one
  uint64_t bad_frames_out = 0;     // TX frames with a bad preamble, FCS, TX_ER, IPv4 or UDP
  uint64_t other_frames_out = 0;   // good TX frames not for the host's port (XDP_TX, ARP)
  uint64_t arp_replies = 0;
  uint64_t cycles = 0;             // model cycles in total
  uint64_t datagram_cycles = 0;    // of which spent handling datagrams
  uint64_t max_datagram_cycles = 0;
};

class MacEndpoint final : public DatagramHandler {
 public:
  // Builds and resets the model and resolves the board's MAC by ARP; throws ebpf::Error when
  // the board does not answer.
  explicit MacEndpoint(const MacEndpointOptions& opts = {});
  ~MacEndpoint() override;
  MacEndpoint(const MacEndpoint&) = delete;
  MacEndpoint& operator=(const MacEndpoint&) = delete;

  std::optional<std::vector<uint8_t>> on_datagram(std::span<const uint8_t> payload) override;

  MacStats stats() const;
  std::string last_problem() const;   // the last lost, unexpected or bad frame, explained
  uint64_t board_mac() const { return board_mac_; }

  // Reads CSR words through the RTL (one Etherbone request per up to 255 words), e.g. the
  // NET counters; throws ebpf::Error if the board does not answer.
  std::vector<uint32_t> read_csr(std::span<const uint32_t> addrs);

  // "key=value ..." of stats() and of the board's NET counters (read through the RTL), for
  // the statistics line serve prints at exit; the NET part says why when it cannot be read.
  std::string stats_text();

 private:
  // Sends the frames, ticks until the reply (if one is due) or the budget ends. mu_ held.
  std::optional<std::vector<uint8_t>> exchange(std::span<const uint8_t> payload);
  // Looks at the frames GMII TX completed; returns the first reply to the host. mu_ held.
  std::optional<std::vector<uint8_t>> take_tx(bool want_reply);
  void clock_loop();
  void note(std::string what);

  MacEndpointOptions opts_;
  std::unique_ptr<sim::board::BoardModel> model_;
  uint64_t board_mac_ = 0;
  uint16_t ip_id_ = 0;
  MacStats stats_;
  std::string last_problem_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<int> want_{0};   // datagrams waiting for the model: the clock thread yields
  std::thread clock_;
};

}  // namespace ebpf::simserve
