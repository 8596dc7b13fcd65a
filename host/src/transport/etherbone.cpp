// Etherbone packet encoding and decoding (format in etherbone.h).
#include "etherbone.h"

#include <cstdio>

namespace ebpf::etherbone {
namespace {

void put32(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

uint32_t get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}

std::string hex(uint32_t v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, v);
  return buf;
}

}  // namespace

std::vector<uint8_t> encode(const Packet& p) {
  std::vector<uint8_t> out;
  size_t size = kPacketHeaderBytes;
  for (const Record& r : p.records) size += record_bytes(r.writes.size(), r.reads.size());
  out.reserve(size);
  out.push_back(static_cast<uint8_t>(kMagic >> 8));
  out.push_back(static_cast<uint8_t>(kMagic & 0xff));
  out.push_back(static_cast<uint8_t>(kVersion << 4 | (p.no_reads ? kNoReads : 0) |
                                     (p.probe_reply ? kProbeReply : 0) |
                                     (p.probe ? kProbe : 0)));
  out.push_back(static_cast<uint8_t>(kSize32 << 4 | kSize32));
  put32(out, p.tag);
  for (const Record& r : p.records) {
    out.push_back(r.flags);
    out.push_back(r.byte_enable);
    out.push_back(static_cast<uint8_t>(r.writes.size()));
    out.push_back(static_cast<uint8_t>(r.reads.size()));
    if (!r.writes.empty()) {
      put32(out, r.base_write_addr);
      for (uint32_t w : r.writes) put32(out, w);
    }
    if (!r.reads.empty()) {
      put32(out, r.base_ret_addr);
      for (uint32_t a : r.reads) put32(out, a);
    }
  }
  return out;
}

bool decode(std::span<const uint8_t> bytes, Packet* out, std::string* why) {
  *out = Packet{};
  if (bytes.size() < kPacketHeaderBytes) {
    *why = "truncated: " + std::to_string(bytes.size()) +
           " bytes, shorter than the 8-byte Etherbone header";
    return false;
  }
  const uint16_t magic = static_cast<uint16_t>(bytes[0] << 8 | bytes[1]);
  if (magic != kMagic) {
    *why = "wrong magic " + hex(magic, 4) + " (expected " + hex(kMagic, 4) + ")";
    return false;
  }
  const unsigned version = bytes[2] >> 4;
  if (version != kVersion) {
    *why = "Etherbone version " + std::to_string(version) + " (expected 1)";
    return false;
  }
  if (bytes[3] != (kSize32 << 4 | kSize32)) {
    *why = "address/port size " + hex(bytes[3], 2) + " (only 32-bit, 0x44, is supported)";
    return false;
  }
  out->no_reads = bytes[2] & kNoReads;
  out->probe_reply = bytes[2] & kProbeReply;
  out->probe = bytes[2] & kProbe;
  out->tag = get32(bytes.data() + 4);

  size_t off = kPacketHeaderBytes;
  while (off < bytes.size()) {
    const size_t index = out->records.size();
    const size_t left = bytes.size() - off;
    if (left < kRecordHeaderBytes) {
      *why = "truncated: record " + std::to_string(index) + " header needs 4 bytes, " +
             std::to_string(left) + " left";
      return false;
    }
    Record r;
    r.flags = bytes[off];
    r.byte_enable = bytes[off + 1];
    const size_t wcount = bytes[off + 2];
    const size_t rcount = bytes[off + 3];
    const size_t need = record_bytes(wcount, rcount);
    if (left < need) {
      *why = "truncated: record " + std::to_string(index) + " announces " +
             std::to_string(wcount) + " writes and " + std::to_string(rcount) + " reads (" +
             std::to_string(need) + " bytes), " + std::to_string(left) + " bytes left";
      return false;
    }
    const uint8_t* p = bytes.data() + off + kRecordHeaderBytes;
    if (wcount) {
      r.base_write_addr = get32(p);
      p += 4;
      r.writes.resize(wcount);
      for (size_t i = 0; i < wcount; ++i, p += 4) r.writes[i] = get32(p);
    }
    if (rcount) {
      r.base_ret_addr = get32(p);
      p += 4;
      r.reads.resize(rcount);
      for (size_t i = 0; i < rcount; ++i, p += 4) r.reads[i] = get32(p);
    }
    out->records.push_back(std::move(r));
    off += need;
  }
  return true;
}

}  // namespace ebpf::etherbone
