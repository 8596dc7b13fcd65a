#include "etherbone_endpoint.h"

#include <cstdio>

#include "etherbone.h"

namespace ebpf::simserve {
namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Why a decoded request cannot be served, or empty; *bad_address tells which kind.
std::string check(const etherbone::Packet& p, const CsrTarget& bus, bool* bad_address) {
  *bad_address = false;
  for (size_t k = 0; k < p.records.size(); ++k) {
    const etherbone::Record& r = p.records[k];
    const std::string rec = "record " + std::to_string(k) + ": ";
    if (!r.writes.empty() && r.byte_enable != etherbone::kByteEnable32) {
      return rec + "byte enable " + hex(r.byte_enable) + " on writes (the bus takes 0x0f only)";
    }
    const bool fifo = r.flags & etherbone::kWff;
    for (size_t i = 0; i < r.writes.size(); ++i) {
      const uint64_t a = r.base_write_addr + (fifo ? 0 : 4 * static_cast<uint64_t>(i));
      if ((a & 3) || a > 0xffff'ffffu || !bus.mapped(static_cast<uint32_t>(a))) {
        *bad_address = true;
        return rec + "write to " + hex(static_cast<uint32_t>(a)) +
               ", not an aligned address of the CSR map";
      }
      if (fifo) break;
    }
    for (uint32_t a : r.reads) {
      if ((a & 3) || !bus.mapped(a)) {
        *bad_address = true;
        return rec + "read of " + hex(a) + ", not an aligned address of the CSR map";
      }
    }
  }
  return {};
}

}  // namespace

std::optional<std::vector<uint8_t>> EtherboneEndpoint::on_datagram(
    std::span<const uint8_t> payload) {
  ++stats_.datagrams;
  etherbone::Packet req;
  std::string why;
  bool bad_address = false;
  if (payload.size() > kBufferBytes) {
    why = std::to_string(payload.size()) + " bytes, more than the endpoint's " +
          std::to_string(kBufferBytes) + "-byte buffer";
  } else if (etherbone::decode(payload, &req, &why)) {
    if (req.probe_reply) {
      ++stats_.ignored;  // a reply sent to us
      return std::nullopt;
    }
    why = req.probe ? std::string() : check(req, bus_, &bad_address);
  }
  if (!why.empty()) {
    ++stats_.malformed;
    stats_.bad_address += bad_address;
    last_reject_ = why;
    return std::nullopt;
  }
  etherbone::Packet reply;
  reply.tag = req.tag;
  if (req.probe) {
    ++stats_.probes;
    reply.probe_reply = true;
    ++stats_.replies;
    return etherbone::encode(reply);
  }
  for (const etherbone::Record& r : req.records) {
    const bool fifo = r.flags & etherbone::kWff;
    for (size_t i = 0; i < r.writes.size(); ++i) {
      bus_.write(r.base_write_addr + (fifo ? 0 : static_cast<uint32_t>(4 * i)), r.writes[i]);
    }
    stats_.writes += r.writes.size();
    if (r.reads.empty()) continue;
    etherbone::Record out;
    out.byte_enable = r.byte_enable;
    out.base_write_addr = r.base_ret_addr;
    out.writes.reserve(r.reads.size());
    for (uint32_t a : r.reads) out.writes.push_back(bus_.read(a));
    stats_.reads += r.reads.size();
    reply.records.push_back(std::move(out));
  }
  if (reply.records.empty()) return std::nullopt;  // writes only: Etherbone does not answer
  ++stats_.replies;
  return etherbone::encode(reply);
}

}  // namespace ebpf::simserve
