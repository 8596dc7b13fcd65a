// ebpf_net_arp: requests for our IP are answered (reply built by the reference builder),
// everything else is ignored; one reply in flight, further requests dropped and counted.
#include <gtest/gtest.h>

#include <memory>

#include MODEL_HDR
#include "net_ref.h"
#include "tick.h"
#include "verilated.h"

using netref::Bytes;

namespace {

constexpr uint64_t kMac = 0x020a0b0c0d0e;
constexpr uint32_t kIp = 0x0a000002;
constexpr uint64_t kPeer = 0x021122334455;
constexpr uint32_t kPeerIp = 0x0a000001;

class Arp : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->local_mac_i = kMac;
    m_->local_ip_i = kIp;
    m_->s_axis_tvalid_i = 0;
    m_->m_axis_tready_i = 1;
    reset(*m_);
  }
  void TearDown() override { m_->final(); }

  void cycle() {
    m_->eval();
    if (m_->m_axis_tvalid_o && m_->m_axis_tready_i) {
      cur_.push_back(m_->m_axis_tdata_o);
      EXPECT_FALSE(m_->m_axis_tuser_o);
      if (m_->m_axis_tlast_o) {
        out_.push_back(cur_);
        cur_.clear();
      }
    }
    tick(*m_);
    replies_ += m_->stat_reply_o;
    drops_ += m_->stat_drop_o;
  }
  void send(const Bytes& f, bool user = false) {
    const Bytes p = netref::padded(f);
    for (size_t i = 0; i < p.size(); ++i) {
      m_->s_axis_tvalid_i = 1;
      m_->s_axis_tdata_i = p[i];
      m_->s_axis_tlast_i = i + 1 == p.size();
      m_->s_axis_tuser_i = user && i + 1 == p.size();
      cycle();
    }
    m_->s_axis_tvalid_i = 0;
  }
  void idle(int n) {
    for (int i = 0; i < n; ++i) cycle();
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::vector<Bytes> out_;
  Bytes cur_;
  int replies_ = 0, drops_ = 0;
};

TEST_F(Arp, RequestForUsGetsAReply) {
  send(netref::arp_frame(1, 0xffffffffffff, kPeer, kPeerIp, 0, kIp));
  idle(60);
  ASSERT_EQ(out_.size(), 1u);
  EXPECT_EQ(netref::hex(out_[0]),
            netref::hex(netref::arp_frame(2, kPeer, kMac, kIp, kPeer, kPeerIp)));
  EXPECT_EQ(replies_, 1);
}

TEST_F(Arp, OtherFramesAreIgnored) {
  send(netref::arp_frame(1, 0xffffffffffff, kPeer, kPeerIp, 0, kIp + 1));   // other IP
  send(netref::arp_frame(2, kMac, kPeer, kPeerIp, kMac, kIp));              // a reply
  Bytes bad_htype = netref::arp_frame(1, 0xffffffffffff, kPeer, kPeerIp, 0, kIp);
  bad_htype[15] = 6;
  send(bad_htype);
  Bytes bad_plen = netref::arp_frame(1, 0xffffffffffff, kPeer, kPeerIp, 0, kIp);
  bad_plen[19] = 16;
  send(bad_plen);
  Bytes ipv4 = netref::arp_frame(1, 0xffffffffffff, kPeer, kPeerIp, 0, kIp);
  ipv4[13] = 0x00;   // EtherType 0x0800
  send(ipv4);
  send(netref::arp_frame(1, 0xffffffffffff, kPeer, kPeerIp, 0, kIp), true);   // bad frame
  idle(60);
  EXPECT_TRUE(out_.empty());
  EXPECT_EQ(replies_ + drops_, 0);
}

TEST_F(Arp, OneReplyInFlightFurtherRequestsAreDropped) {
  m_->m_axis_tready_i = 0;
  send(netref::arp_frame(1, 0xffffffffffff, kPeer, kPeerIp, 0, kIp));
  send(netref::arp_frame(1, 0xffffffffffff, kPeer + 1, kPeerIp + 1, 0, kIp));
  m_->m_axis_tready_i = 1;
  idle(60);
  send(netref::arp_frame(1, 0xffffffffffff, kPeer + 2, kPeerIp + 2, 0, kIp));
  idle(60);
  ASSERT_EQ(out_.size(), 2u);
  EXPECT_EQ(netref::hex(out_[0]),
            netref::hex(netref::arp_frame(2, kPeer, kMac, kIp, kPeer, kPeerIp)));
  EXPECT_EQ(netref::hex(out_[1]),
            netref::hex(netref::arp_frame(2, kPeer + 2, kMac, kIp, kPeer + 2, kPeerIp + 2)));
  EXPECT_EQ(drops_, 1);
  EXPECT_EQ(replies_, 2);
}

}  // namespace
