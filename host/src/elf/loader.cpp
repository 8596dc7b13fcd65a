// ElfLoader: turns a relocatable BPF object into an ebpf::Object (object.h).
//
// Order of work: refuse what we do not support (legacy maps, CO-RE), decode the BTF-defined
// maps, add one map per global data section, read PROG_ARRAY initial values, then link each
// entry program: copy its function, append every .text subprogram it reaches (once each) and
// rewrite calls and lddw relocations so that they name map indices (contracts.md section 2).
#include <elf.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "btf_maps.h"
#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/object.h"
#include "elf_file.h"

namespace ebpf {

using elf::Diag;
using elf::hex;
using elf::Reloc;
using elf::Section;
using elf::Symbol;

namespace {

constexpr uint8_t kCallOpcode = 0x85;
constexpr uint8_t kPseudoCall = 1;       // call src: bpf-to-bpf call
constexpr uint8_t kPseudoMapIdx = 1;     // lddw src: map handle (contracts.md section 2)
constexpr uint8_t kPseudoMapValue = 2;   // lddw src: address inside a map value
constexpr uint32_t kRdonlyProg = 1u << 7;  // BPF_F_RDONLY_PROG
// Global data sections larger than this are refused (a corrupt .bss size must not make us
// allocate gigabytes of zeros).
constexpr uint64_t kMaxGlobalDataBytes = 64ull << 20;

bool has_prefix(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// .data, .data.*, .rodata, .rodata.*, .bss, .bss.* (libbpf's global data sections).
std::optional<MapOrigin> global_data_origin(const Section& s) {
  if (s.type != SHT_PROGBITS && s.type != SHT_NOBITS) return std::nullopt;
  if (s.flags & SHF_EXECINSTR) return std::nullopt;
  auto is = [&](std::string_view base) {
    return s.name == base || has_prefix(s.name, std::string(base) + ".");
  };
  if (is(".data")) return MapOrigin::kData;
  if (is(".rodata")) return MapOrigin::kRodata;
  if (is(".bss")) return MapOrigin::kBss;
  return std::nullopt;
}

std::string list_types(bool supported) {
  std::string out;
  for (uint32_t t = 1; t < 64; ++t) {
    if (map_type_supported(t) != supported) continue;
    if (!out.empty()) out += ", ";
    out += map_type_name(t);
  }
  return out;
}

}  // namespace

class ElfLoader {
 public:
  ElfLoader(std::span<const uint8_t> image, std::string display, const OpenOpts& opts)
      : diag_(std::move(display)), file_(image, diag_), opts_(opts) {
    obj_.name_ = diag_.file();
  }

  Object load() {
    refuse_unsupported_sections();
    collect_functions();
    load_btf_maps();
    load_global_data();
    if (obj_.maps_.size() > addr::kMaxMaps) {
      diag_.fail("the object has " + std::to_string(obj_.maps_.size()) +
                 " maps; at most " + std::to_string(addr::kMaxMaps) + " are supported");
    }
    load_prog_array_values();
    load_license();
    for (const Function& f : functions_) {
      if (f.entry) obj_.programs_.push_back(link_program(f));
    }
    return std::move(obj_);
  }

 private:
  struct Function {
    std::string name;
    size_t section;
    uint64_t offset;  // bytes
    uint64_t size;    // bytes
    bool entry;       // a program (not in .text)
  };
  struct MapPlace {
    uint64_t offset = 0;  // of the definition in .maps
    uint64_t size = 0;
    std::optional<uint32_t> values_offset;
  };

  void refuse_unsupported_sections() {
    if (file_.find_section("maps")) {
      diag_.fail_section("maps",
                         "legacy maps section is not supported; declare maps in .maps with BTF");
    }
    for (const Section& s : file_.sections()) {
      if (s.is_exec() && s.size % 8 != 0) {
        diag_.fail_section(s.name, "code size " + std::to_string(s.size) +
                                       " is not a multiple of 8 (eBPF instructions are 8 bytes)");
      }
    }
  }

  // Every STT_FUNC symbol in an executable section; those outside .text are programs.
  void collect_functions() {
    for (const Symbol& sym : file_.symbols()) {
      if (sym.type != STT_FUNC || sym.shndx == SHN_UNDEF) continue;
      if (!file_.has_section(sym.shndx)) {
        diag_.fail("function '" + sym.name + "' names section index " +
                   std::to_string(sym.shndx) + ", which does not exist");
      }
      const Section& s = file_.section(sym.shndx);
      if (!s.is_exec()) {
        diag_.fail_section(s.name, "function '" + sym.name + "' is in a section without code");
      }
      if (sym.value % 8 != 0 || sym.size % 8 != 0 || sym.size == 0 || sym.value > s.size ||
          sym.size > s.size - sym.value) {
        diag_.fail_at(s.name, sym.value, "function '" + sym.name + "' (size " +
                                             std::to_string(sym.size) +
                                             ") is misaligned, empty or runs past the end of the "
                                             "section (" + std::to_string(s.size) + " bytes)");
      }
      functions_.push_back({sym.name, sym.shndx, sym.value, sym.size, s.name != ".text"});
    }
    std::sort(functions_.begin(), functions_.end(), [](const Function& a, const Function& b) {
      return std::tie(a.section, a.offset) < std::tie(b.section, b.offset);
    });
    for (const Section& s : file_.sections()) {
      if (!s.is_exec() || s.size == 0 || s.name == ".text") continue;
      const bool any = std::any_of(functions_.begin(), functions_.end(),
                                   [&](const Function& f) { return f.section == s.index; });
      if (!any) {
        diag_.fail_section(s.name, "holds code but no function symbol; every program needs one "
                                   "(clang emits it for each function)");
      }
    }
  }

  // Section symbols have no name of their own: show the section's.
  std::string display(const Symbol& sym) const {
    if (sym.type == STT_SECTION && file_.has_section(sym.shndx)) {
      return file_.section(sym.shndx).name;
    }
    return sym.name;
  }

  const Function* function_at(size_t section, uint64_t offset) const {
    for (const Function& f : functions_) {
      if (f.section == section && f.offset == offset) return &f;
    }
    return nullptr;
  }

  // ---- maps --------------------------------------------------------------------------------

  void load_btf_maps() {
    const Section* maps = file_.find_section(".maps");
    const Section* btf_sec = file_.find_section(".BTF");
    const Section* ext = file_.find_section(".BTF.ext");
    std::unique_ptr<elf::Btf> btf;
    if (btf_sec) btf = std::make_unique<elf::Btf>(btf_sec->bytes, diag_);
    if (ext) elf::check_no_core_relocations(*ext, btf.get(), diag_);
    if (!maps) return;
    maps_section_ = maps->index;
    if (!btf) {
      diag_.fail_section(".maps", "the object has no .BTF section, which BTF-defined maps "
                                  "need: build with clang -g");
    }
    if (maps->is_nobits()) diag_.fail_section(".maps", "section has no contents (SHT_NOBITS)");
    const auto defs = btf->maps(diag_);
    if (defs.empty() && maps->size > 0) {
      diag_.fail_section(".maps", "the .BTF section has no DATASEC describing .maps");
    }
    for (const elf::BtfMapDef& def : defs) {
      const Symbol* sym = nullptr;
      for (const Symbol& s : file_.symbols()) {
        if (s.shndx == maps->index && s.name == def.name && s.type != STT_SECTION) sym = &s;
      }
      if (!sym) diag_.fail_section(".maps", "map '" + def.name + "' has no symbol in .maps");
      if (sym->value > maps->size || sym->size > maps->size - sym->value) {
        diag_.fail_at(".maps", sym->value, "map '" + def.name + "' (symbol size " +
                                               std::to_string(sym->size) +
                                               ") runs past the end of .maps");
      }
      MapSpec spec;
      spec.name = def.name;
      spec.origin = MapOrigin::kBtf;
      spec.map_flags = def.map_flags.value_or(0);
      spec.max_entries = def.max_entries.value_or(0);
      validate_btf_map(def, spec);
      obj_.maps_.push_back(std::move(spec));
      places_.push_back({sym->value, sym->size, def.values_offset});
    }
  }

  // Fills type, key and value sizes, checking them the way Linux's map_alloc_check would, so
  // that the engines and the kernel oracle agree on what a map looks like.
  void validate_btf_map(const elf::BtfMapDef& def, MapSpec& spec) {
    auto fail = [&](const std::string& what) {
      diag_.fail_section(".maps", "map '" + def.name + "': " + what);
    };
    if (!def.type) fail("no type (add __uint(type, BPF_MAP_TYPE_...))");
    const uint32_t type = *def.type;
    spec.type = static_cast<MapType>(type);
    if (!map_type_supported(type)) {
      if (!opts_.allow_unsupported_maps) {
        diag_.fail_section(".maps", "map '" + def.name + "' has type " + map_type_name(type) +
                                        " (" + std::to_string(type) +
                                        "), which is not supported; supported types: " +
                                        list_types(true));
      }
      spec.key_size = def.key_size.value_or(0);
      spec.value_size = def.value_size.value_or(0);
      return;
    }
    const auto t = static_cast<MapType>(type);
    const std::string tn = map_type_name(type);
    std::optional<uint32_t> key = def.key_size, value = def.value_size;
    if (t == MapType::kProgArray || t == MapType::kPerfEventArray) {
      // As libbpf does: these hold 4-byte program / event slots whatever the source says.
      if (!key) key = 4;
      if (!value) value = 4;
    }
    if (def.values_offset && t != MapType::kProgArray) {
      fail("initial values (the 'values' field) are supported only for prog_array maps");
    }
    if (t == MapType::kRingbuf) {
      if (key.value_or(0) != 0 || value.value_or(0) != 0) {
        fail("a ringbuf map has no key or value (its size is max_entries)");
      }
      if (spec.max_entries == 0 || (spec.max_entries & (spec.max_entries - 1)) != 0 ||
          spec.max_entries % 4096 != 0) {
        fail("a ringbuf needs max_entries a power of 2 and a multiple of 4096 (got " +
             std::to_string(spec.max_entries) + ")");
      }
      return;
    }
    if (!key) fail("no key size (add __type(key, T) or __uint(key_size, N))");
    if (!value) fail("no value size (add __type(value, T) or __uint(value_size, N))");
    spec.key_size = *key;
    spec.value_size = *value;
    // libbpf sizes a perf event array without max_entries to the number of CPUs; the map
    // unit does the same with its core count (docs/maps.md).
    if (spec.max_entries == 0 && t != MapType::kPerfEventArray) {
      fail("max_entries is missing or 0");
    }
    switch (t) {
      case MapType::kArray:
      case MapType::kPercpuArray:
      case MapType::kProgArray:
      case MapType::kPerfEventArray:
      case MapType::kDevmap:
      case MapType::kDevmapHash:
        if (spec.key_size != 4) {
          fail(tn + " maps need a 4-byte key, got " + std::to_string(spec.key_size));
        }
        break;
      case MapType::kLpmTrie:
        if (spec.key_size < 5 || spec.key_size > 4 + 256) {
          fail("an lpm_trie key is a 4-byte prefix length plus 1 to 256 data bytes; got "
               "key_size " + std::to_string(spec.key_size));
        }
        break;
      default:
        if (spec.key_size == 0) fail("key_size is 0");
        break;
    }
    if ((t == MapType::kProgArray || t == MapType::kPerfEventArray) && spec.value_size != 4) {
      fail(tn + " maps need a 4-byte value, got " + std::to_string(spec.value_size));
    }
    if ((t == MapType::kDevmap || t == MapType::kDevmapHash) && spec.value_size != 4 &&
        spec.value_size != 8) {
      fail(tn + " values are 4 bytes (ifindex) or 8 (struct bpf_devmap_val), got " +
           std::to_string(spec.value_size));
    }
    if (spec.value_size == 0) fail("value_size is 0");
  }

  void load_global_data() {
    data_map_.assign(file_.sections().size(), -1);
    for (const Section& s : file_.sections()) {
      const auto origin = global_data_origin(s);
      if (!origin || s.size == 0) continue;
      if (s.size > kMaxGlobalDataBytes) {
        diag_.fail_section(s.name, "global data of " + std::to_string(s.size) +
                                       " bytes; at most " + std::to_string(kMaxGlobalDataBytes) +
                                       " per section are supported");
      }
      MapSpec spec;
      spec.name = s.name;
      spec.type = MapType::kArray;
      spec.key_size = 4;
      spec.value_size = static_cast<uint32_t>(s.size);
      spec.max_entries = 1;
      spec.origin = *origin;
      spec.map_flags = *origin == MapOrigin::kRodata ? kRdonlyProg : 0;
      if (s.is_nobits()) {
        spec.initial_value.assign(s.size, 0);
      } else {
        spec.initial_value = s.bytes;
      }
      data_map_[s.index] = static_cast<int64_t>(obj_.maps_.size());
      obj_.maps_.push_back(std::move(spec));
      places_.push_back({});
    }
  }

  // Relocations in .maps fill PROG_ARRAY slots: `.values = { [2] = &prog }`.
  void load_prog_array_values() {
    if (maps_section_ == 0) return;
    const Section& maps = file_.section(maps_section_);
    for (const Reloc& r : file_.relocations_for(maps_section_)) {
      size_t m = 0;
      while (m < places_.size() && !(obj_.maps_[m].origin == MapOrigin::kBtf &&
                                     r.offset >= places_[m].offset &&
                                     r.offset < places_[m].offset + places_[m].size)) {
        ++m;
      }
      if (m == places_.size()) {
        diag_.fail_at(".maps", r.offset, "relocation does not fall inside any map definition");
      }
      MapSpec& spec = obj_.maps_[m];
      auto fail = [&](const std::string& what) {
        diag_.fail_at(".maps", r.offset, "map '" + spec.name + "': " + what);
      };
      const uint64_t in_def = r.offset - places_[m].offset;
      const auto values = places_[m].values_offset;
      if (!values || in_def < *values || (in_def - *values) % 8 != 0) {
        fail("relocation outside the 'values' array (only PROG_ARRAY initial values are "
             "relocated in .maps)");
      }
      if (r.type != elf::rbpf::kAbs64) {
        fail(elf::reloc_type_name(r.type) + " in .maps (expected R_BPF_64_ABS64)");
      }
      const uint64_t slot = (in_def - *values) / 8;
      if (slot >= spec.max_entries) {
        fail("initial value for slot " + std::to_string(slot) + ", but max_entries is " +
             std::to_string(spec.max_entries));
      }
      const Symbol& sym = file_.symbols()[r.sym];
      if (sym.shndx == SHN_UNDEF) {
        fail("slot " + std::to_string(slot) + " refers to undefined symbol '" + sym.name + "'");
      }
      if (r.offset + 8 > maps.bytes.size()) fail("relocation runs past the end of .maps");
      uint64_t addend;
      std::memcpy(&addend, maps.bytes.data() + r.offset, 8);
      const Function* f = file_.has_section(sym.shndx)
                              ? function_at(sym.shndx, sym.value + addend)
                              : nullptr;
      if (!f || !f->entry) {
        fail("slot " + std::to_string(slot) + " refers to '" + display(sym) +
             "', which is not a program");
      }
      for (const auto& [s, name] : spec.prog_array_init) {
        if (s == slot) fail("slot " + std::to_string(slot) + " is initialised twice");
      }
      spec.prog_array_init.emplace_back(static_cast<uint32_t>(slot), f->name);
    }
    for (MapSpec& spec : obj_.maps_) {
      std::sort(spec.prog_array_init.begin(), spec.prog_array_init.end());
    }
  }

  void load_license() {
    const Section* s = file_.find_section("license");
    if (!s) return;
    const auto& b = s->bytes;
    const auto end = std::find(b.begin(), b.end(), uint8_t{0});
    obj_.license_.assign(b.begin(), end);
  }

  // ---- programs ----------------------------------------------------------------------------

  const std::vector<Insn>& code_of(size_t section) {
    auto it = code_.find(section);
    if (it == code_.end()) it = code_.emplace(section, from_bytes(file_.section(section).bytes)).first;
    return it->second;
  }

  ProgramSpec link_program(const Function& entry) {
    ProgramSpec prog;
    prog.name = entry.name;
    prog.section = file_.section(entry.section).name;
    std::vector<const Function*> placed;  // in placement order
    std::map<const Function*, size_t> start;
    auto place = [&](const Function* f) {
      const auto& code = code_of(f->section);
      start[f] = prog.insns.size();
      placed.push_back(f);
      prog.insns.insert(prog.insns.end(), code.begin() + static_cast<ptrdiff_t>(f->offset / 8),
                        code.begin() + static_cast<ptrdiff_t>((f->offset + f->size) / 8));
    };
    place(&entry);
    for (size_t k = 0; k < placed.size(); ++k) {
      relocate_function(*placed[k], start.at(placed[k]), prog.insns,
                        [&](const Function* callee) -> size_t {
                          const auto it = start.find(callee);
                          if (it != start.end()) return it->second;
                          place(callee);
                          return start.at(callee);
                        });
    }
    return prog;
  }

  template <typename PlaceFn>
  void relocate_function(const Function& f, size_t base, std::vector<Insn>& out,
                         PlaceFn&& place) {
    const Section& sec = file_.section(f.section);
    const auto& relocs = file_.relocations_for(f.section);
    auto rel = std::lower_bound(relocs.begin(), relocs.end(), f.offset,
                                [](const Reloc& r, uint64_t off) { return r.offset < off; });
    const uint64_t first = f.offset / 8, n = f.size / 8;
    for (uint64_t j = 0; j < n; ++j) {
      const uint64_t off = (first + j) * 8;
      // Relocations between slots, or on the second slot of an lddw, are malformed.
      if (rel != relocs.end() && rel->offset < off) {
        diag_.fail_at(sec.name, rel->offset,
                      rel->offset % 8 == 0 ? "relocation on the second slot of an lddw"
                                           : "relocation is not on an instruction boundary");
      }
      const Reloc* r = nullptr;
      if (rel != relocs.end() && rel->offset == off) {
        r = &*rel++;
        if (rel != relocs.end() && rel->offset == off) {
          diag_.fail_insn(sec.name, off, "two relocations apply to one instruction");
        }
      }
      const Insn insn = out[base + j];
      const bool is_call = insn.opcode == kCallOpcode && insn.src() == kPseudoCall;
      const bool is_lddw = insn.opcode == op::kLddw;
      if (r && r->type != elf::rbpf::kNone) {
        const Symbol& sym = file_.symbols()[r->sym];
        if (sym.shndx == SHN_UNDEF) {
          diag_.fail_insn(sec.name, off,
                          "relocation against undefined symbol '" + sym.name +
                              "': extern variables and functions (kfuncs, __ksym, __kconfig) "
                              "are not supported");
        }
        if (r->type == elf::rbpf::k64_64) {
          if (!is_lddw) {
            diag_.fail_insn(sec.name, off, "R_BPF_64_64 relocation on opcode " +
                                               hex(insn.opcode) + ", which is not lddw");
          }
          if (j + 1 >= n) diag_.fail_insn(sec.name, off, "lddw is cut off by the function's end");
          relocate_lddw(sec, off, sym, out[base + j], out[base + j + 1]);
        } else if (r->type == elf::rbpf::k64_32) {
          if (!is_call) {
            diag_.fail_insn(sec.name, off, "R_BPF_64_32 relocation on opcode " +
                                               hex(insn.opcode) +
                                               ", which is not a bpf-to-bpf call");
          }
          if (!file_.has_section(sym.shndx) || !file_.section(sym.shndx).is_exec()) {
            diag_.fail_insn(sec.name, off, "call to '" + display(sym) + "', which is not code");
          }
          if (sym.value % 8 != 0) {
            diag_.fail_insn(sec.name, off, "call to '" + display(sym) + "' at misaligned offset " +
                                               hex(sym.value));
          }
          const int64_t target = static_cast<int64_t>(sym.value / 8) + insn.imm + 1;
          link_call(sec, off, sym.shndx, target, base + j, out, place);
        } else if (r->type <= elf::rbpf::kNoDyld32) {
          diag_.fail_insn(sec.name, off, elf::reloc_type_name(r->type) +
                                             " relocation in code (expected R_BPF_64_64 on "
                                             "lddw or R_BPF_64_32 on call)");
        } else {
          diag_.fail_insn(sec.name, off, elf::reloc_type_name(r->type) +
                                             " (expected R_BPF_64_64 on lddw or R_BPF_64_32 on "
                                             "call)");
        }
      } else if (is_call) {
        // A call the assembler resolved itself: relative to this section.
        const int64_t target = static_cast<int64_t>(first + j) + insn.imm + 1;
        link_call(sec, off, f.section, target, base + j, out, place);
      }
      if (is_lddw) ++j;  // the second slot carries no instruction of its own
    }
    if (rel != relocs.end() && rel->offset < f.offset + f.size) {
      diag_.fail_at(sec.name, rel->offset,
                    rel->offset % 8 == 0 ? "relocation on the second slot of an lddw"
                                         : "relocation is not on an instruction boundary");
    }
  }

  template <typename PlaceFn>
  void link_call(const Section& sec, uint64_t off, size_t target_section, int64_t target,
                 size_t at, std::vector<Insn>& out, PlaceFn&& place) {
    const Section& ts = file_.section(target_section);
    if (target < 0 || static_cast<uint64_t>(target) >= ts.size / 8) {
      diag_.fail_insn(sec.name, off, "bpf-to-bpf call target " + std::to_string(target) +
                                         " is outside section " + ts.name);
    }
    const Function* callee = function_at(target_section, static_cast<uint64_t>(target) * 8);
    if (!callee) {
      diag_.fail_insn(sec.name, off, "bpf-to-bpf call targets instruction " +
                                         std::to_string(target) + " of section " + ts.name +
                                         ", which is not the start of a function");
    }
    const size_t pos = place(callee);  // may grow `out`
    const int64_t rel = static_cast<int64_t>(pos) - static_cast<int64_t>(at) - 1;
    if (rel < std::numeric_limits<int32_t>::min() || rel > std::numeric_limits<int32_t>::max()) {
      diag_.fail_insn(sec.name, off, "program too large for a call offset");
    }
    out[at].imm = static_cast<int32_t>(rel);
  }

  void relocate_lddw(const Section& sec, uint64_t off, const Symbol& sym, Insn& lo, Insn& hi) {
    auto fail = [&](const std::string& what) { diag_.fail_insn(sec.name, off, what); };
    if (lo.src() != 0) {
      fail("relocated lddw already has src " + std::to_string(lo.src()));
    }
    if (hi.imm != 0) fail("relocated lddw has a non-zero upper address half");
    if (!file_.has_section(sym.shndx)) {
      fail("relocation against symbol '" + sym.name + "' with section index " +
           hex(sym.shndx) + " (absolute or common symbols are not supported)");
    }
    const Section& ts = file_.section(sym.shndx);
    const int64_t target = static_cast<int64_t>(sym.value) + lo.imm;
    const uint8_t dst = lo.dst();
    if (sym.shndx == maps_section_) {
      for (size_t m = 0; m < places_.size(); ++m) {
        if (obj_.maps_[m].origin == MapOrigin::kBtf && target >= 0 &&
            places_[m].offset == static_cast<uint64_t>(target)) {
          lo = Insn::make(op::kLddw, dst, kPseudoMapIdx, 0, static_cast<int32_t>(m));
          hi.imm = 0;
          return;
        }
      }
      fail("lddw refers to offset " + std::to_string(target) +
           " of .maps, which is not the start of a map");
    }
    if (data_map_[sym.shndx] >= 0) {
      if (target < 0 || static_cast<uint64_t>(target) > ts.size) {
        fail("lddw refers to offset " + std::to_string(target) + " of " + ts.name +
             ", outside its " + std::to_string(ts.size) + " bytes");
      }
      lo = Insn::make(op::kLddw, dst, kPseudoMapValue, 0, static_cast<int32_t>(data_map_[sym.shndx]));
      hi.imm = static_cast<int32_t>(target);
      return;
    }
    if (ts.is_exec()) {
      const Function* f = target >= 0 ? function_at(sym.shndx, static_cast<uint64_t>(target))
                                      : nullptr;
      fail("lddw loads the address of function '" + (f ? f->name : display(sym)) +
           "'; callbacks (bpf_loop, bpf_for_each_map_elem, timers) are not supported");
    }
    fail("lddw refers to section " + ts.name + " (symbol '" + display(sym) +
         "'), which holds neither maps nor global data");
  }

  Diag diag_;
  elf::ElfFile file_;
  OpenOpts opts_;
  Object obj_;
  std::vector<Function> functions_;
  size_t maps_section_ = 0;
  std::vector<MapPlace> places_;   // one per map, in map order
  std::vector<int64_t> data_map_;  // section index -> global data map index, or -1
  std::map<size_t, std::vector<Insn>> code_;
};

Object Object::open_memory(std::span<const uint8_t> bytes, const std::string& name,
                           const OpenOpts& opts) {
  return ElfLoader(bytes, name, opts).load();
}

Object Object::open_file(const std::string& path, const OpenOpts& opts) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path + ": read error: " + std::strerror(errno));
  return open_memory(bytes, path, opts);
}

}  // namespace ebpf
