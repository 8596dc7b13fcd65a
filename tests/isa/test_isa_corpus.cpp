// Runs every tests/isa/*.data file on the reference interpreter and checks the files' form.
#include <gtest/gtest.h>

#include <exception>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/isa.h"

namespace {

namespace fs = std::filesystem;

const fs::path kCorpusDir = fs::path(EBPF_FPGA_SOURCE_DIR) / "tests" / "isa";

std::vector<fs::path> corpus_files() {
  return ebpf::collect_data_files({kCorpusDir.string()});
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(IsaCorpus, HasFiles) {
  const auto files = corpus_files();
  EXPECT_GE(files.size(), 150u) << "the ISA corpus in " << kCorpusDir << " looks incomplete";
}

// Licence header, a -- result (the corpus has no error tests), an exit instruction, and a
// description line after the header.
TEST(IsaCorpus, FilesAreWellFormed) {
  for (const auto& f : corpus_files()) {
    SCOPED_TRACE(f.filename().string());
    const std::string text = read_text(f);
    EXPECT_NE(text.find("# SPDX-License-Identifier: Apache-2.0\n"), std::string::npos);
    EXPECT_NE(text.find("# Copyright (c) ebpf-fpga contributors\n"), std::string::npos);
    EXPECT_NE(text.find("\n-- result\n"), std::string::npos);
    EXPECT_EQ(text.find("\n-- error"), std::string::npos);
    try {
      const ebpf::DataTest t = ebpf::parse_data_file(f);
      EXPECT_TRUE(t.result.has_value());
      bool has_exit = false;
      for (const ebpf::Insn& in : t.program) has_exit |= in.opcode == 0x95;
      EXPECT_TRUE(has_exit) << "no exit instruction";
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

// Every instruction form of insn_table.def appears in some file, except the ones a .data
// program cannot use: map references (no maps in the format) and callx (not in Linux, and
// its helper-in-register form is covered by the conformance corpus).
TEST(IsaCorpus, CoversEveryInstructionForm) {
  const std::set<std::string_view> not_expressible = {"LDDW_MAP", "LDDW_MAP_VALUE", "CALLX"};
  std::set<ebpf::Form> seen;
  for (const auto& f : corpus_files()) {
    try {
      const ebpf::DataTest t = ebpf::parse_data_file(f);
      for (size_t i = 0; i < t.program.size(); ++i) {
        const auto form = ebpf::classify(t.program[i]);
        if (!form) continue;
        seen.insert(*form);
        if (ebpf::form_info(*form).format == ebpf::Format::Lddw) ++i;  // second slot
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  for (const ebpf::FormInfo& fi : ebpf::forms()) {
    if (not_expressible.count(fi.name)) continue;
    EXPECT_TRUE(seen.count(fi.form)) << "no tests/isa file uses " << fi.name << " ("
                                     << fi.mnemonic << ")";
  }
}

TEST(IsaCorpus, InterpreterPassesEveryFile) {
  const auto files = corpus_files();
  ASSERT_FALSE(files.empty());
  auto engine = ebpf::make_engine("interp");
  ebpf::ConformanceOptions opts;
  size_t passed = 0;
  std::vector<std::string> failures;
  for (const auto& f : files) {
    try {
      const ebpf::DataTest t = ebpf::parse_data_file(f);
      const ebpf::TestOutcome o = ebpf::run_data_test(t, *engine, opts);
      if (o.status == ebpf::TestStatus::kPass) {
        ++passed;
      } else {
        failures.push_back(f.filename().string() + ": " +
                           (o.status == ebpf::TestStatus::kSkip ? "skipped: " : "") + o.message);
      }
    } catch (const std::exception& e) {
      failures.push_back(f.filename().string() + ": " + e.what());
    }
  }
  std::ostringstream list;
  for (const auto& s : failures) list << "  " << s << "\n";
  std::cout << "[ isa corpus ] interp: " << passed << " of " << files.size() << " files pass\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << files.size()
                                << " files fail on interp:\n" << list.str();
}

}  // namespace
