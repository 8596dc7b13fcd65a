#include "eth_frames.h"

#include <array>
#include <cstdio>

namespace ebpf::sim::eth {
namespace {

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb8'8320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

void put16(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void put32(Bytes& b, uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xffff);
}
void put48(Bytes& b, uint64_t v) {
  put16(b, static_cast<uint32_t>(v >> 32) & 0xffff);
  put32(b, static_cast<uint32_t>(v));
}
void set16(Bytes& b, size_t i, uint32_t v) {
  b[i] = static_cast<uint8_t>(v >> 8);
  b[i + 1] = static_cast<uint8_t>(v);
}

uint32_t sum16(std::span<const uint8_t> b, uint32_t sum) {
  for (size_t i = 0; i < b.size(); i += 2) {
    sum += (uint32_t{b[i]} << 8) | (i + 1 < b.size() ? b[i + 1] : 0);
  }
  return sum;
}

Bytes eth_header(uint64_t dst, uint64_t src, uint16_t type) {
  Bytes b;
  put48(b, dst);
  put48(b, src);
  put16(b, type);
  return b;
}

}  // namespace

uint16_t get16(std::span<const uint8_t> b, size_t i) {
  return static_cast<uint16_t>((uint32_t{b[i]} << 8) | b[i + 1]);
}
uint32_t get32(std::span<const uint8_t> b, size_t i) {
  return (uint32_t{get16(b, i)} << 16) | get16(b, i + 2);
}
uint64_t get48(std::span<const uint8_t> b, size_t i) {
  return (uint64_t{get16(b, i)} << 32) | get32(b, i + 2);
}

std::string mac_text(uint64_t mac) {
  char s[20];
  std::snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", unsigned(mac >> 40) & 0xff,
                unsigned(mac >> 32) & 0xff, unsigned(mac >> 24) & 0xff,
                unsigned(mac >> 16) & 0xff, unsigned(mac >> 8) & 0xff, unsigned(mac) & 0xff);
  return s;
}

std::string ip_text(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xff) + "." +
         std::to_string((ip >> 8) & 0xff) + "." + std::to_string(ip & 0xff);
}

uint32_t crc32(std::span<const uint8_t> b) {
  uint32_t c = 0xffff'ffffu;
  for (uint8_t x : b) c = kCrcTable[(c ^ x) & 0xff] ^ (c >> 8);
  return ~c;
}

uint16_t inet_checksum(std::span<const uint8_t> b, uint32_t sum) {
  sum = sum16(b, sum);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

Bytes with_fcs(Bytes f) {
  if (f.size() < kMinFrame) f.resize(kMinFrame, 0);
  const uint32_t c = crc32(f);
  for (int i = 0; i < 4; ++i) f.push_back(static_cast<uint8_t>(c >> (8 * i)));
  return f;
}

std::vector<Bytes> udp_frames(const Endpoint& src, const Endpoint& dst,
                              std::span<const uint8_t> payload, uint16_t ip_id,
                              bool udp_checksum, size_t mtu) {
  // The UDP datagram (header + payload), then cut into IP fragments if it does not fit.
  Bytes udp;
  put16(udp, src.port);
  put16(udp, dst.port);
  put16(udp, static_cast<uint32_t>(8 + payload.size()));
  put16(udp, 0);
  udp.insert(udp.end(), payload.begin(), payload.end());
  if (udp_checksum) {
    uint32_t pseudo = (src.ip >> 16) + (src.ip & 0xffff) + (dst.ip >> 16) + (dst.ip & 0xffff) +
                      kProtoUdp + static_cast<uint32_t>(udp.size());
    uint16_t c = inet_checksum(udp, pseudo);
    if (c == 0) c = 0xffff;
    set16(udp, 6, c);
  }
  const size_t max_frag = ((mtu - 20) / 8) * 8;
  std::vector<Bytes> frames;
  size_t off = 0;
  do {
    const size_t left = udp.size() - off;
    const bool last = left + 20 <= mtu;
    const size_t n = last ? left : max_frag;
    Bytes f = eth_header(dst.mac, src.mac, kTypeIpv4);
    Bytes ip;
    put16(ip, 0x4500);
    put16(ip, static_cast<uint32_t>(20 + n));
    put16(ip, ip_id);
    put16(ip, (last ? 0u : 0x2000u) | static_cast<uint32_t>(off / 8));
    ip.push_back(64);
    ip.push_back(kProtoUdp);
    put16(ip, 0);
    put32(ip, src.ip);
    put32(ip, dst.ip);
    set16(ip, 10, inet_checksum(ip));
    f.insert(f.end(), ip.begin(), ip.end());
    f.insert(f.end(), udp.begin() + static_cast<std::ptrdiff_t>(off),
             udp.begin() + static_cast<std::ptrdiff_t>(off + n));
    frames.push_back(std::move(f));
    off += n;
  } while (off < udp.size());
  return frames;
}

Bytes arp_request(uint64_t sha, uint32_t spa, uint32_t tpa) {
  Bytes f = eth_header(kBroadcast, sha, kTypeArp);
  put16(f, 1);       // Ethernet
  put16(f, kTypeIpv4);
  f.push_back(6);
  f.push_back(4);
  put16(f, 1);       // request
  put48(f, sha);
  put32(f, spa);
  put48(f, 0);
  put32(f, tpa);
  return f;
}

std::string check_wire(std::span<const uint8_t> wire, Bytes* frame) {
  if (wire.size() < kPreambleBytes + 1) {
    return "only " + std::to_string(wire.size()) + " bytes, not even a preamble";
  }
  for (size_t i = 0; i < kPreambleBytes; ++i) {
    if (wire[i] != kPreamble) return "preamble byte " + std::to_string(i) + " is not 0x55";
  }
  if (wire[kPreambleBytes] != kSfd) return "no SFD (0xd5) after 7 preamble bytes";
  const auto f = wire.subspan(kPreambleBytes + 1);
  if (f.size() < kMinFrame + 4) {
    return "runt: " + std::to_string(f.size()) + " bytes with FCS (minimum 64)";
  }
  const auto body = f.first(f.size() - 4);
  const uint32_t fcs = uint32_t{f[f.size() - 4]} | (uint32_t{f[f.size() - 3]} << 8) |
                       (uint32_t{f[f.size() - 2]} << 16) | (uint32_t{f[f.size() - 1]} << 24);
  const uint32_t want = crc32(body);
  if (fcs != want) {
    char s[80];
    std::snprintf(s, sizeof s, "bad FCS 0x%08x (expected 0x%08x)", fcs, want);
    return s;
  }
  if (frame) frame->assign(body.begin(), body.end());
  return "";
}

std::string parse_udp(std::span<const uint8_t> f, Udp* out) {
  if (f.size() < 14 + 20 + 8) return "too short for Ethernet/IPv4/UDP headers";
  if (get16(f, 12) != kTypeIpv4) return "EtherType is not IPv4";
  const auto ip = f.subspan(14);
  if (ip[0] != 0x45) return "IPv4 version/IHL byte is not 0x45";
  if (inet_checksum(ip.first(20)) != 0) return "bad IPv4 header checksum";
  const size_t total = get16(ip, 2);
  if (total < 28 || total > ip.size()) return "IPv4 total length outside the frame";
  const uint16_t frag = get16(ip, 6);
  if (frag & 0x3fff) return "IPv4 fragment";
  if (ip[9] != kProtoUdp) return "IPv4 protocol is not UDP";
  const auto udp = ip.subspan(20, total - 20);
  const size_t ulen = get16(udp, 4);
  if (ulen < 8 || ulen != udp.size()) return "UDP length does not match the IPv4 length";
  const uint32_t sip = get32(ip, 12), dip = get32(ip, 16);
  const uint16_t uc = get16(udp, 6);
  if (uc != 0) {
    const uint32_t pseudo = (sip >> 16) + (sip & 0xffff) + (dip >> 16) + (dip & 0xffff) +
                            kProtoUdp + static_cast<uint32_t>(ulen);
    if (inet_checksum(udp, pseudo) != 0) return "bad UDP checksum";
  }
  if (out) {
    out->dst = {get48(f, 0), dip, get16(udp, 2)};
    out->src = {get48(f, 6), sip, get16(udp, 0)};
    out->ip_id = get16(ip, 4);
    out->ttl = ip[8];
    out->df = (frag & 0x4000) != 0;
    out->udp_checksum = uc;
    out->payload.assign(udp.begin() + 8, udp.end());
  }
  return "";
}

std::string parse_arp(std::span<const uint8_t> f, Arp* out) {
  if (f.size() < 14 + 28) return "too short for an ARP packet";
  if (get16(f, 12) != kTypeArp) return "EtherType is not ARP";
  const auto a = f.subspan(14);
  if (get16(a, 0) != 1 || get16(a, 2) != kTypeIpv4 || a[4] != 6 || a[5] != 4) {
    return "not Ethernet/IPv4 ARP";
  }
  if (out) {
    out->eth_dst = get48(f, 0);
    out->eth_src = get48(f, 6);
    out->op = get16(a, 6);
    out->sha = get48(a, 8);
    out->spa = get32(a, 14);
    out->tha = get48(a, 18);
    out->tpa = get32(a, 24);
  }
  return "";
}

}  // namespace ebpf::sim::eth
