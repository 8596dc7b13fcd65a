// ELF section reader for `ebpf-fpga disasm OBJ.o[:SECTION]` (see elf_section.h).
#include "elf_section.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "ebpf_fpga/error.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

namespace ebpf::cli {
namespace {

// Owns the descriptor and the libelf handle.
class ElfFile {
 public:
  explicit ElfFile(const std::string& path) : path_(path) {
    if (elf_version(EV_CURRENT) == EV_NONE) throw Error("libelf initialisation failed");
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (!elf_ || elf_kind(elf_) != ELF_K_ELF) fail("not an ELF object");
  }
  ~ElfFile() {
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) ::close(fd_);
  }
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;

  [[noreturn]] void fail(const std::string& what) const {
    const int err = elf_errno();
    throw Error(path_ + ": " + what + (err ? std::string(" (") + elf_errmsg(err) + ")" : ""));
  }
  Elf* get() const { return elf_; }

 private:
  std::string path_;
  int fd_ = -1;
  Elf* elf_ = nullptr;
};

}  // namespace

bool is_elf_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::memcmp(magic, "\x7f" "ELF", 4) == 0;
}

ElfSection read_elf_section(const std::string& path, const std::string& section) {
  ElfFile f(path);
  Elf* elf = f.get();
  GElf_Ehdr ehdr;
  if (!gelf_getehdr(elf, &ehdr)) f.fail("cannot read the ELF header");
  if (ehdr.e_ident[EI_CLASS] != ELFCLASS64 || ehdr.e_ident[EI_DATA] != ELFDATA2LSB) {
    f.fail("not a little-endian 64-bit ELF object");
  }
  if (ehdr.e_machine != EM_BPF) {
    f.fail("not an eBPF object (e_machine " + std::to_string(ehdr.e_machine) + ", expected " +
           std::to_string(EM_BPF) + ")");
  }
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) f.fail("cannot find the section name table");

  struct Candidate {
    std::string name;
    Elf_Scn* scn;
    GElf_Shdr shdr;
  };
  std::vector<Candidate> exec, all;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) f.fail("cannot read a section header");
    const char* name = elf_strptr(elf, shstrndx, sh.sh_name);
    Candidate c{name ? name : "", scn, sh};
    all.push_back(c);
    if ((sh.sh_flags & SHF_EXECINSTR) && sh.sh_type == SHT_PROGBITS && sh.sh_size > 0) {
      exec.push_back(c);
    }
  }
  auto names = [](const std::vector<Candidate>& v) {
    std::string s;
    for (const auto& c : v) s += (s.empty() ? "" : ", ") + c.name;
    return s.empty() ? std::string("none") : s;
  };

  const Candidate* chosen = nullptr;
  if (!section.empty()) {
    for (const auto& c : all) {
      if (c.name == section) chosen = &c;
    }
    if (!chosen) {
      throw Error(path + ": no section '" + section + "' (executable sections: " + names(exec) +
                  ")");
    }
    if (chosen->shdr.sh_type != SHT_PROGBITS) {
      throw Error(path + ": section '" + section + "' holds no code (executable sections: " +
                  names(exec) + ")");
    }
  } else if (exec.size() == 1) {
    chosen = &exec.front();
  } else if (exec.empty()) {
    throw Error(path + ": no executable section with instructions");
  } else {
    throw Error(path + ": several executable sections, choose one with " + path +
                ":SECTION (" + names(exec) + ")");
  }

  ElfSection out;
  out.name = chosen->name;
  std::vector<uint8_t> bytes;
  for (Elf_Data* d = elf_getdata(chosen->scn, nullptr); d; d = elf_getdata(chosen->scn, d)) {
    if (d->d_buf && d->d_size) {
      const auto* p = static_cast<const uint8_t*>(d->d_buf);
      bytes.insert(bytes.end(), p, p + d->d_size);
    }
  }
  try {
    out.insns = from_bytes(bytes);
  } catch (const Error& e) {
    throw Error(path + ": section '" + out.name + "': " + e.what());
  }
  return out;
}

}  // namespace ebpf::cli
