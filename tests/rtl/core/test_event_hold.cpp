// The event FIFO's HOLD mode (EVT_CTRL / EVT_ACK / EVT_LOST, docs/register-map.md "Event
// FIFO") through ebpf_top's CSR bus: records accumulate across runs while HOLD is set, an
// acknowledgement of every committed byte empties the FIFO, events that do not fit the
// memory left are refused with the per-run overflow's errno and counted, and with HOLD clear
// every run starts from an empty FIFO as before.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <string>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_sim_harness.h"

namespace ebpf {
namespace {

using sim::Harness;

// "hi!" (with its NUL) on the stack, then trace_printk(fp - 8, 4): a 27-byte record (24
// argument bytes and the 3 format bytes), 16 + 32 memory bytes, 8 + 32 bytes of per-run room.
constexpr uint32_t kRecordBytes = 48;
constexpr uint32_t kRecordCost = 40;
const std::string kPrintk = "stw [%r10-8], 0x00216968\nmov %r1, %r10\nadd %r1, -8\nmov %r2, 4\n"
                            "call 6\n";

// `calls` trace_printk calls; r0 = the sum of their return values.
std::string printk_loop(uint32_t calls) {
  return "mov %r7, 0\nmov %r8, 0\nloop:\n" + kPrintk + "add %r8, %r0\nadd %r7, 1\njlt %r7, " +
         std::to_string(calls) + ", loop\nmov %r0, %r8\nexit\n";
}

void load(Harness& h, const std::string& text) {
  const auto prog = assemble(text);
  for (size_t i = 0; i < prog.size(); ++i) {
    h.csr_write64(static_cast<uint32_t>(csr::kWinImem + 8 * i), prog[i].raw());
  }
  h.csr_write(csr::kProgLen, static_cast<uint32_t>(prog.size()));
  h.csr_write64(csr::kBudgetLo, 10'000'000);
}

void start(Harness& h) {
  for (unsigned k = 0; k < 10; ++k) h.csr_write64(csr::reg_lo(k), 0);
  h.csr_write(csr::kCtrl, csr::kCtrlStart);
}

// Runs the loaded program to completion; returns r0.
int64_t run(Harness& h) {
  start(h);
  for (uint64_t n = 0; !h.done(); ++n) {
    h.tick();
    if (n > 5'000'000) {
      ADD_FAILURE() << "no done";
      break;
    }
  }
  EXPECT_EQ(h.csr_read(csr::kStatus) >> csr::kStatusFaultLsb, 0u);
  return static_cast<int64_t>(h.csr_read64(csr::kR0Lo));
}

// The record at `off` of the event window is our trace_printk.
void expect_record(Harness& h, uint32_t off) {
  const uint64_t h0 = h.csr_read64(csr::kWinEvents + off);
  EXPECT_EQ(h0 & 0xff, 1u) << "kind at " << off;          // trace_printk
  EXPECT_EQ(h0 >> 32, 27u) << "length at " << off;
  EXPECT_EQ(h.csr_read(csr::kWinEvents + off + 16 + 24), 0x00216968u) << "format at " << off;
}

TEST(RtlCore, EventHoldAdvertisedAndOffAtReset) {
  Harness h;
  EXPECT_NE(h.csr_read(csr::kCapFeatures) & (1u << 3), 0u);
  EXPECT_EQ(h.csr_read(csr::kEvtCtrl), 0u);
  EXPECT_EQ(h.csr_read(csr::kEvtAck), 0u);
  EXPECT_EQ(h.csr_read(csr::kEvtLost), 0u);
  h.csr_write(csr::kEvtCtrl, 0xffffffff);
  EXPECT_EQ(h.csr_read(csr::kEvtCtrl), 1u);
}

TEST(RtlCore, EventHoldWithoutHoldEveryRunStartsEmpty) {
  Harness h;
  load(h, printk_loop(2));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(run(h), 0);
    EXPECT_EQ(h.csr_read(csr::kEvtCount), 2u);
    EXPECT_EQ(h.csr_read(csr::kEvtBytes), 2 * kRecordBytes);
  }
  // An acknowledgement empties it there too; the next run is unaffected.
  h.csr_write(csr::kEvtAck, 2 * kRecordBytes);
  EXPECT_EQ(h.csr_read(csr::kEvtBytes), 0u);
  EXPECT_EQ(run(h), 0);
  EXPECT_EQ(h.csr_read(csr::kEvtCount), 2u);
  EXPECT_EQ(h.csr_read(csr::kEvtLost), 0u);
}

TEST(RtlCore, EventHoldRecordsAccumulateUntilAcknowledged) {
  Harness h;
  h.csr_write(csr::kEvtCtrl, 1);
  load(h, printk_loop(2));
  for (uint32_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(run(h), 0);
    EXPECT_EQ(h.csr_read(csr::kEvtCount), 2 * i);
    EXPECT_EQ(h.csr_read(csr::kEvtBytes), 2 * i * kRecordBytes);
  }
  for (uint32_t r = 0; r < 6; ++r) expect_record(h, r * kRecordBytes);
  // Not every byte: nothing happens.
  h.csr_write(csr::kEvtAck, 5 * kRecordBytes);
  EXPECT_EQ(h.csr_read(csr::kEvtBytes), 6 * kRecordBytes);
  EXPECT_EQ(h.csr_read(csr::kEvtCount), 6u);
  EXPECT_EQ(h.csr_read(csr::kEvtAck), 0u);
  h.csr_write(csr::kEvtAck, 6 * kRecordBytes);
  EXPECT_EQ(h.csr_read(csr::kEvtBytes), 0u);
  EXPECT_EQ(h.csr_read(csr::kEvtCount), 0u);
  EXPECT_EQ(h.csr_read(csr::kEvtAck), 1u);
  // And fills from the start again.
  EXPECT_EQ(run(h), 0);
  EXPECT_EQ(h.csr_read(csr::kEvtBytes), 2 * kRecordBytes);
  expect_record(h, 0);
  expect_record(h, kRecordBytes);
  // HOLD cleared: the next run starts empty.
  h.csr_write(csr::kEvtCtrl, 0);
  load(h, printk_loop(1));
  EXPECT_EQ(run(h), 0);
  EXPECT_EQ(h.csr_read(csr::kEvtCount), 1u);
  EXPECT_EQ(h.csr_read(csr::kEvtLost), 0u);
}

// The per-run room is the interpreter's (kEventFifoBytes per run) whatever HOLD says; with
// HOLD an event must also fit the memory left (2 x kEventFifoBytes), else -ENOSPC and LOST.
TEST(RtlCore, EventHoldFullFifoRefusesAndCountsLost) {
  constexpr uint32_t kPerRun = helper_limits::kEventFifoBytes / kRecordCost;     // 1638
  constexpr uint32_t kMemory = 2 * helper_limits::kEventFifoBytes / kRecordBytes;  // 2730
  const int64_t enospc = -28;
  Harness h;
  h.csr_write(csr::kEvtCtrl, 1);
  // More calls than one run's room: refused as without HOLD, not counted as lost.
  load(h, printk_loop(kPerRun + 100));
  EXPECT_EQ(run(h), 100 * enospc);
  EXPECT_EQ(h.csr_read(csr::kEvtCount), kPerRun);
  EXPECT_EQ(h.csr_read(csr::kEvtLost), 0u);
  // The second run has its whole room but the memory only kMemory - kPerRun records.
  load(h, printk_loop(kPerRun));
  const uint32_t lost = kPerRun - (kMemory - kPerRun);
  EXPECT_EQ(run(h), static_cast<int64_t>(lost) * enospc);
  EXPECT_EQ(h.csr_read(csr::kEvtCount), kMemory);
  EXPECT_EQ(h.csr_read(csr::kEvtBytes), kMemory * kRecordBytes);
  EXPECT_EQ(h.csr_read(csr::kEvtLost), lost);
  expect_record(h, (kMemory - 1) * kRecordBytes);
  // Full: a run's every event is lost until the host acknowledges.
  load(h, printk_loop(3));
  EXPECT_EQ(run(h), 3 * enospc);
  EXPECT_EQ(h.csr_read(csr::kEvtLost), lost + 3);
  h.csr_write(csr::kEvtAck, kMemory * kRecordBytes);
  EXPECT_EQ(run(h), 0);
  EXPECT_EQ(h.csr_read(csr::kEvtCount), 3u);
  EXPECT_EQ(h.csr_read(csr::kEvtLost), lost + 3);
}

// With HOLD the host reads committed records and acknowledges while a run is going.
TEST(RtlCore, EventHoldReadableAndAcknowledgedWhileRunning) {
  Harness h;
  h.csr_write(csr::kEvtCtrl, 1);
  load(h, printk_loop(1));
  EXPECT_EQ(run(h), 0);
  // A long run: spins, then one more event.
  load(h, "mov %r9, 0\nspin:\nadd %r9, 1\njlt %r9, 2000, spin\n" + printk_loop(1));
  start(h);
  for (int i = 0; i < 20; ++i) h.tick();
  ASSERT_FALSE(h.done());
  expect_record(h, 0);
  h.csr_write(csr::kEvtAck, kRecordBytes);
  EXPECT_EQ(h.csr_read(csr::kEvtBytes), 0u);
  EXPECT_EQ(h.csr_read(csr::kEvtAck), 1u);
  while (!h.done()) h.tick();
  EXPECT_EQ(h.csr_read(csr::kEvtCount), 1u);
  expect_record(h, 0);
  // Without HOLD the window stays closed during a run, as before.
  h.csr_write(csr::kEvtCtrl, 0);
  start(h);
  for (int i = 0; i < 20; ++i) h.tick();
  ASSERT_FALSE(h.done());
  EXPECT_EQ(h.csr_read(csr::kWinEvents), 0u);
  while (!h.done()) h.tick();
}


// An acknowledgement at any cycle of a run that writes a record (before, while its bytes
// are copied, at its commit, after): the FIFO is either emptied before the new record
// (then it holds just that one, whole) or left alone (both records, whole); never a record
// split by the emptying.
TEST(RtlCore, EventHoldAcknowledgementAtEveryCycleOfARecord) {
  // A 63-character format ("AAA...", NUL at byte 63): a record of 24 + 63 = 87 bytes.
  std::string fill;
  for (int w = 0; w < 16; ++w) {
    fill += "stw [%r10-" + std::to_string(64 - 4 * w) + "], " +
            (w == 15 ? "0x00414141" : "0x41414141") + "\n";
  }
  const std::string long_printk = "mov %r6, 0\nspin:\nadd %r6, 1\njlt %r6, 4, spin\n" + fill +
                                  "mov %r1, %r10\nadd %r1, -64\nmov %r2, 64\ncall 6\nexit\n";
  constexpr uint32_t kLong = 16 + 88;
  auto expect_long = [](Harness& h, uint32_t off) {
    const uint64_t h0 = h.csr_read64(csr::kWinEvents + off);
    EXPECT_EQ(h0 & 0xff, 1u) << "kind at " << off;
    EXPECT_EQ(h0 >> 32, 87u) << "length at " << off;
    for (uint32_t b = 24; b + 4 <= 87; b += 4) {
      EXPECT_EQ(h.csr_read(csr::kWinEvents + off + 16 + b), 0x41414141u) << off << "+" << b;
    }
  };
  uint64_t cycles = 0;
  {
    Harness h;
    load(h, long_printk);
    start(h);
    while (!h.done()) h.tick();
    cycles = h.csr_read64(csr::kCyclesLo);
    ASSERT_EQ(h.csr_read(csr::kEvtBytes), kLong);
    expect_long(h, 0);
  }
  unsigned emptied = 0, stale = 0;
  for (uint64_t d = 0; d <= cycles + 2; ++d) {
    SCOPED_TRACE("acknowledged at cycle " + std::to_string(d));
    Harness h;
    h.csr_write(csr::kEvtCtrl, 1);
    load(h, printk_loop(1));
    run(h);
    load(h, long_printk);
    start(h);
    for (uint64_t i = 0; i < d && !h.done(); ++i) h.tick();
    h.csr_write(csr::kEvtAck, kRecordBytes);
    while (!h.done()) h.tick();
    for (int i = 0; i < 4; ++i) h.tick();
    if (h.csr_read(csr::kEvtAck) == 1) {
      ++emptied;
      EXPECT_EQ(h.csr_read(csr::kEvtCount), 1u);
      EXPECT_EQ(h.csr_read(csr::kEvtBytes), kLong);
      expect_long(h, 0);
    } else {
      ++stale;
      EXPECT_EQ(h.csr_read(csr::kEvtCount), 2u);
      EXPECT_EQ(h.csr_read(csr::kEvtBytes), kRecordBytes + kLong);
      expect_record(h, 0);
      expect_long(h, kRecordBytes);
    }
  }
  std::cout << "[ hold ] " << cycles << "-cycle run: acknowledgement emptied at " << emptied
            << " cycles, stale at " << stale << "\n";
  // Both outcomes occur: early acknowledgements empty, late ones are stale.
  EXPECT_GT(emptied, 0u);
  EXPECT_GT(stale, 0u);
}

}  // namespace
}  // namespace ebpf
