// Load-time checker: each rejection names the instruction index and the reason.
#include <gtest/gtest.h>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

// Runs the checker and returns "index: reason" of the first issue ("" if accepted).
std::string first_issue(std::span<const Insn> prog, uint8_t cpu = 4) {
  const auto issues = check_program(prog, {.cpu_version = cpu});
  if (issues.empty()) return "";
  return std::to_string(issues[0].index) + ": " + issues[0].reason;
}

std::vector<Insn> mk(std::initializer_list<Insn> l) { return l; }
constexpr Insn kExit = Insn::make(0x95, 0, 0, 0, 0);

TEST(Checker, AcceptsMinimalProgram) { EXPECT_EQ(first_issue(mk({kExit})), ""); }

TEST(Checker, RejectsEmptyProgram) {
  EXPECT_NE(first_issue({}).find("program is empty"), std::string::npos);
}

TEST(Checker, RejectsUnknownOpcode) {
  EXPECT_EQ(first_issue(mk({Insn::make(0xff, 0, 0, 0, 0), kExit})), "0: unknown opcode 0xff");
  EXPECT_EQ(first_issue(mk({Insn::make(0x8e, 0, 0, 0, 0), kExit})), "0: unknown opcode 0x8e");
}

TEST(Checker, RejectsJumpOutOfRange) {
  EXPECT_EQ(first_issue(mk({Insn::make(0x05, 0, 0, 5, 0), kExit})),
            "0: jump target 6 is outside the program (2 slots)");
  EXPECT_EQ(first_issue(mk({kExit, Insn::make(0x15, 1, 0, -3, 0), kExit})),
            "1: jump target -1 is outside the program (3 slots)");
  EXPECT_EQ(first_issue(mk({Insn::make(0x06, 0, 0, 0, 9), kExit})),
            "0: jump target 10 is outside the program (2 slots)");
  EXPECT_EQ(first_issue(mk({Insn::make(0x85, 0, 1, 0, 4), kExit})),
            "0: jump target 5 is outside the program (2 slots)");
}

TEST(Checker, RejectsJumpIntoSecondSlotOfLddw) {
  EXPECT_EQ(first_issue(mk({Insn::make(0x05, 0, 0, 1, 0), Insn::make(0x18, 0, 0, 0, 1),
                            Insn::make(0, 0, 0, 0, 2), kExit})),
            "0: jump target 2 is the second slot of the lddw at 1");
}

TEST(Checker, RejectsReservedFields) {
  // add64 imm with a non-zero offset; mov64 reg with a non-zero imm; exit with dst set.
  EXPECT_EQ(first_issue(mk({Insn::make(0x07, 0, 0, 1, 1), kExit})),
            "0: reserved field offset of add must be 0");
  EXPECT_EQ(first_issue(mk({Insn::make(0xbf, 0, 1, 0, 7), kExit})),
            "0: reserved field imm of mov must be 0");
  EXPECT_EQ(first_issue(mk({Insn::make(0x95, 1, 0, 0, 0)})),
            "0: reserved field dst of exit must be 0");
  EXPECT_EQ(first_issue(mk({Insn::make(0x62, 10, 3, -8, 1), kExit})),
            "0: reserved field src of stw must be 0");
}

TEST(Checker, RejectsRegistersAboveTen) {
  EXPECT_EQ(first_issue(mk({Insn::make(0xb7, 11, 0, 0, 1), kExit})),
            "0: register r11 does not exist (r0-r10)");
  EXPECT_EQ(first_issue(mk({Insn::make(0xbf, 0, 15, 0, 0), kExit})),
            "0: register r15 does not exist (r0-r10)");
}

TEST(Checker, RejectsWritesToR10) {
  EXPECT_EQ(first_issue(mk({Insn::make(0x07, 10, 0, 0, 8), kExit})),
            "0: add writes r10, the read-only frame pointer");
  EXPECT_EQ(first_issue(mk({Insn::make(0x79, 10, 1, 0, 0), kExit})),
            "0: ldxdw writes r10, the read-only frame pointer");
  EXPECT_EQ(first_issue(mk({Insn::make(0xdb, 1, 10, 0, 0x01), kExit})),
            "0: lock fetch add fetches into r10, the read-only frame pointer");
}

TEST(Checker, RejectsFallingOffTheEnd) {
  EXPECT_EQ(first_issue(mk({Insn::make(0xb7, 0, 0, 0, 1)})),
            "0: the program can fall off its end: the last instruction must be exit or ja");
  EXPECT_EQ(first_issue(mk({kExit, Insn::make(0x15, 0, 0, -2, 0)})),
            "1: the program can fall off its end: the last instruction must be exit or ja");
}

TEST(Checker, RejectsTruncatedLddw) {
  EXPECT_EQ(first_issue(mk({kExit, Insn::make(0x18, 0, 0, 0, 1)})),
            "1: lddw is truncated: its second slot is missing");
  EXPECT_EQ(first_issue(mk({Insn::make(0x18, 0, 0, 0, 1), Insn::make(0x95, 0, 0, 0, 0), kExit})),
            "1: second slot of lddw must have opcode, registers and offset 0");
}

TEST(Checker, RejectsUnknownHelper) {
  EXPECT_EQ(first_issue(mk({Insn::make(0x85, 0, 0, 0, 99999), kExit})),
            "0: unknown helper ID 99999");
}

TEST(Checker, RejectsLegacyPacketLoads) {
  const auto msg = first_issue(mk({Insn::make(0x30, 0, 0, 0, 12), kExit}));
  EXPECT_NE(msg.find("legacy packet load"), std::string::npos) << msg;
}

TEST(Checker, RejectsNewerCpuVersion) {
  // sdiv (cpu v4) checked against v3.
  EXPECT_EQ(first_issue(mk({Insn::make(0x37, 0, 0, 1, 3), kExit}), 3),
            "0: sdiv needs cpu v4 (checking for v3)");
}

TEST(Checker, RejectsBadDiscriminators) {
  EXPECT_EQ(first_issue(mk({Insn::make(0xdb, 1, 2, 0, 0x02), kExit})),
            "0: atomic 0xdb has imm 2, which names no atomic operation");
  EXPECT_EQ(first_issue(mk({Insn::make(0xdc, 1, 0, 0, 8), kExit})),
            "0: byte swap 0xdc has width 8; it must be 16, 32 or 64");
  EXPECT_EQ(first_issue(mk({Insn::make(0xbf, 1, 2, 4, 0), kExit})),
            "0: opcode 0xbf with offset 4 is not a defined instruction");
}

TEST(Checker, ThrowListsEveryIssueWithItsIndex) {
  try {
    check_program_or_throw(mk({Insn::make(0xff, 0, 0, 0, 0), Insn::make(0x07, 10, 0, 0, 1)}));
    FAIL() << "expected a rejection";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("instruction 0: unknown opcode 0xff"), std::string::npos) << m;
    EXPECT_NE(m.find("instruction 1: add writes r10"), std::string::npos) << m;
    EXPECT_NE(m.find("instruction 1: the program can fall off its end"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace ebpf
