// The Linux kernel as an ISA oracle for .data programs.
//
// Each program is loaded as a BPF_PROG_TYPE_XDP program with bpf_prog_load() and run once with
// BPF_PROG_TEST_RUN. Two things are added around the test's own instructions:
//
//  - a prolog that turns the XDP context into the conformance calling convention (r1 = pointer
//    to the test memory, r2 = its length): the memory is the packet, r1 = ctx->data, checked
//    against ctx->data_end so that the verifier accepts packet accesses within the length;
//  - for the upper half of r0 (test_run reports only a 32-bit return value) a second variant
//    of the program with `rsh r0, 32` in front of every exit of the main program (exits of
//    subprograms are returns and are left alone); jump and call offsets are relocated.
//
// The kernel value is then (high << 32) | low, compared with the file's `-- result`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ebpf_fpga/isa.h"

namespace ebpf::kernel {

// Whether bpf() can load and test-run an XDP program here. `reason` says why not (for
// GTEST_SKIP): no bpf() syscall (ENOSYS), not permitted (EPERM/EACCES), or another errno.
struct Availability {
  bool available = false;
  std::string reason;
};
Availability probe();

// The conformance prolog for a test memory of `mem_len` bytes, followed by `prog`. Jump and
// call offsets of `prog` are relative, so they need no change.
std::vector<Insn> with_prolog(std::span<const Insn> prog, uint32_t mem_len);

// `prog` with `rsh r0, 32` inserted in front of every exit of the main program (the slots
// before the first bpf-to-bpf call target). Every jump and call offset is relocated; a jump to
// an exit lands on the inserted shift. Throws ebpf::Error if an offset no longer fits.
std::vector<Insn> high_half_variant(std::span<const Insn> prog);

// One load and test run of a complete program (prolog included) on `packet`.
struct Run {
  bool loaded = false;
  int load_errno = 0;
  std::string verifier_log;  // on refusal: the verifier's log (log level 1, tail kept)
  bool ran = false;
  int run_errno = 0;
  uint32_t retval = 0;
};
Run load_and_run(std::span<const Insn> prog, std::span<const uint8_t> packet);

enum class Verdict {
  kAgree,      // the kernel accepted the program and returned the expected r0
  kDisagree,   // the kernel accepted the program and returned another r0
  kRefused,    // the verifier refused the program
  kNoResult,   // the file has no `-- result` (an `-- error` test): the kernel's answer is shown
  kError,      // the file could not be parsed/assembled, or test_run itself failed
};
std::string_view verdict_name(Verdict v);

struct FileReport {
  std::string path;
  Verdict verdict = Verdict::kError;
  std::optional<uint64_t> expected;
  uint64_t kernel_r0 = 0;  // valid for kAgree, kDisagree and accepted kNoResult
  bool kernel_accepted = false;
  std::string reason;       // kRefused: the key verifier lines; kError: what went wrong
  std::string verifier_log; // kRefused: the whole log
};

// Parses, assembles, loads and runs one .data file (both variants) and judges the result.
FileReport check_file(const std::filesystem::path& path);

// The lines of a verifier log that say why it refused: the last lines before the
// "processed N insns" statistics, at most `max_lines` of them, joined with " | ".
std::string refusal_reason(const std::string& log, size_t max_lines = 2);

struct Summary {
  size_t agree = 0, disagree = 0, refused = 0, no_result = 0, error = 0;
  size_t total() const { return agree + disagree + refused + no_result + error; }
};
Summary summarize(std::span<const FileReport> reports);

}  // namespace ebpf::kernel
