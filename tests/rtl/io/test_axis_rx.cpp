// ebpf_axis_rx standalone: frames of every length into a C++ packet-buffer model, oversize
// and malformed frames consumed and counted (never cut, never written past the limit), random
// tkeep on the last beat, bursty ingress, a slow sequencer, no loss and no reordering.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include MODEL_HDR
#include "verilated.h"

namespace {

constexpr uint32_t kMaxFrame = MAX_FRAME;
constexpr uint32_t kNumPorts = NUM_PORTS;
constexpr uint32_t kHeadroom = 256;
constexpr uint32_t kBufBytes = 2048 * 8;  // AddrW = 11

using Bytes = std::vector<uint8_t>;

struct Frame {
  Bytes bytes;
  uint32_t port = 0;
  int last_keep = -1;     // >= 0: tkeep of the last beat instead of the right one
  int bad_mid_beat = -1;  // >= 0: this beat (not the last) gets tkeep 0x7f
};

enum class Outcome { kGood, kOversize, kMalformed };

bool keep_ok(uint8_t keep) {
  for (int n = 1; n <= 8; ++n) {
    if (keep == ((1u << n) - 1)) return true;
  }
  return false;
}

Outcome expect(const Frame& f) {
  const size_t beats = (f.bytes.size() + 7) / 8;
  bool bad = f.port >= kNumPorts;
  if (f.bad_mid_beat >= 0 && static_cast<size_t>(f.bad_mid_beat) + 1 < beats) bad = true;
  if (f.last_keep >= 0 && !keep_ok(static_cast<uint8_t>(f.last_keep))) bad = true;
  if (bad) return Outcome::kMalformed;
  size_t len = f.bytes.size();
  if (f.last_keep >= 0) {  // a valid override changes the byte count of the last beat
    len = (beats - 1) * 8 + static_cast<size_t>(__builtin_popcount(static_cast<unsigned>(f.last_keep)));
  }
  return len > kMaxFrame ? Outcome::kOversize : Outcome::kGood;
}

class AxisRx : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    buf_.assign(kBufBytes, 0xee);
    m_->clk_i = 0;
    m_->rst_ni = 1;
    m_->eval();
    m_->rst_ni = 0;  // a falling edge: the asynchronous reset acts before any clock
    m_->eval();
    m_->s_axis_tvalid_i = 0;
    m_->s_axis_tdata_i = 0;
    m_->s_axis_tkeep_i = 0;
    m_->s_axis_tlast_i = 0;
    m_->s_axis_tuser_i = 0;
    m_->en_i = 0;
    m_->frame_ack_i = 0;
    for (int i = 0; i < 3; ++i) edge();
    m_->rst_ni = 1;
    edge();
  }
  void TearDown() override { m_->final(); }

  void edge() {
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
  }

  // Queues the beats of a frame.
  void send(const Frame& f) {
    const size_t beats = (f.bytes.size() + 7) / 8;
    for (size_t b = 0; b < beats; ++b) {
      uint64_t data = 0;
      uint8_t keep = 0;
      for (size_t i = 0; i < 8 && b * 8 + i < f.bytes.size(); ++i) {
        data |= static_cast<uint64_t>(f.bytes[b * 8 + i]) << (8 * i);
        keep |= static_cast<uint8_t>(1u << i);
      }
      const bool last = b + 1 == beats;
      if (last && f.last_keep >= 0) keep = static_cast<uint8_t>(f.last_keep);
      if (!last && static_cast<int>(b) == f.bad_mid_beat) keep = 0x7f;
      beats_.push_back({data, keep, last, f.port});
    }
    const Outcome o = expect(f);
    ++sent_;
    if (o == Outcome::kGood) {
      Frame g = f;
      if (f.last_keep >= 0) {
        g.bytes.resize((beats - 1) * 8 + static_cast<size_t>(__builtin_popcount(
                                               static_cast<unsigned>(f.last_keep))));
      }
      good_.push_back(g);
    } else if (o == Outcome::kOversize) {
      ++want_oversize_;
    } else {
      ++want_malformed_;
    }
    if (f.port < kNumPorts) ++want_port_[f.port];
  }

  // Runs until every queued beat is in and every good frame checked (or a timeout).
  void run(double valid_prob = 1.0, double en_prob = 1.0, int max_ack_delay = 0) {
    std::bernoulli_distribution valid(valid_prob), en(en_prob);
    std::uniform_int_distribution<int> delay(0, max_ack_delay);
    uint64_t cycles = 0;
    const uint64_t limit = 200000 + 40 * beats_.size();
    while ((!beats_.empty() || checked_ < good_total()) && cycles++ < limit) {
      const bool v = !beats_.empty() && valid(rng_);
      if (v) {
        const Beat& b = beats_.front();
        m_->s_axis_tdata_i = b.data;
        m_->s_axis_tkeep_i = b.keep;
        m_->s_axis_tlast_i = b.last;
        m_->s_axis_tuser_i = static_cast<uint8_t>(b.user);
      } else {
        m_->s_axis_tdata_i = rng_();  // garbage while not valid
        m_->s_axis_tkeep_i = static_cast<uint8_t>(rng_());
        m_->s_axis_tlast_i = rng_() & 1;
        m_->s_axis_tuser_i = rng_() & 3;
      }
      m_->s_axis_tvalid_i = v;
      m_->en_i = en(rng_);
      m_->frame_ack_i = 0;
      if (pending_ack_ && ack_wait_ == 0) m_->frame_ack_i = 1;
      m_->clk_i = 0;
      m_->eval();
      sample();
      if (m_->frame_ack_i) pending_ack_ = false;
      if (pending_ack_ && ack_wait_ > 0) --ack_wait_;
      if (m_->frame_valid_o && !pending_ack_ && !seen_valid_) {
        check_frame();
        seen_valid_ = true;
        pending_ack_ = true;
        ack_wait_ = delay(rng_);
      }
      if (!m_->frame_valid_o) seen_valid_ = false;
      if (v && m_->s_axis_tready_o) beats_.pop_front();
      m_->clk_i = 1;
      m_->eval();
    }
    ASSERT_LT(cycles, limit) << "timed out: " << beats_.size() << " beats left, "
                             << checked_ << " of " << good_total() << " frames checked";
    // Let the last drop pulses come out.
    m_->s_axis_tvalid_i = 0;
    for (int i = 0; i < 4; ++i) {
      m_->clk_i = 0;
      m_->eval();
      sample();
      m_->clk_i = 1;
      m_->eval();
    }
  }

  size_t good_total() const { return good_.size() + checked_; }

  void sample() {
    // Registered outputs, before the edge.
    if (m_->wr_req_o) {
      const uint32_t word = m_->wr_addr_o;
      for (uint32_t i = 0; i < 8; ++i) {
        if (!((m_->wr_mask_o >> i) & 1)) continue;
        const uint32_t a = word * 8 + i;
        ASSERT_GE(a, kHeadroom) << "write into the headroom";
        ASSERT_LT(a, kHeadroom + kMaxFrame) << "write past the frame limit";
        buf_[a] = static_cast<uint8_t>(m_->wr_data_o >> (8 * i));
        if (a + 1 > max_written_) max_written_ = a + 1;
      }
    }
    if (m_->s_axis_tvalid_i && m_->s_axis_tready_o && m_->sof_o) max_written_ = 0;
    if (m_->frame_valid_o) {
      EXPECT_FALSE(m_->s_axis_tready_o) << "ready while the buffer holds a frame";
    }
    if (m_->eof_o) {
      ++eofs_;
      if (m_->eof_port_o < kNumPorts) ++port_[m_->eof_port_o];
    }
    oversize_ += m_->drop_oversize_o;
    malformed_ += m_->drop_malformed_o;
    if (m_->drop_oversize_o || m_->drop_malformed_o) {
      EXPECT_TRUE(m_->eof_o) << "drop pulse without eof";
    }
  }

  void check_frame() {
    ASSERT_FALSE(good_.empty()) << "frame handed on that should have been dropped (len "
                                << m_->frame_len_o << ")";
    const Frame f = good_.front();
    good_.pop_front();
    ++checked_;
    ASSERT_EQ(m_->frame_len_o, f.bytes.size()) << "frame " << checked_;
    ASSERT_EQ(m_->frame_port_o, f.port) << "frame " << checked_;
    ASSERT_EQ(max_written_, kHeadroom + f.bytes.size()) << "bytes written past the frame";
    for (size_t i = 0; i < f.bytes.size(); ++i) {
      ASSERT_EQ(buf_[kHeadroom + i], f.bytes[i]) << "frame " << checked_ << " byte " << i;
    }
  }

  void finish() {
    EXPECT_TRUE(good_.empty()) << good_.size() << " good frames never handed on";
    EXPECT_EQ(oversize_, want_oversize_);
    EXPECT_EQ(malformed_, want_malformed_);
    EXPECT_EQ(eofs_, sent_);
    for (uint32_t p = 0; p < kNumPorts; ++p) EXPECT_EQ(port_[p], want_port_[p]) << "port " << p;
  }

  Frame random_frame(size_t len) {
    Frame f;
    f.bytes.resize(len);
    for (auto& b : f.bytes) b = static_cast<uint8_t>(rng_());
    f.port = static_cast<uint32_t>(rng_() % kNumPorts);
    return f;
  }

  struct Beat {
    uint64_t data;
    uint8_t keep;
    bool last;
    uint32_t user;
  };

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::mt19937_64 rng_{0x5eed};
  Bytes buf_;
  std::deque<Beat> beats_;
  std::deque<Frame> good_;
  size_t checked_ = 0, sent_ = 0, eofs_ = 0;
  size_t oversize_ = 0, malformed_ = 0, want_oversize_ = 0, want_malformed_ = 0;
  size_t port_[8] = {}, want_port_[8] = {};
  uint32_t max_written_ = 0;
  bool pending_ack_ = false, seen_valid_ = false;
  int ack_wait_ = 0;
};

TEST_F(AxisRx, EveryLength1To80) {
  for (size_t len = 1; len <= 80; ++len) send(random_frame(len));
  run();
  finish();
  EXPECT_EQ(checked_, 80u);
}

TEST_F(AxisRx, LargeFramesAndOversize) {
  for (size_t len : {size_t{1518}, size_t{1519}, size_t{9018}, size_t{9019}, size_t{9024},
                     size_t{kMaxFrame}, size_t{kMaxFrame + 1}, size_t{kMaxFrame + 8},
                     size_t{kMaxFrame - 1}, size_t{12000}, size_t{64}}) {
    send(random_frame(len));
  }
  run();
  finish();
  EXPECT_EQ(oversize_, kMaxFrame >= 9018 ? 5u : 7u);
}

TEST_F(AxisRx, OversizeFrameIsNotCutAndTheNextFrameIsIntact) {
  // The oversize frame's tail must not leak into the next frame.
  send(random_frame(kMaxFrame + 100));
  send(random_frame(60));
  send(random_frame(kMaxFrame + 1));
  send(random_frame(kMaxFrame));
  run(0.7, 1.0, 5);
  finish();
  EXPECT_EQ(checked_, 2u);
}

TEST_F(AxisRx, RandomTkeepOnTheLastBeat) {
  for (int i = 0; i < 300; ++i) {
    Frame f = random_frame(1 + rng_() % 200);
    f.last_keep = static_cast<int>(rng_() & 0xff);
    if (i % 3 == 0) {  // a valid keep more often than chance
      f.last_keep = static_cast<int>((1u << (1 + rng_() % 8)) - 1);
    }
    send(f);
  }
  run(0.8, 1.0, 3);
  finish();
  EXPECT_GT(malformed_, 0u);
  EXPECT_GT(checked_, 100u);
}

TEST_F(AxisRx, BadKeepInsideAFrameAndBadPorts) {
  for (int i = 0; i < 100; ++i) {
    Frame f = random_frame(9 + rng_() % 100);
    if (i % 2 == 0) f.bad_mid_beat = static_cast<int>(rng_() % ((f.bytes.size() - 1) / 8));
    if (i % 5 == 0) f.port = static_cast<uint32_t>(rng_() % 4);  // NumPorts 3: port 3 is bad
    send(f);
  }
  run(0.9, 0.9, 2);
  finish();
  EXPECT_GE(malformed_, 50u);
}

TEST_F(AxisRx, BurstyIngressSlowSequencerManyFrames) {
  std::uniform_int_distribution<size_t> len(1, 300);
  for (int i = 0; i < 2000; ++i) send(random_frame(len(rng_)));
  run(0.5, 0.6, 20);
  finish();
  EXPECT_EQ(checked_, 2000u);
}

TEST_F(AxisRx, BackToBackFullRate) {
  // With en_i high and immediate acks, a frame of n beats takes n + 2 cycles.
  for (int i = 0; i < 200; ++i) send(random_frame(64));
  run();
  finish();
  EXPECT_EQ(checked_, 200u);
}

}  // namespace
