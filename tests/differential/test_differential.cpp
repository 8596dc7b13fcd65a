// rtl against interp on seeded random programs (program_gen.h). The default run covers
// kShards x kPerShard cases; the seed is fixed so CI is reproducible, and EBPF_DIFF_SEED
// picks another stream. tests/differential/soak.cpp runs millions.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "ebpf_fpga/engine.h"
#include "helper_gen.h"
#include "program_gen.h"

namespace ebpf::difftest {
namespace {

constexpr int kShards = 16;
constexpr uint64_t kPerShard = 2'500;
constexpr uint64_t kDefaultSeed = 20'261'123;

uint64_t seed() {
  const char* s = std::getenv("EBPF_DIFF_SEED");
  return s ? std::strtoull(s, nullptr, 0) : kDefaultSeed;
}

class Differential : public ::testing::TestWithParam<int> {};

TEST_P(Differential, RtlMatchesInterp) {
  auto interp = make_engine("interp");
  auto rtl = make_engine("rtl");
  const uint64_t first = static_cast<uint64_t>(GetParam()) * kPerShard;
  int failures = 0;
  for (uint64_t i = first; i < first + kPerShard && failures < 5; ++i) {
    const TestCase tc = make_case(seed(), i);
    const std::string diff = compare_engines(tc, *interp, *rtl);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed() << " case " << i << " (rerun: differential_soak --seed "
                    << seed() << " --first " << i << " --count 1)\n"
                    << diff;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shards, Differential, ::testing::Range(0, kShards));

// Programs that call helpers and use maps (helper_gen.h): kHelperShards x kHelperPerShard
// cases, each run twice.
constexpr int kHelperShards = 4;
constexpr uint64_t kHelperPerShard = 100;

class DifferentialHelpers : public ::testing::TestWithParam<int> {};

TEST_P(DifferentialHelpers, RtlMatchesInterp) {
  auto interp = make_engine("interp");
  auto rtl = make_engine("rtl");
  const uint64_t first = static_cast<uint64_t>(GetParam()) * kHelperPerShard;
  int failures = 0;
  for (uint64_t i = first; i < first + kHelperPerShard && failures < 3; ++i) {
    const HelperCase hc = make_helper_case(seed(), i);
    const std::string diff = compare_helper_case(hc, *interp, *rtl);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed() << " helper case " << i << "\n" << diff;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shards, DifferentialHelpers, ::testing::Range(0, kHelperShards));

// The generator covers every form of the instruction table in its structured programs.
TEST(DifferentialGenerator, CoversEveryForm) {
  std::vector<bool> seen(static_cast<size_t>(Form::kCount), false);
  for (uint64_t i = 0; i < 3'000; ++i) {
    const TestCase tc = make_case(kDefaultSeed, i);
    if (tc.kind != "structured") continue;
    for (const Insn& insn : tc.program) {
      if (const auto f = classify(insn)) seen[static_cast<size_t>(*f)] = true;
    }
  }
  for (const FormInfo& fi : forms()) {
    EXPECT_TRUE(seen[static_cast<size_t>(fi.form)]) << fi.name << " is never generated";
  }
}

}  // namespace
}  // namespace ebpf::difftest
