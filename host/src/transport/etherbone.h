// Etherbone (Wishbone over UDP) packets in the format of docs/etherbone.md (LiteX's dialect,
// as the board's RTL endpoint implements it): 32-bit addresses and data, big-endian on the
// wire. Shared by the udp:// client and the simulated board's server.
//
// Packet:  magic 0x4e6f (16) | version (4) . reserved (1) . NR (1) . PR (1) . PF (1) |
//          addr_size (4) . port_size (4) | tag (32: "padding", echoed in the reply) = 8 bytes
// Record:  flags (8: BCA 0x01 RCA 0x02 RFF 0x04 CYC 0x10 WCA 0x20 WFF 0x40; only WFF acts) |
//          byte_enable (8) | wcount (8) | rcount (8)
//          [base write address, wcount data words]      when wcount > 0
//          [base return address, rcount read addresses] when rcount > 0
// A record's writes go to base, base + 4, ... (all to base with WFF) and happen before its
// reads. The reply to a record with reads is a record whose writes carry the values read,
// addressed to the request's base return address. A packet with PF set asks for a probe
// reply (PR set, header only).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ebpf::etherbone {

inline constexpr uint16_t kMagic = 0x4e6f;
inline constexpr uint8_t kVersion = 1;
inline constexpr uint8_t kSize32 = 0x4;  // addr_size / port_size code of 32-bit buses
inline constexpr size_t kPacketHeaderBytes = 8;
inline constexpr size_t kRecordHeaderBytes = 4;
inline constexpr size_t kMaxCount = 255;  // wcount and rcount are 8 bits

// Packet header byte 2, below the version nibble.
inline constexpr uint8_t kNoReads = 0x04, kProbeReply = 0x02, kProbe = 0x01;
// Record header byte 0.
inline constexpr uint8_t kBca = 0x01, kRca = 0x02, kRff = 0x04, kCyc = 0x10, kWca = 0x20,
                         kWff = 0x40;
inline constexpr uint8_t kByteEnable32 = 0x0f;

struct Record {
  uint8_t flags = 0;
  uint8_t byte_enable = kByteEnable32;
  uint32_t base_write_addr = 0;
  std::vector<uint32_t> writes;  // data words
  uint32_t base_ret_addr = 0;
  std::vector<uint32_t> reads;   // addresses to read
};

struct Packet {
  uint32_t tag = 0;  // header bytes 4-7: the endpoint echoes them, so they identify requests
  bool probe = false;
  bool probe_reply = false;
  bool no_reads = false;
  std::vector<Record> records;
};

// A record that writes `writes` from address `base` on, then reads `reads`.
inline Record make_record(uint32_t base, std::vector<uint32_t> writes,
                          std::vector<uint32_t> reads) {
  Record r;
  r.base_write_addr = base;
  r.writes = std::move(writes);
  r.reads = std::move(reads);
  return r;
}

// Bytes a record takes on the wire.
constexpr size_t record_bytes(size_t writes, size_t reads) {
  return kRecordHeaderBytes + (writes ? 4 + 4 * writes : 0) + (reads ? 4 + 4 * reads : 0);
}

std::vector<uint8_t> encode(const Packet& p);

// Parses a whole datagram. Returns false with *why set ("truncated: ...", "wrong magic
// 0x1234 (expected 0x4e6f)", ...) when it is not a well-formed 32-bit Etherbone packet.
bool decode(std::span<const uint8_t> bytes, Packet* out, std::string* why);

}  // namespace ebpf::etherbone
