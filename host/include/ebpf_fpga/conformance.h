// The bpf_conformance `.data` test format and an in-process runner against any Engine.
//
// A file has sections introduced by `-- NAME` lines: `asm` (assembler text), `raw` (one
// 64-bit instruction word per token, or bytes "b7 00 .."), `mem` (hex bytes), `result`
// (expected r0), `error` (expected error text), and ignored `c` / `no register offset`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/isa.h"

namespace ebpf {

struct DataTest {
  std::string path;
  std::vector<Insn> program;          // from `raw` if present, else assembled `asm`
  std::string asm_text;               // the `asm` section, comments stripped
  int asm_first_line = 0;             // file line of the asm section's first line
  bool has_asm = false, has_raw = false;
  std::vector<uint8_t> memory;        // `mem` bytes
  std::optional<uint64_t> result;     // `result`
  std::optional<std::string> error;   // `error` (may be empty text)
};

// Parses a .data file. Throws ebpf::Error "PATH:LINE: message" for malformed content.
DataTest parse_data_file(const std::filesystem::path& path);
DataTest parse_data_text(std::string_view text, const std::string& name);

struct ConformanceOptions {
  uint8_t cpu_version = 4;
  uint64_t budget = addr::kDefaultBudget;
};

enum class TestStatus { kPass, kFail, kSkip };
struct TestOutcome {
  TestStatus status = TestStatus::kFail;
  std::string message;  // why it failed or was skipped
  uint64_t r0 = 0;
};

// Runs one test on `engine` (load, then run with r1 = data, r2 = len).
TestOutcome run_data_test(const DataTest& test, Engine& engine, const ConformanceOptions& opts);

// Builds the memory image a conformance program sees: `memory` copied to data.
MemoryImage conformance_memory(const std::vector<uint8_t>& memory);

// Expands PATH arguments (files or folders of .data files) into a sorted list of files.
std::vector<std::filesystem::path> collect_data_files(const std::vector<std::string>& paths);

}  // namespace ebpf
