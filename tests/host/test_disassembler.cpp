// Disassembler: output syntax, .raw fallback, and the byte-exact round trip
// assemble(disassemble(p)) == p over the corpora and over random words.
#include <gtest/gtest.h>

#include <random>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/error.h"
#include "host_test_util.h"

namespace ebpf {
namespace {

Insn I(uint8_t opcode, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  return Insn::make(opcode, dst, src, off, imm);
}

std::string D(std::vector<Insn> p) { return disassemble(p); }

// Round trip with a readable failure.
::testing::AssertionResult round_trips(const std::vector<Insn>& p) {
  const std::string text = disassemble(p);
  std::vector<Insn> back;
  try {
    back = assemble(text);
  } catch (const Error& e) {
    return ::testing::AssertionFailure() << "disassembly does not assemble: " << e.what()
                                         << "\n" << text;
  }
  if (back != p) {
    return ::testing::AssertionFailure() << "round trip differs:\n" << text;
  }
  return ::testing::AssertionSuccess();
}

TEST(Disassembler, Syntax) {
  EXPECT_EQ(D({I(0x07, 1, 0, 0, 5)}), "add %r1, 5\n");
  EXPECT_EQ(D({I(0x04, 1, 0, 0, -1)}), "add32 %r1, -1\n");
  EXPECT_EQ(D({I(0xb7, 1, 0, 0, 0x12345678)}), "mov %r1, 0x12345678\n");
  EXPECT_EQ(D({I(0xb7, 1, 0, 0, INT32_MIN)}), "mov %r1, 0x80000000\n");
  EXPECT_EQ(D({I(0x0f, 1, 2, 0, 0)}), "add %r1, %r2\n");
  EXPECT_EQ(D({I(0xbf, 1, 2, 16, 0)}), "movsx1664 %r1, %r2\n");
  EXPECT_EQ(D({I(0x3c, 1, 2, 1, 0)}), "sdiv32 %r1, %r2\n");
  EXPECT_EQ(D({I(0x87, 3, 0, 0, 0)}), "neg %r3\n");
  EXPECT_EQ(D({I(0xdc, 1, 0, 0, 16)}), "be16 %r1\n");
  EXPECT_EQ(D({I(0xd7, 1, 0, 0, 64)}), "swap64 %r1\n");
  EXPECT_EQ(D({I(0x05, 0, 0, 3, 0)}), "ja +3\n");
  EXPECT_EQ(D({I(0x05, 0, 0, -1, 0)}), "ja -1\n");
  EXPECT_EQ(D({I(0x05, 0, 0, 0, 0)}), "ja +0\n");
  EXPECT_EQ(D({I(0x06, 0, 0, 0, -7)}), "ja32 -7\n");
  EXPECT_EQ(D({I(0x15, 1, 0, 2, 5)}), "jeq %r1, 5, +2\n");
  EXPECT_EQ(D({I(0x5e, 1, 2, -3, 0)}), "jne32 %r1, %r2, -3\n");
  EXPECT_EQ(D({I(0x85, 0, 0, 0, 5)}), "call 5\n");
  EXPECT_EQ(D({I(0x85, 0, 1, 0, 3)}), "call local +3\n");
  EXPECT_EQ(D({I(0x8d, 2, 0, 0, 0)}), "call %r2\n");
  EXPECT_EQ(D({I(0x95, 0, 0, 0, 0)}), "exit\n");
  EXPECT_EQ(D({I(0x18, 0, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344)}),
            "lddw %r0, 0x1122334455667788\n");
  EXPECT_EQ(D({I(0x18, 0, 0, 0, 7), I(0, 0, 0, 0, 0)}), "lddw %r0, 7\n");
  EXPECT_EQ(D({I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0)}), "lddw %r1, map[3]\n");
  EXPECT_EQ(D({I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 8)}), "lddw %r1, map_value[3]+8\n");
  EXPECT_EQ(D({I(0x61, 0, 1, 4, 0)}), "ldxw %r0, [%r1+4]\n");
  EXPECT_EQ(D({I(0x91, 0, 10, -8, 0)}), "ldxsb %r0, [%r10-8]\n");
  EXPECT_EQ(D({I(0x62, 1, 0, 4, 7)}), "stw [%r1+4], 7\n");
  EXPECT_EQ(D({I(0x7b, 10, 1, -8, 0)}), "stxdw [%r10-8], %r1\n");
  EXPECT_EQ(D({I(0xdb, 1, 2, 0, 1)}), "lock fetch add [%r1+0], %r2\n");
  EXPECT_EQ(D({I(0xc3, 1, 2, 0, 0xf1)}), "lock cmpxchg32 [%r1+0], %r2\n");
  EXPECT_EQ(D({I(0xbf, 11, 15, 0, 0)}), "mov %r11, %r15\n");
}

TEST(Disassembler, RawFallback) {
  EXPECT_EQ(D({Insn::from_raw(0xff)}), ".raw 0x00000000000000ff\n");                 // opcode
  EXPECT_EQ(D({I(0x07, 0, 1, 0, 1)}), ".raw 0x0000000100001007\n");                 // src set
  EXPECT_EQ(D({I(0xdc, 0, 0, 0, 8)}), ".raw 0x00000008000000dc\n");                 // be8
  EXPECT_EQ(D({I(0xdb, 0, 0, 0, 2)}), ".raw 0x00000002000000db\n");                 // atomic op
  EXPECT_EQ(D({I(0x95, 0, 0, 1, 0)}), ".raw 0x0000000000010095\n");                 // exit off
  EXPECT_EQ(D({I(0x18, 0, 0, 0, 1)}), ".raw 0x0000000100000018\n");                 // no slot 2
  EXPECT_EQ(D({I(0x18, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0)}),
            ".raw 0x0000000100000018\nexit\n");                                   // slot 2 opcode
  EXPECT_EQ(D({I(0x18, 0, 0, 0, 1), I(0, 1, 0, 0, 0)}),
            ".raw 0x0000000100000018\n.raw 0x0000000000000100\n");                // slot 2 regs
  EXPECT_EQ(D({I(0x18, 0, 0, 0, 1), I(0, 0, 0, 1, 0)}),
            ".raw 0x0000000100000018\n.raw 0x0000000000010000\n");                // slot 2 off
  EXPECT_EQ(D({I(0x18, 0, 3, 0, 1), I(0, 0, 0, 0, 0)}),
            ".raw 0x0000000100003018\n.raw 0x0000000000000000\n");                // lddw src 3
  EXPECT_EQ(D({I(0x18, 0, 1, 0, 1), I(0, 0, 0, 0, 5)}),
            ".raw 0x0000000100001018\n.raw 0x0000000500000000\n");                // map[] + hi
}

TEST(Disassembler, ShowIndexAndDisassembleOne) {
  const std::vector<Insn> p = {I(0x18, 0, 0, 0, 1), I(0, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0)};
  DisasmOptions o;
  o.show_index = true;
  EXPECT_EQ(disassemble(p, o),
            "    0:  18 00 00 00 01 00 00 00  lddw %r0, 1\n"
            "    1:  00 00 00 00 00 00 00 00\n"
            "    2:  95 00 00 00 00 00 00 00  exit\n");
  size_t slots = 0;
  EXPECT_EQ(disassemble_one(p, 0, &slots), "lddw %r0, 1");
  EXPECT_EQ(slots, 2u);
  EXPECT_EQ(disassemble_one(p, 2, &slots), "exit");
  EXPECT_EQ(slots, 1u);
  EXPECT_THROW(disassemble_one(p, 3, &slots), Error);
  EXPECT_EQ(disassemble({}), "");
}

// Every form of the table, with assorted field values, prints as itself (never .raw) and
// round-trips.
TEST(Disassembler, EveryFormPrintsAndRoundTrips) {
  std::mt19937_64 rng(12345);
  for (const FormInfo& fi : forms()) {
    for (int k = 0; k < 200; ++k) {
      Insn insn = Insn::from_raw(rng());
      insn.opcode = fi.opcode;
      switch (fi.match) {
        case Match::Off: insn.off = static_cast<int16_t>(fi.match_value); break;
        case Match::Imm: insn.imm = fi.match_value; break;
        case Match::Src:
          insn.regs = static_cast<uint8_t>((insn.regs & 0x0f) | (fi.match_value << 4));
          break;
        case Match::None: break;
      }
      if (fi.zero_fields & Z_DST) insn.regs &= 0xf0;
      if (fi.zero_fields & Z_SRC) insn.regs &= 0x0f;
      if (fi.zero_fields & Z_OFF) insn.off = 0;
      if (fi.zero_fields & Z_IMM) insn.imm = 0;
      std::vector<Insn> p = {insn};
      if (fi.format == Format::Lddw || fi.format == Format::LddwMap ||
          fi.format == Format::LddwMapValue) {
        p.push_back(I(0, 0, 0, 0, fi.format == Format::LddwMap ? 0 : static_cast<int32_t>(rng())));
      }
      ASSERT_EQ(classify(insn), fi.form);
      const std::string text = disassemble(p);
      EXPECT_EQ(text.find(".raw"), std::string::npos) << fi.name << ": " << text;
      EXPECT_TRUE(text.starts_with(std::string(fi.mnemonic) + (fi.format == Format::Exit ? "" : " ")))
          << fi.name << ": " << text;
      ASSERT_TRUE(round_trips(p)) << fi.name;
    }
  }
}

TEST(Disassembler, RoundTripRandomWords) {
  std::mt19937_64 rng(2024);
  // Single random slots.
  for (int i = 0; i < 100000; ++i) {
    ASSERT_TRUE(round_trips({Insn::from_raw(rng())}));
  }
  // Random programs that mix random slots, valid lddw pairs, and table opcodes with random
  // fields (so that many slots decode).
  const auto all = forms();
  for (int i = 0; i < 20000; ++i) {
    std::vector<Insn> p;
    const size_t n = 1 + rng() % 8;
    for (size_t k = 0; k < n; ++k) {
      Insn insn = Insn::from_raw(rng());
      switch (rng() % 4) {
        case 0: break;
        case 1: insn.opcode = all[rng() % all.size()].opcode; break;
        case 2:
          insn.opcode = 0x18;
          insn.regs &= 0x3f;
          insn.off = static_cast<int16_t>(rng() % 2);
          break;
        case 3: insn = I(0, 0, 0, 0, static_cast<int32_t>(rng())); break;
      }
      p.push_back(insn);
    }
    ASSERT_TRUE(round_trips(p));
  }
}

// Round trip of every program of a .data corpus. Files that do not parse are failures,
// except in bpf_conformance's negative folder (its malformed-assembler tests).
void round_trip_folder(const std::filesystem::path& dir, size_t* programs,
                       bool all_must_parse) {
  for (const auto& f : test::data_files(dir)) {
    DataTest t;
    try {
      t = parse_data_file(f);
    } catch (const Error& e) {
      if (all_must_parse) ADD_FAILURE() << e.what();
      continue;
    }
    ++*programs;
    EXPECT_TRUE(round_trips(t.program)) << f;
    if (t.has_asm && !t.has_raw) {
      // Programs written in assembler contain only valid encodings: no .raw expected.
      EXPECT_EQ(disassemble(t.program).find(".raw"), std::string::npos) << f;
    }
  }
}

TEST(Disassembler, RoundTripConformanceCorpus) {
  if (!std::filesystem::is_directory(test::conformance_tests())) {
    GTEST_SKIP() << "bpf_conformance corpus not found at " << test::conformance_tests()
                 << " (set EBPF_FPGA_CONFORMANCE_DIR)";
  }
  size_t programs = 0;
  round_trip_folder(test::conformance_tests(), &programs, true);
  EXPECT_EQ(programs, 313u);
  size_t negative = 0;
  round_trip_folder(test::conformance_negative(), &negative, false);
  EXPECT_GT(negative, 40u);
}

TEST(Disassembler, RoundTripIsaCorpus) {
  const auto files = test::data_files(test::isa_tests());
  if (files.empty()) GTEST_SKIP() << "no .data files in " << test::isa_tests();
  size_t programs = 0;
  round_trip_folder(test::isa_tests(), &programs, true);
  EXPECT_EQ(programs, files.size());
}

}  // namespace
}  // namespace ebpf
