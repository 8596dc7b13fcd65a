// BTF-defined maps through libbpf's BTF parser (btf__new on the .BTF section bytes). libbpf
// checks the BTF header, string section and type records; everything read here beyond that
// (type IDs, member kinds, sizes) is checked again because the input may be corrupt.
#include "btf_maps.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <limits>

#include "ebpf_fpga/error.h"

namespace ebpf::elf {
namespace {

// libbpf reports parse problems through its print callback. While we call it, the warnings
// are collected so the ebpf::Error can quote them instead of libbpf printing to stderr.
thread_local std::string g_libbpf_warnings;

int collect_libbpf_warning(enum libbpf_print_level level, const char* fmt, va_list ap) {
  if (level != LIBBPF_WARN) return 0;
  char buf[512];
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  if (n > 0) {
    std::string line(buf);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    if (!g_libbpf_warnings.empty()) g_libbpf_warnings += "; ";
    g_libbpf_warnings += line;
  }
  return 0;
}

class CollectLibbpfWarnings {
 public:
  CollectLibbpfWarnings() : old_(libbpf_set_print(collect_libbpf_warning)) {
    g_libbpf_warnings.clear();
  }
  ~CollectLibbpfWarnings() { libbpf_set_print(old_); }
  CollectLibbpfWarnings(const CollectLibbpfWarnings&) = delete;
  CollectLibbpfWarnings& operator=(const CollectLibbpfWarnings&) = delete;

 private:
  libbpf_print_fn_t old_;
};

constexpr int kMaxTypeDepth = 32;  // modifier chains longer than this are treated as loops

// Follows typedef/const/volatile/restrict/type-tag links; null for a bad ID or a loop.
const btf_type* skip_mods(const struct btf* b, uint32_t id, uint32_t* final_id = nullptr) {
  for (int depth = 0; depth < kMaxTypeDepth; ++depth) {
    const btf_type* t = btf__type_by_id(b, id);
    if (!t) return nullptr;
    if (!btf_is_mod(t) && !btf_is_typedef(t)) {
      if (final_id) *final_id = id;
      return t;
    }
    id = t->type;
  }
  return nullptr;
}

std::string kind_name(const btf_type* t) {
  if (!t) return "an invalid type";
  switch (btf_kind(t)) {
    case BTF_KIND_INT: return "an int";
    case BTF_KIND_PTR: return "a pointer";
    case BTF_KIND_ARRAY: return "an array";
    case BTF_KIND_STRUCT: return "a struct";
    case BTF_KIND_UNION: return "a union";
    case BTF_KIND_ENUM: return "an enum";
    case BTF_KIND_FUNC_PROTO: return "a function prototype";
    default: return "BTF kind " + std::to_string(btf_kind(t));
  }
}

[[noreturn]] void fail_map(const Diag& diag, const std::string& map, const std::string& what) {
  diag.fail_section(".maps", "map '" + map + "': " + what);
}

}  // namespace

Btf::Btf(std::span<const uint8_t> bytes, const Diag& diag) {
  if (bytes.size() > std::numeric_limits<uint32_t>::max()) {
    diag.fail_section(".BTF", "section is larger than 4 GiB");
  }
  CollectLibbpfWarnings collect;
  btf_ = btf__new(bytes.data(), static_cast<uint32_t>(bytes.size()));
  if (!btf_) {
    const int err = errno;
    std::string why = g_libbpf_warnings.empty() ? std::strerror(err) : g_libbpf_warnings;
    diag.fail_section(".BTF", "libbpf cannot parse the BTF: " + why);
  }
}

Btf::~Btf() { btf__free(btf_); }

std::string Btf::name_at(uint32_t offset) const {
  const char* s = btf__name_by_offset(btf_, offset);
  return s ? s : "";
}

std::vector<BtfMapDef> Btf::maps(const Diag& diag) const {
  std::vector<BtfMapDef> out;
  const int sec_id = btf__find_by_name_kind(btf_, ".maps", BTF_KIND_DATASEC);
  if (sec_id <= 0) return out;
  const btf_type* sec = btf__type_by_id(btf_, static_cast<uint32_t>(sec_id));
  const btf_var_secinfo* vars = btf_var_secinfos(sec);
  const uint16_t nvars = btf_vlen(sec);

  for (uint16_t v = 0; v < nvars; ++v) {
    const btf_type* var = btf__type_by_id(btf_, vars[v].type);
    if (!var || !btf_is_var(var)) {
      diag.fail_section(".BTF", "entry " + std::to_string(v) +
                                    " of DATASEC .maps is not a variable (BTF type " +
                                    std::to_string(vars[v].type) + ")");
    }
    BtfMapDef def;
    def.name = name_at(var->name_off);
    if (def.name.empty()) {
      diag.fail_section(".BTF", "entry " + std::to_string(v) + " of DATASEC .maps has no name");
    }
    auto fail = [&](const std::string& what) { fail_map(diag, def.name, what); };
    const btf_type* st = skip_mods(btf_, var->type);
    if (!st || !btf_is_struct(st)) {
      fail("its definition is " + kind_name(st) +
           ", not a struct (declare maps with libbpf's __uint/__type macros)");
    }
    const btf_member* members = btf_members(st);
    const uint16_t nmembers = btf_vlen(st);

    for (uint16_t m = 0; m < nmembers; ++m) {
      const std::string field = name_at(members[m].name_off);
      const uint32_t bit_off = btf_member_bit_offset(st, m);
      if (bit_off % 8 != 0 || btf_member_bitfield_size(st, m) != 0) {
        fail("field '" + field + "' is a bitfield");
      }
      // __uint(field, N): pointer to an array of N elements.
      auto as_uint = [&]() -> uint32_t {
        const btf_type* ptr = skip_mods(btf_, members[m].type);
        if (!ptr || !btf_is_ptr(ptr)) {
          fail("field '" + field + "' is " + kind_name(ptr) + ", not __uint(" + field + ", N)");
        }
        const btf_type* arr = btf__type_by_id(btf_, ptr->type);
        if (!arr || !btf_is_array(arr)) {
          fail("field '" + field + "' points to " + kind_name(arr) + ", not __uint(" + field +
               ", N)");
        }
        return btf_array(arr)->nelems;
      };
      // __type(field, T): pointer to T; the value is T's size.
      auto as_type_size = [&]() -> uint32_t {
        const btf_type* ptr = skip_mods(btf_, members[m].type);
        if (!ptr || !btf_is_ptr(ptr)) {
          fail("field '" + field + "' is " + kind_name(ptr) + ", not __type(" + field + ", T)");
        }
        const int64_t size = btf__resolve_size(btf_, ptr->type);
        if (size <= 0 || size > std::numeric_limits<uint32_t>::max()) {
          fail("the size of the type of field '" + field + "' cannot be resolved" +
               (size == 0 ? " (it is 0)" : ""));
        }
        return static_cast<uint32_t>(size);
      };
      auto set_size = [&](std::optional<uint32_t>& slot, uint32_t size, const char* what) {
        if (slot && *slot != size) {
          fail(std::string(what) + " is given twice and disagrees (" + std::to_string(*slot) +
               " and " + std::to_string(size) + ")");
        }
        slot = size;
      };

      if (field == "type") {
        def.type = as_uint();
      } else if (field == "max_entries") {
        def.max_entries = as_uint();
      } else if (field == "map_flags") {
        def.map_flags = as_uint();
      } else if (field == "key_size") {
        set_size(def.key_size, as_uint(), "key_size");
      } else if (field == "value_size") {
        set_size(def.value_size, as_uint(), "value_size");
      } else if (field == "key") {
        set_size(def.key_size, as_type_size(), "key size");
      } else if (field == "value") {
        set_size(def.value_size, as_type_size(), "value size");
      } else if (field == "numa_node" || field == "map_extra" || field == "pinning") {
        (void)as_uint();  // meaningful to the kernel only; checked for shape, then ignored
      } else if (field == "values") {
        const btf_type* arr = skip_mods(btf_, members[m].type);
        if (!arr || !btf_is_array(arr)) {
          fail("field 'values' is " + kind_name(arr) + ", not __array(values, T)");
        }
        const btf_type* elem = skip_mods(btf_, btf_array(arr)->type);
        if (!elem || !btf_is_ptr(elem)) {
          fail("field 'values' is an array of " + kind_name(elem) + ", not of pointers");
        }
        def.values_offset = bit_off / 8;
      } else {
        fail("unknown field '" + field + "'");
      }
    }
    out.push_back(std::move(def));
  }
  return out;
}

void check_no_core_relocations(const Section& ext, const Btf* btf, const Diag& diag) {
  const auto& b = ext.bytes;
  auto u32 = [&](size_t off) {
    uint32_t v;
    std::memcpy(&v, b.data() + off, 4);
    return v;
  };
  // struct btf_ext_header: magic u16, version u8, flags u8, hdr_len u32, then u32 offset/length
  // pairs for func_info, line_info and (when hdr_len >= 32) core_relo; offsets count from
  // the end of the header.
  if (b.size() < 8) diag.fail_section(ext.name, "truncated header (" + std::to_string(b.size()) + " bytes)");
  uint16_t magic;
  std::memcpy(&magic, b.data(), 2);
  if (magic != 0xeb9f) diag.fail_section(ext.name, "bad magic " + hex(magic) + " (expected 0xeb9f)");
  const uint32_t hdr_len = u32(4);
  if (hdr_len < 24 || hdr_len > b.size()) {
    diag.fail_section(ext.name, "header length " + std::to_string(hdr_len) +
                                    " is outside [24, section size " + std::to_string(b.size()) +
                                    "]");
  }
  if (hdr_len < 32) return;  // no core_relo fields: written before CO-RE existed
  const uint32_t off = u32(24), len = u32(28);
  if (len == 0) return;

  // Count the relocations for the message; fall back to the byte count if the table is odd.
  std::string detail = std::to_string(len) + " bytes of CO-RE relocation records";
  const uint64_t begin = uint64_t{hdr_len} + off, end = begin + len;
  if (end <= b.size() && len >= 4) {
    const uint32_t rec = u32(begin);
    uint64_t pos = begin + 4, count = 0;
    std::string first_section;
    while (rec > 0 && pos + 8 <= end) {
      const uint32_t name_off = u32(pos), n = u32(pos + 4);
      if (first_section.empty() && btf) first_section = btf->name_at(name_off);
      count += n;
      pos += 8 + uint64_t{n} * rec;
    }
    if (rec > 0 && pos == end) {
      detail = std::to_string(count) + " CO-RE relocation" + (count == 1 ? "" : "s");
      if (!first_section.empty()) detail += " (the first in section " + first_section + ")";
    }
  }
  diag.fail_section(ext.name, "the object has " + detail +
                                  "; CO-RE (BPF_CORE_READ, __builtin_preserve_access_index) is "
                                  "not supported: there are no kernel types to relocate against");
}

}  // namespace ebpf::elf
