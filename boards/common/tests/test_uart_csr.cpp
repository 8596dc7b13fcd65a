// ebpf_uart_csr (ClkDiv 8, BusTimeout 20): the UART control protocol against a CSR slave
// model, with a bit-level UART on the test side.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "Vebpf_uart_csr.h"
#include "csr_slave.h"

namespace {

constexpr int kDiv = 8;

class UartCsr : public ::testing::Test {
 protected:
  void SetUp() override {
    m = std::make_unique<Vebpf_uart_csr>();
    m->uart_rx_i = 1;
    m->rst_ni = 0;
    for (int i = 0; i < 3; ++i) tick();
    m->rst_ni = 1;
    for (int i = 0; i < 3 * kDiv; ++i) tick();
  }
  void tick() {
    m->clk_i = 0;
    m->eval();
    slave.sample(*m);
    m->clk_i = 1;
    m->eval();
    slave.step(*m);
    m->eval();
    watch_tx();
  }
  // The test's receiver: samples uart_tx_o in the middle of each bit.
  void watch_tx() {
    const int b = m->uart_tx_o;
    if (rx_phase_ < 0) {
      if (!b) rx_phase_ = 0, rx_cnt_ = 0;
      return;
    }
    if (++rx_cnt_ == kDiv / 2 + rx_phase_ * kDiv) {
      if (rx_phase_ >= 1 && rx_phase_ <= 8) rx_byte_ |= static_cast<uint8_t>(b << (rx_phase_ - 1));
      if (rx_phase_ == 9) {
        if (b) got.push_back(rx_byte_);
        else ++framing_errors;
        rx_phase_ = -1;
        rx_byte_ = 0;
        return;
      }
      ++rx_phase_;
    }
  }
  void send_bits(const std::vector<int>& bits) {
    for (int b : bits) {
      m->uart_rx_i = static_cast<uint8_t>(b);
      for (int i = 0; i < kDiv; ++i) tick();
    }
    m->uart_rx_i = 1;
  }
  void send(uint8_t byte, bool good_stop = true) {
    std::vector<int> bits{0};
    for (int i = 0; i < 8; ++i) bits.push_back((byte >> i) & 1);
    bits.push_back(good_stop ? 1 : 0);
    send_bits(bits);
    if (!good_stop) send_bits({1, 1});
  }
  void send32(uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) send(static_cast<uint8_t>(v >> s));
  }
  // Waits until `n` reply bytes have come (or a generous bound).
  std::vector<uint8_t> reply(size_t n) {
    for (int i = 0; i < 20 * kDiv * 10 && got.size() < n; ++i) tick();
    for (int i = 0; i < 12 * kDiv; ++i) tick();   // and nothing more follows
    std::vector<uint8_t> r = got;
    got.clear();
    return r;
  }

  std::unique_ptr<Vebpf_uart_csr> m;
  CsrSlave slave;
  std::vector<uint8_t> got;
  int framing_errors = 0;
  int rx_phase_ = -1, rx_cnt_ = 0;
  uint8_t rx_byte_ = 0;
};

TEST_F(UartCsr, WriteThenRead) {
  send('w');
  send32(0x0000'0100);
  send32(0xcafe'f00d);
  EXPECT_EQ(reply(1), std::vector<uint8_t>{'k'});
  ASSERT_EQ(slave.log.size(), 1u);
  EXPECT_TRUE(slave.log[0].we);
  EXPECT_EQ(slave.log[0].addr, 0x100u);
  EXPECT_EQ(slave.log[0].wdata, 0xcafef00du);

  send('r');
  send32(0x0007'f000);
  const uint32_t v = CsrSlave::value_of(0x7f000);
  EXPECT_EQ(reply(5), (std::vector<uint8_t>{'d', static_cast<uint8_t>(v >> 24),
                                            static_cast<uint8_t>(v >> 16),
                                            static_cast<uint8_t>(v >> 8),
                                            static_cast<uint8_t>(v)}));
  ASSERT_EQ(slave.log.size(), 2u);
  EXPECT_FALSE(slave.log[1].we);
  EXPECT_EQ(framing_errors, 0);
}

TEST_F(UartCsr, BadCommandsAddressesAndTimeouts) {
  send('x');
  EXPECT_EQ(reply(1), std::vector<uint8_t>{'?'});
  send('r');
  send32(0x0010'0000);            // outside the 1 MiB CSR map
  EXPECT_EQ(reply(1), std::vector<uint8_t>{'a'});
  send('w');
  send32(0x0000'0102);            // misaligned
  send32(1);
  EXPECT_EQ(reply(1), std::vector<uint8_t>{'a'});
  EXPECT_TRUE(slave.log.empty());
  slave.silent.insert(0x40);
  send('r');
  send32(0x40);
  EXPECT_EQ(reply(1), std::vector<uint8_t>{'e'});
  // still working afterwards
  send('r');
  send32(0x44);
  EXPECT_EQ(reply(5).size(), 5u);
}

TEST_F(UartCsr, AByteWithABadStopBitIsDropped) {
  send('r', false);               // framing error: not a command
  EXPECT_TRUE(reply(1).empty());
  send('r');
  send32(0x8);
  const std::vector<uint8_t> r = reply(5);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0], 'd');
}

}  // namespace
