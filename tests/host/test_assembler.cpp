// Assembler: every Format, the bpf_conformance syntax details, and every error with its
// line and column.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

Insn I(uint8_t opcode, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  return Insn::make(opcode, dst, src, off, imm);
}

std::vector<Insn> A(std::string_view text) { return assemble(text); }

// The message of the Error `text` throws (fails the test if it assembles).
std::string error_of(std::string_view text, const AsmOptions& opts = {}) {
  try {
    assemble(text, opts);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "assembled without error: " << text;
  return {};
}

#define EXPECT_ASM(text, ...) EXPECT_EQ(A(text), (std::vector<Insn>{__VA_ARGS__})) << (text)

TEST(Assembler, AluImm) {
  EXPECT_ASM("add %r1, 5", I(0x07, 1, 0, 0, 5));
  EXPECT_ASM("add64 %r1, 5", I(0x07, 1, 0, 0, 5));
  EXPECT_ASM("add32 %r1, -1", I(0x04, 1, 0, 0, -1));
  EXPECT_ASM("mov32 %r0, 0xffffffff", I(0xb4, 0, 0, 0, -1));
  EXPECT_ASM("mov %r9, 0x80000000", I(0xb7, 9, 0, 0, INT32_MIN));
  EXPECT_ASM("mov %r0, -2147483648", I(0xb7, 0, 0, 0, INT32_MIN));
  EXPECT_ASM("mov %r0, 2147483647", I(0xb7, 0, 0, 0, INT32_MAX));
  EXPECT_ASM("mov %r0, 0XFF", I(0xb7, 0, 0, 0, 255));
  EXPECT_ASM("sdiv %r1, 3", I(0x37, 1, 0, 1, 3));
  EXPECT_ASM("sdiv32 %r1, 3", I(0x34, 1, 0, 1, 3));
  EXPECT_ASM("smod %r1, -3", I(0x97, 1, 0, 1, -3));
  EXPECT_ASM("div %r1, 3", I(0x37, 1, 0, 0, 3));
  EXPECT_ASM("arsh32 %r2, 31", I(0xc4, 2, 0, 0, 31));
}

TEST(Assembler, AluReg) {
  EXPECT_ASM("add %r1, %r2", I(0x0f, 1, 2, 0, 0));
  EXPECT_ASM("xor32 %r10, %r9", I(0xac, 10, 9, 0, 0));
  EXPECT_ASM("mov64 %r0, %r1", I(0xbf, 0, 1, 0, 0));
  EXPECT_ASM("movsx864 %r1, %r2", I(0xbf, 1, 2, 8, 0));
  EXPECT_ASM("movsx1664 %r1, %r2", I(0xbf, 1, 2, 16, 0));
  EXPECT_ASM("movsx3264 %r1, %r2", I(0xbf, 1, 2, 32, 0));
  EXPECT_ASM("movsx832 %r1, %r2", I(0xbc, 1, 2, 8, 0));
  EXPECT_ASM("movsx1632 %r1, %r2", I(0xbc, 1, 2, 16, 0));
  EXPECT_ASM("smod32 %r1, %r2", I(0x9c, 1, 2, 1, 0));
  EXPECT_ASM("sdiv %r1, %r2", I(0x3f, 1, 2, 1, 0));
}

TEST(Assembler, AluUnaryAndEndian) {
  EXPECT_ASM("neg %r3", I(0x87, 3, 0, 0, 0));
  EXPECT_ASM("neg64 %r3", I(0x87, 3, 0, 0, 0));
  EXPECT_ASM("neg32 %r3", I(0x84, 3, 0, 0, 0));
  EXPECT_ASM("be16 %r1", I(0xdc, 1, 0, 0, 16));
  EXPECT_ASM("be32 %r1", I(0xdc, 1, 0, 0, 32));
  EXPECT_ASM("be64 %r1", I(0xdc, 1, 0, 0, 64));
  EXPECT_ASM("le16 %r2", I(0xd4, 2, 0, 0, 16));
  EXPECT_ASM("le64 %r2", I(0xd4, 2, 0, 0, 64));
  EXPECT_ASM("swap16 %r0", I(0xd7, 0, 0, 0, 16));
  EXPECT_ASM("swap64 %r0", I(0xd7, 0, 0, 0, 64));
  EXPECT_ASM("bswap32 %r0", I(0xd7, 0, 0, 0, 32));
}

TEST(Assembler, JumpsAndLabels) {
  EXPECT_ASM("ja +3", I(0x05, 0, 0, 3, 0));
  EXPECT_ASM("ja -1", I(0x05, 0, 0, -1, 0));
  EXPECT_ASM("ja +0xffff", I(0x05, 0, 0, -1, 0));  // wraps like bpf_conformance
  EXPECT_ASM("ja32 +5", I(0x06, 0, 0, 0, 5));
  EXPECT_ASM("ja32 -100000", I(0x06, 0, 0, 0, -100000));
  EXPECT_ASM("jeq %r1, 5, +2", I(0x15, 1, 0, 2, 5));
  EXPECT_ASM("jsle32 %r1, -3, -1", I(0xd6, 1, 0, -1, -3));
  EXPECT_ASM("jeq %r1, 0x80000000, +1", I(0x15, 1, 0, 1, INT32_MIN));
  EXPECT_ASM("jne %r1, %r2, +1", I(0x5d, 1, 2, 1, 0));
  EXPECT_ASM("jset32 %r3, %r4, -2", I(0x4e, 3, 4, -2, 0));

  // Forward and backward labels, labels on their own lines, lddw counting two slots.
  EXPECT_ASM("start:\n"
             "  lddw %r0, 1\n"
             "  jeq %r0, 1, done\n"
             "  ja start\n"
             "done:\n"
             "  exit\n",
             I(0x18, 0, 0, 0, 1), I(0, 0, 0, 0, 0), I(0x15, 0, 0, 1, 1), I(0x05, 0, 0, -4, 0),
             I(0x95, 0, 0, 0, 0));
  EXPECT_ASM("ja32 L\nexit\nL:\nexit", I(0x06, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0),
             I(0x95, 0, 0, 0, 0));
  // A label at the very end names the slot after the last instruction.
  EXPECT_ASM("ja end\nend:", I(0x05, 0, 0, 0, 0));
}

TEST(Assembler, ImplicitExitLabel) {
  // `exit` names the first exit instruction unless a label of that name exists.
  EXPECT_ASM("jne %r1, %r0, exit\nmov %r0, 1\nexit\nmov %r0, 2\nexit",
             I(0x5d, 1, 0, 1, 0), I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0),
             I(0xb7, 0, 0, 0, 2), I(0x95, 0, 0, 0, 0));
  EXPECT_ASM("ja exit\nexit\nexit:\nexit", I(0x05, 0, 0, 1, 0), I(0x95, 0, 0, 0, 0),
             I(0x95, 0, 0, 0, 0));
  EXPECT_ASM("mov %r0, 0\nexit\nja exit", I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0),
             I(0x05, 0, 0, -2, 0));
}

TEST(Assembler, Calls) {
  EXPECT_ASM("call 5", I(0x85, 0, 0, 0, 5));
  EXPECT_ASM("call -1", I(0x85, 0, 0, 0, -1));
  EXPECT_ASM("call local +3", I(0x85, 0, 1, 0, 3));
  EXPECT_ASM("call local -2", I(0x85, 0, 1, 0, -2));
  EXPECT_ASM("call local fn\nexit\nfn:\nexit", I(0x85, 0, 1, 0, 1), I(0x95, 0, 0, 0, 0),
             I(0x95, 0, 0, 0, 0));
  EXPECT_ASM("call %r2", I(0x8d, 2, 0, 0, 0));
  EXPECT_ASM("exit", I(0x95, 0, 0, 0, 0));
}

TEST(Assembler, Lddw) {
  EXPECT_ASM("lddw %r0, 0x1122334455667788", I(0x18, 0, 0, 0, 0x55667788),
             I(0, 0, 0, 0, 0x11223344));
  EXPECT_ASM("lddw %r0, 2147483648", I(0x18, 0, 0, 0, INT32_MIN), I(0, 0, 0, 0, 0));
  EXPECT_ASM("lddw %r3, -1", I(0x18, 3, 0, 0, -1), I(0, 0, 0, 0, -1));
  EXPECT_ASM("lddw %r0, 18446744073709551615", I(0x18, 0, 0, 0, -1), I(0, 0, 0, 0, -1));
  EXPECT_ASM("lddw %r1, map[3]", I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0));
  EXPECT_ASM("lddw %r1, map_value[3]+8", I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 8));
  EXPECT_ASM("lddw %r1, map_value[2]", I(0x18, 1, 2, 0, 2), I(0, 0, 0, 0, 0));
  EXPECT_ASM("lddw %r1, map_value[0] + 0x10", I(0x18, 1, 2, 0, 0), I(0, 0, 0, 0, 16));
}

TEST(Assembler, LoadsAndStores) {
  EXPECT_ASM("ldxw %r0, [%r1+4]", I(0x61, 0, 1, 4, 0));
  EXPECT_ASM("ldxdw %r0, [%r10-8]", I(0x79, 0, 10, -8, 0));
  EXPECT_ASM("ldxb %r0, [%r1]", I(0x71, 0, 1, 0, 0));
  EXPECT_ASM("ldxh %r0, [%r1 + 2]", I(0x69, 0, 1, 2, 0));
  EXPECT_ASM("ldxh %r0, [%r1 - 2]", I(0x69, 0, 1, -2, 0));
  EXPECT_ASM("ldxsb %r0, [%r1+0x10]", I(0x91, 0, 1, 16, 0));
  EXPECT_ASM("ldxsh %r0, [%r1+32768]", I(0x89, 0, 1, INT16_MIN, 0));
  EXPECT_ASM("ldxsw %r0, [%r1-32768]", I(0x81, 0, 1, INT16_MIN, 0));
  EXPECT_ASM("ldxb %r0, [%r1+65535]", I(0x71, 0, 1, -1, 0));
  EXPECT_ASM("stw [%r1+4], 7", I(0x62, 1, 0, 4, 7));
  EXPECT_ASM("stdw [%r10-8], -1", I(0x7a, 10, 0, -8, -1));
  EXPECT_ASM("sth [%r2], 0xffff", I(0x6a, 2, 0, 0, 0xffff));
  EXPECT_ASM("stb [%r2+1], 1", I(0x72, 2, 0, 1, 1));
  EXPECT_ASM("stxdw [%r10-8], %r1", I(0x7b, 10, 1, -8, 0));
  EXPECT_ASM("stxb [%r1+0], %r2", I(0x73, 1, 2, 0, 0));
}

TEST(Assembler, Atomics) {
  EXPECT_ASM("lock add [%r1+0], %r2", I(0xdb, 1, 2, 0, 0));
  EXPECT_ASM("lock fetch add [%r1+8], %r2", I(0xdb, 1, 2, 8, 1));
  EXPECT_ASM("lock add32 [%r1+4], %r2", I(0xc3, 1, 2, 4, 0));
  EXPECT_ASM("lock fetch add32 [%r1+4], %r2", I(0xc3, 1, 2, 4, 1));
  EXPECT_ASM("lock or [%r10-8], %r1", I(0xdb, 10, 1, -8, 0x40));
  EXPECT_ASM("lock fetch or32 [%r10-8], %r1", I(0xc3, 10, 1, -8, 0x41));
  EXPECT_ASM("lock and [%r10-8], %r1", I(0xdb, 10, 1, -8, 0x50));
  EXPECT_ASM("lock fetch and [%r10-8], %r1", I(0xdb, 10, 1, -8, 0x51));
  EXPECT_ASM("lock xor32 [%r10-8], %r1", I(0xc3, 10, 1, -8, 0xa0));
  EXPECT_ASM("lock fetch xor [%r10-8], %r1", I(0xdb, 10, 1, -8, 0xa1));
  EXPECT_ASM("lock xchg [%r10-8], %r1", I(0xdb, 10, 1, -8, 0xe1));
  EXPECT_ASM("lock fetch xchg [%r10-8], %r1", I(0xdb, 10, 1, -8, 0xe1));
  EXPECT_ASM("lock xchg32 [%r10-8], %r1", I(0xc3, 10, 1, -8, 0xe1));
  EXPECT_ASM("lock cmpxchg [%r10-8], %r1", I(0xdb, 10, 1, -8, 0xf1));
  EXPECT_ASM("lock cmpxchg32 [%r10-8], %r1", I(0xc3, 10, 1, -8, 0xf1));
}

TEST(Assembler, RawAndRegistersForNegativeTests) {
  EXPECT_ASM(".raw 0x00000000000000ff", Insn::from_raw(0xff));
  EXPECT_ASM(".raw 0x1122334455667788", Insn::from_raw(0x1122334455667788ull));
  EXPECT_ASM(".raw 149", Insn::from_raw(0x95));
  // %r11..%r15 assemble (bpf_conformance builds negative tests with them); the checker
  // refuses them at load time.
  EXPECT_ASM("mov %r11, %r15", I(0xbf, 11, 15, 0, 0));
  EXPECT_ASM("ldxw %r12, [%r13+0]", I(0x61, 12, 13, 0, 0));
}

TEST(Assembler, CommentsBlankLinesAndSpacing) {
  EXPECT_ASM("# a comment\n\n   \n\tmov %r0, 1 # trailing\n#x\nexit#no space\n",
             I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0));
  EXPECT_ASM("mov   %r0 ,\t1\r\nexit\r\n", I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0));
  EXPECT_ASM("", );
  EXPECT_ASM("# only a comment", );
}

TEST(Assembler, EveryFormOfTheTableAssembles) {
  // Each mnemonic of the table is accepted with its format's operands.
  for (const FormInfo& fi : forms()) {
    std::string ops;
    switch (fi.format) {
      case Format::AluImm: ops = " %r1, 7"; break;
      case Format::AluReg: ops = " %r1, %r2"; break;
      case Format::AluUnary:
      case Format::Endian:
      case Format::CallX: ops = " %r1"; break;
      case Format::Ja:
      case Format::Ja32:
      case Format::CallLocal: ops = " +1"; break;
      case Format::JmpImm: ops = " %r1, 7, +1"; break;
      case Format::JmpReg: ops = " %r1, %r2, +1"; break;
      case Format::CallHelper: ops = " 5"; break;
      case Format::Exit: break;
      case Format::Lddw: ops = " %r1, 7"; break;
      case Format::LddwMap: ops = " %r1, map[1]"; break;
      case Format::LddwMapValue: ops = " %r1, map_value[1]+4"; break;
      case Format::Ldx: ops = " %r1, [%r2+4]"; break;
      case Format::St: ops = " [%r1+4], 7"; break;
      case Format::Stx:
      case Format::Atomic: ops = " [%r1+4], %r2"; break;
    }
    const std::string text = std::string(fi.mnemonic) + ops;
    std::vector<Insn> p;
    ASSERT_NO_THROW(p = A(text)) << text;
    ASSERT_FALSE(p.empty());
    EXPECT_EQ(classify(p[0]), fi.form) << text;
    EXPECT_FALSE(reserved_fields_nonzero(fi, p[0], nullptr)) << text;
  }
}

// ------------------------------------------------------------------------------------------
// Errors: "NAME:LINE:COL: expected ..., got '...'"
// ------------------------------------------------------------------------------------------

TEST(AssemblerErrors, UnknownMnemonic) {
  EXPECT_EQ(error_of("mov %r0, 1\nldxq %r0, %r1"),
            "<input>:2:1: expected an instruction mnemonic, got 'ldxq'");
  EXPECT_EQ(error_of("  add128 %r0, 1"),
            "<input>:1:3: expected an instruction mnemonic, got 'add128'");
  EXPECT_EQ(error_of("%r0"), "<input>:1:1: expected an instruction mnemonic, got '%r0'");
  EXPECT_EQ(error_of("lock"),
            "<input>:1:5: expected an atomic operation after 'lock' (add, and, or, xor, xchg, "
            "cmpxchg, with an optional 32 suffix), got end of line");
  EXPECT_EQ(error_of("lock fetch sub [%r1+0], %r2"),
            "<input>:1:12: expected an atomic operation after 'lock' (add, and, or, xor, xchg, "
            "cmpxchg, with an optional 32 suffix), got 'sub'");
  // The 64 alias exists for 64-bit ALU forms only.
  EXPECT_EQ(error_of("jeq64 %r1, 0, +1"),
            "<input>:1:1: expected an instruction mnemonic, got 'jeq64'");
}

TEST(AssemblerErrors, OperandCount) {
  EXPECT_EQ(error_of("lddw %r0"),
            "<input>:1:9: expected ',' and a 64-bit immediate, map[INDEX] or "
            "map_value[INDEX]+OFFSET for 'lddw', got end of line");
  EXPECT_EQ(error_of("add %r1"),
            "<input>:1:8: expected ',' and a 32-bit immediate or a register (%r0..%r10) for "
            "'add', got end of line");
  EXPECT_EQ(error_of("add %r1, 2, 3"),
            "<input>:1:11: expected end of line ('add' takes 2 operands), got ','");
  EXPECT_EQ(error_of("exit 0"), "<input>:1:6: expected end of line ('exit' takes no operands), "
                                "got '0'");
  EXPECT_EQ(error_of("neg"), "<input>:1:4: expected a register (%r0..%r10) for 'neg', got end "
                             "of line");
  EXPECT_EQ(error_of("lock or [%r10-8]"),
            "<input>:1:17: expected ',' and a register (%r0..%r10) for 'lock or', got end of "
            "line");
  EXPECT_EQ(error_of("jeq %r1, 1"),
            "<input>:1:11: expected ',' and a jump target (+N, -N or a label) for 'jeq', got "
            "end of line");
  EXPECT_EQ(error_of("add %r1 2"), "<input>:1:9: expected ',' or end of line, got '2'");
}

TEST(AssemblerErrors, OperandKind) {
  EXPECT_EQ(error_of("ldxb %r0, %r1"),
            "<input>:1:11: expected a memory operand [%rN+offset], got '%r1'");
  EXPECT_EQ(error_of("stxw %r1, %r2"),
            "<input>:1:6: expected a memory operand [%rN+offset], got '%r1'");
  EXPECT_EQ(error_of("add r1, 2"),
            "<input>:1:5: expected a register (%r0..%r10), got 'r1'");
  EXPECT_EQ(error_of("ja 3"), "<input>:1:4: expected a jump target (+N, -N or a label), got '3'");
  EXPECT_EQ(error_of("call local %r1"),
            "<input>:1:12: expected a jump target (+N, -N or a label), got '%r1'");
  EXPECT_EQ(error_of("mov %r0, $5"),
            "<input>:1:10: expected a 32-bit immediate or a register (%r0..%r10), got '$'");
  EXPECT_EQ(error_of("mov %r0, 12abc"),
            "<input>:1:10: expected a 32-bit immediate (decimal -2147483648..2147483647 or hex "
            "0x0..0xffffffff), got '12abc'");
  EXPECT_EQ(error_of("ldxw %r0, [%r1+4"),
            "<input>:1:17: expected ']' to close the memory operand, got end of line");
  EXPECT_EQ(error_of("ldxw %r0, [%r1*4]"),
            "<input>:1:15: expected '+offset', '-offset' or ']' after the base register, got "
            "'*'");
  EXPECT_EQ(error_of("ldxw %r0, [4]"),
            "<input>:1:12: expected a register (%r0..%r10; %r11..%r15 for negative tests), got "
            "'4'");
  EXPECT_EQ(error_of("lddw %r1, map[-1]"),
            "<input>:1:15: expected a map index (0..4294967295), got '-1'");
  EXPECT_EQ(error_of(".raw"), "<input>:1:5: expected a 64-bit instruction word after '.raw', "
                              "got end of line");
  EXPECT_EQ(error_of("mov: mov %r0, 1"),
            "<input>:1:6: expected end of line after label 'mov:', got 'mov'");
}

TEST(AssemblerErrors, Registers) {
  EXPECT_EQ(error_of("or %r0, %r50"),
            "<input>:1:9: expected a register (%r0..%r10; %r11..%r15 for negative tests), got "
            "'%r50'");
  EXPECT_EQ(error_of("or %r16, %r0"),
            "<input>:1:4: expected a register (%r0..%r10; %r11..%r15 for negative tests), got "
            "'%r16'");
  EXPECT_EQ(error_of("or %r01, %r0"),
            "<input>:1:4: expected a register (%r0..%r10; %r11..%r15 for negative tests), got "
            "'%r01'");
  EXPECT_EQ(error_of("neg %x"),
            "<input>:1:5: expected a register (%r0..%r10; %r11..%r15 for negative tests), got "
            "'%x'");
}

TEST(AssemblerErrors, ImmediateRange) {
  const std::string imm32 =
      "expected a 32-bit immediate (decimal -2147483648..2147483647 or hex 0x0..0xffffffff)";
  // Decimal must fit a signed 32-bit value (bpf_conformance negative/invalid_imm32_dec_range).
  EXPECT_EQ(error_of("mov32 %r0, 2147483648"), "<input>:1:12: " + imm32 + ", got '2147483648'");
  EXPECT_EQ(error_of("mov32 %r0, 0x100000000"), "<input>:1:12: " + imm32 + ", got '0x100000000'");
  EXPECT_EQ(error_of("mov %r0, -2147483649"), "<input>:1:10: " + imm32 + ", got '-2147483649'");
  EXPECT_EQ(error_of("stw [%r1+0], 4294967296"), "<input>:1:14: " + imm32 + ", got '4294967296'");
  EXPECT_EQ(error_of("jeq %r1, 0x1ffffffff, +1"), "<input>:1:10: " + imm32 +
                                                      ", got '0x1ffffffff'");
  EXPECT_EQ(error_of("call 99999999999"), "<input>:1:6: " + imm32 + ", got '99999999999'");
  EXPECT_EQ(error_of("lddw %r0, 18446744073709551616"),
            "<input>:1:11: expected a 64-bit immediate "
            "(-9223372036854775808..18446744073709551615), got '18446744073709551616'");
  EXPECT_EQ(error_of("lddw %r0, 0x10000000000000000"),
            "<input>:1:11: expected a 64-bit immediate "
            "(-9223372036854775808..18446744073709551615), got '0x10000000000000000'");
}

TEST(AssemblerErrors, OffsetRange) {
  EXPECT_EQ(error_of("ldxb %r0, [%r1+0x10000]"),
            "<input>:1:15: expected a memory offset in -32768..65535, got '+0x10000'");
  EXPECT_EQ(error_of("ldxb %r0, [%r1-32769]"),
            "<input>:1:15: expected a memory offset in -32768..65535, got '-32769'");
  EXPECT_EQ(error_of("stb [%r1 + 65536], 1"),
            "<input>:1:12: expected a memory offset in -32768..65535, got '65536'");
  EXPECT_EQ(error_of("ja +65536"),
            "<input>:1:4: expected a jump offset in -32768..32767, got '+65536'");
  EXPECT_EQ(error_of("ja32 +2147483648"),
            "<input>:1:6: expected a jump offset in -2147483648..2147483647, got '+2147483648'");
}

TEST(AssemblerErrors, Labels) {
  EXPECT_EQ(error_of("ja NOT_A_LABEL\nexit"),
            "<input>:1:4: expected a defined label, got 'NOT_A_LABEL'");
  EXPECT_EQ(error_of("mov %r0, 0\n  jeq %r0, 0, nowhere"),
            "<input>:2:15: expected a defined label, got 'nowhere'");
  EXPECT_EQ(error_of("a:\nexit\n a:"),
            "<input>:3:2: expected a label name not defined before (first defined at line 1), "
            "got 'a'");
  // No exit instruction: the implicit label does not exist.
  EXPECT_EQ(error_of("ja exit"), "<input>:1:4: expected a defined label, got 'exit'");

  // A label more than 32767 slots away does not fit a 16-bit offset (ja32 reaches it).
  std::string far = "ja far\n";
  for (int i = 0; i < 32768; ++i) far += "mov %r0, 0\n";
  far += "far:\nexit\n";
  EXPECT_EQ(error_of(far),
            "<input>:1:4: expected a jump target within -32768..32767 slots, got 'far' (32768 "
            "slots away)");
  std::string near = "ja far\n";
  for (int i = 0; i < 32767; ++i) near += "mov %r0, 0\n";
  near += "far:\nexit\n";
  EXPECT_EQ(A(near)[0], I(0x05, 0, 0, 32767, 0));
  far.replace(0, 6, "ja32 far");
  EXPECT_EQ(A(far)[0], I(0x06, 0, 0, 0, 32768));
}

TEST(AssemblerErrors, SourceNameAndFirstLine) {
  AsmOptions o;
  o.source_name = "prog.data";
  o.first_line = 10;
  EXPECT_EQ(error_of("mov %r0, 1\n\nbogus", o),
            "prog.data:12:1: expected an instruction mnemonic, got 'bogus'");
  EXPECT_EQ(error_of("ja missing", o), "prog.data:10:4: expected a defined label, got 'missing'");
}

}  // namespace
}  // namespace ebpf

namespace ebpf {
namespace {

// Random fragments of assembler syntax: every input either assembles or throws ebpf::Error.
TEST(AssemblerFuzz, OnlyErrorsNeverCrashes) {
  const char* pieces[] = {"mov",  "add32", "lddw", "ja",   "jeq",  "call", "local", "lock",
                          "fetch", "exit", "%r1",  "%r10", "%r99", "%",    "[",     "]",
                          "+",    "-",     ",",    ":",    "#",    "0x",   "0xffffffff",
                          "-1",   "+3",    "-32768", "65536", "lbl", "lbl:", "map",  "map_value",
                          "[%r1+4]", ".raw", "\t", " ",  "\n",   "\r",   "99999999999999999999",
                          "ldxw", "stxdw", "be16", "movsx864", "xchg", "cmpxchg32"};
  std::mt19937 rng(7);
  size_t ok = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) {
      text += pieces[rng() % std::size(pieces)];
      if (rng() % 2) text += ' ';
    }
    try {
      assemble(text);
      ++ok;
    } catch (const Error& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("<input>:")) << e.what();
    }
  }
  EXPECT_GT(ok, 0u);
}

}  // namespace
}  // namespace ebpf
