// ebpf_net_stack at its pins: GMII frames in and out (RX 125 MHz from the "PHY", TX 125 MHz
// slightly off, the core clock unrelated), a CSR memory model behind the Etherbone master,
// and the data-plane streams. ARP, Etherbone round trips through MAC/IPv4/UDP with every
// checksum checked by reference code, the NET counters read back over Etherbone after bad
// frames of every kind, the data plane passing everything else through, and back-to-back
// minimum-size frames at line rate.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <random>
#include <type_traits>

#include MODEL_HDR
#include "net_ref.h"
#include "verilated.h"

using netref::Bytes;
using netref::EbRecord;

namespace {

constexpr uint64_t kMac = 0x02'0a'0b'0c'0d'0e;
constexpr uint32_t kIp = 0xc0a80132;          // 192.168.1.50
constexpr uint16_t kPort = 1234;
constexpr uint64_t kHostMac = 0x02'00'00'00'00'99;
constexpr uint32_t kHostIp = 0xc0a80164;
constexpr uint32_t kNetBase = 0x0e000;   // ebpf_net_pkg::NetCsrBase

// NET page word indexes (ebpf_net_pkg::net_reg_e).
enum NetReg : uint32_t {
  kId = 0, kMacHi = 1, kMacLo = 2, kIpReg = 3, kPortReg = 4,
  kRxGood = 8, kRxBadFcs, kRxRunt, kRxGiant, kRxPhyErr, kRxCtrl, kRxData, kRxCtrlOvf,
  kRxDataOvf, kTxFrames, kTxUnderrun, kTxDataDrop, kArpReplies, kArpDropped, kIpUdpGood,
  kIpBadCsum, kIpBadHdr, kIpFragment, kUdpBad, kEbPackets, kEbProbes, kEbBadMagic,
  kEbBadVersion, kEbBadSize, kEbBadLen, kEbBadAddr, kEbWrites, kEbReads, kEbTimeouts,
  kEbIgnored, kNumRegs
};

struct TxFrame {
  Bytes data;       // without preamble and FCS
  bool fcs_ok = false, er = false;
};

class Stack : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->local_mac_i = kMac;
    m_->local_ip_i = kIp;
    m_->ctrl_port_i = kPort;
    m_->rst_ni = 0;
    m_->gmii_rx_rst_ni = 0;
    m_->gmii_tx_rst_ni = 0;
    m_->gmii_rx_dv_i = 0;
    m_->gmii_rx_er_i = 0;
    m_->gmii_rxd_i = 0;
    m_->csr_rvalid_i = 0;
    m_->csr_rdata_i = 0;
    m_->m_axis_rx_tready_i = 1;
    m_->s_axis_tx_tvalid_i = 0;
    m_->eval();
    sim_ = std::make_unique<netref::MultiClock>([this] { m_->eval(); });
    core_ = sim_->add(&m_->clk_i, CORE_PS, 1700, [this] { core_sample(); },
                      [this] { core_drive(); });
    rx_clk_ = sim_->add(&m_->gmii_rx_clk_i, 8000, 0, nullptr, [this] { rx_drive(); });
    tx_clk_ = sim_->add(&m_->gmii_tx_clk_i, 7996, 3100, [this] { tx_sample(); }, nullptr);
    sim_->run(core_, 5);
    m_->rst_ni = 1;
    m_->gmii_rx_rst_ni = 1;
    m_->gmii_tx_rst_ni = 1;
    sim_->run(core_, 5);
  }
  void TearDown() override { m_->final(); }

  // ---- core clock: CSR memory model, data-plane streams --------------------------------
  void core_sample() {
    if (!m_->rst_ni) return;
    rvalid_next_ = false;
    if (m_->csr_req_o) {
      const uint32_t a = m_->csr_addr_o;
      EXPECT_NE(a & 0xff000u, kNetBase) << "NET page access leaked to the CSR bus";
      if (m_->csr_we_o) {
        csr_[a] = m_->csr_wdata_o;
      } else {
        rvalid_next_ = true;
        rdata_next_ = csr_.count(a) ? csr_[a] : 0;
      }
    }
    if (m_->m_axis_rx_tvalid_o && m_->m_axis_rx_tready_i) {
      EXPECT_FALSE(m_->m_axis_rx_tuser_o);
      const uint64_t d = m_->m_axis_rx_tdata_o;
      for (int i = 0; i < DP_BYTES; ++i) {
        if ((m_->m_axis_rx_tkeep_o >> i) & 1) dp_cur_.push_back(static_cast<uint8_t>(d >> (8 * i)));
      }
      if (m_->m_axis_rx_tlast_o) {
        dp_rx_.push_back(dp_cur_);
        dp_cur_.clear();
      }
    }
    if (m_->s_axis_tx_tvalid_i && m_->s_axis_tx_tready_o) {
      dp_tx_pos_ += DP_BYTES;
      if (dp_tx_pos_ >= dp_tx_.front().size()) {
        dp_tx_.pop_front();
        dp_tx_pos_ = 0;
      }
    }
  }
  void core_drive() {
    m_->csr_rvalid_i = rvalid_next_;
    m_->csr_rdata_i = rdata_next_;
    m_->m_axis_rx_tready_i = dp_backpressure_ ? (rng_() % 3 != 0) : 1;
    if (!dp_tx_.empty()) {
      const Bytes& f = dp_tx_.front();
      uint64_t d = 0;
      uint32_t keep = 0;
      for (int i = 0; i < DP_BYTES && dp_tx_pos_ + i < f.size(); ++i) {
        d |= uint64_t{f[dp_tx_pos_ + i]} << (8 * i);
        keep |= 1u << i;
      }
      m_->s_axis_tx_tvalid_i = 1;
      using DataT = std::remove_reference_t<decltype(m_->s_axis_tx_tdata_i)>;
      m_->s_axis_tx_tdata_i = static_cast<DataT>(d);
      m_->s_axis_tx_tkeep_i = static_cast<uint8_t>(keep);
      m_->s_axis_tx_tlast_i = dp_tx_pos_ + DP_BYTES >= f.size();
      m_->s_axis_tx_tuser_i = 0;
    } else {
      m_->s_axis_tx_tvalid_i = 0;
    }
  }

  // ---- GMII ----------------------------------------------------------------------------
  void rx_drive() {
    if (rx_syms_.empty()) {
      m_->gmii_rx_dv_i = 0;
      m_->gmii_rx_er_i = 0;
      return;
    }
    const auto s = rx_syms_.front();
    rx_syms_.pop_front();
    m_->gmii_rxd_i = s.d;
    m_->gmii_rx_dv_i = s.dv;
    m_->gmii_rx_er_i = s.er;
  }
  void tx_sample() {
    if (!m_->gmii_tx_rst_ni) return;
    if (m_->gmii_tx_en_o) {
      tx_cur_.push_back(m_->gmii_txd_o);
      tx_er_ |= m_->gmii_tx_er_o;
      if (tx_idle_ != 0 && tx_idle_ < min_gap_) min_gap_ = tx_idle_;
      tx_idle_ = 0;
    } else {
      ++tx_idle_;
      if (!tx_cur_.empty()) {
        TxFrame f;
        size_t i = 0;
        while (i < tx_cur_.size() && tx_cur_[i] == 0x55) ++i;
        EXPECT_EQ(i, 7u) << "preamble";
        EXPECT_EQ(tx_cur_[i], 0xd5) << "SFD";
        Bytes body(tx_cur_.begin() + static_cast<long>(i) + 1, tx_cur_.end());
        EXPECT_GE(body.size(), 64u);
        f.data.assign(body.begin(), body.end() - 4);
        f.fcs_ok = netref::with_fcs(f.data) == body;
        f.er = tx_er_;
        txf_.push_back(f);
        tx_cur_.clear();
        tx_er_ = false;
      }
    }
  }

  // Sends a frame (padded to the 60-byte minimum, as a sender's MAC would) with its FCS.
  void send(const Bytes& frame, int ifg = 12) {
    const Bytes f = netref::with_fcs(netref::padded(frame));
    for (const auto& s : netref::gmii_encode(f, 7, ifg)) rx_syms_.push_back(s);
  }
  void send_raw(const std::vector<netref::GmiiSym>& syms) {
    for (const auto& s : syms) rx_syms_.push_back(s);
  }
  // Runs until the RX symbols are sent and everything has drained.
  void settle(uint64_t core_cycles = 4000) {
    while (!rx_syms_.empty() || !dp_tx_.empty()) sim_->step();
    sim_->run(core_, core_cycles);
  }

  Bytes eb_frame(const std::vector<EbRecord>& recs, uint16_t src_port = 40000) {
    netref::UdpOpts o;
    o.dst_mac = kMac;
    o.src_mac = kHostMac;
    o.dst_ip = kIp;
    o.src_ip = kHostIp;
    o.dst_port = kPort;
    o.src_port = src_port;
    return netref::udp_frame(netref::eb_packet(recs), o);
  }

  // Checks a reply frame's Ethernet/IPv4/UDP headers and returns its UDP payload.
  Bytes udp_payload_of(const TxFrame& f, uint16_t expect_dport = 40000) {
    const Bytes& d = f.data;
    EXPECT_TRUE(f.fcs_ok);
    if (d.size() < 42) return {};
    EXPECT_EQ(netref::get48(d, 0), kHostMac);
    EXPECT_EQ(netref::get48(d, 6), kMac);
    EXPECT_EQ(netref::get16(d, 12), 0x0800u);
    const Bytes ip(d.begin() + 14, d.begin() + 34);
    EXPECT_EQ(ip[0], 0x45);
    EXPECT_EQ(netref::inet_sum(ip), 0xffff) << "IPv4 header checksum";
    EXPECT_EQ(ip[9], 17);
    EXPECT_EQ(netref::get32(ip, 12), kIp);
    EXPECT_EQ(netref::get32(ip, 16), kHostIp);
    const uint32_t tot = netref::get16(ip, 2);
    EXPECT_EQ(netref::get16(d, 34), kPort);
    EXPECT_EQ(netref::get16(d, 36), expect_dport);
    const uint32_t ulen = netref::get16(d, 38);
    EXPECT_EQ(ulen + 20, tot);
    EXPECT_EQ(netref::get16(d, 40), 0u) << "UDP checksum 0";
    if (d.size() < 34 + ulen) return {};
    return Bytes(d.begin() + 42, d.begin() + 34 + ulen);
  }

  // Reads NET registers over Etherbone (one request, one reply).
  std::vector<uint32_t> read_net(const std::vector<uint32_t>& idx) {
    EbRecord r;
    r.base_ret = 0x5555;
    for (uint32_t i : idx) r.reads.push_back(kNetBase + 4 * i);
    const size_t before = txf_.size();
    send(eb_frame({r}));
    settle();
    std::vector<uint32_t> v;
    EXPECT_EQ(txf_.size(), before + 1);
    if (txf_.size() != before + 1) return std::vector<uint32_t>(idx.size(), 0xffffffff);
    const Bytes p = udp_payload_of(txf_.back());
    for (size_t i = 0; i < idx.size(); ++i) v.push_back(netref::get32(p, 16 + 4 * i));
    txf_.pop_back();
    return v;
  }
  std::map<uint32_t, uint32_t> counters() {
    std::vector<uint32_t> idx;
    for (uint32_t i = kRxGood; i < kNumRegs; ++i) idx.push_back(i);
    const auto v = read_net(idx);
    std::map<uint32_t, uint32_t> c;
    for (size_t i = 0; i < idx.size(); ++i) c[idx[i]] = v[i];
    return c;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::unique_ptr<netref::MultiClock> sim_;
  size_t core_ = 0, rx_clk_ = 0, tx_clk_ = 0;
  std::mt19937 rng_{7};
  std::map<uint32_t, uint32_t> csr_;
  bool rvalid_next_ = false;
  uint32_t rdata_next_ = 0;
  std::deque<netref::GmiiSym> rx_syms_;
  Bytes tx_cur_;
  bool tx_er_ = false;
  uint64_t tx_idle_ = 0, min_gap_ = UINT64_MAX;
  std::vector<TxFrame> txf_;
  std::vector<Bytes> dp_rx_;
  Bytes dp_cur_;
  std::deque<Bytes> dp_tx_;
  size_t dp_tx_pos_ = 0;
  bool dp_backpressure_ = false;
};

Bytes random_bytes(std::mt19937& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

TEST_F(Stack, ArpRequestForUsIsAnsweredOthersPassToTheDataPlane) {
  send(netref::arp_frame(1, 0xffffffffffff, kHostMac, kHostIp, 0, kIp));
  const Bytes other = netref::arp_frame(1, 0xffffffffffff, kHostMac, kHostIp, 0, kIp + 1);
  send(other);
  settle();
  ASSERT_EQ(txf_.size(), 1u);
  EXPECT_TRUE(txf_[0].fcs_ok);
  Bytes expect = netref::arp_frame(2, kHostMac, kMac, kIp, kHostMac, kHostIp);
  EXPECT_EQ(netref::hex(txf_[0].data), netref::hex(netref::padded(expect)));
  ASSERT_EQ(dp_rx_.size(), 1u);
  EXPECT_EQ(netref::hex(dp_rx_[0]), netref::hex(netref::padded(other)));
}

TEST_F(Stack, EtherboneWriteThenReadThroughMacIpUdp) {
  EbRecord w;
  w.base_write = 0x14;
  w.writes = {0x1234, 0x1};
  send(eb_frame({w}));
  EbRecord r;
  r.base_ret = 0xfeed0000;
  r.reads = {0x14, 0x18, 0x20000};
  csr_[0x20000] = 0xa5a5a5a5;
  send(eb_frame({r}, 50001));
  settle();
  EXPECT_EQ(csr_[0x14], 0x1234u);
  EXPECT_EQ(csr_[0x18], 0x1u);
  ASSERT_EQ(txf_.size(), 1u) << "one reply (the write-only request has none)";
  const Bytes p = udp_payload_of(txf_[0], 50001);
  EXPECT_EQ(netref::hex(p), "4e6f104400000000" "000f0300" "feed0000" "00001234" "00000001"
                            "a5a5a5a5");
  EXPECT_TRUE(dp_rx_.empty());
}

TEST_F(Stack, NetPageIdentifiesTheStack) {
  const auto v = read_net({kId, kMacHi, kMacLo, kIpReg, kPortReg});
  EXPECT_EQ(v[0], 0x6e657431u);
  EXPECT_EQ(v[1], kMac >> 32);
  EXPECT_EQ(v[2], static_cast<uint32_t>(kMac));
  EXPECT_EQ(v[3], kIp);
  EXPECT_EQ(v[4], kPort);
}

TEST_F(Stack, BadFramesAreDroppedAndCountedAndTheStackKeepsWorking) {
  std::mt19937 rng(3);
  const auto c0 = counters();
  EbRecord w;
  w.base_write = 0x20;
  w.writes = {0xbad};
  // MAC level: bad FCS (an Etherbone write: must not happen), runt, giant, RX_ER.
  Bytes bad_fcs = netref::with_fcs(eb_frame({w}));
  bad_fcs.back() ^= 0x80;
  send_raw(netref::gmii_encode(bad_fcs));
  send_raw(netref::gmii_encode(netref::with_fcs(random_bytes(rng, 30))));
  send(random_bytes(rng, 1600));
  auto er = netref::gmii_encode(netref::with_fcs(eb_frame({w})));
  er[40].er = true;
  send_raw(er);
  // IPv4/UDP level: bad header checksum, options, fragment, bad UDP checksum, bad UDP length.
  const Bytes eb = netref::eb_packet({w});
  netref::UdpOpts o;
  o.dst_mac = kMac;
  o.dst_ip = kIp;
  o.dst_port = kPort;
  o.src_mac = kHostMac;
  o.src_ip = kHostIp;
  auto variant = [&](auto tweak) {
    netref::UdpOpts v = o;
    tweak(v);
    send(netref::udp_frame(eb, v));
  };
  variant([](netref::UdpOpts& v) { v.ip_csum_delta = 1; });
  variant([](netref::UdpOpts& v) { v.ihl = 6; });
  variant([](netref::UdpOpts& v) { v.flags_frag = 0x2000; });   // MF
  variant([](netref::UdpOpts& v) { v.flags_frag = 0x0010; });   // offset
  variant([](netref::UdpOpts& v) { v.udp_csum_delta = 3; });
  variant([](netref::UdpOpts& v) { v.udp_len_delta = 40; });
  variant([](netref::UdpOpts& v) { v.udp_csum = false; v.tot_len_delta = -10; });
  // Etherbone level: bad magic, bad version, address outside the map.
  send(netref::udp_frame(netref::eb_packet({w}, 0x10, 0x44, 0x1234), o));
  send(netref::udp_frame(netref::eb_packet({w}, 0x30), o));
  EbRecord hole = w;
  hole.base_write = 0x160000;   // outside the 20-bit CSR space
  send(netref::udp_frame(netref::eb_packet({hole}), o));
  settle();
  EXPECT_EQ(csr_.count(0x20), 0u) << "a bad request reached the CSR bus";
  EXPECT_TRUE(txf_.empty());

  const auto c = counters();
  auto d = [&](uint32_t i) { return c.at(i) - c0.at(i); };
  EXPECT_EQ(d(kRxBadFcs), 1u);
  EXPECT_EQ(d(kRxRunt), 1u);
  EXPECT_EQ(d(kRxGiant), 1u);
  EXPECT_EQ(d(kRxPhyErr), 1u);
  EXPECT_EQ(d(kIpBadCsum), 1u);
  EXPECT_EQ(d(kIpBadHdr), 1u);      // options
  EXPECT_EQ(d(kIpFragment), 2u);
  EXPECT_EQ(d(kUdpBad), 3u);        // checksum, UDP length > IP payload (twice)
  EXPECT_EQ(d(kEbBadMagic), 1u);
  EXPECT_EQ(d(kEbBadVersion), 1u);
  EXPECT_EQ(d(kEbBadAddr), 1u);
  EXPECT_EQ(d(kEbPackets), 1u);     // the counters() request itself
  EXPECT_EQ(d(kRxDataOvf) + d(kRxCtrlOvf), 0u);
  EXPECT_EQ(d(kRxData), 0u);

  // And a good request still works.
  csr_[0x30] = 77;
  EbRecord r;
  r.reads = {0x30};
  send(eb_frame({r}));
  settle();
  ASSERT_EQ(txf_.size(), 1u);
  const Bytes p = udp_payload_of(txf_[0]);
  ASSERT_GE(p.size(), 20u);
  EXPECT_EQ(netref::get32(p, 16), 77u);
}

TEST_F(Stack, DataPlanePassesEverythingElseBothWays) {
  std::mt19937 rng(4);
  std::vector<Bytes> expect;
  netref::UdpOpts o;
  o.dst_mac = kMac;
  o.dst_ip = kIp;
  o.src_mac = kHostMac;
  o.src_ip = kHostIp;
  auto v = [&](auto tweak, size_t n) {
    netref::UdpOpts x = o;
    tweak(x);
    expect.push_back(netref::padded(netref::udp_frame(random_bytes(rng, n), x)));
    send(expect.back());
  };
  v([](netref::UdpOpts& x) { x.dst_port = 53; }, 30);              // another port
  v([](netref::UdpOpts& x) { x.dst_ip = kIp + 1; }, 200);          // another IP
  v([](netref::UdpOpts& x) { x.dst_mac = 0x0200000000aa; }, 10);   // another MAC
  v([](netref::UdpOpts& x) { x.proto = 6; x.udp_csum = false; }, 100);   // TCP to us
  expect.push_back(random_bytes(rng, 1514));                       // anything
  expect[4][12] = 0x86;
  expect[4][13] = 0xdd;
  send(expect.back());
  // Frames for the wire from the datapath.
  std::vector<Bytes> out;
  for (size_t n : {14u, 59u, 60u, 61u, 333u, 1514u}) {
    out.push_back(random_bytes(rng, n));
    dp_tx_.push_back(out.back());
  }
  dp_backpressure_ = true;
  settle(6000);
  ASSERT_EQ(dp_rx_.size(), expect.size());
  for (size_t i = 0; i < expect.size(); ++i) {
    EXPECT_EQ(netref::hex(dp_rx_[i]), netref::hex(expect[i])) << "frame " << i;
  }
  ASSERT_EQ(txf_.size(), out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_TRUE(txf_[i].fcs_ok);
    EXPECT_EQ(netref::hex(txf_[i].data), netref::hex(netref::padded(out[i]))) << "frame " << i;
  }
}

TEST_F(Stack, BackToBackMinimumFramesAtLineRateWithControlTrafficMixedIn) {
  std::mt19937 rng(5);
  std::vector<Bytes> expect;
  int replies = 0;
  for (int i = 0; i < 300; ++i) {
    if (i % 50 == 25) {
      EbRecord r;
      r.reads = {0x4};
      send(eb_frame({r}));
      ++replies;
      continue;
    }
    Bytes f = random_bytes(rng, 60);
    f[0] = 0x02;   // not our MAC, not broadcast
    expect.push_back(f);
    send(f);
  }
  // And frames to send back-to-back at the same time.
  for (int i = 0; i < 100; ++i) dp_tx_.push_back(random_bytes(rng, 60));
  settle(8000);
  ASSERT_EQ(dp_rx_.size(), expect.size()) << "frames lost at line rate";
  for (size_t i = 0; i < expect.size(); ++i) EXPECT_EQ(dp_rx_[i], expect[i]) << i;
  EXPECT_EQ(static_cast<int>(txf_.size()), 100 + replies);
  EXPECT_GE(min_gap_, 12u) << "inter-frame gap";
  for (const auto& f : txf_) EXPECT_TRUE(f.fcs_ok);
  const auto c = counters();
  EXPECT_EQ(c.at(kRxDataOvf), 0u);
  EXPECT_EQ(c.at(kRxData), expect.size());
  EXPECT_EQ(c.at(kTxFrames), static_cast<uint32_t>(100 + replies + 0));
}

}  // namespace
