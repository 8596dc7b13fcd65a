// ebpf_net_ipv4_udp_tx: every frame equals the reference builder's (IPv4 checksum computed
// there, UDP checksum 0, identification counting), payload lengths odd and even, with
// back-pressure; a payload of the wrong length ends with tuser.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include MODEL_HDR
#include "net_ref.h"
#include "tick.h"
#include "verilated.h"

using netref::Bytes;

namespace {

class UdpTx : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->local_mac_i = 0x020a0b0c0d0e;
    m_->local_ip_i = 0xc0a80132;
    m_->local_port_i = 1234;
    m_->s_hdr_valid_i = 0;
    m_->s_axis_tvalid_i = 0;
    m_->m_axis_tready_i = 1;
    reset(*m_);
  }
  void TearDown() override { m_->final(); }

  // Sends one datagram (claimed length `len`, actual payload `pl`); returns the frame.
  std::pair<Bytes, bool> send(const Bytes& pl, size_t len, uint64_t mac, uint32_t ip,
                              uint16_t port) {
    m_->s_hdr_valid_i = 1;
    m_->s_dst_mac_i = mac;
    m_->s_dst_ip_i = ip;
    m_->s_dst_port_i = port;
    m_->s_len_i = static_cast<uint16_t>(len);
    size_t i = 0;
    Bytes out;
    bool user = false;
    for (int guard = 0; guard < 20000; ++guard) {
      m_->s_axis_tvalid_i = i < pl.size() && rng_() % 4 != 0;
      m_->s_axis_tdata_i = i < pl.size() ? pl[i] : 0;
      m_->s_axis_tlast_i = i + 1 == pl.size();
      m_->m_axis_tready_i = rng_() % 3 != 0;
      m_->eval();
      const bool hdr = m_->s_hdr_valid_i && m_->s_hdr_ready_o;
      const bool take = m_->s_axis_tvalid_i && m_->s_axis_tready_o;
      bool done = false;
      if (m_->m_axis_tvalid_o && m_->m_axis_tready_i) {
        out.push_back(m_->m_axis_tdata_o);
        if (m_->m_axis_tlast_o) {
          user = m_->m_axis_tuser_o;
          done = true;
        }
      }
      tick(*m_);
      frames_ += m_->stat_frame_o;
      if (hdr) m_->s_hdr_valid_i = 0;
      if (take) ++i;
      if (done) break;
    }
    m_->s_axis_tvalid_i = 0;
    return {out, user};
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::mt19937 rng_{8};
  int frames_ = 0;
};

TEST_F(UdpTx, FramesMatchTheReference) {
  std::mt19937 rng(2);
  uint16_t id = 0;
  for (size_t n : {1u, 2u, 8u, 17u, 300u, 1472u}) {
    Bytes pl(n);
    for (auto& b : pl) b = static_cast<uint8_t>(rng());
    const uint32_t ip = static_cast<uint32_t>(rng());
    const auto [frame, user] = send(pl, n, 0x021122334455, ip, static_cast<uint16_t>(40000 + n));
    netref::UdpOpts o;
    o.dst_mac = 0x021122334455;
    o.src_mac = 0x020a0b0c0d0e;
    o.src_ip = 0xc0a80132;
    o.dst_ip = ip;
    o.src_port = 1234;
    o.dst_port = static_cast<uint16_t>(40000 + n);
    o.udp_csum = false;
    o.id = id++;
    EXPECT_EQ(netref::hex(frame), netref::hex(netref::udp_frame(pl, o))) << n;
    EXPECT_FALSE(user);
    // The header checksum is right by the receiver's rule, too.
    EXPECT_EQ(netref::inet_sum(Bytes(frame.begin() + 14, frame.begin() + 34)), 0xffff);
  }
  EXPECT_EQ(frames_, 6);
}

TEST_F(UdpTx, PayloadOfTheWrongLengthEndsWithTuser) {
  const auto a = send(Bytes(10, 1), 12, 1, 2, 3);
  EXPECT_TRUE(a.second);
  const auto b = send(Bytes(12, 1), 12, 1, 2, 3);
  EXPECT_FALSE(b.second);
}

}  // namespace
