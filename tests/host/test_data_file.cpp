// The .data parser: sections, raw forms, and every malformed-file error with its location.
#include <gtest/gtest.h>

#include <random>

#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/error.h"
#include "host_test_util.h"

namespace ebpf {
namespace {

Insn I(uint8_t opcode, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  return Insn::make(opcode, dst, src, off, imm);
}

std::string parse_error(std::string_view text, const std::string& name = "t.data") {
  try {
    parse_data_text(text, name);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "parsed without error:\n" << text;
  return {};
}

TEST(DataFile, AsmMemResult) {
  const DataTest t = parse_data_text(
      "# Copyright line\n"
      "# SPDX line\n"
      "-- asm\n"
      "ldxh %r0, [%r1]  # load\n"
      "\n"
      "exit\n"
      "-- mem\n"
      "11 22\n"
      "33\n"
      "-- result\n"
      "0x2211\n",
      "a.data");
  EXPECT_EQ(t.path, "a.data");
  EXPECT_TRUE(t.has_asm);
  EXPECT_FALSE(t.has_raw);
  EXPECT_EQ(t.asm_first_line, 4);
  EXPECT_EQ(t.asm_text, "ldxh %r0, [%r1]  \n\nexit\n");
  EXPECT_EQ(t.program, (std::vector<Insn>{I(0x69, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0)}));
  EXPECT_EQ(t.memory, (std::vector<uint8_t>{0x11, 0x22, 0x33}));
  ASSERT_TRUE(t.result);
  EXPECT_EQ(*t.result, 0x2211u);
  EXPECT_FALSE(t.error);
}

TEST(DataFile, ResultForms) {
  EXPECT_EQ(*parse_data_text("-- asm\nexit\n-- result\n42\n", "x").result, 42u);
  EXPECT_EQ(*parse_data_text("-- asm\nexit\n-- result\n  0xFFFFFFFFFFFFFFFF  \n", "x").result,
            UINT64_MAX);
  EXPECT_EQ(*parse_data_text("-- asm\nexit\n-- result\n-1\n", "x").result, UINT64_MAX);
}

TEST(DataFile, IgnoredSectionsAndCrlf) {
  const DataTest t = parse_data_text(
      "-- asm\r\nmov %r0, 1\r\nexit\r\n-- result\r\n0x1\r\n-- no register offset\r\n"
      "call instruction\r\n-- c\r\nint f() { return 1; }\r\n",
      "x");
  EXPECT_EQ(t.program.size(), 2u);
  EXPECT_EQ(*t.result, 1u);
}

TEST(DataFile, ErrorSection) {
  DataTest t = parse_data_text("-- raw\n95 00 00 00 00 00 00 00\n-- error\n", "x");
  ASSERT_TRUE(t.error);
  EXPECT_EQ(*t.error, "");
  EXPECT_FALSE(t.result);
  t = parse_data_text("-- asm\nexit\n-- error\n\nInvalid # kept as written\n", "x");
  ASSERT_TRUE(t.error);
  EXPECT_EQ(*t.error, "Invalid # kept as written");
}

TEST(DataFile, RawWordsAndBytes) {
  DataTest t = parse_data_text("-- raw\n0x00000001000000b7 149\n-- result\n1\n", "x");
  EXPECT_TRUE(t.has_raw);
  EXPECT_EQ(t.program, (std::vector<Insn>{I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0)}));

  t = parse_data_text("-- raw\nb7 00 00 00 01 00 00 00\n95 00 00 00\n00 00 00 00\n-- result\n1\n",
                      "x");
  EXPECT_EQ(t.program, (std::vector<Insn>{I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0)}));

  // raw wins over asm when both are present.
  t = parse_data_text("-- asm\nmov %r0, 2\nexit\n-- raw\n0x95\n-- result\n1\n", "x");
  EXPECT_TRUE(t.has_asm);
  EXPECT_EQ(t.program, (std::vector<Insn>{I(0x95, 0, 0, 0, 0)}));
}

TEST(DataFile, MalformedRaw) {
  EXPECT_EQ(parse_error("-- raw\nb7 00 00 00 01 00 00 00\n95 00 00\n-- result\n1\n"),
            "t.data:3: raw section has 11 bytes, not a multiple of 8: truncated instruction at "
            "byte offset 8");
  EXPECT_EQ(parse_error("-- raw\n0x95 zz\n-- result\n1\n"),
            "t.data:2: expected a 64-bit instruction word (0x-prefixed hex or decimal) in the "
            "raw section, got 'zz'");
  EXPECT_EQ(parse_error("-- raw\n0x95\n0x10000000000000000\n-- result\n1\n"),
            "t.data:3: expected a 64-bit instruction word (0x-prefixed hex or decimal) in the "
            "raw section, got '0x10000000000000000'");
  EXPECT_EQ(parse_error("-- raw\n-1\n-- result\n1\n"),
            "t.data:2: expected a 64-bit instruction word (0x-prefixed hex or decimal) in the "
            "raw section, got '-1'");
}

TEST(DataFile, MalformedSections) {
  EXPECT_EQ(parse_error("-- asm\nexit\n-- Unknown directive\n-- result\n1\n"),
            "t.data:3: unknown section directive '-- Unknown directive' (expected -- asm, raw, "
            "mem, result, error, c or no register offset)");
  EXPECT_EQ(parse_error("-- asm\nexit\n-- asm\nexit\n-- result\n1\n"),
            "t.data:3: duplicate '-- asm' section (first at line 1)");
  EXPECT_EQ(parse_error("-- asm\nexit\n-- mem\n11 2g3\n-- result\n1\n"),
            "t.data:4: expected a hex byte (00..ff) in the mem section, got '2g3'");
  EXPECT_EQ(parse_error("-- asm\nexit\n-- mem\n0x11\n-- result\n1\n"),
            "t.data:4: expected a hex byte (00..ff) in the mem section, got '0x11'");
  EXPECT_EQ(parse_error("-- asm\nexit\n-- result\nfoo\n"),
            "t.data:4: expected a 64-bit result (0x-prefixed hex or decimal), got 'foo'");
  EXPECT_EQ(parse_error("-- asm\nexit\n-- result\n1\n2\n"),
            "t.data:5: expected a single result value, got a second value '2'");
  EXPECT_EQ(parse_error("# nothing\n"),
            "t.data: no '-- result' or '-- error' section: nothing to check");
  EXPECT_EQ(parse_error(""), "t.data: no '-- result' or '-- error' section: nothing to check");
  EXPECT_EQ(parse_error("-- asm\nexit\n"),
            "t.data: no '-- result' or '-- error' section: nothing to check");
  EXPECT_EQ(parse_error("-- result\n0x0\n"),
            "t.data: no instructions (the file has no non-empty '-- asm' or '-- raw' section)");
  EXPECT_EQ(parse_error("-- asm\n# only comments\n\n-- result\n0x0\n"),
            "t.data: no instructions (the file has no non-empty '-- asm' or '-- raw' section)");
}

TEST(DataFile, AssemblerErrorsNameFileLines) {
  EXPECT_EQ(parse_error("# c\n# c\n-- asm\nmov %r0, 1\n  bogus %r0\nexit\n-- result\n1\n",
                        "dir/t.data"),
            "dir/t.data:5:3: expected an instruction mnemonic, got 'bogus'");
}

TEST(DataFile, FromDisk) {
  test::TempDir dir;
  test::write_file(dir / "ok.data", "-- asm\nmov %r0, 7\nexit\n-- result\n7\n");
  const DataTest t = parse_data_file(dir / "ok.data");
  EXPECT_EQ(t.path, (dir / "ok.data").string());
  EXPECT_EQ(*t.result, 7u);
  try {
    parse_data_file(dir / "missing.data");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir / "missing.data").string() + ": cannot open: No such file or directory");
  }
  EXPECT_THROW(parse_data_file(dir.path()), Error);
}

TEST(DataFile, CollectDataFiles) {
  test::TempDir dir;
  std::filesystem::create_directory(dir / "sub");
  for (const char* n : {"b.data", "a.data", "c.txt", "sub/d.data"}) test::write_file(dir / n, "");
  const auto files = collect_data_files({dir.path().string(), (dir / "sub/d.data").string()});
  EXPECT_EQ(files, (std::vector<std::filesystem::path>{dir / "a.data", dir / "b.data",
                                                        dir / "sub/d.data"}));
  try {
    collect_data_files({(dir / "nope").string()});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "nope").string() + ": no such file or directory");
  }
  EXPECT_TRUE(collect_data_files({}).empty());
}

}  // namespace
}  // namespace ebpf

namespace ebpf {
namespace {

TEST(DataFileFuzz, OnlyErrorsNeverCrashes) {
  const char* pieces[] = {"-- asm\n", "-- raw\n", "-- mem\n", "-- result\n", "-- error\n",
                          "-- c\n",   "--\n",     "exit\n",   "mov %r0, 1\n", "0x95\n",
                          "95 00 00 00 00 00 00 00\n", "11 22\n", "0x1\n", "zz\n", "# c\n",
                          "\n",       "\r\n",     "1 2\n",    "b7 00\n"};
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % 10);
    for (int k = 0; k < n; ++k) text += pieces[rng() % std::size(pieces)];
    try {
      parse_data_text(text, "f.data");
    } catch (const Error& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("f.data")) << e.what();
    }
  }
}

}  // namespace
}  // namespace ebpf
