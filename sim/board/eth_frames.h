// Ethernet, ARP, IPv4 and UDP as a host puts them on the wire and reads them back: what the
// simulated board's bridge (ebpf-fpga-sim serve --mac) needs around the GMII pins of
// sim_board_top. Builders give frames without FCS unless they say otherwise; checkers return
// an empty string for a good frame, or what is wrong with it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ebpf::sim::eth {

using Bytes = std::vector<uint8_t>;

inline constexpr uint16_t kTypeIpv4 = 0x0800;
inline constexpr uint16_t kTypeArp = 0x0806;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr size_t kMinFrame = 60;          // without FCS
inline constexpr size_t kPreambleBytes = 7;
inline constexpr uint8_t kPreamble = 0x55;
inline constexpr uint8_t kSfd = 0xd5;
inline constexpr uint64_t kBroadcast = 0xffff'ffff'ffffull;

// Ethernet CRC-32 (reflected, polynomial 0xedb88320) of the bytes.
uint32_t crc32(std::span<const uint8_t> b);
// The Internet checksum (one's complement of the one's complement sum) with `sum` added in.
uint16_t inet_checksum(std::span<const uint8_t> b, uint32_t sum = 0);

// Pads to 60 bytes and appends the FCS (CRC-32, low byte first).
Bytes with_fcs(Bytes frame);

struct Endpoint {
  uint64_t mac = 0;   // 48 bits
  uint32_t ip = 0;
  uint16_t port = 0;
};

// An IPv4/UDP datagram from `src` to `dst` as Linux sends it on a link of `mtu` bytes:
// one frame when the payload fits (20-byte IPv4 header, DF clear, TTL 64, header checksum),
// else IP fragments of at most mtu - 20 bytes (multiples of 8) with MF on all but the last.
// The UDP checksum is computed when `udp_checksum` is set, else 0.
std::vector<Bytes> udp_frames(const Endpoint& src, const Endpoint& dst,
                              std::span<const uint8_t> payload, uint16_t ip_id,
                              bool udp_checksum = true, size_t mtu = 1500);

// An ARP request (broadcast) from sha/spa for tpa.
Bytes arp_request(uint64_t sha, uint32_t spa, uint32_t tpa);

// Checks a frame as it left the GMII TX pins (7 x 0x55, 0xd5, frame, FCS): the preamble, the
// FCS and the minimum length (64 bytes with FCS). On success *frame is the frame without
// preamble and FCS.
std::string check_wire(std::span<const uint8_t> wire, Bytes* frame);

struct Udp {
  Endpoint src, dst;
  uint16_t ip_id = 0;
  uint8_t ttl = 0;
  bool df = false;
  uint16_t udp_checksum = 0;
  Bytes payload;
};
// Checks an Ethernet frame (no FCS) holding IPv4/UDP: EtherType, version 4, IHL 5, header
// checksum, total length within the frame, no fragment, protocol 17, UDP length, and the UDP
// checksum when it is not 0. Fills *out on success.
std::string parse_udp(std::span<const uint8_t> frame, Udp* out);

struct Arp {
  uint64_t eth_dst = 0, eth_src = 0;
  uint16_t op = 0;
  uint64_t sha = 0, tha = 0;
  uint32_t spa = 0, tpa = 0;
};
// Checks an Ethernet frame (no FCS) holding an Ethernet/IPv4 ARP packet; fills *out.
std::string parse_arp(std::span<const uint8_t> frame, Arp* out);

uint16_t get16(std::span<const uint8_t> b, size_t i);
uint32_t get32(std::span<const uint8_t> b, size_t i);
uint64_t get48(std::span<const uint8_t> b, size_t i);
std::string mac_text(uint64_t mac);
std::string ip_text(uint32_t ip);

}  // namespace ebpf::sim::eth
