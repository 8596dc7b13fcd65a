// Reads a relocatable BPF object with libelf (see elf_file.h). Section contents are copied
// out of the image after their range has been checked, so nothing here or in the loader
// reads past the end of a truncated file, and libelf's handle is released before returning.
#include "elf_file.h"

#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "ebpf_fpga/error.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

namespace ebpf::elf {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

void Diag::fail(const std::string& what) const { throw Error(file_ + ": " + what); }

void Diag::fail_section(std::string_view section, const std::string& what) const {
  throw Error(file_ + ": section " + std::string(section) + ": " + what);
}

void Diag::fail_at(std::string_view section, uint64_t offset, const std::string& what) const {
  throw Error(file_ + ": section " + std::string(section) + ": offset " + hex(offset) + ": " +
              what);
}

void Diag::fail_insn(std::string_view section, uint64_t offset, const std::string& what) const {
  throw Error(file_ + ": section " + std::string(section) + ": offset " + hex(offset) +
              " (instruction " + std::to_string(offset / 8) + "): " + what);
}

bool Section::is_nobits() const { return type == SHT_NOBITS; }
bool Section::is_exec() const { return type == SHT_PROGBITS && (flags & SHF_EXECINSTR) != 0; }

std::string reloc_type_name(uint32_t type) {
  switch (type) {
    case rbpf::kNone: return "R_BPF_NONE";
    case rbpf::k64_64: return "R_BPF_64_64";
    case rbpf::kAbs64: return "R_BPF_64_ABS64";
    case rbpf::kAbs32: return "R_BPF_64_ABS32";
    case rbpf::kNoDyld32: return "R_BPF_64_NODYLD32";
    case rbpf::k64_32: return "R_BPF_64_32";
    default: return "unknown relocation type " + std::to_string(type);
  }
}

namespace {

struct ElfCloser {
  void operator()(::Elf* e) const { elf_end(e); }
};
using ElfPtr = std::unique_ptr<::Elf, ElfCloser>;

std::string libelf_error() {
  const char* msg = elf_errmsg(-1);
  return msg ? msg : "unknown libelf error";
}

std::string machine_name(unsigned m) {
  switch (m) {
    case EM_386: return " (x86)";
    case EM_X86_64: return " (x86-64)";
    case EM_ARM: return " (ARM)";
    case EM_AARCH64: return " (AArch64)";
    case EM_RISCV: return " (RISC-V)";
    default: return "";
  }
}

void init_libelf() {
  static const bool ok = elf_version(EV_CURRENT) != EV_NONE;
  if (!ok) throw Error("libelf: elf_version(EV_CURRENT) failed: " + libelf_error());
}

}  // namespace

ElfFile::ElfFile(std::span<const uint8_t> image, const Diag& diag) {
  init_libelf();
  // The identification bytes are checked here rather than by libelf so that the common
  // mistakes (not an ELF at all, a 32-bit or big-endian build) get a message that says so.
  if (image.size() < EI_NIDENT || std::memcmp(image.data(), ELFMAG, SELFMAG) != 0) {
    diag.fail("not an ELF file (no \\x7fELF magic at offset 0)");
  }
  if (image[EI_CLASS] != ELFCLASS64) {
    diag.fail("ELF class " + std::to_string(image[EI_CLASS]) +
              " is not ELFCLASS64: BPF objects are 64-bit");
  }
  if (image[EI_DATA] != ELFDATA2LSB) {
    diag.fail("ELF data encoding " + std::to_string(image[EI_DATA]) +
              " is not little-endian (ELFDATA2LSB): build with -target bpf or bpfel");
  }

  // libelf may convert data in place, so it gets a private copy of the image.
  std::vector<char> copy(image.begin(), image.end());
  ElfPtr e(elf_memory(copy.data(), copy.size()));
  if (!e || elf_kind(e.get()) != ELF_K_ELF) diag.fail("cannot read the ELF: " + libelf_error());

  GElf_Ehdr ehdr;
  if (!gelf_getehdr(e.get(), &ehdr)) {
    diag.fail("truncated or corrupt ELF header: " + libelf_error());
  }
  if (ehdr.e_machine != EM_BPF) {
    diag.fail("ELF machine " + std::to_string(ehdr.e_machine) + machine_name(ehdr.e_machine) +
              " is not EM_BPF (247): not a BPF object");
  }
  if (ehdr.e_type != ET_REL) {
    diag.fail("ELF type " + std::to_string(ehdr.e_type) +
              " is not ET_REL: a relocatable object from clang -c is expected");
  }

  size_t shnum = 0, shstrndx = 0;
  if (elf_getshdrnum(e.get(), &shnum) != 0) {
    diag.fail("corrupt section header table: " + libelf_error());
  }
  if (elf_getshdrstrndx(e.get(), &shstrndx) != 0) {
    diag.fail("corrupt section name table index: " + libelf_error());
  }
  if (shnum == 0) diag.fail("the ELF has no section headers: truncated or corrupt");
  if (shstrndx >= shnum) {
    diag.fail("section name table index " + std::to_string(shstrndx) + " is out of range (" +
              std::to_string(shnum) + " sections)");
  }

  std::vector<GElf_Shdr> shdrs(shnum);
  sections_.resize(shnum);
  for (size_t i = 0; i < shnum; ++i) {
    Elf_Scn* scn = elf_getscn(e.get(), i);
    if (!scn || !gelf_getshdr(scn, &shdrs[i])) {
      diag.fail("section header " + std::to_string(i) + " is unreadable: " + libelf_error());
    }
  }
  for (size_t i = 1; i < shnum; ++i) {
    const GElf_Shdr& sh = shdrs[i];
    Section& s = sections_[i];
    s.index = i;
    const char* name = elf_strptr(e.get(), shstrndx, sh.sh_name);
    if (!name) {
      diag.fail("section header " + std::to_string(i) + ": name offset " + hex(sh.sh_name) +
                " is outside the section name table: corrupt ELF");
    }
    s.name = name;
    s.type = sh.sh_type;
    s.flags = sh.sh_flags;
    s.size = sh.sh_size;
    s.link = sh.sh_link;
    s.info = sh.sh_info;
    s.entsize = sh.sh_entsize;
    if (s.type != SHT_NOBITS && s.type != SHT_NULL && s.size > 0) {
      if (sh.sh_offset > image.size() || s.size > image.size() - sh.sh_offset) {
        diag.fail_section(s.name, "contents at file offset " + hex(sh.sh_offset) + ", size " +
                                      hex(s.size) + " run past the end of the file (" +
                                      std::to_string(image.size()) +
                                      " bytes): truncated or corrupt ELF");
      }
      if (s.flags & SHF_COMPRESSED) diag.fail_section(s.name, "compressed sections are not supported");
      const auto* begin = image.data() + sh.sh_offset;
      s.bytes.assign(begin, begin + s.size);
    }
  }

  // Symbol table (clang emits exactly one).
  size_t symtab_index = 0;
  for (size_t i = 1; i < shnum; ++i) {
    if (sections_[i].type != SHT_SYMTAB) continue;
    const Section& st = sections_[i];
    if (symtab_index != 0) diag.fail_section(st.name, "a second symbol table is not supported");
    symtab_index = i;
    if (st.entsize != sizeof(Elf64_Sym)) {
      diag.fail_section(st.name, "symbol entry size " + std::to_string(st.entsize) +
                                     " is not " + std::to_string(sizeof(Elf64_Sym)));
    }
    if (st.link == 0 || st.link >= shnum || sections_[st.link].type != SHT_STRTAB) {
      diag.fail_section(st.name, "sh_link " + std::to_string(st.link) +
                                     " does not name a string table");
    }
    Elf_Data* data = elf_getdata(elf_getscn(e.get(), i), nullptr);
    if (!data) diag.fail_section(st.name, "unreadable: " + libelf_error());
    const size_t count = data->d_size / sizeof(Elf64_Sym);
    symbols_.resize(count);
    for (size_t k = 0; k < count; ++k) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(k), &sym)) {
        diag.fail_section(st.name, "symbol " + std::to_string(k) + " is unreadable: " +
                                       libelf_error());
      }
      const char* name = elf_strptr(e.get(), st.link, sym.st_name);
      if (!name) {
        diag.fail_section(st.name, "symbol " + std::to_string(k) + ": name offset " +
                                       hex(sym.st_name) + " is outside the string table");
      }
      Symbol& out = symbols_[k];
      out.name = name;
      out.value = sym.st_value;
      out.size = sym.st_size;
      out.type = static_cast<uint8_t>(GELF_ST_TYPE(sym.st_info));
      out.bind = static_cast<uint8_t>(GELF_ST_BIND(sym.st_info));
      out.shndx = sym.st_shndx;
      if (sym.st_shndx == SHN_XINDEX) {
        diag.fail_section(st.name, "symbol '" + out.name +
                                       "' uses an extended section index (SHN_XINDEX), which "
                                       "is not supported");
      }
    }
  }

  // Relocations, grouped by the section they apply to.
  relocs_.resize(shnum);
  for (size_t i = 1; i < shnum; ++i) {
    const Section& rs = sections_[i];
    if (rs.type != SHT_REL && rs.type != SHT_RELA) continue;
    if (rs.info == 0 || rs.info >= shnum) {
      diag.fail_section(rs.name, "relocations apply to section index " + std::to_string(rs.info) +
                                     ", which does not exist");
    }
    const Section& target = sections_[rs.info];
    if (rs.type == SHT_RELA) {
      // clang never emits RELA for BPF; only refuse it where the loader would need it.
      if (target.is_exec() || target.name == ".maps") {
        diag.fail_section(rs.name, "RELA relocations are not supported (BPF objects use REL)");
      }
      continue;
    }
    if (rs.link != symtab_index || symtab_index == 0) {
      diag.fail_section(rs.name, "sh_link " + std::to_string(rs.link) +
                                     " does not name the symbol table");
    }
    if (rs.entsize != sizeof(Elf64_Rel)) {
      diag.fail_section(rs.name, "relocation entry size " + std::to_string(rs.entsize) +
                                     " is not " + std::to_string(sizeof(Elf64_Rel)));
    }
    Elf_Data* data = elf_getdata(elf_getscn(e.get(), i), nullptr);
    if (!data) diag.fail_section(rs.name, "unreadable: " + libelf_error());
    const size_t count = data->d_size / sizeof(Elf64_Rel);
    auto& out = relocs_[rs.info];
    out.reserve(out.size() + count);
    for (size_t k = 0; k < count; ++k) {
      GElf_Rel rel;
      if (!gelf_getrel(data, static_cast<int>(k), &rel)) {
        diag.fail_section(rs.name, "relocation " + std::to_string(k) + " is unreadable: " +
                                       libelf_error());
      }
      const uint64_t sym = GELF_R_SYM(rel.r_info);
      if (sym >= symbols_.size()) {
        diag.fail_section(rs.name, "relocation " + std::to_string(k) + " names symbol " +
                                       std::to_string(sym) + ", but the symbol table has " +
                                       std::to_string(symbols_.size()) + " entries");
      }
      out.push_back({rel.r_offset, static_cast<uint32_t>(GELF_R_TYPE(rel.r_info)),
                     static_cast<uint32_t>(sym)});
    }
  }
  for (auto& list : relocs_) {
    std::stable_sort(list.begin(), list.end(),
                     [](const Reloc& a, const Reloc& b) { return a.offset < b.offset; });
  }
}

const Section* ElfFile::find_section(std::string_view name) const {
  for (size_t i = 1; i < sections_.size(); ++i) {
    if (sections_[i].name == name) return &sections_[i];
  }
  return nullptr;
}

}  // namespace ebpf::elf
