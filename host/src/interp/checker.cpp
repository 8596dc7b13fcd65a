// Load-time checker (see checker.h). Each rule produces one CheckIssue naming the slot.
#include "ebpf_fpga/checker.h"

#include <cstdio>

#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"

namespace ebpf {
namespace {

std::string hex8(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v & 0xffu);
  return buf;
}

bool is_legacy_packet_load(uint8_t opcode) {
  const uint8_t mode = opcode & 0xe0;
  return op::cls(opcode) == op::kClsLd && (mode == op::kModeAbs || mode == op::kModeInd);
}

// Formats that read a register from the src field.
bool uses_src_reg(Format f) {
  return f == Format::AluReg || f == Format::JmpReg || f == Format::Ldx || f == Format::Stx ||
         f == Format::Atomic;
}

// Formats that name a register in the dst field (as destination or as base/operand).
bool uses_dst_reg(Format f) {
  switch (f) {
    case Format::Ja:
    case Format::Ja32:
    case Format::CallHelper:
    case Format::CallLocal:
    case Format::Exit:
      return false;
    default:
      return true;
  }
}

// Relative control transfer of a form, if any: the slot offset from the next slot.
std::optional<int64_t> branch_offset(const FormInfo& fi, const Insn& insn) {
  switch (fi.format) {
    case Format::Ja:
    case Format::JmpImm:
    case Format::JmpReg:
      return insn.off;
    case Format::Ja32:
    case Format::CallLocal:
      return insn.imm;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<std::string> encoding_problems(const Insn& insn, Form form) {
  std::vector<std::string> out;
  const FormInfo& fi = form_info(form);
  std::string_view field;
  if (reserved_fields_nonzero(fi, insn, &field)) {
    out.push_back("reserved field " + std::string(field) + " of " + std::string(fi.mnemonic) +
                  " must be 0");
  }
  if (uses_dst_reg(fi.format) && insn.dst() > op::kMaxReg) {
    out.push_back("register r" + std::to_string(insn.dst()) + " does not exist (r0-r10)");
  }
  if (uses_src_reg(fi.format) && insn.src() > op::kMaxReg) {
    out.push_back("register r" + std::to_string(insn.src()) + " does not exist (r0-r10)");
  }
  if (writes_dst(form) && insn.dst() == 10) {
    out.push_back(std::string(fi.mnemonic) + " writes r10, the read-only frame pointer");
  }
  if (fi.format == Format::Atomic && (insn.imm & op::kAtomicFetch) && insn.src() == 10 &&
      form != Form::ATOMIC32_CMPXCHG && form != Form::ATOMIC64_CMPXCHG) {
    out.push_back(std::string(fi.mnemonic) + " fetches into r10, the read-only frame pointer");
  }
  if ((fi.format == Format::LddwMap || fi.format == Format::LddwMapValue) &&
      static_cast<uint32_t>(insn.imm) >= addr::kMaxMaps) {
    out.push_back("map index " + std::to_string(static_cast<uint32_t>(insn.imm)) +
                  " is out of range (at most " + std::to_string(addr::kMaxMaps) + " maps)");
  }
  return out;
}

std::vector<CheckIssue> check_program(std::span<const Insn> prog, const CheckOptions& opts) {
  std::vector<CheckIssue> issues;
  const auto n = static_cast<int64_t>(prog.size());
  auto add = [&](int64_t i, std::string reason) {
    issues.push_back({static_cast<uint32_t>(i), std::move(reason)});
  };
  if (prog.empty()) {
    add(0, "program is empty (it needs at least an exit instruction)");
    return issues;
  }
  if (prog.size() > opts.max_slots) {
    add(0, "program has " + std::to_string(prog.size()) + " slots, more than the limit of " +
               std::to_string(opts.max_slots));
    return issues;
  }

  // Pass 1: which slots are the second half of an lddw (not valid jump targets).
  std::vector<bool> second_slot(prog.size(), false);
  for (int64_t i = 0; i < n; ++i) {
    if (prog[i].opcode == op::kLddw && classify(prog[i])) {
      if (i + 1 < n) second_slot[i + 1] = true;
      ++i;
    }
  }

  // Form of the last instruction seen (kCount after an undecodable one).
  Form last_form = Form::kCount;
  for (int64_t i = 0; i < n; ++i) {
    const Insn& insn = prog[i];
    const auto form = classify(insn);
    if (!form) {
      if (is_legacy_packet_load(insn.opcode)) {
        add(i, "legacy packet load (BPF_LD | BPF_ABS/BPF_IND, opcode " + hex8(insn.opcode) +
                   ") is not supported: use direct packet access through ctx->data");
      } else if (insn.opcode == op::kLddw) {
        add(i, "lddw with src " + std::to_string(insn.src()) +
                   " (pseudo kind) is not supported: only 0 (imm64), 1 (map) and 2 (map value)");
      } else if (insn.opcode == 0xc3 || insn.opcode == 0xdb) {
        add(i, "atomic " + hex8(insn.opcode) + " has imm " + std::to_string(insn.imm) +
                   ", which names no atomic operation");
      } else if (insn.opcode == 0xd4 || insn.opcode == 0xdc || insn.opcode == 0xd7) {
        add(i, "byte swap " + hex8(insn.opcode) + " has width " + std::to_string(insn.imm) +
                   "; it must be 16, 32 or 64");
      } else if (insn.opcode == 0x85) {
        add(i, "call with src " + std::to_string(insn.src()) +
                   " is not supported (0 = helper, 1 = local function)");
      } else {
        bool opcode_known = false;
        for (const FormInfo& fi : forms()) opcode_known |= fi.opcode == insn.opcode;
        if (opcode_known) {
          add(i, "opcode " + hex8(insn.opcode) + " with offset " + std::to_string(insn.off) +
                     " is not a defined instruction");
        } else {
          add(i, "unknown opcode " + hex8(insn.opcode));
        }
      }
      last_form = Form::kCount;
      continue;
    }
    const FormInfo& fi = form_info(*form);
    last_form = *form;

    if (fi.cpu_version > opts.cpu_version) {
      add(i, std::string(fi.mnemonic) + " needs cpu v" + std::to_string(fi.cpu_version) +
                 " (checking for v" + std::to_string(opts.cpu_version) + ")");
    }
    for (std::string& reason : encoding_problems(insn, *form)) add(i, std::move(reason));
    if (fi.format == Format::CallHelper && !find_helper(insn.imm)) {
      add(i, "unknown helper ID " + std::to_string(insn.imm));
    }
    if (const auto rel = branch_offset(fi, insn)) {
      const int64_t target = i + 1 + *rel;
      if (target < 0 || target >= n) {
        add(i, "jump target " + std::to_string(target) + " is outside the program (" +
                   std::to_string(n) + " slots)");
      } else if (second_slot[target]) {
        add(i, "jump target " + std::to_string(target) + " is the second slot of the lddw at " +
                   std::to_string(target - 1));
      }
    }
    if (fi.opcode == op::kLddw) {
      if (i + 1 >= n) {
        add(i, "lddw is truncated: its second slot is missing");
      } else {
        const Insn& hi = prog[i + 1];
        if (hi.opcode != 0 || hi.regs != 0 || hi.off != 0) {
          add(i + 1, "second slot of lddw must have opcode, registers and offset 0");
        }
      }
      ++i;  // skip the second slot
    }
  }
  if (last_form != Form::kCount && last_form != Form::EXIT && last_form != Form::JA &&
      last_form != Form::JA32) {
    add(n - 1, "the program can fall off its end: the last instruction must be exit or ja");
  }
  return issues;
}

void check_program_or_throw(std::span<const Insn> prog, const CheckOptions& opts) {
  const auto issues = check_program(prog, opts);
  if (issues.empty()) return;
  std::string msg;
  for (const auto& is : issues) {
    if (!msg.empty()) msg += "; ";
    msg += "instruction " + std::to_string(is.index) + ": " + is.reason;
  }
  throw Error(msg);
}

}  // namespace ebpf
