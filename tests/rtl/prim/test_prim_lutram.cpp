// ebpf_prim_lutram_flagged (rtl/prim/): reads 0 until written and after every reset or clear,
// whatever the RAM holds; reads back what was written on every port; a read during a write sees the old
// contents; with a Depth that is not a power of two, the addresses beyond it are never
// written (nothing aliases onto the entries that exist) and read 0.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>

#include "Vtb_prim_lutram.h"
#include "verilated.h"

namespace {

constexpr unsigned kAddrs = 8;       // the 3-bit address bus
constexpr unsigned kOddDepth = 5;    // u_odd; u_even has Depth 8

class PrimLutram : public ::testing::Test {
 protected:
  PrimLutram() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(2);   // the RAM starts with random contents, as LUT RAM would
    m_ = std::make_unique<Vtb_prim_lutram>(ctx_.get());
    m_->clear_i = 0;
    m_->we_i = 0;
    m_->waddr_i = 0;
    m_->wdata_i = 0;
    m_->raddr_i = 0;
    reset();
  }
  ~PrimLutram() override { m_->final(); }

  void reset() {
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->eval();
    tick();
    m_->rst_ni = 1;
    m_->eval();
  }
  void tick() {
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
    m_->clk_i = 0;
    m_->eval();
  }
  void write(unsigned addr, uint16_t value) {
    m_->we_i = 1;
    m_->waddr_i = static_cast<uint8_t>(addr);
    m_->wdata_i = value;
    tick();
    m_->we_i = 0;
    m_->eval();
  }
  // Port 0 reads a0 and port 1 reads a1; returns {odd port 0, odd port 1, even 0, even 1}.
  std::array<uint16_t, 4> read(unsigned a0, unsigned a1) {
    m_->raddr_i = static_cast<uint8_t>((a1 << 3) | a0);
    m_->eval();
    return {static_cast<uint16_t>(m_->odd_rdata_o & 0xfff),
            static_cast<uint16_t>((m_->odd_rdata_o >> 12) & 0xfff),
            static_cast<uint16_t>(m_->even_rdata_o & 0xfff),
            static_cast<uint16_t>((m_->even_rdata_o >> 12) & 0xfff)};
  }

  static uint16_t value_for(unsigned addr) { return static_cast<uint16_t>(0xa50 + addr); }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtb_prim_lutram> m_;
};

TEST_F(PrimLutram, ReadsZeroUntilWritten) {
  for (unsigned a = 0; a < kAddrs; ++a) {
    const auto r = read(a, kAddrs - 1 - a);
    for (unsigned p = 0; p < 4; ++p) EXPECT_EQ(r[p], 0u) << "address " << a << " port " << p;
  }
  write(2, value_for(2));
  for (unsigned a = 0; a < kAddrs; ++a) {
    const auto r = read(a, a);
    const uint16_t want = a == 2 ? value_for(2) : 0;
    EXPECT_EQ(r[0], want) << "odd, address " << a;
    EXPECT_EQ(r[1], want) << "odd, address " << a;
    EXPECT_EQ(r[2], want) << "even, address " << a;
    EXPECT_EQ(r[3], want) << "even, address " << a;
  }
}

TEST_F(PrimLutram, EveryPortReadsBackWhatWasWritten) {
  for (unsigned a = 0; a < kAddrs; ++a) write(a, value_for(a));
  for (unsigned a = 0; a < kAddrs; ++a) {
    const unsigned b = (a + 3) % kAddrs;
    const auto r = read(a, b);
    EXPECT_EQ(r[0], a < kOddDepth ? value_for(a) : 0u) << "odd port 0, address " << a;
    EXPECT_EQ(r[1], b < kOddDepth ? value_for(b) : 0u) << "odd port 1, address " << b;
    EXPECT_EQ(r[2], value_for(a)) << "even port 0, address " << a;
    EXPECT_EQ(r[3], value_for(b)) << "even port 1, address " << b;
  }
}

TEST_F(PrimLutram, AddressesBeyondDepthNeitherStoreNorAlias) {
  for (unsigned a = 0; a < kOddDepth; ++a) write(a, value_for(a));
  // Writes to 5, 6, 7 would land on 1, 2, 3 of a 4-entry array or on random words if the
  // address were not checked.
  for (unsigned a = kOddDepth; a < kAddrs; ++a) write(a, 0x777);
  for (unsigned a = 0; a < kAddrs; ++a) {
    const auto r = read(a, a);
    EXPECT_EQ(r[0], a < kOddDepth ? value_for(a) : 0u) << "address " << a;
    EXPECT_EQ(r[1], r[0]) << "address " << a;
  }
}

TEST_F(PrimLutram, ReadDuringWriteSeesTheOldContents) {
  write(3, 0x111);
  m_->we_i = 1;
  m_->waddr_i = 3;
  m_->wdata_i = 0x222;
  auto r = read(3, 3);
  EXPECT_EQ(r[0], 0x111u);
  EXPECT_EQ(r[2], 0x111u);
  tick();
  m_->we_i = 0;
  r = read(3, 3);
  EXPECT_EQ(r[0], 0x222u);
  EXPECT_EQ(r[2], 0x222u);
  // The first write of an entry: before the edge it still reads 0.
  m_->we_i = 1;
  m_->waddr_i = 4;
  m_->wdata_i = 0x333;
  r = read(4, 4);
  EXPECT_EQ(r[0], 0u);
  EXPECT_EQ(r[2], 0u);
  tick();
  m_->we_i = 0;
  r = read(4, 4);
  EXPECT_EQ(r[0], 0x333u);
  EXPECT_EQ(r[2], 0x333u);
}

TEST_F(PrimLutram, ResetEmptiesEveryEntryAgain) {
  for (unsigned a = 0; a < kAddrs; ++a) write(a, value_for(a));
  reset();
  for (unsigned a = 0; a < kAddrs; ++a) {
    const auto r = read(a, a);
    for (unsigned p = 0; p < 4; ++p) EXPECT_EQ(r[p], 0u) << "address " << a << " port " << p;
  }
}

TEST_F(PrimLutram, ClearEmptiesEveryEntryButAWriteInTheSameCycleLands) {
  for (unsigned a = 0; a < kAddrs; ++a) write(a, value_for(a));
  m_->clear_i = 1;
  m_->we_i = 1;
  m_->waddr_i = 6;
  m_->wdata_i = 0x666;
  auto r = read(6, 1);   // before the edge: the old contents
  EXPECT_EQ(r[2], value_for(6));
  EXPECT_EQ(r[3], value_for(1));
  tick();
  m_->clear_i = 0;
  m_->we_i = 0;
  for (unsigned a = 0; a < kAddrs; ++a) {
    r = read(a, a);
    EXPECT_EQ(r[2], a == 6 ? 0x666u : 0u) << "even, address " << a;
    EXPECT_EQ(r[0], 0u) << "odd, address " << a;   // 6 is beyond Depth 5
  }
  // Entries written after a clear read back as usual.
  write(1, 0x101);
  r = read(1, 6);
  EXPECT_EQ(r[0], 0x101u);
  EXPECT_EQ(r[2], 0x101u);
  EXPECT_EQ(r[3], 0x666u);
}

}  // namespace
