// What the loader refuses, and the exact messages (file, section, offset, reason).
#include <gtest/gtest.h>

#include <elf.h>

#include "ebpf_fpga/error.h"
#include "ebpf_fpga/object.h"
#include "elf_test_util.h"

namespace {

using ebpf::Object;
using elftest::RawElf;

std::string open_error(std::span<const uint8_t> bytes, const std::string& name = "t.o") {
  try {
    Object::open_memory(bytes, name);
  } catch (const ebpf::Error& e) {
    return e.what();
  }
  return "no error";
}

std::string file_error(const std::string& path) {
  try {
    Object::open_file(path);
  } catch (const ebpf::Error& e) {
    return e.what();
  }
  return "no error";
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

class Errors : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = elftest::test_object("multi_prog");
    if (path.empty()) GTEST_SKIP() << "test objects not built (clang missing?)";
    good_ = elftest::read_file(path);
  }
  // Path of a test object that must exist.
  std::string obj(const std::string& name) {
    const std::string p = elftest::test_object(name);
    EXPECT_FALSE(p.empty()) << name;
    return p;
  }
  std::vector<uint8_t> good_;
};

TEST(ErrorsNoObject, NotAnElf) {
  const std::string text = "this is not an object file";
  const std::vector<uint8_t> bytes(text.begin(), text.end());
  EXPECT_EQ(open_error(bytes), "t.o: not an ELF file (no \\x7fELF magic at offset 0)");
  EXPECT_EQ(open_error({}), "t.o: not an ELF file (no \\x7fELF magic at offset 0)");
  const std::vector<uint8_t> magic_only = {0x7f, 'E', 'L', 'F'};
  EXPECT_EQ(open_error(magic_only), "t.o: not an ELF file (no \\x7fELF magic at offset 0)");
}

TEST(ErrorsNoObject, MissingFile) {
  EXPECT_EQ(file_error("/nonexistent/x.o"), "/nonexistent/x.o: cannot open: No such file or directory");
  EXPECT_EQ(file_error("/"), "/: is a directory");
}

TEST_F(Errors, HeaderFields) {
  auto patched = [&](size_t off, uint8_t v) {
    auto b = good_;
    b.at(off) = v;
    return open_error(b);
  };
  EXPECT_EQ(patched(EI_CLASS, ELFCLASS32), "t.o: ELF class 1 is not ELFCLASS64: BPF objects are 64-bit");
  EXPECT_EQ(patched(EI_DATA, ELFDATA2MSB),
            "t.o: ELF data encoding 2 is not little-endian (ELFDATA2LSB): build with -target bpf "
            "or bpfel");
  EXPECT_EQ(patched(offsetof(Elf64_Ehdr, e_machine), EM_X86_64),
            "t.o: ELF machine 62 (x86-64) is not EM_BPF (247): not a BPF object");
  EXPECT_EQ(patched(offsetof(Elf64_Ehdr, e_machine), 0x99),
            "t.o: ELF machine 153 is not EM_BPF (247): not a BPF object");
  EXPECT_EQ(patched(offsetof(Elf64_Ehdr, e_type), ET_EXEC),
            "t.o: ELF type 2 is not ET_REL: a relocatable object from clang -c is expected");
}

TEST_F(Errors, TruncatedFile) {
  // clang writes the section header table last, so any cut loses it.
  const RawElf raw(good_);
  for (size_t len : {size_t{64}, size_t{100}, good_.size() / 2, static_cast<size_t>(raw.shoff()),
                     good_.size() - 1}) {
    const std::string msg = open_error(std::span(good_).first(len));
    EXPECT_EQ(msg.rfind("t.o: ", 0), 0u) << msg;
    EXPECT_NE(msg.find("truncated or corrupt"), std::string::npos) << len << ": " << msg;
  }
}

TEST_F(Errors, SectionContentsPastTheEnd) {
  const RawElf raw(good_);
  const auto* xdp = raw.section("xdp");
  auto b = good_;
  elftest::poke<uint64_t>(b, xdp->header_offset + offsetof(Elf64_Shdr, sh_size), b.size());
  EXPECT_EQ(open_error(b), "t.o: section xdp: contents at file offset " + hex(xdp->offset) +
                               ", size " + hex(b.size()) + " run past the end of the file (" +
                               std::to_string(b.size()) + " bytes): truncated or corrupt ELF");
}

TEST_F(Errors, LegacyMapsSection) {
  EXPECT_EQ(file_error(obj("legacy_maps")),
            obj("legacy_maps") +
                ": section maps: legacy maps section is not supported; declare maps in .maps "
                "with BTF");
}

TEST_F(Errors, CoreRelocations) {
  EXPECT_EQ(file_error(obj("core_reloc")),
            obj("core_reloc") +
                ": section .BTF.ext: the object has 1 CO-RE relocation (the first in section "
                "xdp); CO-RE (BPF_CORE_READ, __builtin_preserve_access_index) is not supported: "
                "there are no kernel types to relocate against");
}

TEST_F(Errors, UnsupportedMapType) {
  EXPECT_EQ(file_error(obj("unsupported_map")),
            obj("unsupported_map") +
                ": section .maps: map 'percpu_lru' has type lru_percpu_hash (10), which is not "
                "supported; supported types: hash, array, prog_array, perf_event_array, "
                "percpu_hash, percpu_array, lru_hash, lpm_trie, devmap, devmap_hash, ringbuf");
}

TEST_F(Errors, MapsWithoutBtf) {
  EXPECT_EQ(file_error(obj("maps_without_btf")),
            obj("maps_without_btf") +
                ": section .maps: the object has no .BTF section, which BTF-defined maps need: "
                "build with clang -g");
}

TEST_F(Errors, BadMapDefinitions) {
  EXPECT_EQ(file_error(obj("bad_array_key")),
            obj("bad_array_key") + ": section .maps: map 'wide_key': array maps need a 4-byte "
                                   "key, got 8");
  EXPECT_EQ(file_error(obj("no_max_entries")),
            obj("no_max_entries") + ": section .maps: map 'unbounded': max_entries is missing "
                                    "or 0");
}

TEST_F(Errors, ExternSymbols) {
  EXPECT_EQ(file_error(obj("extern_kfunc")),
            obj("extern_kfunc") +
                ": section xdp: offset 0x8 (instruction 1): relocation against undefined symbol "
                "'bpf_fake_kfunc': extern variables and functions (kfuncs, __ksym, __kconfig) "
                "are not supported");
  EXPECT_EQ(file_error(obj("extern_kconfig")),
            obj("extern_kconfig") +
                ": section xdp: offset 0x0 (instruction 0): relocation against undefined symbol "
                "'LINUX_KERNEL_VERSION': extern variables and functions (kfuncs, __ksym, "
                "__kconfig) are not supported");
}

TEST_F(Errors, CallbackAddress) {
  const std::string msg = file_error(obj("callback"));
  EXPECT_EQ(msg.rfind(obj("callback") + ": section xdp: offset 0x", 0), 0u) << msg;
  EXPECT_NE(msg.find("): lddw loads the address of function 'step'; callbacks (bpf_loop, "
                     "bpf_for_each_map_elem, timers) are not supported"),
            std::string::npos)
      << msg;
}

// Relocation entries patched in place: type, symbol index, position.
class RelocErrors : public Errors {
 protected:
  void SetUp() override {
    Errors::SetUp();
    if (IsSkipped()) return;
    raw_ = std::make_unique<RawElf>(good_);
    const auto relocs = raw_->relocs_for(raw_->section("xdp")->index);
    ASSERT_FALSE(relocs.empty());
    first_ = relocs.front();
  }
  std::string with_info(uint64_t info) {
    auto b = good_;
    elftest::poke<uint64_t>(b, first_.file_offset + offsetof(Elf64_Rel, r_info), info);
    return open_error(b);
  }
  std::string at() const {
    return "t.o: section xdp: offset " + hex(first_.offset) + " (instruction " +
           std::to_string(first_.offset / 8) + "): ";
  }
  std::unique_ptr<RawElf> raw_;
  elftest::RawReloc first_{};
};

TEST_F(RelocErrors, UnknownType) {
  EXPECT_EQ(with_info(ELF64_R_INFO(first_.sym, 7)),
            at() + "unknown relocation type 7 (expected R_BPF_64_64 on lddw or R_BPF_64_32 on "
                   "call)");
  EXPECT_EQ(with_info(ELF64_R_INFO(first_.sym, 200)),
            at() + "unknown relocation type 200 (expected R_BPF_64_64 on lddw or R_BPF_64_32 on "
                   "call)");
}

TEST_F(RelocErrors, DataRelocationTypeInCode) {
  EXPECT_EQ(with_info(ELF64_R_INFO(first_.sym, 2)),
            at() + "R_BPF_64_ABS64 relocation in code (expected R_BPF_64_64 on lddw or "
                   "R_BPF_64_32 on call)");
}

TEST_F(RelocErrors, SymbolIndexOutOfRange) {
  EXPECT_EQ(with_info(ELF64_R_INFO(9999, first_.type)),
            "t.o: section .relxdp: relocation 0 names symbol 9999, but the symbol table has " +
                std::to_string(raw_->symbols().size()) + " entries");
}

TEST_F(RelocErrors, UndefinedSymbol) {
  EXPECT_EQ(with_info(ELF64_R_INFO(0, first_.type)),
            at() + "relocation against undefined symbol '': extern variables and functions "
                   "(kfuncs, __ksym, __kconfig) are not supported");
}

TEST_F(RelocErrors, WrongInstruction) {
  // Move an lddw relocation onto the instruction before it, which is not an lddw.
  const auto* xdp = raw_->section("xdp");
  std::optional<elftest::RawReloc> lddw;
  for (const auto& r : raw_->relocs_for(xdp->index)) {
    if (!lddw && r.type == 1 && r.offset >= 8 && good_.at(xdp->offset + r.offset - 8) != 0x18 &&
        good_.at(xdp->offset + r.offset - 16) != 0x18) {
      lddw = r;
    }
  }
  ASSERT_TRUE(lddw);
  auto b = good_;
  const uint64_t moved = lddw->offset - 8;
  const uint8_t opcode = b.at(xdp->offset + moved);
  elftest::poke<uint64_t>(b, lddw->file_offset + offsetof(Elf64_Rel, r_offset), moved);
  EXPECT_EQ(open_error(b), "t.o: section xdp: offset " + hex(moved) + " (instruction " +
                               std::to_string(moved / 8) + "): R_BPF_64_64 relocation on opcode " +
                               hex(opcode) + ", which is not lddw");
  // Onto the second slot of the lddw.
  elftest::poke<uint64_t>(b, lddw->file_offset + offsetof(Elf64_Rel, r_offset), lddw->offset + 8);
  EXPECT_EQ(open_error(b), "t.o: section xdp: offset " + hex(lddw->offset + 8) +
                               ": relocation on the second slot of an lddw");
  // And between two instructions.
  elftest::poke<uint64_t>(b, lddw->file_offset + offsetof(Elf64_Rel, r_offset), lddw->offset + 3);
  EXPECT_EQ(open_error(b), "t.o: section xdp: offset " + hex(lddw->offset + 3) +
                               ": relocation is not on an instruction boundary");
  // Two relocations on one instruction.
  b = good_;
  for (const auto& r : raw_->relocs_for(xdp->index)) {
    if (r.offset > lddw->offset) {  // later in the code, so nothing else fails first
      elftest::poke<uint64_t>(b, r.file_offset + offsetof(Elf64_Rel, r_offset), lddw->offset);
      elftest::poke<uint64_t>(b, r.file_offset + offsetof(Elf64_Rel, r_info),
                              ELF64_R_INFO(lddw->sym, lddw->type));
      break;
    }
  }
  EXPECT_EQ(open_error(b), "t.o: section xdp: offset " + hex(lddw->offset) + " (instruction " +
                               std::to_string(lddw->offset / 8) +
                               "): two relocations apply to one instruction");
}

TEST_F(Errors, ProgArraySlotThatIsNotAProgram) {
  RawElf raw(good_);
  const auto relocs = raw.relocs_for(raw.section(".maps")->index);
  ASSERT_EQ(relocs.size(), 2u);
  // Point slot 1 (frags_prog) at a variable instead.
  uint32_t var = 0;
  for (uint32_t i = 0; i < raw.symbols().size(); ++i) {
    if (raw.symbols()[i].name == "bss_a") var = i;
  }
  ASSERT_NE(var, 0u);
  auto b = good_;
  elftest::poke<uint64_t>(b, relocs[0].file_offset + offsetof(Elf64_Rel, r_info),
                          ELF64_R_INFO(var, relocs[0].type));
  EXPECT_EQ(open_error(b), "t.o: section .maps: offset " + hex(relocs[0].offset) +
                               ": map 'progs': slot 1 refers to 'bss_a', which is not a program");
}

TEST_F(Errors, CorruptBtf) {
  RawElf raw(good_);
  auto b = good_;
  elftest::poke<uint16_t>(b, raw.section(".BTF")->offset, 0x1234);  // magic
  const std::string msg = open_error(b);
  EXPECT_EQ(msg.rfind("t.o: section .BTF: libbpf cannot parse the BTF: ", 0), 0u) << msg;
}

}  // namespace
