// eBPF instruction encoding and the instruction-form table (RFC 9669, cpu v4).
//
// Every consumer (assembler, disassembler, checker, interpreter, RTL tests) looks instructions
// up here, so an encoding fact lives in exactly one place: insn_table.def.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ebpf {

// One 8-byte instruction slot, in memory order on a little-endian host.
struct Insn {
  uint8_t opcode = 0;
  uint8_t regs = 0;  // dst in bits 3:0, src in bits 7:4
  int16_t off = 0;
  int32_t imm = 0;

  constexpr uint8_t dst() const { return regs & 0x0f; }
  constexpr uint8_t src() const { return regs >> 4; }
  static constexpr Insn make(uint8_t opcode, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
    return Insn{opcode, static_cast<uint8_t>((dst & 0x0f) | (src << 4)), off, imm};
  }
  // The slot as the 64-bit little-endian word that holds it (bpf_conformance "raw" format).
  uint64_t raw() const;
  static Insn from_raw(uint64_t word);
  friend constexpr bool operator==(const Insn&, const Insn&) = default;
};
static_assert(sizeof(Insn) == 8, "an instruction slot is 8 bytes");

// Encoding constants (RFC 9669 section 3/4); used to build insn_table.def and by the RTL tests.
namespace op {
inline constexpr uint8_t kClsLd = 0x00, kClsLdx = 0x01, kClsSt = 0x02, kClsStx = 0x03,
                         kClsAlu = 0x04, kClsJmp = 0x05, kClsJmp32 = 0x06, kClsAlu64 = 0x07;
inline constexpr uint8_t kSrcK = 0x00, kSrcX = 0x08;
inline constexpr uint8_t kModeImm = 0x00, kModeAbs = 0x20, kModeInd = 0x40, kModeMem = 0x60,
                         kModeMemSx = 0x80, kModeAtomic = 0xc0;
inline constexpr uint8_t kSizeW = 0x00, kSizeH = 0x08, kSizeB = 0x10, kSizeDw = 0x18;
inline constexpr int32_t kAtomicFetch = 0x01;
inline constexpr uint8_t kLddw = 0x18;
inline constexpr uint8_t kMaxReg = 10;  // r10 is the read-only frame pointer
constexpr uint8_t cls(uint8_t opcode) { return opcode & 0x07; }
}  // namespace op

// Which extra field distinguishes instruction forms sharing an opcode byte.
enum class Match : uint8_t { None, Off, Imm, Src };

// Operand syntax of a form; the assembler parses and the disassembler prints exactly this.
enum class Format : uint8_t {
  AluImm,        // add %r0, 5
  AluReg,        // add %r0, %r1
  AluUnary,      // neg %r0
  Endian,        // be16 %r0
  Ja,            // ja +3 / ja label
  Ja32,          // ja32 +3 (target in imm)
  JmpImm,        // jeq %r1, 5, +2
  JmpReg,        // jeq %r1, %r2, +2
  CallHelper,    // call 5
  CallLocal,     // call local +3 / call local label
  CallX,         // call %r2 (helper ID in the register)
  Exit,          // exit
  Lddw,          // lddw %r0, 0x1122334455667788
  LddwMap,       // lddw %r1, map[3]         (src=1: handle of map 3)
  LddwMapValue,  // lddw %r1, map_value[3]+8 (src=2: address of map 3's value + 8)
  Ldx,           // ldxw %r0, [%r1+4]
  St,            // stw [%r1+4], 7
  Stx,           // stxw [%r1+4], %r2
  Atomic,        // lock fetch add [%r1+0], %r2
};

// Reserved-field bits: a set bit means that field must be zero in this form.
enum ZeroFields : uint8_t { Z_NONE = 0, Z_DST = 1, Z_SRC = 2, Z_OFF = 4, Z_IMM = 8 };

// bpf_conformance / RFC 9669 conformance groups.
enum Group : uint8_t {
  base32 = 1 << 0,
  base64 = 1 << 1,
  atomic32 = 1 << 2,
  atomic64 = 1 << 3,
  divmul32 = 1 << 4,
  divmul64 = 1 << 5,
  callx = 1 << 6,
  packet = 1 << 7,
};
std::string_view group_name(Group g);

// One enumerator per instruction form, in table order; the interpreter dispatches on it.
enum class Form : uint8_t {
#define X(NAME, OPCODE, MATCH, MVAL, MNEM, FMT, ZERO, GROUP, CPU) NAME,
#include "ebpf_fpga/insn_table.def"
#undef X
  kCount
};

struct FormInfo {
  Form form;
  std::string_view name;  // enumerator name, e.g. "ADD64_IMM"
  uint8_t opcode;
  Match match;
  int32_t match_value;
  std::string_view mnemonic;  // bpf_conformance assembler mnemonic
  Format format;
  uint8_t zero_fields;  // ZeroFields mask
  Group group;
  uint8_t cpu_version;
};

// The whole table, in Form order.
std::span<const FormInfo> forms();
const FormInfo& form_info(Form f);

// Finds the form of an instruction; nullopt for an unknown opcode or a reserved
// discriminator value (e.g. an atomic imm that names no operation).
std::optional<Form> classify(const Insn& insn);

// True when any field reserved by the form is non-zero (and says which one in *field).
bool reserved_fields_nonzero(const FormInfo& info, const Insn& insn, std::string_view* field);

// Whether the form writes its dst register (used to refuse writes to r10).
bool writes_dst(Form f);

// Little-endian byte (de)serialisation of instruction slots.
std::vector<uint8_t> to_bytes(std::span<const Insn> prog);
// Requires size % 8 == 0; throws ebpf::Error naming the byte offset otherwise.
std::vector<Insn> from_bytes(std::span<const uint8_t> bytes);

}  // namespace ebpf
