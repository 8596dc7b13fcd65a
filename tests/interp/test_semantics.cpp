// Engine semantics beyond the conformance corpus: call frames, the stack per frame,
// instruction counting, helper calls. Runs on every engine built.
#include "engine_fixture.h"

namespace ebpf::testing {
namespace {

class Semantics : public EngineTest {};

TEST_P(Semantics, LddwRetiresAsOneInstruction) {
  const auto r = run_asm("lddw %r0, 0x1122334455667788\nexit");
  EXPECT_EQ(r.r0, 0x1122334455667788u);
  EXPECT_EQ(r.instructions, 2u);
}

TEST_P(Semantics, CalleeGetsItsOwnFrameAndR6ToR9AreRestored) {
  const auto r = run_asm(
      "mov %r6, 6\nmov %r9, 9\nmov %r0, %r10\ncall local f\n"
      "sub %r0, %r10\n"           // callee's r10 minus caller's r10
      "add %r0, %r6\nadd %r0, %r9\nexit\n"
      "f:\nmov %r6, 100\nmov %r9, 100\nmov %r0, %r10\nexit");
  EXPECT_EQ(r.fault, FaultCode::kNone);
  EXPECT_EQ(r.r0, addr::kStackFrameSize + 6 + 9);
  EXPECT_EQ(r.regs[10], addr::kFramePointer);
}

TEST_P(Semantics, CalleeMayUseCallersStackThroughAPointer) {
  const auto r = run_asm(
      "stdw [%r10-8], 40\nmov %r1, %r10\nadd %r1, -8\ncall local f\nldxdw %r0, [%r10-8]\nexit\n"
      "f:\nldxdw %r2, [%r1]\nadd %r2, 2\nstxdw [%r1], %r2\nstdw [%r10-8], 5\nexit");
  EXPECT_EQ(r.fault, FaultCode::kNone);
  EXPECT_EQ(r.r0, 42u);
}

TEST_P(Semantics, CallerCannotReachAReturnedCalleesFrame) {
  const auto r = run_asm("call local f\nldxdw %r0, [%r10+8]\nexit\nf:\nstdw [%r10-8], 1\nexit");
  EXPECT_EQ(fault_name(r.fault), fault_name(FaultCode::kLoadOutOfBounds));
  EXPECT_EQ(r.fault_pc, 1u);
}

TEST_P(Semantics, HelperCallLeavesArgumentRegistersUnchanged) {
  const auto r = run_asm("mov %r1, 11\nmov %r5, 55\ncall 5\nmov %r0, %r1\nadd %r0, %r5\nexit");
  EXPECT_EQ(r.fault, FaultCode::kNone);
  EXPECT_EQ(r.r0, 66u);
}

TEST_P(Semantics, KtimeIsMonotonic) {
  const auto r = run_asm("call 5\nmov %r6, %r0\ncall 5\nsub %r0, %r6\nexit");
  EXPECT_EQ(r.fault, FaultCode::kNone);
  EXPECT_GT(static_cast<int64_t>(r.r0), 0);
}

TEST_P(Semantics, ExitFromEntryFrameEndsTheRun) {
  const auto r = run_asm("mov %r0, 3\nexit\nmov %r0, 4\nexit");
  EXPECT_EQ(r.r0, 3u);
  EXPECT_EQ(r.instructions, 2u);
}

INSTANTIATE_TEST_SUITE_P(AllEngines, Semantics, ::testing::ValuesIn(engine_names()),
                         engine_param_name);

}  // namespace
}  // namespace ebpf::testing
