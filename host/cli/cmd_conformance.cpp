// ebpf-fpga conformance [--engine interp|rtl] [--cpu-version v4] [--verbose] PATH...
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"

namespace ebpf::cli {

int cmd_conformance(int argc, const char* const* argv) {
  CLI::App app{"Run bpf_conformance .data tests on an engine. Prints one line per failure, "
               "then 'N passed, M failed' (', K skipped' when tests need a newer cpu "
               "version). Exits 1 when any test fails.",
               "ebpf-fpga conformance"};
  std::vector<std::string> paths;
  std::string engine_name = "interp", cpu = "v4";
  bool verbose = false;
  app.add_option("PATH", paths, ".data files or folders of them (not recursive)")->required();
  app.add_option("--engine", engine_name, "engine to run the tests on (interp, rtl)")
      ->capture_default_str();
  app.add_option("--cpu-version", cpu,
                 "newest instruction set the engine accepts (v1..v4); tests that need a "
                 "newer one are skipped")
      ->capture_default_str();
  app.add_flag("-v,--verbose", verbose, "also print a line for every pass and skip");
  if (auto rc = parse_args(app, argc, argv)) return *rc;

  ConformanceOptions opts;
  std::unique_ptr<Engine> engine;
  try {
    opts.cpu_version = parse_cpu_version(cpu);
    engine = make_engine(engine_name);
  } catch (const Error& e) {
    std::cerr << "ebpf-fpga conformance: " << e.what() << "\n";
    return kExitUsage;
  }

  std::vector<std::filesystem::path> files;
  try {
    files = collect_data_files(paths);
  } catch (const Error& e) {
    std::cerr << "ebpf-fpga conformance: error: " << e.what() << "\n";
    return kExitFail;
  }

  size_t passed = 0, failed = 0, skipped = 0;
  for (const auto& f : files) {
    TestOutcome o;
    try {
      const DataTest t = parse_data_file(f);
      o = run_data_test(t, *engine, opts);
    } catch (const std::exception& e) {
      o.status = TestStatus::kFail;
      o.message = e.what();
    }
    switch (o.status) {
      case TestStatus::kPass:
        ++passed;
        if (verbose) std::cout << "PASS " << f.string() << "\n";
        break;
      case TestStatus::kSkip:
        ++skipped;
        if (verbose) std::cout << "SKIP " << f.string() << ": " << o.message << "\n";
        break;
      case TestStatus::kFail:
        ++failed;
        std::cout << "FAIL " << f.string() << ": " << o.message << "\n";
        break;
    }
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (skipped) std::cout << ", " << skipped << " skipped";
  std::cout << std::endl;
  return failed ? kExitFail : kExitOk;
}

}  // namespace ebpf::cli
