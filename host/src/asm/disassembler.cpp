// Disassembler: prints the assembler's own syntax (asm_syntax.h), so that assembling the
// output gives back the same bytes. Anything that would not survive that trip (unknown
// encodings, reserved fields set, a broken lddw pair) is printed as `.raw 0x...`.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "asm_syntax.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

using asm_syntax::Field;
using asm_syntax::Kind;

std::string fmt(const char* f, auto... args) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, f, args...);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

std::string reg(uint8_t r) { return "%r" + std::to_string(r); }

// Small values in decimal, large ones as unsigned hex (both forms assemble back).
std::string imm32(int32_t v) {
  if (v >= -0xffff && v <= 0xffff) return std::to_string(v);
  return fmt("0x%" PRIx32, static_cast<uint32_t>(v));
}

std::string imm64(uint64_t v) {
  if (v <= 0xffff) return std::to_string(v);
  return fmt("0x%" PRIx64, v);
}

std::string rel(int64_t v) { return (v < 0 ? "" : "+") + std::to_string(v); }

std::string mem(uint8_t base, int16_t off) { return "[" + reg(base) + rel(off) + "]"; }

std::string raw_line(const Insn& insn) { return fmt(".raw 0x%016" PRIx64, insn.raw()); }

// Text for prog[index] per the form table, or nullopt when it must be printed raw.
std::optional<std::string> render(std::span<const Insn> prog, size_t index) {
  const Insn& insn = prog[index];
  const std::optional<Form> form = classify(insn);
  if (!form) return std::nullopt;
  const FormInfo& fi = form_info(*form);
  if (reserved_fields_nonzero(fi, insn, nullptr)) return std::nullopt;
  const auto sp = asm_syntax::spec(fi.format);
  const Insn* second = nullptr;
  if (sp.slots == 2) {
    if (index + 1 >= prog.size()) return std::nullopt;
    second = &prog[index + 1];
    if (second->opcode != 0 || second->regs != 0 || second->off != 0) return std::nullopt;
  }
  std::string text(fi.mnemonic);
  for (size_t k = 0; k < sp.count; ++k) {
    text += k == 0 ? " " : ", ";
    const auto& o = sp.ops[k];
    switch (o.field) {
      case Field::Dst: text += reg(insn.dst()); break;
      case Field::Src: text += reg(insn.src()); break;
      case Field::MemSrc: text += mem(insn.src(), insn.off); break;
      case Field::MemDst: text += mem(insn.dst(), insn.off); break;
      case Field::Imm: text += o.kind == Kind::Target32 ? rel(insn.imm) : imm32(insn.imm); break;
      case Field::Off: text += rel(insn.off); break;
      case Field::Wide: {
        const auto lo = static_cast<uint32_t>(insn.imm);
        const auto hi = static_cast<uint32_t>(second->imm);
        if (o.kind == Kind::MapRef) {
          if (hi != 0) return std::nullopt;  // map[I] has no second-slot value
          text += "map[" + std::to_string(lo) + "]";
        } else if (o.kind == Kind::MapValueRef) {
          text += "map_value[" + std::to_string(lo) + "]+" + std::to_string(hi);
        } else {
          text += imm64((static_cast<uint64_t>(hi) << 32) | lo);
        }
        break;
      }
    }
  }
  return text;
}

}  // namespace

std::string disassemble_one(std::span<const Insn> prog, size_t index, size_t* slots) {
  if (index >= prog.size()) throw Error("disassemble_one: index " + std::to_string(index) +
                                        " is outside the program (" +
                                        std::to_string(prog.size()) + " slots)");
  std::optional<std::string> text = render(prog, index);
  size_t n = 1;
  if (text) {
    // Belt and braces: only print what provably assembles back to these very slots.
    const Form f = *classify(prog[index]);
    n = asm_syntax::spec(form_info(f).format).slots;
    try {
      const std::vector<Insn> back = assemble(*text);
      if (back.size() != n || !std::equal(back.begin(), back.end(), prog.begin() + static_cast<ptrdiff_t>(index))) {
        text.reset();
      }
    } catch (const Error&) {
      text.reset();
    }
    if (!text) n = 1;
  }
  if (slots) *slots = n;
  return text ? *text : raw_line(prog[index]);
}

std::string disassemble(std::span<const Insn> prog, const DisasmOptions& opts) {
  std::string out;
  for (size_t i = 0; i < prog.size();) {
    size_t n = 1;
    const std::string text = disassemble_one(prog, i, &n);
    // With show_index, a two-slot lddw gets a continuation line for its second slot.
    const size_t lines = opts.show_index ? n : 1;
    for (size_t k = 0; k < lines; ++k) {
      if (opts.show_index) {
        const auto b = to_bytes(prog.subspan(i + k, 1));
        out += fmt("%5zu:  %02x %02x %02x %02x %02x %02x %02x %02x  ", i + k, b[0], b[1], b[2],
                   b[3], b[4], b[5], b[6], b[7]);
      }
      if (k == 0) out += text;
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
    }
    i += n;
  }
  return out;
}

}  // namespace ebpf
