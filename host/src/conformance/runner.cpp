// Runs one parsed .data test on an Engine, the way the bpf_conformance plugin protocol does
// it in-process: load (a refused program is the "error" outcome), run with the test memory
// in the packet region, compare r0 with the expected result.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <system_error>

#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

std::string hex64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

// The newest cpu version any decodable instruction of the program needs.
uint8_t required_cpu_version(std::span<const Insn> prog) {
  uint8_t need = 1;
  for (size_t i = 0; i < prog.size(); ++i) {
    const std::optional<Form> f = classify(prog[i]);
    if (!f) continue;
    const FormInfo& fi = form_info(*f);
    need = std::max(need, fi.cpu_version);
    if (fi.format == Format::Lddw || fi.format == Format::LddwMap ||
        fi.format == Format::LddwMapValue) {
      ++i;  // the second slot is data
    }
  }
  return need;
}

std::string expected_error_text(const DataTest& t) {
  return t.error->empty() ? std::string("an error") : "error '" + *t.error + "'";
}

}  // namespace

MemoryImage conformance_memory(const std::vector<uint8_t>& memory) {
  MemoryImage mem;
  mem.has_ctx = false;
  mem.set_packet(memory);
  return mem;
}

TestOutcome run_data_test(const DataTest& test, Engine& engine, const ConformanceOptions& opts) {
  TestOutcome out;
  const uint8_t need = required_cpu_version(test.program);
  if (need > opts.cpu_version) {
    out.status = TestStatus::kSkip;
    out.message = "needs cpu v" + std::to_string(need) + " (running v" +
                  std::to_string(opts.cpu_version) + ")";
    return out;
  }

  LoadOptions lo;
  lo.cpu_version = opts.cpu_version;
  try {
    engine.load(test.program, lo);
  } catch (const Error& e) {
    if (test.error) {
      out.status = TestStatus::kPass;
      out.message = std::string("refused at load as expected: ") + e.what();
    } else {
      out.status = TestStatus::kFail;
      out.message = std::string("load error: ") + e.what();
    }
    return out;
  }

  RunResult r;
  try {
    MemoryImage mem = conformance_memory(test.memory);
    RunOptions ro;
    ro.budget = opts.budget;
    r = engine.run(mem, ro);
  } catch (const Error& e) {
    out.status = TestStatus::kFail;
    out.message = std::string("run error: ") + e.what();
    return out;
  }
  out.r0 = r.r0;

  if (r.fault != FaultCode::kNone) {
    const std::string what = "fault " + std::string(fault_name(r.fault)) + " at pc " +
                             std::to_string(r.fault_pc);
    if (test.error) {
      out.status = TestStatus::kPass;
      out.message = what + " (an error was expected)";
    } else {
      out.status = TestStatus::kFail;
      out.message = what + " (expected r0 = " + hex64(*test.result) + ")";
    }
    return out;
  }
  if (test.error) {
    out.status = TestStatus::kFail;
    out.message = "expected " + expected_error_text(test) + ", but the program loaded and " +
                  "returned r0 = " + hex64(r.r0);
    return out;
  }
  if (r.r0 != *test.result) {
    out.status = TestStatus::kFail;
    out.message = "r0 = " + hex64(r.r0) + ", expected " + hex64(*test.result);
    return out;
  }
  out.status = TestStatus::kPass;
  return out;
}

std::vector<std::filesystem::path> collect_data_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) throw Error(p + ": no such file or directory");
    if (fs::is_directory(st)) {
      std::vector<fs::path> files;
      for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".data" && it->is_regular_file()) files.push_back(it->path());
      }
      if (ec) throw Error(p + ": cannot list directory: " + ec.message());
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.emplace_back(p);
    }
  }
  return out;
}

}  // namespace ebpf
