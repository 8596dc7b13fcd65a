// ebpf_net_rgmii_phy_if with the generic DDR models: the RGMII transmit pins are looped back
// to the receive pins with the receive clock 90 degrees late (as a PHY's RGMII-ID delay
// would place it), and every GMII symbol (data, TX_EN/RX_DV, TX_ER/RX_ER) must come back
// unchanged and in order. TXC must follow the 90-degree clock.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>

#include MODEL_HDR
#include "net_ref.h"
#include "verilated.h"

namespace {

struct Sym {
  uint8_t d;
  bool en, er;
  bool operator==(const Sym& o) const { return d == o.d && en == o.en && er == o.er; }
};

TEST(Rgmii, LoopbackCarriesEverySymbol) {
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(2);
  auto m = std::make_unique<MODEL>(ctx.get());
  auto loop = [&] {
    m->eval();
    m->rgmii_rxd_i = m->rgmii_txd_o;
    m->rgmii_rx_ctl_i = m->rgmii_tx_ctl_o;
    m->eval();
  };
  std::mt19937 rng(9);
  std::vector<Sym> sent, got;
  uint64_t txc_mismatch = 0;
  netref::MultiClock sim(loop);
  const size_t tx = sim.add(&m->clk_tx_i, 8000, 0, nullptr, [&] {
    Sym s{static_cast<uint8_t>(rng()), rng() % 5 != 0, rng() % 7 == 0};
    sent.push_back(s);
    m->gmii_txd_i = s.d;
    m->gmii_tx_en_i = s.en;
    m->gmii_tx_er_i = s.er;
  });
  sim.add(&m->clk_tx90_i, 8000, 2000, nullptr, nullptr);
  sim.add(&m->rgmii_rxc_i, 8000, 2000,
          [&] {
            got.push_back({m->gmii_rxd_o, static_cast<bool>(m->gmii_rx_dv_o),
                           static_cast<bool>(m->gmii_rx_er_o)});
          },
          nullptr);
  for (int i = 0; i < 2000; ++i) {
    sim.step();
    txc_mismatch += m->rgmii_txc_o != m->clk_tx90_i;
  }
  (void)tx;
  // Find the pipeline latency from the first few symbols, then everything must match.
  ASSERT_GT(got.size(), 200u);
  size_t lat = 0;
  bool found = false;
  for (size_t l = 0; l < 8 && !found; ++l) {
    bool ok = true;
    for (size_t k = 20; k < 120 && ok; ++k) ok = got[k] == sent[k - l];
    if (ok) {
      lat = l;
      found = true;
    }
  }
  ASSERT_TRUE(found) << "no latency makes the looped-back symbols match";
  for (size_t k = 10; k + 1 < got.size() && k - lat < sent.size(); ++k) {
    ASSERT_TRUE(got[k] == sent[k - lat]) << "symbol " << k;
  }
  EXPECT_EQ(txc_mismatch, 0u);
  m->final();
}

}  // namespace
