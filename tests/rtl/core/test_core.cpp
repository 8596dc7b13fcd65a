// ebpf_top through its CSR bus (sim/ebpf_sim_harness.h): what the engine-level suites do not
// see. Cycle accounting and counters, the register map, bus rules while running, reset in
// the middle of a run, and waveforms.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/rtl_engine.h"
#include "ebpf_sim_harness.h"

namespace ebpf {
namespace {

using sim::Harness;

// Loads `text` into the instruction memory of `h`, sets conformance-style registers and
// starts; returns the harness cycle count at the start.
uint64_t load_and_start(Harness& h, const std::string& text, uint64_t budget = 1'000'000) {
  const auto prog = assemble(text);
  for (size_t i = 0; i < prog.size(); ++i) {
    h.csr_write64(static_cast<uint32_t>(csr::kWinImem + 8 * i), prog[i].raw());
  }
  h.csr_write(csr::kProgLen, static_cast<uint32_t>(prog.size()));
  h.csr_write64(csr::kBudgetLo, budget);
  for (unsigned k = 0; k < 10; ++k) h.csr_write64(csr::reg_lo(k), 0);
  h.csr_write(csr::kCtrl, csr::kCtrlStart);
  return h.cycles();
}

uint64_t run_to_done(Harness& h, uint64_t limit = 100'000) {
  const uint64_t t0 = h.cycles();
  while (!h.done()) {
    h.tick();
    if (h.cycles() - t0 > limit) ADD_FAILURE() << "no done within " << limit << " cycles";
    if (h.cycles() - t0 > limit) break;
  }
  return h.cycles() - t0;
}

TEST(RtlCore, IdentifiesItself) {
  Harness h;
  EXPECT_EQ(h.csr_read(csr::kId), csr::kCoreId);
  EXPECT_EQ(h.csr_read(csr::kVersion), csr::kCoreVersion);
  EXPECT_GE(h.csr_read(csr::kImemSlots), 4096u);
  EXPECT_EQ(h.csr_read(csr::kStatus) & (csr::kStatusBusy | csr::kStatusDone), 0u);
}

// The C++ mirror of the register map holds the values of the SystemVerilog package.
TEST(RtlCore, CsrMapMatchesThePackage) {
  std::ifstream in(std::string(EBPF_FPGA_SOURCE_DIR) + "/rtl/pkg/ebpf_csr_pkg.sv");
  ASSERT_TRUE(in) << "rtl/pkg/ebpf_csr_pkg.sv not found";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::map<std::string, uint64_t> sv;
  const std::regex re(R"(localparam\s+(?:logic\s*\[[^\]]*\]|int unsigned)\s+(\w+)\s*=\s*(?:\d+'h)?([0-9a-fA-F_]+);)");
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
    std::string digits = (*it)[2];
    std::erase(digits, '_');
    const bool is_hex = it->str().find("'h") != std::string::npos;
    sv[(*it)[1]] = std::stoull(digits, nullptr, is_hex ? 16 : 10);
  }
  const std::map<std::string, uint64_t> cpp = {
      {"CoreId", csr::kCoreId},          {"CoreVersion", csr::kCoreVersion},
      {"CSR_ID", csr::kId},              {"CSR_VERSION", csr::kVersion},
      {"CSR_CTRL", csr::kCtrl},          {"CSR_STATUS", csr::kStatus},
      {"CSR_FAULT_PC", csr::kFaultPc},   {"CSR_PROG_LEN", csr::kProgLen},
      {"CSR_CONFIG", csr::kConfig},      {"CSR_IMEM_SLOTS", csr::kImemSlots},
      {"CSR_BUDGET_LO", csr::kBudgetLo}, {"CSR_BUDGET_HI", csr::kBudgetHi},
      {"CSR_R0_LO", csr::kR0Lo},         {"CSR_R0_HI", csr::kR0Hi},
      {"CSR_DATA_META", csr::kDataMeta}, {"CSR_DATA", csr::kData},
      {"CSR_DATA_END", csr::kDataEnd},   {"CSR_IFINDEX", csr::kIfindex},
      {"CSR_RX_QUEUE", csr::kRxQueue},   {"CSR_STACK_WLO", csr::kStackWlo},
      {"CSR_STACK_WHI", csr::kStackWhi}, {"CSR_PKT_WLO", csr::kPktWlo},
      {"CSR_PKT_WHI", csr::kPktWhi},     {"CSR_CYCLES_LO", csr::kCyclesLo},
      {"CSR_REDIR_IFINDEX", csr::kRedirIfindex}, {"CSR_REDIR_KEY", csr::kRedirKey},
      {"CSR_REDIR_MAP", csr::kRedirMap}, {"CSR_REDIR_STATUS", csr::kRedirStatus},
      {"CSR_REDIR_FLAGS_LO", csr::kRedirFlagsLo}, {"CSR_REDIR_FLAGS_HI", csr::kRedirFlagsHi},
      {"CSR_ACTION", csr::kAction},      {"CSR_SEED_LO", csr::kSeedLo},
      {"CSR_SEED_HI", csr::kSeedHi},     {"CSR_MAX_PROGRAMS", csr::kMaxPrograms},
      {"CSR_ENTRY", csr::kEntry},        {"CSR_PROG", csr::kProg},
      {"CSR_TAIL_CALLS", csr::kTailCalls}, {"CSR_PROGS", csr::kProgs},
      {"CSR_PROGS_END", csr::kProgsEnd}, {"CSR_EVT_BYTES", csr::kEvtBytes},
      {"CSR_EVT_COUNT", csr::kEvtCount}, {"CSR_MAP_SLOTS", csr::kMapSlots},
      {"CSR_MINFO", csr::kMinfo},        {"WIN_EVENTS", csr::kWinEvents},
      {"WIN_MAPVAL", csr::kWinMapval},   {"MinfoValid", 31},
      {"CSR_MCMD", csr::kMcmd},          {"CSR_MCMD_MAP", csr::kMcmdMap},
      {"CSR_MCMD_CPU", csr::kMcmdCpu},   {"CSR_MCMD_FLAGS_LO", csr::kMcmdFlagsLo},
      {"CSR_MCMD_FLAGS_HI", csr::kMcmdFlagsHi}, {"CSR_MCMD_STATUS", csr::kMcmdStatus},
      {"CSR_MCMD_OFFSET", csr::kMcmdOffset}, {"CSR_MCMD_WORD_LO", csr::kMcmdWordLo},
      {"CSR_MCMD_WORD_HI", csr::kMcmdWordHi}, {"WIN_KBUF", csr::kWinKbuf},
      {"WIN_VBUF", csr::kWinVbuf},       {"WIN_MAPDESC", csr::kWinMapDesc},
      {"CSR_RUN_CPU", csr::kRunCpu},     {"McmdNullKey", 8},
      {"CSR_MAP_KEY_WORDS", csr::kMapKeyWords}, {"CSR_MAP_BUCKETS", csr::kMapBuckets},
      {"CSR_MAP_POOL_SLOTS", csr::kMapPoolSlots}, {"CSR_MAP_VALUE_WORDS", csr::kMapValueWords},                {"McmdProg", 9},      {"RedirValid", 0}, {"RedirHasMap", 1},
      {"CSR_CYCLES_HI", csr::kCyclesHi}, {"CSR_INSTRET_LO", csr::kInstretLo},
      {"CSR_INSTRET_HI", csr::kInstretHi}, {"CSR_STALL_LU_LO", csr::kStallLuLo},
      {"CSR_STALL_LU_HI", csr::kStallLuHi}, {"CSR_STALL_BR_LO", csr::kStallBrLo},
      {"CSR_STALL_BR_HI", csr::kStallBrHi}, {"CSR_STALL_MC_LO", csr::kStallMcLo},
      {"CSR_STALL_MC_HI", csr::kStallMcHi}, {"CSR_STALL_HLP_LO", csr::kStallHlpLo},
      {"CSR_STALL_HLP_HI", csr::kStallHlpHi}, {"CSR_REGS", csr::kRegs},
      {"CSR_REGS_END", csr::kRegsEnd},   {"WIN_STACK", csr::kWinStack},
      {"WIN_PACKET", csr::kWinPacket},   {"WIN_IMEM", csr::kWinImem},
      {"CtrlStart", 0},                  {"ConfigHasCtx", 0},
      {"StatusBusy", 0},                 {"StatusDone", 1},
      {"StatusFault", 2},                {"StatusFaultLsb", csr::kStatusFaultLsb},
      {"PageBits", csr::kPageBits},      {"PAGE_NET", csr::kPageNet},
      {"PAGE_IO", csr::kPageIo},
      {"CSR_CAP_CORES", csr::kCapCores}, {"CSR_CAP_STACK_BYTES", csr::kCapStackBytes},
      {"CSR_CAP_PACKET_BYTES", csr::kCapPacketBytes},
      {"CSR_CAP_MAPVAL_BYTES", csr::kCapMapvalBytes},
      {"CSR_CAP_EVT_BYTES", csr::kCapEvtBytes}, {"CSR_CAP_MAP_TYPES", csr::kCapMapTypes},
      {"CSR_CAP_FEATURES", csr::kCapFeatures}, {"CSR_OBJINFO_BYTES", csr::kObjinfoBytes},
      {"CSR_CAP_HELPERS", csr::kCapHelpers}, {"CSR_CAP_HELPERS_END", csr::kCapHelpersEnd},
      {"CSR_RUN_SEQ", csr::kRunSeq},     {"CSR_LAST_RUN_SEQ", csr::kLastRunSeq},
      {"CSR_MCMD_STAGE", csr::kMcmdStage}, {"CSR_MCMD_LAST_SEQ", csr::kMcmdLastSeq},
      {"CSR_MCMD_DONE_SEQ", csr::kMcmdDoneSeq}, {"CSR_MCMD_EXECUTED", csr::kMcmdExecuted},
      {"CSR_MCMD_SEQ_STATUS", csr::kMcmdSeqStatus}, {"WIN_OBJINFO", csr::kWinObjinfo},
      {"ObjinfoBytes", csr::kObjinfoSize}, {"McmdSeqDisturbed", 0}, {"McmdSeqStageOk", 1},
      {"FeatRunSeq", 0}, {"FeatMcmdSeq", 1}, {"FeatObjinfo", 2}, {"FeatEvtHold", 3},
      {"CSR_EVT_CTRL", csr::kEvtCtrl}, {"CSR_EVT_ACK", csr::kEvtAck},
      {"CSR_EVT_LOST", csr::kEvtLost}, {"EvtCtrlHold", 0},
  };
  for (const auto& [name, value] : cpp) {
    ASSERT_TRUE(sv.count(name)) << name << " is not in ebpf_csr_pkg.sv";
    EXPECT_EQ(sv[name], value) << name;
  }
  EXPECT_EQ(1u << sv["CtrlStart"], csr::kCtrlStart);
  EXPECT_EQ(1u << sv["StatusDone"], csr::kStatusDone);
}

// The cycle counter of the core equals the harness's count of clock ticks from the start to
// done: the number the run JSON reports.
TEST(RtlCore, CycleCounterEqualsHarnessTicks) {
  Harness h;
  load_and_start(h, "mov %r0, 3\nadd %r0, 4\nexit\n");
  const uint64_t ticks = run_to_done(h);
  EXPECT_EQ(h.csr_read64(csr::kCyclesLo), ticks);
  EXPECT_EQ(h.csr_read64(csr::kInstretLo), 3u);
  EXPECT_EQ(h.csr_read64(csr::kR0Lo), 7u);
  // Start and exit overhead: 3 instructions at one per cycle plus at most 4 + 4.
  EXPECT_LE(ticks, 3u + 8u);
}

struct Counters {
  uint64_t cycles, instret, load_use, branch, multi, helper;
};
Counters run_counters(const std::string& text) {
  Harness h;
  load_and_start(h, text);
  run_to_done(h);
  EXPECT_EQ(h.csr_read(csr::kStatus) >> csr::kStatusFaultLsb, 0u) << text;
  return {h.csr_read64(csr::kCyclesLo),  h.csr_read64(csr::kInstretLo),
          h.csr_read64(csr::kStallLuLo), h.csr_read64(csr::kStallBrLo),
          h.csr_read64(csr::kStallMcLo), h.csr_read64(csr::kStallHlpLo)};
}

// Every cycle of a run is accounted for: one per retired instruction, one per stall or
// bubble of the four kinds, and one to fetch the first instruction.
TEST(RtlCore, CountersAccountForEveryCycle) {
  const char* programs[] = {
      "exit\n",
      "mov %r1, 7\nmul %r1, 6\ndiv %r1, 2\nstdw [%r10-8], 1\nlock add [%r10-8], %r1\n"
      "ldxdw %r2, [%r10-8]\nadd %r2, 1\ncall 5\nmov %r0, %r1\nexit\n",
      "mov %r0, 0\nmov %r1, 10\nadd %r0, %r1\nsub %r1, 1\njne %r1, 0, -3\ncall local +1\n"
      "exit\nldxdw %r2, [%r10-8]\nsdiv32 %r2, %r1\nexit\n",
  };
  for (const char* p : programs) {
    const auto c = run_counters(p);
    EXPECT_EQ(c.cycles, c.instret + c.load_use + c.branch + c.multi + c.helper + 1) << p;
  }
}

TEST(RtlCore, LoadUseStallsOnce) {
  const auto c = run_counters(
      "stdw [%r10-8], 5\nldxdw %r1, [%r10-8]\nadd %r1, 1\nldxdw %r2, [%r10-8]\n"
      "mov %r3, 1\nadd %r2, 1\nmov %r0, %r1\nexit\n");
  EXPECT_EQ(c.load_use, 1u);  // the second load's user is one instruction later
  EXPECT_EQ(c.branch, 0u);
}

TEST(RtlCore, TakenBranchesCostOneBubble) {
  const auto c = run_counters(
      "mov %r1, 0\nja +1\nmov %r1, 9\njeq %r1, 0, +1\nmov %r1, 7\njne %r1, 0, +1\nexit\n"
      "mov %r0, %r1\nexit\n");
  EXPECT_EQ(c.branch, 1u);  // ja costs nothing, the taken jeq one, the untaken jne none
  EXPECT_EQ(c.instret, 5u);  // mov, ja, jeq, jne, exit
}

TEST(RtlCore, MultiCycleAndHelperStallsAreCounted) {
  const auto c = run_counters(
      "mov %r1, 7\nmul %r1, 6\ndiv %r1, 2\nstdw [%r10-8], 1\nlock add [%r10-8], %r1\n"
      "call 5\nmov %r0, %r1\nexit\n");
  EXPECT_GE(c.multi, 1u + 2u + 1u);  // atomic one, mul two at least, div many
  EXPECT_LE(c.multi, 1u + 3u + 35u);
  EXPECT_EQ(c.helper, 2u);  // ktime: operands latched in one cycle, answered in the next
}

TEST(RtlCore, KtimeGetNsIsTheCycleCounterInNanoseconds) {
  Harness h;
  load_and_start(h, "mov %r1, 1\nmov %r2, 2\ncall 5\nexit\n");
  run_to_done(h);
  const uint64_t r0 = h.csr_read64(csr::kR0Lo);
  const uint64_t cycles = h.csr_read64(csr::kCyclesLo);
  EXPECT_EQ(r0 % 10, 0u);
  EXPECT_GT(r0, 0u);
  EXPECT_LT(r0, cycles * 10);
}

// A reset in the middle of a run (here an endless loop) always brings the core back.
TEST(RtlCore, ResetRecoversFromAnyState) {
  Harness h;
  load_and_start(h, "mov %r0, 0\nadd %r0, 1\nja -2\n", ~0ull);
  for (int i = 0; i < 500; ++i) h.tick();
  EXPECT_TRUE(h.busy());
  h.reset();
  EXPECT_FALSE(h.busy());
  EXPECT_FALSE(h.done());
  load_and_start(h, "mov %r0, 42\nexit\n");
  run_to_done(h);
  EXPECT_EQ(h.csr_read64(csr::kR0Lo), 42u);
}

// While the core runs, the memory windows are closed: writes are dropped, reads give 0.
TEST(RtlCore, MemoryWindowsAreClosedWhileRunning) {
  Harness h;
  h.csr_write(csr::kWinStack + 0x100, 0x11223344);
  EXPECT_EQ(h.csr_read(csr::kWinStack + 0x100), 0x11223344u);
  load_and_start(h, "mov %r0, 0\nadd %r0, 1\nja -2\n", 2000);
  h.csr_write(csr::kWinStack + 0x100, 0x55667788);
  EXPECT_EQ(h.csr_read(csr::kWinStack + 0x100), 0u);
  run_to_done(h);
  EXPECT_EQ(h.csr_read(csr::kStatus) >> csr::kStatusFaultLsb,
            static_cast<uint32_t>(FaultCode::kBudgetExceeded));
  EXPECT_EQ(h.csr_read64(csr::kR0Lo), 0u);  // r0 reads 0 after a fault
  EXPECT_EQ(h.csr_read(csr::kWinStack + 0x100), 0x11223344u);
}

// Registers read back after a run; r10 is the frame pointer of the depth at the end.
TEST(RtlCore, RegistersReadBack) {
  Harness h;
  load_and_start(h, "mov %r6, -2\nlddw %r9, 0x1122334455667788\nmov %r0, %r10\nexit\n");
  run_to_done(h);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(6)), ~1ull);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(9)), 0x1122334455667788ull);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(10)), addr::kFramePointer);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(0)), addr::kFramePointer);
}

// Only the words a run wrote are reported for read-back.
TEST(RtlCore, WrittenRangeIsReported) {
  Harness h;
  load_and_start(h, "stw [%r10-12], 1\nstb [%r10-30], 2\nmov %r0, 0\nexit\n");
  run_to_done(h);
  // r10 - 30 = byte 482 (word 60); r10 - 12 .. r10 - 9 = bytes 500..503 (word 62).
  EXPECT_EQ(h.csr_read(csr::kStackWlo), 60u);
  EXPECT_EQ(h.csr_read(csr::kStackWhi), 63u);
  EXPECT_GT(h.csr_read(csr::kPktWlo), h.csr_read(csr::kPktWhi));  // nothing written
}

// Any bit pattern: the core finishes (exit or fault) within the budget's bound, its LSU
// assertions hold (no write outside a region), and the next run is unaffected.
TEST(RtlCore, ArbitraryBitsAlwaysFinish) {
  Harness h;
  std::mt19937_64 rng(12345);
  for (int run = 0; run < 300; ++run) {
    const unsigned slots = 1 + static_cast<unsigned>(rng() % 64);
    for (unsigned i = 0; i < slots; ++i) {
      uint64_t w = rng();
      if (rng() % 2) w = (w & ~0xffull) | (rng() % 2 ? 0x85 : 0x8d);  // calls now and then
      h.csr_write64(static_cast<uint32_t>(csr::kWinImem + 8 * i), w);
    }
    h.csr_write(csr::kProgLen, run % 10 == 0 ? 0xffffffffu : slots);
    const uint64_t budget = rng() % 2000;
    h.csr_write64(csr::kBudgetLo, budget);
    h.csr_write(csr::kCtrl, csr::kCtrlStart);
    const uint64_t cycles = run_to_done(h, 64 * (budget + 1) + 100);
    EXPECT_LE(cycles, 40 * (budget + 1) + 10) << "run " << run;
  }
  load_and_start(h, "mov %r0, 42\nexit\n");
  run_to_done(h);
  EXPECT_EQ(h.csr_read64(csr::kR0Lo), 42u);
}

// The program table keeps lengths within the instruction memory: a written length reads back
// clamped to IMEM_SLOTS, and a program runs at most to the memory's end (its effective
// length). Lengths are stored in ImemAw + 1 bits, which these values bound.
TEST(RtlCore, ProgramTableLengthsStayWithinTheInstructionMemory) {
  Harness h;
  const uint32_t n = h.csr_read(csr::kImemSlots);
  h.csr_write(csr::kProgLen, 0xffffffffu);
  EXPECT_EQ(h.csr_read(csr::kProgLen), n);
  h.csr_write(csr::kProgLen, n);
  EXPECT_EQ(h.csr_read(csr::kProgLen), n);
  h.csr_write(csr::kProgLen, n + 1);
  EXPECT_EQ(h.csr_read(csr::kProgLen), n);

  // Program 1 in the last two slots: "mov r0, 7; exit".
  const auto prog = assemble("mov %r0, 7\nexit\n");
  for (size_t i = 0; i < prog.size(); ++i) {
    h.csr_write64(static_cast<uint32_t>(csr::kWinImem + 8 * (n - 2 + i)), prog[i].raw());
  }
  const uint32_t first = csr::prog_first(1), len = csr::prog_len(1);
  auto run_entry_1 = [&] {
    h.csr_write(csr::kEntry, 1);
    h.csr_write64(csr::kBudgetLo, 1000);
    for (unsigned k = 0; k < 10; ++k) h.csr_write64(csr::reg_lo(k), 0);
    h.csr_write(csr::kCtrl, csr::kCtrlStart);
    run_to_done(h);
    return (h.csr_read(csr::kStatus) >> csr::kStatusFaultLsb) & 0xffu;
  };
  // Length 0xffffffff reads back as IMEM_SLOTS and runs as 2 slots (cut at the end).
  h.csr_write(first, n - 2);
  h.csr_write(len, 0xffffffffu);
  EXPECT_EQ(h.csr_read(first), n - 2);
  EXPECT_EQ(h.csr_read(len), n);
  EXPECT_EQ(run_entry_1(), 0u);
  EXPECT_EQ(h.csr_read64(csr::kR0Lo), 7u);
  // Length 1: the exit is outside the program, so the run faults after the mov.
  h.csr_write(len, 1);
  EXPECT_EQ(h.csr_read(len), 1u);
  EXPECT_NE(run_entry_1(), 0u);
  // Written in the other order (length first, then a first slot at the end): the effective
  // length is recomputed from the stored length.
  h.csr_write(len, 0xffffffffu);
  h.csr_write(first, 0);
  h.csr_write(first, n - 2);
  EXPECT_EQ(run_entry_1(), 0u);
  EXPECT_EQ(h.csr_read64(csr::kR0Lo), 7u);
  // A first slot past the memory leaves an empty program, whatever the length.
  h.csr_write(first, n);
  EXPECT_EQ(h.csr_read(first), n);
  EXPECT_NE(run_entry_1(), 0u);
}

// The program table is LUT RAM with written-flags (rtl/top/ebpf_prog_table.sv): each entry
// keeps its own fields, the first slot all 32 bits as written; after a reset every entry
// reads 0 and is empty although the RAM still holds the old fields, and an entry whose first
// slot alone was written since has length 0 and does not run.
TEST(RtlCore, ProgramTableEntriesReadBackAndResetEmpty) {
  Harness h;
  const uint32_t n = h.csr_read(csr::kImemSlots);
  const uint32_t programs = h.csr_read(csr::kMaxPrograms);
  ASSERT_GT(programs, 5u);
  for (uint32_t k = 0; k < programs; ++k) {
    h.csr_write(csr::prog_first(k), 0x5a000000u | (k * 0x111u));
    h.csr_write(csr::prog_len(k), 3 * k + 1);
  }
  for (uint32_t k = 0; k < programs; ++k) {
    EXPECT_EQ(h.csr_read(csr::prog_first(k)), 0x5a000000u | (k * 0x111u)) << "program " << k;
    EXPECT_EQ(h.csr_read(csr::prog_len(k)), std::min(3 * k + 1, n)) << "program " << k;
  }
  EXPECT_EQ(h.csr_read(csr::kProgLen), 1u);   // entry 0's length

  // Program 5: "mov r0, 7; exit" in slots 4 and 5.
  const auto prog = assemble("mov %r0, 7\nexit\n");
  for (size_t i = 0; i < prog.size(); ++i) {
    h.csr_write64(static_cast<uint32_t>(csr::kWinImem + 8 * (4 + i)), prog[i].raw());
  }
  auto run_entry_5 = [&] {
    h.csr_write(csr::kEntry, 5);
    h.csr_write64(csr::kBudgetLo, 1000);
    for (unsigned k = 0; k < 10; ++k) h.csr_write64(csr::reg_lo(k), 0);
    h.csr_write(csr::kCtrl, csr::kCtrlStart);
    run_to_done(h);
    return (h.csr_read(csr::kStatus) >> csr::kStatusFaultLsb) & 0xffu;
  };
  h.csr_write(csr::prog_first(5), 4);
  h.csr_write(csr::prog_len(5), 2);
  EXPECT_EQ(run_entry_5(), 0u);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(0)), 7u);

  h.reset();
  for (uint32_t k = 0; k < programs; ++k) {
    EXPECT_EQ(h.csr_read(csr::prog_first(k)), 0u) << "program " << k << " after reset";
    EXPECT_EQ(h.csr_read(csr::prog_len(k)), 0u) << "program " << k << " after reset";
  }
  EXPECT_NE(run_entry_5(), 0u);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(0)), 0u);   // the mov did not run
  // Only the first slot written: the length reads 0 (not the 2 the RAM still holds).
  h.csr_write(csr::prog_first(5), 4);
  EXPECT_EQ(h.csr_read(csr::prog_len(5)), 0u);
  EXPECT_NE(run_entry_5(), 0u);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(0)), 0u);
  // With its length written as well, it runs.
  h.csr_write(csr::prog_len(5), 2);
  EXPECT_EQ(run_entry_5(), 0u);
  EXPECT_EQ(h.csr_read64(csr::reg_lo(0)), 7u);
}

// The helper unit's map table (CSR_MINFO) is LUT RAM with written-flags as well
// (rtl/top/ebpf_map_info_table.sv): every field of every slot reads back as written, and
// after a reset everything reads 0 again, also a field the RAM still holds while another
// field of the same slot is written.
TEST(RtlCore, MapInfoTableReadsBackAndResetsEmpty) {
  Harness h;
  const uint32_t slots = h.csr_read(csr::kMapSlots);
  ASSERT_GT(slots, 1u);
  auto word = [](uint32_t slot, uint32_t field) { return csr::kMinfo + 16 * slot + 4 * field; };
  for (uint32_t m = 0; m < slots; ++m) {
    h.csr_write(word(m, 0), (m % 2 ? csr::kMinfoValid : 0u) | (0x40u + m));
    h.csr_write(word(m, 1), 0x1000u + m);
    h.csr_write(word(m, 2), 0x20000u + m);
    h.csr_write(word(m, 3), 0xfff00000u + m);
  }
  for (uint32_t m = 0; m < slots; ++m) {
    EXPECT_EQ(h.csr_read(word(m, 0)), (m % 2 ? csr::kMinfoValid : 0u) | (0x40u + m)) << m;
    EXPECT_EQ(h.csr_read(word(m, 1)), 0x1000u + m) << m;
    EXPECT_EQ(h.csr_read(word(m, 2)), 0x20000u + m) << m;
    EXPECT_EQ(h.csr_read(word(m, 3)), 0xfff00000u + m) << m;
  }
  h.reset();
  for (uint32_t m = 0; m < slots; ++m) {
    for (uint32_t f = 0; f < 4; ++f) {
      EXPECT_EQ(h.csr_read(word(m, f)), 0u) << "slot " << m << " field " << f << " after reset";
    }
  }
  h.csr_write(word(1, 0), csr::kMinfoValid | 2u);
  EXPECT_EQ(h.csr_read(word(1, 0)), csr::kMinfoValid | 2u);
  for (uint32_t f = 1; f < 4; ++f) EXPECT_EQ(h.csr_read(word(1, f)), 0u) << "field " << f;
  h.csr_write(word(1, 3), 7);
  EXPECT_EQ(h.csr_read(word(1, 3)), 7u);
  EXPECT_EQ(h.csr_read(word(1, 1)), 0u);
}

// Waveforms are compiled in and written on request.
TEST(RtlCore, WritesWaveformsOnRequest) {
  const auto path = std::filesystem::temp_directory_path() / "ebpf_rtl_core_test.fst";
  std::filesystem::remove(path);
  {
    auto e = make_rtl_engine(RtlEngineOptions{.trace_path = path.string()});
    e->load(assemble("mov %r0, 1\nexit\n"));
    MemoryImage m = conformance_memory({});
    EXPECT_EQ(e->run(m).r0, 1u);
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_GT(std::filesystem::file_size(path), 100u);
  std::filesystem::remove(path);
}

// The engine reports the model's cycles; instructions as the interpreter counts them.
TEST(RtlCore, EngineReportsCycles) {
  auto e = make_engine("rtl");
  e->load(assemble("mov %r0, 0\nmov %r1, 10\nadd %r0, %r1\nsub %r1, 1\njne %r1, 0, -3\nexit\n"));
  MemoryImage m = conformance_memory({});
  const RunResult r = e->run(m);
  EXPECT_EQ(r.r0, 55u);
  EXPECT_EQ(r.instructions, 2u + 30u + 1u);
  ASSERT_TRUE(r.cycles.has_value());
  // One bubble per taken loop branch (9), start/exit overhead.
  EXPECT_LE(*r.cycles, r.instructions + 9u + 8u);
}

}  // namespace
}  // namespace ebpf
