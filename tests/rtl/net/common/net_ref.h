// Reference code for the network block tests: CRC-32, Internet checksum, frame builders and
// a small multi-clock scheduler for Verilated models. Written from the RFCs/802.3, not from
// the RTL, so that the tests check the RTL against an independent model.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace netref {

using Bytes = std::vector<uint8_t>;

// IEEE 802.3 CRC-32: reflected, polynomial 0x04C11DB7, init and final xor 0xFFFFFFFF.
inline uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1u) ? 0xedb88320u : 0u);
  }
  return ~c;
}
inline uint32_t crc32(const Bytes& b) { return crc32(b.data(), b.size()); }

// RFC 1071 Internet checksum over bytes (odd length padded with a zero byte).
inline uint16_t inet_sum(const Bytes& b, uint32_t sum = 0) {
  for (size_t i = 0; i < b.size(); i += 2) {
    uint32_t w = static_cast<uint32_t>(b[i]) << 8;
    if (i + 1 < b.size()) w |= b[i + 1];
    sum += w;
  }
  while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}
inline uint16_t inet_checksum(const Bytes& b) { return static_cast<uint16_t>(~inet_sum(b)); }

inline void put16(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void put32(Bytes& b, uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xffffu);
}
inline void put48(Bytes& b, uint64_t v) {
  put16(b, static_cast<uint32_t>(v >> 32));
  put32(b, static_cast<uint32_t>(v));
}
inline uint32_t get16(const Bytes& b, size_t i) { return (uint32_t{b[i]} << 8) | b[i + 1]; }
inline uint32_t get32(const Bytes& b, size_t i) { return (get16(b, i) << 16) | get16(b, i + 2); }
inline uint64_t get48(const Bytes& b, size_t i) {
  return (uint64_t{get16(b, i)} << 32) | get32(b, i + 2);
}

inline Bytes eth_header(uint64_t dst, uint64_t src, uint16_t type) {
  Bytes b;
  put48(b, dst);
  put48(b, src);
  put16(b, type);
  return b;
}

// Appends the FCS (CRC-32, least significant byte first).
inline Bytes with_fcs(Bytes f) {
  const uint32_t c = crc32(f);
  for (int i = 0; i < 4; ++i) f.push_back(static_cast<uint8_t>(c >> (8 * i)));
  return f;
}

// Pads a frame without FCS to the 60-byte minimum.
inline Bytes padded(Bytes f) {
  if (f.size() < 60) f.resize(60, 0);
  return f;
}

struct UdpOpts {
  uint64_t dst_mac = 0x02'00'00'00'00'01, src_mac = 0x02'00'00'00'00'99;
  uint32_t src_ip = 0xc0a80164, dst_ip = 0xc0a80132;   // 192.168.1.100 -> .50
  uint16_t src_port = 40000, dst_port = 1234;
  uint8_t ihl = 5;
  uint16_t flags_frag = 0x4000;                        // DF
  uint8_t proto = 17;
  bool udp_csum = true;                                // compute it (false: send 0)
  int ip_csum_delta = 0;                               // spoil the IPv4 checksum
  int udp_csum_delta = 0;                              // spoil the UDP checksum
  int tot_len_delta = 0, udp_len_delta = 0;
  uint16_t id = 0x1234;
};

inline Bytes udp_frame(const Bytes& payload, const UdpOpts& o = {}) {
  Bytes f = eth_header(o.dst_mac, o.src_mac, 0x0800);
  const uint32_t ihl_bytes = 4u * o.ihl;
  const uint32_t udp_len = static_cast<uint32_t>(8 + payload.size() + o.udp_len_delta);
  const uint32_t tot = static_cast<uint32_t>(ihl_bytes + 8 + payload.size() + o.tot_len_delta);
  Bytes ip;
  ip.push_back(static_cast<uint8_t>(0x40 | o.ihl));
  ip.push_back(0);
  put16(ip, tot);
  put16(ip, o.id);
  put16(ip, o.flags_frag);
  ip.push_back(64);
  ip.push_back(o.proto);
  put16(ip, 0);
  put32(ip, o.src_ip);
  put32(ip, o.dst_ip);
  while (ip.size() < ihl_bytes) ip.push_back(0x01);   // NOP options
  const uint16_t ipc = static_cast<uint16_t>(inet_checksum(ip) + o.ip_csum_delta);
  ip[10] = static_cast<uint8_t>(ipc >> 8);
  ip[11] = static_cast<uint8_t>(ipc);
  Bytes udp;
  put16(udp, o.src_port);
  put16(udp, o.dst_port);
  put16(udp, udp_len);
  put16(udp, 0);
  udp.insert(udp.end(), payload.begin(), payload.end());
  if (o.udp_csum) {
    Bytes pseudo;
    put32(pseudo, o.src_ip);
    put32(pseudo, o.dst_ip);
    put16(pseudo, 17);
    put16(pseudo, static_cast<uint32_t>(8 + payload.size()));
    pseudo.insert(pseudo.end(), udp.begin(), udp.end());
    uint16_t c = inet_checksum(pseudo);
    if (c == 0) c = 0xffff;
    c = static_cast<uint16_t>(c + o.udp_csum_delta);
    udp[6] = static_cast<uint8_t>(c >> 8);
    udp[7] = static_cast<uint8_t>(c);
  }
  f.insert(f.end(), ip.begin(), ip.end());
  f.insert(f.end(), udp.begin(), udp.end());
  return f;
}

inline Bytes arp_frame(uint16_t op, uint64_t eth_dst, uint64_t sha, uint32_t spa, uint64_t tha,
                       uint32_t tpa) {
  Bytes f = eth_header(eth_dst, sha, 0x0806);
  put16(f, 1);
  put16(f, 0x0800);
  f.push_back(6);
  f.push_back(4);
  put16(f, op);
  put48(f, sha);
  put32(f, spa);
  put48(f, tha);
  put32(f, tpa);
  return f;
}

// Etherbone (docs/etherbone.md): 8-byte header, then records.
struct EbRecord {
  uint8_t flags = 0, byte_enable = 0x0f;
  uint32_t base_write = 0;
  std::vector<uint32_t> writes;
  uint32_t base_ret = 0;
  std::vector<uint32_t> reads;
};

inline Bytes eb_packet(const std::vector<EbRecord>& recs, uint8_t flags = 0x10,
                       uint8_t sizes = 0x44, uint16_t magic = 0x4e6f, uint32_t pad = 0) {
  Bytes b;
  put16(b, magic);
  b.push_back(flags);
  b.push_back(sizes);
  put32(b, pad);
  for (const auto& r : recs) {
    b.push_back(r.flags);
    b.push_back(r.byte_enable);
    b.push_back(static_cast<uint8_t>(r.writes.size()));
    b.push_back(static_cast<uint8_t>(r.reads.size()));
    if (!r.writes.empty()) {
      put32(b, r.base_write);
      for (uint32_t w : r.writes) put32(b, w);
    }
    if (!r.reads.empty()) {
      put32(b, r.base_ret);
      for (uint32_t a : r.reads) put32(b, a);
    }
  }
  return b;
}

// GMII symbols of one frame (with FCS already appended): preamble, SFD, bytes.
struct GmiiSym {
  uint8_t d = 0;
  bool dv = false, er = false;
};
inline std::vector<GmiiSym> gmii_encode(const Bytes& frame_with_fcs, int preamble = 7,
                                        int ifg = 12) {
  std::vector<GmiiSym> s;
  for (int i = 0; i < preamble; ++i) s.push_back({0x55, true, false});
  s.push_back({0xd5, true, false});
  for (uint8_t b : frame_with_fcs) s.push_back({b, true, false});
  for (int i = 0; i < ifg; ++i) s.push_back({0, false, false});
  return s;
}

inline std::string hex(const Bytes& b) {
  std::string s;
  char t[4];
  for (uint8_t x : b) {
    std::snprintf(t, sizeof t, "%02x", x);
    s += t;
  }
  return s;
}

// A few clocks with their own periods (picoseconds). Before a rising edge `sample` runs
// (read outputs, decide the next inputs); right after it `drive` applies them, so the
// testbench behaves like flops on the same edge.
class MultiClock {
 public:
  struct Clock {
    uint8_t* pin;
    uint64_t half_ps;
    uint64_t next_ps;
    std::function<void()> sample, drive;
    uint64_t rises = 0;
  };

  explicit MultiClock(std::function<void()> eval) : eval_(std::move(eval)) {}

  size_t add(uint8_t* pin, uint64_t period_ps, uint64_t phase_ps, std::function<void()> sample,
             std::function<void()> drive) {
    clocks_.push_back({pin, period_ps / 2, phase_ps, std::move(sample), std::move(drive)});
    *pin = 0;
    return clocks_.size() - 1;
  }

  const Clock& clock(size_t i) const { return clocks_[i]; }
  uint64_t now() const { return now_; }

  void step() {
    uint64_t t = UINT64_MAX;
    for (auto& c : clocks_) t = std::min(t, c.next_ps);
    now_ = t;
    std::vector<Clock*> rising;
    for (auto& c : clocks_) {
      if (c.next_ps == t && *c.pin == 0) rising.push_back(&c);
    }
    for (auto* c : rising) {
      if (c->sample) c->sample();
    }
    for (auto& c : clocks_) {
      if (c.next_ps == t) {
        *c.pin = static_cast<uint8_t>(!*c.pin);
        c.next_ps += c.half_ps;
      }
    }
    eval_();
    for (auto* c : rising) {
      ++c->rises;
      if (c->drive) c->drive();
    }
    if (!rising.empty()) eval_();
  }

  // Runs until the given clock has risen n more times.
  void run(size_t clk, uint64_t n) {
    const uint64_t end = clocks_[clk].rises + n;
    while (clocks_[clk].rises < end) step();
  }

 private:
  std::function<void()> eval_;
  std::vector<Clock> clocks_;
  uint64_t now_ = 0;
};

}  // namespace netref
