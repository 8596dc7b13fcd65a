// Helpers on the interpreter (the golden model), through assembled programs: maps from
// programs, map value pointers and their bounds, events, tail calls, redirects, csum_diff,
// the XDP adjust helpers and their Linux limits, and faults for bad helper arguments.
#include <gtest/gtest.h>

#include <cerrno>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "map_test_util.h"

namespace ebpf::maptest {
namespace {

Bytes frame(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i + 1);
  return b;
}

uint64_t err(int e) { return static_cast<uint64_t>(static_cast<int64_t>(e)); }

// Runs on every engine built that has a map unit (Engine::maps() != nullptr): the
// interpreter now, the rtl engine once its map and helper units exist.
class Helpers : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    e_ = make_engine(GetParam());
    if (!e_->maps()) GTEST_SKIP() << "engine " << GetParam() << " has no map unit yet";
  }

  void maps(std::vector<MapSpec> specs, MapOptions o = {}) {
    specs_ = std::move(specs);
    e_->configure_maps(specs_, o);
  }
  MapAccess& m() { return *e_->maps(); }

  // Loads `text` and runs it as XDP on `pkt` (ingress ifindex 3).
  RunResult xdp(const std::string& text, const Bytes& pkt = frame(60), RunOptions ro = {},
                LoadOptions lo = {}) {
    e_->load(assemble(text), lo);
    return run(pkt, ro);
  }
  RunResult run(const Bytes& pkt = frame(60), RunOptions ro = {}) {
    mem_ = MemoryImage{};
    mem_.set_packet(pkt);
    mem_.has_ctx = true;
    mem_.ingress_ifindex = 3;
    return e_->run(mem_, ro);
  }
  RunResult programs(const std::vector<std::string>& texts, const Bytes& pkt = frame(60)) {
    std::vector<std::vector<Insn>> progs;
    for (const auto& t : texts) progs.push_back(assemble(t));
    e_->load_programs(progs, 0);
    return run(pkt);
  }
  Bytes lookup(uint32_t map, const Bytes& key) {
    Bytes v(host_value_size(m(), map));
    EXPECT_EQ(m().lookup(map, key, v), 0);
    return v;
  }
  static void ok(const RunResult& r) {
    EXPECT_EQ(fault_name(r.fault), "none") << "at pc " << r.fault_pc;
  }
  static void faulted(const RunResult& r, FaultCode code, uint32_t pc) {
    EXPECT_EQ(fault_name(r.fault), fault_name(code));
    EXPECT_EQ(r.fault_pc, pc);
    EXPECT_EQ(r.r0, 0u);
  }

  std::unique_ptr<Engine> e_;
  std::vector<MapSpec> specs_;
  MemoryImage mem_;
};

// ---------------------------------------------------------------- maps from programs

// r0 = lookup(map[0], key on the stack).
std::string lookup_prog(uint32_t key, const std::string& then = "exit") {
  return "stw [%r10-4], " + std::to_string(key) +
         "\nmov %r2, %r10\nadd %r2, -4\nlddw %r1, map[0]\ncall 1\n" + then;
}

TEST_P(Helpers, LookupGivesAPointerIntoTheMapAndStoresReachIt) {
  maps({spec(MapType::kArray, 4, 8, 4)});
  const auto r = xdp(lookup_prog(2,
                                 "jeq %r0, 0, miss\nmov %r6, %r0\nstdw [%r0+0], 0x1234\n"
                                 "mov %r1, 5\nlock add [%r6+0], %r1\nmov %r0, %r6\nexit\n"
                                 "miss:\nmov %r0, 0\nexit"));
  ok(r);
  EXPECT_EQ(r.r0, addr::map_value(0, 16));
  EXPECT_EQ(u64(lookup(0, le32(2))), 0x1239u);
  EXPECT_EQ(xdp(lookup_prog(4)).r0, 0u) << "out of range: NULL";
}

TEST_P(Helpers, MapValueAccessIsBoundedByTheMap) {
  maps({spec(MapType::kArray, 4, 8, 2)});
  ok(xdp(lookup_prog(1, "ldxdw %r0, [%r0-8]\nexit")));  // slot 0: same map
  faulted(xdp(lookup_prog(1, "ldxdw %r0, [%r0+8]\nexit")), FaultCode::kLoadOutOfBounds, 6);
  faulted(xdp(lookup_prog(1, "stb [%r0+8], 1\nexit")), FaultCode::kStoreOutOfBounds, 6);
  faulted(xdp(lookup_prog(0, "ldxb %r0, [%r0-1]\nexit")), FaultCode::kLoadOutOfBounds, 6);
  faulted(xdp("lddw %r1, map_value[1]+0\nldxb %r0, [%r1+0]\nexit"),
          FaultCode::kLoadOutOfBounds, 2);
}

TEST_P(Helpers, GlobalDataThroughLddwAndReadOnlyRodata) {
  maps({global_data(MapOrigin::kRodata, {10, 20, 30, 40}, ".rodata"),
        global_data(MapOrigin::kData, {1, 2, 3, 4, 5, 6, 7, 8}, ".data")});
  auto r = xdp("lddw %r1, map_value[0]+2\nldxb %r0, [%r1+0]\nexit");
  ok(r);
  EXPECT_EQ(r.r0, 30u);
  faulted(xdp("lddw %r1, map_value[0]+0\nstb [%r1+0], 1\nexit"), FaultCode::kReadOnlyWrite, 2);
  faulted(xdp("lddw %r1, map_value[0]+0\nmov %r2, 1\nlock add32 [%r1+0], %r2\nexit"),
          FaultCode::kReadOnlyWrite, 3);
  faulted(xdp("lddw %r1, map_value[0]+64\nstb [%r1+0], 1\nexit"), FaultCode::kReadOnlyWrite, 2);
  EXPECT_EQ(lookup(0, le32(0)), (Bytes{10, 20, 30, 40}));
  ok(xdp("lddw %r1, map_value[1]+4\nmov %r2, 0x100\nlock add32 [%r1+0], %r2\nexit"));
  EXPECT_EQ(lookup(1, le32(0)), (Bytes{1, 2, 3, 4, 5, 7, 7, 8}));
  // A map update from a program into .rodata is a write to read-only memory.
  faulted(xdp("stw [%r10-4], 0\nmov %r2, %r10\nadd %r2, -4\nmov %r3, %r2\nlddw %r1, map[0]\n"
              "mov %r4, 0\ncall 2\nexit"),
          FaultCode::kReadOnlyWrite, 7);
}

// r0 = update(map[0], key, value, flags) with u32 key and value on the stack.
std::string update_prog(uint32_t key, uint32_t value, uint64_t flags) {
  return "stw [%r10-4], " + std::to_string(key) + "\nstw [%r10-8], " + std::to_string(value) +
         "\nmov %r2, %r10\nadd %r2, -4\nmov %r3, %r10\nadd %r3, -8\nlddw %r1, map[0]\n"
         "mov %r4, " + std::to_string(flags) + "\ncall 2\nexit";
}
std::string delete_prog(uint32_t key) {
  return "stw [%r10-4], " + std::to_string(key) +
         "\nmov %r2, %r10\nadd %r2, -4\nlddw %r1, map[0]\ncall 3\nexit";
}

TEST_P(Helpers, UpdateAndDeleteFromProgramsReturnLinuxErrnos) {
  maps({spec(MapType::kHash, 4, 4, 2)});
  EXPECT_EQ(xdp(update_prog(1, 11, kBpfAny)).r0, 0u);
  EXPECT_EQ(xdp(update_prog(2, 22, kBpfNoexist)).r0, 0u);
  EXPECT_EQ(xdp(update_prog(3, 33, kBpfAny)).r0, err(-E2BIG));
  EXPECT_EQ(xdp(update_prog(1, 12, kBpfNoexist)).r0, err(-EEXIST));
  EXPECT_EQ(xdp(update_prog(3, 33, kBpfExist)).r0, err(-ENOENT));
  EXPECT_EQ(xdp(update_prog(1, 13, 9)).r0, err(-EINVAL));
  EXPECT_EQ(xdp(update_prog(1, 14, kBpfExist)).r0, 0u);
  EXPECT_EQ(u32(lookup(0, le32(1))), 14u);
  EXPECT_EQ(xdp(delete_prog(7)).r0, err(-ENOENT));
  EXPECT_EQ(xdp(delete_prog(1)).r0, 0u);
  EXPECT_EQ(xdp(lookup_prog(1)).r0, 0u);
}

TEST_P(Helpers, ArrayErrnosFromPrograms) {
  maps({spec(MapType::kArray, 4, 4, 2)});
  EXPECT_EQ(xdp(update_prog(2, 1, kBpfAny)).r0, err(-E2BIG));
  EXPECT_EQ(xdp(update_prog(1, 1, kBpfNoexist)).r0, err(-EEXIST));
  EXPECT_EQ(xdp(update_prog(1, 5, kBpfExist)).r0, 0u);
  EXPECT_EQ(xdp(delete_prog(1)).r0, err(-EINVAL));
  EXPECT_EQ(u32(lookup(0, le32(1))), 5u);
}

TEST_P(Helpers, LruMapsFromPrograms) {
  maps({spec(MapType::kLruHash, 4, 4, 2)});
  EXPECT_EQ(xdp(update_prog(1, 1, kBpfAny)).r0, 0u);
  EXPECT_EQ(xdp(update_prog(2, 2, kBpfAny)).r0, 0u);
  EXPECT_NE(xdp(lookup_prog(1)).r0, 0u);  // 1 is now more recent than 2
  EXPECT_EQ(xdp(update_prog(3, 3, kBpfAny)).r0, 0u) << "evicts instead of E2BIG";
  EXPECT_EQ(xdp(lookup_prog(2)).r0, 0u) << "2 was evicted";
  EXPECT_NE(xdp(lookup_prog(1)).r0, 0u);
}

TEST_P(Helpers, LpmLookupFromAProgram) {
  maps({spec(MapType::kLpmTrie, 8, 4, 8, kBpfFNoPrealloc)});
  ASSERT_EQ(m().update(0, v4(8, 10, 0, 0, 0), le32(8), 0), 0);
  ASSERT_EQ(m().update(0, v4(24, 10, 1, 2, 0), le32(24), 0), 0);
  const std::string prog =
      "stw [%r10-8], 32\nlddw %r1, 0x0302010a\nstxw [%r10-4], %r1\n"  // 10.1.2.3/32
      "mov %r2, %r10\nadd %r2, -8\nlddw %r1, map[0]\ncall 1\njeq %r0, 0, +1\n"
      "ldxw %r0, [%r0+0]\nexit";
  EXPECT_EQ(xdp(prog).r0, 24u);
}

TEST_P(Helpers, PercpuValuesFollowTheCore) {
  maps({spec(MapType::kPercpuArray, 4, 8, 1)}, {.cores = 2});
  const std::string count = lookup_prog(0, "mov %r1, 1\nlock add [%r0+0], %r1\ncall 8\nexit");
  EXPECT_EQ(xdp(count).r0, 0u);
  EXPECT_EQ(run(frame(60), {.cpu = 1}).r0, 1u) << "get_smp_processor_id";
  ok(run(frame(60), {.cpu = 0}));
  EXPECT_EQ(lookup(0, le32(0)), cat({le64(2), le64(1)}));
  EXPECT_THROW(run(frame(60), {.cpu = 2}), Error);
}

TEST_P(Helpers, BadMapArgumentsFault) {
  maps({spec(MapType::kArray, 4, 4, 2), spec(MapType::kProgArray, 4, 4, 2),
        spec(MapType::kDevmap, 4, 4, 2)});
  const std::string key = "stw [%r10-4], 0\nmov %r2, %r10\nadd %r2, -4\n";
  faulted(xdp(key + "mov %r1, 0\ncall 1\nexit"), FaultCode::kHelperFault, 4);
  faulted(xdp(key + "lddw %r1, map[3]\ncall 1\nexit"), FaultCode::kHelperFault, 5);  // no map 3
  faulted(xdp(key + "lddw %r1, map_value[0]+0\ncall 1\nexit"), FaultCode::kHelperFault, 5);  // a value pointer is not a map
  faulted(xdp(key + "lddw %r1, map[1]\ncall 1\nexit"), FaultCode::kHelperFault, 5);  // programs cannot look up a prog array
  faulted(xdp(key + "mov %r3, %r2\nlddw %r1, map[2]\nmov %r4, 0\ncall 2\nexit"),
          FaultCode::kHelperFault, 7);  // programs cannot update a devmap
  faulted(xdp(key + "lddw %r1, map[2]\ncall 3\nexit"), FaultCode::kHelperFault, 5);
  faulted(xdp("mov %r2, %r10\nadd %r2, -2\nlddw %r1, map[0]\ncall 1\nexit"),
          FaultCode::kHelperFault, 4);  // the key runs past the stack top
  faulted(xdp("mov %r2, 0\nlddw %r1, map[0]\ncall 1\nexit"), FaultCode::kHelperFault, 3);
  // A faulting helper changes nothing: registers as before the call, map untouched.
  const auto r = xdp(key + "mov %r3, 0\nlddw %r1, map[0]\nmov %r4, 0\nmov %r0, 77\ncall 2\nexit");
  faulted(r, FaultCode::kHelperFault, 8);
  EXPECT_EQ(r.regs[0], 77u);
  EXPECT_EQ(u32(lookup(0, le32(0))), 0u);
  // A devmap value is read-only to programs.
  ASSERT_EQ(m().update(2, le32(0), le32(9), 0), 0);
  faulted(xdp(key + "lddw %r1, map[2]\ncall 1\nstw [%r0+0], 1\nexit"),
          FaultCode::kReadOnlyWrite, 6);
}

TEST_P(Helpers, HelperArgumentRegistersAreLeftUnchanged) {
  const auto r = xdp("mov %r1, 0\nmov %r2, 0\nmov %r3, 0\nmov %r4, 0\nmov %r5, 9\ncall 28\nexit");
  ok(r);
  EXPECT_EQ(r.regs[5], 9u);
  EXPECT_EQ(r.regs[1], 0u);
}

// ---------------------------------------------------------------- misc helpers

TEST_P(Helpers, PrandomIsTheSeededXorshiftSequenceAcrossRuns) {
  const std::string prog = "call 7\nmov %r6, %r0\ncall 7\nlsh %r0, 32\nor %r0, %r6\nexit";
  e_->load(assemble(prog), {.prandom_seed = 42});
  uint64_t state = prandom_seed_state(42);
  for (int run_i = 0; run_i < 3; ++run_i) {
    const uint64_t a = prandom_next(state), b = prandom_next(state);
    EXPECT_EQ(run().r0, (b << 32) | a) << "run " << run_i;
  }
  e_->load(assemble(prog), {.prandom_seed = 42});
  state = prandom_seed_state(42);
  const uint64_t a = prandom_next(state), b = prandom_next(state);
  EXPECT_EQ(run().r0, (b << 32) | a) << "load() reseeds";
  EXPECT_EQ(prandom_seed_state(0), kPrandomZeroSeed);
  uint64_t s = 1;
  EXPECT_EQ(prandom_next(s), 0x00000000u);  // 1 -> 0x40822041: upper half 0
  EXPECT_EQ(s, 0x40822041ull);
}

// ktime_get_ns is a clock, so engines differ by design (docs/helpers.md): the interpreter's
// advances 10 ns per retired instruction, the rtl engine's 10 ns per clock cycle.
TEST_P(Helpers, KtimeIsTheEnginesClock) {
  if (GetParam() == "interp") {
    EXPECT_EQ(xdp("mov %r1, 1\nmov %r1, 2\ncall 5\nexit").r0, 30u) << "10 ns per instruction";
    return;
  }
  // Two readings around four instructions: later, whole cycles, within the run.
  const auto r = xdp("call 5\nmov %r6, %r0\nmov %r1, 1\nmov %r1, 2\ncall 5\nmov %r7, %r0\n"
                     "sub %r0, %r6\nexit");
  ok(r);
  ASSERT_TRUE(r.cycles.has_value());
  EXPECT_GT(r.r0, 0u);
  EXPECT_EQ(r.r0 % 10, 0u);
  EXPECT_EQ(r.regs[6] % 10, 0u);
  EXPECT_LE(r.regs[7], *r.cycles * 10);
  EXPECT_GE(r.r0, 30u) << "at least one cycle per instruction between the readings";
}

TEST_P(Helpers, TracePrintkSendsTheFormatAndArguments) {
  // "hi %d" and its NUL on the stack.
  const auto r = xdp("lddw %r1, 0x6425206968\nstxdw [%r10-8], %r1\nmov %r1, %r10\nadd %r1, -8\n"
                     "mov %r2, 8\nmov %r3, -42\nmov %r4, 7\nmov %r5, 8\ncall 6\nexit");
  ok(r);
  EXPECT_EQ(r.r0, 0u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, EventKind::kTracePrintk);
  EXPECT_EQ(r.events[0].bytes,
            cat({le64(static_cast<uint64_t>(-42)), le64(7), le64(8), Bytes{'h', 'i', ' ', '%', 'd'}}));
  EXPECT_EQ(format_trace_printk(r.events[0]), "hi -42");
  // No NUL within fmt_size: -EINVAL, nothing sent.
  const auto bad = xdp("lddw %r1, 0x6425206968\nstxdw [%r10-8], %r1\nmov %r1, %r10\n"
                       "add %r1, -8\nmov %r2, 5\ncall 6\nexit");
  EXPECT_EQ(bad.r0, err(-EINVAL));
  EXPECT_TRUE(bad.events.empty());
  faulted(xdp("mov %r1, %r10\nadd %r1, -8\nmov %r2, 0\ncall 6\nexit"), FaultCode::kHelperFault, 3);
  faulted(xdp("mov %r1, %r10\nadd %r1, -8\nmov %r2, 9\ncall 6\nexit"), FaultCode::kHelperFault, 3);
}

TEST_P(Helpers, FormatTracePrintkConversions) {
  Event ev{.kind = EventKind::kTracePrintk};
  ev.bytes = cat({le64(0xffffffffull), le64(0x1234abcdull), le64('z')});
  std::string fmt = "%u %X %c %%";
  ev.bytes.insert(ev.bytes.end(), fmt.begin(), fmt.end());
  EXPECT_EQ(format_trace_printk(ev), "4294967295 1234ABCD z %");
  ev.bytes = cat({le64(0xffffffffull), le64(0x1234abcdull), le64(0xffffffffffffffffull)});
  fmt = "%d %hx %lld";
  ev.bytes.insert(ev.bytes.end(), fmt.begin(), fmt.end());
  EXPECT_EQ(format_trace_printk(ev), "-1 abcd -1");
  ev.bytes.resize(24);
  fmt = "%s|%px";
  ev.bytes.insert(ev.bytes.end(), fmt.begin(), fmt.end());
  EXPECT_EQ(format_trace_printk(ev), "<s=0xffffffff>|<p=0x1234abcd>x");
}

// ---------------------------------------------------------------- tail calls

TEST_P(Helpers, TailCallRunsTheTargetProgram) {
  maps({spec(MapType::kProgArray, 4, 4, 4)});
  ASSERT_EQ(m().update(0, le32(1), le32(1), 0), 0);
  const std::string entry = "lddw %r2, map[0]\nmov %r3, IDX\ncall 12\nmov %r0, 1\nexit";
  auto with = [&](uint32_t idx) {
    std::string t = entry;
    t.replace(t.find("IDX"), 3, std::to_string(idx));
    return programs({t, "mov %r0, 2\nexit"});
  };
  auto r = with(1);
  ok(r);
  EXPECT_EQ(r.r0, 2u);
  EXPECT_EQ(r.tail_calls, 1u);
  EXPECT_EQ(r.program, 1u);
  EXPECT_EQ(r.instructions, 5u) << "lddw, mov, call, then the target's mov and exit";
  r = with(2);  // empty slot: falls through, but counts
  EXPECT_EQ(r.r0, 1u);
  EXPECT_EQ(r.tail_calls, 1u);
  EXPECT_EQ(r.program, 0u);
  r = with(4);  // past max_entries: falls through without counting
  EXPECT_EQ(r.r0, 1u);
  EXPECT_EQ(r.tail_calls, 0u);
  ASSERT_EQ(m().update(0, le32(3), le32(9), 0), 0);
  r = with(3);  // names no loaded program
  EXPECT_EQ(r.r0, 1u);
}

TEST_P(Helpers, TailCallsStopAfter33) {
  maps({spec(MapType::kProgArray, 4, 4, 1), global_data(MapOrigin::kBss, Bytes(8, 0), ".bss")});
  ASSERT_EQ(m().update(0, le32(0), le32(0), 0), 0);
  const auto r = programs({"lddw %r2, map_value[1]+0\nmov %r3, 1\nlock add [%r2+0], %r3\n"
                           "lddw %r2, map[0]\nmov %r3, 0\ncall 12\nmov %r0, 2\nexit"});
  ok(r);
  EXPECT_EQ(r.r0, 2u);
  EXPECT_EQ(r.tail_calls, helper_limits::kMaxTailCalls);
  EXPECT_EQ(u64(lookup(1, le32(0))), 34u) << "the entry run plus 33 tail calls";
}

TEST_P(Helpers, TailCallFromASubprogramReturnsToItsCaller) {
  maps({spec(MapType::kProgArray, 4, 4, 2)});
  ASSERT_EQ(m().update(0, le32(1), le32(1), 0), 0);
  const auto r = programs({"mov %r6, 5\ncall local f\nadd %r0, 100\nadd %r0, %r6\nexit\n"
                           "f:\nmov %r6, 9\nlddw %r2, map[0]\nmov %r3, 1\ncall 12\nmov %r0, 1\nexit",
                           "mov %r0, 7\nexit"});
  ok(r);
  EXPECT_EQ(r.r0, 112u) << "7 from the target, +100 and r6 restored to 5 by the caller";
  EXPECT_EQ(r.program, 0u);
}

TEST_P(Helpers, FaultsInATailCalledProgramNameItAndItsSlot) {
  maps({spec(MapType::kProgArray, 4, 4, 2)});
  ASSERT_EQ(m().update(0, le32(0), le32(1), 0), 0);
  const auto r = programs({"lddw %r2, map[0]\nmov %r3, 0\ncall 12\nexit",
                           "mov %r0, 0\nldxb %r0, [%r0+0]\nexit"});
  faulted(r, FaultCode::kLoadOutOfBounds, 1);
  EXPECT_EQ(r.program, 1u);
  // Falling off the end of a program (checker off) faults at its length, in that program.
  std::vector<std::vector<Insn>> progs = {assemble("lddw %r2, map[0]\nmov %r3, 0\ncall 12\nexit"),
                                          assemble("mov %r0, 3\nmov %r0, 4")};
  e_->load_programs(progs, 0, {.check = false});
  const auto off = run();
  faulted(off, FaultCode::kInvalidInstruction, 2);
  EXPECT_EQ(off.program, 1u);
  // Jumps never leave their program.
  progs[1] = assemble("ja +5\nexit");
  e_->load_programs(progs, 0, {.check = false});
  faulted(run(), FaultCode::kInvalidInstruction, 0);
}

TEST_P(Helpers, LoadProgramsChecksEachProgram) {
  std::vector<std::vector<Insn>> progs = {assemble("mov %r0, 1\nexit"), assemble("mov %r0, 1")};
  try {
    e_->load_programs(progs, 0);
    ADD_FAILURE() << "accepted";
  } catch (const Error& ex) {
    EXPECT_EQ(std::string(ex.what()).rfind("program 1: instruction 0: ", 0), 0u) << ex.what();
  }
  EXPECT_THROW(e_->load_programs(progs, 2), Error);
  progs[1] = assemble("mov %r0, 9\nexit");
  e_->load_programs(progs, 1);
  EXPECT_EQ(run().r0, 9u) << "the entry may be any program";
}

TEST_P(Helpers, TailCallNeedsTheContextAndAProgArray) {
  maps({spec(MapType::kProgArray, 4, 4, 2), spec(MapType::kArray, 4, 4, 2)});
  faulted(xdp("mov %r1, 0\nlddw %r2, map[0]\nmov %r3, 0\ncall 12\nexit"),
          FaultCode::kHelperFault, 4);
  faulted(xdp("lddw %r2, map[1]\nmov %r3, 0\ncall 12\nexit"), FaultCode::kHelperFault, 3);
}

// ---------------------------------------------------------------- redirects

TEST_P(Helpers, RedirectToAnInterface) {
  auto r = xdp("mov %r1, 9\nmov %r2, 0\ncall 23\nexit");
  EXPECT_EQ(r.r0, kXdpRedirect);
  ASSERT_TRUE(r.redirect);
  EXPECT_EQ(*r.redirect, (Redirect{.ifindex = 9}));
  r = xdp("mov %r1, 9\nmov %r2, 1\ncall 23\nexit");
  EXPECT_EQ(r.r0, kXdpAborted) << "flags must be 0";
  EXPECT_FALSE(r.redirect);
  r = xdp("mov %r1, 9\nmov %r2, 0\ncall 23\nmov %r0, 2\nexit");
  EXPECT_FALSE(r.redirect) << "only an XDP_REDIRECT verdict has a target";
  EXPECT_FALSE(xdp("mov %r0, 4\nexit").redirect) << "no target chosen";
}

std::string redirect_map_prog(uint32_t key, uint64_t flags) {
  return "lddw %r1, map[0]\nmov %r2, " + std::to_string(key) + "\nmov %r3, " +
         std::to_string(flags) + "\ncall 51\nexit";
}

TEST_P(Helpers, RedirectMapUsesTheDevmapOrTheDefaultAction) {
  maps({spec(MapType::kDevmap, 4, 4, 4)});
  ASSERT_EQ(m().update(0, le32(1), le32(5), 0), 0);
  auto r = xdp(redirect_map_prog(1, 0));
  EXPECT_EQ(r.r0, kXdpRedirect);
  EXPECT_EQ(r.redirect, (Redirect{.ifindex = 5, .map = 0, .key = 1}));
  r = xdp(redirect_map_prog(2, kXdpPass));
  EXPECT_EQ(r.r0, kXdpPass) << "missing key: the flags' low bits are the action";
  EXPECT_FALSE(r.redirect);
  EXPECT_EQ(xdp(redirect_map_prog(2, kXdpTx)).r0, kXdpTx);
  EXPECT_EQ(xdp(redirect_map_prog(2, 0)).r0, kXdpAborted);
  EXPECT_EQ(xdp(redirect_map_prog(1, 4)).r0, kXdpAborted) << "unknown flag bits";
  r = xdp(redirect_map_prog(2, helper_limits::kBpfFBroadcast | kXdpPass));
  EXPECT_EQ(r.r0, kXdpRedirect);
  EXPECT_EQ(r.redirect, (Redirect{.ifindex = 0, .map = 0, .key = 2,
                                  .flags = helper_limits::kBpfFBroadcast}));
  // As in Linux, a failed redirect_map keeps the ifindex of an earlier bpf_redirect.
  r = xdp("mov %r1, 9\nmov %r2, 0\ncall 23\nlddw %r1, map[0]\nmov %r2, 3\nmov %r3, 0\n"
          "call 51\nmov %r0, 4\nexit");
  EXPECT_EQ(r.redirect, (Redirect{.ifindex = 9}));
}

TEST_P(Helpers, RedirectMapThroughADevmapHash) {
  maps({spec(MapType::kDevmapHash, 4, 8, 4)});
  ASSERT_EQ(m().update(0, le32(1000), cat({le32(6), le32(0)}), 0), 0);
  EXPECT_EQ(xdp(redirect_map_prog(1000, 0)).redirect,
            (Redirect{.ifindex = 6, .map = 0, .key = 1000}));
  EXPECT_EQ(xdp(redirect_map_prog(1001, kXdpDrop)).r0, kXdpDrop);
}

// ---------------------------------------------------------------- events

std::string perf_prog(uint64_t flags, uint32_t size) {
  return "mov %r6, %r1\nlddw %r1, 0x1122334455667788\nstxdw [%r10-8], %r1\nmov %r1, %r6\n"
         "lddw %r2, map[0]\nlddw %r3, " + std::to_string(flags) +
         "\nmov %r4, %r10\nadd %r4, -8\nmov %r5, " + std::to_string(size) + "\ncall 25\nexit";
}

TEST_P(Helpers, PerfEventOutputSendsDataAndPacketBytes) {
  maps({spec(MapType::kPerfEventArray, 4, 4, 0)}, {.cores = 2});
  namespace lim = helper_limits;
  auto r = xdp(perf_prog(lim::kBpfFCurrentCpu | (16ull << 32), 8), frame(60), {.cpu = 1});
  ok(r);
  EXPECT_EQ(r.r0, 0u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, EventKind::kPerfEventOutput);
  EXPECT_EQ(r.events[0].index, 1u) << "BPF_F_CURRENT_CPU";
  Bytes want = le64(0x1122334455667788ull);
  const Bytes pkt = frame(60);
  want.insert(want.end(), pkt.begin(), pkt.begin() + 16);
  EXPECT_EQ(r.events[0].bytes, want);
  EXPECT_EQ(xdp(perf_prog(0, 8)).events.at(0).index, 0u);
  EXPECT_EQ(xdp(perf_prog(2, 8)).r0, err(-E2BIG)) << "ring 2 of 2";
  EXPECT_EQ(xdp(perf_prog(1ull << 52, 8)).r0, err(-EINVAL));
  EXPECT_EQ(xdp(perf_prog(61ull << 32, 8)).r0, err(-EFAULT)) << "more packet than there is";
  EXPECT_EQ(xdp(perf_prog(60ull << 32, 0)).events.at(0).bytes, pkt);
  faulted(xdp(perf_prog(0, 9)), FaultCode::kHelperFault, 12);
}

TEST_P(Helpers, RingbufOutputUntilTheRingIsFull) {
  maps({spec(MapType::kRingbuf, 0, 0, 4096)});
  const std::string prog =
      "stdw [%r10-8], 7\nmov %r6, 0\nmov %r7, 300\nloop:\nlddw %r1, map[0]\nmov %r2, %r10\n"
      "add %r2, -8\nmov %r3, 8\nmov %r4, FLAGS\ncall 130\njne %r0, 0, skip\nadd %r6, 1\n"
      "skip:\nsub %r7, 1\njne %r7, 0, loop\nmov %r0, %r6\nexit";
  std::string p = prog;
  p.replace(p.find("FLAGS"), 5, "0");
  auto r = xdp(p);
  EXPECT_EQ(r.r0, 255u) << "16-byte records (8-byte header + 8 bytes) in 4096 - 1 bytes";
  ASSERT_EQ(r.events.size(), 255u);
  EXPECT_EQ(r.events[0].kind, EventKind::kRingbufOutput);
  EXPECT_EQ(r.events[0].bytes, le64(7));
  EXPECT_EQ(run().r0, 255u) << "the ring is drained between runs";
  p = prog;
  p.replace(p.find("FLAGS"), 5, "4");
  EXPECT_EQ(xdp(p).r0, 0u) << "bad flags: -EINVAL every time";
  EXPECT_EQ(xdp("lddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -8\nmov %r3, 8\nmov %r4, 3\ncall 130\n"
                "exit").r0,
            0u)
      << "BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP are accepted";
}

TEST_P(Helpers, TheEventFifoHoldsSixtyFourKibPerRun) {
  maps({spec(MapType::kPerfEventArray, 4, 4, 1)});
  // 120 records of 512 bytes (520 with the header) fit in 65536 bytes; 126 do, 127 do not.
  const auto r = xdp(
      "mov %r6, %r1\nmov %r7, 0\nmov %r8, 130\nloop:\nmov %r1, %r6\nlddw %r2, map[0]\nmov %r3, 0\n"
      "mov %r4, %r10\nadd %r4, -512\nmov %r5, 512\ncall 25\njne %r0, 0, skip\nadd %r7, 1\nskip:\n"
      "sub %r8, 1\njne %r8, 0, loop\nmov %r0, %r7\nexit");
  EXPECT_EQ(r.r0, 126u);
  EXPECT_EQ(r.events.size(), 126u);
}

// ---------------------------------------------------------------- csum_diff

// The Internet checksum (RFC 1071) of big-endian 16-bit words, computed independently.
uint16_t rfc1071(const Bytes& b) {
  uint32_t sum = 0;
  for (size_t i = 0; i < b.size(); i += 2) {
    sum += (static_cast<uint32_t>(b[i]) << 8) | (i + 1 < b.size() ? b[i + 1] : 0);
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// r0 = csum_diff(packet[0..from), from, packet[toff..toff+to), to, seed).
std::string csum_prog(uint32_t from, uint32_t toff, uint32_t to, uint32_t seed) {
  return "ldxw %r6, [%r1+0]\nmov %r1, " + std::string(from ? "%r6" : "0") + "\nmov %r2, " +
         std::to_string(from) + "\nmov %r3, %r6\nadd %r3, " + std::to_string(toff) +
         "\nmov %r4, " + std::to_string(to) + "\nlddw %r5, " + std::to_string(seed) +
         "\ncall 28\nexit";
}

TEST_P(Helpers, CsumDiffComputesTheIpv4HeaderChecksum) {
  Bytes ip = {0x45, 0x00, 0x00, 0x54, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x01,
              0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  const uint16_t want = rfc1071(ip);  // checksum field is zero here
  const auto r = xdp(csum_prog(0, 0, 20, 0), ip);
  ok(r);
  // csum_diff sums little-endian words: the stored checksum is ~r0 in memory order.
  const uint16_t stored = static_cast<uint16_t>(~r.r0);
  EXPECT_EQ(stored, static_cast<uint16_t>((want >> 8) | (want << 8)));
  EXPECT_EQ(r.r0 >> 16, 0u) << "the result is folded to 16 bits";
}

TEST_P(Helpers, CsumDiffUpdatesAChecksumIncrementally) {
  // RFC 1624: a TTL decrement, as an XDP router does it: seed = ~old checksum, from = the old
  // 4 bytes holding the TTL, to = the new ones; the new checksum is ~result.
  Bytes ip = {0x45, 0x00, 0x00, 0x54, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x01,
              0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  const uint16_t c = rfc1071(ip);
  ip[10] = static_cast<uint8_t>(c >> 8);
  ip[11] = static_cast<uint8_t>(c);
  Bytes pkt = ip;
  pkt.insert(pkt.end(), {0x3f, 0x01, ip[10], ip[11]});  // the new word: TTL 63
  const uint32_t old_le = static_cast<uint32_t>(ip[10]) | (static_cast<uint32_t>(ip[11]) << 8);
  // from = bytes 8..11 of the header, to = bytes 20..23 of the packet.
  const std::string prog = "ldxw %r6, [%r1+0]\nmov %r1, %r6\nadd %r1, 8\nmov %r2, 4\n"
                           "mov %r3, %r6\nadd %r3, 20\nmov %r4, 4\nmov %r5, " +
                           std::to_string(~old_le & 0xffff) + "\ncall 28\nexit";
  const auto u = xdp(prog, pkt);
  ok(u);
  const uint16_t new_le = static_cast<uint16_t>(~u.r0);
  Bytes fixed = ip;
  fixed[8] = 0x3f;
  fixed[10] = static_cast<uint8_t>(new_le);
  fixed[11] = static_cast<uint8_t>(new_le >> 8);
  EXPECT_EQ(rfc1071(fixed), 0) << "the header verifies with the updated checksum";
  fixed[10] = fixed[11] = 0;
  const uint16_t full = rfc1071(fixed);
  EXPECT_EQ(new_le, static_cast<uint16_t>((full >> 8) | (full << 8)));
}

TEST_P(Helpers, CsumDiffEdgeValuesAsLinux) {
  const Bytes zeros(64, 0);
  Bytes ones(64, 0xff);
  EXPECT_EQ(xdp(csum_prog(0, 0, 0, 0), zeros).r0, 0u) << "nothing, seed 0";
  EXPECT_EQ(xdp(csum_prog(0, 0, 0, 0x12345), zeros).r0, 0x2346u) << "just the folded seed";
  EXPECT_EQ(xdp(csum_prog(0, 0, 8, 0), zeros).r0, 0u) << "zeros pushed: 0";
  EXPECT_EQ(xdp(csum_prog(8, 0, 0, 0), ones).r0, 0u) << "all-ones pulled: 0";
  EXPECT_EQ(xdp(csum_prog(8, 0, 0, 0), zeros).r0, 0u) << "zeros pulled: ~V(~0) = 0";
  EXPECT_EQ(xdp(csum_prog(4, 0, 4, 0), frame(64)).r0, 0xffffu) << "equal words: 0xffff";
  EXPECT_EQ(xdp(csum_prog(8, 8, 8, 0), zeros).r0, 0xffffu);
  // Sizes need not be multiples of 4 (Linux 6.13 and later).
  const Bytes pkt = frame(64);
  EXPECT_EQ(xdp(csum_prog(0, 0, 3, 0), pkt).r0, ebpf::csum_diff({}, {pkt.data(), 3}, 0));
  EXPECT_EQ(ebpf::csum_diff({}, {pkt.data(), 3}, 0), 0x0201u + 0x03u);
  faulted(xdp(csum_prog(0, 0, 65, 0), pkt), FaultCode::kHelperFault, 8);
}

TEST(CsumDiff, CongruentToSeedPlusToMinusFrom) {
  // Whatever the representation of zero, the value is seed + to - from modulo 0xffff in
  // 16-bit little-endian words.
  uint64_t state = 99;
  for (int iter = 0; iter < 2000; ++iter) {
    Bytes from(prandom_next(state) % 40), to(prandom_next(state) % 40);
    for (auto& b : from) b = static_cast<uint8_t>(prandom_next(state));
    for (auto& b : to) b = static_cast<uint8_t>(prandom_next(state));
    const uint32_t seed = prandom_next(state);
    auto sum16 = [](const Bytes& b) {
      uint64_t s = 0;
      for (size_t i = 0; i < b.size(); ++i) s += static_cast<uint64_t>(b[i]) << (8 * (i % 2));
      return s % 0xffff;
    };
    const uint64_t want = (seed % 0xffff + sum16(to) + 0xffff - sum16(from)) % 0xffff;
    EXPECT_EQ(ebpf::csum_diff(from, to, seed) % 0xffff, want) << "iteration " << iter;
  }
}

// ---------------------------------------------------------------- XDP adjust helpers

std::string call2(int id, int64_t arg) {
  return "mov %r6, %r1\nmov %r2, " + std::to_string(arg) + "\ncall " + std::to_string(id) + "\n";
}

TEST_P(Helpers, AdjustHeadLimitsAsLinux) {
  namespace lim = helper_limits;
  auto r = xdp(call2(44, -216) + "exit");
  EXPECT_EQ(r.r0, 0u) << "256 bytes of headroom minus struct xdp_frame";
  EXPECT_EQ(mem_.packet_data().size(), 276u);
  EXPECT_EQ(mem_.data, lim::kXdpFrameReserve);
  EXPECT_EQ(xdp(call2(44, -217) + "exit").r0, err(-EINVAL));
  EXPECT_EQ(mem_.packet_data().size(), 60u) << "a refused adjust changes nothing";
  EXPECT_EQ(xdp(call2(44, 46) + "exit").r0, 0u) << "down to ETH_HLEN";
  const Bytes f = frame(60);
  EXPECT_EQ(Bytes(mem_.packet_data().begin(), mem_.packet_data().end()),
            Bytes(f.begin() + 46, f.end()));
  EXPECT_EQ(xdp(call2(44, 47) + "exit").r0, err(-EINVAL));
  EXPECT_EQ(xdp(call2(44, 0) + "exit", frame(13)).r0, err(-EINVAL)) << "a runt cannot move";
  EXPECT_EQ(xdp("mov %r6, %r1\nlddw %r2, 0x1fffffff8\ncall 44\nexit").r0, 0u)
      << "offset is an int: the upper half of r2 is ignored";
  EXPECT_EQ(mem_.packet_data().size(), 68u);
}

TEST_P(Helpers, AdjustHeadMovesTheBoundsAndTheMetadata) {
  // Grow by 4 and write the new first byte through a fresh ctx->data.
  auto r = xdp(call2(44, -4) + "ldxw %r1, [%r6+0]\nstb [%r1+0], 0xaa\nmov %r0, 2\nexit");
  ok(r);
  EXPECT_EQ(mem_.packet_data()[0], 0xaa);
  EXPECT_EQ(mem_.packet_data()[4], 1);
  // After shrinking, the old first bytes are out of bounds.
  r = xdp("ldxw %r7, [%r1+0]\n" + call2(44, 4) + "ldxb %r0, [%r7+0]\nexit");
  faulted(r, FaultCode::kLoadOutOfBounds, 4);
  // Metadata travels with data.
  r = xdp(call2(54, -8) + "ldxw %r1, [%r6+8]\nstdw [%r1+0], 0x11223344\nmov %r1, %r6\n"
          "mov %r2, 10\ncall 44\nexit");
  ok(r);
  EXPECT_EQ(r.r0, 0u);
  EXPECT_EQ(mem_.packet_meta().size(), 8u);
  EXPECT_EQ(u64(Bytes(mem_.packet_meta().begin(), mem_.packet_meta().end())), 0x11223344u);
  EXPECT_EQ(mem_.packet_data().size(), 50u);
  // With 8 bytes of metadata the head can grow by 216 - 8 only.
  EXPECT_EQ(xdp(call2(54, -8) + "mov %r1, %r6\nmov %r2, -209\ncall 44\nexit").r0, err(-EINVAL));
  EXPECT_EQ(xdp(call2(54, -8) + "mov %r1, %r6\nmov %r2, -208\ncall 44\nexit").r0, 0u);
}

TEST_P(Helpers, AdjustMetaLimitsAsLinux) {
  EXPECT_EQ(xdp(call2(54, -4) + "exit").r0, 0u);
  EXPECT_EQ(mem_.packet_meta().size(), 4u);
  EXPECT_EQ(xdp(call2(54, -2) + "exit").r0, err(-EACCES)) << "not a multiple of 4";
  EXPECT_EQ(xdp(call2(54, 4) + "exit").r0, err(-EINVAL)) << "past data";
  EXPECT_EQ(xdp(call2(54, -216) + "exit").r0, 0u) << "more than 32 bytes (Linux 6.18)";
  EXPECT_EQ(xdp(call2(54, -220) + "exit").r0, err(-EINVAL)) << "into struct xdp_frame";
  EXPECT_EQ(xdp(call2(54, -8) + "mov %r1, %r6\nmov %r2, 4\ncall 54\nexit").r0, 0u);
  EXPECT_EQ(mem_.packet_meta().size(), 4u);
  // The metadata is readable and writable by the program, not before it.
  auto r = xdp(call2(54, -4) + "ldxw %r1, [%r6+8]\nstw [%r1+0], 7\nldxb %r0, [%r1-1]\nexit");
  faulted(r, FaultCode::kLoadOutOfBounds, 5);
}

TEST_P(Helpers, AdjustTailLimitsAsLinux) {
  EXPECT_EQ(xdp(call2(65, -46) + "exit").r0, 0u);
  EXPECT_EQ(mem_.packet_data().size(), 14u);
  EXPECT_EQ(xdp(call2(65, -47) + "exit").r0, err(-EINVAL)) << "shorter than ETH_HLEN";
  const int64_t room = addr::kPacketBufferSize - (addr::kPacketHeadroom + 60);
  EXPECT_EQ(xdp(call2(65, room) + "exit").r0, 0u) << "up to the end of the buffer";
  EXPECT_EQ(xdp(call2(65, room + 1) + "exit").r0, err(-EINVAL));
  // Shrink, then grow back: the bytes that come back read as zero.
  auto r = xdp(call2(65, -10) + "mov %r1, %r6\nmov %r2, 10\ncall 65\nexit");
  ok(r);
  Bytes want = frame(60);
  std::fill(want.begin() + 50, want.end(), 0);
  EXPECT_EQ(Bytes(mem_.packet_data().begin(), mem_.packet_data().end()), want);
  // A program may then write the new bytes.
  ok(xdp(call2(65, 4) + "ldxw %r1, [%r6+4]\nstw [%r1-4], 0x55\nmov %r0, 0\nexit"));
  EXPECT_EQ(mem_.packet_data().size(), 64u);
  EXPECT_EQ(mem_.packet_data()[60], 0x55);
}

TEST_P(Helpers, GetBuffLenFollowsTheAdjustments) {
  EXPECT_EQ(xdp("call 188\nexit").r0, 60u);
  EXPECT_EQ(xdp(call2(44, 4) + "mov %r1, %r6\ncall 188\nexit").r0, 56u);
  EXPECT_EQ(xdp(call2(65, 8) + "mov %r1, %r6\ncall 188\nexit").r0, 68u);
}

std::string bytes_prog(int id, uint32_t offset, const std::string& buf, uint32_t len) {
  return "mov %r2, " + std::to_string(offset) + "\n" + buf + "mov %r4, " + std::to_string(len) +
         "\ncall " + std::to_string(id) + "\n";
}
const std::string kStackBuf = "mov %r3, %r10\nadd %r3, -16\n";

TEST_P(Helpers, XdpLoadAndStoreBytes) {
  auto r = xdp(bytes_prog(189, 10, kStackBuf, 8) + "ldxdw %r0, [%r10-16]\nexit");
  ok(r);
  const Bytes f = frame(60);
  EXPECT_EQ(r.r0, u64(Bytes(f.begin() + 10, f.begin() + 18)));
  EXPECT_EQ(xdp(bytes_prog(189, 52, kStackBuf, 8) + "exit").r0, 0u) << "the last 8 bytes";
  EXPECT_EQ(xdp(bytes_prog(189, 53, kStackBuf, 8) + "exit").r0, err(-EINVAL));
  EXPECT_EQ(xdp(bytes_prog(189, 0x10000, kStackBuf, 8) + "exit").r0, err(-EFAULT));
  r = xdp("stdw [%r10-16], -1\n" + bytes_prog(190, 2, kStackBuf, 3) + "exit");
  EXPECT_EQ(r.r0, 0u);
  EXPECT_EQ(mem_.packet_data()[1], 2);
  EXPECT_EQ(mem_.packet_data()[2], 0xff);
  EXPECT_EQ(mem_.packet_data()[4], 0xff);
  EXPECT_EQ(mem_.packet_data()[5], 6);
  EXPECT_EQ(xdp(bytes_prog(190, 58, kStackBuf, 3) + "exit").r0, err(-EINVAL));
  faulted(xdp(bytes_prog(189, 0, kStackBuf, 0) + "exit"), FaultCode::kHelperFault, 4);
  faulted(xdp(bytes_prog(189, 0, kStackBuf, 17) + "exit"), FaultCode::kHelperFault, 4);
  faulted(xdp(bytes_prog(190, 0, "mov %r3, 0\n", 4) + "exit"), FaultCode::kHelperFault, 3);
  maps({global_data(MapOrigin::kRodata, Bytes(8, 0), ".rodata")});
  faulted(xdp(bytes_prog(189, 0, "lddw %r3, map_value[0]+0\n", 4) + "exit"),
          FaultCode::kReadOnlyWrite, 4);
}

TEST_P(Helpers, XdpHelpersNeedTheContext) {
  // Conformance-style runs (r1 = packet pointer, no ctx) cannot call them.
  for (const char* prog : {"call 188\nexit", "mov %r2, 0\ncall 44\nexit",
                           "mov %r2, 0\ncall 65\nexit", "mov %r2, 0\ncall 54\nexit"}) {
    e_->load(assemble(prog));
    mem_ = MemoryImage{};
    mem_.set_packet(frame(20));
    const auto r = e_->run(mem_);
    EXPECT_EQ(fault_name(r.fault), "helper_fault") << prog;
  }
  faulted(xdp("mov %r1, 0\ncall 188\nexit"), FaultCode::kHelperFault, 1);
}

TEST_P(Helpers, UnknownHelpersStillFault) {
  faulted(xdp("call 4\nexit", frame(60), {}, {.check = false}), FaultCode::kUnknownHelper, 0);
  faulted(xdp("mov %r1, 0x10001\ncall %r1\nexit", frame(60), {}, {.check = false}),
          FaultCode::kUnknownHelper, 1);
  EXPECT_THROW(e_->load(assemble("call 4\nexit")), Error);
}

INSTANTIATE_TEST_SUITE_P(AllEngines, Helpers, ::testing::ValuesIn(engine_names()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace ebpf::maptest
