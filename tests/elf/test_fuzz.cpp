// Truncated and corrupted objects: opening one either succeeds or throws ebpf::Error. Any
// other exception fails the test; a crash, a hang or a sanitizer report fails the run (the
// CI also runs this under ASan+UBSan, build-asan). Mutations are seeded and reproducible:
// EBPF_FPGA_FUZZ_SEED and EBPF_FPGA_FUZZ_ITERATIONS override the defaults.
#include <gtest/gtest.h>

#include <elf.h>

#include <cstdlib>
#include <random>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/object.h"
#include "elf_test_util.h"

namespace {

using elftest::RawElf;

uint64_t env_or(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 0) : fallback;
}

struct Outcome {
  size_t opened = 0, refused = 0;
};

// Opens a mutant; an opened object is also pushed through the checker and the disassembler,
// which must cope with whatever the loader produced.
void try_open(std::span<const uint8_t> bytes, Outcome& out) {
  try {
    const auto obj = ebpf::Object::open_memory(bytes, "fuzz.o");
    for (const auto& p : obj.programs()) {
      (void)ebpf::check_program(p.insns);
      (void)ebpf::disassemble(p.insns);
    }
    for (const auto& m : obj.maps()) {
      if (m.origin != ebpf::MapOrigin::kBtf) {
        ASSERT_EQ(m.initial_value.size(), m.value_size);
      }
    }
    ++out.opened;
  } catch (const ebpf::Error& e) {
    ASSERT_EQ(std::string(e.what()).rfind("fuzz.o: ", 0), 0u) << e.what();
    ++out.refused;
  }
}

std::vector<std::string> corpus() {
  std::vector<std::string> paths;
  for (const char* fw : {"xdp_pass", "mac_swap", "proto_count", "dns_filter", "firewall",
                         "router", "tail_chain"}) {
    if (auto p = elftest::firmware_object(fw); !p.empty()) paths.push_back(p);
  }
  for (const char* t : {"multi_prog", "all_map_types", "core_reloc", "legacy_maps"}) {
    if (auto p = elftest::test_object(t); !p.empty()) paths.push_back(p);
  }
  return paths;
}

class Fuzz : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { bytes_ = elftest::read_file(GetParam()); }
  void TearDown() override {
    RecordProperty("opened", std::to_string(out_.opened));
    RecordProperty("refused", std::to_string(out_.refused));
  }
  std::vector<uint8_t> bytes_;
  Outcome out_;
};

TEST_P(Fuzz, Truncations) {
  // Every length in the ELF header, the first kilobyte and the section header table; a
  // stride through the rest.
  const RawElf raw(bytes_);
  const size_t n = bytes_.size();
  const size_t stride = std::max<size_t>(1, n / 1500);
  for (size_t len = 0; len < n; ++len) {
    const bool dense = len < 1024 || len >= raw.shoff();
    if (!dense && len % stride != 0) continue;
    try_open(std::span(bytes_).first(len), out_);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(out_.opened, 0u) << "a truncated object opened";
}

TEST_P(Fuzz, RandomByteChanges) {
  std::mt19937_64 rng(env_or("EBPF_FPGA_FUZZ_SEED", 20261123));
  const uint64_t iterations = env_or("EBPF_FPGA_FUZZ_ITERATIONS", 1500);
  std::uniform_int_distribution<size_t> pos(0, bytes_.size() - 1);
  std::uniform_int_distribution<int> count(1, 8), byte(0, 255), bit(0, 7);
  for (uint64_t it = 0; it < iterations; ++it) {
    auto b = bytes_;
    const int changes = count(rng);
    for (int c = 0; c < changes; ++c) {
      if (rng() & 1) {
        b[pos(rng)] ^= static_cast<uint8_t>(1u << bit(rng));
      } else {
        b[pos(rng)] = static_cast<uint8_t>(byte(rng));
      }
    }
    try_open(b, out_);
    if (HasFatalFailure()) return;
  }
}

// Extreme values in every field of every section header, symbol and relocation.
TEST_P(Fuzz, StructuredFields) {
  const RawElf raw(bytes_);
  const uint64_t n = bytes_.size();
  const std::vector<uint64_t> values = {0, 1, 7, 8, 0xff, 0xffff, 0x7fffffff, 0xffffffff,
                                        n - 1, n, n + 1, ~0ull, 1ull << 40};
  auto field = [&](uint64_t off, size_t size) {
    for (uint64_t v : values) {
      auto b = bytes_;
      for (size_t i = 0; i < size; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
      try_open(b, out_);
      if (HasFatalFailure()) return;
    }
  };
  // ELF header fields past the identification bytes.
  for (size_t off = EI_NIDENT; off < sizeof(Elf64_Ehdr); off += 2) field(off, 2);
  field(offsetof(Elf64_Ehdr, e_shoff), 8);
  for (const auto& s : raw.sections()) {
    const uint64_t h = s.header_offset;
    field(h + offsetof(Elf64_Shdr, sh_name), 4);
    field(h + offsetof(Elf64_Shdr, sh_type), 4);
    field(h + offsetof(Elf64_Shdr, sh_flags), 8);
    field(h + offsetof(Elf64_Shdr, sh_offset), 8);
    field(h + offsetof(Elf64_Shdr, sh_size), 8);
    field(h + offsetof(Elf64_Shdr, sh_link), 4);
    field(h + offsetof(Elf64_Shdr, sh_info), 4);
    field(h + offsetof(Elf64_Shdr, sh_entsize), 8);
    if (s.type == SHT_SYMTAB) {
      for (uint64_t k = 0; k < s.size / sizeof(Elf64_Sym); ++k) {
        const uint64_t e = s.offset + k * sizeof(Elf64_Sym);
        field(e + offsetof(Elf64_Sym, st_name), 4);
        field(e + offsetof(Elf64_Sym, st_info), 1);
        field(e + offsetof(Elf64_Sym, st_shndx), 2);
        field(e + offsetof(Elf64_Sym, st_value), 8);
        field(e + offsetof(Elf64_Sym, st_size), 8);
      }
    }
    if (s.type == SHT_REL && raw.sections().at(s.info).name.rfind(".debug", 0) != 0) {
      for (uint64_t k = 0; k < s.size / sizeof(Elf64_Rel) && k < 64; ++k) {
        const uint64_t e = s.offset + k * sizeof(Elf64_Rel);
        field(e + offsetof(Elf64_Rel, r_offset), 8);
        field(e + offsetof(Elf64_Rel, r_info), 4);      // type
        field(e + offsetof(Elf64_Rel, r_info) + 4, 4);  // symbol
      }
    }
    if (HasFatalFailure()) return;
  }
}

// libbpf's BTF parser and our reading of its result: every header byte, then random
// changes inside the type and string sections.
TEST_P(Fuzz, BtfBytes) {
  const RawElf raw(bytes_);
  const auto* btf = raw.section(".BTF");
  if (!btf) GTEST_SKIP() << "no .BTF";
  for (uint64_t off = 0; off < 24 && off < btf->size; ++off) {
    for (uint8_t v : {uint8_t{0}, uint8_t{1}, uint8_t{0x80}, uint8_t{0xff}}) {
      auto b = bytes_;
      b[btf->offset + off] = v;
      try_open(b, out_);
      if (HasFatalFailure()) return;
    }
  }
  std::mt19937_64 rng(env_or("EBPF_FPGA_FUZZ_SEED", 20261123) + 1);
  std::uniform_int_distribution<uint64_t> pos(24, btf->size - 1);
  const uint64_t iterations = env_or("EBPF_FPGA_FUZZ_ITERATIONS", 1500) / 2;
  for (uint64_t it = 0; it < iterations; ++it) {
    auto b = bytes_;
    for (int c = 0; c < 3; ++c) b[btf->offset + pos(rng)] = static_cast<uint8_t>(rng());
    try_open(b, out_);
    if (HasFatalFailure()) return;
  }
}

std::string name_of(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param.substr(info.param.find_last_of('/') + 1);
  n = n.substr(0, n.size() - 2);
  for (char& c : n) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Objects, Fuzz, ::testing::ValuesIn(corpus()), name_of);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Fuzz);

}  // namespace
