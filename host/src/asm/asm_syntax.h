// Private to the assembler and disassembler: how each instruction Format maps its operands
// onto instruction fields. Both directions read this one table, so what the disassembler
// prints is by construction what the assembler parses.
#pragma once

#include <array>
#include <cstdint>

#include "ebpf_fpga/isa.h"

namespace ebpf::asm_syntax {

// What an operand looks like in the text.
enum class Kind : uint8_t {
  Reg,          // %rN
  Imm32,        // 5, -1, 0xffffffff
  Imm64,        // lddw immediate
  Mem,          // [%rN+off]
  Target16,     // +N / -N / label, stored in off
  Target32,     // +N / -N / label, stored in imm (ja32, call local)
  MapRef,       // map[I]
  MapValueRef,  // map_value[I]+OFF
};

// Where the operand's value goes.
enum class Field : uint8_t {
  Dst,     // register into dst
  Src,     // register into src
  Imm,     // imm of the first slot
  Off,     // off
  MemSrc,  // memory operand: base register into src, offset into off (loads)
  MemDst,  // memory operand: base register into dst, offset into off (stores, atomics)
  Wide,    // lddw: low half into the first slot's imm, high half into the second's
};

struct Operand {
  Kind kind;
  Field field;
};

struct FormatSpec {
  uint8_t count;  // number of operands
  std::array<Operand, 3> ops;
  uint8_t slots;  // 1, or 2 for lddw
};

inline constexpr FormatSpec spec(Format f) {
  using K = Kind;
  using F = Field;
  switch (f) {
    case Format::AluImm: return {2, {{{K::Reg, F::Dst}, {K::Imm32, F::Imm}}}, 1};
    case Format::AluReg: return {2, {{{K::Reg, F::Dst}, {K::Reg, F::Src}}}, 1};
    case Format::AluUnary: return {1, {{{K::Reg, F::Dst}}}, 1};
    case Format::Endian: return {1, {{{K::Reg, F::Dst}}}, 1};
    case Format::Ja: return {1, {{{K::Target16, F::Off}}}, 1};
    case Format::Ja32: return {1, {{{K::Target32, F::Imm}}}, 1};
    case Format::JmpImm:
      return {3, {{{K::Reg, F::Dst}, {K::Imm32, F::Imm}, {K::Target16, F::Off}}}, 1};
    case Format::JmpReg:
      return {3, {{{K::Reg, F::Dst}, {K::Reg, F::Src}, {K::Target16, F::Off}}}, 1};
    case Format::CallHelper: return {1, {{{K::Imm32, F::Imm}}}, 1};
    case Format::CallLocal: return {1, {{{K::Target32, F::Imm}}}, 1};
    case Format::CallX: return {1, {{{K::Reg, F::Dst}}}, 1};
    case Format::Exit: return {0, {}, 1};
    case Format::Lddw: return {2, {{{K::Reg, F::Dst}, {K::Imm64, F::Wide}}}, 2};
    case Format::LddwMap: return {2, {{{K::Reg, F::Dst}, {K::MapRef, F::Wide}}}, 2};
    case Format::LddwMapValue: return {2, {{{K::Reg, F::Dst}, {K::MapValueRef, F::Wide}}}, 2};
    case Format::Ldx: return {2, {{{K::Reg, F::Dst}, {K::Mem, F::MemSrc}}}, 1};
    case Format::St: return {2, {{{K::Mem, F::MemDst}, {K::Imm32, F::Imm}}}, 1};
    case Format::Stx: return {2, {{{K::Mem, F::MemDst}, {K::Reg, F::Src}}}, 1};
    case Format::Atomic: return {2, {{{K::Mem, F::MemDst}, {K::Reg, F::Src}}}, 1};
  }
  return {0, {}, 1};
}

}  // namespace ebpf::asm_syntax
