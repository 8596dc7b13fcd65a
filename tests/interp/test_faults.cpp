// The fault model of contracts.md section 2, on every engine: each case expects the exact
// fault code and PC, that r0 reads 0 (XDP_ABORTED), and that nothing was written.
#include "engine_fixture.h"

namespace ebpf::testing {
namespace {

class Faults : public EngineTest {};

void expect_fault(const RunResult& r, FaultCode code, uint32_t pc) {
  EXPECT_EQ(fault_name(r.fault), fault_name(code));
  EXPECT_EQ(r.fault_pc, pc);
  EXPECT_EQ(r.r0, 0u);
}

TEST_P(Faults, StackLoadBelowFrame) {
  expect_fault(run_asm("mov %r0, 1\nldxdw %r0, [%r10-520]\nexit"), FaultCode::kLoadOutOfBounds, 1);
}

TEST_P(Faults, StackLoadAtFramePointer) {
  expect_fault(run_asm("ldxb %r0, [%r10]\nexit"), FaultCode::kLoadOutOfBounds, 0);
}

TEST_P(Faults, StackStoreStraddlingTheTop) {
  const auto r = run_asm("mov %r1, -1\nstxdw [%r10-4], %r1\nexit");
  expect_fault(r, FaultCode::kStoreOutOfBounds, 1);
  for (uint8_t b : mem_.stack) ASSERT_EQ(b, 0) << "a faulting store wrote the stack";
}

TEST_P(Faults, StackStoreBelowBottom) {
  expect_fault(run_asm("stw [%r10-516], 1\nexit"), FaultCode::kStoreOutOfBounds, 0);
}

TEST_P(Faults, StackLastAndFirstBytesAreAccessible) {
  const auto r = run_asm("stb [%r10-1], 7\nstb [%r10-512], 9\nldxb %r0, [%r10-1]\n"
                         "ldxb %r1, [%r10-512]\nadd %r0, %r1\nexit");
  EXPECT_EQ(r.fault, FaultCode::kNone);
  EXPECT_EQ(r.r0, 16u);
}

TEST_P(Faults, PacketLoadPastEnd) {
  expect_fault(run_asm("ldxb %r0, [%r1+4]\nexit", {1, 2, 3, 4}), FaultCode::kLoadOutOfBounds, 0);
  expect_fault(run_asm("ldxw %r0, [%r1+1]\nexit", {1, 2, 3, 4}), FaultCode::kLoadOutOfBounds, 0);
}

TEST_P(Faults, PacketLoadBeforeStart) {
  expect_fault(run_asm("ldxb %r0, [%r1-1]\nexit", {1, 2, 3, 4}), FaultCode::kLoadOutOfBounds, 0);
}

TEST_P(Faults, PacketStoreOutside) {
  expect_fault(run_asm("stb [%r1+4], 1\nexit", {1, 2, 3, 4}), FaultCode::kStoreOutOfBounds, 0);
  expect_fault(run_asm("mov %r2, 0\nstxh [%r1-2], %r2\nexit", {1, 2, 3, 4}),
               FaultCode::kStoreOutOfBounds, 1);
  EXPECT_EQ(mem_.packet[mem_.data - 1], 0);
}

TEST_P(Faults, EmptyPacketHasNoAccessibleByte) {
  expect_fault(run_asm("ldxb %r0, [%r1]\nexit", {}), FaultCode::kLoadOutOfBounds, 0);
}

TEST_P(Faults, NullAndWildPointers) {
  expect_fault(run_asm("mov %r1, 0\nldxb %r0, [%r1]\nexit"), FaultCode::kLoadOutOfBounds, 1);
  expect_fault(run_asm("lddw %r1, 0x0000000500000000\nstb [%r1], 1\nexit"),
               FaultCode::kStoreOutOfBounds, 2);
}

TEST_P(Faults, CtxIsReadOnly) {
  expect_fault(run_xdp("stw [%r1+0], 1\nexit", {1, 2}), FaultCode::kReadOnlyWrite, 0);
  expect_fault(run_xdp("mov %r2, 1\nstxw [%r1+12], %r2\nexit", {1, 2}), FaultCode::kReadOnlyWrite, 1);
}

TEST_P(Faults, CtxOnlyAllowsWordLoadsOfDefinedFields) {
  expect_fault(run_xdp("ldxdw %r0, [%r1+0]\nexit", {1}), FaultCode::kInvalidCtxAccess, 0);
  expect_fault(run_xdp("ldxw %r0, [%r1+20]\nexit", {1}), FaultCode::kInvalidCtxAccess, 0);
  expect_fault(run_xdp("ldxw %r0, [%r1+2]\nexit", {1}), FaultCode::kInvalidCtxAccess, 0);
}

TEST_P(Faults, CtxFieldsReadAsThePointersTheContractNames) {
  auto r = run_xdp("ldxw %r0, [%r1+0]\nexit", {1, 2, 3});
  EXPECT_EQ(r.r0, addr::kPacketBase + addr::kPacketHeadroom);
  r = run_xdp("ldxw %r0, [%r1+4]\nexit", {1, 2, 3});
  EXPECT_EQ(r.r0, addr::kPacketBase + addr::kPacketHeadroom + 3);
  r = run_xdp("ldxw %r0, [%r1+8]\nexit", {1, 2, 3});
  EXPECT_EQ(r.r0, addr::kPacketBase + addr::kPacketHeadroom);
  r = run_xdp("ldxw %r0, [%r1+12]\nldxw %r2, [%r1+16]\nlsh %r0, 8\nor %r0, %r2\nexit", {1});
  EXPECT_EQ(r.r0, (7u << 8) | 3u);
}

TEST_P(Faults, MisalignedAtomic) {
  expect_fault(run_asm("mov %r1, 1\nlock add [%r10-12], %r1\nexit"), FaultCode::kMisalignedAtomic, 1);
  expect_fault(run_asm("mov %r1, 1\nlock add32 [%r10-6], %r1\nexit"), FaultCode::kMisalignedAtomic,
               1);
}

TEST_P(Faults, AtomicOutOfBoundsIsAStoreFault) {
  expect_fault(run_asm("mov %r1, 1\nlock add [%r10+0], %r1\nexit"), FaultCode::kStoreOutOfBounds, 1);
}

TEST_P(Faults, BudgetExceeded) {
  const auto r = run_asm("mov %r0, 1\nja -1\nexit", {}, {.budget = 1000});
  expect_fault(r, FaultCode::kBudgetExceeded, 1);
  EXPECT_EQ(r.instructions, 1000u);
}

TEST_P(Faults, BudgetExactlyEnough) {
  const auto r = run_asm("mov %r0, 5\nexit", {}, {.budget = 2});
  EXPECT_EQ(r.fault, FaultCode::kNone);
  EXPECT_EQ(r.r0, 5u);
  EXPECT_EQ(r.instructions, 2u);
}

TEST_P(Faults, CallDepthExceeded) {
  // Unbounded recursion: the entry frame plus 7 nested calls fit; the 8th call faults.
  const auto r = run_asm("call local f\nexit\nf:\nadd %r0, 1\ncall local f\nexit");
  expect_fault(r, FaultCode::kCallDepthExceeded, 3);
  EXPECT_EQ(r.regs[0], 7u);
}

TEST_P(Faults, UnknownHelperThroughCallx) {
  expect_fault(run_asm("mov %r2, 1234\ncall %r2\nexit"), FaultCode::kUnknownHelper, 1);
}

TEST_P(Faults, RegistersAreThoseBeforeTheFaultingInstruction) {
  const auto r = run_asm("mov %r3, 9\nmov %r0, 4\nldxdw %r3, [%r10+8]\nexit");
  expect_fault(r, FaultCode::kLoadOutOfBounds, 2);
  EXPECT_EQ(r.regs[3], 9u);
  EXPECT_EQ(r.regs[0], 4u);
  EXPECT_EQ(r.instructions, 2u);
}

TEST_P(Faults, UncheckedInvalidInstruction) {
  // With the checker off (as the hardware runs any bits), bad encodings fault when reached.
  std::vector<Insn> prog = {Insn::make(0xb7, 0, 0, 0, 1), Insn::make(0xff, 0, 0, 0, 0),
                            Insn::make(0x95, 0, 0, 0, 0)};
  engine_->load(prog, {.check = false});
  mem_ = conformance_memory({});
  auto r = engine_->run(mem_);
  expect_fault(r, FaultCode::kInvalidInstruction, 1);
  EXPECT_EQ(r.instructions, 1u);

  // Falling off the end faults at the first slot past the program.
  prog = {Insn::make(0xb7, 0, 0, 0, 1)};
  engine_->load(prog, {.check = false});
  r = engine_->run(mem_);
  expect_fault(r, FaultCode::kInvalidInstruction, 1);

  // A taken jump out of the program faults at the jump; a not-taken one is harmless.
  prog = {Insn::make(0x15, 0, 0, 100, 1), Insn::make(0x15, 0, 0, 100, 0),
          Insn::make(0x95, 0, 0, 0, 0)};
  engine_->load(prog, {.check = false});
  r = engine_->run(mem_);
  expect_fault(r, FaultCode::kInvalidInstruction, 1);

  // Writing r10 is refused at run time too.
  prog = {Insn::make(0x07, 10, 0, 0, 8), Insn::make(0x95, 0, 0, 0, 0)};
  engine_->load(prog, {.check = false});
  r = engine_->run(mem_);
  expect_fault(r, FaultCode::kInvalidInstruction, 0);
}

INSTANTIATE_TEST_SUITE_P(AllEngines, Faults, ::testing::ValuesIn(engine_names()),
                         engine_param_name);

}  // namespace
}  // namespace ebpf::testing
