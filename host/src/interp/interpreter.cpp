// The reference interpreter (golden model).
//
// Speed comes from decoding once at load: each slot becomes a DecodedInsn holding its form
// index, registers, sign-extended immediate and absolute jump target, and run() dispatches
// with direct threading (GCC/Clang computed goto) over the decoded array. Semantics follow
// RFC 9669 and Linux; the fault model follows contracts.md section 2 (see address_map.h).
//
// Several programs (tail-call targets) are decoded into one array, each followed by a sentinel
// slot; jumps never leave their program. Helpers live in helpers_impl.cpp, maps in MapStore.
#include <algorithm>
#include <cstring>

#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/interp.h"
#include "interp_internal.h"

namespace ebpf {
namespace {

constexpr uint16_t kOpInvalid = static_cast<uint16_t>(Form::kCount);  // checker would refuse
constexpr uint16_t kOpOutside = kOpInvalid + 1;  // sentinel slot after each program
constexpr uint32_t kBadTarget = UINT32_MAX;      // a jump or call leaving its program

struct DecodedInsn {
  uint16_t op = kOpInvalid;  // Form index, or kOpInvalid / kOpOutside
  uint8_t dst = 0;
  uint8_t src = 0;
  uint32_t target = 0;  // slot in code_ of a jump/call target, or kBadTarget
  uint64_t imm = 0;     // imm sign-extended to 64 bits; lddw: the full 64-bit value
  int64_t off = 0;      // memory offset, sign-extended
};

struct Frame {
  uint32_t return_pc;  // slot in code_
  uint32_t prog;       // program to return to (a tail call may have replaced the callee)
  uint64_t saved[4];   // r6-r9
  uint64_t r10;
};

class Interpreter final : public Engine {
 public:
  std::string_view name() const override { return "interp"; }
  void load(std::span<const Insn> prog, const LoadOptions& opts) override;
  void load_programs(std::span<const std::vector<Insn>> progs, size_t entry,
                     const LoadOptions& opts) override;
  RunResult run(MemoryImage& mem, const RunOptions& opts) override;
  void configure_maps(std::span<const MapSpec> specs, const MapOptions& opts) override;
  MapAccess* maps() override { return &maps_; }

 private:
  void load_all(std::span<const std::span<const Insn>> progs, size_t entry,
                const LoadOptions& opts);

  std::vector<DecodedInsn> code_;   // each program's slots, then a kOpOutside sentinel
  std::vector<uint32_t> prog_base_;  // slot in code_ where each program starts
  uint32_t entry_ = 0;
  MapStore maps_;
  std::vector<MapStore::Region> regions_;  // what region 0x1000 + i maps to
  std::vector<uint32_t> ringbuf_bytes_;     // per map, for ringbuf_output in one run
  bool has_ringbuf_ = false;
  uint64_t prandom_state_ = 0;
};

// Whether the slot, taken alone, is something the checker accepts (unchecked-mode decode).
bool slot_is_valid(std::span<const Insn> prog, size_t i, Form f) {
  if (!encoding_problems(prog[i], f).empty()) return false;
  if (form_info(f).opcode == op::kLddw) {
    if (i + 1 >= prog.size()) return false;
    const Insn& hi = prog[i + 1];
    if (hi.opcode != 0 || hi.regs != 0 || hi.off != 0) return false;
  }
  return true;
}

void Interpreter::load(std::span<const Insn> prog, const LoadOptions& opts) {
  const std::span<const Insn> one[] = {prog};
  load_all(one, 0, opts);
}

void Interpreter::load_programs(std::span<const std::vector<Insn>> progs, size_t entry,
                                const LoadOptions& opts) {
  std::vector<std::span<const Insn>> spans(progs.begin(), progs.end());
  load_all(spans, entry, opts);
}

void Interpreter::load_all(std::span<const std::span<const Insn>> progs, size_t entry,
                           const LoadOptions& opts) {
  if (entry >= progs.size()) {
    throw Error("entry program " + std::to_string(entry) + " is out of range (" +
                std::to_string(progs.size()) + " programs)");
  }
  size_t total = 0;
  for (size_t k = 0; k < progs.size(); ++k) {
    const std::string who = progs.size() > 1 ? "program " + std::to_string(k) + ": " : "";
    try {
      if (opts.check) {
        check_program_or_throw(progs[k], CheckOptions{.cpu_version = opts.cpu_version});
      } else if (progs[k].empty()) {
        throw Error("program is empty (it needs at least an exit instruction)");
      }
    } catch (const Error& e) {
      throw Error(who + e.what());
    }
    total += progs[k].size() + 1;
  }
  if (total >= kBadTarget) throw Error("programs too large");

  // Nothing below throws: decode in place, reusing the arrays of the previous load.
  std::vector<DecodedInsn>& code = code_;
  code.assign(total, DecodedInsn{});
  std::vector<uint32_t>& bases = prog_base_;
  bases.clear();
  uint32_t b = 0;
  for (const auto prog : progs) {
    bases.push_back(b);
    const size_t n = prog.size();
    code[b + n].op = kOpOutside;
    // A jump or call target inside this program, as a slot of code_.
    auto target = [&](size_t i, int64_t rel) {
      const int64_t t = static_cast<int64_t>(i) + 1 + rel;
      return t >= 0 && t < static_cast<int64_t>(n) ? b + static_cast<uint32_t>(t) : kBadTarget;
    };
    for (size_t i = 0; i < n; ++i) {
      const Insn& insn = prog[i];
      DecodedInsn& d = code[b + i];
      const auto form = classify(insn);
      if (!form || !slot_is_valid(prog, i, *form)) continue;  // stays kOpInvalid
      const FormInfo& fi = form_info(*form);
      d.op = static_cast<uint16_t>(*form);
      d.dst = insn.dst();
      d.src = insn.src();
      d.off = insn.off;
      d.imm = static_cast<uint64_t>(static_cast<int64_t>(insn.imm));
      switch (fi.format) {
        case Format::Ja:
        case Format::JmpImm:
        case Format::JmpReg:
          d.target = target(i, insn.off);
          break;
        case Format::Ja32:
        case Format::CallLocal:
          d.target = target(i, insn.imm);
          break;
        case Format::Lddw:
          d.imm = static_cast<uint32_t>(insn.imm) |
                  (static_cast<uint64_t>(static_cast<uint32_t>(prog[i + 1].imm)) << 32);
          break;
        case Format::LddwMap:
          d.imm = addr::map_handle(static_cast<uint32_t>(insn.imm));
          break;
        case Format::LddwMapValue:
          d.imm = addr::map_value(static_cast<uint32_t>(insn.imm),
                                  static_cast<uint32_t>(prog[i + 1].imm));
          break;
        default:
          break;
      }
    }
    b += static_cast<uint32_t>(n + 1);
  }
  entry_ = static_cast<uint32_t>(entry);
  prandom_state_ = prandom_seed_state(opts.prandom_seed);
}

void Interpreter::configure_maps(std::span<const MapSpec> specs, const MapOptions& opts) {
  MapStore store;
  store.configure(specs, opts);
  maps_ = std::move(store);
  regions_.clear();
  has_ringbuf_ = false;
  for (uint32_t i = 0; i < maps_.map_count(); ++i) {
    regions_.push_back(maps_.region(i));
    has_ringbuf_ |= maps_.spec(i).type == MapType::kRingbuf;
  }
  ringbuf_bytes_.assign(maps_.map_count(), 0);
}

template <typename T>
T load_le(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
void store_le(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

RunResult Interpreter::run(MemoryImage& mem, const RunOptions& opts) {
  RunResult res;
  if (code_.empty()) throw Error("interp: run() called before load()");
  if (mem.stack.size() < addr::kStackSize || mem.packet.size() < addr::kPacketBufferSize) {
    throw Error("interp: memory image has the wrong size");
  }
  if (opts.cpu >= maps_.cores()) {
    throw Error("interp: cpu " + std::to_string(opts.cpu) + " does not exist (" +
                std::to_string(maps_.cores()) + " cores configured by configure_maps)");
  }

  uint64_t reg[11] = {};
  Frame frames[addr::kMaxFrames];
  uint32_t depth = 0;
  uint64_t count = 0;
  const uint64_t budget = opts.budget;
  const DecodedInsn* const base = code_.data();
  const uint32_t n = static_cast<uint32_t>(code_.size());
  uint32_t cur_prog = entry_;
  uint32_t cur_base = prog_base_[entry_];
  const DecodedInsn* pc = base + cur_base;

  uint8_t* const stack = mem.stack.data();
  uint8_t* const packet = mem.packet.data();
  uint64_t stack_hi = addr::kStackFrameSize;  // grows with call depth
  uint64_t pkt_lo = mem.data_meta;            // moved by the adjust helpers
  uint64_t pkt_hi = mem.data_end;
  const MapStore::Region* const regions = regions_.data();
  const auto nregions = static_cast<uint32_t>(regions_.size());
  interp::Translator tr{stack, stack_hi, packet, pkt_lo, pkt_hi, regions, nregions};

  if (has_ringbuf_) std::fill(ringbuf_bytes_.begin(), ringbuf_bytes_.end(), 0u);
  interp::HelperEnv env;  // every field set here (no zeroing of the whole struct)
  env.regs = reg;
  env.mem = &mem;
  env.tr = &tr;
  env.maps = &maps_;
  env.instructions = 0;
  env.cpu = opts.cpu;
  env.prandom = &prandom_state_;
  env.program_count = prog_base_.size();
  env.result = &res;
  env.redirect.tgt_index = 0;
  env.redirect.has_map = false;
  env.redirect.map = 0;
  env.redirect.ifindex = 0;
  env.redirect.flags = 0;
  env.event_bytes = 0;
  env.ringbuf_bytes = ringbuf_bytes_.data();
  env.fault = FaultCode::kNone;
  env.tail_target = 0;

  if (mem.has_ctx) {
    reg[1] = addr::kCtxBase;
  } else {
    reg[1] = addr::kPacketBase + mem.data;
    reg[2] = mem.data_end - mem.data;
  }
  reg[10] = addr::kFramePointer;

  FaultCode fault = FaultCode::kNone;
  uint32_t fault_pc = 0;

  // Address translation. Returns nullptr when the access is not allowed (fault set).
  auto xlate = [&](uint64_t a, uint64_t size, bool write) -> uint8_t* {
    return interp::translate(a, size, write, fault, stack, stack_hi, packet, pkt_lo, pkt_hi,
                             regions, nregions);
  };
  // ctx loads: only 4-byte loads of the defined xdp_md fields.
  auto ctx_load = [&](uint64_t a, uint64_t size, uint64_t* out) -> bool {
    const uint64_t off = addr::offset_of(a);
    if (size == 4 && mem.has_ctx) {
      switch (off) {
        case addr::kCtxData: *out = addr::kPacketBase + mem.data; return true;
        case addr::kCtxDataEnd: *out = addr::kPacketBase + mem.data_end; return true;
        case addr::kCtxDataMeta: *out = addr::kPacketBase + mem.data_meta; return true;
        case addr::kCtxIngressIfindex: *out = mem.ingress_ifindex; return true;
        case addr::kCtxRxQueueIndex: *out = mem.rx_queue_index; return true;
        default: break;
      }
    }
    fault = FaultCode::kInvalidCtxAccess;
    return false;
  };

  static const void* const kLabels[] = {
#define X(NAME, OPCODE, MATCH, MVAL, MNEM, FMT, ZERO, GROUP, CPU) &&L_##NAME,
#include "ebpf_fpga/insn_table.def"
#undef X
      &&L_INVALID,
      &&L_OUTSIDE,
  };

#define PC_INDEX (static_cast<uint32_t>(pc - base) - cur_base)
// A fault inside a handler: the faulting instruction does not retire.
#define FAULT(code, at)   \
  do {                    \
    fault = (code);       \
    fault_pc = (at);      \
    --count;              \
    goto done;            \
  } while (0)
// Before each instruction: enforce the budget, then jump to its handler.
#define DISPATCH()                                                          \
  do {                                                                      \
    if (count >= budget) {                                                  \
      fault = FaultCode::kBudgetExceeded;                                   \
      fault_pc = PC_INDEX;                                                  \
      goto done;                                                            \
    }                                                                       \
    ++count;                                                                \
    goto* kLabels[pc->op];                                                  \
  } while (0)
#define NEXT() \
  do {         \
    ++pc;      \
    DISPATCH(); \
  } while (0)
#define JUMP_IF(cond)                                                                 \
  do {                                                                                \
    if (cond) {                                                                       \
      if (pc->target >= n) FAULT(FaultCode::kInvalidInstruction, PC_INDEX);           \
      pc = base + pc->target;                                                         \
    } else {                                                                          \
      ++pc;                                                                           \
    }                                                                                 \
    DISPATCH();                                                                       \
  } while (0)

#define D reg[pc->dst]
#define S reg[pc->src]
#define IMM pc->imm
#define U32(x) static_cast<uint32_t>(x)
#define I32(x) static_cast<int32_t>(static_cast<uint32_t>(x))
#define I64(x) static_cast<int64_t>(x)

// ALU64 and ALU32 forms with immediate and register sources.
#define ALU_BOTH(NAME, EXPR64, EXPR32)   \
  L_##NAME##64_IMM : {                   \
    const uint64_t a = D, b = IMM;       \
    D = (EXPR64);                        \
    NEXT();                              \
  }                                      \
  L_##NAME##64_REG : {                   \
    const uint64_t a = D, b = S;         \
    D = (EXPR64);                        \
    NEXT();                              \
  }                                      \
  L_##NAME##32_IMM : {                   \
    const uint32_t a = U32(D), b = U32(IMM); \
    D = U32(EXPR32);                     \
    NEXT();                              \
  }                                      \
  L_##NAME##32_REG : {                   \
    const uint32_t a = U32(D), b = U32(S); \
    D = U32(EXPR32);                     \
    NEXT();                              \
  }

#define JMP_BOTH(NAME, COND64, COND32)                \
  L_##NAME##64_IMM : {                                \
    const uint64_t a = D, b = IMM;                    \
    JUMP_IF(COND64);                                  \
  }                                                   \
  L_##NAME##64_REG : {                                \
    const uint64_t a = D, b = S;                      \
    JUMP_IF(COND64);                                  \
  }                                                   \
  L_##NAME##32_IMM : {                                \
    const uint32_t a = U32(D), b = U32(IMM);          \
    JUMP_IF(COND32);                                  \
  }                                                   \
  L_##NAME##32_REG : {                                \
    const uint32_t a = U32(D), b = U32(S);            \
    JUMP_IF(COND32);                                  \
  }

#define LDX(NAME, T, EXT)                                        \
  L_##NAME : {                                                   \
    const uint64_t a = S + static_cast<uint64_t>(pc->off);       \
    if (addr::region_of(a) == addr::kRegionCtx) {                \
      uint64_t v;                                                \
      if (!(sizeof(T) == 4 && pc->op == static_cast<uint16_t>(Form::LDXW)) || \
          !ctx_load(a, sizeof(T), &v)) {                         \
        FAULT(FaultCode::kInvalidCtxAccess, PC_INDEX);           \
      }                                                          \
      D = v;                                                     \
      NEXT();                                                    \
    }                                                            \
    const uint8_t* p = xlate(a, sizeof(T), false);               \
    if (!p) FAULT(fault, PC_INDEX);                              \
    D = static_cast<uint64_t>(static_cast<EXT>(load_le<T>(p)));  \
    NEXT();                                                      \
  }

#define STORE(NAME, T, VALUE)                                    \
  L_##NAME : {                                                   \
    const uint64_t a = D + static_cast<uint64_t>(pc->off);       \
    uint8_t* p = xlate(a, sizeof(T), true);                      \
    if (!p) FAULT(fault, PC_INDEX);                              \
    store_le<T>(p, static_cast<T>(VALUE));                       \
    NEXT();                                                      \
  }

// Atomic read-modify-write. OLD is the memory value; the handler body computes NEW and
// whatever register the form fetches into.
#define ATOMIC(NAME, T, BODY)                                    \
  L_##NAME : {                                                   \
    const uint64_t a = D + static_cast<uint64_t>(pc->off);       \
    uint8_t* p = xlate(a, sizeof(T), true);                      \
    if (!p) FAULT(fault, PC_INDEX);                              \
    if (a % sizeof(T) != 0) FAULT(FaultCode::kMisalignedAtomic, PC_INDEX); \
    const T old = load_le<T>(p);                                 \
    const T val = static_cast<T>(S);                             \
    BODY                                                         \
    NEXT();                                                      \
  }

  DISPATCH();

  ALU_BOTH(ADD, a + b, a + b)
  ALU_BOTH(SUB, a - b, a - b)
  ALU_BOTH(MUL, a * b, a * b)
  ALU_BOTH(DIV, b ? a / b : 0, b ? a / b : 0)
  ALU_BOTH(SDIV,
           b == 0 ? 0
           : (I64(a) == INT64_MIN && I64(b) == -1) ? a
                                                   : static_cast<uint64_t>(I64(a) / I64(b)),
           b == 0 ? 0
           : (I32(a) == INT32_MIN && I32(b) == -1) ? a
                                                   : static_cast<uint32_t>(I32(a) / I32(b)))
  ALU_BOTH(OR, a | b, a | b)
  ALU_BOTH(AND, a & b, a & b)
  ALU_BOTH(LSH, a << (b & 63), a << (b & 31))
  ALU_BOTH(RSH, a >> (b & 63), a >> (b & 31))
  ALU_BOTH(MOD, b ? a % b : a, b ? a % b : a)
  ALU_BOTH(SMOD,
           b == 0 ? a
           : I64(b) == -1 ? 0
                          : static_cast<uint64_t>(I64(a) % I64(b)),
           b == 0 ? a
           : I32(b) == -1 ? 0
                          : static_cast<uint32_t>(I32(a) % I32(b)))
  ALU_BOTH(XOR, a ^ b, a ^ b)
  ALU_BOTH(ARSH, static_cast<uint64_t>(I64(a) >> (b & 63)),
           static_cast<uint32_t>(I32(a) >> (b & 31)))

L_MOV64_IMM:
  D = IMM;
  NEXT();
L_MOV64_REG:
  D = S;
  NEXT();
L_MOV32_IMM:
  D = U32(IMM);
  NEXT();
L_MOV32_REG:
  D = U32(S);
  NEXT();
L_MOVSX64_8:
  D = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(S)));
  NEXT();
L_MOVSX64_16:
  D = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int16_t>(S)));
  NEXT();
L_MOVSX64_32:
  D = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(S)));
  NEXT();
L_MOVSX32_8:
  D = U32(static_cast<int32_t>(static_cast<int8_t>(S)));
  NEXT();
L_MOVSX32_16:
  D = U32(static_cast<int32_t>(static_cast<int16_t>(S)));
  NEXT();
L_NEG64:
  D = 0 - D;
  NEXT();
L_NEG32:
  D = U32(0u - U32(D));
  NEXT();
L_LE16:
  D = static_cast<uint16_t>(D);
  NEXT();
L_LE32:
  D = U32(D);
  NEXT();
L_LE64:
  NEXT();
L_BE16:
L_BSWAP16:
  D = __builtin_bswap16(static_cast<uint16_t>(D));
  NEXT();
L_BE32:
L_BSWAP32:
  D = __builtin_bswap32(U32(D));
  NEXT();
L_BE64:
L_BSWAP64:
  D = __builtin_bswap64(D);
  NEXT();

L_JA:
L_JA32:
  JUMP_IF(true);

  JMP_BOTH(JEQ, a == b, a == b)
  JMP_BOTH(JGT, a > b, a > b)
  JMP_BOTH(JGE, a >= b, a >= b)
  JMP_BOTH(JSET, (a & b) != 0, (a & b) != 0)
  JMP_BOTH(JNE, a != b, a != b)
  JMP_BOTH(JSGT, I64(a) > I64(b), I32(a) > I32(b))
  JMP_BOTH(JSGE, I64(a) >= I64(b), I32(a) >= I32(b))
  JMP_BOTH(JLT, a < b, a < b)
  JMP_BOTH(JLE, a <= b, a <= b)
  JMP_BOTH(JSLT, I64(a) < I64(b), I32(a) < I32(b))
  JMP_BOTH(JSLE, I64(a) <= I64(b), I32(a) <= I32(b))

// A helper call: r0 and whatever the helper changes, a fault, or a tail call, which starts
// the target program in the current frame with the registers as they are.
#define HELPER(ID)                                                    \
  do {                                                                \
    env.instructions = count;                                         \
    tr.stack_hi = stack_hi;                                           \
    const auto status = interp::call_helper((ID), env);               \
    pkt_lo = tr.pkt_lo;                                               \
    pkt_hi = tr.pkt_hi;                                               \
    switch (status) {                                                 \
      case interp::HelperStatus::kOk:                                 \
        NEXT();                                                       \
      case interp::HelperStatus::kUnknown:                            \
        FAULT(FaultCode::kUnknownHelper, PC_INDEX);                   \
      case interp::HelperStatus::kFault:                              \
        FAULT(env.fault, PC_INDEX);                                   \
      case interp::HelperStatus::kTailCall:                           \
        cur_prog = env.tail_target;                                   \
        cur_base = prog_base_[cur_prog];                              \
        pc = base + cur_base;                                         \
        DISPATCH();                                                   \
    }                                                                 \
    FAULT(FaultCode::kUnknownHelper, PC_INDEX);                       \
  } while (0)

L_CALL_HELPER:
  HELPER(IMM);
L_CALLX:
  HELPER(D);
L_CALL_LOCAL: {
  if (pc->target >= n) FAULT(FaultCode::kInvalidInstruction, PC_INDEX);
  if (depth + 1 >= addr::kMaxFrames) FAULT(FaultCode::kCallDepthExceeded, PC_INDEX);
  Frame& f = frames[depth++];
  f.return_pc = static_cast<uint32_t>(pc - base) + 1;
  f.prog = cur_prog;
  std::copy(reg + 6, reg + 10, f.saved);
  f.r10 = reg[10];
  reg[10] += addr::kStackFrameSize;
  stack_hi += addr::kStackFrameSize;
  pc = base + pc->target;
  DISPATCH();
}
L_EXIT: {
  if (depth == 0) goto done;
  const Frame& f = frames[--depth];
  std::copy(f.saved, f.saved + 4, reg + 6);
  reg[10] = f.r10;
  stack_hi -= addr::kStackFrameSize;
  cur_prog = f.prog;
  cur_base = prog_base_[cur_prog];
  pc = base + f.return_pc;
  DISPATCH();
}

L_LDDW:
L_LDDW_MAP:
L_LDDW_MAP_VALUE:
  D = IMM;
  pc += 2;
  DISPATCH();

  LDX(LDXW, uint32_t, uint32_t)
  LDX(LDXH, uint16_t, uint16_t)
  LDX(LDXB, uint8_t, uint8_t)
  LDX(LDXDW, uint64_t, uint64_t)
  LDX(LDXSW, uint32_t, int32_t)
  LDX(LDXSH, uint16_t, int16_t)
  LDX(LDXSB, uint8_t, int8_t)

  STORE(STW, uint32_t, IMM)
  STORE(STH, uint16_t, IMM)
  STORE(STB, uint8_t, IMM)
  STORE(STDW, uint64_t, IMM)
  STORE(STXW, uint32_t, S)
  STORE(STXH, uint16_t, S)
  STORE(STXB, uint8_t, S)
  STORE(STXDW, uint64_t, S)

#define ATOMIC_BOTH(NAME, NEWEXPR, FETCH)                                        \
  ATOMIC(ATOMIC32_##NAME, uint32_t, {                                            \
    store_le<uint32_t>(p, static_cast<uint32_t>(NEWEXPR));                       \
    if (FETCH) S = old;                                                          \
  })                                                                             \
  ATOMIC(ATOMIC64_##NAME, uint64_t, {                                            \
    store_le<uint64_t>(p, static_cast<uint64_t>(NEWEXPR));                       \
    if (FETCH) S = old;                                                          \
  })
  ATOMIC_BOTH(ADD, old + val, false)
  ATOMIC_BOTH(FETCH_ADD, old + val, true)
  ATOMIC_BOTH(OR, old | val, false)
  ATOMIC_BOTH(FETCH_OR, old | val, true)
  ATOMIC_BOTH(AND, old & val, false)
  ATOMIC_BOTH(FETCH_AND, old & val, true)
  ATOMIC_BOTH(XOR, old ^ val, false)
  ATOMIC_BOTH(FETCH_XOR, old ^ val, true)
  ATOMIC_BOTH(XCHG, val, true)
  ATOMIC(ATOMIC32_CMPXCHG, uint32_t, {
    if (old == static_cast<uint32_t>(reg[0])) store_le<uint32_t>(p, val);
    reg[0] = old;
  })
  ATOMIC(ATOMIC64_CMPXCHG, uint64_t, {
    if (old == reg[0]) store_le<uint64_t>(p, val);
    reg[0] = old;
  })

L_INVALID:
  FAULT(FaultCode::kInvalidInstruction, PC_INDEX);
L_OUTSIDE:
  FAULT(FaultCode::kInvalidInstruction, PC_INDEX);  // = the program's length

done:
  res.fault = fault;
  res.fault_pc = fault_pc;
  res.instructions = count;
  res.program = cur_prog;
  std::copy(reg, reg + 11, res.regs.begin());
  res.r0 = fault == FaultCode::kNone ? reg[0] : 0;
  if (fault == FaultCode::kNone && reg[0] == kXdpRedirect) {
    res.redirect = interp::final_redirect(env.redirect);
  }
  return res;
}

#undef HELPER
#undef ATOMIC_BOTH
#undef ATOMIC
#undef STORE
#undef LDX
#undef JMP_BOTH
#undef ALU_BOTH
#undef I64
#undef I32
#undef U32
#undef IMM
#undef S
#undef D
#undef JUMP_IF
#undef NEXT
#undef DISPATCH
#undef FAULT
#undef PC_INDEX

}  // namespace

std::unique_ptr<Engine> make_interpreter() { return std::make_unique<Interpreter>(); }

}  // namespace ebpf
