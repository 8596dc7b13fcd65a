// ebpf_net_gmii_rx: preamble/SFD stripping, FCS check against a reference CRC-32, runts,
// giants (cut at MaxFrameBytes), PHY errors, back-to-back frames, one counter per frame.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include MODEL_HDR
#include "net_ref.h"
#include "verilated.h"

using netref::Bytes;

namespace {

struct Out {
  Bytes data;
  bool bad = false;
};

class GmiiRx : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->rst_ni = 0;
    m_->gmii_rx_dv_i = 0;
    m_->gmii_rx_er_i = 0;
    m_->gmii_rxd_i = 0;
    tick();
    tick();
    m_->rst_ni = 1;
    tick();
  }
  void TearDown() override { m_->final(); }

  void tick() {
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
    if (m_->rst_ni) collect();
  }

  void collect() {
    good_ += m_->stat_good_o;
    bad_fcs_ += m_->stat_bad_fcs_o;
    runt_ += m_->stat_runt_o;
    giant_ += m_->stat_giant_o;
    phy_ += m_->stat_phy_err_o;
    if (!m_->m_axis_tvalid_o) return;
    cur_.data.push_back(m_->m_axis_tdata_o);
    if (m_->m_axis_tlast_o) {
      cur_.bad = m_->m_axis_tuser_o;
      out_.push_back(cur_);
      cur_ = {};
    }
  }

  void send(const std::vector<netref::GmiiSym>& syms) {
    for (const auto& s : syms) {
      m_->gmii_rxd_i = s.d;
      m_->gmii_rx_dv_i = s.dv;
      m_->gmii_rx_er_i = s.er;
      tick();
    }
    m_->gmii_rx_dv_i = 0;
    m_->gmii_rx_er_i = 0;
  }
  void send_frame(const Bytes& f, int preamble = 7, int ifg = 12) {
    send(netref::gmii_encode(netref::with_fcs(f), preamble, ifg));
  }
  void idle(int n) {
    for (int i = 0; i < n; ++i) tick();
  }

  static Bytes random_frame(std::mt19937& rng, size_t len) {
    Bytes f(len);
    for (auto& b : f) b = static_cast<uint8_t>(rng());
    return f;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::vector<Out> out_;
  Out cur_;
  int good_ = 0, bad_fcs_ = 0, runt_ = 0, giant_ = 0, phy_ = 0;
};

TEST_F(GmiiRx, GoodFramesOfManySizesComeOutWithoutFcs) {
  std::mt19937 rng(1);
  std::vector<Bytes> sent;
  for (size_t len : {60u, 61u, 64u, 100u, 255u, 256u, 1000u, 1513u, 1514u}) {
    sent.push_back(random_frame(rng, len));
    send_frame(sent.back());
  }
  idle(20);
  ASSERT_EQ(out_.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(netref::hex(out_[i].data), netref::hex(sent[i])) << "frame " << i;
    EXPECT_FALSE(out_[i].bad) << "frame " << i;
  }
  EXPECT_EQ(good_, static_cast<int>(sent.size()));
  EXPECT_EQ(bad_fcs_ + runt_ + giant_ + phy_, 0);
}

TEST_F(GmiiRx, BadFcsIsFlaggedAndCounted) {
  std::mt19937 rng(2);
  for (int bit = 0; bit < 32; bit += 7) {
    Bytes f = random_frame(rng, 100);
    Bytes w = netref::with_fcs(f);
    w[w.size() - 4 + bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    send(netref::gmii_encode(w));
  }
  // A flipped data bit too.
  Bytes f = random_frame(rng, 70);
  Bytes w = netref::with_fcs(f);
  w[20] ^= 0x10;
  send(netref::gmii_encode(w));
  idle(20);
  ASSERT_EQ(out_.size(), 6u);
  for (const auto& o : out_) EXPECT_TRUE(o.bad);
  EXPECT_EQ(bad_fcs_, 6);
  EXPECT_EQ(good_, 0);
}

TEST_F(GmiiRx, RuntsAreFlaggedAndCounted) {
  std::mt19937 rng(3);
  int expect_out = 0;
  for (size_t len_fcs : {1u, 4u, 5u, 6u, 20u, 59u, 63u}) {
    Bytes w;
    if (len_fcs >= 4) {
      w = netref::with_fcs(random_frame(rng, len_fcs - 4));   // correct FCS, too short
    } else {
      w = random_frame(rng, len_fcs);
    }
    send(netref::gmii_encode(w));
    if (len_fcs >= 5) ++expect_out;
  }
  send_frame(random_frame(rng, 60));   // the minimum (64 with FCS) is fine
  idle(20);
  EXPECT_EQ(runt_, 7);
  EXPECT_EQ(good_, 1);
  ASSERT_EQ(static_cast<int>(out_.size()), expect_out + 1);
  for (int i = 0; i < expect_out; ++i) EXPECT_TRUE(out_[i].bad);
  EXPECT_FALSE(out_.back().bad);
}

TEST_F(GmiiRx, GiantsAreCutAtTheLimitAndCounted) {
  std::mt19937 rng(4);
  const Bytes ok = random_frame(rng, MAX_FRAME - 4);       // exactly the limit with FCS
  const Bytes big = random_frame(rng, MAX_FRAME - 3);      // one byte more
  const Bytes huge = random_frame(rng, MAX_FRAME + 500);
  send_frame(ok);
  send_frame(big);
  send_frame(huge);
  send_frame(ok);
  idle(20);
  EXPECT_EQ(giant_, 2);
  EXPECT_EQ(good_, 2);
  ASSERT_EQ(out_.size(), 4u);
  EXPECT_FALSE(out_[0].bad);
  EXPECT_TRUE(out_[1].bad);
  EXPECT_TRUE(out_[2].bad);
  // The stream is cut: never more than the limit minus the FCS plus one byte.
  EXPECT_LE(out_[2].data.size(), static_cast<size_t>(MAX_FRAME - 3));
  EXPECT_EQ(netref::hex(out_[3].data), netref::hex(ok));
}

TEST_F(GmiiRx, RxErAndBrokenPreambleArePhyErrors) {
  std::mt19937 rng(5);
  auto syms = netref::gmii_encode(netref::with_fcs(random_frame(rng, 80)));
  syms[30].er = true;
  send(syms);
  auto syms2 = netref::gmii_encode(netref::with_fcs(random_frame(rng, 80)));
  syms2[3].d = 0x54;   // not a preamble byte
  send(syms2);
  // RX_ER without RX_DV (carrier extension / false carrier) is not an error.
  std::vector<netref::GmiiSym> idle_er(5, {0x0e, false, true});
  send(idle_er);
  const Bytes good = random_frame(rng, 64);
  send_frame(good);
  idle(20);
  EXPECT_EQ(phy_, 2);
  EXPECT_EQ(good_, 1);
  ASSERT_EQ(out_.size(), 2u);
  EXPECT_TRUE(out_[0].bad);
  EXPECT_EQ(netref::hex(out_[1].data), netref::hex(good));
}

TEST_F(GmiiRx, ShortPreamblesAndBackToBackFrames) {
  std::mt19937 rng(6);
  std::vector<Bytes> sent;
  for (int i = 0; i < 40; ++i) {
    sent.push_back(random_frame(rng, 60 + (rng() % 200)));
    // Preamble of 0..7 bytes; gaps down to one idle cycle (faster than any legal IFG).
    send_frame(sent.back(), static_cast<int>(rng() % 8), 1 + static_cast<int>(rng() % 12));
  }
  idle(20);
  ASSERT_EQ(out_.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(netref::hex(out_[i].data), netref::hex(sent[i])) << "frame " << i;
    EXPECT_FALSE(out_[i].bad);
  }
  EXPECT_EQ(good_, 40);
}

TEST_F(GmiiRx, EveryFrameIsCountedExactlyOnce) {
  std::mt19937 rng(7);
  int frames = 0;
  for (int i = 0; i < 200; ++i) {
    const size_t len = 1 + rng() % 200;
    Bytes w = netref::with_fcs(random_frame(rng, len));
    auto syms = netref::gmii_encode(w);
    switch (rng() % 4) {
      case 0: w.back() ^= 1; syms = netref::gmii_encode(w); break;
      case 1: syms[10].er = true; break;
      default: break;
    }
    send(syms);
    ++frames;
  }
  idle(20);
  EXPECT_EQ(good_ + bad_fcs_ + runt_ + giant_ + phy_, frames);
  int good_out = 0;
  for (const auto& o : out_) good_out += !o.bad;
  EXPECT_EQ(good_out, good_);
}

}  // namespace
