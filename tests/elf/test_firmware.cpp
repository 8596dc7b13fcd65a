// Every firmware object opens, and its programs, maps and relocations are what its source
// declares. Relocations are cross-checked against a separate raw ELF reader (elf_test_util).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/object.h"
#include "elf_test_util.h"

namespace {

using ebpf::Insn;
using ebpf::MapOrigin;
using ebpf::MapType;
using ebpf::Object;
using ebpf::ProgramSpec;
using elftest::RawElf;

constexpr uint32_t kNoPrealloc = 1;     // BPF_F_NO_PREALLOC
constexpr uint32_t kRdonlyProg = 0x80;  // BPF_F_RDONLY_PROG

struct MapExpect {
  std::string name;
  MapType type;
  uint32_t key_size, value_size, max_entries, map_flags;
  MapOrigin origin;
};

struct ProgExpect {
  std::string name;
  std::set<int32_t> helpers;            // helper IDs it calls
  std::vector<std::string> subprograms;  // .text functions appended, in order
};

struct FirmwareExpect {
  std::string object;
  std::vector<ProgExpect> programs;  // in object order
  std::vector<MapExpect> maps;       // BTF maps (any order), then global data sections
};

void PrintTo(const FirmwareExpect& f, std::ostream* os) { *os << f.object; }

MapExpect btf(std::string n, MapType t, uint32_t k, uint32_t v, uint32_t e, uint32_t f = 0) {
  return {std::move(n), t, k, v, e, f, MapOrigin::kBtf};
}
MapExpect data(std::string n, MapOrigin o, uint32_t size) {
  return {std::move(n), MapType::kArray, 4, size, 1,
          o == MapOrigin::kRodata ? kRdonlyProg : 0u, o};
}

const std::vector<FirmwareExpect>& firmware() {
  static const std::vector<FirmwareExpect> all = {
      {"xdp_pass", {{"xdp_pass", {}, {}}}, {}},
      {"xdp_drop", {{"xdp_drop", {}, {}}}, {}},
      {"mac_swap", {{"mac_swap", {}, {}}}, {}},
      {"proto_count",
       {{"proto_count", {1}, {}}},
       {btf("proto_stats", MapType::kPercpuArray, 4, 16, 256),
        data(".bss", MapOrigin::kBss, 16)}},
      {"dns_filter",
       {{"dns_filter", {1}, {"read_qname"}}},
       {btf("blocked_names", MapType::kHash, 64, 8, 1024), data(".rodata", MapOrigin::kRodata, 2),
        data(".bss", MapOrigin::kBss, 16)}},
      {"firewall",
       {{"firewall", {1, 2}, {"track"}}},
       {btf("rules", MapType::kHash, 4, 4, 256), btf("conntrack", MapType::kLruHash, 16, 16, 4096),
        data(".rodata", MapOrigin::kRodata, 8), data(".bss", MapOrigin::kBss, 16)}},
      {"router",
       {{"router", {1, 51}, {"ipv4_decrement_ttl"}}},
       {btf("routes", MapType::kLpmTrie, 8, 16, 1024, kNoPrealloc),
        btf("tx_ports", MapType::kDevmap, 4, 4, 16), data(".bss", MapOrigin::kBss, 24)}},
      {"tail_chain",
       {{"tail_icmp", {}, {}}, {"tail_ipv4", {12}, {}}, {"tail_entry", {12}, {}}},
       {btf("jmp_table", MapType::kProgArray, 4, 4, 4), data(".rodata", MapOrigin::kRodata, 1),
        data(".bss", MapOrigin::kBss, 16)}},
      {"ipip_encap",
       {{"ipip_encap", {1, 23, 28, 44}, {}}},
       {btf("tunnels", MapType::kHash, 4, 24, 1024), data(".rodata", MapOrigin::kRodata, 1),
        data(".bss", MapOrigin::kBss, 24)}},
      {"icmp_frag_needed",
       {{"icmp_frag_needed", {1, 28, 65, 189, 190}, {}}},
       {btf("config", MapType::kArray, 4, 4, 1), data(".bss", MapOrigin::kBss, 24)}},
      {"katran_lb",
       {{"katran_lb", {1, 2, 44}, {}}},
       {btf("vips", MapType::kHash, 8, 8, 16), btf("ring", MapType::kArray, 4, 4, 16 * 61),
        btf("reals", MapType::kArray, 4, 4, 64), btf("conn_table", MapType::kLruHash, 16, 4, 4096),
        btf("lb_config", MapType::kArray, 4, 12, 1),
        btf("stats", MapType::kPercpuArray, 4, 16, 16 + 2)}},
      {"sampler",
       {{"sampler", {1, 25, 130, 189}, {}}},
       {btf("state", MapType::kArray, 4, 24, 1), btf("samples", MapType::kPerfEventArray, 4, 4, 0),
        btf("events", MapType::kRingbuf, 0, 0, 16384), data(".rodata", MapOrigin::kRodata, 8)}},
  };
  return all;
}

std::set<int32_t> helpers_called(const ProgramSpec& p) {
  std::set<int32_t> ids;
  for (const Insn& i : p.insns) {
    if (i.opcode == 0x85 && i.src() == 0) ids.insert(i.imm);
  }
  return ids;
}

// The instructions of a raw function symbol, as in the file.
std::vector<Insn> raw_code(const RawElf& raw, const std::string& function) {
  const auto* sym = raw.symbol(function);
  EXPECT_NE(sym, nullptr) << function;
  if (!sym) return {};
  const auto& sec = raw.sections().at(sym->shndx);
  std::vector<uint8_t> bytes(raw.bytes().begin() + static_cast<ptrdiff_t>(sec.offset + sym->value),
                             raw.bytes().begin() +
                                 static_cast<ptrdiff_t>(sec.offset + sym->value + sym->size));
  return ebpf::from_bytes(bytes);
}

class Firmware : public ::testing::TestWithParam<FirmwareExpect> {
 protected:
  void SetUp() override {
    path_ = elftest::firmware_object(GetParam().object);
    if (path_.empty()) GTEST_SKIP() << "firmware object not built (clang missing?)";
  }
  std::string path_;
};

TEST_P(Firmware, OpensWithDeclaredProgramsAndMaps) {
  const auto& want = GetParam();
  const Object obj = Object::open_file(path_);
  EXPECT_EQ(obj.name(), path_);
  EXPECT_EQ(obj.license(), "GPL");

  ASSERT_EQ(obj.programs().size(), want.programs.size());
  for (size_t i = 0; i < want.programs.size(); ++i) {
    EXPECT_EQ(obj.programs()[i].name, want.programs[i].name);
    EXPECT_EQ(obj.programs()[i].section, "xdp");
  }

  ASSERT_EQ(obj.maps().size(), want.maps.size());
  for (const MapExpect& m : want.maps) {
    const auto idx = obj.find_map(m.name);
    ASSERT_TRUE(idx) << m.name;
    const ebpf::MapSpec& got = obj.maps()[*idx];
    EXPECT_EQ(got.type, m.type) << m.name;
    EXPECT_EQ(got.key_size, m.key_size) << m.name;
    EXPECT_EQ(got.value_size, m.value_size) << m.name;
    EXPECT_EQ(got.max_entries, m.max_entries) << m.name;
    EXPECT_EQ(got.map_flags, m.map_flags) << m.name;
    EXPECT_EQ(got.origin, m.origin) << m.name;
    if (m.origin == MapOrigin::kBtf) {
      EXPECT_TRUE(got.initial_value.empty());
    } else {
      EXPECT_EQ(got.initial_value.size(), m.value_size) << m.name;
    }
  }
}

TEST_P(Firmware, BtfMapsComeBeforeGlobalData) {
  const Object obj = Object::open_file(path_);
  bool seen_data = false;
  for (const auto& m : obj.maps()) {
    if (m.origin != MapOrigin::kBtf) seen_data = true;
    EXPECT_FALSE(m.origin == MapOrigin::kBtf && seen_data) << m.name;
  }
}

TEST_P(Firmware, ProgramsPassTheCheckerExceptForHelpersNotYetImplemented) {
  const Object obj = Object::open_file(path_);
  for (size_t i = 0; i < obj.programs().size(); ++i) {
    const ProgramSpec& p = obj.programs()[i];
    const auto called = helpers_called(p);
    EXPECT_EQ(called, GetParam().programs[i].helpers) << p.name;

    std::set<int32_t> unknown;
    std::vector<std::string> other;
    for (const auto& issue : ebpf::check_program(p.insns, {.cpu_version = 4})) {
      const std::string prefix = "unknown helper ID ";
      if (issue.reason.rfind(prefix, 0) == 0) {
        unknown.insert(std::stoi(issue.reason.substr(prefix.size())));
      } else {
        other.push_back("instruction " + std::to_string(issue.index) + ": " + issue.reason);
      }
    }
    EXPECT_TRUE(other.empty()) << p.name << ": " << ::testing::PrintToString(other);
    // Exactly the helpers the table does not have yet are reported (issue 4 adds them).
    std::set<int32_t> missing;
    for (int32_t id : called) {
      if (!ebpf::find_helper(id)) missing.insert(id);
    }
    EXPECT_EQ(unknown, missing) << p.name;
    if (!unknown.empty()) {
      std::string ids;
      for (int32_t id : unknown) ids += " " + std::to_string(id);
      RecordProperty(p.name + "_unknown_helpers", ids);
    }
    if (missing.empty()) {
      EXPECT_NO_THROW(ebpf::check_program_or_throw(p.insns));
    }
  }
}

// Every relocation of an entry function, checked against the raw file: map references become
// lddw src=1 imm=map index, global data lddw src=2 imm=map index next.imm=offset, and calls
// land on a copy of the callee. Non-relocated instructions are unchanged.
TEST_P(Firmware, RelocationsMatchTheRawFile) {
  const Object obj = Object::open_file(path_);
  const RawElf raw(elftest::read_file(path_));
  const auto* maps_sec = raw.section(".maps");
  for (size_t pi = 0; pi < obj.programs().size(); ++pi) {
    const ProgramSpec& p = obj.programs()[pi];
    const auto* entry = raw.symbol(p.name);
    ASSERT_NE(entry, nullptr);
    const auto original = raw_code(raw, p.name);
    ASSERT_GE(p.insns.size(), original.size());

    std::map<uint64_t, elftest::RawReloc> relocs;
    for (const auto& r : raw.relocs_for(entry->shndx)) {
      if (r.offset >= entry->value && r.offset < entry->value + entry->size) {
        relocs[(r.offset - entry->value) / 8] = r;
      }
    }
    size_t expected_size = original.size();
    for (const std::string& sub : GetParam().programs[pi].subprograms) {
      expected_size += raw_code(raw, sub).size();
    }
    EXPECT_EQ(p.insns.size(), expected_size) << p.name;

    for (size_t j = 0; j < original.size(); ++j) {
      const Insn& got = p.insns[j];
      const Insn& orig = original[j];
      const auto it = relocs.find(j);
      if (it == relocs.end()) {
        if (orig.opcode == 0x85 && orig.src() == 1) {
          // A call resolved by the assembler: still a local call, target relinked.
          EXPECT_EQ(got.opcode, 0x85);
          EXPECT_EQ(got.src(), 1);
        } else {
          EXPECT_EQ(got, orig) << p.name << " slot " << j;
        }
        continue;
      }
      const auto& sym = raw.symbols().at(it->second.sym);
      if (it->second.type == 1) {  // R_BPF_64_64 on lddw
        ASSERT_EQ(got.opcode, 0x18);
        EXPECT_EQ(got.dst(), orig.dst());
        const Insn& hi = p.insns.at(j + 1);
        if (maps_sec && sym.shndx == maps_sec->index) {
          EXPECT_EQ(got.src(), 1) << sym.name;
          EXPECT_EQ(got.imm, static_cast<int32_t>(obj.find_map(sym.name).value())) << sym.name;
          EXPECT_EQ(hi.imm, 0);
        } else {
          const std::string sec = raw.sections().at(sym.shndx).name;
          EXPECT_EQ(got.src(), 2) << sym.name;
          EXPECT_EQ(got.imm, static_cast<int32_t>(obj.find_map(sec).value())) << sym.name;
          EXPECT_EQ(hi.imm, static_cast<int32_t>(sym.value) + orig.imm) << sym.name;
        }
        ++j;
      } else {  // R_BPF_64_32 on call
        ASSERT_EQ(it->second.type, 10u);
        ASSERT_EQ(got.opcode, 0x85);
        ASSERT_EQ(got.src(), 1);
        const int64_t target = static_cast<int64_t>(j) + 1 + got.imm;
        ASSERT_GE(target, static_cast<int64_t>(original.size())) << "callee appended after entry";
        // The callee's first instruction is the raw callee's first instruction.
        const int64_t raw_target = static_cast<int64_t>(sym.value / 8) + orig.imm + 1;
        std::string callee;
        for (const auto& s : raw.symbols()) {
          if (s.type == 2 /* STT_FUNC */ && s.shndx == sym.shndx &&
              s.value == static_cast<uint64_t>(raw_target) * 8) {
            callee = s.name;
          }
        }
        ASSERT_FALSE(callee.empty());
        EXPECT_EQ(p.insns.at(static_cast<size_t>(target)).opcode, raw_code(raw, callee).at(0).opcode);
      }
    }
  }
}

TEST_P(Firmware, SubprogramsAreAppendedOnceAfterTheEntry) {
  const Object obj = Object::open_file(path_);
  const RawElf raw(elftest::read_file(path_));
  for (size_t i = 0; i < obj.programs().size(); ++i) {
    std::vector<std::string> chain = {obj.programs()[i].name};
    for (const auto& sub : GetParam().programs[i].subprograms) chain.push_back(sub);
    EXPECT_EQ(elftest::check_layout(obj.programs()[i], raw, chain), "");
  }
}

TEST_P(Firmware, DisassemblesAndReassembles) {
  const Object obj = Object::open_file(path_);
  for (const ProgramSpec& p : obj.programs()) {
    const std::string text = ebpf::disassemble(p.insns);
    EXPECT_EQ(ebpf::assemble(text), p.insns) << p.name;
  }
}

std::string name_of(const ::testing::TestParamInfo<FirmwareExpect>& info) {
  return info.param.object;
}
INSTANTIATE_TEST_SUITE_P(All, Firmware, ::testing::ValuesIn(firmware()), name_of);

// ---- spot checks per program --------------------------------------------------------------

Object open_firmware(const std::string& name) {
  const std::string path = elftest::firmware_object(name);
  if (path.empty()) throw ebpf::Error(name + ".o not built");
  return Object::open_file(path);
}

#define SKIP_WITHOUT(name)                                                        \
  if (elftest::firmware_object(name).empty()) GTEST_SKIP() << name << ".o not built"

TEST(FirmwareSpot, PassAndDropAreTwoInstructions) {
  SKIP_WITHOUT("xdp_pass");
  EXPECT_EQ(ebpf::disassemble(open_firmware("xdp_pass").programs()[0].insns),
            "mov32 %r0, 2\nexit\n");
  EXPECT_EQ(ebpf::disassemble(open_firmware("xdp_drop").programs()[0].insns),
            "mov32 %r0, 1\nexit\n");
}

TEST(FirmwareSpot, DnsFilterReferencesItsMapAndGlobals) {
  SKIP_WITHOUT("dns_filter");
  const Object obj = open_firmware("dns_filter");
  const RawElf raw(elftest::read_file(elftest::firmware_object("dns_filter")));
  const std::string text = ebpf::disassemble(obj.programs()[0].insns);
  const auto blocked = *obj.find_map("blocked_names");
  const auto rodata = *obj.find_map(".rodata");
  const auto bss = *obj.find_map(".bss");
  EXPECT_NE(text.find("map[" + std::to_string(blocked) + "]"), std::string::npos) << text;
  EXPECT_NE(text.find("map_value[" + std::to_string(rodata) + "]+" +
                      std::to_string(raw.symbol("dns_port")->value)),
            std::string::npos);
  for (const char* counter : {"queries_seen", "queries_blocked"}) {
    EXPECT_NE(text.find("map_value[" + std::to_string(bss) + "]+" +
                        std::to_string(raw.symbol(counter)->value)),
              std::string::npos)
        << counter;
  }
  // .rodata holds dns_port = 53 (little-endian) at the variable's offset.
  const auto& init = obj.maps()[rodata].initial_value;
  const uint64_t off = raw.symbol("dns_port")->value;
  EXPECT_EQ(init.at(off), 53);
  EXPECT_EQ(init.at(off + 1), 0);
  // .bss starts zeroed.
  const auto& zeros = obj.maps()[bss].initial_value;
  EXPECT_TRUE(std::all_of(zeros.begin(), zeros.end(), [](uint8_t b) { return b == 0; }));
}

TEST(FirmwareSpot, FirewallRodataHoldsTheDefaultActions) {
  SKIP_WITHOUT("firewall");
  const Object obj = open_firmware("firewall");
  const RawElf raw(elftest::read_file(elftest::firmware_object("firewall")));
  const auto& init = obj.maps()[*obj.find_map(".rodata")].initial_value;
  auto u32_at = [&](const char* var) {
    uint32_t v;
    std::memcpy(&v, init.data() + raw.symbol(var)->value, 4);
    return v;
  };
  EXPECT_EQ(u32_at("default_action"), 1u);  // XDP_DROP
  EXPECT_EQ(u32_at("non_ip_action"), 2u);   // XDP_PASS
}

TEST(FirmwareSpot, TailChainFillsItsProgramArray) {
  SKIP_WITHOUT("tail_chain");
  const Object obj = open_firmware("tail_chain");
  const auto& jmp = obj.maps()[*obj.find_map("jmp_table")];
  using Init = std::vector<std::pair<uint32_t, std::string>>;
  EXPECT_EQ(jmp.prog_array_init, (Init{{0, "tail_ipv4"}, {1, "tail_icmp"}}));
  // Three programs, so the entry must be named.
  EXPECT_EQ(obj.select_program("tail_entry", std::nullopt).name, "tail_entry");
  EXPECT_THROW(obj.select_program(std::nullopt, std::nullopt), ebpf::Error);
}

// The helper-free programs run on the reference interpreter straight from the ELF.
ebpf::RunResult run_interp(const ProgramSpec& p, std::vector<uint8_t> frame,
                           ebpf::MemoryImage* out) {
  auto engine = ebpf::make_engine("interp");
  engine->load(p.insns);
  out->set_packet(frame);
  out->has_ctx = true;
  return engine->run(*out);
}

TEST(FirmwareSpot, MacSwapReflectsOnTheInterpreter) {
  SKIP_WITHOUT("mac_swap");
  const Object obj = open_firmware("mac_swap");
  std::vector<uint8_t> frame = {1, 2, 3, 4, 5, 6, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x08, 0x00, 0x45};
  ebpf::MemoryImage mem;
  auto r = run_interp(obj.programs()[0], frame, &mem);
  EXPECT_EQ(r.fault, ebpf::FaultCode::kNone);
  EXPECT_EQ(r.r0, 3u);  // XDP_TX
  const std::vector<uint8_t> want = {0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 1, 2, 3, 4, 5, 6, 0x08, 0x00, 0x45};
  const auto got = mem.packet_data();
  EXPECT_EQ(std::vector<uint8_t>(got.begin(), got.end()), want);

  ebpf::MemoryImage runt_mem;
  r = run_interp(obj.programs()[0], std::vector<uint8_t>(13, 0xff), &runt_mem);
  EXPECT_EQ(r.fault, ebpf::FaultCode::kNone);
  EXPECT_EQ(r.r0, 1u);  // XDP_DROP
}

TEST(FirmwareSpot, PassAndDropRunOnTheInterpreter) {
  SKIP_WITHOUT("xdp_pass");
  ebpf::MemoryImage mem;
  EXPECT_EQ(run_interp(open_firmware("xdp_pass").programs()[0], {1, 2, 3}, &mem).r0, 2u);
  EXPECT_EQ(run_interp(open_firmware("xdp_drop").programs()[0], {1, 2, 3}, &mem).r0, 1u);
}

}  // namespace
