// The program table, the packet port, the verdict registers and the helpers that need no
// memory, on the rtl engine against the interpreter (the reference): several programs in the
// instruction memory, the entry program, pc bounds and fault pcs per program, bpf-to-bpf calls
// inside a program that is not the first, redirect, get_prandom_u32 across runs,
// xdp_get_buff_len.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#ifdef EBPF_HAVE_DEVICE
#include "ebpf_fpga/device.h"
#endif
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/rtl_engine.h"
#include "ebpf_sim_harness.h"

namespace ebpf {
namespace {

struct Both {
  RunResult interp, rtl;
};

class RtlPrograms : public ::testing::Test {
 protected:
  std::unique_ptr<Engine> interp_ = make_engine("interp");
  std::unique_ptr<Engine> rtl_ = make_rtl_engine();

  void load(const std::vector<std::string>& texts, size_t entry, LoadOptions lo = {}) {
    std::vector<std::vector<Insn>> progs;
    for (const auto& t : texts) progs.push_back(assemble(t));
    interp_->load_programs(progs, entry, lo);
    rtl_->load_programs(progs, entry, lo);
  }
  void maps(const std::vector<MapSpec>& specs) {
    interp_->configure_maps(specs);
    rtl_->configure_maps(specs);
  }
  void host_update(uint32_t map, std::vector<uint8_t> key, std::vector<uint8_t> value) {
    ASSERT_EQ(interp_->maps()->update(map, key, value, 0), 0);
    ASSERT_EQ(rtl_->maps()->update(map, key, value, 0), 0);
  }
  // Every element of an iterable map on both engines: they must agree.
  void same_contents(uint32_t map) {
    const MapSpec& s = interp_->maps()->spec(map);
    auto dump = [&](MapAccess& m) {
      std::vector<std::vector<uint8_t>> out;
      std::vector<uint8_t> key(s.key_size), next(s.key_size), value(host_value_size(s, 1));
      for (int rc = m.get_next_key(map, std::nullopt, next); rc == 0;
           rc = m.get_next_key(map, key, next)) {
        key = next;
        EXPECT_EQ(m.lookup(map, key, value), 0);
        out.push_back(key);
        out.push_back(value);
      }
      return out;
    };
    EXPECT_EQ(dump(*rtl_->maps()), dump(*interp_->maps())) << "map " << map;
  }
  // An XDP run of a 60-byte frame on both engines; the results must agree.
  Both run(size_t frame = 60, const RunOptions& ro = {}) {
    Both b;
    std::vector<uint8_t> pkt(frame);
    for (size_t i = 0; i < frame; ++i) pkt[i] = static_cast<uint8_t>(i * 7 + 1);
    MemoryImage mi, mr;
    mi.set_packet(pkt);
    mi.has_ctx = true;
    mi.ingress_ifindex = 3;
    mr = mi;
    b.interp = interp_->run(mi, ro);
    b.rtl = rtl_->run(mr, ro);
    EXPECT_EQ(fault_name(b.rtl.fault), fault_name(b.interp.fault));
    EXPECT_EQ(b.rtl.fault_pc, b.interp.fault_pc);
    EXPECT_EQ(b.rtl.r0, b.interp.r0);
    EXPECT_EQ(b.rtl.regs, b.interp.regs);
    EXPECT_EQ(b.rtl.instructions, b.interp.instructions);
    EXPECT_EQ(b.rtl.program, b.interp.program);
    EXPECT_EQ(b.rtl.tail_calls, b.interp.tail_calls);
    EXPECT_EQ(b.rtl.redirect, b.interp.redirect);
    EXPECT_EQ(b.rtl.events, b.interp.events);
    EXPECT_EQ(mr.packet, mi.packet);
    EXPECT_EQ(mr.data_meta, mi.data_meta);
    EXPECT_EQ(mr.data, mi.data);
    EXPECT_EQ(mr.data_end, mi.data_end);
    return b;
  }
};

TEST_F(RtlPrograms, EntryChoosesTheProgram) {
  const std::vector<std::string> progs = {"mov %r0, 1\nexit", "mov %r0, 2\nmov %r0, 22\nexit",
                                          "mov %r0, 3\nadd %r0, 30\nexit"};
  for (size_t entry = 0; entry < progs.size(); ++entry) {
    load(progs, entry);
    const Both b = run();
    EXPECT_EQ(b.rtl.program, entry);
  }
  load(progs, 2);
  EXPECT_EQ(run().rtl.r0, 33u);
}

TEST_F(RtlPrograms, FaultPcIsRelativeToTheProgram) {
  load({"mov %r0, 1\nmov %r0, 1\nmov %r0, 1\nexit", "mov %r0, 0\nldxb %r0, [%r0+0]\nexit"}, 1);
  const Both b = run();
  EXPECT_EQ(b.rtl.fault, FaultCode::kLoadOutOfBounds);
  EXPECT_EQ(b.rtl.fault_pc, 1u);
  EXPECT_EQ(b.rtl.program, 1u);
}

TEST_F(RtlPrograms, ProgramsDoNotRunIntoEachOther) {
  // Falling off the end of a program faults at its length, not in the next program.
  load({"mov %r0, 1\nexit", "mov %r0, 3\nmov %r0, 4", "mov %r0, 5\nexit"}, 1, {.check = false});
  EXPECT_EQ(run().rtl.fault_pc, 2u);
  // Jumps and calls never leave their program.
  load({"mov %r0, 1\nexit", "ja +2\nexit", "mov %r0, 5\nexit"}, 1, {.check = false});
  EXPECT_EQ(run().rtl.fault, FaultCode::kInvalidInstruction);
  std::vector<std::vector<Insn>> progs = {assemble("mov %r0, 1\nexit"),
                                          assemble("mov %r0, 1\nexit"),
                                          assemble("call local f\nexit\nf:\nexit")};
  progs[2][0].imm = -5;  // the first slot of program 1
  interp_->load_programs(progs, 2, {.check = false});
  rtl_->load_programs(progs, 2, {.check = false});
  EXPECT_EQ(run().rtl.fault, FaultCode::kInvalidInstruction);
  // An lddw whose second slot would be the next program's first.
  load({"mov %r0, 1\nexit", "mov %r0, 1\nlddw %r0, 0x1234567890", "exit"}, 1,
       {.check = false});
  EXPECT_EQ(run().rtl.fault, FaultCode::kInvalidInstruction);
}

TEST_F(RtlPrograms, LocalCallsInALaterProgram) {
  load({"mov %r0, 1\nexit", "mov %r0, 2\nexit",
        "mov %r6, 5\nmov %r1, 7\ncall local f\nadd %r0, %r6\nexit\nexit\n"
        "f:\nmov %r6, 100\nmov %r0, %r1\nmul %r0, 3\nexit"},
       2);
  const Both b = run();
  EXPECT_EQ(b.rtl.r0, 26u);
  EXPECT_EQ(b.rtl.program, 2u);
}

TEST_F(RtlPrograms, LoadRefusesWhatDoesNotFit) {
  std::vector<std::vector<Insn>> progs(17, assemble("mov %r0, 1\nexit"));
  EXPECT_THROW(rtl_->load_programs(progs, 0), Error);
  progs.resize(2);
  EXPECT_THROW(rtl_->load_programs(progs, 2), Error);
  std::vector<std::vector<Insn>> big(2, std::vector<Insn>(3000, assemble("exit")[0]));
  EXPECT_THROW(rtl_->load_programs(big, 0), Error);
}

TEST_F(RtlPrograms, RedirectToAnInterface) {
  load({"mov %r1, 9\nmov %r2, 0\ncall 23\nexit"}, 0);
  const Both b = run();
  ASSERT_TRUE(b.rtl.redirect.has_value());
  EXPECT_EQ(b.rtl.redirect->ifindex, 9u);
  EXPECT_EQ(b.rtl.r0, kXdpRedirect);
  load({"mov %r1, 9\nmov %r2, 1\ncall 23\nexit"}, 0);
  EXPECT_EQ(run().rtl.r0, kXdpAborted) << "flags must be 0";
  // ifindex 0: XDP_REDIRECT without a target.
  load({"mov %r1, 0\nmov %r2, 0\ncall 23\nexit"}, 0);
  EXPECT_FALSE(run().rtl.redirect.has_value());
  // The last call wins; a later action other than REDIRECT reports none.
  load({"mov %r1, 9\nmov %r2, 0\ncall 23\nmov %r1, 4\nmov %r2, 0\ncall 23\nexit"}, 0);
  EXPECT_EQ(run().rtl.redirect->ifindex, 4u);
  load({"mov %r1, 9\nmov %r2, 0\ncall 23\nmov %r0, 2\nexit"}, 0);
  EXPECT_FALSE(run().rtl.redirect.has_value());
  // A run after a redirect starts without one.
  load({"mov %r0, 4\nexit"}, 0);
  EXPECT_FALSE(run().rtl.redirect.has_value());
}

TEST_F(RtlPrograms, PrandomMatchesTheInterpreterAcrossRuns) {
  const std::string text =
      "call 7\nmov %r6, %r0\ncall 7\nlsh %r0, 32\nor %r0, %r6\nexit";
  for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{0x5EED5EED5EED5EEDull}}) {
    load({text}, 0, {.prandom_seed = seed});
    const uint64_t first = run().rtl.r0;
    EXPECT_NE(run().rtl.r0, first) << "the state advances across runs";
  }
}

TEST_F(RtlPrograms, BuffLenAndProcessorId) {
  for (size_t n : {14, 60, 1514}) {
    load({"call 188\nexit"}, 0);
    EXPECT_EQ(run(n).rtl.r0, n);
  }
  load({"mov %r1, 0\ncall 188\nexit"}, 0);
  EXPECT_EQ(run().rtl.fault, FaultCode::kHelperFault);
  load({"mov %r0, 5\ncall 8\nexit"}, 0);
  EXPECT_EQ(run().rtl.r0, 0u);
}

// ---------------------------------------------------------------- helpers without maps

// Fills the 64 stack bytes below r10 with a pattern and leaves r6 = r10 - 64.
const std::string kStackPattern =
    "lddw %r1, 0x0807060504030201\nstxdw [%r10-64], %r1\n"
    "lddw %r1, 0x100f0e0d0c0b0a09\nstxdw [%r10-56], %r1\n"
    "lddw %r1, 0xf1e2d3c4b5a69788\nstxdw [%r10-48], %r1\n"
    "lddw %r1, 0x00ff00ff7f80fe01\nstxdw [%r10-40], %r1\n"
    "lddw %r1, 0x6c6c6568ffffffff\nstxdw [%r10-32], %r1\n"
    "lddw %r1, 0x0000000a21646c6f\nstxdw [%r10-24], %r1\n"
    "lddw %r1, 0x1111111111111111\nstxdw [%r10-16], %r1\n"
    "lddw %r1, 0x2222222222222222\nstxdw [%r10-8], %r1\n"
    "mov %r6, %r10\nadd %r6, -64\n";

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

TEST_F(RtlPrograms, CsumDiffMatchesTheInterpreter) {
  // from and to on the stack at any alignment and size (4-byte multiples as Linux wants,
  // and others), with seeds.
  for (int from = 0; from <= 12; from += 3) {
    for (int to = 0; to <= 13; to += 4) {
      for (uint32_t seed : {0u, 0xffffu, 0xdeadbeefu}) {
        load({kStackPattern + "mov %r1, %r6\nadd %r1, " + std::to_string(from % 5) +
              "\nmov %r2, " + std::to_string(from) + "\nmov %r3, %r6\nadd %r3, 20\nmov %r4, " +
              std::to_string(to) + "\nmov32 %r5, " + hex(seed) + "\ncall 28\nexit"},
             0);
        run();
      }
    }
  }
  // The packet as the source.
  load({"ldxw %r1, [%r1+0]\nmov %r2, 20\nmov %r3, 0\nmov %r4, 0\nmov %r5, 0\ncall 28\nexit"},
       0);
  run();
  // A bad pointer faults.
  load({"mov %r1, 0\nmov %r2, 4\nmov %r3, 0\nmov %r4, 0\nmov %r5, 0\ncall 28\nexit"}, 0);
  EXPECT_EQ(run().rtl.fault, FaultCode::kHelperFault);
}

TEST_F(RtlPrograms, AdjustHeadMetaTailAndTheirLimits) {
  for (int off : {-300, -216, -217, -200, -1, 0, 1, 13, 46, 47, 100}) {
    load({"mov %r2, " + std::to_string(off) + "\ncall 44\nexit"}, 0);
    run();
  }
  // With metadata: adjust_meta first, write it, then move the head.
  for (int off : {-64, -8, 0, 8, 30}) {
    load({"mov %r6, %r1\nmov %r2, -8\ncall 54\nldxw %r2, [%r6+8]\nldxw %r3, [%r6+0]\n"
          "jgt %r2, %r3, +3\nstdw [%r2+0], 0x5a5a\nstw [%r2+4], 0x77\n"
          "mov %r1, %r6\nmov %r2, " + std::to_string(off) + "\ncall 44\nexit"},
         0);
    run();
  }
  for (int off : {-220, -216, -4, -3, 0, 4, 8, 12, 300}) {
    load({"mov %r2, " + std::to_string(off) + "\ncall 54\nexit"}, 0);
    run();
  }
  for (int off : {-50, -46, -47, -1, 0, 1, 7, 100, 9000, 9470, 9471}) {
    load({"mov %r2, " + std::to_string(off) + "\ncall 65\nexit"}, 0);
    run();
  }
  // Loads after the move see the new bounds.
  load({"mov %r6, %r1\nmov %r2, 16\ncall 65\nldxw %r2, [%r6+4]\nldxb %r0, [%r2-1]\nexit"}, 0);
  run();
  load({"mov %r6, %r1\nmov %r2, -20\ncall 65\nldxw %r2, [%r6+4]\nldxb %r0, [%r2+0]\nexit"},
       0);
  EXPECT_EQ(run().rtl.fault, FaultCode::kLoadOutOfBounds);
  load({"mov %r1, 0\nmov %r2, 4\ncall 65\nexit"}, 0);
  EXPECT_EQ(run().rtl.fault, FaultCode::kHelperFault);
}

TEST_F(RtlPrograms, XdpLoadAndStoreBytes) {
  for (const char* len : {"1", "7", "8", "13", "40", "0"}) {
    for (const char* off : {"0", "3", "20", "59", "65535", "65536"}) {
      load({kStackPattern + "mov %r2, " + std::string(off) + "\nmov %r3, %r6\nmov %r4, " + len +
            "\ncall 189\nexit"},
           0);
      run();
      load({kStackPattern + "mov %r2, " + std::string(off) + "\nmov %r3, %r6\nmov %r4, " + len +
            "\ncall 190\nexit"},
           0);
      run();
    }
  }
  // Overlapping packet to packet (memmove both ways).
  for (int src : {2, 10}) {
    load({"mov %r6, %r1\nldxw %r3, [%r6+0]\nadd %r3, " + std::to_string(src) +
          "\nmov %r2, 6\nmov %r4, 20\ncall 190\nexit"},
         0);
    run();
  }
  // Into the ctx: read-only.
  load({"mov %r6, %r1\nmov %r2, 0\nmov %r3, %r6\nmov %r4, 4\ncall 189\nexit"}, 0);
  EXPECT_EQ(run().rtl.fault, FaultCode::kReadOnlyWrite);
}

// A slow helper with a small budget is not a hang: an 8000-byte xdp_store_bytes (2 cycles
// a byte) and a host-side LPM lookup over many entries take far more cycles than the budget
// times a typical instruction. The watchdog bounds each instruction by the slowest helper on
// the model's map pools (device::max_insn_cycles); a hang would throw here.
TEST_F(RtlPrograms, SlowHelpersWithASmallBudgetComplete) {
  load({"mov %r6, %r1\nldxw %r3, [%r6+0]\nadd %r3, 1000\nmov %r2, 0\nmov %r4, 8000\n"
        "call 190\nexit"},
       0);
  const Both b = run(9018, RunOptions{.budget = 7});
  EXPECT_EQ(b.rtl.fault, FaultCode::kNone);
  EXPECT_EQ(b.rtl.instructions, 7u);
  EXPECT_GT(b.rtl.cycles, 16000u) << "the copy takes 2 cycles a byte";
  // The same program one instruction short of its budget: the exit faults, after the copy.
  EXPECT_EQ(run(9018, RunOptions{.budget = 6}).rtl.fault, FaultCode::kBudgetExceeded);
}

TEST_F(RtlPrograms, TracePrintkEvents) {
  // "hello!\n" from the stack pattern (bytes 36..), three arguments.
  const std::string call = "mov %r3, 7\nmov %r4, -1\nlddw %r5, 0x123456789\ncall 6\n";
  load({kStackPattern + "mov %r1, %r6\nadd %r1, 36\nmov %r2, 12\n" + call + "exit"}, 0);
  EXPECT_EQ(run().rtl.events.size(), 1u);
  // No NUL within size: -EINVAL, no event.
  load({kStackPattern + "mov %r1, %r6\nadd %r1, 36\nmov %r2, 6\n" + call + "exit"}, 0);
  EXPECT_TRUE(run().rtl.events.empty());
  // An empty format.
  load({kStackPattern + "mov %r1, %r6\nadd %r1, 43\nmov %r2, 1\n" + call + "exit"}, 0);
  run();
  // Until the FIFO is full: -ENOSPC from then on.
  load({kStackPattern + "mov %r7, 0\nmov %r8, 0\n"
        "loop:\nmov %r1, %r6\nadd %r1, 36\nmov %r2, 12\n" + call +
        "add %r8, %r0\nadd %r7, 1\njlt %r7, 2100, loop\nmov %r0, %r8\nexit"},
       0);
  const Both b = run();
  EXPECT_EQ(b.rtl.events.size(), 65536u / 48u);
  // size 0 faults.
  load({kStackPattern + "mov %r1, %r6\nmov %r2, 0\n" + call + "exit"}, 0);
  EXPECT_EQ(run().rtl.fault, FaultCode::kHelperFault);
}

// ---------------------------------------------------------------- maps, tail calls

MapSpec map_spec(MapType t, uint32_t k, uint32_t v, uint32_t n) {
  MapSpec s;
  s.name = "m";
  s.type = t;
  s.key_size = k;
  s.value_size = v;
  s.max_entries = n;
  return s;
}

std::vector<uint8_t> le32(uint32_t v) {
  return {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 24)};
}

TEST_F(RtlPrograms, TailCallsKeepR0AndStopAt33) {
  maps({map_spec(MapType::kProgArray, 4, 4, 4)});
  host_update(0, le32(0), le32(1));
  host_update(0, le32(1), le32(1));
  host_update(0, le32(2), le32(7));  // no such program
  // Program 1 calls itself through slot 1 until the 33rd call fails; r0 counts the entries.
  load({"mov %r0, 100\nlddw %r2, map[0]\nmov %r3, 0\ncall 12\nexit",
        "add %r0, 1\nmov %r6, %r1\nlddw %r2, map[0]\nmov %r3, 1\ncall 12\nexit"},
       0);
  Both b = run();
  EXPECT_EQ(b.rtl.tail_calls, 33u);
  EXPECT_EQ(b.rtl.r0, 133u) << "r0 is carried into every target and kept by the failed call";
  EXPECT_EQ(b.rtl.program, 1u);
  // An empty slot, a missing program, an index out of range: r0 unchanged, no jump.
  for (int slot : {2, 3, 4, -1}) {
    load({"mov %r0, 55\nlddw %r2, map[0]\nmov %r3, " + std::to_string(slot) +
              "\ncall 12\nadd %r0, 1\nexit",
          "mov %r0, 1\nexit"},
         0);
    b = run();
    EXPECT_EQ(b.rtl.r0, 56u);
  }
}

TEST_F(RtlPrograms, LocalCallsAcrossTailCalls) {
  maps({map_spec(MapType::kProgArray, 4, 4, 2)});
  host_update(0, le32(0), le32(1));
  // A subprogram tail-calls; the exit of program 1 returns into program 0's caller frame.
  load({"mov %r6, 5\ncall local f\nadd %r0, %r6\nexit\n"
        "f:\nmov %r6, 100\nlddw %r2, map[0]\nmov %r3, 0\ncall 12\nmov %r0, 1\nexit",
        "mov %r0, 7\nmov %r6, 1000\nexit"},
       0);
  const Both b = run();
  EXPECT_EQ(b.rtl.r0, 12u);
  EXPECT_EQ(b.rtl.program, 0u);
}

// IF takes a redirect's absolute slot and bounds flags from EX (a branch or call target
// prepared in ID, a return slot kept in the call-stack frame, a tail call's first slot):
// every kind of redirect that lands on a program's last slot or just past it, in a program
// that is not the first (its slots do not start at 0), faults as the interpreter does.
TEST_F(RtlPrograms, RedirectsAtTheEdgesOfAProgram) {
  auto edge = [&](const std::string& text, bool drop_last, FaultCode want, uint32_t pc) {
    std::vector<Insn> p = assemble(text);
    if (drop_last) p.pop_back();  // leave the first slot of an lddw as the last slot
    const std::vector<std::vector<Insn>> progs = {assemble("mov %r0, 1\nexit"),
                                                  assemble("mov %r0, 2\nmov %r0, 3\nexit"), p};
    interp_->load_programs(progs, 2, {.check = false});
    rtl_->load_programs(progs, 2, {.check = false});
    const Both b = run();
    EXPECT_EQ(b.interp.fault, want) << text;
    EXPECT_EQ(b.interp.fault_pc, pc) << text;
  };
  // A return to the last slot, which is an lddw cut in half.
  edge("ja +2\nf:\nexit\nexit\ncall local f\nlddw %r0, 0x1234567890", true,
       FaultCode::kInvalidInstruction, 4);
  // The same return to a whole instruction there.
  edge("ja +2\nf:\nexit\nexit\ncall local f\nmov %r0, 9\nexit", false, FaultCode::kNone, 0);
  // A call in the last slot: the return slot is the program's length.
  edge("ja +1\nf:\nexit\ncall local f", false, FaultCode::kInvalidInstruction, 3);
  // A taken branch to a cut lddw in the last slot, and to a whole one.
  edge("mov %r1, 1\njeq %r1, 1, +1\nexit\nlddw %r0, 5", true,
       FaultCode::kInvalidInstruction, 3);
  edge("mov %r1, 1\njeq %r1, 1, +1\nexit\nlddw %r0, 5\nexit", false, FaultCode::kNone, 0);
  // A call whose target is the last slot, a cut lddw.
  edge("call local f\nexit\nf:\nlddw %r0, 5", true, FaultCode::kInvalidInstruction, 2);

  // Tail calls into a program whose only slot is a cut lddw, and into a one-slot program.
  maps({map_spec(MapType::kProgArray, 4, 4, 2)});
  host_update(0, le32(0), le32(3));
  host_update(0, le32(1), le32(4));
  std::vector<Insn> cut = assemble("lddw %r0, 5");
  cut.pop_back();
  const std::string caller = "mov %r0, 55\nlddw %r2, map[0]\nmov %r3, ";
  for (int slot : {0, 1}) {
    const std::vector<std::vector<Insn>> progs = {
        assemble("mov %r0, 1\nexit"), assemble("mov %r0, 2\nexit"),
        assemble(caller + std::to_string(slot) + "\ncall 12\nexit"), cut,
        assemble("exit")};
    interp_->load_programs(progs, 2, {.check = false});
    rtl_->load_programs(progs, 2, {.check = false});
    const Both b = run();
    EXPECT_EQ(b.interp.tail_calls, 1u);
    EXPECT_EQ(b.interp.fault, slot == 0 ? FaultCode::kInvalidInstruction : FaultCode::kNone);
    EXPECT_EQ(b.interp.program, slot == 0 ? 3u : 4u);
    if (slot == 1) {
      EXPECT_EQ(b.interp.r0, 55u);
    }
  }

  // A callee that tail-calls; the new program's exit returns to the caller's last slot (a
  // cut lddw), whose flags were taken against the caller's length at the call.
  host_update(0, le32(0), le32(3));
  {
    std::vector<Insn> outer = assemble("ja +5\nf:\nlddw %r2, map[0]\nmov %r3, 0\ncall 12\nexit\n"
                                       "call local f\nlddw %r0, 5");
    outer.pop_back();  // the return slot (7) is the last one, an lddw cut in half
    const std::vector<std::vector<Insn>> progs = {
        assemble("mov %r0, 1\nexit"), assemble("mov %r0, 2\nexit"), outer,
        assemble("mov %r0, 9\nexit")};
    interp_->load_programs(progs, 2, {.check = false});
    rtl_->load_programs(progs, 2, {.check = false});
    const Both b = run();
    EXPECT_EQ(b.interp.tail_calls, 1u);
    EXPECT_EQ(b.interp.fault, FaultCode::kInvalidInstruction);
    EXPECT_EQ(b.interp.program, 2u);
    EXPECT_EQ(b.interp.fault_pc, 7u);
  }

  // A program in the last slots of the instruction memory: its last slot's address + 1 wraps
  // to slot 0, and a backward branch from there must still land inside the program.
  {
    const uint32_t imem = sim::Harness().csr_read(csr::kImemSlots);  // the model's memory size
    std::string filler;
    for (uint32_t i = 0; i + 7 < imem; ++i) filler += "mov %r0, 1\n";
    filler += "exit";
    const std::vector<std::vector<Insn>> progs = {
        assemble(filler),
        assemble("mov %r0, 0\nja +3\nf:\nadd %r0, 1\nexit\nexit\njeq %r0, 0, -4")};
    ASSERT_EQ(progs[0].size() + progs[1].size(), imem);
    interp_->load_programs(progs, 1, {.check = false});
    rtl_->load_programs(progs, 1, {.check = false});
    const Both b = run();
    EXPECT_EQ(b.interp.fault, FaultCode::kNone);
    EXPECT_EQ(b.interp.r0, 1u);
  }
}

TEST_F(RtlPrograms, HashFullNoexistExistThroughHelpers) {
  maps({map_spec(MapType::kHash, 4, 8, 2), map_spec(MapType::kArray, 4, 8, 2)});
  // key in r7, flags in r8: r0 = update's result, accumulated as r9 = r9 * 64 + (r0 & 63).
  const std::string upd =
      "stxw [%r10-4], %r7\nstdw [%r10-16], 9\nlddw %r1, map[0]\nmov %r2, %r10\n"
      "add %r2, -4\nmov %r3, %r10\nadd %r3, -16\nmov %r4, %r8\ncall 2\n"
      "lsh %r9, 6\nand %r0, 63\nor %r9, %r0\n";
  std::string text = "mov %r9, 0\n";
  for (auto [key, flags] : std::vector<std::pair<int, int>>{
           {1, 2}, {1, 1}, {1, 0}, {1, 1}, {2, 0}, {3, 0}, {3, 2}, {2, 2}}) {
    text += "mov %r7, " + std::to_string(key) + "\nmov %r8, " + std::to_string(flags) + "\n" + upd;
  }
  // Delete key 1 twice, then key 3 fits.
  text += "stw [%r10-4], 1\nlddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -4\ncall 3\n"
          "lsh %r9, 6\nand %r0, 63\nor %r9, %r0\n"
          "lddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -4\ncall 3\n"
          "lsh %r9, 6\nand %r0, 63\nor %r9, %r0\n"
          "mov %r7, 3\nmov %r8, 1\n" + upd +
          // ARRAY: NOEXIST is -EEXIST, an index out of range -E2BIG.
          "stw [%r10-4], 1\nlddw %r1, map[1]\nmov %r2, %r10\nadd %r2, -4\nmov %r3, %r10\n"
          "add %r3, -16\nmov %r4, 1\ncall 2\nlsh %r9, 6\nand %r0, 63\nor %r9, %r0\n"
          "mov %r0, %r9\nexit";
  load({text}, 0);
  const Both b = run();
  EXPECT_NE(b.rtl.r0, 0u);
  same_contents(0);
  same_contents(1);
}

TEST_F(RtlPrograms, LruEvictionThroughHelpers) {
  maps({map_spec(MapType::kLruHash, 4, 8, 3)});
  // Insert keys 1..6, looking key 1 up after each insert so it stays recent.
  std::string text;
  for (int k = 1; k <= 6; ++k) {
    text += "stw [%r10-4], " + std::to_string(k) + "\nstdw [%r10-16], " + std::to_string(10 * k) +
            "\nlddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -4\nmov %r3, %r10\nadd %r3, -16\n"
            "mov %r4, 0\ncall 2\nstw [%r10-4], 1\nlddw %r1, map[0]\nmov %r2, %r10\n"
            "add %r2, -4\ncall 1\n";
  }
  load({text + "exit"}, 0);
  const Both b = run();
  EXPECT_NE(b.rtl.r0, 0u) << "key 1 survived";
  same_contents(0);
}

#ifdef EBPF_HAVE_DEVICE
// The device engine (a Bus; here the in-process sim: transport) shares the program-set, map
// and result code with the rtl engine: tail calls, maps, events and redirects over it.
TEST(DeviceEngine, ProgramSetsMapsEventsAndRedirects) {
  Device dev = Device::open("sim:");
  Engine& d = dev.engine();
  auto interp = make_engine("interp");
  const std::vector<MapSpec> specs = {map_spec(MapType::kProgArray, 4, 4, 2),
                                      map_spec(MapType::kHash, 4, 8, 4),
                                      map_spec(MapType::kRingbuf, 0, 0, 4096)};
  const std::vector<std::vector<Insn>> progs = {
      assemble("mov %r6, %r1\nstw [%r10-4], 7\nstdw [%r10-16], 99\nlddw %r1, map[1]\n"
               "mov %r2, %r10\nadd %r2, -4\nmov %r3, %r10\nadd %r3, -16\nmov %r4, 0\n"
               "call 2\nlddw %r1, map[2]\nmov %r2, %r10\nadd %r2, -16\nmov %r3, 8\n"
               "mov %r4, 0\ncall 130\nmov %r1, %r6\nlddw %r2, map[0]\nmov %r3, 0\n"
               "call 12\nexit"),
      assemble("mov %r1, 6\nmov %r2, 0\ncall 23\nexit")};
  for (Engine* e : {&d, interp.get()}) {
    e->configure_maps(specs);
    ASSERT_EQ(e->maps()->update(0, le32(0), le32(1), 0), 0);
    e->load_programs(progs, 0);
  }
  std::vector<uint8_t> pkt(60, 0x11);
  MemoryImage a, b;
  a.set_packet(pkt);
  a.has_ctx = true;
  b = a;
  const RunResult rd = d.run(a), ri = interp->run(b);
  EXPECT_EQ(fault_name(rd.fault), fault_name(ri.fault));
  EXPECT_EQ(rd.r0, ri.r0);
  EXPECT_EQ(rd.program, 1u);
  EXPECT_EQ(rd.tail_calls, ri.tail_calls);
  EXPECT_EQ(rd.events, ri.events);
  ASSERT_EQ(rd.events.size(), 1u);
  EXPECT_EQ(rd.redirect, ri.redirect);
  ASSERT_TRUE(rd.redirect.has_value());
  std::vector<uint8_t> v(8);
  ASSERT_EQ(d.maps()->lookup(1, le32(7), v), 0);
  EXPECT_EQ(v[0], 99);
  // A single program after a set: the table no longer reaches program 1.
  d.load(assemble("mov %r1, %r1\nlddw %r2, map[0]\nmov %r3, 0\nmov %r0, 3\ncall 12\nexit"));
  interp->load(assemble("mov %r1, %r1\nlddw %r2, map[0]\nmov %r3, 0\nmov %r0, 3\ncall 12\nexit"));
  MemoryImage c = b, e2 = b;
  EXPECT_EQ(d.run(c).r0, interp->run(e2).r0);
}
#endif

TEST(RtlPacketPort, ReadsAndWritesThePacketBuffer) {
  sim::Harness h;
  h.pkt_port_write(32, 0x1122334455667788ull);
  h.pkt_port_write(33, 0xffffffffffffffffull, 0x0f);
  EXPECT_EQ(h.pkt_port_read(32), 0x1122334455667788ull);
  EXPECT_EQ(h.pkt_port_read(33), 0x00000000ffffffffull);
  // The CSR window sees the same bytes.
  EXPECT_EQ(h.csr_read(csr::kWinPacket + 256), 0x55667788u);
  EXPECT_EQ(h.csr_read(csr::kWinPacket + 260), 0x11223344u);
  h.csr_write(csr::kWinPacket + 268, 0xabcdef01u);
  EXPECT_EQ(h.pkt_port_read(33), 0xabcdef01ffffffffull);
}

}  // namespace
}  // namespace ebpf
