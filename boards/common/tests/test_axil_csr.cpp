// ebpf_axil_csr: AXI4-Lite slave -> CSR bus, against a CSR slave model.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "Vebpf_axil_csr.h"
#include "csr_slave.h"

namespace {

constexpr uint32_t kCsrSpace = 1u << 20;   // ebpf_csr_pkg::CsrAw = 20
constexpr int kOkay = 0, kSlvErr = 2;

class AxilCsr : public ::testing::Test {
 protected:
  void SetUp() override {
    m = std::make_unique<Vebpf_axil_csr>();
    m->rst_ni = 0;
    for (int i = 0; i < 3; ++i) tick();
    m->rst_ni = 1;
    tick();
  }
  // One clock: inputs were set before; the slave model sees the request at the edge.
  void tick() {
    m->clk_i = 0;
    m->eval();
    slave.sample(*m);   // combinational request outputs of this cycle
    m->clk_i = 1;
    m->eval();
    slave.step(*m);
    m->eval();
    ++cycles;
  }
  // A write; aw_first_gap/w_first_gap delay each half by that many cycles.
  int write(uint32_t addr, uint32_t data, uint8_t strb = 0xf, int aw_delay = 0,
            int w_delay = 0) {
    bool aw_done = false, w_done = false;
    for (int t = 0; !(aw_done && w_done); ++t) {
      if (t > 100) ADD_FAILURE() << "write not accepted";
      if (t > 100) return -1;
      m->s_axil_awvalid_i = !aw_done && t >= aw_delay;
      m->s_axil_awaddr_i = addr;
      m->s_axil_wvalid_i = !w_done && t >= w_delay;
      m->s_axil_wdata_i = data;
      m->s_axil_wstrb_i = strb;
      m->eval();
      const bool aw_hs = m->s_axil_awvalid_i && m->s_axil_awready_o;
      const bool w_hs = m->s_axil_wvalid_i && m->s_axil_wready_o;
      tick();
      aw_done |= aw_hs;
      w_done |= w_hs;
    }
    m->s_axil_awvalid_i = 0;
    m->s_axil_wvalid_i = 0;
    return wait_b();
  }
  int wait_b(int ready_delay = 0) {
    for (int t = 0; t < 1000; ++t) {
      m->s_axil_bready_i = t >= ready_delay;
      m->eval();
      if (m->s_axil_bvalid_o && m->s_axil_bready_i) {
        const int resp = m->s_axil_bresp_o;
        tick();
        m->s_axil_bready_i = 0;
        return resp;
      }
      tick();
    }
    ADD_FAILURE() << "no write response";
    return -1;
  }
  int read(uint32_t addr, uint32_t& data, int ready_delay = 0) {
    m->s_axil_arvalid_i = 1;
    m->s_axil_araddr_i = addr;
    for (int t = 0;; ++t) {
      m->eval();
      const bool hs = m->s_axil_arready_o;
      tick();
      if (hs) break;
      if (t > 100) {
        ADD_FAILURE() << "read address not accepted";
        return -1;
      }
    }
    m->s_axil_arvalid_i = 0;
    for (int t = 0; t < 1000; ++t) {
      m->s_axil_rready_i = t >= ready_delay;
      m->eval();
      if (m->s_axil_rvalid_o && m->s_axil_rready_i) {
        data = m->s_axil_rdata_o;
        const int resp = m->s_axil_rresp_o;
        tick();
        m->s_axil_rready_i = 0;
        return resp;
      }
      tick();
    }
    ADD_FAILURE() << "no read response";
    return -1;
  }

  std::unique_ptr<Vebpf_axil_csr> m;
  CsrSlave slave;
  uint64_t cycles = 0;
};

TEST_F(AxilCsr, WritesReachTheBusOnce) {
  EXPECT_EQ(write(0x100, 0xdeadbeef), kOkay);
  EXPECT_EQ(write(0x7f000, 0x1234, 0xf, 3, 0), kOkay);   // address first, data later
  EXPECT_EQ(write(0x8, 0x55aa, 0xf, 0, 4), kOkay);       // data first
  ASSERT_EQ(slave.log.size(), 3u);
  EXPECT_TRUE(slave.log[0].we);
  EXPECT_EQ(slave.log[0].addr, 0x100u);
  EXPECT_EQ(slave.log[0].wdata, 0xdeadbeefu);
  EXPECT_EQ(slave.log[1].addr, 0x7f000u);
  EXPECT_EQ(slave.log[1].wdata, 0x1234u);
  EXPECT_EQ(slave.log[2].addr, 0x8u);
  EXPECT_EQ(slave.log[2].wdata, 0x55aau);
}

TEST_F(AxilCsr, ReadsReturnTheSlavesData) {
  for (uint32_t a : {0x0u, 0x4u, 0x1000u, 0xffffcu}) {
    uint32_t d = 0;
    EXPECT_EQ(read(a, d, static_cast<int>(a & 3)), kOkay) << a;
    EXPECT_EQ(d, CsrSlave::value_of(a)) << a;
  }
  ASSERT_EQ(slave.log.size(), 4u);
  for (const auto& x : slave.log) EXPECT_FALSE(x.we);
}

TEST_F(AxilCsr, UnmappedAndPartialAccessesAreRefusedWithoutTouchingTheBus) {
  EXPECT_EQ(write(kCsrSpace, 1), kSlvErr);        // above the CSR map
  EXPECT_EQ(write(0x102, 1), kSlvErr);            // misaligned
  EXPECT_EQ(write(0x100, 1, 0x3), kSlvErr);       // partial write
  uint32_t d = 0;
  EXPECT_EQ(read(0x8000'0000u, d), kSlvErr);
  EXPECT_EQ(d, 0xdeadbeefu);
  EXPECT_EQ(read(0x101, d), kSlvErr);
  EXPECT_TRUE(slave.log.empty());
  // and the bridge still works
  EXPECT_EQ(write(0x100, 7), kOkay);
  EXPECT_EQ(read(0x100, d), kOkay);
  EXPECT_EQ(d, CsrSlave::value_of(0x100));
}

TEST_F(AxilCsr, AReadNobodyAnswersTimesOutWithSlvErr) {
  slave.silent.insert(0x200);
  uint32_t d = 0;
  const uint64_t t0 = cycles;
  EXPECT_EQ(read(0x200, d), kSlvErr);
  EXPECT_EQ(d, 0xdeadbeefu);
  EXPECT_GE(cycles - t0, 255u);      // BusTimeout
  EXPECT_LT(cycles - t0, 300u);
  EXPECT_EQ(read(0x204, d), kOkay);  // not wedged
  EXPECT_EQ(d, CsrSlave::value_of(0x204));
}

}  // namespace
