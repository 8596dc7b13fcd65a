// ebpf_net_ipv4_udp_rx: datagrams built by the reference builder (checksums computed there);
// good ones deliver their payload and sender, every malformed kind is counted and delivers
// nothing (or ends with tuser when the fault shows only at the end).
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include MODEL_HDR
#include "net_ref.h"
#include "tick.h"
#include "verilated.h"

using netref::Bytes;

namespace {

constexpr uint64_t kMac = 0x020000000001;
constexpr uint32_t kIp = 0xc0a80132;

struct Got {
  Bytes data;
  bool bad = false;
  uint64_t mac = 0;
  uint32_t ip = 0, port = 0, len = 0;
};

class UdpRx : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->local_mac_i = kMac;
    m_->local_ip_i = kIp;
    m_->local_port_i = 1234;
    m_->s_axis_tvalid_i = 0;
    m_->m_axis_tready_i = 1;
    reset(*m_);
  }
  void TearDown() override { m_->final(); }

  void count() {
    st_[0] += m_->stat_good_o;
    st_[1] += m_->stat_bad_csum_o;
    st_[2] += m_->stat_bad_hdr_o;
    st_[3] += m_->stat_fragment_o;
    st_[4] += m_->stat_udp_bad_o;
  }
  void send(const Bytes& f) {
    const Bytes p = netref::padded(f);
    size_t i = 0;
    while (i < p.size()) {
      m_->s_axis_tvalid_i = rng_() % 4 != 0;
      m_->s_axis_tdata_i = p[i];
      m_->s_axis_tlast_i = i + 1 == p.size();
      m_->s_axis_tuser_i = 0;
      m_->m_axis_tready_i = rng_() % 3 != 0;
      m_->eval();
      const bool take = m_->s_axis_tvalid_i && m_->s_axis_tready_o;
      if (m_->m_axis_tvalid_o && m_->m_axis_tready_i) {
        cur_.data.push_back(m_->m_axis_tdata_o);
        if (m_->m_axis_tlast_o) {
          cur_.bad = m_->m_axis_tuser_o;
          cur_.mac = m_->m_src_mac_o;
          cur_.ip = m_->m_src_ip_o;
          cur_.port = m_->m_src_port_o;
          cur_.len = m_->m_len_o;
          got_.push_back(cur_);
          cur_ = {};
        }
      }
      tick(*m_);
      count();
      if (take) ++i;
    }
    m_->s_axis_tvalid_i = 0;
    for (int k = 0; k < 3; ++k) {
      tick(*m_);
      count();
    }
  }
  netref::UdpOpts opts() const {
    netref::UdpOpts o;
    o.dst_mac = kMac;
    o.dst_ip = kIp;
    o.dst_port = 1234;
    return o;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::mt19937 rng_{3};
  std::vector<Got> got_;
  Got cur_;
  int st_[5] = {};   // good, bad csum, bad hdr, fragment, udp bad
};

TEST_F(UdpRx, GoodDatagramsDeliverPayloadAndSender) {
  std::mt19937 rng(1);
  for (size_t n : {1u, 2u, 17u, 18u, 100u, 1472u}) {
    Bytes pl(n);
    for (auto& b : pl) b = static_cast<uint8_t>(rng());
    auto o = opts();
    o.udp_csum = n % 2 == 0;   // with and without a UDP checksum
    send(netref::udp_frame(pl, o));
    ASSERT_FALSE(got_.empty());
    const Got& g = got_.back();
    EXPECT_EQ(netref::hex(g.data), netref::hex(pl)) << n;
    EXPECT_FALSE(g.bad) << n;
    EXPECT_EQ(g.mac, o.src_mac);
    EXPECT_EQ(g.ip, o.src_ip);
    EXPECT_EQ(g.port, o.src_port);
    EXPECT_EQ(g.len, n);
  }
  EXPECT_EQ(got_.size(), 6u);
  EXPECT_EQ(st_[0], 6);
}

TEST_F(UdpRx, MalformedDatagramsAreCountedAndDeliverNothing) {
  const Bytes pl(40, 0x5a);
  auto v = [&](auto tweak) {
    auto o = opts();
    tweak(o);
    send(netref::udp_frame(pl, o));
  };
  v([](netref::UdpOpts& o) { o.ip_csum_delta = 1; });
  v([](netref::UdpOpts& o) { o.ihl = 7; });
  v([](netref::UdpOpts& o) { o.flags_frag = 0x2000; });
  v([](netref::UdpOpts& o) { o.flags_frag = 0x0001; });
  v([](netref::UdpOpts& o) { o.udp_len_delta = 1; });
  v([](netref::UdpOpts& o) { o.udp_len_delta = -40; });   // length 8: empty
  v([](netref::UdpOpts& o) { o.tot_len_delta = -50; });   // total length < 28
  // Not for us: silently skipped, not counted.
  v([](netref::UdpOpts& o) { o.dst_port = 1235; });
  v([](netref::UdpOpts& o) { o.dst_ip = kIp ^ 1; });
  v([](netref::UdpOpts& o) { o.dst_mac = 0x020000000002; });
  v([](netref::UdpOpts& o) { o.proto = 6; });
  EXPECT_TRUE(got_.empty());
  EXPECT_EQ(st_[0], 0);
  EXPECT_EQ(st_[1], 1);
  EXPECT_EQ(st_[2], 2);
  EXPECT_EQ(st_[3], 2);
  EXPECT_EQ(st_[4], 2);
}

TEST_F(UdpRx, FaultsSeenAtTheEndEndWithTuser) {
  const Bytes pl(40, 0xa5);
  auto o = opts();
  o.udp_csum_delta = 1;
  send(netref::udp_frame(pl, o));
  Bytes cut = netref::udp_frame(Bytes(100, 1), opts());
  cut.resize(cut.size() - 10);   // the frame ends before the datagram does
  send(cut);
  ASSERT_EQ(got_.size(), 2u);
  EXPECT_TRUE(got_[0].bad);
  EXPECT_TRUE(got_[1].bad);
  EXPECT_EQ(st_[4], 2);
  send(netref::udp_frame(pl, opts()));
  ASSERT_EQ(got_.size(), 3u);
  EXPECT_FALSE(got_[2].bad);
}

}  // namespace
