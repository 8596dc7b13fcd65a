// ebpf_prim_fifo_async across unrelated clocks: every beat arrives once, in order, unchanged;
// in frame mode only whole good frames arrive, never before their tlast was written, bad
// (tuser) frames and frames that cannot fit are dropped and counted; with DropWhenFull the
// writer is never held.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <tuple>
#include <type_traits>

#include MODEL_HDR
#include "net_ref.h"
#include "verilated.h"

namespace {

constexpr uint64_t kDataMask = DATAW >= 64 ? ~0ull : ((1ull << DATAW) - 1);
constexpr unsigned kKeepW = DATAW / 8;

struct Beat {
  uint64_t data = 0;
  uint32_t keep = 0;
  bool last = false, user = false;
  int frame = 0;
  bool operator==(const Beat& o) const {
    return data == o.data && keep == o.keep && last == o.last && frame == o.frame;
  }
};

// (writer period ps, reader period ps, reader phase ps)
using Ratio = std::tuple<uint64_t, uint64_t, uint64_t>;

class FifoAsync : public ::testing::TestWithParam<Ratio> {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
  }
  void TearDown() override { m_->final(); }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
};

TEST_P(FifoAsync, BeatsAndFramesCrossIntact) {
  const auto [wp, rp, phase] = GetParam();
  std::mt19937 rng(static_cast<uint32_t>(wp * 31 + rp * 7 + phase));

  // The frames to write: lengths 1..1.5x depth (frame mode: some cannot fit), some bad.
  std::vector<std::vector<Beat>> frames;
  for (int f = 0; f < 300; ++f) {
    const int len = 1 + static_cast<int>(rng() % (FRAME ? DEPTH + DEPTH / 2 : 24));
    const bool bad = FRAME && rng() % 5 == 0;
    std::vector<Beat> fr;
    for (int i = 0; i < len; ++i) {
      Beat b;
      b.data = ((uint64_t{rng()} << 32) | rng()) & kDataMask;
      b.keep = kKeepW == 1 ? 1u : ((1u << (1 + rng() % kKeepW)) - 1);
      b.last = i + 1 == len;
      b.user = b.last && bad;
      b.frame = f;
      fr.push_back(b);
    }
    frames.push_back(fr);
  }

  size_t wf = 0, wi = 0;                    // next beat to write
  std::vector<uint64_t> commit_ps(frames.size(), UINT64_MAX);
  std::vector<Beat> got;
  std::vector<uint64_t> got_ps;
  int drop_bad = 0, drop_full = 0;
  bool ever_held = false;
  bool wvalid = false;

  netref::MultiClock sim([&] { m_->eval(); });
  m_->s_rst_ni = 0;
  m_->m_rst_ni = 0;
  m_->s_axis_tvalid_i = 0;
  m_->m_axis_tready_i = 0;

  const size_t ws = sim.add(&m_->s_clk_i, wp, 0,
      [&] {  // before the writer's edge
        if (!m_->s_rst_ni) return;
        drop_bad += m_->s_drop_bad_o;
        drop_full += m_->s_drop_full_o;
        if (wvalid && !m_->s_axis_tready_o) ever_held = true;
        if (wvalid && m_->s_axis_tready_o) {
          if (frames[wf][wi].last) commit_ps[wf] = sim.now();
          if (++wi == frames[wf].size()) {
            ++wf;
            wi = 0;
          }
        }
      },
      [&] {  // after it: the next beat, with random idle cycles
        wvalid = m_->s_rst_ni && wf < frames.size() && rng() % 4 != 0;
        m_->s_axis_tvalid_i = wvalid;
        if (wf < frames.size()) {
          const Beat& b = frames[wf][wi];
          using DataT = std::remove_reference_t<decltype(m_->s_axis_tdata_i)>;
          using KeepT = std::remove_reference_t<decltype(m_->s_axis_tkeep_i)>;
          m_->s_axis_tdata_i = static_cast<DataT>(b.data);
          m_->s_axis_tkeep_i = static_cast<KeepT>(b.keep);
          m_->s_axis_tlast_i = b.last;
          m_->s_axis_tuser_i = b.user;
        }
      });
  const size_t rs = sim.add(&m_->m_clk_i, rp, phase,
      [&] {
        if (!m_->m_rst_ni) return;
        if (m_->m_axis_tvalid_o && m_->m_axis_tready_i) {
          Beat b;
          b.data = m_->m_axis_tdata_o;
          b.keep = m_->m_axis_tkeep_o;
          b.last = m_->m_axis_tlast_o;
          b.user = m_->m_axis_tuser_o;
          b.frame = -1;
          got.push_back(b);
          got_ps.push_back(sim.now());
        }
      },
      [&] { m_->m_axis_tready_i = rng() % 3 != 0; });

  sim.run(ws, 4);
  m_->s_rst_ni = 1;
  m_->m_rst_ni = 1;
  while (wf < frames.size()) sim.step();
  sim.run(rs, 4 * DEPTH + 200);
  sim.run(ws, 20);

  // Expected: every beat (stream), or the good frames that were not dropped (frame mode).
  size_t gi = 0;
  int delivered_frames = 0;
  for (size_t f = 0; f < frames.size() && gi <= got.size(); ++f) {
    const auto& fr = frames[f];
    const bool bad = fr.back().user;
    if (FRAME && bad) continue;
    // Frame mode: a good frame either arrives whole here, or was dropped for room.
    bool match = gi + fr.size() <= got.size();
    for (size_t i = 0; match && i < fr.size(); ++i) {
      Beat e = fr[i];
      Beat g = got[gi + i];
      g.frame = e.frame;
      if (FRAME) e.user = false;
      match = g == e && g.user == e.user;
    }
    if (!match) {
      ASSERT_TRUE(FRAME) << "stream beat " << gi << " differs (frame " << f << ")";
      if (!DROP) {
        ASSERT_GT(static_cast<int>(fr.size()), DEPTH) << "frame " << f << " lost";
      }
      continue;
    }
    if (FRAME) {
      EXPECT_GT(got_ps[gi], commit_ps[f]) << "frame " << f << " visible before its tlast";
    }
    gi += fr.size();
    ++delivered_frames;
  }
  EXPECT_EQ(gi, got.size()) << "beats that belong to no frame";
  if (FRAME) {
    int good = 0, bad = 0;
    for (const auto& fr : frames) (fr.back().user ? bad : good)++;
    EXPECT_EQ(drop_bad, bad);
    EXPECT_EQ(drop_full, good - delivered_frames);
    if (!DROP) {
      int too_big = 0;
      for (const auto& fr : frames) {
        too_big += !fr.back().user && static_cast<int>(fr.size()) > DEPTH;
      }
      EXPECT_EQ(drop_full, too_big);
    }
  } else {
    EXPECT_EQ(delivered_frames, static_cast<int>(frames.size()));
  }
  if (DROP) {
    EXPECT_FALSE(ever_held) << "DropWhenFull must never hold the writer";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ratios, FifoAsync,
    ::testing::Values(Ratio{8000, 10000, 0}, Ratio{10000, 8000, 0}, Ratio{7000, 3000, 0},
                      Ratio{3000, 7000, 0}, Ratio{8000, 8000, 1234}, Ratio{13000, 5000, 2500},
                      Ratio{8000, 8130, 0}),
    [](const ::testing::TestParamInfo<Ratio>& i) {
      return "w" + std::to_string(std::get<0>(i.param)) + "_r" +
             std::to_string(std::get<1>(i.param)) + "_p" + std::to_string(std::get<2>(i.param));
    });

}  // namespace
