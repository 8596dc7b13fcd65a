// The host's view of a device: its 32-bit CSR bus (docs/register-map.md), whatever carries it.
//
// One interface, several transports, chosen by URI (docs/host.md):
//   sim:                  the Verilator model of ebpf_top in this process
//   udp://HOST:PORT       Etherbone (Wishbone over UDP) to a board or to `ebpf-fpga-sim serve`
//   pcie://BDF            MMIO on BAR0 through /sys/bus/pci/devices/BDF/resource0
//   pcie-socket://PATH    the same MMIO transactions over a Unix socket to the simulated board
//
// Every access is one aligned 32-bit word. Operations happen in the order they are issued;
// a batch queues many and performs them with as few round trips as the transport allows
// (Etherbone: many records per datagram). Failures throw BusError, whose message names the
// URI, the operation and the address, and whose code() is a negative errno.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ebpf_fpga/error.h"

namespace ebpf {

// A failed bus operation. code() is a negative errno: -EINVAL (bad URI, unaligned address),
// -ENODEV (no such device), -EACCES (not permitted), -ECONNREFUSED (nothing listens),
// -ETIMEDOUT (no reply after every retry), -EPROTO (only malformed replies), -EMSGSIZE (an
// atomic batch does not fit one datagram), -EFAULT (address outside the device), -EIO.
class BusError : public Error {
 public:
  BusError(int code, const std::string& what) : Error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Transport options. Options can also be given in the URI's query string
// ("udp://10.0.0.2:1234?timeout_ms=5&retries=10"); the URI wins.
struct BusOpts {
  // udp://: time to wait for the reply to a datagram; every retry waits `backoff` times
  // longer than the one before, up to max_timeout.
  std::chrono::microseconds timeout{20'000};
  std::chrono::microseconds max_timeout{500'000};
  double backoff = 2.0;
  unsigned retries = 6;          // re-sends of one datagram before giving up
  unsigned mtu = 1500;           // link MTU: datagrams carry at most mtu - 28 bytes (IPv4+UDP)
  unsigned max_records = 0;      // Etherbone records per datagram; 0 = as many as fit
  uint32_t fence_addr = 0x0;     // read to acknowledge a batch that has no reads (ID register)
  bool probe = true;             // udp://: Etherbone probe when opening (fails early and clearly)
  // pcie://: the folder listing PCI devices (tests point it at a fake tree).
  std::string sysfs_pci_root = "/sys/bus/pci/devices";
  // pcie-socket://: how long to wait for a completion.
  std::chrono::milliseconds io_timeout{5'000};
  std::string trace_path = {};   // sim:: write an FST waveform of every cycle to this file
};

// Counters of one bus since it was opened. For udp://, every datagram is a request: a first
// attempt or a retry; exact, so tests can check them against what the network did.
struct BusStats {
  uint64_t reads = 0;              // 32-bit reads performed (fence reads not included)
  uint64_t writes = 0;             // 32-bit writes performed
  uint64_t flushes = 0;            // calls that reached the transport
  uint64_t requests = 0;           // udp: distinct datagrams (first attempts), incl. probes
  uint64_t retries = 0;            // udp: re-sent datagrams (timeouts and refusals)
  uint64_t datagrams_sent = 0;     // udp: requests + retries
  uint64_t replies = 0;            // udp: datagrams received (accepted, stale and malformed)
  uint64_t accepted = 0;           // udp: replies that completed a request
  uint64_t stale_replies = 0;      // udp: well-formed replies to an earlier request or attempt
  uint64_t malformed_replies = 0;  // udp: rejected (truncated, wrong magic, wrong address...)
  uint64_t refused = 0;            // udp: sends answered by ICMP port unreachable
};

struct BusOp {
  enum class Kind : uint8_t { kRead, kWrite };
  Kind kind = Kind::kRead;
  uint32_t addr = 0;
  uint32_t value = 0;  // the value to write, or the value read
};

struct FlushOpts {
  // udp://: carry the whole batch in one datagram, retried as a unit; a batch that does not
  // fit throws BusError(-EMSGSIZE) before anything is sent. Other transports ignore it.
  bool atomic = false;
};

class Bus {
 public:
  // Opens a transport by URI (see the top of this file). Throws BusError naming the URI and
  // what is wrong (unknown scheme, bad address, nothing answering...).
  static std::unique_ptr<Bus> open(std::string_view uri, const BusOpts& opts = {});

  virtual ~Bus();
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  // The URI the bus was opened with, and a one-line description of the transport.
  const std::string& uri() const { return uri_; }
  virtual std::string describe() const = 0;

  uint32_t read(uint32_t addr);
  void write(uint32_t addr, uint32_t value);
  // 64-bit registers are _LO/_HI pairs: low word at addr_lo (written first), high at + 4.
  uint64_t read64(uint32_t addr_lo);
  void write64(uint32_t addr_lo, uint64_t value);
  // Bursts: any addresses, one round trip where the transport allows.
  std::vector<uint32_t> read_burst(std::span<const uint32_t> addrs);
  void write_burst(std::span<const uint32_t> addrs, std::span<const uint32_t> values);
  // Consecutive words from `base` (base, base + 4, ...).
  std::vector<uint32_t> read_block(uint32_t base, size_t count);
  void write_block(uint32_t base, std::span<const uint32_t> values);

  // Performs `ops` in order (reads fill in .value). Everything above comes down to this.
  void execute(std::span<BusOp> ops, const FlushOpts& opts = {});

  // Lets the device run for about `d` without bus traffic: real time for a board; clock
  // cycles (100 MHz) for the in-process model, whose clock only moves when driven.
  virtual void wait(std::chrono::nanoseconds d);

  const BusStats& stats() const { return stats_; }

 protected:
  explicit Bus(std::string uri) : uri_(std::move(uri)) {}
  // Transports implement this: perform `ops` (validated: aligned, non-empty) in order.
  virtual void do_execute(std::span<BusOp> ops, const FlushOpts& opts) = 0;

  BusStats stats_;

 private:
  std::string uri_;
};

// Queues reads and writes and performs them in one go (bus.execute), in the order queued.
//
//   uint32_t status; uint64_t r0;
//   BusBatch b(bus);
//   b.write(kCtrl, 1).read(kStatus, &status).read64(kR0Lo, &r0);
//   b.flush();
class BusBatch {
 public:
  explicit BusBatch(Bus& bus) : bus_(bus) {}

  BusBatch& write(uint32_t addr, uint32_t value);
  BusBatch& write64(uint32_t addr_lo, uint64_t value);
  BusBatch& write_block(uint32_t base, std::span<const uint32_t> values);
  // The value lands in *out (when given) at flush; `out` must stay valid until then.
  BusBatch& read(uint32_t addr, uint32_t* out = nullptr);
  BusBatch& read64(uint32_t addr_lo, uint64_t* out);
  BusBatch& read_block(uint32_t base, size_t count, uint32_t* out);

  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  // Performs the queued operations and empties the batch. Returns the values read, in the
  // order the reads were queued. On error the batch is emptied too; which operations took
  // effect is unknown (the BusError says which request failed).
  std::vector<uint32_t> flush(const FlushOpts& opts = {});
  void clear();

 private:
  struct Wide {
    uint64_t* out;
    size_t lo;  // op index of the low word (the high word follows)
  };
  Bus& bus_;
  std::vector<BusOp> ops_;
  std::vector<std::pair<size_t, uint32_t*>> outs_;
  std::vector<Wide> wides_;
};

// "read 0x0000000c", "write 0x00000008 = 0x00000001", or for several operations
// "12 operations (write 0x00000030 ... read 0x0000000c)": what error messages say.
std::string describe_ops(std::span<const BusOp> ops);

}  // namespace ebpf
