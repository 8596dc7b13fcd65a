// udp://HOST:PORT: Etherbone client.
//
// A batch of operations becomes as few datagrams as fit the MTU: consecutive writes to
// consecutive addresses share a record, reads follow the writes of their record, and a new
// record starts whenever the order would otherwise change. One datagram is in flight at a
// time, so operations happen in the order issued.
//
// Etherbone writes are not acknowledged and UDP loses, duplicates and reorders, so
// (docs/etherbone.md, docs/host.md):
//  - every datagram carries at least one read (a "fence" read of BusOpts::fence_addr when the
//    batch has none): its reply acknowledges the writes, which the device performs first;
//  - every datagram carries a request id in the header's bytes 4-7, which the endpoint
//    echoes, and read record k has base return address 4k. A reply is accepted only when it
//    answers the datagram in flight record by record (same id, same return addresses, same
//    value counts); a well-formed reply to an earlier datagram (duplicate, late) is counted
//    as stale and dropped; anything else is counted as malformed and dropped.
// A datagram without an accepted reply before its timeout is sent again, unchanged, with the
// timeout multiplied by `backoff` (up to max_timeout), at most `retries` times. Re-sending is
// safe for reads and plain register writes; commands that must happen once carry sequence
// numbers the device checks (RUN_SEQ, MCMD_STAGE / MCMD_LAST_SEQ: docs/register-map.md).
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "etherbone.h"
#include "transports.h"

namespace ebpf::transport {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kRecentIds = 1u << 16;  // replies to this many earlier ids count as stale
// The endpoint accepts 20-bit CSR addresses only (docs/etherbone.md).
constexpr uint64_t kCsrSpace = 1u << 20;

std::string ms_text(Clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g s",
                std::chrono::duration<double>(d).count());
  return buf;
}

class UdpEtherboneBus final : public Bus {
 public:
  UdpEtherboneBus(const Uri& uri, const BusOpts& opts, const HostPort& hp)
      : Bus(uri.text),
        opts_(opts),
        peer_((hp.host.find(':') != std::string::npos ? "[" + hp.host + "]" : hp.host) + ":" +
              std::to_string(hp.port)) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    const int rc = ::getaddrinfo(hp.host.c_str(), std::to_string(hp.port).c_str(), &hints, &res);
    if (rc != 0) {
      throw BusError(-EINVAL, uri.text + ": cannot resolve host '" + hp.host + "': " +
                                  ::gai_strerror(rc));
    }
    int last_errno = 0;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
      fd_ = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd_ < 0) {
        last_errno = errno;
        continue;
      }
      // Connected: the kernel drops datagrams from any other address and reports ICMP
      // port-unreachable as ECONNREFUSED.
      if (::connect(fd_, ai->ai_addr, ai->ai_addrlen) == 0) {
        ipv6_ = ai->ai_family == AF_INET6;
        break;
      }
      last_errno = errno;
      ::close(fd_);
      fd_ = -1;
    }
    ::freeaddrinfo(res);
    if (fd_ < 0) {
      throw BusError(-last_errno, uri.text + ": cannot open a UDP socket to " + peer_ + ": " +
                                      std::strerror(last_errno));
    }
    const unsigned overhead = ipv6_ ? 48 : 28;
    max_payload_ = opts_.mtu - overhead;
    if (opts_.probe) probe();
  }

  ~UdpEtherboneBus() override {
    if (fd_ >= 0) ::close(fd_);
  }

  std::string describe() const override {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  " (datagrams up to %zu bytes, reply timeout %.3g ms, %u retries)",
                  max_payload_, static_cast<double>(opts_.timeout.count()) / 1000.0,
                  opts_.retries);
    return "Etherbone over UDP to " + peer_ + buf;
  }

 protected:
  void do_execute(std::span<BusOp> ops, const FlushOpts& fo) override {
    for (const BusOp& op : ops) {
      if (op.addr >= kCsrSpace) {
        throw BusError(-EFAULT, uri() + ": " + describe_ops({&op, 1}) +
                                    ": beyond the 20-bit CSR addresses the Etherbone endpoint "
                                    "accepts (it would drop the whole request)");
      }
    }
    size_t begin = 0;
    while (begin < ops.size()) {
      Request req = pack(ops, begin);
      if (fo.atomic && (begin != 0 || req.end != ops.size())) {
        throw BusError(-EMSGSIZE, uri() + ": " + describe_ops(ops) +
                                      ": an atomic batch must fit one datagram (" +
                                      std::to_string(max_payload_) + " bytes; " +
                                      std::to_string(req.end) + " operations fit)");
      }
      transact(req, ops.subspan(begin, req.end - begin));
      begin = req.end;
    }
  }

 private:
  struct Request {
    uint32_t id = 0;
    size_t end = 0;                    // ops [begin, end) ride in this datagram
    bool probe = false;
    std::vector<uint8_t> bytes;
    std::vector<size_t> read_counts;   // values each read record expects, in order
  };

  enum class Verdict { kAccepted, kStale, kMalformed };

  // Packs ops from `begin` into one datagram.
  Request pack(std::span<const BusOp> ops, size_t begin) {
    Request req;
    req.id = next_id_++;
    etherbone::Packet pkt;
    pkt.tag = req.id;
    size_t size = etherbone::kPacketHeaderBytes;
    bool any_read = false;
    const size_t max_records = opts_.max_records ? opts_.max_records : SIZE_MAX;
    size_t j = begin;
    for (; j < ops.size(); ++j) {
      const BusOp& op = ops[j];
      etherbone::Record* cur = pkt.records.empty() ? nullptr : &pkt.records.back();
      size_t cost;
      bool fresh = false;
      if (op.kind == BusOp::Kind::kWrite) {
        if (cur && cur->reads.empty() && !cur->writes.empty() &&
            cur->writes.size() < etherbone::kMaxCount &&
            op.addr == cur->base_write_addr + 4 * cur->writes.size()) {
          cost = 4;
        } else {
          fresh = true;
          cost = etherbone::record_bytes(1, 0);
        }
      } else {
        if (cur && cur->reads.size() < etherbone::kMaxCount) {
          cost = cur->reads.empty() ? 8 : 4;
        } else {
          fresh = true;
          cost = etherbone::record_bytes(0, 1);
        }
      }
      // Room for the fence read (into the last record, which then has no reads) if needed.
      const size_t fence = (any_read || op.kind == BusOp::Kind::kRead) ? 0 : 8;
      if (size + cost + fence > max_payload_ || (fresh && pkt.records.size() >= max_records)) {
        break;
      }
      if (fresh) {
        pkt.records.emplace_back();
        cur = &pkt.records.back();
      }
      if (op.kind == BusOp::Kind::kWrite) {
        if (cur->writes.empty()) cur->base_write_addr = op.addr;
        cur->writes.push_back(op.value);
      } else {
        cur->reads.push_back(op.addr);
        any_read = true;
      }
      size += cost;
    }
    req.end = j;
    if (!any_read) pkt.records.back().reads.push_back(opts_.fence_addr);
    for (etherbone::Record& r : pkt.records) {
      if (r.reads.empty()) continue;
      r.base_ret_addr = static_cast<uint32_t>(4 * req.read_counts.size());
      req.read_counts.push_back(r.reads.size());
    }
    req.bytes = etherbone::encode(pkt);
    return req;
  }

  void probe() {
    Request req;
    req.id = next_id_++;
    req.probe = true;
    etherbone::Packet pkt;
    pkt.probe = true;
    pkt.tag = req.id;
    req.bytes = etherbone::encode(pkt);
    transact(req, {});
  }

  Verdict classify(std::span<const uint8_t> bytes, const Request& req, std::span<BusOp> ops,
                   std::string* why) {
    etherbone::Packet p;
    if (!etherbone::decode(bytes, &p, why)) return Verdict::kMalformed;
    if (p.tag != req.id) {
      const uint32_t age = req.id - p.tag;
      if (age > 0 && age <= kRecentIds) return Verdict::kStale;
      *why = "a reply tagged " + hex32(p.tag) + ", not a request this host sent recently "
             "(the one in flight is " + hex32(req.id) + ")";
      return Verdict::kMalformed;
    }
    if (req.probe != p.probe_reply) {
      *why = req.probe ? "a reply without PR to a probe" : "a probe reply to a read request";
      return Verdict::kMalformed;
    }
    if (req.probe) return Verdict::kAccepted;
    if (p.records.size() != req.read_counts.size()) {
      *why = "a reply with " + std::to_string(p.records.size()) + " records to a request with " +
             std::to_string(req.read_counts.size()) + " read records";
      return Verdict::kMalformed;
    }
    for (size_t k = 0; k < p.records.size(); ++k) {
      const etherbone::Record& r = p.records[k];
      if (r.base_write_addr != 4 * k) {
        *why = "reply record " + std::to_string(k) + " is addressed to " +
               hex32(r.base_write_addr) + ", expected " + hex32(static_cast<uint32_t>(4 * k));
        return Verdict::kMalformed;
      }
      if (r.writes.size() != req.read_counts[k] || !r.reads.empty()) {
        *why = "reply record " + std::to_string(k) + " carries " +
               std::to_string(r.writes.size()) + " values and " + std::to_string(r.reads.size()) +
               " reads, expected " + std::to_string(req.read_counts[k]) + " values";
        return Verdict::kMalformed;
      }
    }
    // Hand the values to the read operations, in order; the fence (if any) comes last.
    size_t k = 0, v = 0;
    for (BusOp& op : ops) {
      if (op.kind != BusOp::Kind::kRead) continue;
      while (v == p.records[k].writes.size()) {
        ++k;
        v = 0;
      }
      op.value = p.records[k].writes[v++];
    }
    return Verdict::kAccepted;
  }

  [[noreturn]] void fail(int code, const Request& req, std::span<const BusOp> ops,
                         const std::string& why) {
    const std::string what = req.probe ? "Etherbone probe" : describe_ops(ops);
    throw BusError(code, uri() + ": " + what + ": " + why);
  }

  void transact(const Request& req, std::span<BusOp> ops) {
    auto timeout = opts_.timeout;
    const Clock::time_point start = Clock::now();
    unsigned refused_in_row = 0;
    std::string last_reject;
    for (unsigned attempt = 0;; ++attempt) {
      if (attempt == 0) ++stats_.requests; else ++stats_.retries;
      bool refused = !send_datagram(req.bytes);
      const Clock::time_point deadline = Clock::now() + timeout;
      while (!refused) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - Clock::now() + std::chrono::microseconds(999));
        if (Clock::now() >= deadline) break;
        pollfd pfd{fd_, POLLIN, 0};
        const int n = ::poll(&pfd, 1, static_cast<int>(left.count()));
        if (n < 0) {
          if (errno == EINTR) continue;
          fail(-errno, req, ops, std::string("poll: ") + std::strerror(errno));
        }
        if (n == 0) continue;
        const ssize_t got = ::recv(fd_, rx_.data(), rx_.size(), 0);
        if (got < 0) {
          if (errno == EINTR || errno == EAGAIN) continue;
          if (errno == ECONNREFUSED) {
            ++stats_.refused;
            refused = true;
            break;
          }
          fail(-errno, req, ops, std::string("recv: ") + std::strerror(errno));
        }
        ++stats_.replies;
        std::string why;
        switch (classify({rx_.data(), static_cast<size_t>(got)}, req, ops, &why)) {
          case Verdict::kAccepted:
            ++stats_.accepted;
            return;
          case Verdict::kStale:
            ++stats_.stale_replies;
            break;
          case Verdict::kMalformed:
            ++stats_.malformed_replies;
            last_reject = why;
            break;
        }
      }
      refused_in_row = refused ? refused_in_row + 1 : 0;
      if (refused_in_row >= 3 || (refused && attempt >= opts_.retries)) {
        fail(-ECONNREFUSED, req, ops,
             "connection refused: nothing listens on " + peer_ +
                 " (is the board up, or `ebpf-fpga-sim serve` running?)");
      }
      if (attempt >= opts_.retries) {
        std::string why = "no valid reply after " + std::to_string(attempt + 1) +
                          " attempts in " + ms_text(Clock::now() - start);
        if (!last_reject.empty()) {
          fail(-EPROTO, req, ops, why + "; the last reply was rejected: " + last_reject);
        }
        fail(-ETIMEDOUT, req, ops,
             why + " (is the board up? the endpoint drops a request that touches an address "
                   "outside its CSR map)");
      }
      // A refusal comes back at once; give a restarting server the timeout to come back.
      if (refused) std::this_thread::sleep_until(deadline);
      timeout = std::min(opts_.max_timeout,
                         std::chrono::microseconds(static_cast<int64_t>(
                             static_cast<double>(timeout.count()) * opts_.backoff)));
    }
  }

  // Sends one datagram; false when the network reports that nothing listens.
  bool send_datagram(const std::vector<uint8_t>& bytes) {
    for (int tries = 0; tries < 2; ++tries) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), 0);
      if (n == static_cast<ssize_t>(bytes.size())) {
        ++stats_.datagrams_sent;
        return true;
      }
      if (n < 0 && errno == EINTR) {
        --tries;
        continue;
      }
      // A pending ICMP error from an earlier datagram surfaces here once; try again.
      if (n < 0 && errno == ECONNREFUSED) {
        ++stats_.refused;
        continue;
      }
      throw BusError(n < 0 ? -errno : -EIO,
                     uri() + ": send: " + (n < 0 ? std::strerror(errno) : "short write"));
    }
    return false;
  }

  BusOpts opts_;
  std::string peer_;
  int fd_ = -1;
  bool ipv6_ = false;
  size_t max_payload_ = 0;
  uint32_t next_id_ = 1;
  std::vector<uint8_t> rx_ = std::vector<uint8_t>(65536);
};

}  // namespace

std::unique_ptr<Bus> open_udp(const Uri& uri, const BusOpts& opts) {
  BusOpts o = opts;
  apply_query(uri, {"timeout_ms", "timeout_us", "max_timeout_ms", "retries", "backoff", "mtu",
                    "max_records", "fence", "probe"},
              o);
  if (o.mtu < 576) throw BusError(-EINVAL, uri.text + ": mtu " + std::to_string(o.mtu) +
                                               " is below the IPv4 minimum of 576");
  return std::make_unique<UdpEtherboneBus>(uri, o, parse_host_port(uri, false));
}

}  // namespace ebpf::transport
