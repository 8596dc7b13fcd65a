// The loader on purpose-built objects (tests/elf/objects/): several program sections,
// several programs per section, nested and shared subprograms, every global data kind,
// PROG_ARRAY initial values, every supported map type, and program selection.
#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/object.h"
#include "elf_test_util.h"

namespace {

using ebpf::MapOrigin;
using ebpf::MapType;
using ebpf::Object;
using elftest::RawElf;

class TestObject : public ::testing::Test {
 protected:
  Object open(const std::string& name, const ebpf::OpenOpts& opts = {}) {
    path_ = elftest::test_object(name);
    if (path_.empty()) throw std::runtime_error(name + ".o not built");
    return Object::open_file(path_, opts);
  }
  void SetUp() override {
    if (elftest::test_object("multi_prog").empty()) {
      GTEST_SKIP() << "test objects not built (clang missing?)";
    }
  }
  std::string path_;
};

const ebpf::ProgramSpec& prog(const Object& obj, const std::string& name) {
  for (const auto& p : obj.programs()) {
    if (p.name == name) return p;
  }
  throw std::runtime_error("no program " + name);
}

TEST_F(TestObject, ProgramsInEverySectionKind) {
  const Object obj = open("multi_prog");
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& p : obj.programs()) got.insert({p.name, p.section});
  const std::set<std::pair<std::string, std::string>> want = {{"first_prog", "xdp"},
                                                              {"second_prog", "xdp"},
                                                              {"frags_prog", "xdp.frags"},
                                                              {"custom_prog", "my_section"}};
  EXPECT_EQ(got, want);
  // Within a section, programs keep their order in the file.
  size_t first = 0, second = 0;
  for (size_t i = 0; i < obj.programs().size(); ++i) {
    if (obj.programs()[i].name == "first_prog") first = i;
    if (obj.programs()[i].name == "second_prog") second = i;
  }
  EXPECT_LT(first, second);
  EXPECT_EQ(obj.license(), "Dual BSD/GPL");
}

TEST_F(TestObject, SubprogramsAreLinkedOncePerProgramInCallOrder) {
  const Object obj = open("multi_prog");
  const RawElf raw(elftest::read_file(path_));
  EXPECT_EQ(elftest::check_layout(prog(obj, "first_prog"), raw, {"first_prog", "middle", "leaf"}),
            "");
  EXPECT_EQ(elftest::check_layout(prog(obj, "second_prog"), raw,
                                  {"second_prog", "global_helper", "middle", "leaf"}),
            "");
  EXPECT_EQ(elftest::check_layout(prog(obj, "frags_prog"), raw, {"frags_prog", "leaf"}), "");
  EXPECT_EQ(elftest::check_layout(prog(obj, "custom_prog"), raw, {"custom_prog"}), "");
}

TEST_F(TestObject, GlobalDataSectionsBecomeOneEntryArrays) {
  const Object obj = open("multi_prog");
  auto map = [&](const std::string& n) -> const ebpf::MapSpec& {
    const auto i = obj.find_map(n);
    EXPECT_TRUE(i) << n;
    return obj.maps().at(i.value_or(0));
  };
  auto u64_at = [](const std::vector<uint8_t>& b, size_t off) {
    uint64_t v = 0;
    std::memcpy(&v, b.data() + off, 8);
    return v;
  };
  const RawElf raw(elftest::read_file(path_));

  const auto& data = map(".data");
  EXPECT_EQ(data.origin, MapOrigin::kData);
  EXPECT_EQ(data.value_size, 4u);
  EXPECT_EQ(data.initial_value, (std::vector<uint8_t>{7, 0, 0, 0}));

  const auto& rodata = map(".rodata");
  EXPECT_EQ(rodata.origin, MapOrigin::kRodata);
  EXPECT_EQ(rodata.map_flags, 0x80u);  // BPF_F_RDONLY_PROG
  EXPECT_EQ(u64_at(rodata.initial_value, raw.symbol("rodata_var")->value), 0x1122334455ull);

  const auto& stats = map(".data.stats");
  EXPECT_EQ(stats.origin, MapOrigin::kData);
  EXPECT_EQ(stats.value_size, 24u);
  EXPECT_EQ(u64_at(stats.initial_value, 0), 1u);
  EXPECT_EQ(u64_at(stats.initial_value, 16), 3u);

  const auto& bss = map(".bss");
  EXPECT_EQ(bss.origin, MapOrigin::kBss);
  EXPECT_EQ(bss.value_size, 12u);  // a u64 and a u32
  EXPECT_EQ(bss.initial_value, std::vector<uint8_t>(12, 0));

  for (const auto* m : {&data, &rodata, &stats, &bss}) {
    EXPECT_EQ(m->type, MapType::kArray);
    EXPECT_EQ(m->key_size, 4u);
    EXPECT_EQ(m->max_entries, 1u);
  }

  // leaf() adds to bss_a and reads data_var: lddw src=2 with the variables' offsets.
  const std::string text = ebpf::disassemble(prog(obj, "first_prog").insns);
  const auto bss_i = std::to_string(*obj.find_map(".bss"));
  const auto data_i = std::to_string(*obj.find_map(".data"));
  EXPECT_NE(text.find("map_value[" + bss_i + "]+" + std::to_string(raw.symbol("bss_a")->value)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("map_value[" + data_i + "]+0"), std::string::npos) << text;
}

TEST_F(TestObject, ProgArrayInitialValuesNameThePrograms) {
  const Object obj = open("multi_prog");
  const auto& progs = obj.maps().at(*obj.find_map("progs"));
  EXPECT_EQ(progs.type, MapType::kProgArray);
  EXPECT_EQ(progs.key_size, 4u);
  EXPECT_EQ(progs.value_size, 4u);
  EXPECT_EQ(progs.max_entries, 8u);
  using Init = std::vector<std::pair<uint32_t, std::string>>;
  EXPECT_EQ(progs.prog_array_init, (Init{{1, "frags_prog"}, {5, "first_prog"}}));
  const auto& counters = obj.maps().at(*obj.find_map("counters"));
  EXPECT_TRUE(counters.prog_array_init.empty());
  EXPECT_EQ(counters.key_size, 4u);
  EXPECT_EQ(counters.value_size, 8u);
}

TEST_F(TestObject, EveryProgramPassesTheChecker) {
  const Object obj = open("multi_prog");
  for (const auto& p : obj.programs()) {
    for (const auto& issue : ebpf::check_program(p.insns)) {
      EXPECT_EQ(issue.reason.rfind("unknown helper ID", 0), 0u) << p.name << ": " << issue.reason;
    }
  }
}

TEST_F(TestObject, CustomSectionProgramRunsOnTheInterpreter) {
  const Object obj = open("multi_prog");
  auto engine = ebpf::make_engine("interp");
  engine->load(prog(obj, "custom_prog").insns);
  ebpf::MemoryImage mem;
  mem.has_ctx = true;
  mem.set_packet(std::vector<uint8_t>(60, 0));
  EXPECT_EQ(engine->run(mem).r0, 2u);
}

// libbpf sizes a perf event array without max_entries to the CPU count; the loader keeps 0
// and the map unit gives it one ring per core (docs/maps.md). The event reaches ring 0.
TEST_F(TestObject, PerfEventArrayWithoutMaxEntriesGetsOneRingPerCore) {
  const Object obj = open("perf_default_entries");
  ASSERT_EQ(obj.maps().size(), 1u);
  EXPECT_EQ(obj.maps()[0].type, MapType::kPerfEventArray);
  EXPECT_EQ(obj.maps()[0].max_entries, 0u);
  auto engine = ebpf::make_engine("interp");
  engine->configure_maps(obj.maps(), ebpf::MapOptions{.cores = 2});
  engine->load(obj.programs().at(0).insns);
  ebpf::MemoryImage mem;
  mem.has_ctx = true;
  mem.set_packet(std::vector<uint8_t>(60, 0));
  const ebpf::RunResult r = engine->run(mem);
  EXPECT_EQ(r.r0, 2u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, ebpf::EventKind::kPerfEventOutput);
  EXPECT_EQ(r.events[0].index, 0u);
  EXPECT_EQ(r.events[0].bytes, (std::vector<uint8_t>{0x44, 0x33, 0x22, 0x11}));
}

TEST_F(TestObject, SelectProgram) {
  const Object obj = open("multi_prog");
  EXPECT_EQ(obj.select_program("second_prog", std::nullopt).name, "second_prog");
  EXPECT_EQ(obj.select_program(std::nullopt, "my_section").name, "custom_prog");
  EXPECT_EQ(obj.select_program(std::nullopt, "xdp.frags").name, "frags_prog");
  EXPECT_EQ(obj.select_program("first_prog", "xdp").name, "first_prog");

  auto message = [&](std::optional<std::string> f, std::optional<std::string> s) {
    try {
      obj.select_program(f, s);
    } catch (const ebpf::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string all;
  for (const auto& p : obj.programs()) {
    all += (all.empty() ? "" : ", ") + p.name + " (section " + p.section + ")";
  }
  EXPECT_EQ(message(std::nullopt, std::nullopt),
            path_ + ": the object holds 4 programs; choose one with --program FUNC or --section "
                    "NAME: " + all);
  EXPECT_EQ(message("nope", std::nullopt),
            path_ + ": no program named 'nope'; the object holds " + all);
  EXPECT_EQ(message(std::nullopt, "tc"), path_ + ": no program in section tc; the object holds " + all);
  EXPECT_EQ(message("first_prog", "xdp.frags"),
            path_ + ": no program named 'first_prog' in section xdp.frags; the object holds " + all);
  EXPECT_EQ(message(std::nullopt, "xdp"),
            path_ + ": 2 programs in section xdp; choose one with --program FUNC: first_prog "
                    "(section xdp), second_prog (section xdp)");
}

TEST_F(TestObject, EverySupportedMapType) {
  const Object obj = open("all_map_types");
  struct Want {
    const char* name;
    MapType type;
    uint32_t key, value, entries, flags;
  };
  const Want want[] = {
      {"m_hash", MapType::kHash, 8, 40, 100, 0},
      {"m_array", MapType::kArray, 4, 2, 3, 0},
      {"m_prog_array", MapType::kProgArray, 4, 4, 2, 0},
      {"m_perf", MapType::kPerfEventArray, 4, 4, 2, 0},  // sizes default to 4, as in libbpf
      {"m_percpu_hash", MapType::kPercpuHash, 6, 12, 10, 0},
      {"m_percpu_array", MapType::kPercpuArray, 4, 24, 4, 0},
      {"m_lru", MapType::kLruHash, 4, 4, 64, 0},
      {"m_lpm", MapType::kLpmTrie, 8, 1, 16, 1},
      {"m_devmap", MapType::kDevmap, 4, 8, 8, 0},
      {"m_devmap_hash", MapType::kDevmapHash, 4, 4, 8, 0},
      {"m_ringbuf", MapType::kRingbuf, 0, 0, 4096, 0},
  };
  ASSERT_EQ(obj.maps().size(), std::size(want));
  std::set<int32_t> referenced;
  for (const auto& insn : obj.programs().at(0).insns) {
    if (insn.opcode == 0x18 && insn.src() == 1) referenced.insert(insn.imm);
  }
  for (const Want& w : want) {
    const auto i = obj.find_map(w.name);
    ASSERT_TRUE(i) << w.name;
    const auto& m = obj.maps()[*i];
    EXPECT_EQ(m.type, w.type) << w.name;
    EXPECT_TRUE(ebpf::map_type_supported(static_cast<uint32_t>(m.type))) << w.name;
    EXPECT_EQ(m.key_size, w.key) << w.name;
    EXPECT_EQ(m.value_size, w.value) << w.name;
    EXPECT_EQ(m.max_entries, w.entries) << w.name;
    EXPECT_EQ(m.map_flags, w.flags) << w.name;
    EXPECT_TRUE(referenced.count(static_cast<int32_t>(*i))) << w.name << " is never map[" << *i << "]";
  }
  EXPECT_FALSE(obj.find_map("m_missing"));
}

TEST_F(TestObject, NoLicenseNoMapsNoBtf) {
  const Object obj = open("no_license");
  EXPECT_EQ(obj.license(), "");
  EXPECT_TRUE(obj.maps().empty());
  ASSERT_EQ(obj.programs().size(), 1u);
  EXPECT_EQ(obj.select_program(std::nullopt, std::nullopt).name, "bare");
}

TEST_F(TestObject, UnsupportedMapsCanBeListed) {
  const Object obj = open("unsupported_map", {.allow_unsupported_maps = true});
  ASSERT_EQ(obj.maps().size(), 1u);
  EXPECT_EQ(static_cast<uint32_t>(obj.maps()[0].type), 10u);
  EXPECT_EQ(ebpf::map_type_name(static_cast<uint32_t>(obj.maps()[0].type)), "lru_percpu_hash");
  EXPECT_EQ(obj.maps()[0].key_size, 4u);
  EXPECT_EQ(obj.maps()[0].value_size, 8u);
}

TEST(MapTypes, NamesAndSupport) {
  EXPECT_EQ(ebpf::map_type_name(1), "hash");
  EXPECT_EQ(ebpf::map_type_name(6), "percpu_array");
  EXPECT_EQ(ebpf::map_type_name(11), "lpm_trie");
  EXPECT_EQ(ebpf::map_type_name(25), "devmap_hash");
  EXPECT_EQ(ebpf::map_type_name(27), "ringbuf");
  EXPECT_EQ(ebpf::map_type_name(0), "unspec");
  EXPECT_EQ(ebpf::map_type_name(999), "unknown(999)");
  std::set<uint32_t> supported;
  for (uint32_t t = 0; t < 100; ++t) {
    if (ebpf::map_type_supported(t)) supported.insert(t);
  }
  EXPECT_EQ(supported, (std::set<uint32_t>{1, 2, 3, 4, 5, 6, 9, 11, 14, 25, 27}));
}

}  // namespace
