// The simulated board's UDP side.
//
// DatagramHandler is the seam between the server's sockets and the board: one UDP payload
// in, at most one out. Today's implementation, EtherboneEndpoint, parses Etherbone in C++ and
// performs the records on the board's CSR bus. The MAC-level mode (`serve --mac`,
// mac_endpoint.h) is the second implementation: it wraps the payload in Ethernet/IPv4/UDP,
// drives the frame into the GMII pins of the Verilated board top, ticks the model and returns
// the payload of the frame that comes out, so the same sockets and tests exercise the RTL
// MAC, IPv4/UDP and Etherbone endpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "csr_target.h"

namespace ebpf::simserve {

class DatagramHandler {
 public:
  virtual ~DatagramHandler() = default;
  // The reply to send back, if any. A malformed request is ignored (and counted).
  virtual std::optional<std::vector<uint8_t>> on_datagram(std::span<const uint8_t> payload) = 0;
};

struct EtherboneStats {
  uint64_t datagrams = 0;
  uint64_t malformed = 0;           // dropped whole, by their first fault
  uint64_t bad_address = 0;         //   of which: an address outside the CSR map
  uint64_t ignored = 0;             // replies (PR set) sent to the board
  uint64_t probes = 0;
  uint64_t replies = 0;
  uint64_t writes = 0;
  uint64_t reads = 0;
};

// Etherbone exactly as docs/etherbone.md specifies the board's RTL endpoint: the same checks
// (bad magic, version, sizes, byte enables, lengths, addresses outside the CSR map: the whole
// request is dropped, no reply), the same execution (records in order, writes before reads)
// and the same replies (header echoed with its tag, one record per record with reads).
class EtherboneEndpoint final : public DatagramHandler {
 public:
  // The endpoint's request buffer (4 * EbBufWords bytes in the RTL).
  static constexpr size_t kBufferBytes = 2048;

  explicit EtherboneEndpoint(CsrTarget& bus) : bus_(bus) {}

  // Validates the whole packet before touching the bus, so a malformed datagram has no
  // effect at all; then performs each record's writes, then its reads, in order.
  std::optional<std::vector<uint8_t>> on_datagram(std::span<const uint8_t> payload) override;

  const EtherboneStats& stats() const { return stats_; }
  const std::string& last_reject() const { return last_reject_; }

 private:
  CsrTarget& bus_;
  EtherboneStats stats_;
  std::string last_reject_;
};

}  // namespace ebpf::simserve
