// The built binaries, ebpf-fpga and ebpf-fpga-plugin: normal use, and bad input everywhere
// (exit code and message; never a crash).
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "cli_util.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"
#include "host_test_util.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

namespace ebpf {
namespace {

using test::ProcessResult;
using test::run_process;

ProcessResult cli(std::vector<std::string> args, std::string_view input = {}) {
  args.insert(args.begin(), EBPF_FPGA_CLI);
  return run_process(args, input);
}

ProcessResult plugin(std::vector<std::string> args, std::string_view input) {
  args.insert(args.begin(), EBPF_FPGA_PLUGIN);
  return run_process(args, input);
}

// A minimal eBPF relocatable object with the given PROGBITS sections.
struct Section {
  std::string name;
  std::vector<Insn> code;
  bool exec = true;
};
void write_elf(const std::filesystem::path& path, const std::vector<Section>& sections,
               uint16_t machine = EM_BPF) {
  ASSERT_NE(elf_version(EV_CURRENT), EV_NONE);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  Elf* e = elf_begin(fd, ELF_C_WRITE, nullptr);
  ASSERT_NE(e, nullptr);
  Elf64_Ehdr* eh = elf64_newehdr(e);
  eh->e_ident[EI_DATA] = ELFDATA2LSB;
  eh->e_type = ET_REL;
  eh->e_machine = machine;
  eh->e_version = EV_CURRENT;

  static std::string names;  // must outlive elf_update
  names.assign(1, '\0');
  std::vector<std::vector<uint8_t>> blobs;
  for (const Section& s : sections) {
    blobs.push_back(to_bytes(s.code));
  }
  for (size_t i = 0; i < sections.size(); ++i) {
    Elf_Scn* scn = elf_newscn(e);
    Elf_Data* d = elf_newdata(scn);
    d->d_align = 8;
    d->d_buf = blobs[i].data();
    d->d_size = blobs[i].size();
    d->d_type = ELF_T_BYTE;
    d->d_version = EV_CURRENT;
    Elf64_Shdr* sh = elf64_getshdr(scn);
    sh->sh_name = static_cast<Elf64_Word>(names.size());
    names += sections[i].name + '\0';
    sh->sh_type = SHT_PROGBITS;
    sh->sh_flags = SHF_ALLOC | (sections[i].exec ? SHF_EXECINSTR : 0);
    sh->sh_addralign = 8;
  }
  Elf_Scn* strscn = elf_newscn(e);
  const size_t shstrtab_name = names.size();
  names += std::string(".shstrtab") + '\0';
  Elf_Data* sd = elf_newdata(strscn);
  sd->d_align = 1;
  sd->d_buf = names.data();
  sd->d_size = names.size();
  sd->d_type = ELF_T_BYTE;
  sd->d_version = EV_CURRENT;
  Elf64_Shdr* ssh = elf64_getshdr(strscn);
  ssh->sh_name = static_cast<Elf64_Word>(shstrtab_name);
  ssh->sh_type = SHT_STRTAB;
  eh->e_shstrndx = static_cast<Elf64_Half>(elf_ndxscn(strscn));
  ASSERT_GE(elf_update(e, ELF_C_WRITE), 0) << elf_errmsg(-1);
  elf_end(e);
  ::close(fd);
}

const std::vector<Insn> kProg = assemble("mov %r0, 42\nexit\n");

// ---------------------------------------------------------------------------------------
// ebpf-fpga: dispatch and help
// ---------------------------------------------------------------------------------------

TEST(Cli, HelpAndDispatch) {
  ProcessResult r = cli({"help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"asm", "disasm", "conformance", "help"}) {
    EXPECT_NE(r.out.find(std::string("  ") + c + " "), std::string::npos) << c;
  }
  r = cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  r = cli({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Usage: ebpf-fpga COMMAND"), std::string::npos);
  r = cli({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ebpf-fpga: unknown command 'frobnicate' (see 'ebpf-fpga help')\n");
  r = cli({"help", "asm"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--output"), std::string::npos) << r.out;
  r = cli({"help", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  r = cli({"asm", "x.s", "-o", "y.bin", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
  r = cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.starts_with("ebpf-fpga ")) << r.out;
  // Unique prefixes select a command (bpftool style).
  r = cli({"dis", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("disasm"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// asm / disasm
// ---------------------------------------------------------------------------------------

TEST(Cli, AsmAndDisasm) {
  test::TempDir dir;
  test::write_file(dir / "p.s", "mov %r0, 42\nexit\n");
  ProcessResult r = cli({"asm", (dir / "p.s").string(), "-o", (dir / "p.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string bin = test::read_file(dir / "p.bin");
  EXPECT_EQ(std::vector<uint8_t>(bin.begin(), bin.end()), to_bytes(kProg));

  r = cli({"disasm", (dir / "p.bin").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "mov %r0, 42\nexit\n");

  r = cli({"disasm", "-i", (dir / "p.bin").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "    0:  b7 00 00 00 2a 00 00 00  mov %r0, 42\n"
                   "    1:  95 00 00 00 00 00 00 00  exit\n");

  r = cli({"disasm", "-", "-o", (dir / "p.txt").string()}, bin);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read_file(dir / "p.txt"), "mov %r0, 42\nexit\n");

  r = cli({"asm", "-", "-o", "-"}, "exit\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("\x95\0\0\0\0\0\0\0", 8));
}

TEST(Cli, AsmBadInput) {
  test::TempDir dir;
  test::write_file(dir / "bad.s", "mov %r0, 1\n  jne %r0, 1, nowhere\nexit\n");
  const std::string bad = (dir / "bad.s").string();
  ProcessResult r = cli({"asm", bad, "-o", (dir / "x.bin").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga asm: error: " + bad + ":2:15: expected a defined label, got "
                                                    "'nowhere'\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.bin"));

  r = cli({"asm", (dir / "missing.s").string(), "-o", (dir / "x.bin").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga asm: error: " + (dir / "missing.s").string() +
                       ": cannot open: No such file or directory\n");

  test::write_file(dir / "empty.s", "# nothing\n");
  r = cli({"asm", (dir / "empty.s").string(), "-o", (dir / "x.bin").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no instructions"), std::string::npos) << r.err;

  r = cli({"asm", bad});  // -o is required
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--output"), std::string::npos) << r.err;

  test::write_file(dir / "ok.s", "exit\n");
  r = cli({"asm", (dir / "ok.s").string(), "-o", (dir / "no/such/dir/x.bin").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot create"), std::string::npos) << r.err;
}

TEST(Cli, DisasmBadInput) {
  test::TempDir dir;
  test::write_file(dir / "t.bin", std::string(12, '\0'));
  ProcessResult r = cli({"disasm", (dir / "t.bin").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga disasm: error: " + (dir / "t.bin").string() +
                       ": program is 12 bytes, not a multiple of 8: truncated instruction at "
                       "byte offset 8\n");
  r = cli({"disasm", (dir / "missing.bin").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
  r = cli({"disasm", (dir / "t.bin").string() + ":xdp"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not an ELF object"), std::string::npos) << r.err;
  r = cli({"disasm"});
  EXPECT_EQ(r.exit_code, 2);
  // An empty file is an empty program: nothing to print, not an error.
  test::write_file(dir / "empty.bin", "");
  r = cli({"disasm", (dir / "empty.bin").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
}

TEST(Cli, DisasmElf) {
  test::TempDir dir;
  const std::vector<Insn> other = assemble("mov %r0, 2\nexit\n");
  const auto one = dir / "one.o", two = dir / "two.o", x86 = dir / "x86.o";
  write_elf(one, {{".text", {}, true}, {"xdp", kProg, true}, {".rodata", other, false}});
  write_elf(two, {{"xdp", kProg, true}, {"tc", other, true}});
  write_elf(x86, {{".text", kProg, true}}, 62 /* EM_X86_64 */);

  ProcessResult r = cli({"disasm", one.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "mov %r0, 42\nexit\n");
  r = cli({"disasm", two.string() + ":tc"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "mov %r0, 2\nexit\n");
  r = cli({"disasm", two.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga disasm: error: " + two.string() +
                       ": several executable sections, choose one with " + two.string() +
                       ":SECTION (xdp, tc)\n");
  r = cli({"disasm", two.string() + ":nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga disasm: error: " + two.string() +
                       ": no section 'nope' (executable sections: xdp, tc)\n");
  r = cli({"disasm", x86.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not an eBPF object"), std::string::npos) << r.err;
  r = cli({"disasm", one.string() + ":"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("empty section name"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------------------
// conformance
// ---------------------------------------------------------------------------------------

TEST(Cli, Conformance) {
  test::TempDir dir;
  test::write_file(dir / "a_pass.data", "-- asm\nmov %r0, 1\nexit\n-- result\n0x1\n");
  test::write_file(dir / "b_fail.data", "-- asm\nmov %r0, 2\nexit\n-- result\n0x1\n");
  test::write_file(dir / "c_v4.data", "-- asm\nmov %r0, 6\nsdiv %r0, 2\nexit\n-- result\n3\n");
  test::write_file(dir / "d_bad.data", "-- asm\nbogus\n-- result\n0x1\n");
  test::write_file(dir / "ignored.txt", "not a test");

  ProcessResult r = cli({"conformance", (dir / "a_pass.data").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1 passed, 0 failed\n");

  r = cli({"conformance", "--engine", "interp", "--cpu-version", "v4", dir.path().string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "FAIL " + (dir / "b_fail.data").string() + ": r0 = 0x2, expected 0x1\n" +
                       "FAIL " + (dir / "d_bad.data").string() + ": " +
                       (dir / "d_bad.data").string() +
                       ":2:1: expected an instruction mnemonic, got 'bogus'\n"
                       "2 passed, 2 failed\n");

  r = cli({"conformance", "--cpu-version", "v3", (dir / "a_pass.data").string(),
           (dir / "c_v4.data").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "1 passed, 0 failed, 1 skipped\n");

  r = cli({"conformance", "--verbose", "--cpu-version", "3", (dir / "a_pass.data").string(),
           (dir / "c_v4.data").string()});
  EXPECT_EQ(r.out, "PASS " + (dir / "a_pass.data").string() + "\nSKIP " +
                       (dir / "c_v4.data").string() +
                       ": needs cpu v4 (running v3)\n1 passed, 0 failed, 1 skipped\n");

  r = cli({"conformance", (dir / "missing").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga conformance: error: " + (dir / "missing").string() +
                       ": no such file or directory\n");
  r = cli({"conformance", "--engine", "warp", dir.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown engine 'warp'"), std::string::npos) << r.err;
  r = cli({"conformance", "--cpu-version", "v9", dir.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("expected v1, v2, v3 or v4, got 'v9'"), std::string::npos) << r.err;
  r = cli({"conformance"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, ConformanceCorpusLine) {
  if (!std::filesystem::is_directory(test::conformance_tests())) {
    GTEST_SKIP() << "bpf_conformance corpus not found at " << test::conformance_tests();
  }
  const ProcessResult r = cli({"conformance", "--engine", "interp", "--cpu-version", "v4",
                               test::conformance_tests().string()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "313 passed, 0 failed\n");
}

// ---------------------------------------------------------------------------------------
// ebpf-fpga-plugin
// ---------------------------------------------------------------------------------------

std::string hex(const std::vector<Insn>& p) {
  std::string s;
  char buf[4];
  for (uint8_t b : to_bytes(p)) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    s += buf;
    s += "  ";  // bpf_conformance separates bytes with two spaces
  }
  return s + "\n";
}

TEST(Plugin, Protocol) {
  ProcessResult r = plugin({}, hex(kProg));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2a\n");

  // Memory as argv[1]; options as one more argument, the way bpf_conformance passes them.
  const std::vector<Insn> load = assemble("ldxdw %r0, [%r1]\nexit\n");
  r = plugin({"11 22 33 44 55 66 77 88", "--engine interp --cpu-version v4"}, hex(load));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "8877665544332211\n");
  r = plugin({"", ""}, hex(kProg));  // empty memory and empty options
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2a\n");
  r = plugin({"--engine", "interp"}, "b7000000ffffffff 9500000000000000");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ffffffffffffffff\n");
  r = plugin({"--help"}, "");
  EXPECT_EQ(r.exit_code, 0);
}

TEST(Plugin, BadInput) {
  auto expect = [](const ProcessResult& r, int code, const std::string& err) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_EQ(r.err, err);
    EXPECT_EQ(r.out, "");
  };
  expect(plugin({}, ""), 1, "ebpf-fpga-plugin: program on stdin: empty (expected hex bytes)\n");
  expect(plugin({}, "b7 0"), 1,
         "ebpf-fpga-plugin: program on stdin: odd number of hex digits in '0' at character 4 "
         "(bytes are two hex digits each)\n");
  expect(plugin({}, "b7 zz"), 1,
         "ebpf-fpga-plugin: program on stdin: expected hex digits, got 'z' in 'zz' at "
         "character 4\n");
  expect(plugin({}, "b7 00 00 00 00 00 00 00 95 00 00 00"), 1,
         "ebpf-fpga-plugin: program on stdin: program is 12 bytes, not a multiple of 8: "
         "truncated instruction at byte offset 8\n");
  expect(plugin({"1"}, hex(kProg)), 1,
         "ebpf-fpga-plugin: memory argument: odd number of hex digits in '1' at character 1 "
         "(bytes are two hex digits each)\n");
  expect(plugin({"--elf"}, hex(kProg)), 2,
         "ebpf-fpga-plugin: --elf is not supported (the program must come as hex bytes on "
         "stdin)\n");
  expect(plugin({"aa", "bb"}, hex(kProg)), 2,
         "ebpf-fpga-plugin: unexpected argument 'bb' (usage: ebpf-fpga-plugin [MEMHEX] "
         "[--engine interp|rtl] [--cpu-version vN])\n");

  // Load error (unknown opcode) and fault: a one-line message, exit 1.
  ProcessResult r = plugin({}, "ff 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("ebpf-fpga-plugin: load error: ")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  r = plugin({}, hex(assemble("mov %r0, 0\nldxdw %r0, [%r0]\nexit")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ebpf-fpga-plugin: fault load_out_of_bounds at pc 1\n");
  // A v4 instruction refused by a v3 engine.
  r = plugin({"", "--cpu-version v3"}, hex(assemble("sdiv %r0, 1\nexit")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("ebpf-fpga-plugin: load error: ")) << r.err;

  r = plugin({"--engine", "warp"}, hex(kProg));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown engine 'warp'"), std::string::npos) << r.err;
  r = plugin({"--bogus"}, hex(kProg));
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliUtil, ParseHexBytes) {
  EXPECT_EQ(cli::parse_hex_bytes("", "x"), std::vector<uint8_t>{});
  EXPECT_EQ(cli::parse_hex_bytes(" b7  00\n\tFF 0a0B ", "x"),
            (std::vector<uint8_t>{0xb7, 0x00, 0xff, 0x0a, 0x0b}));
  EXPECT_THROW(cli::parse_hex_bytes("0x11", "x"), Error);
  EXPECT_EQ(cli::parse_cpu_version("v1"), 1);
  EXPECT_EQ(cli::parse_cpu_version("4"), 4);
  EXPECT_THROW(cli::parse_cpu_version("v0"), Error);
  EXPECT_THROW(cli::parse_cpu_version(""), Error);
}

}  // namespace
}  // namespace ebpf
