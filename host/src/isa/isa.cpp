// Instruction-form table and encoding helpers (see insn_table.def).
#include "ebpf_fpga/isa.h"

#include <bit>
#include <cstring>

#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

constexpr FormInfo kForms[] = {
#define X(NAME, OPCODE, MATCH, MVAL, MNEM, FMT, ZERO, GROUP, CPU)                        \
  FormInfo{Form::NAME, #NAME, OPCODE, Match::MATCH, MVAL, MNEM, Format::FMT,          \
           static_cast<uint8_t>(ZERO), GROUP, CPU},
#include "ebpf_fpga/insn_table.def"
#undef X
};
static_assert(std::size(kForms) == static_cast<size_t>(Form::kCount));

// Per opcode byte: the first form with that opcode and how many forms share it. The table
// is grouped so that forms sharing an opcode need not be adjacent; we scan them all.
struct OpcodeIndex {
  std::array<std::array<uint8_t, 16>, 256> forms{};
  std::array<uint8_t, 256> count{};
  constexpr OpcodeIndex() {
    for (size_t i = 0; i < std::size(kForms); ++i) {
      const uint8_t opc = kForms[i].opcode;
      forms[opc][count[opc]++] = static_cast<uint8_t>(i);
    }
  }
};
constexpr OpcodeIndex kIndex{};

int32_t match_field(Match m, const Insn& insn) {
  switch (m) {
    case Match::Off: return insn.off;
    case Match::Imm: return insn.imm;
    case Match::Src: return insn.src();
    case Match::None: break;
  }
  return 0;
}

}  // namespace

uint64_t Insn::raw() const { return std::bit_cast<uint64_t>(*this); }

Insn Insn::from_raw(uint64_t word) { return std::bit_cast<Insn>(word); }

std::string_view group_name(Group g) {
  switch (g) {
    case base32: return "base32";
    case base64: return "base64";
    case atomic32: return "atomic32";
    case atomic64: return "atomic64";
    case divmul32: return "divmul32";
    case divmul64: return "divmul64";
    case callx: return "callx";
    case packet: return "packet";
  }
  return "?";
}

std::span<const FormInfo> forms() { return kForms; }

const FormInfo& form_info(Form f) { return kForms[static_cast<size_t>(f)]; }

std::optional<Form> classify(const Insn& insn) {
  const uint8_t n = kIndex.count[insn.opcode];
  for (uint8_t k = 0; k < n; ++k) {
    const FormInfo& fi = kForms[kIndex.forms[insn.opcode][k]];
    if (fi.match == Match::None || match_field(fi.match, insn) == fi.match_value) return fi.form;
  }
  return std::nullopt;
}

bool reserved_fields_nonzero(const FormInfo& info, const Insn& insn, std::string_view* field) {
  auto bad = [&](std::string_view name) {
    if (field) *field = name;
    return true;
  };
  if ((info.zero_fields & Z_DST) && insn.dst() != 0) return bad("dst");
  if ((info.zero_fields & Z_SRC) && insn.src() != 0) return bad("src");
  if ((info.zero_fields & Z_OFF) && insn.off != 0) return bad("offset");
  if ((info.zero_fields & Z_IMM) && insn.imm != 0) return bad("imm");
  return false;
}

bool writes_dst(Form f) {
  switch (form_info(f).format) {
    case Format::AluImm:
    case Format::AluReg:
    case Format::AluUnary:
    case Format::Endian:
    case Format::Lddw:
    case Format::LddwMap:
    case Format::LddwMapValue:
    case Format::Ldx:
      return true;
    default:
      return false;
  }
}

std::vector<uint8_t> to_bytes(std::span<const Insn> prog) {
  std::vector<uint8_t> out(prog.size() * sizeof(Insn));
  for (size_t i = 0; i < prog.size(); ++i) {
    const uint64_t w = prog[i].raw();
    std::memcpy(out.data() + i * sizeof(Insn), &w, sizeof w);
  }
  return out;
}

std::vector<Insn> from_bytes(std::span<const uint8_t> bytes) {
  if (bytes.size() % sizeof(Insn) != 0) {
    throw Error("program is " + std::to_string(bytes.size()) +
                " bytes, not a multiple of 8: truncated instruction at byte offset " +
                std::to_string(bytes.size() - bytes.size() % sizeof(Insn)));
  }
  std::vector<Insn> out(bytes.size() / sizeof(Insn));
  for (size_t i = 0; i < out.size(); ++i) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i * sizeof(Insn), sizeof w);
    out[i] = Insn::from_raw(w);
  }
  return out;
}

}  // namespace ebpf
