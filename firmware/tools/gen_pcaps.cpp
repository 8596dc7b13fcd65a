// ebpf-fpga-gen-pcaps OUTDIR: writes, for every firmware program, a pcap of matching,
// non-matching and malformed traffic (runts, bad IHL, truncated headers, VLAN and QinQ tags),
// the map contents the traffic assumes (--map-init JSON, contracts.md section 5) and the XDP
// action the program's source says each frame gets:
//
//   OUTDIR/<program>.pcap           the frames, in order (state carries over between them)
//   OUTDIR/<program>.expect.tsv     index <TAB> action <TAB> what the frame is
//   OUTDIR/<program>.map-init.json  only for programs whose maps need entries
//   OUTDIR/<program>.expect-out.tsv index <TAB> hex of the frame after the program, for the
//                                   programs that rewrite frames (not every frame is listed)
//   OUTDIR/<program>.expect-events.tsv  index <TAB> helper <TAB> map <TAB> ring <TAB> flags
//                                   <TAB> hex bytes: the events each frame sends (sampler)
//   OUTDIR/manifest.tsv             one line per corpus: program <TAB> entry function
//
// Frames are built byte by byte here (no packet library), with valid IPv4, TCP and ICMP
// checksums unless a frame is meant to be malformed. Output is deterministic.
#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;
using Mac = std::array<uint8_t, 6>;

enum Action : int { kAborted = 0, kDrop = 1, kPass = 2, kTx = 3, kRedirect = 4 };

constexpr uint16_t kEthIpv4 = 0x0800, kEthIpv6 = 0x86dd, kEthArp = 0x0806, kEthVlan = 0x8100,
                   kEthQinQ = 0x88a8;
constexpr uint8_t kIcmp = 1, kTcp = 6, kUdp = 17;

const Mac kHostMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
const Mac kPeerMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

void put8(Bytes& b, uint64_t v) { b.push_back(static_cast<uint8_t>(v)); }
void put16(Bytes& b, uint64_t v) {
  put8(b, v >> 8);
  put8(b, v);
}
void put32(Bytes& b, uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xffff);
}
void append(Bytes& b, const Bytes& tail) {
  for (uint8_t v : tail) b.push_back(v);
}
void put_mac(Bytes& b, const Mac& m) {
  for (uint8_t v : m) b.push_back(v);
}

constexpr uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// Ones-complement sum over bytes (big-endian 16-bit words), folded, not inverted.
uint32_t sum16(const Bytes& b, size_t begin, size_t end, uint32_t sum = 0) {
  for (size_t i = begin; i < end; i += 2) {
    sum += static_cast<uint32_t>(b[i] << 8) | (i + 1 < end ? b[i + 1] : 0u);
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}
void set16(Bytes& b, size_t at, unsigned v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}

Bytes eth(uint16_t type, const std::vector<uint16_t>& vlan_ids = {}, Mac dst = kHostMac,
          Mac src = kPeerMac) {
  Bytes b;
  put_mac(b, dst);
  put_mac(b, src);
  for (size_t i = 0; i < vlan_ids.size(); ++i) {
    put16(b, i == 0 && vlan_ids.size() > 1 ? kEthQinQ : kEthVlan);
    put16(b, vlan_ids[i]);
  }
  put16(b, type);
  return b;
}

struct Ipv4Opts {
  uint8_t ttl = 64;
  uint8_t ihl = 5;  // > 5 adds NOP options
  bool bad_checksum = false;
  uint8_t tos = 0;
  uint16_t id = 0x1234;
  uint16_t frag = 0x4000;  // flags and fragment offset: DF
};

Bytes ipv4(uint8_t proto, uint32_t src, uint32_t dst, const Bytes& payload, Ipv4Opts o = {}) {
  Bytes b;
  const unsigned header = o.ihl >= 5 ? o.ihl * 4u : 20u;
  put8(b, 0x40 | (o.ihl & 0x0f));
  put8(b, o.tos);
  put16(b, header + payload.size());
  put16(b, o.id);
  put16(b, o.frag);
  put8(b, o.ttl);
  put8(b, proto);
  put16(b, 0);  // checksum below
  put32(b, src);
  put32(b, dst);
  while (b.size() < header) put8(b, 1);  // NOP options
  const unsigned csum = ~sum16(b, 0, header) & 0xffff;
  set16(b, 10, o.bad_checksum ? csum ^ 0xffff : csum);
  append(b, payload);
  return b;
}

// L4 checksum with the IPv4 pseudo-header.
void l4_checksum(Bytes& seg, size_t csum_at, uint8_t proto, uint32_t src, uint32_t dst) {
  Bytes pseudo;
  put32(pseudo, src);
  put32(pseudo, dst);
  put8(pseudo, 0);
  put8(pseudo, proto);
  put16(pseudo, seg.size());
  const uint32_t s = sum16(seg, 0, seg.size(), sum16(pseudo, 0, pseudo.size()));
  set16(seg, csum_at, ~s & 0xffff);
}

Bytes udp(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, const Bytes& payload) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, 8 + payload.size());
  put16(b, 0);
  append(b, payload);
  l4_checksum(b, 6, kUdp, src, dst);
  return ipv4(kUdp, src, dst, b);
}

Bytes tcp(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t flags,
          Ipv4Opts o = {}) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put32(b, 1000);  // seq
  put32(b, flags & 0x10 ? 2000 : 0);
  put8(b, 5 << 4);  // data offset
  put8(b, flags);
  put16(b, 65535);
  put16(b, 0);
  put16(b, 0);
  l4_checksum(b, 16, kTcp, src, dst);
  return ipv4(kTcp, src, dst, b, o);
}
constexpr uint8_t kSyn = 0x02, kSynAck = 0x12, kAck = 0x10;

Bytes icmp_echo(uint32_t src, uint32_t dst, Ipv4Opts o = {}) {
  Bytes b = {8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g'};
  set16(b, 2, ~sum16(b, 0, b.size()) & 0xffff);
  return ipv4(kIcmp, src, dst, b, o);
}

// fd00::1 -> fd00::2, UDP 1000 -> 2000, no payload.
Bytes ipv6_udp() {
  Bytes b;
  put32(b, 0x60000000);
  put16(b, 8);
  put8(b, kUdp);
  put8(b, 64);
  for (unsigned host : {1u, 2u}) {
    put16(b, 0xfd00);
    for (int i = 0; i < 13; ++i) put8(b, 0);
    put8(b, host);
  }
  put16(b, 1000);
  put16(b, 2000);
  put16(b, 8);
  put16(b, 0);
  return b;
}

Bytes arp_request() {
  Bytes b = {0, 1, 8, 0, 6, 4, 0, 1};
  put_mac(b, kPeerMac);
  put32(b, ip(10, 0, 0, 2));
  for (int i = 0; i < 6; ++i) put8(b, 0);
  put32(b, ip(10, 0, 0, 1));
  return b;
}

// DNS name in wire format: length-prefixed labels and a zero byte.
Bytes wire_name(const std::string& dotted) {
  Bytes b;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    put8(b, static_cast<unsigned>(dot - start));
    for (size_t i = start; i < dot; ++i) put8(b, static_cast<uint8_t>(dotted[i]));
    start = dot + 1;
  }
  put8(b, 0);
  return b;
}

Bytes dns(const std::string& name, bool response = false, uint16_t qdcount = 1) {
  Bytes b;
  put16(b, 0xbeef);
  put16(b, response ? 0x8180 : 0x0100);
  put16(b, qdcount);
  put16(b, 0);
  put16(b, 0);
  put16(b, 0);
  append(b, wire_name(name));
  put16(b, 1);  // A
  put16(b, 1);  // IN
  return b;
}

Bytes frame(uint16_t type, const Bytes& l3, const std::vector<uint16_t>& vlans = {}) {
  Bytes b = eth(type, vlans);
  append(b, l3);
  return b;
}
Bytes v4(const Bytes& l3, const std::vector<uint16_t>& vlans = {}) {
  return frame(kEthIpv4, l3, vlans);
}
Bytes cut(Bytes b, size_t n) {
  b.resize(n);
  return b;
}
// Rewrites the IHL of the IPv4 header that follows a plain Ethernet header.
Bytes with_ihl(Bytes b, uint8_t ihl) {
  b.at(14) = static_cast<uint8_t>(0x40 | ihl);
  return b;
}

std::string hex(const Bytes& b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t v : b) {
    s += digits[v >> 4];
    s += digits[v & 15];
  }
  return s;
}
Bytes le32(uint32_t v) { return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)}; }
Bytes be32(uint32_t v) {
  Bytes b;
  put32(b, v);
  return b;
}

struct Packet {
  Bytes bytes;
  Action action;
  std::string what;
  std::optional<Bytes> out = {};  // the frame after the program, for <program>.expect-out.tsv
};
using MapInit = std::map<std::string, std::vector<std::pair<Bytes, Bytes>>>;

// An event a frame should send (perf_event_output, ringbuf_output), for
// <program>.expect-events.tsv.
struct Event {
  size_t frame;
  std::string helper;  // "perf_event_output" or "ringbuf_output"
  std::string map;     // the map's name
  uint32_t ring;       // perf: the ring index (the cpu, 0, for BPF_F_CURRENT_CPU); else 0
  uint64_t flags;      // the helper's flags argument
  Bytes bytes;         // perf: data then packet bytes; ringbuf: data
};

struct Corpus {
  std::string program;
  std::vector<Packet> packets;
  MapInit maps;
  std::string entry = {};  // entry function; empty: the same as program
  std::vector<Event> events = {};
};

// ---- the corpora ---------------------------------------------------------------------------

const uint32_t kClient = ip(10, 0, 0, 1), kServer = ip(10, 0, 0, 2);

// Mixed traffic for the programs that do not look deep: pass, drop, mac_swap, proto_count.
std::vector<std::pair<Bytes, std::string>> baseline_frames() {
  return {
      {v4(udp(kClient, kServer, 1000, 2000, {1, 2, 3, 4})), "IPv4 UDP"},
      {v4(tcp(kClient, kServer, 40000, 80, kSyn)), "IPv4 TCP SYN"},
      {v4(icmp_echo(kClient, kServer)), "IPv4 ICMP echo"},
      {frame(kEthIpv6, ipv6_udp()), "IPv6 UDP"},
      {frame(kEthArp, arp_request()), "ARP request"},
      {v4(udp(kClient, kServer, 1, 2, {}), {100}), "VLAN 100, IPv4 UDP"},
      {v4(tcp(kClient, kServer, 5, 443, kAck), {10, 20}), "QinQ 10/20, IPv4 TCP"},
      {Bytes(60, 0), "60 zero bytes"},
      {Bytes{0x02}, "runt, 1 byte"},
      {Bytes(13, 0xff), "runt, 13 bytes"},
      {eth(kEthIpv4), "Ethernet header only, EtherType IPv4"},
      {with_ihl(v4(udp(kClient, kServer, 1, 2, {})), 3), "IPv4 with IHL 3"},
      {cut(v4(tcp(kClient, kServer, 1, 2, kSyn)), 14 + 12), "IPv4 header truncated"},
      {cut(v4(tcp(kClient, kServer, 1, 2, kSyn)), 14 + 20 + 10), "TCP header truncated"},
      {cut(eth(kEthIpv4, {7}), 16), "VLAN tag truncated"},
      {v4(udp(kClient, kServer, 9, 9, Bytes(1400, 0xab))), "IPv4 UDP, 1442-byte frame"},
  };
}

Corpus baseline(const std::string& program, Action (*verdict)(const Bytes&)) {
  Corpus c{program, {}, {}};
  for (auto& [b, what] : baseline_frames()) c.packets.push_back({b, verdict(b), what});
  return c;
}

Corpus mac_swap() {
  Corpus c = baseline("mac_swap", [](const Bytes& b) { return b.size() >= 14 ? kTx : kDrop; });
  for (Packet& p : c.packets) {
    p.out = p.bytes;
    if (p.bytes.size() >= 14) {
      std::swap_ranges(p.out->begin(), p.out->begin() + 6, p.out->begin() + 6);
    }
  }
  return c;
}

Corpus dns_filter() {
  Corpus c{"dns_filter", {}, {}};
  Bytes blocked1 = wire_name("example.com"), blocked2 = wire_name("ads.tracker.test");
  blocked1.resize(64, 0);
  blocked2.resize(64, 0);
  c.maps["blocked_names"] = {{blocked1, Bytes(8, 0)}, {blocked2, Bytes(8, 0)}};
  auto q = [](const Bytes& payload, uint16_t port = 53, std::vector<uint16_t> vlans = {}) {
    return v4(udp(kClient, ip(192, 0, 2, 53), 33333, port, payload), vlans);
  };
  Bytes long_name = dns(std::string(40, 'a') + "." + std::string(40, 'b') + ".com");
  Bytes no_end = dns("example.com");
  no_end.resize(12 + 5);  // header + part of the first label
  // UDP inside an IPv4 header with options (IHL 6).
  Bytes seg;
  const Bytes payload = dns("example.com");
  put16(seg, 33333);
  put16(seg, 53);
  put16(seg, static_cast<unsigned>(8 + payload.size()));
  put16(seg, 0);
  append(seg, payload);
  const Bytes options = v4(ipv4(kUdp, kClient, ip(192, 0, 2, 53), seg, {.ihl = 6}));
  c.packets = {
      {q(dns("example.com")), kDrop, "query example.com (blocked)"},
      {q(dns("EXAMPLE.Com")), kDrop, "query EXAMPLE.Com (blocked, case folded)"},
      {q(dns("ads.tracker.test")), kDrop, "query ads.tracker.test (blocked)"},
      {q(dns("www.example.com")), kPass, "query www.example.com (not listed)"},
      {q(dns("allowed.org")), kPass, "query allowed.org"},
      {q(dns("example.com", true)), kPass, "response for example.com"},
      {q(dns("example.com"), 5353), kPass, "query example.com to port 5353"},
      {q(dns("example.com"), 53, {5}), kDrop, "VLAN 5, query example.com"},
      {q(dns("example.com"), 53, {5, 6}), kDrop, "QinQ 5/6, query example.com"},
      {options, kDrop, "IPv4 options (IHL 6), query example.com"},
      {q(dns("example.com", false, 0)), kPass, "query with qdcount 0"},
      {q(long_name), kPass, "query for an 87-byte name (longer than the key)"},
      {q(no_end), kPass, "query cut inside the name"},
      {q(Bytes(8, 0)), kPass, "DNS header truncated (8 bytes)"},
      {v4(tcp(kClient, ip(192, 0, 2, 53), 33333, 53, kSyn)), kPass, "TCP to port 53"},
      {with_ihl(q(dns("example.com")), 3), kPass, "IPv4 with IHL 3"},
      {cut(q(dns("example.com")), 14 + 20 + 4), kPass, "UDP header truncated"},
      {frame(kEthArp, arp_request()), kPass, "ARP"},
      {Bytes(10, 0), kPass, "runt, 10 bytes"},
  };
  return c;
}

Corpus firewall() {
  Corpus c{"firewall", {}, {}};
  auto rule = [](uint8_t proto, uint16_t port) {
    Bytes k = {proto, 0};
    put16(k, port);
    return std::make_pair(k, le32(kPass));
  };
  c.maps["rules"] = {rule(kTcp, 22), rule(kTcp, 80), rule(kUdp, 53), rule(kIcmp, 0)};
  const uint32_t dns_server = ip(8, 8, 8, 8), other = ip(10, 0, 0, 3);
  c.packets = {
      {v4(tcp(kClient, kServer, 40000, 22, kSyn)), kPass, "TCP SYN to port 22 (rule, new flow)"},
      {v4(tcp(kServer, kClient, 22, 40000, kSynAck)), kPass, "reply from port 22 (tracked)"},
      {v4(tcp(kClient, kServer, 40000, 22, kAck)), kPass, "same flow again (tracked)"},
      {v4(tcp(kClient, kServer, 40001, 23, kSyn)), kDrop, "TCP SYN to port 23 (no rule)"},
      {v4(tcp(kServer, kClient, 23, 40001, kSynAck)), kDrop, "reply from port 23 (not tracked)"},
      {v4(udp(other, dns_server, 5000, 53, dns("example.com"))), kPass, "UDP to port 53 (rule)"},
      {v4(udp(dns_server, other, 53, 5000, {1, 2})), kPass, "UDP reply from port 53 (tracked)"},
      {v4(udp(other, dns_server, 5001, 123, {})), kDrop, "UDP to port 123 (no rule)"},
      {v4(icmp_echo(other, kServer)), kPass, "ICMP echo (rule for any port)"},
      {v4(tcp(other, kServer, 1234, 80, kSyn), {42}), kPass, "VLAN 42, TCP SYN to port 80"},
      {v4(ipv4(47, kClient, kServer, Bytes(8, 0))), kDrop, "GRE (no rule)"},
      {frame(kEthArp, arp_request()), kPass, "ARP (not IPv4)"},
      {frame(kEthIpv6, ipv6_udp()), kPass, "IPv6 (not IPv4)"},
      {Bytes(10, 0), kDrop, "runt, 10 bytes"},
      {cut(eth(kEthIpv4, {7}), 16), kDrop, "VLAN tag truncated"},
      {with_ihl(v4(tcp(kClient, kServer, 40000, 22, kAck)), 3), kDrop, "IPv4 with IHL 3"},
      {cut(v4(tcp(kClient, kServer, 40000, 22, kAck)), 14 + 20 + 10), kDrop,
       "TCP header truncated"},
      {cut(v4(udp(other, dns_server, 5000, 53, {})), 14 + 20 + 4), kDrop,
       "UDP header truncated"},
  };
  return c;
}

Corpus router() {
  Corpus c{"router", {}, {}};
  auto route = [](unsigned prefixlen, uint32_t addr, uint32_t port, uint8_t hop) {
    Bytes k = le32(prefixlen);
    append(k, be32(addr));
    Bytes v = le32(port);
    const Mac next = {0x02, 0xaa, 0, 0, 0, hop}, self = {0x02, 0xbb, 0, 0, 0, uint8_t(port)};
    put_mac(v, next);
    put_mac(v, self);
    return std::make_pair(k, v);
  };
  c.maps["routes"] = {route(8, ip(10, 0, 0, 0), 1, 1), route(16, ip(10, 1, 0, 0), 2, 2),
                      route(24, ip(10, 1, 2, 0), 0, 3), route(24, ip(192, 168, 1, 0), 3, 4),
                      route(16, ip(10, 9, 0, 0), 7, 5)};
  // Every port sends to ifindex 1 (lo), which exists wherever the kernel oracle runs (a
  // DEVMAP update checks that the device exists).
  c.maps["tx_ports"] = {{le32(0), le32(1)}, {le32(1), le32(1)}, {le32(2), le32(1)},
                        {le32(3), le32(1)}};
  auto to = [](uint32_t dst, Ipv4Opts o = {}, std::vector<uint16_t> vlans = {}) {
    return v4(ipv4(kUdp, ip(172, 16, 0, 9), dst, Bytes(8, 0), o), vlans);
  };
  c.packets = {
      {to(ip(10, 1, 2, 5)), kRedirect, "to 10.1.2.5: /24 wins over /16 and /8, port 0"},
      {to(ip(10, 1, 9, 9)), kRedirect, "to 10.1.9.9: /16, port 2"},
      {to(ip(10, 200, 0, 1)), kRedirect, "to 10.200.0.1: /8, port 1"},
      {to(ip(192, 168, 1, 77)), kRedirect, "to 192.168.1.77: /24, port 3"},
      {to(ip(10, 9, 1, 1)), kPass, "to 10.9.1.1: route to port 7, which tx_ports lacks"},
      {to(ip(172, 16, 0, 1)), kPass, "to 172.16.0.1: no route"},
      {to(ip(10, 1, 2, 5), {.ttl = 2}), kRedirect, "TTL 2: forwarded with TTL 1"},
      {to(ip(10, 1, 2, 5), {.ttl = 1}), kPass, "TTL 1: to the host"},
      {to(ip(10, 1, 2, 5), {.ttl = 0}), kPass, "TTL 0: to the host"},
      {to(ip(10, 1, 2, 5), {.ihl = 6}), kPass, "IPv4 options: to the host"},
      {to(ip(10, 1, 2, 5), {.ttl = 64, .ihl = 5, .bad_checksum = true}), kRedirect,
       "bad header checksum (not verified; patched incrementally)"},
      {to(ip(10, 1, 2, 5), {}, {300}), kRedirect, "VLAN 300, to 10.1.2.5"},
      {frame(kEthIpv6, ipv6_udp()), kPass, "IPv6"},
      {frame(kEthArp, arp_request()), kPass, "ARP"},
      {Bytes(12, 0), kDrop, "runt, 12 bytes"},
      {with_ihl(to(ip(10, 1, 2, 5)), 4), kDrop, "IPv4 with IHL 4"},
      {cut(to(ip(10, 1, 2, 5)), 14 + 19), kDrop, "IPv4 header truncated"},
  };
  // Expected bytes: the routed frames get the route's MACs and TTL - 1 with the checksum
  // patched incrementally (RFC 1624 eqn. 3, so a bad checksum stays bad by the same amount).
  // The route to port 7 is rewritten too before redirect_map misses and returns XDP_PASS.
  auto routed = [](Bytes f, size_t l2len, uint8_t port, uint8_t hop) {
    const Mac next = {0x02, 0xaa, 0, 0, 0, hop}, self = {0x02, 0xbb, 0, 0, 0, port};
    std::copy(next.begin(), next.end(), f.begin());
    std::copy(self.begin(), self.end(), f.begin() + 6);
    const size_t at = l2len + 8;  // TTL, protocol
    const unsigned old_word = f[at] << 8 | f[at + 1];
    f[at] = static_cast<uint8_t>(f[at] - 1);
    const unsigned new_word = f[at] << 8 | f[at + 1];
    const unsigned check = f[l2len + 10] << 8 | f[l2len + 11];
    uint32_t sum = (~check & 0xffff) + (~old_word & 0xffff) + new_word;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    set16(f, l2len + 10, ~sum & 0xffff);
    return f;
  };
  const std::map<size_t, std::array<uint8_t, 3>> rewritten = {  // index: L2 length, port, hop
      {0, {14, 0, 3}}, {1, {14, 2, 2}}, {2, {14, 1, 1}}, {3, {14, 3, 4}},
      {4, {14, 7, 5}}, {6, {14, 0, 3}}, {10, {14, 0, 3}}, {11, {18, 0, 3}}};
  for (size_t i = 0; i < c.packets.size(); ++i) {
    Packet& p = c.packets[i];
    const auto r = rewritten.find(i);
    p.out = r == rewritten.end() ? p.bytes
                                 : routed(p.bytes, r->second[0], r->second[1], r->second[2]);
  }
  return c;
}

Corpus tail_chain() {
  Corpus c{"tail_chain", {}, {}, "tail_entry"};
  c.packets = {
      {v4(icmp_echo(kClient, kServer)), kDrop, "ICMP: entry -> ipv4 -> icmp, dropped"},
      {v4(udp(kClient, kServer, 1, 2, {})), kPass, "UDP: entry -> ipv4, passed"},
      {v4(icmp_echo(kClient, kServer), {9}), kDrop, "VLAN 9, ICMP"},
      {frame(kEthArp, arp_request()), kPass, "ARP: tail call to the empty slot 2 falls through"},
      {Bytes(5, 0), kPass, "runt, 5 bytes"},
      {with_ihl(v4(icmp_echo(kClient, kServer)), 2), kPass, "IPv4 with IHL 2: not ICMP"},
  };
  return c;
}

// IP-in-IP tunnels: inner destination -> {outer source, outer destination, MACs, ifindex}.
struct Tunnel {
  uint32_t saddr, daddr;
  Mac dmac, smac;
  uint32_t ifindex;
};

// What ipip_encap makes of `frame` (L2 header of l2len bytes, IPv4 after it): a new outer
// IPv4 header per tunnel level, the tunnel's MACs, the VLAN tags kept.
Bytes ipip_wrap(const Bytes& frame, size_t l2len, const std::vector<Tunnel>& levels) {
  const uint16_t inner_len = static_cast<uint16_t>(frame[l2len + 2] << 8 | frame[l2len + 3]);
  const uint8_t tos = frame[l2len + 1];
  const uint16_t df = static_cast<uint16_t>((frame[l2len + 6] << 8) & 0x4000);
  Bytes datagram(frame.begin() + static_cast<long>(l2len),
                 frame.begin() + static_cast<long>(l2len + inner_len));
  const Bytes padding(frame.begin() + static_cast<long>(l2len + inner_len), frame.end());
  for (const Tunnel& t : levels) {
    datagram = ipv4(4, t.saddr, t.daddr, datagram, {.tos = tos, .id = 0, .frag = df});
  }
  Bytes out;
  put_mac(out, levels.back().dmac);
  put_mac(out, levels.back().smac);
  out.insert(out.end(), frame.begin() + 12, frame.begin() + static_cast<long>(l2len));
  append(out, datagram);
  append(out, padding);
  return out;
}

Corpus ipip_encap() {
  Corpus c{"ipip_encap", {}, {}};
  const uint32_t local = ip(192, 0, 2, 1);
  auto mac = [](uint8_t a, uint8_t b) { return Mac{0x02, a, 0, 0, 0, b}; };
  const Tunnel to_a = {local, ip(198, 51, 100, 1), mac(0xcc, 1), mac(0xdd, 1), 0};
  const Tunnel to_b = {local, ip(198, 51, 100, 2), mac(0xcc, 2), mac(0xdd, 1), 1};
  const Tunnel overlay = {local, ip(198, 51, 100, 9), mac(0xcc, 3), mac(0xdd, 1), 1};
  const Tunnel underlay = {ip(203, 0, 113, 1), ip(203, 0, 113, 9), mac(0xcc, 4), mac(0xdd, 2), 0};
  const Tunnel loop1 = {local, ip(203, 0, 113, 50), mac(0xcc, 5), mac(0xdd, 1), 0};
  const Tunnel loop2 = {local, ip(203, 0, 113, 51), mac(0xcc, 6), mac(0xdd, 1), 0};
  const std::vector<std::pair<uint32_t, Tunnel>> table = {
      {ip(10, 1, 0, 5), to_a},      {ip(10, 1, 0, 6), to_b},
      {ip(10, 2, 0, 7), overlay},   {ip(198, 51, 100, 9), underlay},
      {ip(10, 3, 0, 1), loop1},     {ip(203, 0, 113, 50), loop2},
      {ip(203, 0, 113, 51), loop1},
  };
  for (const auto& [dst, t] : table) {
    Bytes v = be32(t.saddr);
    append(v, be32(t.daddr));
    put_mac(v, t.dmac);
    put_mac(v, t.smac);
    append(v, le32(t.ifindex));
    c.maps["tunnels"].emplace_back(be32(dst), v);
  }
  const uint32_t a = ip(10, 1, 0, 5), b = ip(10, 1, 0, 6);
  auto add = [&](Bytes f, Action act, const std::string& what, size_t l2len,
                 std::vector<Tunnel> levels) {
    Bytes out = levels.empty() ? f : ipip_wrap(f, l2len, levels);
    c.packets.push_back({std::move(f), act, what, std::move(out)});
  };
  add(v4(udp(kClient, a, 1000, 2000, {1, 2, 3, 4})), kTx, "UDP to 10.1.0.5: tunnel, TX", 14,
      {to_a});
  add(v4(tcp(kClient, b, 40000, 80, kSyn)), kRedirect, "TCP to 10.1.0.6: tunnel to ifindex 1",
      14, {to_b});
  add(v4(icmp_echo(kClient, ip(10, 2, 0, 7))), kTx,
      "ICMP to 10.2.0.7: overlay tunnel inside an underlay tunnel (2 levels)", 14,
      {overlay, underlay});
  std::vector<Tunnel> ten = {loop1};
  while (ten.size() < 10) ten.push_back(ten.size() % 2 ? loop2 : loop1);
  add(v4(udp(kClient, ip(10, 3, 0, 1), 7, 7, {9})), kDrop,
      "UDP to 10.3.0.1: tunnel loop, 10 levels fit in the headroom, adjust_head fails on the "
      "11th",
      14, ten);
  add(v4(udp(kClient, a, 1, 2, {5}), {100}), kTx, "VLAN 100, UDP to 10.1.0.5 (tag kept)", 18,
      {to_a});
  add(v4(tcp(kClient, a, 5, 443, kAck), {10, 20}), kTx, "QinQ 10/20, TCP to 10.1.0.5", 22,
      {to_a});
  add(v4(ipv4(kUdp, kClient, a, Bytes(8, 0x11), {.ihl = 7})), kTx,
      "IPv4 options (IHL 7) to 10.1.0.5", 14, {to_a});
  add(v4(ipv4(kUdp, kClient, a, Bytes(12, 0x22), {.tos = 0x10, .frag = 0})), kTx,
      "no DF, TOS 0x10, to 10.1.0.5: outer copies both", 14, {to_a});
  Bytes padded = v4(udp(kClient, a, 1, 2, {}));
  padded.resize(60, 0);
  add(padded, kTx, "60-byte frame with Ethernet padding, to 10.1.0.5", 14, {to_a});
  add(v4(udp(kClient, a, 9, 9, Bytes(1400, 0xab))), kTx, "1442-byte frame to 10.1.0.5", 14,
      {to_a});
  add(v4(udp(kClient, ip(10, 9, 9, 9), 1, 2, {})), kPass, "UDP to 10.9.9.9: no tunnel", 14, {});
  add(v4(ipv4(4, kClient, ip(10, 9, 9, 9), Bytes(20, 0))), kPass,
      "IP-in-IP to 10.9.9.9: no tunnel", 14, {});
  add(frame(kEthIpv6, ipv6_udp()), kPass, "IPv6", 14, {});
  add(frame(kEthArp, arp_request()), kPass, "ARP", 14, {});
  c.packets.push_back({Bytes(10, 0), kDrop, "runt, 10 bytes"});
  c.packets.push_back({eth(kEthIpv4), kDrop, "Ethernet header only, EtherType IPv4"});
  c.packets.push_back({cut(eth(kEthIpv4, {7}), 16), kDrop, "VLAN tag truncated"});
  c.packets.push_back({with_ihl(v4(udp(kClient, a, 1, 2, {})), 3), kDrop, "IPv4 with IHL 3"});
  c.packets.push_back(
      {cut(v4(udp(kClient, a, 1, 2, {})), 14 + 12), kDrop, "IPv4 header truncated"});
  c.packets.push_back({cut(v4(udp(kClient, a, 1, 2, {1, 2, 3, 4})), 14 + 20 + 4), kDrop,
                       "IPv4 total length beyond the frame"});
  c.packets.push_back({with_ihl(v4(udp(kClient, a, 1, 2, Bytes(30, 0))), 15), kDrop,
                       "IHL 15: a 60-byte header in a 58-byte datagram"});
  return c;
}

// ICMP message with a valid checksum.
Bytes icmp_msg(uint8_t type, uint8_t code, const Bytes& rest) {
  Bytes b = {type, code, 0, 0};
  append(b, rest);
  set16(b, 2, ~sum16(b, 0, b.size()) & 0xffff);
  return b;
}

// The reply icmp_frag_needed builds from `frame` (L2 header of l2len bytes): MACs swapped,
// tags kept, a new IPv4 header and ICMP type 3 code 4 quoting the IP header and 8 bytes.
Bytes frag_needed_reply(const Bytes& frame, size_t l2len, uint16_t mtu) {
  const size_t ihl = (frame[l2len] & 0x0f) * 4u;
  Bytes rest = {0, 0};
  put16(rest, mtu);
  rest.insert(rest.end(), frame.begin() + static_cast<long>(l2len),
              frame.begin() + static_cast<long>(l2len + ihl + 8));
  auto addr = [&](size_t at) {
    return static_cast<uint32_t>(frame[at] << 24 | frame[at + 1] << 16 | frame[at + 2] << 8 |
                                 frame[at + 3]);
  };
  Bytes out(frame.begin() + 6, frame.begin() + 12);
  out.insert(out.end(), frame.begin(), frame.begin() + 6);
  out.insert(out.end(), frame.begin() + 12, frame.begin() + static_cast<long>(l2len));
  append(out, ipv4(kIcmp, addr(l2len + 16), addr(l2len + 12), icmp_msg(3, 4, rest),
                   {.ttl = 64, .tos = 0xc0, .id = 0, .frag = 0}));
  return out;
}

Corpus icmp_frag_needed() {
  Corpus c{"icmp_frag_needed", {}, {}};
  constexpr uint16_t kMtu = 1000;
  c.maps["config"] = {{le32(0), le32(kMtu)}};
  // A UDP datagram of `total` bytes (IPv4 header included).
  auto big = [](size_t total, Ipv4Opts o = {}, uint32_t dst = kServer) {
    const size_t header = o.ihl * 4u;
    return ipv4(kUdp, kClient, dst, Bytes(total - header, 0x5a), o);
  };
  auto add = [&](Bytes f, Action act, const std::string& what, size_t l2len = 14) {
    Bytes out = act == kTx ? frag_needed_reply(f, l2len, kMtu) : f;
    c.packets.push_back({std::move(f), act, what, std::move(out)});
  };
  add(v4(big(1028)), kTx, "UDP, 1028-byte datagram, DF: fragmentation needed");
  add(v4(big(1001)), kTx, "UDP, 1001-byte datagram (MTU + 1), DF");
  add(v4(big(1000)), kPass, "UDP, 1000-byte datagram (= MTU), DF");
  add(v4(big(1200, {.frag = 0})), kPass, "UDP, 1200 bytes, DF clear: the host fragments");
  add(v4(big(1100), {100}), kTx, "VLAN 100, UDP, 1100 bytes, DF (tag kept)", 18);
  add(v4(big(1100), {10, 20}), kTx, "QinQ 10/20, UDP, 1100 bytes, DF", 22);
  add(v4(big(1100, {.ihl = 6})), kTx, "IPv4 options (IHL 6), 1100 bytes, DF: quotes 24 + 8");
  add(v4(big(1100, {.ihl = 15})), kTx, "IHL 15, 1100 bytes, DF: quotes 60 + 8");
  add(v4(ipv4(kIcmp, kClient, kServer, icmp_msg(8, 0, Bytes(1200, 0x33)))), kTx,
      "ICMP echo request, 1224 bytes, DF");
  add(v4(ipv4(kIcmp, kClient, kServer, icmp_msg(3, 1, Bytes(1200, 0x33)))), kPass,
      "ICMP destination unreachable, 1224 bytes, DF: no error about an error");
  add(v4(big(1100, {}, ip(239, 1, 1, 1))), kPass, "multicast 239.1.1.1, 1100 bytes, DF");
  add(v4(big(1100, {}, ip(255, 255, 255, 255))), kPass, "broadcast, 1100 bytes, DF");
  add(v4(big(1100, {.frag = 0x4000 | 185})), kPass, "non-initial fragment (offset 1480), DF");
  add(v4(big(1428)), kTx, "1442-byte frame, DF");
  add(v4(udp(kClient, kServer, 1000, 2000, {1, 2, 3, 4})), kPass, "small UDP");
  add(frame(kEthIpv6, ipv6_udp()), kPass, "IPv6");
  add(frame(kEthArp, arp_request()), kPass, "ARP");
  c.packets.push_back({Bytes(10, 0), kDrop, "runt, 10 bytes"});
  c.packets.push_back({eth(kEthIpv4), kDrop, "Ethernet header only, EtherType IPv4"});
  c.packets.push_back({cut(eth(kEthIpv4, {7}), 16), kDrop, "VLAN tag truncated"});
  c.packets.push_back({with_ihl(v4(big(1100)), 3), kDrop, "IPv4 with IHL 3, 1100 bytes"});
  c.packets.push_back({cut(v4(big(1100)), 14 + 12), kDrop, "IPv4 header truncated"});
  c.packets.push_back(
      {cut(v4(big(1100)), 14 + 900), kDrop, "1100-byte total length in a 900-byte frame"});
  return c;
}

// katran_lb's flow hash (MurmurHash3's 32-bit mixing over the source address, the ports and
// the protocol, host byte order), restated here so the expected real can be computed.
uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
uint32_t murmur_mix(uint32_t h, uint32_t k) {
  k *= 0xcc9e2d51;
  k = rotl32(k, 15);
  k *= 0x1b873593;
  h ^= k;
  h = rotl32(h, 13);
  return h * 5 + 0xe6546b64;
}
uint32_t murmur_final(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}
uint32_t flow_hash(uint32_t saddr, uint16_t sport, uint16_t dport, uint8_t proto) {
  uint32_t h = murmur_mix(0, saddr);
  h = murmur_mix(h, static_cast<uint32_t>(sport) << 16 | dport);
  h = murmur_mix(h, proto);
  return murmur_final(h ^ 12);
}

// Maglev's population of a lookup table of `size` slots (a prime) from the reals' addresses:
// each real walks its own permutation (offset, skip) and takes turns claiming free slots.
std::vector<uint32_t> maglev(const std::vector<std::pair<uint32_t, uint32_t>>& reals,
                             uint32_t size) {
  std::vector<uint32_t> offset, skip, next(reals.size(), 0);
  for (const auto& [index, addr] : reals) {
    offset.push_back(murmur_final(addr ^ 0x9e3779b9) % size);
    skip.push_back(murmur_final(addr ^ 0x7f4a7c15) % (size - 1) + 1);
  }
  std::vector<int64_t> slot(size, -1);
  uint32_t filled = 0;
  while (filled < size) {
    for (size_t i = 0; i < reals.size() && filled < size; ++i) {
      uint32_t at = (offset[i] + next[i] * skip[i]) % size;
      while (slot[at] >= 0) at = (offset[i] + ++next[i] * skip[i]) % size;
      slot[at] = reals[i].first;
      ++next[i];
      ++filled;
    }
  }
  return {slot.begin(), slot.end()};
}

Corpus katran_lb() {
  Corpus c{"katran_lb", {}, {}};
  constexpr uint32_t kRingSize = 61;
  const Mac gw = {0x02, 0xee, 0, 0, 0, 1};
  const uint32_t outer_src = ip(172, 16, 0, 1);
  const uint32_t vip_a = ip(10, 100, 0, 1), vip_b = ip(10, 100, 0, 2), vip_c = ip(10, 100, 0, 3);
  auto vip = [](uint32_t addr, uint16_t port, uint8_t proto, uint32_t index, uint32_t flags) {
    Bytes k = be32(addr);
    put16(k, port);
    put8(k, proto);
    put8(k, 0);
    Bytes v = le32(index);
    append(v, le32(flags));
    return std::make_pair(k, v);
  };
  c.maps["vips"] = {vip(vip_a, 80, kTcp, 0, 0), vip(vip_b, 0, kUdp, 1, 1),
                    vip(vip_c, 80, kTcp, 3, 0)};
  std::map<uint32_t, uint32_t> real_addr;  // real index -> address
  for (uint32_t i = 1; i <= 5; ++i) {
    real_addr[i] = ip(10, 200, 0, i);
    c.maps["reals"].emplace_back(le32(i), be32(real_addr[i]));
  }
  // VIP 0 (A, TCP 80) over reals 1-3, VIP 1 (B, UDP any port) over reals 4-5; VIP 3 (C) has
  // an empty ring (real 0: no real).
  std::map<uint32_t, std::vector<uint32_t>> rings;
  rings[0] = maglev({{1, real_addr[1]}, {2, real_addr[2]}, {3, real_addr[3]}}, kRingSize);
  rings[1] = maglev({{4, real_addr[4]}, {5, real_addr[5]}}, kRingSize);
  for (const auto& [vip_index, slots] : rings) {
    for (uint32_t s = 0; s < kRingSize; ++s) {
      c.maps["ring"].emplace_back(le32(vip_index * kRingSize + s), le32(slots[s]));
    }
  }
  Bytes cfg;
  put_mac(cfg, gw);
  put16(cfg, 0);
  append(cfg, be32(outer_src));
  c.maps["lb_config"] = {{le32(0), cfg}};
  auto ring_real = [&](uint32_t vip_index, uint32_t saddr, uint16_t sport, uint16_t dport,
                       uint8_t proto) {
    return rings[vip_index][flow_hash(saddr, sport, dport, proto) % kRingSize];
  };
  // A flow the connection table already holds, pinned to a real the ring would not choose.
  const uint32_t sticky_client = ip(10, 0, 0, 77);
  const uint32_t sticky_real = ring_real(0, sticky_client, 5555, 80, kTcp) == 3 ? 2 : 3;
  Bytes flow = be32(sticky_client);
  append(flow, be32(vip_a));
  put16(flow, 5555);
  put16(flow, 80);
  append(flow, {kTcp, 0, 0, 0});
  c.maps["conn_table"] = {{flow, le32(sticky_real)}};

  // The frame encapsulated towards real `index`.
  auto encap = [&](const Bytes& f, uint32_t index) {
    Bytes out;
    put_mac(out, gw);
    out.insert(out.end(), f.begin(), f.begin() + 6);
    put16(out, kEthIpv4);
    const Bytes datagram(f.begin() + 14, f.end());
    append(out, ipv4(4, outer_src, real_addr.at(index), datagram,
                     {.ttl = 64, .tos = datagram[1], .id = 0, .frag = 0}));
    return out;
  };
  auto to_real = [&](Bytes f, uint32_t index, const std::string& what) {
    Bytes out = encap(f, index);
    c.packets.push_back({std::move(f), kTx, what + " -> real " + std::to_string(index), out});
  };
  auto other = [&](Bytes f, Action act, const std::string& what) {
    Bytes out = f;
    c.packets.push_back({std::move(f), act, what, std::move(out)});
  };
  to_real(v4(tcp(kClient, vip_a, 40000, 80, kSyn)), ring_real(0, kClient, 40000, 80, kTcp),
          "TCP SYN to VIP A:80, new flow");
  to_real(v4(tcp(kClient, vip_a, 40000, 80, kAck)), ring_real(0, kClient, 40000, 80, kTcp),
          "same flow, ACK (connection table)");
  for (uint16_t port = 40001; port <= 40006; ++port) {
    const uint32_t client = ip(10, 0, 1, port & 0xff);
    to_real(v4(tcp(client, vip_a, port, 80, kSyn)), ring_real(0, client, port, 80, kTcp),
            "TCP SYN to VIP A:80 from another client");
  }
  to_real(v4(tcp(sticky_client, vip_a, 5555, 80, kAck)), sticky_real,
          "TCP to VIP A:80, flow already in the connection table (not the ring's real)");
  to_real(v4(udp(kClient, vip_b, 1000, 53, {1, 2, 3})), ring_real(1, kClient, 0, 53, kUdp),
          "UDP to VIP B:53 (any-port VIP, source port not hashed)");
  to_real(v4(udp(kClient, vip_b, 1001, 53, {4, 5, 6})), ring_real(1, kClient, 0, 53, kUdp),
          "UDP to VIP B:53 from another source port of the same client");
  to_real(v4(udp(ip(10, 0, 2, 9), vip_b, 7, 9999, Bytes(1400, 0xab))),
          ring_real(1, ip(10, 0, 2, 9), 0, 9999, kUdp), "UDP to VIP B:9999, 1442-byte frame");
  to_real(v4(ipv4(kUdp, kClient, vip_b, Bytes(8, 0), {.tos = 0x28})),
          ring_real(1, kClient, 0, 0, kUdp), "UDP to VIP B, TOS 0x28 copied to the outer header");
  other(v4(tcp(kClient, vip_a, 40000, 22, kSyn)), kPass, "TCP to VIP A:22 (no such VIP)");
  other(v4(tcp(kClient, vip_c, 40000, 80, kSyn)), kDrop, "TCP to VIP C:80, whose ring is empty");
  other(v4(icmp_echo(kClient, vip_a)), kPass, "ICMP echo to VIP A (no ICMP VIP)");
  other(v4(udp(kClient, kServer, 1, 2, {})), kPass, "UDP to a non-VIP address");
  other(v4(tcp(kClient, vip_a, 40000, 80, kSyn), {100}), kPass,
        "VLAN 100, TCP to VIP A:80 (VLAN frames are not parsed)");
  other(frame(kEthIpv6, ipv6_udp()), kPass, "IPv6");
  other(frame(kEthArp, arp_request()), kPass, "ARP");
  other(v4(tcp(kClient, vip_a, 40000, 80, kSyn, {.ihl = 6})), kDrop,
        "IPv4 options, TCP to VIP A:80");
  other(v4(ipv4(kUdp, kClient, vip_b, Bytes(16, 0), {.frag = 0x2000})), kDrop,
        "first fragment (MF) to VIP B");
  other(v4(ipv4(kUdp, kClient, vip_b, Bytes(16, 0), {.frag = 0x0010})), kDrop,
        "non-initial fragment to VIP B");
  c.packets.push_back({Bytes(10, 0), kDrop, "runt, 10 bytes"});
  c.packets.push_back({eth(kEthIpv4), kDrop, "Ethernet header only, EtherType IPv4"});
  c.packets.push_back({with_ihl(v4(tcp(kClient, vip_a, 1, 80, kSyn)), 3), kDrop,
                       "IPv4 with IHL 3"});
  c.packets.push_back(
      {cut(v4(tcp(kClient, vip_a, 1, 80, kSyn)), 14 + 12), kDrop, "IPv4 header truncated"});
  c.packets.push_back({cut(v4(tcp(kClient, vip_a, 1, 80, kSyn)), 14 + 20 + 10), kDrop,
                       "TCP header truncated"});
  c.packets.push_back({cut(v4(udp(kClient, vip_b, 1, 53, {})), 14 + 20 + 4), kDrop,
                       "UDP header truncated"});
  return c;
}

Bytes le64(uint64_t v) {
  Bytes b = le32(static_cast<uint32_t>(v));
  append(b, le32(static_cast<uint32_t>(v >> 32)));
  return b;
}

// Every frame passes; frame n goes to the perf ring when n % 3 == 0 and to the ringbuf when
// n % 4 == 0 (sampler.bpf.c's .rodata), with ingress ifindex 1 and rx queue 0.
Corpus sampler() {
  Corpus c = baseline("sampler", [](const Bytes&) { return kPass; });
  for (size_t n = 0; n < c.packets.size(); ++n) {
    const Bytes& f = c.packets[n].bytes;
    const uint32_t len = static_cast<uint32_t>(f.size());
    if (n % 3 == 0) {
      const size_t snap = std::min<size_t>(len, 64);
      Bytes b = le64(n);
      append(b, le32(len));
      append(b, le32(1));
      b.insert(b.end(), f.begin(), f.begin() + static_cast<long>(snap));
      c.events.push_back({n, "perf_event_output", "samples", 0,
                          0xffffffffull | (static_cast<uint64_t>(snap) << 32), b});
    }
    if (n % 4 == 0) {
      Bytes b = le64(n);
      append(b, le32(len));
      append(b, le32(0));
      Bytes head(f.begin(), f.begin() + static_cast<long>(std::min<size_t>(len, 32)));
      head.resize(32, 0);
      append(b, head);
      c.events.push_back({n, "ringbuf_output", "events", 0, 0, b});
    }
  }
  return c;
}

// ---- output --------------------------------------------------------------------------------

// A text file that is written completely or reported: a failed open or write throws, naming
// the file.
class OutFile {
 public:
  explicit OutFile(std::string path) : path_(std::move(path)), out_(path_) {
    if (!out_) throw std::runtime_error(path_ + ": cannot open for writing");
  }
  ~OutFile() noexcept(false) {
    out_.flush();
    if (!out_ && std::uncaught_exceptions() == 0) {
      throw std::runtime_error(path_ + ": write failed");
    }
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;
  template <typename T>
  OutFile& operator<<(const T& v) {
    out_ << v;
    return *this;
  }

 private:
  std::string path_;
  std::ofstream out_;
};

void write_corpus(const std::filesystem::path& dir, const Corpus& c) {
  const std::string base = (dir / c.program).string();
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  if (!dead) throw std::runtime_error("pcap_open_dead failed");
  pcap_dumper_t* out = pcap_dump_open(dead, (base + ".pcap").c_str());
  if (!out) throw std::runtime_error(base + ".pcap: " + pcap_geterr(dead));
  OutFile expect(base + ".expect.tsv");
  expect << "# index\taction\tframe\n";
  for (size_t i = 0; i < c.packets.size(); ++i) {
    const Packet& p = c.packets[i];
    pcap_pkthdr h{};
    h.ts.tv_sec = 1700000000;
    h.ts.tv_usec = static_cast<suseconds_t>(i);
    h.caplen = h.len = static_cast<bpf_u_int32>(p.bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(out), &h, p.bytes.data());
    expect << i << '\t' << p.action << '\t' << p.what << '\n';
  }
  pcap_dump_close(out);
  pcap_close(dead);
  bool any_out = false;
  for (const Packet& p : c.packets) any_out = any_out || p.out.has_value();
  if (any_out) {
    OutFile expect_out(base + ".expect-out.tsv");
    expect_out << "# index\tframe after the program (hex)\n";
    for (size_t i = 0; i < c.packets.size(); ++i) {
      if (c.packets[i].out) expect_out << i << '\t' << hex(*c.packets[i].out) << '\n';
    }
  }
  if (!c.events.empty()) {
    OutFile events(base + ".expect-events.tsv");
    events << "# index\thelper\tmap\tring\tflags\tbytes\n";
    for (const Event& e : c.events) {
      char flags[24];
      std::snprintf(flags, sizeof flags, "0x%llx", static_cast<unsigned long long>(e.flags));
      events << e.frame << '\t' << e.helper << '\t' << e.map << '\t' << e.ring << '\t' << flags
             << '\t' << hex(e.bytes) << '\n';
    }
  }
  if (!c.maps.empty()) {
    OutFile json(base + ".map-init.json");
    json << "{";
    bool first_map = true;
    for (const auto& [name, entries] : c.maps) {
      json << (first_map ? "\n" : ",\n") << "  \"" << name << "\": [";
      first_map = false;
      for (size_t i = 0; i < entries.size(); ++i) {
        json << (i ? ",\n    " : "\n    ") << "{\"key\": \"" << hex(entries[i].first)
             << "\", \"value\": \"" << hex(entries[i].second) << "\"}";
      }
      json << "\n  ]";
    }
    json << "\n}\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ebpf-fpga-gen-pcaps OUTDIR\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    const std::vector<Corpus> corpora = {
        baseline("xdp_pass", [](const Bytes&) { return kPass; }),
        baseline("xdp_drop", [](const Bytes&) { return kDrop; }),
        mac_swap(),
        baseline("proto_count", [](const Bytes&) { return kPass; }),
        dns_filter(),
        firewall(),
        router(),
        tail_chain(),
        ipip_encap(),
        icmp_frag_needed(),
        katran_lb(),
        sampler(),
    };
    OutFile manifest((dir / "manifest.tsv").string());
    for (const Corpus& c : corpora) {
      write_corpus(dir, c);
      manifest << c.program << '\t' << (c.entry.empty() ? c.program : c.entry) << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "ebpf-fpga-gen-pcaps: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
