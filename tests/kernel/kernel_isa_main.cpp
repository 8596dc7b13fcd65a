// ebpf-fpga-kernel-isa: runs .data programs in the running Linux kernel (XDP, BPF_PROG_TEST_RUN)
// and compares the full 64-bit r0 with each file's `-- result`.
//
//   ebpf-fpga-kernel-isa [--verbose] [--only-problems] PATH...
//
// PATH: .data files or folders of them. One line per file: agree, DISAGREE (kernel value and
// expected value), refused (errno and the verifier's reason), no-result or ERROR; then a
// summary line. --verbose prints whole verifier logs of refused programs. Exit status: 0 when
// nothing disagrees and nothing failed to run, 1 otherwise, 2 when bpf() is not usable here.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "ebpf_fpga/conformance.h"
#include "kernel_isa.h"

namespace {

void usage(FILE* to) {
  std::fprintf(to,
               "usage: ebpf-fpga-kernel-isa [--verbose] [--only-problems] PATH...\n"
               "  Loads each .data program into the running kernel as an XDP program, runs it\n"
               "  with BPF_PROG_TEST_RUN and compares r0 (all 64 bits) with its -- result.\n");
}

}  // namespace

int main(int argc, char** argv) {
  bool verbose = false, only_problems = false;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (a == "--only-problems") {
      only_problems = true;
    } else if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "ebpf-fpga-kernel-isa: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 2;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    usage(stderr);
    return 2;
  }

  const ebpf::kernel::Availability av = ebpf::kernel::probe();
  if (!av.available) {
    std::fprintf(stderr, "ebpf-fpga-kernel-isa: %s\n", av.reason.c_str());
    return 2;
  }

  std::vector<std::filesystem::path> files;
  try {
    files = ebpf::collect_data_files(paths);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ebpf-fpga-kernel-isa: %s\n", e.what());
    return 2;
  }

  std::vector<ebpf::kernel::FileReport> reports;
  for (const auto& f : files) {
    reports.push_back(ebpf::kernel::check_file(f));
    const auto& r = reports.back();
    using ebpf::kernel::Verdict;
    if (only_problems && (r.verdict == Verdict::kAgree || r.verdict == Verdict::kRefused)) {
      continue;
    }
    const std::string name(ebpf::kernel::verdict_name(r.verdict));
    if (r.verdict == Verdict::kAgree) {
      std::printf("%-9s %s r0=0x%" PRIx64 "\n", name.c_str(), r.path.c_str(), r.kernel_r0);
    } else {
      std::printf("%-9s %s: %s\n", name.c_str(), r.path.c_str(), r.reason.c_str());
    }
    if (verbose && !r.verifier_log.empty()) {
      std::printf("---- verifier log ----\n%s---- end of log ----\n", r.verifier_log.c_str());
    }
  }
  const ebpf::kernel::Summary s = ebpf::kernel::summarize(reports);
  std::printf("%zu files: %zu agree, %zu disagree, %zu refused by the verifier, %zu without "
              "a result, %zu errors\n",
              s.total(), s.agree, s.disagree, s.refused, s.no_result, s.error);
  return (s.disagree || s.error) ? 1 : 0;
}
