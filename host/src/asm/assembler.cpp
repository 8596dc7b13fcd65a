// Assembler for the bpf_conformance syntax. Every instruction is built from the form table
// (forms()): a mnemonic names one or more forms, the operands' shapes pick one, and the
// format's operand spec (asm_syntax.h) says which fields receive the values.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "asm_syntax.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

using asm_syntax::Field;
using asm_syntax::Kind;

// ---------------------------------------------------------------------------------------
// Mnemonic index
// ---------------------------------------------------------------------------------------

struct MnemonicIndex {
  std::unordered_map<std::string, std::vector<const FormInfo*>> by_name;
  size_t max_words = 1;

  MnemonicIndex() {
    for (const FormInfo& fi : forms()) add(std::string(fi.mnemonic), fi);
    // Aliases: the 64-bit ALU forms may carry an explicit "64" suffix (add64, mov64, neg64),
    // the byte swaps may be spelled bswap16/32/64 (as in part of the bpf_conformance corpus),
    // and xchg/cmpxchg, which always fetch, may say so (lock fetch xchg).
    for (const FormInfo& fi : forms()) {
      const std::string m(fi.mnemonic);
      const bool alu_form = fi.format == Format::AluImm || fi.format == Format::AluReg ||
                            fi.format == Format::AluUnary;
      if (alu_form && op::cls(fi.opcode) == op::kClsAlu64 && !m.ends_with("64")) {
        add(m + "64", fi);
      }
      if (fi.format == Format::Endian && m.starts_with("swap")) add("b" + m, fi);
      if (fi.format == Format::Atomic && (m.starts_with("lock xchg") ||
                                          m.starts_with("lock cmpxchg"))) {
        add("lock fetch " + m.substr(5), fi);
      }
    }
  }

  void add(const std::string& name, const FormInfo& fi) {
    by_name[name].push_back(&fi);
    max_words = std::max(max_words, static_cast<size_t>(std::count(name.begin(), name.end(), ' ')) + 1);
  }

  const std::vector<const FormInfo*>* find(const std::string& name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &it->second;
  }
};

const MnemonicIndex& mnemonic_index() {
  static const MnemonicIndex index;
  return index;
}

// ---------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------

enum class TokKind { Ident, Reg, Number, Punct, End };

struct Token {
  TokKind kind;
  std::string_view text;
  int col;  // 1-based
};

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits one line (comment already allowed anywhere: '#' ends the line). Always ends with End.
std::vector<Token> tokenize(std::string_view line) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = line.size();
  size_t end_col = n;
  while (i < n) {
    const char c = line[i];
    if (c == '#') {
      end_col = i;
      break;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    const size_t start = i;
    TokKind kind;
    if (c == '%') {
      ++i;
      while (i < n && ident_char(line[i])) ++i;
      kind = TokKind::Reg;
    } else if (is_digit(c) || ((c == '+' || c == '-') && i + 1 < n && is_digit(line[i + 1]))) {
      ++i;
      while (i < n && std::isalnum(static_cast<unsigned char>(line[i]))) ++i;
      kind = TokKind::Number;
    } else if (ident_start(c)) {
      while (i < n && ident_char(line[i])) ++i;
      kind = TokKind::Ident;
    } else {
      ++i;
      kind = TokKind::Punct;
    }
    out.push_back({kind, line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  // Column of "end of line": just after the last non-blank character before any comment.
  while (end_col > 0 && std::isspace(static_cast<unsigned char>(line[end_col - 1]))) --end_col;
  out.push_back({TokKind::End, {}, static_cast<int>(end_col) + 1});
  return out;
}

std::string describe(const Token& t) {
  if (t.kind == TokKind::End) return "end of line";
  return "'" + std::string(t.text) + "'";
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

struct Number {
  bool negative = false;
  bool hex = false;
  uint64_t magnitude = 0;
};

std::optional<Number> parse_number(std::string_view s) {
  Number num;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    num.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    num.hex = true;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (v > (UINT64_MAX - d) / base) return std::nullopt;  // overflow
    v = v * base + d;
  }
  num.magnitude = v;
  return num;
}

// 32-bit immediate: decimal must fit int32 (as bpf_conformance's negative tests require),
// hex may use the whole unsigned range 0..0xffffffff (and is then reinterpreted).
std::optional<int32_t> to_imm32(const Number& n) {
  if (n.negative) {
    if (n.magnitude > 0x80000000ull) return std::nullopt;
    return static_cast<int32_t>(-static_cast<int64_t>(n.magnitude));
  }
  if (n.magnitude > (n.hex ? 0xffffffffull : 0x7fffffffull)) return std::nullopt;
  return static_cast<int32_t>(static_cast<uint32_t>(n.magnitude));
}

std::optional<uint64_t> to_imm64(const Number& n) {
  if (n.negative) {
    if (n.magnitude > 0x8000000000000000ull) return std::nullopt;
    return ~n.magnitude + 1;
  }
  return n.magnitude;
}

// 16-bit offset: -32768..65535; 32768..65535 wrap to negative values as in bpf_conformance.
std::optional<int16_t> to_off16(const Number& n) {
  if (n.negative) {
    if (n.magnitude > 0x8000) return std::nullopt;
    return static_cast<int16_t>(-static_cast<int32_t>(n.magnitude));
  }
  if (n.magnitude > 0xffff) return std::nullopt;
  return static_cast<int16_t>(static_cast<uint16_t>(n.magnitude));
}

std::optional<uint32_t> to_u32(const Number& n) {
  if (n.negative || n.magnitude > 0xffffffffull) return std::nullopt;
  return static_cast<uint32_t>(n.magnitude);
}

std::string_view kind_description(Kind k) {
  switch (k) {
    case Kind::Reg: return "a register (%r0..%r10)";
    case Kind::Imm32: return "a 32-bit immediate";
    case Kind::Imm64: return "a 64-bit immediate";
    case Kind::Mem: return "a memory operand [%rN+offset]";
    case Kind::Target16:
    case Kind::Target32: return "a jump target (+N, -N or a label)";
    case Kind::MapRef: return "map[INDEX]";
    case Kind::MapValueRef: return "map_value[INDEX]+OFFSET";
  }
  return "an operand";
}

// Whether a token can start an operand of kind k.
bool token_fits(Kind k, const Token& t, const Token& next) {
  switch (k) {
    case Kind::Reg: return t.kind == TokKind::Reg;
    case Kind::Imm32:
    case Kind::Imm64: return t.kind == TokKind::Number;
    case Kind::Mem: return t.kind == TokKind::Punct && t.text == "[";
    case Kind::Target16:
    case Kind::Target32:
      return (t.kind == TokKind::Number && (t.text[0] == '+' || t.text[0] == '-')) ||
             (t.kind == TokKind::Ident && !(next.kind == TokKind::Punct && next.text == "["));
    case Kind::MapRef:
      return t.kind == TokKind::Ident && t.text == "map" && next.text == "[";
    case Kind::MapValueRef:
      return t.kind == TokKind::Ident && t.text == "map_value" && next.text == "[";
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// The assembler proper
// ---------------------------------------------------------------------------------------

struct Fixup {
  size_t slot;           // instruction to patch
  Field field;           // Off or Imm
  std::string label;
  int line, col;
  std::string token;     // as written, for messages
};

class Assembler {
 public:
  Assembler(std::string_view text, const AsmOptions& opts) : text_(text), opts_(opts) {}

  std::vector<Insn> run() {
    size_t pos = 0;
    int line_no = opts_.first_line;
    while (pos <= text_.size()) {
      size_t eol = text_.find('\n', pos);
      if (eol == std::string_view::npos) eol = text_.size();
      std::string_view line = text_.substr(pos, eol - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      line_ = line_no;
      assemble_line(line);
      pos = eol + 1;
      ++line_no;
    }
    resolve_fixups();
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(int line, int col, const std::string& msg) const {
    throw Error(opts_.source_name + ":" + std::to_string(line) + ":" + std::to_string(col) +
                ": " + msg);
  }
  [[noreturn]] void fail_at(const Token& t, const std::string& expected) const {
    fail(line_, t.col, expected + ", got " + describe(t));
  }

  const Token& tok(size_t i) const { return toks_[std::min(i, toks_.size() - 1)]; }

  void assemble_line(std::string_view line) {
    toks_ = tokenize(line);
    if (toks_[0].kind == TokKind::End) return;  // blank or comment-only line

    // label:
    if (toks_[0].kind == TokKind::Ident && tok(1).kind == TokKind::Punct && tok(1).text == ":") {
      define_label(toks_[0]);
      if (tok(2).kind != TokKind::End) {
        fail_at(tok(2), "expected end of line after label '" + std::string(toks_[0].text) + ":'");
      }
      return;
    }
    if (toks_[0].kind != TokKind::Ident) fail_at(toks_[0], "expected an instruction mnemonic");

    // .raw 0xWORD
    if (toks_[0].text == ".raw") {
      const Token& t = tok(1);
      std::optional<Number> n;
      if (t.kind == TokKind::Number) n = parse_number(t.text);
      std::optional<uint64_t> word = n ? to_imm64(*n) : std::nullopt;
      if (!word) fail_at(t, "expected a 64-bit instruction word after '.raw'");
      if (tok(2).kind != TokKind::End) fail_at(tok(2), "expected end of line");
      out_.push_back(Insn::from_raw(*word));
      return;
    }

    // The mnemonic is the longest run of leading words the table knows ("lock fetch add").
    const MnemonicIndex& index = mnemonic_index();
    size_t words = 0;
    while (words < index.max_words && tok(words).kind == TokKind::Ident) ++words;
    const std::vector<const FormInfo*>* candidates = nullptr;
    std::string mnemonic;
    for (size_t k = words; k > 0 && !candidates; --k) {
      mnemonic.clear();
      for (size_t w = 0; w < k; ++w) {
        if (w) mnemonic += ' ';
        mnemonic += toks_[w].text;
      }
      candidates = index.find(mnemonic);
      if (candidates) words = k;
    }
    if (!candidates) {
      if (toks_[0].text == "lock") {
        const Token& t = tok(1).text == "fetch" ? tok(2) : tok(1);
        fail_at(t, "expected an atomic operation after 'lock' (add, and, or, xor, xchg, "
                   "cmpxchg, with an optional 32 suffix)");
      }
      fail_at(toks_[0], "expected an instruction mnemonic");
    }
    assemble_operands(mnemonic, *candidates, words);
  }

  void define_label(const Token& t) {
    const std::string name(t.text);
    auto [it, inserted] = labels_.emplace(name, LabelDef{out_.size(), line_});
    if (!inserted) {
      fail(line_, t.col, "expected a label name not defined before (first defined at line " +
                             std::to_string(it->second.line) + "), got '" + name + "'");
    }
  }

  struct Operands {
    uint8_t regs[3] = {0, 0, 0};
    int64_t value[3] = {0, 0, 0};  // immediates, offsets, targets, map index
    int16_t mem_off[3] = {0, 0, 0};
    uint32_t map_extra[3] = {0, 0, 0};  // map_value offset
    std::optional<std::pair<std::string, size_t>> label[3];  // label name, token index
  };

  void assemble_operands(const std::string& mnemonic, const std::vector<const FormInfo*>& all,
                         size_t first) {
    std::vector<const FormInfo*> live = all;
    Operands ops;
    size_t i = first;  // token index
    size_t n = 0;      // operands parsed
    while (true) {
      const Token& t = tok(i);
      if (t.kind == TokKind::End) {
        std::vector<const FormInfo*> done;
        for (const FormInfo* fi : live) {
          if (asm_syntax::spec(fi->format).count == n) done.push_back(fi);
        }
        if (done.empty()) {
          fail_at(t, std::string(n == 0 ? "expected " : "expected ',' and ") +
                         std::string(expected_kinds(live, n)) + " for '" + mnemonic + "'");
        }
        emit(*done.front(), ops, n);
        return;
      }
      if (n > 0) {
        // Between operands: a comma, and at least one form taking another operand.
        const bool more = has_operand(live, n);
        if (!(t.kind == TokKind::Punct && t.text == ",")) {
          fail_at(t, more ? "expected ',' or end of line" : "expected end of line");
        }
        if (!more) fail_at(t, "expected end of line ('" + mnemonic + "' takes " +
                                  std::to_string(n) + " operand" + (n == 1 ? "" : "s") + ")");
        ++i;
      }
      const Token& ot = tok(i);
      if (!has_operand(live, n)) {
        fail_at(ot, "expected end of line ('" + mnemonic + "' takes no operands)");
      }
      std::vector<const FormInfo*> fit;
      for (const FormInfo* fi : live) {
        const auto sp = asm_syntax::spec(fi->format);
        if (sp.count > n && token_fits(sp.ops[n].kind, ot, tok(i + 1))) fit.push_back(fi);
      }
      if (fit.empty()) fail_at(ot, "expected " + expected_kinds(live, n));
      live = std::move(fit);
      const Kind kind = asm_syntax::spec(live.front()->format).ops[n].kind;
      i = parse_operand(kind, i, ops, n);
      ++n;
    }
  }

  static bool has_operand(const std::vector<const FormInfo*>& live, size_t n) {
    return std::any_of(live.begin(), live.end(), [n](const FormInfo* fi) {
      return asm_syntax::spec(fi->format).count > n;
    });
  }

  static std::string expected_kinds(const std::vector<const FormInfo*>& live, size_t n) {
    std::vector<std::string_view> kinds;
    for (const FormInfo* fi : live) {
      const auto sp = asm_syntax::spec(fi->format);
      if (sp.count <= n) continue;
      const std::string_view d = kind_description(sp.ops[n].kind);
      if (std::find(kinds.begin(), kinds.end(), d) == kinds.end()) kinds.push_back(d);
    }
    std::string s;
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (k) s += k + 1 == kinds.size() ? " or " : ", ";
      s += kinds[k];
    }
    return s.empty() ? "end of line" : s;
  }

  uint8_t parse_register(const Token& t) const {
    const std::string_view s = t.text;
    bool ok = t.kind == TokKind::Reg && s.size() >= 3 && s.size() <= 4 && s[1] == 'r';
    unsigned v = 0;
    for (size_t k = 2; ok && k < s.size(); ++k) {
      if (!is_digit(s[k])) ok = false;
      else v = v * 10 + static_cast<unsigned>(s[k] - '0');
    }
    if (ok && s.size() == 4 && s[2] == '0') ok = false;  // no leading zeros
    if (!ok || v > 15) fail_at(t, "expected a register (%r0..%r10; %r11..%r15 for negative tests)");
    return static_cast<uint8_t>(v);
  }

  Number number(const Token& t, const std::string& expected) const {
    std::optional<Number> n;
    if (t.kind == TokKind::Number) n = parse_number(t.text);
    if (!n) fail_at(t, "expected " + expected);
    return *n;
  }

  // Parses operand n of the given kind starting at token i; returns the next token index.
  size_t parse_operand(Kind kind, size_t i, Operands& ops, size_t n) {
    const Token& t = tok(i);
    switch (kind) {
      case Kind::Reg:
        ops.regs[n] = parse_register(t);
        return i + 1;
      case Kind::Imm32: {
        static const std::string what =
            "a 32-bit immediate (decimal -2147483648..2147483647 or hex 0x0..0xffffffff)";
        auto v = to_imm32(number(t, what));
        if (!v) fail_at(t, "expected " + what);
        ops.value[n] = *v;
        return i + 1;
      }
      case Kind::Imm64: {
        static const std::string what =
            "a 64-bit immediate (-9223372036854775808..18446744073709551615)";
        auto v = to_imm64(number(t, what));
        if (!v) fail_at(t, "expected " + what);
        ops.value[n] = static_cast<int64_t>(*v);
        return i + 1;
      }
      case Kind::Target16:
      case Kind::Target32: {
        if (t.kind == TokKind::Ident) {
          ops.label[n] = std::make_pair(std::string(t.text), i);
          return i + 1;
        }
        const Number num = number(t, "a jump target (+N, -N or a label)");
        if (kind == Kind::Target16) {
          auto v = to_off16(num);
          if (!v) fail_at(t, "expected a jump offset in -32768..32767");
          ops.value[n] = *v;
        } else {
          auto v = to_imm32(num);
          if (!v) fail_at(t, "expected a jump offset in -2147483648..2147483647");
          ops.value[n] = *v;
        }
        return i + 1;
      }
      case Kind::Mem: {
        // [ %rN ] | [ %rN +off ] | [ %rN + off ]
        ++i;
        ops.regs[n] = parse_register(tok(i));
        ++i;
        const Token* ot = &tok(i);
        if (ot->kind == TokKind::Punct && ot->text == "]") {
          ops.mem_off[n] = 0;
          return i + 1;
        }
        std::optional<Number> num;
        const Token* shown = ot;
        if (ot->kind == TokKind::Number && (ot->text[0] == '+' || ot->text[0] == '-')) {
          num = parse_number(ot->text);
        } else if (ot->kind == TokKind::Punct && (ot->text == "+" || ot->text == "-") &&
                   tok(i + 1).kind == TokKind::Number && tok(i + 1).text[0] != '+' &&
                   tok(i + 1).text[0] != '-') {
          num = parse_number(tok(i + 1).text);
          if (num && ot->text == "-") num->negative = true;
          ++i;
          shown = &tok(i);
        } else {
          fail_at(*ot, "expected '+offset', '-offset' or ']' after the base register");
        }
        std::optional<int16_t> off = num ? to_off16(*num) : std::nullopt;
        if (!off) fail_at(*shown, "expected a memory offset in -32768..65535");
        ops.mem_off[n] = *off;
        ++i;
        if (!(tok(i).kind == TokKind::Punct && tok(i).text == "]")) {
          fail_at(tok(i), "expected ']' to close the memory operand");
        }
        return i + 1;
      }
      case Kind::MapRef:
      case Kind::MapValueRef: {
        i += 2;  // "map" "["
        const Token& it = tok(i);
        auto idx = to_u32(number(it, "a map index (0..4294967295)"));
        if (!idx) fail_at(it, "expected a map index (0..4294967295)");
        ops.value[n] = *idx;
        ++i;
        if (!(tok(i).kind == TokKind::Punct && tok(i).text == "]")) {
          fail_at(tok(i), "expected ']' after the map index");
        }
        ++i;
        ops.map_extra[n] = 0;
        if (kind == Kind::MapValueRef) {
          const Token& pt = tok(i);
          std::optional<uint32_t> off;
          if (pt.kind == TokKind::Number && pt.text[0] == '+') {
            if (auto num = parse_number(pt.text)) off = to_u32(*num);
            if (!off) fail_at(pt, "expected a map value offset +0..+4294967295");
            ops.map_extra[n] = *off;
            ++i;
          } else if (pt.kind == TokKind::Punct && pt.text == "+") {
            const Token& vt = tok(i + 1);
            if (vt.kind == TokKind::Number && vt.text[0] != '+' && vt.text[0] != '-') {
              if (auto num = parse_number(vt.text)) off = to_u32(*num);
            }
            if (!off) fail_at(vt, "expected a map value offset 0..4294967295 after '+'");
            ops.map_extra[n] = *off;
            i += 2;
          }
        }
        return i;
      }
    }
    return i + 1;
  }

  void emit(const FormInfo& fi, const Operands& ops, size_t count) {
    const auto sp = asm_syntax::spec(fi.format);
    Insn insn;
    insn.opcode = fi.opcode;
    uint8_t dst = 0, src = 0;
    Insn second{};
    switch (fi.match) {
      case Match::Off: insn.off = static_cast<int16_t>(fi.match_value); break;
      case Match::Imm: insn.imm = fi.match_value; break;
      case Match::Src: src = static_cast<uint8_t>(fi.match_value); break;
      case Match::None: break;
    }
    const size_t slot = out_.size();
    for (size_t k = 0; k < count; ++k) {
      const auto& o = sp.ops[k];
      switch (o.field) {
        case Field::Dst: dst = ops.regs[k]; break;
        case Field::Src: src = ops.regs[k]; break;
        case Field::MemSrc:
          src = ops.regs[k];
          insn.off = ops.mem_off[k];
          break;
        case Field::MemDst:
          dst = ops.regs[k];
          insn.off = ops.mem_off[k];
          break;
        case Field::Imm:
        case Field::Off:
          if (ops.label[k]) {
            const Token& lt = toks_[ops.label[k]->second];
            fixups_.push_back({slot, o.field, ops.label[k]->first, line_, lt.col,
                               std::string(lt.text)});
          } else if (o.field == Field::Imm) {
            insn.imm = static_cast<int32_t>(ops.value[k]);
          } else {
            insn.off = static_cast<int16_t>(ops.value[k]);
          }
          break;
        case Field::Wide: {
          if (o.kind == Kind::Imm64) {
            const auto v = static_cast<uint64_t>(ops.value[k]);
            insn.imm = static_cast<int32_t>(static_cast<uint32_t>(v));
            second.imm = static_cast<int32_t>(static_cast<uint32_t>(v >> 32));
          } else {
            insn.imm = static_cast<int32_t>(static_cast<uint32_t>(ops.value[k]));
            second.imm = static_cast<int32_t>(ops.map_extra[k]);
          }
          break;
        }
      }
    }
    insn.regs = static_cast<uint8_t>((dst & 0x0f) | (src << 4));
    out_.push_back(insn);
    if (sp.slots == 2) out_.push_back(second);
    if (fi.format == Format::Exit && !first_exit_) first_exit_ = slot;
  }

  void resolve_fixups() {
    for (const Fixup& f : fixups_) {
      size_t target;
      auto it = labels_.find(f.label);
      if (it != labels_.end()) {
        target = it->second.slot;
      } else if (f.label == "exit" && first_exit_) {
        target = *first_exit_;
      } else {
        fail(f.line, f.col, "expected a defined label, got '" + f.token + "'");
      }
      const int64_t dist = static_cast<int64_t>(target) - static_cast<int64_t>(f.slot) - 1;
      if (f.field == Field::Off) {
        if (dist < INT16_MIN || dist > INT16_MAX) {
          fail(f.line, f.col,
               "expected a jump target within -32768..32767 slots, got '" + f.token + "' (" +
                   std::to_string(dist) + " slots away)");
        }
        out_[f.slot].off = static_cast<int16_t>(dist);
      } else {
        if (dist < INT32_MIN || dist > INT32_MAX) {
          fail(f.line, f.col, "expected a call target within 32 bits, got '" + f.token + "'");
        }
        out_[f.slot].imm = static_cast<int32_t>(dist);
      }
    }
  }

  struct LabelDef {
    size_t slot;
    int line;
  };

  std::string_view text_;
  const AsmOptions& opts_;
  int line_ = 0;
  std::vector<Token> toks_;
  std::vector<Insn> out_;
  std::map<std::string, LabelDef> labels_;
  std::vector<Fixup> fixups_;
  std::optional<size_t> first_exit_;
};

}  // namespace

std::vector<Insn> assemble(std::string_view text, const AsmOptions& opts) {
  return Assembler(text, opts).run();
}

}  // namespace ebpf
