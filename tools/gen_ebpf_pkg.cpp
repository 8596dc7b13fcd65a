// Prints rtl/pkg/ebpf_pkg.sv: the template rtl/pkg/ebpf_pkg.sv.in with its @GENERATED_ISA@
// line replaced by the ISA facts taken from the C++ side (the instruction-form table, the
// encoding constants, the fault codes, the address map and the helper table). The RTL thus
// decodes exactly the forms the interpreter and the checker know, with the same numbers.
//   gen_ebpf_pkg [TEMPLATE] > rtl/pkg/ebpf_pkg.sv
// A CTest runs it and fails when the checked-in package differs from its output.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/isa.h"

#ifndef EBPF_PKG_TEMPLATE
#define EBPF_PKG_TEMPLATE "rtl/pkg/ebpf_pkg.sv.in"
#endif

namespace {

using ebpf::Format;
using ebpf::FormInfo;
using ebpf::Match;

constexpr std::string_view kMarker = "// @GENERATED_ISA@";

std::string upper(std::string_view s) {
  std::string out;
  for (char c : s) {
    out += c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// ADD64_IMM -> Add64Imm, JA -> Ja.
std::string camel(std::string_view s) {
  std::string out;
  bool start = true;
  for (char c : s) {
    if (c == '_') {
      start = true;
      continue;
    }
    const auto uc = static_cast<unsigned char>(c);
    out += static_cast<char>(start ? std::toupper(uc) : std::tolower(uc));
    start = false;
  }
  return out;
}

std::string hex(uint64_t v, int bits) {
  char buf[40];
  const int digits = (bits + 3) / 4;
  std::snprintf(buf, sizeof buf, "%d'h%0*llx", bits, digits, static_cast<unsigned long long>(v));
  return buf;
}

std::string dec(uint64_t v, int bits) {
  return std::to_string(bits) + "'d" + std::to_string(v);
}

const char* format_enum(Format f) {
  switch (f) {
    case Format::AluImm: return "FMT_ALU_IMM";
    case Format::AluReg: return "FMT_ALU_REG";
    case Format::AluUnary: return "FMT_ALU_UNARY";
    case Format::Endian: return "FMT_ENDIAN";
    case Format::Ja: return "FMT_JA";
    case Format::Ja32: return "FMT_JA32";
    case Format::JmpImm: return "FMT_JMP_IMM";
    case Format::JmpReg: return "FMT_JMP_REG";
    case Format::CallHelper: return "FMT_CALL_HELPER";
    case Format::CallLocal: return "FMT_CALL_LOCAL";
    case Format::CallX: return "FMT_CALLX";
    case Format::Exit: return "FMT_EXIT";
    case Format::Lddw: return "FMT_LDDW";
    case Format::LddwMap: return "FMT_LDDW_MAP";
    case Format::LddwMapValue: return "FMT_LDDW_MAP_VALUE";
    case Format::Ldx: return "FMT_LDX";
    case Format::St: return "FMT_ST";
    case Format::Stx: return "FMT_STX";
    case Format::Atomic: return "FMT_ATOMIC";
  }
  return "FMT_NONE";
}

constexpr Format kAllFormats[] = {
    Format::AluImm,  Format::AluReg,     Format::AluUnary,   Format::Endian,
    Format::Ja,      Format::Ja32,       Format::JmpImm,     Format::JmpReg,
    Format::CallHelper, Format::CallLocal, Format::CallX,   Format::Exit,
    Format::Lddw,    Format::LddwMap,    Format::LddwMapValue, Format::Ldx,
    Format::St,      Format::Stx,        Format::Atomic,
};

void section(std::ostream& o, std::string_view title) {
  const std::string line(title.size() + 6, '/');
  o << "  " << line << "\n  // " << title << " //\n  " << line << "\n\n";
}

// A field match of the C++ classify(), as an SV condition.
std::string match_cond(const FormInfo& fi) {
  switch (fi.match) {
    case Match::Off:
      return "off == " + hex(static_cast<uint16_t>(fi.match_value), 16);
    case Match::Imm:
      return "imm == " + hex(static_cast<uint32_t>(fi.match_value), 32);
    case Match::Src:
      return "src == " + hex(static_cast<uint32_t>(fi.match_value) & 0xf, 4);
    case Match::None:
      break;
  }
  return "1'b1";
}

void emit_encoding(std::ostream& o) {
  using namespace ebpf::op;
  section(o, "Encoding fields (RFC 9669)");
  o << "  // Instruction class: opcode bits 2:0.\n"
    << "  typedef enum logic [2:0] {\n";
  const std::pair<const char*, uint8_t> classes[] = {
      {"CLS_LD", kClsLd},   {"CLS_LDX", kClsLdx}, {"CLS_ST", kClsSt},       {"CLS_STX", kClsStx},
      {"CLS_ALU", kClsAlu}, {"CLS_JMP", kClsJmp}, {"CLS_JMP32", kClsJmp32}, {"CLS_ALU64", kClsAlu64},
  };
  for (size_t i = 0; i < std::size(classes); ++i) {
    o << "    " << classes[i].first << " = " << hex(classes[i].second, 3)
      << (i + 1 < std::size(classes) ? ",\n" : "\n");
  }
  o << "  } insn_class_e;\n\n";

  o << "  // Operand source of ALU and JMP classes: opcode bit 3.\n"
    << "  localparam logic SrcK = 1'b" << (kSrcK >> 3) << ";\n"
    << "  localparam logic SrcX = 1'b" << (kSrcX >> 3) << ";\n\n";

  o << "  // Load/store mode: opcode bits 7:5.\n  typedef enum logic [2:0] {\n";
  const std::pair<const char*, uint8_t> modes[] = {
      {"MODE_IMM", kModeImm}, {"MODE_ABS", kModeAbs},     {"MODE_IND", kModeInd},
      {"MODE_MEM", kModeMem}, {"MODE_MEMSX", kModeMemSx}, {"MODE_ATOMIC", kModeAtomic},
  };
  for (size_t i = 0; i < std::size(modes); ++i) {
    o << "    " << modes[i].first << " = " << hex(modes[i].second >> 5, 3)
      << (i + 1 < std::size(modes) ? ",\n" : "\n");
  }
  o << "  } mem_mode_e;\n\n";

  o << "  // Load/store size: opcode bits 4:3.\n  typedef enum logic [1:0] {\n";
  const std::pair<const char*, uint8_t> sizes[] = {
      {"SIZE_W", kSizeW}, {"SIZE_H", kSizeH}, {"SIZE_B", kSizeB}, {"SIZE_DW", kSizeDw}};
  for (size_t i = 0; i < std::size(sizes); ++i) {
    o << "    " << sizes[i].first << " = " << hex(sizes[i].second >> 3, 2)
      << (i + 1 < std::size(sizes) ? ",\n" : "\n");
  }
  o << "  } mem_size_e;\n\n";

  // ALU and JMP operation codes: the upper opcode nibble of the forms of those classes.
  std::map<unsigned, std::string> alu_ops, jmp_ops;
  for (const FormInfo& fi : ebpf::forms()) {
    const uint8_t cls = ebpf::op::cls(fi.opcode);
    const unsigned code = fi.opcode >> 4;
    if (cls == kClsAlu64 || cls == kClsAlu) {
      std::string name = fi.format == Format::Endian ? "END" : upper(fi.name.substr(0, fi.name.find_first_of("0123456789")));
      alu_ops.emplace(code, name);  // first form wins: DIV before SDIV, MOV before MOVSX
    } else if (cls == kClsJmp || cls == kClsJmp32) {
      std::string name = upper(fi.mnemonic.substr(0, fi.mnemonic.find_first_of(" 0123456789")));
      if (fi.format == Format::CallHelper || fi.format == Format::CallLocal ||
          fi.format == Format::CallX) {
        name = "CALL";
      }
      jmp_ops.emplace(code, name);
    }
  }
  o << "  // ALU operation: opcode bits 7:4 of the ALU and ALU64 classes.\n"
    << "  typedef enum logic [3:0] {\n";
  size_t k = 0;
  for (const auto& [code, name] : alu_ops) {
    o << "    ALU_" << name << " = " << hex(code, 4) << (++k < alu_ops.size() ? ",\n" : "\n");
  }
  o << "  } alu_op_e;\n\n";
  o << "  // Jump operation: opcode bits 7:4 of the JMP and JMP32 classes.\n"
    << "  typedef enum logic [3:0] {\n";
  k = 0;
  for (const auto& [code, name] : jmp_ops) {
    o << "    JMP_" << (name.rfind("J", 0) == 0 && name != "JA" ? name.substr(1) : name)
      << " = " << hex(code, 4) << (++k < jmp_ops.size() ? ",\n" : "\n");
  }
  o << "  } jmp_op_e;\n\n";

  o << "  // Atomic operation: the imm field of the atomic forms (bit 0 = fetch).\n";
  o << "  localparam logic [31:0] AtomicFetch = " << hex(kAtomicFetch, 32) << ";\n";
  for (const FormInfo& fi : ebpf::forms()) {
    if (fi.format != Format::Atomic || ebpf::op::cls(fi.opcode) != kClsStx ||
        fi.name.rfind("ATOMIC64_", 0) != 0) {
      continue;
    }
    o << "  localparam logic [31:0] Atomic" << camel(fi.name.substr(9)) << " = "
      << hex(static_cast<uint32_t>(fi.match_value), 32) << ";\n";
  }
  o << "\n  // Registers: r0-r9 general purpose, r10 the read-only frame pointer.\n"
    << "  localparam int unsigned NumRegs = " << (kMaxReg + 1) << ";\n"
    << "  localparam logic [3:0] MaxReg = " << dec(kMaxReg, 4) << ";\n"
    << "  localparam logic [3:0] RegFp = " << dec(kMaxReg, 4) << ";\n\n";
}

void emit_forms(std::ostream& o) {
  const auto all = ebpf::forms();
  section(o, "Instruction forms (insn_table.def)");
  o << "  // Opcode byte of each form (forms told apart by another field share it).\n";
  for (const FormInfo& fi : all) {
    o << "  localparam logic [7:0] Opc" << camel(fi.name) << " = " << hex(fi.opcode, 8) << ";\n";
  }
  o << "\n  // One value per form, in table order; FORM_INVALID for what classify() refuses.\n"
    << "  localparam int unsigned NumForms = " << all.size() << ";\n"
    << "  typedef enum logic [7:0] {\n";
  for (const FormInfo& fi : all) {
    o << "    FORM_" << fi.name << " = " << dec(static_cast<unsigned>(fi.form), 8) << ",\n";
  }
  o << "    FORM_INVALID = 8'd255\n  } form_e;\n\n";

  o << "  // Operand syntax of a form (ebpf::Format).\n  typedef enum logic [4:0] {\n";
  for (size_t i = 0; i < std::size(kAllFormats); ++i) {
    o << "    " << format_enum(kAllFormats[i]) << " = " << dec(i, 5)
      << (i + 1 < std::size(kAllFormats) ? ",\n" : "\n");
  }
  o << "  } format_e;\n\n";

  o << "  // Reserved fields (ebpf::ZeroFields) a form requires to be zero.\n"
    << "  localparam logic [3:0] ZeroDst = 4'b" << "0001" << ";\n"
    << "  localparam logic [3:0] ZeroSrc = 4'b0010;\n"
    << "  localparam logic [3:0] ZeroOff = 4'b0100;\n"
    << "  localparam logic [3:0] ZeroImm = 4'b1000;\n\n";
  static_assert(ebpf::Z_DST == 1 && ebpf::Z_SRC == 2 && ebpf::Z_OFF == 4 && ebpf::Z_IMM == 8);

  // classify(): the same search as ebpf::classify(), as a case on the opcode byte.
  o << "  // ebpf::classify(): the form of a slot, FORM_INVALID for an unknown opcode or a\n"
    << "  // discriminator (off, imm or src) that names no form.\n"
    << "  function automatic form_e classify(logic [7:0] opcode, logic [3:0] src,\n"
    << "                                     logic [15:0] off, logic [31:0] imm);\n"
    << "    form_e form;\n"
    << "    form = FORM_INVALID;\n"
    << "    unique case (opcode)\n";
  std::map<unsigned, std::vector<const FormInfo*>> by_opcode;
  for (const FormInfo& fi : all) by_opcode[fi.opcode].push_back(&fi);
  for (const auto& [opc, list] : by_opcode) {
    if (list.size() == 1 && list[0]->match == Match::None) {
      o << "      " << hex(opc, 8) << ": form = FORM_" << list[0]->name << ";\n";
      continue;
    }
    o << "      " << hex(opc, 8) << ": begin\n";
    for (size_t i = 0; i < list.size(); ++i) {
      o << "        " << (i ? "else if" : "if") << " (" << match_cond(*list[i])
        << ") form = FORM_" << list[i]->name << ";\n";
    }
    o << "      end\n";
  }
  o << "      default: form = FORM_INVALID;\n"
    << "    endcase\n"
    << "    return form;\n"
    << "  endfunction\n\n";

  auto per_form = [&](const char* ret, const char* fname, const char* what, const char* dflt,
                      auto value_of) {
    o << "  // " << what << "\n"
      << "  function automatic " << ret << " " << fname << "(form_e form);\n"
      << "    " << ret << " v;\n"
      << "    unique case (form)\n";
    // Group forms by value so the case stays short.
    std::map<std::string, std::vector<std::string>> groups;
    std::vector<std::string> order;
    for (const FormInfo& fi : all) {
      std::string v = value_of(fi);
      if (!groups.count(v)) order.push_back(v);
      groups[v].push_back("FORM_" + std::string(fi.name));
    }
    for (const auto& v : order) {
      const auto& names = groups[v];
      o << "      ";
      size_t col = 6;
      for (size_t i = 0; i < names.size(); ++i) {
        const std::string item = names[i] + (i + 1 < names.size() ? "," : ":");
        if (i > 0 && col + 1 + item.size() > 98) {
          o << "\n      ";
          col = 6;
        } else if (i > 0) {
          o << ' ';
          ++col;
        }
        o << item;
        col += item.size();
      }
      o << "\n        v = " << v << ";\n";
    }
    o << "      default: v = " << dflt << ";\n"
      << "    endcase\n"
      << "    return v;\n"
      << "  endfunction\n\n";
  };
  per_form("format_e", "form_format", "ebpf::FormInfo::format of a form.", "FMT_EXIT",
           [](const FormInfo& fi) { return std::string(format_enum(fi.format)); });
  per_form("logic [3:0]", "form_zero_fields",
           "ebpf::FormInfo::zero_fields: Zero* bits of the fields that must be 0.", "4'b0000",
           [](const FormInfo& fi) {
             std::string bits;
             for (int b = 3; b >= 0; --b) bits += (fi.zero_fields >> b) & 1 ? '1' : '0';
             return "4'b" + bits;
           });
  per_form("logic", "form_writes_dst", "ebpf::writes_dst(): the form writes its dst register.", "1'b0",
           [](const FormInfo& fi) {
             return std::string(ebpf::writes_dst(fi.form) ? "1'b1" : "1'b0");
           });
  per_form("logic [2:0]", "form_cpu_version", "ebpf::FormInfo::cpu_version of a form.", "3'd0",
           [](const FormInfo& fi) { return dec(fi.cpu_version, 3); });
}

void emit_faults(std::ostream& o) {
  section(o, "Faults (ebpf::FaultCode, same numbers)");
  o << "  typedef enum logic [7:0] {\n";
  for (unsigned c = 0;; ++c) {
    const auto code = static_cast<ebpf::FaultCode>(c);
    const std::string_view name = ebpf::fault_name(code);
    if (name == "unknown") break;
    const auto next = static_cast<ebpf::FaultCode>(c + 1);
    o << "    FAULT_" << upper(name) << " = " << dec(c, 8)
      << (ebpf::fault_name(next) == "unknown" ? "\n" : ",\n");
  }
  o << "  } fault_e;\n\n";
}

void emit_address_map(std::ostream& o) {
  namespace a = ebpf::addr;
  section(o, "Address map (address_map.h, contracts.md section 2)");
  o << "  // Region tag: the upper 32 bits of a pointer; the lower 32 bits are the offset.\n";
  const std::pair<const char*, uint64_t> regions[] = {
      {"RegionStack", a::kRegionStack},         {"RegionCtx", a::kRegionCtx},
      {"RegionPacket", a::kRegionPacket},       {"RegionMapHandle", a::kRegionMapHandle},
      {"RegionMapValue", a::kRegionMapValue},
  };
  for (const auto& [name, v] : regions) {
    o << "  localparam logic [31:0] " << name << " = " << hex(v, 32) << ";\n";
  }
  o << "\n";
  const std::pair<const char*, uint64_t> pointers[] = {
      {"StackBase", a::kStackBase},   {"FramePointer", a::kFramePointer},
      {"CtxBase", a::kCtxBase},       {"PacketBase", a::kPacketBase},
      {"MapHandleBase", a::kMapHandleBase}, {"MapValueBase", a::kMapValueBase},
      {"DefaultBudget", a::kDefaultBudget},
  };
  for (const auto& [name, v] : pointers) {
    o << "  localparam logic [63:0] " << name << " = " << hex(v, 64) << ";\n";
  }
  o << "\n";
  const std::pair<const char*, uint64_t> sizes[] = {
      {"StackFrameSize", a::kStackFrameSize}, {"MaxFrames", a::kMaxFrames},
      {"StackSize", a::kStackSize},           {"CtxSize", a::kCtxSize},
      {"CtxData", a::kCtxData},               {"CtxDataEnd", a::kCtxDataEnd},
      {"CtxDataMeta", a::kCtxDataMeta},       {"CtxIngressIfindex", a::kCtxIngressIfindex},
      {"CtxRxQueueIndex", a::kCtxRxQueueIndex}, {"PacketHeadroom", a::kPacketHeadroom},
      {"PacketMaxFrame", a::kPacketMaxFrame}, {"PacketTailroom", a::kPacketTailroom},
      {"PacketBufferSize", a::kPacketBufferSize}, {"MaxMaps", a::kMaxMaps},
  };
  for (const auto& [name, v] : sizes) {
    o << "  localparam int unsigned " << name << " = " << v << ";\n";
  }
  o << "\n";
}

void emit_helpers(std::ostream& o) {
  section(o, "Helpers (helpers.h, Linux IDs) and XDP actions (contracts.md section 3)");
  for (const auto& h : ebpf::helpers()) {
    o << "  localparam logic [63:0] Helper" << camel(h.name) << " = "
      << dec(static_cast<uint64_t>(h.id), 64) << ";\n";
  }
  o << "\n  typedef enum logic [31:0] {\n"
    << "    XDP_ABORTED  = 32'd0,\n    XDP_DROP     = 32'd1,\n    XDP_PASS     = 32'd2,\n"
    << "    XDP_TX       = 32'd3,\n    XDP_REDIRECT = 32'd4\n  } xdp_action_e;\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string tpl_path = argc > 1 ? argv[1] : EBPF_PKG_TEMPLATE;
  std::ifstream in(tpl_path);
  if (!in) {
    std::fprintf(stderr, "gen_ebpf_pkg: cannot read template %s\n", tpl_path.c_str());
    return 1;
  }
  std::ostringstream gen;
  gen << "  // ---- GENERATED by tools/gen_ebpf_pkg.cpp from the C++ ISA table: do not edit ----\n\n";
  emit_encoding(gen);
  emit_forms(gen);
  emit_faults(gen);
  emit_address_map(gen);
  emit_helpers(gen);
  gen << "\n  // ---- end of GENERATED ----";

  std::string line;
  bool replaced = false;
  std::ostringstream out;
  while (std::getline(in, line)) {
    const auto pos = line.find(kMarker);
    if (pos != std::string::npos && !replaced) {
      out << gen.str() << "\n";
      replaced = true;
    } else {
      out << line << "\n";
    }
  }
  if (!replaced) {
    std::fprintf(stderr, "gen_ebpf_pkg: %s has no '%s' line\n", tpl_path.c_str(),
                 std::string(kMarker).c_str());
    return 1;
  }
  std::fputs(out.str().c_str(), stdout);
  return 0;
}
