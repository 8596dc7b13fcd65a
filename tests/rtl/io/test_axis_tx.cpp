// ebpf_axis_tx standalone: frames from a C++ packet-buffer model at every start alignment and
// length, back-pressure (tready toggling), packed tkeep, unused lanes zero, one beat per cycle
// at full rate, empty ranges.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include MODEL_HDR
#include "verilated.h"

namespace {

constexpr uint32_t kWords = 2048;  // AddrW = 11

using Bytes = std::vector<uint8_t>;

class AxisTx : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    mem_.resize(kWords * 8);
    for (auto& b : mem_) b = static_cast<uint8_t>(rng_());
    m_->clk_i = 0;
    m_->rst_ni = 1;
    m_->eval();
    m_->rst_ni = 0;  // a falling edge: the asynchronous reset acts before any clock
    m_->eval();
    m_->start_i = 0;
    m_->start_off_i = 0;
    m_->end_off_i = 0;
    m_->port_i = 0;
    m_->rd_data_i = 0;
    m_->m_axis_tready_i = 0;
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

  uint64_t word(uint32_t w) const {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(mem_[w * 8 + i]) << (8 * i);
    return v;
  }

  // Sends [start, end) on `port`; returns the cycles from start_i to done_o.
  uint64_t send(uint32_t start, uint32_t end, uint32_t port, double ready_prob) {
    std::bernoulli_distribution ready(ready_prob);
    Bytes got;
    bool done = false, started = false, last_seen = false;
    uint64_t cycles = 0;
    const uint64_t limit = 100000;
    while (!done && cycles < limit) {
      m_->start_i = !started;
      m_->start_off_i = static_cast<uint16_t>(start);
      m_->end_off_i = static_cast<uint16_t>(end);
      m_->port_i = static_cast<uint8_t>(port);
      m_->m_axis_tready_i = ready(rng_);
      m_->clk_i = 0;
      m_->eval();
      ++cycles;
      if (!started) {
        EXPECT_FALSE(m_->busy_o) << "busy before start";
      }
      if (m_->m_axis_tvalid_o && m_->m_axis_tready_i) {
        EXPECT_FALSE(last_seen) << "beat after tlast";
        EXPECT_EQ(m_->m_axis_tdest_o, port);
        const uint8_t keep = m_->m_axis_tkeep_o;
        if (!m_->m_axis_tlast_o) {
          EXPECT_EQ(keep, 0xff) << "partial beat before the last";
        } else {
          bool packed = false;
          for (int n = 1; n <= 8; ++n) packed |= keep == ((1u << n) - 1);
          EXPECT_TRUE(packed) << "last tkeep " << int(keep);
          last_seen = true;
        }
        for (int i = 0; i < 8; ++i) {
          const uint8_t b = static_cast<uint8_t>(m_->m_axis_tdata_o >> (8 * i));
          if ((keep >> i) & 1) {
            got.push_back(b);
          } else {
            EXPECT_EQ(b, 0) << "unused lane " << i << " not zero";
          }
        }
      }
      if (m_->done_o) done = true;
      // The read answered in the next cycle; garbage otherwise.
      uint64_t next = rng_();
      if (m_->rd_req_o) {
        EXPECT_GE(m_->rd_addr_o, start / 8);
        EXPECT_LE(m_->rd_addr_o, (end - 1) / 8);
        next = word(m_->rd_addr_o);
      }
      started = true;
      m_->clk_i = 1;
      m_->eval();
      m_->rd_data_i = next;
    }
    m_->start_i = 0;
    EXPECT_TRUE(done) << "no done for [" << start << ", " << end << ")";
    const Bytes want(mem_.begin() + start, mem_.begin() + (end > start ? end : start));
    EXPECT_EQ(got, want) << "[" << start << ", " << end << ")";
    EXPECT_EQ(last_seen, end > start);
    // Idle again.
    m_->clk_i = 0;
    m_->eval();
    EXPECT_FALSE(m_->busy_o);
    EXPECT_FALSE(m_->m_axis_tvalid_o);
    m_->clk_i = 1;
    m_->eval();
    return cycles;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::mt19937_64 rng_{0x7a7a};
  Bytes mem_;
};

TEST_F(AxisTx, EveryAlignmentAndLength1To80) {
  for (uint32_t off = 0; off < 16; ++off) {
    for (uint32_t len = 1; len <= 80; ++len) {
      send(256 + off, 256 + off + len, (off + len) & 3, 1.0);
      if (HasFailure()) return;
    }
  }
}

TEST_F(AxisTx, BackPressure) {
  for (int i = 0; i < 400; ++i) {
    const uint32_t start = 40 + static_cast<uint32_t>(rng_() % 400);
    const uint32_t len = 1 + static_cast<uint32_t>(rng_() % 300);
    send(start, start + len, i & 3, i % 2 ? 0.5 : 0.15);
    if (HasFailure()) return;
  }
}

TEST_F(AxisTx, LargeFrames) {
  for (uint32_t off = 0; off < 8; ++off) {
    for (uint32_t len : {1518u, 9018u, 9018u + 256u - off}) {
      send(256 - 64 + off, 256 - 64 + off + len, 2, off % 2 ? 1.0 : 0.6);
      if (HasFailure()) return;
    }
  }
  // The whole buffer.
  send(0, 9530, 1, 1.0);
}

TEST_F(AxisTx, FullRateOneBeatPerCycle) {
  for (uint32_t off = 0; off < 8; ++off) {
    for (uint32_t len : {64u, 1518u, 9018u}) {
      const uint64_t beats = (len + 7) / 8;
      const uint64_t cycles = send(256 + off, 256 + off + len, 0, 1.0);
      // start, first read (and the second, for an unaligned start), output register, then
      // one beat per cycle.
      EXPECT_LE(cycles, beats + (off == 0 ? 4 : 5)) << "offset " << off << " length " << len;
    }
  }
}

TEST_F(AxisTx, EmptyRangeSendsNothing) {
  send(300, 300, 1, 1.0);
  send(300, 200, 1, 1.0);
  send(256, 320, 1, 1.0);  // and it still works afterwards
}

}  // namespace
