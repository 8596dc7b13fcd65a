// The simulated board's network path in process, without sockets: boards/sim/sim_board_top
// (our GMII MAC, ARP, IPv4/UDP, Etherbone endpoint and the XDP datapath) at its GMII pins.
//
// - MacEndpoint (what `ebpf-fpga-sim serve --mac` runs): ARP at start, docs/etherbone.md's
//   example byte for byte, probes, the NET page, every frame it got back checked.
// - ARP by hand: requests for the board answered as the reference builds them, others not.
// - What a host never sends, pushed at line rate between data-plane frames that an XDP
//   program returns (XDP_TX): bad FCS, runts, giants, RX_ER, broken preambles, bad IPv4
//   checksums and headers, fragments, bad UDP checksums, Etherbone with bad magic, version,
//   sizes, lengths or addresses outside the map, and replies (PR). Each is counted exactly
//   once in the NET page, none reaches the bus (the bad requests carry a write that would
//   unload the program), every data frame comes back in order with the program's change,
//   and the control path answers afterwards.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "board_host.h"
#include "board_model.h"
#include "csr_protocol.h"
#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "etherbone.h"
#include "eth_frames.h"
#include "mac_endpoint.h"

namespace ebpf {
namespace {

namespace eth = sim::eth;
namespace brd = sim::board;
using Bytes = std::vector<uint8_t>;

constexpr uint32_t kNet = 0x0'e000;
constexpr uint32_t kIoCtrl = 0x0'f004;
constexpr uint32_t kIoCntAction = 0x0'f100;  // IO_CNT_ACTION + 4a (docs/register-map.md)
// NET page word indexes (docs/network.md)
enum NetReg : uint32_t {
  kNetId = 0, kMacHi = 1, kMacLo = 2, kIp = 3, kPort = 4,
  kRxGood = 8, kRxBadFcs = 9, kRxRunt = 10, kRxGiant = 11, kRxPhyErr = 12, kRxCtrl = 13,
  kRxData = 14, kRxCtrlOvf = 15, kRxDataOvf = 16, kTxFrames = 17, kArpReplies = 20,
  kIpUdpGood = 22, kIpBadCsum = 23, kIpBadHdr = 24, kIpFragment = 25, kUdpBad = 26,
  kEbPackets = 27, kEbProbes = 28, kEbBadMagic = 29, kEbBadVersion = 30, kEbBadSize = 31,
  kEbBadLen = 32, kEbBadAddr = 33, kEbWrites = 34, kEbReads = 35, kEbTimeouts = 36,
  kEbIgnored = 37,
};
constexpr uint32_t net(uint32_t i) { return kNet + 4 * i; }

constexpr eth::Endpoint kHost{0x02'68'6f'73'74'02ull, 0xc0a8'0165, 40'000};
constexpr eth::Endpoint kBoard{brd::kLocalMac, brd::kLocalIp, brd::kCtrlPort};

using etherbone::make_record;

Bytes hex_bytes(const std::string& text) {
  Bytes b;
  std::string digits;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
  }
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    b.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  }
  return b;
}

// ---- the bridge's own frame builder and checker --------------------------------------------

TEST(EthFrames, BuildsWhatItChecksAndRejectsWhatIsWrong) {
  const std::string check = "123456789";
  EXPECT_EQ(eth::crc32(std::span<const uint8_t>(
                reinterpret_cast<const uint8_t*>(check.data()), check.size())),
            0xcbf4'3926u);   // the CRC-32 check value
  // RFC 1071's example words 0001 f203 f4f5 f6f7: sum ddf2, checksum 220d.
  EXPECT_EQ(eth::inet_checksum(Bytes{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}), 0x220d);

  const Bytes payload = {1, 2, 3, 4, 5};
  const auto frames = eth::udp_frames(kHost, kBoard, payload, 77);
  ASSERT_EQ(frames.size(), 1u);
  Bytes wire(7, eth::kPreamble);
  wire.push_back(eth::kSfd);
  const Bytes body = eth::with_fcs(frames[0]);
  EXPECT_EQ(body.size(), 64u);   // padded to 60, plus the FCS
  wire.insert(wire.end(), body.begin(), body.end());
  Bytes f;
  ASSERT_EQ(eth::check_wire(wire, &f), "");
  eth::Udp u;
  ASSERT_EQ(eth::parse_udp(f, &u), "");
  EXPECT_EQ(u.payload, payload);
  EXPECT_EQ(u.src.mac, kHost.mac);
  EXPECT_EQ(u.dst.ip, kBoard.ip);
  EXPECT_EQ(u.dst.port, kBoard.port);
  EXPECT_EQ(u.ip_id, 77);
  EXPECT_NE(u.udp_checksum, 0);

  auto wire_err = [&](size_t at, uint8_t x) {
    Bytes w = wire;
    w[at] ^= x;
    return eth::check_wire(w, nullptr);
  };
  EXPECT_EQ(wire_err(3, 0x01), "preamble byte 3 is not 0x55");
  EXPECT_EQ(wire_err(7, 0x01), "no SFD (0xd5) after 7 preamble bytes");
  EXPECT_EQ(wire_err(wire.size() - 1, 0x80).substr(0, 8), "bad FCS ");
  EXPECT_EQ(wire_err(30, 0x01).substr(0, 8), "bad FCS ");
  EXPECT_EQ(eth::check_wire(std::span<const uint8_t>(wire).first(8 + 63), nullptr),
            "runt: 63 bytes with FCS (minimum 64)");
  auto udp_err = [&](size_t at, uint8_t x) {
    Bytes g = f;
    g[at] ^= x;
    return eth::parse_udp(g, nullptr);
  };
  EXPECT_EQ(udp_err(12, 0x08), "EtherType is not IPv4");
  EXPECT_EQ(udp_err(14, 0x01), "IPv4 version/IHL byte is not 0x45");
  EXPECT_EQ(udp_err(14 + 8, 0x01), "bad IPv4 header checksum");   // TTL
  EXPECT_EQ(udp_err(14 + 20 + 8, 0x01), "bad UDP checksum");      // payload
  EXPECT_EQ(udp_err(14 + 20 + 5, 0x01), "UDP length does not match the IPv4 length");

  // Over the MTU: fragments of 1480 bytes (a multiple of 8), MF on all but the last, the
  // same ID, and together the UDP datagram.
  Bytes big(3000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  const auto frags = eth::udp_frames(kHost, kBoard, big, 9);
  ASSERT_EQ(frags.size(), 3u);
  Bytes udp;
  for (size_t k = 0; k < frags.size(); ++k) {
    const Bytes& g = frags[k];
    EXPECT_EQ(eth::inet_checksum(std::span<const uint8_t>(g).subspan(14, 20)), 0);
    EXPECT_EQ(eth::get16(g, 14 + 4), 9);
    const uint16_t fl = eth::get16(g, 14 + 6);
    EXPECT_EQ((fl & 0x1fff) * 8u, udp.size());
    EXPECT_EQ((fl & 0x2000) != 0, k + 1 < frags.size());
    EXPECT_EQ(eth::parse_udp(g, nullptr), "IPv4 fragment");
    udp.insert(udp.end(), g.begin() + 34, g.end());
  }
  ASSERT_EQ(udp.size(), 8 + big.size());
  EXPECT_EQ(Bytes(udp.begin() + 8, udp.end()), big);
}

// ---- MacEndpoint -------------------------------------------------------------------------

TEST(MacEndpoint, LearnsTheBoardByArpAndAnswersThroughTheRtl) {
  simserve::MacEndpoint mac;
  EXPECT_EQ(mac.board_mac(), brd::kLocalMac);
  EXPECT_EQ(mac.stats().arp_replies, 1u);

  const uint32_t caps[] = {csr::kId, csr::kVersion, csr::kImemSlots};
  EXPECT_EQ(mac.read_csr(caps), (std::vector<uint32_t>{csr::kCoreId, csr::kCoreVersion, 4096}));
  const uint32_t page[] = {net(kNetId), net(kMacHi), net(kMacLo), net(kIp), net(kPort)};
  EXPECT_EQ(mac.read_csr(page),
            (std::vector<uint32_t>{0x6e65'7431, static_cast<uint32_t>(brd::kLocalMac >> 32),
                                   static_cast<uint32_t>(brd::kLocalMac), brd::kLocalIp,
                                   brd::kCtrlPort}));

  // docs/etherbone.md's example, byte for byte, through MAC, IPv4/UDP and the RTL endpoint.
  const Bytes req = hex_bytes(
      "4e 6f 10 44 00 00 00 00  00 0f 01 00 00 00 00 14 00 00 12 34"
      "00 0f 00 02 00 00 00 00 00 00 00 14 00 00 00 00");
  const auto reply = mac.on_datagram(req);
  ASSERT_TRUE(reply.has_value());
  // The reply's layout byte for byte; PROG_LEN reads what ebpf_top keeps of the 0x1234
  // written (more than IMEM_SLOTS), the same as a read of its own afterwards.
  const uint32_t plen[] = {csr::kProgLen};
  const uint32_t kept = mac.read_csr(plen).at(0);
  Bytes want = hex_bytes("4e 6f 10 44 00 00 00 00 00 0f 02 00 00 00 00 00 00 00 00 00"
                         "65 42 50 46");
  want[18] = static_cast<uint8_t>(kept >> 8);
  want[19] = static_cast<uint8_t>(kept);
  EXPECT_EQ(*reply, want);
  // A probe: header only, PR set, the tag echoed.
  const auto probe = mac.on_datagram(hex_bytes("4e 6f 11 44 de ad be ef"));
  ASSERT_TRUE(probe.has_value());
  EXPECT_EQ(*probe, hex_bytes("4e 6f 12 44 de ad be ef"));
  // A write-only request gets no reply, and is executed.
  etherbone::Packet w;
  w.records.push_back(make_record(csr::kProgLen, {7}, {}));
  EXPECT_FALSE(mac.on_datagram(etherbone::encode(w)).has_value());
  EXPECT_EQ(mac.read_csr(plen), std::vector<uint32_t>{7});
  // A request the endpoint refuses: no reply, nothing written.
  etherbone::Packet bad = w;
  bad.records[0].writes = {9};
  bad.records.push_back(make_record(0, {}, {0x0010'0000}));   // outside the 20-bit map
  EXPECT_FALSE(mac.on_datagram(etherbone::encode(bad)).has_value());
  EXPECT_EQ(mac.read_csr(plen), std::vector<uint32_t>{7});
  // Larger than one frame: IP fragments, which the board drops (and counts).
  std::vector<uint32_t> many(400, csr::kId);
  etherbone::Packet big;
  big.records.push_back(make_record(0, {}, std::vector<uint32_t>(many.begin(), many.begin() + 255)));
  big.records.push_back(make_record(0, {}, std::vector<uint32_t>(many.begin() + 255, many.end())));
  EXPECT_FALSE(mac.on_datagram(etherbone::encode(big)).has_value());
  EXPECT_EQ(mac.read_csr(many), std::vector<uint32_t>(400, csr::kCoreId));  // 2 requests

  const uint32_t counters[] = {net(kEbPackets), net(kEbProbes), net(kEbBadAddr),
                               net(kIpFragment), net(kEbWrites), net(kArpReplies)};
  // Requests so far: caps, page, example, kept, write, plen, plen, 2 x many = 9 accepted
  // before this read (which counts itself), 1 probe, 1 refused, 2 fragments; writes: 1 + 1.
  EXPECT_EQ(mac.read_csr(counters), (std::vector<uint32_t>{10, 1, 1, 2, 2, 1}));

  const simserve::MacStats s = mac.stats();
  EXPECT_EQ(s.lost_replies, 0u) << mac.last_problem();
  EXPECT_EQ(s.unexpected, 0u) << mac.last_problem();
  EXPECT_EQ(s.reply_mismatch, 0u) << mac.last_problem();
  EXPECT_EQ(s.bad_frames_out, 0u) << mac.last_problem();
  EXPECT_EQ(s.datagrams, 13u);
  EXPECT_EQ(s.frames_in, 1u + 13u + 1u);   // ARP, 13 datagrams, the extra fragment
  EXPECT_EQ(s.replies, 10u);
  EXPECT_EQ(s.no_reply, 3u);
  EXPECT_EQ(s.frames_out, 1u + 10u);       // ARP reply, replies
}

// ---- the board model by hand ------------------------------------------------------------

// The host on the board's port (sim/board/board_host.h): frames in, every frame out checked
// and sorted, Etherbone requests with their replies, CSR access for the loader.
using Host = brd::BoardHost;
using HostIo = brd::BoardHostIo;

TEST(MacBoard, AnswersArpForItsAddressOnly) {
  brd::BoardModel m;
  Host h(m, kHost);
  h.send(eth::arp_request(kHost.mac, kHost.ip, 0xc0a8'0133));   // someone else
  h.run(3'000);
  EXPECT_TRUE(h.arps.empty());
  h.send(eth::arp_request(kHost.mac, kHost.ip, brd::kLocalIp));
  h.run(3'000);
  ASSERT_EQ(h.arps.size(), 1u);
  const eth::Arp& a = h.arps[0];
  EXPECT_EQ(a.op, 2);
  EXPECT_EQ(a.eth_dst, kHost.mac);
  EXPECT_EQ(a.eth_src, brd::kLocalMac);
  EXPECT_EQ(a.sha, brd::kLocalMac);
  EXPECT_EQ(a.spa, brd::kLocalIp);
  EXPECT_EQ(a.tha, kHost.mac);
  EXPECT_EQ(a.tpa, kHost.ip);
  // A request from a second host is answered to that host.
  h.send(eth::arp_request(0x02'00'00'00'00'77ull, 0x0a00'0001, brd::kLocalIp));
  h.run(3'000);
  ASSERT_EQ(h.arps.size(), 2u);
  EXPECT_EQ(h.arps[1].eth_dst, 0x02'00'00'00'00'77ull);
  EXPECT_EQ(h.arps[1].tpa, 0x0a00'0001u);
  EXPECT_TRUE(h.bad.empty()) << h.bad[0];
  EXPECT_EQ(h.read(net(kArpReplies)), 2u);
}

// The XDP program: flips the low byte of the EtherType and sends the frame back (XDP_TX);
// frames shorter than 14 bytes are dropped.
constexpr const char* kTxFlip = R"(
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]
mov %r4, %r2
add %r4, 14
jgt %r4, %r3, drop
ldxb %r5, [%r2+13]
xor %r5, 0xff
stxb [%r2+13], %r5
mov %r0, 3
exit
drop:
mov %r0, 1
exit
)";

// Loads `text` as the entry program the way the host library does (over Etherbone), with a
// run budget, and enables the packet I/O block; returns the program's length in slots.
size_t load_and_enable(Host& h, HostIo& io, const char* text) {
  const std::vector<Insn> prog = assemble(text);
  const std::span<const Insn> progs[] = {prog};
  device::load_program_set(io, "sim board", progs, 0, LoadOptions{}, 4096,
                           h.read(csr::kMaxPrograms));
  io.write64(csr::kBudgetLo, 100'000);
  io.write(csr::kRunCpu, 0);
  io.write(kIoCtrl, 1);
  return prog.size();
}

Bytes data_frame(unsigned i) {
  Bytes f = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x88, 0xb5};
  for (unsigned k = 0; k < 50 + (i * 37) % 300; ++k) f.push_back(static_cast<uint8_t>(i + k));
  return f;
}

TEST(MacBoard, MalformedControlFramesInterleavedWithTheDataPlane) {
  brd::BoardModel m;
  Host h(m, kHost);
  HostIo io(h);

  const size_t prog_size = load_and_enable(h, io, kTxFlip);
  const uint32_t prog_len = h.read(csr::kProgLen);
  ASSERT_EQ(prog_len, prog_size);
  const std::vector<uint32_t> net_before = h.read(std::vector<uint32_t>{
      net(kRxGood), net(kEbPackets), net(kRxCtrl)});
  ASSERT_EQ(net_before.size(), 3u);

  // Every bad request would unload the program if it reached the bus.
  etherbone::Packet unload;
  unload.records.push_back(make_record(csr::kProgLen, {0}, {0}));
  const Bytes unload_eb = etherbone::encode(unload);
  auto ctrl = [&](const Bytes& eb) {
    return eth::udp_frames(kHost, kBoard, eb, h.next_ip_id()).at(0);
  };
  auto set16 = [](Bytes& b, size_t i, uint16_t v) {
    b[i] = static_cast<uint8_t>(v >> 8);
    b[i + 1] = static_cast<uint8_t>(v);
  };

  std::map<NetReg, uint32_t> want;   // expected increments
  std::vector<Bytes> sent_data;
  constexpr unsigned kKinds = 14, kRounds = 3 * kKinds;
  for (unsigned i = 0; i < kRounds; ++i) {
    const Bytes d = data_frame(i);
    h.send(d);
    sent_data.push_back(d);
    Bytes f;
    switch (i % kKinds) {
      case 0: {  // bad FCS
        Bytes w = eth::with_fcs(ctrl(unload_eb));
        w.back() ^= 0x01;
        h.send_raw(w);
        ++want[kRxBadFcs];
        break;
      }
      case 1: {  // runt: 40 bytes + FCS (a good FCS over too few bytes)
        Bytes r = ctrl(unload_eb);
        r.resize(40);
        const uint32_t c = eth::crc32(r);
        for (int k = 0; k < 4; ++k) r.push_back(static_cast<uint8_t>(c >> (8 * k)));
        h.send_raw(r);
        ++want[kRxRunt];
        break;
      }
      case 2: {  // giant: 1600 bytes to the board
        Bytes g = ctrl(unload_eb);
        g.resize(1600, 0xab);
        h.send(g);
        ++want[kRxGiant];
        break;
      }
      case 3: {  // RX_ER in the middle of a control frame
        const Bytes w = eth::with_fcs(ctrl(unload_eb));
        std::vector<brd::GmiiSymbol> s(7, {eth::kPreamble, true, false});
        s.push_back({eth::kSfd, true, false});
        for (size_t k = 0; k < w.size(); ++k) s.push_back({w[k], true, k == 30});
        s.resize(s.size() + brd::kIfgBytes);
        m.send_symbols(s);
        ++want[kRxPhyErr];
        break;
      }
      case 4: {  // a preamble byte that is neither 0x55 nor the SFD
        const Bytes w = eth::with_fcs(ctrl(unload_eb));
        std::vector<brd::GmiiSymbol> s = {{0x55, true, false}, {0x55, true, false},
                                          {0x5d, true, false}, {0x55, true, false},
                                          {eth::kSfd, true, false}};
        for (uint8_t b : w) s.push_back({b, true, false});
        s.resize(s.size() + brd::kIfgBytes);
        m.send_symbols(s);
        ++want[kRxPhyErr];
        break;
      }
      case 5:  // bad IPv4 header checksum
        f = ctrl(unload_eb);
        f[14 + 10] ^= 0x40;
        h.send(f);
        ++want[kIpBadCsum];
        break;
      case 6:  // IPv4 total length 20 (< 28: no room for UDP)
        f = ctrl(unload_eb);
        set16(f, 14 + 2, 20);
        set16(f, 14 + 10, 0);
        set16(f, 14 + 10, eth::inet_checksum(std::span<const uint8_t>(f).subspan(14, 20)));
        h.send(f);
        ++want[kIpBadHdr];
        break;
      case 7:  // bad UDP checksum
        f = ctrl(unload_eb);
        f[14 + 20 + 6] ^= 0x10;
        h.send(f);
        ++want[kUdpBad];
        break;
      case 8: {  // a fragment of a request
        const Bytes big(1600, 0);
        f = eth::udp_frames(kHost, kBoard, big, h.next_ip_id()).at(0);
        h.send(f);
        ++want[kIpFragment];
        break;
      }
      case 9: {  // Etherbone: bad magic
        Bytes eb = unload_eb;
        eb[0] = 0x4f;
        h.send(ctrl(eb));
        ++want[kEbBadMagic];
        break;
      }
      case 10: {  // Etherbone: version 2
        Bytes eb = unload_eb;
        eb[2] = 0x20;
        h.send(ctrl(eb));
        ++want[kEbBadVersion];
        break;
      }
      case 11: {  // Etherbone: byte enable 0x03 on a write
        Bytes eb = unload_eb;
        eb[8 + 1] = 0x03;
        h.send(ctrl(eb));
        ++want[kEbBadSize];
        break;
      }
      case 12: {  // Etherbone: ends inside a record
        Bytes eb = unload_eb;
        eb.resize(eb.size() - 4);
        h.send(ctrl(eb));
        ++want[kEbBadLen];
        break;
      }
      case 13: {  // Etherbone: the write, then a read outside the 20-bit map
        etherbone::Packet p = unload;
        p.records.push_back(make_record(0, {}, {0x0010'0000}));
        h.send(ctrl(etherbone::encode(p)));
        ++want[kEbBadAddr];
        break;
      }
    }
  }
  // Everything above went in back to back at line rate; let it drain.
  h.run(60'000);

  // Every data frame came back through the program, in order, and nothing else did.
  EXPECT_TRUE(h.bad.empty()) << h.bad.size() << " bad frames, the first: " << h.bad[0];
  ASSERT_EQ(h.others.size(), sent_data.size());
  for (size_t i = 0; i < sent_data.size(); ++i) {
    Bytes w = sent_data[i];
    w[13] ^= 0xff;
    EXPECT_EQ(h.others[i], w) << "data frame " << i;
  }

  // Counted exactly once each, nothing reached the bus, the control path still answers.
  EXPECT_EQ(h.read(csr::kProgLen), prog_len);
  std::vector<uint32_t> addrs;
  const NetReg regs[] = {kRxBadFcs, kRxRunt,   kRxGiant,      kRxPhyErr,    kIpBadCsum,
                         kIpBadHdr, kUdpBad,   kIpFragment,   kEbBadMagic,  kEbBadVersion,
                         kEbBadSize, kEbBadLen, kEbBadAddr,   kRxCtrlOvf,   kRxDataOvf,
                         kEbTimeouts, kEbIgnored};
  for (NetReg r : regs) addrs.push_back(net(r));
  const std::vector<uint32_t> got = h.read(addrs);
  ASSERT_EQ(got.size(), addrs.size());
  for (size_t k = 0; k < addrs.size(); ++k) {
    EXPECT_EQ(got[k], want.count(regs[k]) ? want[regs[k]] : 0u) << "NET word " << regs[k];
  }
  // Good frames: the data frames and the control frames that passed the MAC.
  const std::vector<uint32_t> after = h.read(std::vector<uint32_t>{
      net(kRxGood), net(kEbPackets), net(kRxData), net(kRxCtrl)});
  const uint32_t mac_bad = want[kRxBadFcs] + want[kRxRunt] + want[kRxGiant] + want[kRxPhyErr];
  const uint32_t ctrl_good = kRounds - mac_bad;   // reached the control path
  // Requests since net_before's: PROG_LEN, the counters, this one.
  EXPECT_EQ(after[0] - net_before[0], kRounds + ctrl_good + 3);
  EXPECT_EQ(after[1] - net_before[1], 3u);
  EXPECT_EQ(after[2], kRounds);
  EXPECT_EQ(after[3] - net_before[2], ctrl_good + 3);
}

// The boards' clock ratio (core = GMII / 5: 25 MHz against 125) with the two packet buffers:
// minimum-size frames at line rate, more than an XDP_TX program at 25 MHz can turn around
// (bench/board/board_line_rate measures how many), so the data FIFO overflows. Every frame
// must then either come back through the program, in order and intact, or be counted in
// RX_DATA_OVF: none lost silently, none corrupted by the overlap of ingress and egress.
TEST(MacBoard, LineRateAtTheBoardsClockRatioEveryFrameIsSentOrCounted) {
  brd::BoardModelOptions mo;
  mo.core_clock_divider = 5;
  brd::BoardModel m(mo);
  Host h(m, kHost);
  HostIo io(h);

  load_and_enable(h, io, kTxFlip);
  const uint32_t data_before = h.read(net(kRxData));

  constexpr unsigned kFrames = 400;
  std::vector<Bytes> sent;
  for (unsigned i = 0; i < kFrames; ++i) {
    // 60 bytes + FCS, a few longer ones between them; the payload names the frame.
    Bytes f = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa,
               0x88, 0xb5};
    const unsigned len = i % 50 == 7 ? 200 : 46;
    for (unsigned k = 0; k < len; ++k) f.push_back(static_cast<uint8_t>(i * 7 + k));
    f[14] = static_cast<uint8_t>(i);
    f[15] = static_cast<uint8_t>(i >> 8);
    h.send(f);
    sent.push_back(f);
  }
  while (m.rx_pending() != 0) h.run(256);
  h.run(100'000);

  EXPECT_TRUE(h.bad.empty()) << h.bad.size() << " bad frames, the first: " << h.bad[0];
  const std::vector<uint32_t> c = h.read(std::vector<uint32_t>{
      net(kRxData), net(kRxDataOvf), kIoCntAction + 4 * 3});
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0] - data_before, kFrames);
  const uint32_t lost = c[1];
  EXPECT_GT(lost, 0u) << "the burst was meant to overflow the data FIFO";
  EXPECT_EQ(c[2], h.others.size());
  EXPECT_EQ(h.others.size() + lost, kFrames);
  // What came back is, in order, a subsequence of what went in, each with the program's flip.
  size_t next = 0;
  for (size_t k = 0; k < h.others.size(); ++k) {
    const Bytes& o = h.others[k];
    ASSERT_GE(o.size(), 16u);
    const size_t i = o[14] | (size_t{o[15]} << 8);
    ASSERT_LT(i, sent.size()) << "frame out " << k;
    ASSERT_GE(i, next) << "frame out " << k << " is from frame " << i << ", out of order";
    Bytes w = sent[i];
    w[13] ^= 0xff;
    EXPECT_EQ(o, w) << "frame out " << k << " (frame in " << i << ")";
    next = i + 1;
  }
}

}  // namespace
}  // namespace ebpf
