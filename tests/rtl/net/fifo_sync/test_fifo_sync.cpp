// ebpf_prim_fifo_sync: in order and intact under random valid/ready; in frame mode only
// whole good frames come out, never before their tlast, and frames with tuser or larger
// than the FIFO are discarded (s_drop_o) without wedging the writer.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include MODEL_HDR
#include "net_ref.h"
#include "tick.h"
#include "verilated.h"

namespace {

struct Beat {
  uint32_t data;
  bool last, user;
};

TEST(FifoSync, RandomTraffic) {
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(2);
  auto m = std::make_unique<MODEL>(ctx.get());
  m->s_axis_tvalid_i = 0;
  m->m_axis_tready_i = 0;
  reset(*m);
  std::mt19937 rng(4);
  std::vector<std::vector<Beat>> frames;
  for (int f = 0; f < 400; ++f) {
    const int len = 1 + static_cast<int>(rng() % (FRAME ? DEPTH + 8 : 12));
    const bool bad = FRAME && rng() % 4 == 0;
    std::vector<Beat> fr;
    for (int i = 0; i < len; ++i) {
      fr.push_back({static_cast<uint32_t>(rng() & 0xffff), i + 1 == len, bad && i + 1 == len});
    }
    frames.push_back(fr);
  }
  std::vector<Beat> expect;
  int expect_drops = 0;
  for (const auto& fr : frames) {
    const bool drop = FRAME && (fr.back().user || static_cast<int>(fr.size()) > DEPTH);
    expect_drops += drop;
    if (!drop) {
      for (auto b : fr) {
        if (FRAME) b.user = false;
        expect.push_back(b);
      }
    }
  }
  std::vector<Beat> got;
  size_t f = 0, i = 0;
  int drops = 0, frames_done = 0, frames_seen = 0;
  for (int cyc = 0; cyc < 200000 && (f < frames.size() || got.size() < expect.size()); ++cyc) {
    const bool v = f < frames.size() && rng() % 4 != 0;
    m->s_axis_tvalid_i = v;
    if (f < frames.size()) {
      m->s_axis_tdata_i = static_cast<uint16_t>(frames[f][i].data);
      m->s_axis_tlast_i = frames[f][i].last;
      m->s_axis_tuser_i = frames[f][i].user;
    }
    m->m_axis_tready_i = rng() % 3 != 0;
    m->eval();
    const bool take = v && m->s_axis_tready_o;
    drops += take && m->s_drop_o;
    if (m->m_axis_tvalid_o && m->m_axis_tready_i) {
      got.push_back({m->m_axis_tdata_o, static_cast<bool>(m->m_axis_tlast_o),
                     static_cast<bool>(m->m_axis_tuser_o)});
      if (FRAME && got.back().last) {
        ++frames_seen;
        EXPECT_LE(frames_seen, frames_done) << "frame out before its tlast went in";
      }
    }
    tick(*m);
    if (take && frames[f][i].last && !frames[f][i].user) ++frames_done;
    if (take && ++i == frames[f].size()) {
      ++f;
      i = 0;
    }
  }
  ASSERT_EQ(f, frames.size()) << "writer wedged";
  ASSERT_EQ(got.size(), expect.size());
  for (size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].data, expect[k].data) << k;
    EXPECT_EQ(got[k].last, expect[k].last) << k;
    EXPECT_EQ(got[k].user, expect[k].user) << k;
  }
  if (FRAME) {
    EXPECT_EQ(drops, expect_drops);
  }
  m->final();
}

}  // namespace
