// ebpf_net_gmii_tx: preamble and SFD, padding to 60 bytes, FCS from a reference CRC-32, the
// inter-frame gap between back-to-back frames (exactly IFG byte times at line rate), frames
// spoiled on request (tuser), underrun.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>

#include MODEL_HDR
#include "net_ref.h"
#include "verilated.h"

using netref::Bytes;

namespace {

struct Wire {
  Bytes bytes;          // everything while TX_EN, preamble included
  bool er = false;
  uint64_t start = 0;   // cycle of the first byte
  uint64_t end = 0;     // cycle after the last byte
};

struct InFrame {
  Bytes data;
  bool user = false;
  size_t stall_at = SIZE_MAX;   // drop tvalid before this byte (underrun)
};

class GmiiTx : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->rst_ni = 0;
    m_->s_axis_tvalid_i = 0;
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
    ++cycle_;
    frames_ += m_->stat_frame_o;
    underruns_ += m_->stat_underrun_o;
    if (m_->gmii_tx_en_o || m_->gmii_tx_er_o) {
      if (!in_frame_) {
        wire_.push_back({});
        wire_.back().start = cycle_;
        in_frame_ = true;
      }
      wire_.back().bytes.push_back(m_->gmii_txd_o);
      wire_.back().er |= m_->gmii_tx_er_o;
    } else if (in_frame_) {
      in_frame_ = false;
      wire_.back().end = cycle_;
    }
  }

  // Feeds the queued frames as fast as the MAC takes them.
  void run(std::deque<InFrame> q, int tail = 40) {
    size_t pos = 0;
    bool stalled = false;
    while (!q.empty()) {
      const InFrame& f = q.front();
      const bool stall = pos == f.stall_at && !stalled;
      m_->s_axis_tvalid_i = !stall;
      m_->s_axis_tdata_i = f.data[pos];
      m_->s_axis_tlast_i = pos + 1 == f.data.size();
      m_->s_axis_tuser_i = f.user;
      m_->eval();
      const bool take = m_->s_axis_tvalid_i && m_->s_axis_tready_o;
      if (stall && m_->s_axis_tready_o) stalled = true;
      tick();
      if (take && ++pos == f.data.size()) {
        q.pop_front();
        pos = 0;
        stalled = false;
      }
    }
    m_->s_axis_tvalid_i = 0;
    for (int i = 0; i < tail; ++i) tick();
  }

  static Bytes expected_wire(const Bytes& data, bool spoil = false) {
    Bytes w(7, 0x55);
    w.push_back(0xd5);
    Bytes p = netref::padded(data);
    uint32_t c = netref::crc32(p);
    if (spoil) c = ~c;
    w.insert(w.end(), p.begin(), p.end());
    for (int i = 0; i < 4; ++i) w.push_back(static_cast<uint8_t>(c >> (8 * i)));
    return w;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::vector<Wire> wire_;
  bool in_frame_ = false;
  uint64_t cycle_ = 0;
  int frames_ = 0, underruns_ = 0;
};

Bytes random_bytes(std::mt19937& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

TEST_F(GmiiTx, PreambleSfdPaddingAndFcs) {
  std::mt19937 rng(11);
  std::deque<InFrame> q;
  for (size_t len : {1u, 14u, 59u, 60u, 61u, 200u, 1514u}) q.push_back({random_bytes(rng, len)});
  const auto sent = q;
  run(q);
  ASSERT_EQ(wire_.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(netref::hex(wire_[i].bytes), netref::hex(expected_wire(sent[i].data))) << i;
    EXPECT_FALSE(wire_[i].er);
  }
  EXPECT_EQ(frames_, static_cast<int>(sent.size()));
}

TEST_F(GmiiTx, BackToBackFramesKeepExactlyTheGap) {
  std::mt19937 rng(12);
  std::deque<InFrame> q;
  uint64_t wire_bytes = 0;
  for (int i = 0; i < 30; ++i) {
    q.push_back({random_bytes(rng, 40 + rng() % 300)});
    wire_bytes += 8 + std::max<size_t>(q.back().data.size(), 60) + 4;
  }
  run(q);
  ASSERT_EQ(wire_.size(), 30u);
  for (size_t i = 1; i < wire_.size(); ++i) {
    EXPECT_EQ(wire_[i].start - wire_[i - 1].end, static_cast<uint64_t>(IFG)) << "gap " << i;
  }
  // Line rate: nothing but frames and gaps from the first preamble to the last FCS.
  EXPECT_EQ(wire_.back().end - wire_.front().start, wire_bytes + 29 * IFG);
}

TEST_F(GmiiTx, TuserSendsAnInvalidFcs) {
  std::mt19937 rng(13);
  std::deque<InFrame> q;
  q.push_back({random_bytes(rng, 100), true});
  q.push_back({random_bytes(rng, 10), true});
  q.push_back({random_bytes(rng, 100), false});
  const auto sent = q;
  run(q);
  ASSERT_EQ(wire_.size(), 3u);
  EXPECT_EQ(netref::hex(wire_[0].bytes), netref::hex(expected_wire(sent[0].data, true)));
  EXPECT_EQ(netref::hex(wire_[1].bytes), netref::hex(expected_wire(sent[1].data, true)));
  EXPECT_EQ(netref::hex(wire_[2].bytes), netref::hex(expected_wire(sent[2].data)));
}

TEST_F(GmiiTx, UnderrunEndsTheFrameWithTxErAndTheNextFrameIsFine) {
  std::mt19937 rng(14);
  std::deque<InFrame> q;
  InFrame bad{random_bytes(rng, 120)};
  bad.stall_at = 50;
  q.push_back(bad);
  q.push_back({random_bytes(rng, 80)});
  const auto sent = q;
  run(q);
  ASSERT_EQ(wire_.size(), 2u);
  EXPECT_TRUE(wire_[0].er);
  EXPECT_EQ(wire_[0].bytes.size(), 8u + 50u + 1u);   // preamble, 50 bytes, the TX_ER byte
  EXPECT_EQ(underruns_, 1);
  EXPECT_EQ(netref::hex(wire_[1].bytes), netref::hex(expected_wire(sent[1].data)));
  EXPECT_FALSE(wire_[1].er);
}

}  // namespace
