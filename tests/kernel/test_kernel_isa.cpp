// The kernel as oracle: every .data program the Linux verifier accepts must return the
// file's expected r0 (all 64 bits). Refusals are counted and listed, not failures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ebpf_fpga/conformance.h"
#include "kernel_isa.h"

namespace {

namespace fs = std::filesystem;
using ebpf::kernel::FileReport;
using ebpf::kernel::Verdict;

// Checks every file of `dir`; prints the counts and the refused files with the reason.
std::vector<FileReport> check_dir(const fs::path& dir, const std::string& label) {
  std::vector<FileReport> reports;
  for (const auto& f : ebpf::collect_data_files({dir.string()})) {
    reports.push_back(ebpf::kernel::check_file(f));
  }
  const auto s = ebpf::kernel::summarize(reports);
  std::cout << "[ kernel ] " << label << ": " << s.total() << " files, " << s.agree
            << " agree, " << s.disagree << " disagree, " << s.refused
            << " refused by the verifier, " << s.no_result << " without a result, " << s.error
            << " errors\n";
  // What CI's log is meant to show: how many results the kernel actually checked.
  std::cout << "[ kernel ] " << label << ": kernel comparisons run: " << s.agree + s.disagree
            << " (programs the verifier accepted and ran, r0 compared on all 64 bits)\n";
  for (const auto& r : reports) {
    if (r.verdict == Verdict::kRefused || r.verdict == Verdict::kNoResult) {
      std::cout << "[ kernel ]   " << ebpf::kernel::verdict_name(r.verdict) << " "
                << fs::path(r.path).filename().string() << ": " << r.reason << "\n";
    }
  }
  return reports;
}

std::string problems(const std::vector<FileReport>& reports) {
  std::ostringstream out;
  for (const auto& r : reports) {
    if (r.verdict == Verdict::kDisagree || r.verdict == Verdict::kError) {
      out << "  " << ebpf::kernel::verdict_name(r.verdict) << " " << r.path << ": " << r.reason
          << "\n";
    }
  }
  return out.str();
}

// Why the verifier refuses a program, as a category (nullptr: a reason not seen before, which
// the corpus tests report so that a new refusal is looked at rather than silently counted).
const char* refusal_category(const std::string& reason) {
  if (reason.find("div by zero") != std::string::npos) return "division by a zero immediate";
  if (reason.find("invalid shift") != std::string::npos) return "shift immediate >= width";
  if (reason.find("unknown opcode 8d") != std::string::npos) return "callx (0x8d)";
  if (reason.find("call stack") != std::string::npos) return "call depth > 8 frames";
  return nullptr;
}

// Prints the refusals per category; fails on a refusal of an unknown kind.
void check_refusals(const std::vector<FileReport>& reports, const std::string& label) {
  std::map<std::string, size_t> counts;
  for (const auto& r : reports) {
    if (r.verdict != Verdict::kRefused) continue;
    const char* c = refusal_category(r.reason);
    EXPECT_NE(c, nullptr) << label << ": " << r.path << " is refused for a new reason: "
                          << r.reason;
    ++counts[c ? c : "other"];
  }
  for (const auto& [what, n] : counts) {
    std::cout << "[ kernel ] " << label << ": refused, " << what << ": " << n << "\n";
  }
}

class KernelIsa : public ::testing::Test {
 protected:
  void SetUp() override {
    const ebpf::kernel::Availability av = ebpf::kernel::probe();
    if (!av.available) GTEST_SKIP() << "kernel oracle unavailable: " << av.reason;
  }
};

// The prolog and the upper-half rewrite on their own: a 64-bit r0 comes back whole, also
// from a program whose main exit is a jump target and that calls a subprogram.
TEST_F(KernelIsa, RecoversFull64BitR0) {
  // mov r0, 1; jeq r0, 1, +2; call local +3; exit; lddw r0, 0x8765432112345678; exit;
  // subprogram: mov r0, 7; exit
  const std::vector<ebpf::Insn> prog = {
      ebpf::Insn::make(0xb7, 0, 0, 0, 1),  ebpf::Insn::make(0x15, 0, 0, 2, 1),
      ebpf::Insn::make(0x85, 0, 1, 0, 4),  ebpf::Insn::make(0x95, 0, 0, 0, 0),
      ebpf::Insn::make(0x18, 0, 0, 0, 0x12345678),
      ebpf::Insn::make(0x00, 0, 0, 0, static_cast<int32_t>(0x87654321u)),
      ebpf::Insn::make(0x95, 0, 0, 0, 0),  ebpf::Insn::make(0xb7, 0, 0, 0, 7),
      ebpf::Insn::make(0x95, 0, 0, 0, 0),
  };
  const std::vector<uint8_t> packet(14, 0);
  const auto low = ebpf::kernel::load_and_run(ebpf::kernel::with_prolog(prog, 0), packet);
  ASSERT_TRUE(low.loaded) << ebpf::kernel::refusal_reason(low.verifier_log);
  ASSERT_TRUE(low.ran);
  const auto high_prog = ebpf::kernel::high_half_variant(prog);
  ASSERT_EQ(high_prog.size(), prog.size() + 2);  // two main exits, none in the subprogram
  const auto high = ebpf::kernel::load_and_run(ebpf::kernel::with_prolog(high_prog, 0), packet);
  ASSERT_TRUE(high.loaded) << ebpf::kernel::refusal_reason(high.verifier_log);
  ASSERT_TRUE(high.ran);
  EXPECT_EQ(low.retval, 0x12345678u);
  EXPECT_EQ(high.retval, 0x87654321u);
}

// A tests/isa file that Linux refuses on purpose says so in its header.
bool marked_as_refused(const fs::path& file) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# Linux verifier: refused", 0) == 0) return true;
  }
  return false;
}

// Linux 6.6+ knows the cpu v4 instructions (sdiv, movsx, bswap, ldxs*, ja32); older kernels
// refuse every file that uses one.
bool kernel_has_cpu_v4() {
  const std::vector<ebpf::Insn> prog = {ebpf::Insn::make(0xb7, 0, 0, 0, -6),
                                        ebpf::Insn::make(0x37, 0, 0, 1, 2),  // sdiv r0, 2
                                        ebpf::Insn::make(0x95, 0, 0, 0, 0)};
  const std::vector<uint8_t> packet(14, 0);
  const auto r = ebpf::kernel::load_and_run(prog, packet);
  return r.loaded && r.ran && r.retval == static_cast<uint32_t>(-3);
}

TEST_F(KernelIsa, OwnCorpusAgreesWithKernel) {
  const fs::path dir = fs::path(EBPF_FPGA_SOURCE_DIR) / "tests" / "isa";
  const auto reports = check_dir(dir, "tests/isa");
  ASSERT_FALSE(reports.empty());
  const auto s = ebpf::kernel::summarize(reports);
  EXPECT_EQ(s.disagree, 0u) << problems(reports);
  EXPECT_EQ(s.error, 0u) << problems(reports);
  EXPECT_EQ(s.no_result, 0u) << "every tests/isa file has a -- result";
  check_refusals(reports, "tests/isa");
  EXPECT_GT(s.agree, 0u) << "the kernel accepted none of tests/isa";
  // Refusals are by design only: a new file the verifier refuses for another reason (an
  // uninitialised read, say) should be rewritten so that the kernel can check it.
  if (!kernel_has_cpu_v4()) {
    std::cout << "[ kernel ] this kernel predates cpu v4: refusals not checked against headers\n";
    return;
  }
  for (const auto& r : reports) {
    const bool marked = marked_as_refused(r.path);
    if (r.verdict == Verdict::kRefused) {
      EXPECT_TRUE(marked) << r.path << " is refused by the verifier (" << r.reason
                          << ") but its header has no '# Linux verifier: refused' line";
    } else if (r.verdict == Verdict::kAgree) {
      EXPECT_FALSE(marked) << r.path << " is marked as refused but the kernel accepts it";
    }
  }
}

TEST_F(KernelIsa, SharedConformanceCorpusAgreesWithKernel) {
  const fs::path dir = fs::path(EBPF_FPGA_CONFORMANCE_DIR) / "tests";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no bpf_conformance corpus at " << dir;
  const auto reports = check_dir(dir, "bpf_conformance");
  ASSERT_FALSE(reports.empty());
  const auto s = ebpf::kernel::summarize(reports);
  EXPECT_GT(s.agree, 0u) << "the kernel accepted none of bpf_conformance";
  check_refusals(reports, "bpf_conformance");
  EXPECT_EQ(s.disagree, 0u) << problems(reports);
  EXPECT_EQ(s.error, 0u) << problems(reports);
}

}  // namespace
