// differential_soak: rtl against interp on as many random programs as asked.
//   differential_soak [--seed N] [--first I] [--count N] [--max-failures K]
// Prints every mismatch (with the program) and a summary; exit status 1 on any mismatch.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ebpf_fpga/engine.h"
#include "program_gen.h"

int main(int argc, char** argv) {
  uint64_t seed = 1, first = 0, count = 1'000'000, max_failures = 10;
  for (int k = 1; k + 1 < argc; k += 2) {
    const uint64_t v = std::strtoull(argv[k + 1], nullptr, 0);
    if (!std::strcmp(argv[k], "--seed")) {
      seed = v;
    } else if (!std::strcmp(argv[k], "--first")) {
      first = v;
    } else if (!std::strcmp(argv[k], "--count")) {
      count = v;
    } else if (!std::strcmp(argv[k], "--max-failures")) {
      max_failures = v;
    } else {
      std::fprintf(stderr, "usage: %s [--seed N] [--first I] [--count N] [--max-failures K]\n",
                   argv[0]);
      return 2;
    }
  }
  auto interp = ebpf::make_engine("interp");
  auto rtl = ebpf::make_engine("rtl");
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t failures = 0, done = 0;
  for (uint64_t i = first; i < first + count; ++i) {
    const auto tc = ebpf::difftest::make_case(seed, i);
    const std::string diff = ebpf::difftest::compare_engines(tc, *interp, *rtl);
    ++done;
    if (!diff.empty()) {
      ++failures;
      std::printf("MISMATCH seed %llu case %llu\n%s\n", static_cast<unsigned long long>(seed),
                  static_cast<unsigned long long>(i), diff.c_str());
      if (failures >= max_failures) break;
    }
    if (done % 100'000 == 0) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::printf("%llu cases, %llu mismatches, %.0f s\n", static_cast<unsigned long long>(done),
                  static_cast<unsigned long long>(failures), s);
      std::fflush(stdout);
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("seed %llu: %llu cases compared, %llu mismatches, %.1f s\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(done),
              static_cast<unsigned long long>(failures), s);
  return failures ? 1 : 0;
}
