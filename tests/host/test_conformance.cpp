// The conformance runner on the interp engine: the whole bpf_conformance corpus, the
// negative folder, and the runner's own outcomes (fault, expected error, cpu-version skip).
#include <gtest/gtest.h>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "host_test_util.h"

namespace ebpf {
namespace {

namespace fs = std::filesystem;

#define REQUIRE_CORPUS()                                                                    \
  if (!fs::is_directory(test::conformance_tests()))                                         \
  GTEST_SKIP() << "bpf_conformance corpus not found at " << test::conformance_tests()       \
               << " (set EBPF_FPGA_CONFORMANCE_DIR)"

TEST(Conformance, WholeCorpusPassesOnInterp) {
  REQUIRE_CORPUS();
  auto engine = make_engine("interp");
  ConformanceOptions opts;
  size_t passed = 0, failed = 0, skipped = 0;
  std::string failures;
  for (const auto& f : collect_data_files({test::conformance_tests().string()})) {
    TestOutcome o;
    try {
      o = run_data_test(parse_data_file(f), *engine, opts);
    } catch (const Error& e) {
      o.status = TestStatus::kFail;
      o.message = e.what();
    }
    if (o.status == TestStatus::kPass) ++passed;
    if (o.status == TestStatus::kSkip) ++skipped;
    if (o.status == TestStatus::kFail) {
      ++failed;
      failures += "\n  " + f.filename().string() + ": " + o.message;
    }
  }
  EXPECT_EQ(passed, 313u) << failures;
  EXPECT_EQ(failed, 0u) << failures;
  EXPECT_EQ(skipped, 0u);
}

TEST(Conformance, OlderCpuVersionsSkipNewerTests) {
  REQUIRE_CORPUS();
  auto engine = make_engine("interp");
  const auto files = collect_data_files({test::conformance_tests().string()});
  size_t last_passed = 0;
  for (uint8_t v = 1; v <= 4; ++v) {
    ConformanceOptions opts;
    opts.cpu_version = v;
    size_t passed = 0, skipped = 0;
    for (const auto& f : files) {
      const TestOutcome o = run_data_test(parse_data_file(f), *engine, opts);
      ASSERT_NE(o.status, TestStatus::kFail) << f << " at v" << int(v) << ": " << o.message;
      passed += o.status == TestStatus::kPass;
      skipped += o.status == TestStatus::kSkip;
    }
    EXPECT_EQ(passed + skipped, files.size());
    EXPECT_GT(passed, last_passed) << "v" << int(v);
    last_passed = passed;
  }
  EXPECT_EQ(last_passed, 313u);
}

// bpf_conformance's negative folder, file by file.
TEST(Conformance, NegativeFolder) {
  REQUIRE_CORPUS();
  auto engine = make_engine("interp");
  size_t unused = 0, invalid = 0;
  for (const auto& f : test::data_files(test::conformance_negative())) {
    const std::string name = f.filename().string();
    SCOPED_TRACE(name);
    if (name.starts_with("unused-")) {
      // A reserved field is set: the program parses, the checker refuses it.
      ++unused;
      const DataTest t = parse_data_file(f);
      EXPECT_TRUE(t.error);
      EXPECT_THROW(engine->load(t.program), Error);
      const TestOutcome o = run_data_test(t, *engine, {});
      EXPECT_EQ(o.status, TestStatus::kPass) << o.message;
    } else if (name.starts_with("invalid_")) {
      // Malformed assembler text (or, for invalid_unknown_directive, a malformed file).
      ++invalid;
      try {
        parse_data_file(f);
        ADD_FAILURE() << "parsed without error";
      } catch (const Error& e) {
        EXPECT_TRUE(std::string(e.what()).starts_with(f.string() + ":")) << e.what();
      }
    } else if (name == "empty.data" || name == "empty_instructions.data") {
      EXPECT_THROW(parse_data_file(f), Error);
    } else if (name == "error.data") {
      // Expects an error, but `or %r0, %r10` is a valid program: the test must fail.
      const TestOutcome o = run_data_test(parse_data_file(f), *engine, {});
      EXPECT_EQ(o.status, TestStatus::kFail);
      EXPECT_EQ(o.message, "expected error 'Invalid', but the program loaded and returned "
                           "r0 = 0x100000200");
    } else if (name == "incorrect_return_value_high_bits.data") {
      // The expected value differs from the real one in its upper 32 bits only; we compare
      // all 64 bits, so it fails.
      const TestOutcome o = run_data_test(parse_data_file(f), *engine, {});
      EXPECT_EQ(o.status, TestStatus::kFail);
      EXPECT_EQ(o.message, "r0 = 0x8877665544332211, expected 0x8977665544332211");
    } else {
      ADD_FAILURE() << "negative test not classified by this suite";
    }
  }
  EXPECT_EQ(unused, 45u);
  EXPECT_EQ(invalid, 11u);
}

DataTest make_test(std::string_view text) { return parse_data_text(text, "inline.data"); }

TEST(ConformanceRunner, Outcomes) {
  auto engine = make_engine("interp");
  ConformanceOptions opts;

  // Pass, with memory placed in the packet region and r2 = its length.
  TestOutcome o = run_data_test(
      make_test("-- asm\nldxb %r0, [%r1+2]\nadd %r0, %r2\nexit\n-- mem\n01 02 30\n-- result\n"
                "0x33\n"),
      *engine, opts);
  EXPECT_EQ(o.status, TestStatus::kPass) << o.message;
  EXPECT_EQ(o.r0, 0x33u);

  // Wrong result.
  o = run_data_test(make_test("-- asm\nmov %r0, 2\nexit\n-- result\n0x3\n"), *engine, opts);
  EXPECT_EQ(o.status, TestStatus::kFail);
  EXPECT_EQ(o.message, "r0 = 0x2, expected 0x3");

  // A fault fails a test that expects a result, and names the fault and pc.
  o = run_data_test(make_test("-- asm\nmov %r0, 0\nldxdw %r0, [%r0+0]\nexit\n-- result\n0\n"),
                    *engine, opts);
  EXPECT_EQ(o.status, TestStatus::kFail);
  EXPECT_NE(o.message.find("fault load_out_of_bounds at pc 1"), std::string::npos) << o.message;

  // ... and passes a test that expects an error.
  o = run_data_test(make_test("-- asm\nmov %r0, 0\nldxdw %r0, [%r0+0]\nexit\n-- error\n"),
                    *engine, opts);
  EXPECT_EQ(o.status, TestStatus::kPass) << o.message;

  // Load error: pass when an error is expected, fail otherwise.
  o = run_data_test(make_test("-- raw\n0xff\n0x95\n-- error\nbad opcode\n"), *engine, opts);
  EXPECT_EQ(o.status, TestStatus::kPass) << o.message;
  o = run_data_test(make_test("-- asm\nmov %r11, 1\nexit\n-- result\n1\n"), *engine, opts);
  EXPECT_EQ(o.status, TestStatus::kFail);
  EXPECT_TRUE(o.message.starts_with("load error: ")) << o.message;

  // An error expected but none happens.
  o = run_data_test(make_test("-- asm\nmov %r0, 1\nexit\n-- error\n"), *engine, opts);
  EXPECT_EQ(o.status, TestStatus::kFail);
  EXPECT_EQ(o.message, "expected an error, but the program loaded and returned r0 = 0x1");

  // Newer than the cpu version: skipped.
  opts.cpu_version = 3;
  o = run_data_test(make_test("-- asm\nmov %r0, 0\nsdiv %r0, 1\nexit\n-- result\n0\n"), *engine,
                    opts);
  EXPECT_EQ(o.status, TestStatus::kSkip);
  EXPECT_EQ(o.message, "needs cpu v4 (running v3)");

  // The memory is too large for the packet buffer: a failure, not a crash.
  std::string big = "-- asm\nexit\n-- mem\n";
  for (uint32_t i = 0; i < addr::kPacketMaxFrame + 1; ++i) big += "00 ";
  big += "\n-- result\n0\n";
  o = run_data_test(make_test(big), *engine, {});
  EXPECT_EQ(o.status, TestStatus::kFail);
  EXPECT_TRUE(o.message.starts_with("run error: ")) << o.message;
}

TEST(ConformanceRunner, MemoryImage) {
  const MemoryImage m = conformance_memory({1, 2, 3});
  EXPECT_FALSE(m.has_ctx);
  EXPECT_EQ(m.data, addr::kPacketHeadroom);
  EXPECT_EQ(m.data_end, addr::kPacketHeadroom + 3);
  EXPECT_EQ(m.packet[m.data + 2], 3);
  const MemoryImage e = conformance_memory({});
  EXPECT_EQ(e.data, e.data_end);
}

}  // namespace
}  // namespace ebpf
