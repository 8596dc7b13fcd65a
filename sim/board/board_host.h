// A host on the simulated board's Ethernet port, in process (no sockets): it puts frames on
// the board model's GMII RX pins, ticks the model, checks every frame GMII TX sends and sorts
// it into Etherbone replies to this host, ARP replies and the rest (data-plane frames), and
// reads and writes CSRs with Etherbone requests through the board's own MAC, IPv4/UDP and
// Etherbone RTL. BoardHostIo lets the host library's loader (device::load_program_set) use
// it, so that programs load onto the model as they load onto a board.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "board_model.h"
#include "csr_protocol.h"
#include "eth_frames.h"

namespace ebpf::sim::board {

class BoardHost {
 public:
  using Bytes = std::vector<uint8_t>;

  BoardHost(BoardModel& model, const eth::Endpoint& self);

  void send(const Bytes& frame_no_fcs);        // the FCS is added
  void send_raw(const Bytes& frame_with_fcs);

  // Ticks `cycles` GMII cycles, sorting what leaves.
  void run(uint64_t cycles);

  // Sends an Etherbone request (from `from`, default this host) and waits up to `max_cycles`
  // for the reply to this host's port; nothing when none came.
  std::optional<Bytes> request(const Bytes& eb, const std::optional<eth::Endpoint>& from = {},
                               uint64_t max_cycles = 20'000);

  // CSR words through Etherbone; throw ebpf::Error when the board does not answer. A write
  // carries a read of ID behind it, so that the board confirms it.
  std::vector<uint32_t> read(std::vector<uint32_t> addrs);
  uint32_t read(uint32_t addr);
  void write(uint32_t addr, uint32_t value);

  uint16_t next_ip_id() { return ip_id_++; }
  const eth::Endpoint& self() const { return self_; }

  std::vector<Bytes> others;        // good frames that are neither replies to us nor ARP
  std::vector<eth::Arp> arps;
  std::vector<std::string> bad;     // frames that failed a check, explained

 private:
  void collect();

  BoardModel& m_;
  eth::Endpoint self_;
  std::vector<Bytes> replies_;
  uint16_t ip_id_ = 1;
};

class BoardHostIo final : public device::CsrIo {
 public:
  explicit BoardHostIo(BoardHost& h) : h_(h) {}
  void write(uint32_t addr, uint32_t value) override { h_.write(addr, value); }
  uint32_t read(uint32_t addr) override { return h_.read(addr); }

 private:
  BoardHost& h_;
};

}  // namespace ebpf::sim::board
