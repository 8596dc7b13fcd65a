#include "elf_test_util.h"

#include <elf.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace elftest {

std::string firmware_dir() { return EBPF_FPGA_BINARY_DIR "/firmware"; }
std::string test_objects_dir() { return EBPF_FPGA_ELF_TEST_OBJECTS; }

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

static std::string existing(const std::string& path) {
  return std::filesystem::exists(path) ? path : std::string();
}
std::string firmware_object(const std::string& name) {
  return existing(firmware_dir() + "/" + name + ".o");
}
std::string test_object(const std::string& name) {
  return existing(test_objects_dir() + "/" + name + ".o");
}

template <typename T>
static T get(const std::vector<uint8_t>& b, uint64_t off) {
  if (off + sizeof(T) > b.size()) throw std::runtime_error("RawElf: read past the end");
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}

static std::string cstr(const std::vector<uint8_t>& b, uint64_t off) {
  std::string s;
  while (off < b.size() && b[off] != 0) s += static_cast<char>(b[off++]);
  return s;
}

RawElf::RawElf(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {
  const auto eh = get<Elf64_Ehdr>(bytes_, 0);
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  for (size_t i = 0; i < sh.size(); ++i) {
    sh[i] = get<Elf64_Shdr>(bytes_, eh.e_shoff + i * sizeof(Elf64_Shdr));
  }
  const uint64_t names = sh.at(eh.e_shstrndx).sh_offset;
  for (uint32_t i = 0; i < sh.size(); ++i) {
    sections_.push_back({i, cstr(bytes_, names + sh[i].sh_name), sh[i].sh_type, sh[i].sh_flags,
                         sh[i].sh_offset, sh[i].sh_size, sh[i].sh_link, sh[i].sh_info,
                         eh.e_shoff + i * sizeof(Elf64_Shdr)});
  }
  for (const auto& s : sections_) {
    if (s.type != SHT_SYMTAB) continue;
    const uint64_t strings = sh.at(s.link).sh_offset;
    for (uint64_t k = 0; k < s.size / sizeof(Elf64_Sym); ++k) {
      const auto sym = get<Elf64_Sym>(bytes_, s.offset + k * sizeof(Elf64_Sym));
      std::string name = cstr(bytes_, strings + sym.st_name);
      if (ELF64_ST_TYPE(sym.st_info) == STT_SECTION && sym.st_shndx < sections_.size()) {
        name = sections_[sym.st_shndx].name;
      }
      symbols_.push_back({name, sym.st_value, sym.st_size,
                          static_cast<uint8_t>(ELF64_ST_TYPE(sym.st_info)), sym.st_shndx});
    }
  }
}

const RawSection* RawElf::section(const std::string& name) const {
  for (const auto& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const RawSymbol* RawElf::symbol(const std::string& name) const {
  for (const auto& s : symbols_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<RawReloc> RawElf::relocs_for(uint32_t target) const {
  std::vector<RawReloc> out;
  for (const auto& s : sections_) {
    if (s.type != SHT_REL || s.info != target) continue;
    for (uint64_t k = 0; k < s.size / sizeof(Elf64_Rel); ++k) {
      const uint64_t at = s.offset + k * sizeof(Elf64_Rel);
      const auto r = get<Elf64_Rel>(bytes_, at);
      out.push_back({r.r_offset, static_cast<uint32_t>(ELF64_R_TYPE(r.r_info)),
                     static_cast<uint32_t>(ELF64_R_SYM(r.r_info)), at});
    }
  }
  return out;
}

uint64_t RawElf::shoff() const { return get<Elf64_Ehdr>(bytes_, 0).e_shoff; }

}  // namespace elftest

#include <set>

#include "ebpf_fpga/object.h"

namespace elftest {

std::string check_layout(const ebpf::ProgramSpec& p, const RawElf& raw,
                         const std::vector<std::string>& functions) {
  size_t pos = 0;
  std::set<size_t> starts;
  for (const std::string& fn : functions) {
    const RawSymbol* sym = raw.symbol(fn);
    if (!sym) return "no symbol " + fn;
    const RawSection& sec = raw.sections().at(sym->shndx);
    starts.insert(pos);
    for (uint64_t k = 0; k < sym->size / 8; ++k) {
      const uint64_t at = sec.offset + sym->value + k * 8;
      const uint8_t opcode = raw.bytes().at(at), regs = raw.bytes().at(at + 1);
      if (pos + k >= p.insns.size()) return fn + " runs past the program's end";
      const ebpf::Insn& got = p.insns[pos + k];
      if (got.opcode != opcode || got.dst() != (regs & 0x0f)) {
        return fn + " slot " + std::to_string(k) + " (program slot " + std::to_string(pos + k) +
               ") differs from the file";
      }
    }
    pos += sym->size / 8;
  }
  if (pos != p.insns.size()) {
    return "program has " + std::to_string(p.insns.size()) + " slots, expected " +
           std::to_string(pos);
  }
  for (size_t i = 0; i < p.insns.size(); ++i) {
    const ebpf::Insn& insn = p.insns[i];
    if (insn.opcode == 0x85 && insn.src() == 1) {
      const int64_t target = static_cast<int64_t>(i) + 1 + insn.imm;
      if (target < 0 || !starts.count(static_cast<size_t>(target))) {
        return "call at slot " + std::to_string(i) + " targets slot " + std::to_string(target) +
               ", not the start of a function";
      }
    }
  }
  return "";
}

}  // namespace elftest
