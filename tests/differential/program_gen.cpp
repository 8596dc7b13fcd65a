// Random program generation for the differential tests (see program_gen.h).
#include "program_gen.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <random>
#include <sstream>

#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"

namespace ebpf::difftest {
namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : g_(seed) {}
  uint64_t next() { return g_(); }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
  int64_t range(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

 private:
  std::mt19937_64 g_;
};

// 64-bit values that find corner cases: 0, +-1, sign and width boundaries, shift amounts.
uint64_t interesting(Rng& r) {
  static constexpr uint64_t kValues[] = {
      0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 255, 256, 0xffff, 0x10000,
      0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x7fffffffffffffff,
      0x8000000000000000, 0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffff80000000,
      0x00000000ffff0000, 0x8000000080000000,
  };
  switch (r.below(4)) {
    case 0: return kValues[r.below(std::size(kValues))];
    case 1: return r.next();
    case 2: return static_cast<uint64_t>(r.range(-64, 64));
    default: return static_cast<uint32_t>(r.next());
  }
}

int32_t interesting32(Rng& r) { return static_cast<int32_t>(interesting(r)); }

// Forms of the table grouped by what the generator does with them.
struct FormSets {
  std::vector<Form> alu, jmp, ldx, st, stx, atomic;
  FormSets() {
    for (const FormInfo& fi : forms()) {
      switch (fi.format) {
        case Format::AluImm:
        case Format::AluReg:
        case Format::AluUnary:
        case Format::Endian:
          alu.push_back(fi.form);
          break;
        case Format::JmpImm:
        case Format::JmpReg:
          jmp.push_back(fi.form);
          break;
        case Format::Ldx: ldx.push_back(fi.form); break;
        case Format::St: st.push_back(fi.form); break;
        case Format::Stx: stx.push_back(fi.form); break;
        case Format::Atomic: atomic.push_back(fi.form); break;
        default: break;
      }
    }
  }
};
const FormSets& form_sets() {
  static const FormSets sets;
  return sets;
}

// The instance of `f` with the discriminator field the table asks for.
Insn instance(Form f, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  const FormInfo& fi = form_info(f);
  Insn i = Insn::make(fi.opcode, dst, src, off, imm);
  switch (fi.match) {
    case Match::Off: i.off = static_cast<int16_t>(fi.match_value); break;
    case Match::Imm: i.imm = fi.match_value; break;
    case Match::Src: i.regs = static_cast<uint8_t>((dst & 0x0f) | (fi.match_value << 4)); break;
    case Match::None: break;
  }
  if (fi.zero_fields & Z_DST) i.regs &= 0xf0;
  if (fi.zero_fields & Z_SRC) i.regs &= 0x0f;
  if (fi.zero_fields & Z_OFF) i.off = 0;
  if (fi.zero_fields & Z_IMM) i.imm = 0;
  return i;
}

unsigned access_size(Form f) {
  const uint8_t opc = form_info(f).opcode;
  switch (opc & 0x18) {
    case op::kSizeB: return 1;
    case op::kSizeH: return 2;
    case op::kSizeW: return 4;
    default: return 8;
  }
}

// A program under construction: instructions plus jumps to labels, linked at the end.
class Builder {
 public:
  int new_label() {
    labels_.push_back(-1);
    return static_cast<int>(labels_.size() - 1);
  }
  void place(int label) { labels_[label] = static_cast<int>(items_.size()); }
  void emit(Insn i) { items_.push_back({i, false, {}, -1, false}); }
  void emit_lddw(uint8_t dst, uint8_t src, uint32_t lo, uint32_t hi) {
    items_.push_back({Insn::make(op::kLddw, dst, src, 0, static_cast<int32_t>(lo)), true,
                      Insn::make(0, 0, 0, 0, static_cast<int32_t>(hi)), -1, false});
  }
  void emit_mov64(uint8_t dst, uint64_t v) {
    if (static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v))) == v) {
      emit(Insn::make(0xb7, dst, 0, 0, static_cast<int32_t>(v)));
    } else {
      emit_lddw(dst, 0, static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32));
    }
  }
  // A jump or call to `label`: its target goes in imm (ja32, call local) or off.
  void emit_jump(Insn i, int label, bool in_imm) { items_.push_back({i, false, {}, label, in_imm}); }
  size_t size() const { return items_.size(); }

  std::vector<Insn> link() const {
    std::vector<int64_t> slot(items_.size() + 1, 0);
    for (size_t k = 0; k < items_.size(); ++k) slot[k + 1] = slot[k] + (items_[k].lddw ? 2 : 1);
    std::vector<Insn> out;
    for (size_t k = 0; k < items_.size(); ++k) {
      Insn i = items_[k].insn;
      if (items_[k].label >= 0) {
        const int64_t rel = slot[labels_[items_[k].label]] - (slot[k] + 1);
        if (items_[k].in_imm) {
          i.imm = static_cast<int32_t>(rel);
        } else {
          i.off = static_cast<int16_t>(rel);
        }
      }
      out.push_back(i);
      if (items_[k].lddw) out.push_back(items_[k].hi);
    }
    return out;
  }

 private:
  struct Item {
    Insn insn;
    bool lddw;
    Insn hi;
    int label;
    bool in_imm;
  };
  std::vector<Item> items_;
  std::vector<int> labels_;
};

// A helper ID no engine implements (the helper table grows; these stay unknown).
int32_t unknown_helper(Rng& r) {
  for (;;) {
    const auto id = static_cast<int32_t>(r.chance(50) ? r.range(1, 300) : interesting32(r));
    if (!find_helper(id)) return id;
  }
}

constexpr uint8_t kPktReg = 9;  // holds the packet data pointer; never a random destination

class StructuredGen {
 public:
  StructuredGen(Rng& r, const MemoryImage& m, uint32_t pkt_len, bool ktime_ok, bool checked)
      : r_(r), xdp_(m.has_ctx), pkt_len_(pkt_len), meta_(m.data - m.data_meta),
        ktime_ok_(ktime_ok), checked_(checked) {
    // Most programs run to their exit; the others meet a fault sooner or later.
    fault_pct_ = r_.chance(65) ? 0u : static_cast<unsigned>(r_.range(1, 12));
  }

  std::vector<Insn> build() {
    const int nfuncs = static_cast<int>(r_.below(4) + (r_.chance(15) ? 8 : 0));
    for (int k = 0; k < nfuncs; ++k) funcs_.push_back(b_.new_label());

    prologue();
    block(static_cast<int>(r_.range(3, 40)), 0, 0, -1);
    if (r_.chance(50)) b_.emit(Insn::make(0xbf, 0, static_cast<uint8_t>(r_.below(11)), 0, 0));
    b_.emit(Insn::make(0x95, 0, 0, 0, 0));
    for (int k = 0; k < nfuncs; ++k) {
      b_.place(funcs_[k]);
      // A long chain of functions calling the next one exceeds the call depth.
      if (nfuncs > 8 && k + 1 < nfuncs && r_.chance(80)) call(k, k + 1);
      block(static_cast<int>(r_.range(1, 12)), 1, 0, k);
      b_.emit(Insn::make(0x95, 0, 0, 0, 0));
    }
    return b_.link();
  }

 private:
  // Registers 0-8 except those in `forbidden` (loop counters).
  uint8_t dst_reg(uint32_t forbidden) {
    for (;;) {
      const auto d = static_cast<uint8_t>(r_.below(9));
      if (!(forbidden & (1u << d))) return d;
    }
  }
  uint8_t src_reg() { return static_cast<uint8_t>(r_.below(11)); }

  void prologue() {
    if (xdp_) {
      b_.emit(Insn::make(0x61, kPktReg, 1, 0, 0));  // ldxw r9, [r1+0]: data
    } else {
      b_.emit(Insn::make(0xbf, kPktReg, 1, 0, 0));  // mov r9, r1
    }
    for (uint8_t k = 0; k < 9; ++k) {
      if (k == 1 && r_.chance(50)) continue;
      if (k == 2 && r_.chance(50)) continue;
      if (r_.chance(70)) b_.emit_mov64(k, interesting(r_));
    }
  }

  void block(int n, int depth, uint32_t forbidden, int cur_func) {
    for (int k = 0; k < n; ++k) {
      const auto c = r_.below(100);
      if (c < 38) {
        alu(forbidden);
      } else if (c < 62) {
        mem(forbidden);
      } else if (c < 72 && depth < 3) {
        branch(depth, forbidden, cur_func);
      } else if (c < 77 && depth < 3) {
        loop(depth, forbidden, cur_func);
      } else if (c < 82 && cur_func + 1 < static_cast<int>(funcs_.size())) {
        call(cur_func, static_cast<int>(r_.range(cur_func + 1, static_cast<int64_t>(funcs_.size()) - 1)));
      } else if (c < 85 && (ktime_ok_ || r_.chance(20))) {
        helper(forbidden);
      } else if (c < 92) {
        const uint8_t d = dst_reg(forbidden);
        switch (r_.below(3)) {
          case 0: b_.emit_mov64(d, interesting(r_)); break;
          case 1: b_.emit_lddw(d, 1, static_cast<uint32_t>(r_.below(addr::kMaxMaps)), 0); break;
          default:
            b_.emit_lddw(d, 2, static_cast<uint32_t>(r_.below(addr::kMaxMaps)),
                         static_cast<uint32_t>(r_.below(64)));
        }
      } else if (c < 95) {
        // Forward ja / ja32 over dead code.
        const int l = b_.new_label();
        if (r_.chance(50)) {
          b_.emit_jump(Insn::make(0x05, 0, 0, 0, 0), l, false);
        } else {
          b_.emit_jump(Insn::make(0x06, 0, 0, 0, 0), l, true);
        }
        alu(forbidden);
        b_.place(l);
      } else {
        muldiv_corner(forbidden);
      }
    }
  }

  void alu(uint32_t forbidden) {
    const Form f = r_.pick(form_sets().alu);
    b_.emit(instance(f, dst_reg(forbidden), src_reg(), 0, interesting32(r_)));
  }

  // mul/div/mod with a corner-case divisor in a register.
  void muldiv_corner(uint32_t forbidden) {
    static const std::vector<Form> kMd = {
        Form::DIV64_REG, Form::SDIV64_REG, Form::MOD64_REG, Form::SMOD64_REG,
        Form::DIV32_REG, Form::SDIV32_REG, Form::MOD32_REG, Form::SMOD32_REG,
        Form::MUL64_REG, Form::MUL32_REG};
    static constexpr uint64_t kDivisors[] = {0, 1, 0xffffffffffffffff, 0xffffffff, 2,
                                             0x8000000000000000, 0x80000000, 3};
    const uint8_t a = dst_reg(forbidden);
    uint8_t b = dst_reg(forbidden);
    if (b == a) b = static_cast<uint8_t>((a + 1) % 9);
    if (forbidden & (1u << b)) b = a;
    if (r_.chance(50)) b_.emit_mov64(a, r_.chance(50) ? 0x8000000000000000 : 0x80000000);
    b_.emit_mov64(b, kDivisors[r_.below(std::size(kDivisors))]);
    b_.emit(instance(r_.pick(kMd), a, b, 0, 0));
  }

  // A base register pointing into a region, then one access through it: in bounds, unless
  // this program injects faults (then sometimes just outside, or another region).
  void mem(uint32_t forbidden) {
    const auto& fs = form_sets();
    const auto kind = r_.below(100);
    const Form f = kind < 40 ? r_.pick(fs.ldx)
                   : kind < 60 ? r_.pick(fs.st)
                   : kind < 85 ? r_.pick(fs.stx)
                               : r_.pick(fs.atomic);
    const FormInfo& fi = form_info(f);
    const auto size = static_cast<int64_t>(access_size(f));
    const bool atomic = fi.format == Format::Atomic;
    const bool fault = r_.chance(fault_pct_);
    uint8_t base = dst_reg(forbidden);
    int16_t off = 0;
    auto where = r_.below(100);
    if (!fault && where >= 45 && where < 80 && static_cast<int64_t>(pkt_len_) < size) where = 0;
    if (!fault && where >= 80) where = (xdp_ && fi.format == Format::Ldx && f == Form::LDXW) ? 85 : 0;
    if (where < 45) {
      // Stack: inside the current frame; faulting: below it or above r10.
      int64_t k = r_.range(size, 512);
      if (atomic || r_.chance(50)) k = (k + size - 1) / size * size;
      if (fault) k = r_.chance(50) ? r_.range(-16, size - 1) : r_.range(505, 1100);
      if (r_.chance(30)) {
        base = 10;
        off = static_cast<int16_t>(-k);
      } else {
        // Split the distance between the base and the offset.
        const int64_t o = atomic ? 0 : r_.range(-8, 8);
        b_.emit(Insn::make(0xbf, base, 10, 0, 0));
        b_.emit(Insn::make(0x07, base, 0, 0, static_cast<int32_t>(-k - o)));
        off = static_cast<int16_t>(o);
      }
    } else if (where < 80) {
      // Packet: data + k, k in [data_meta - data, len - size].
      int64_t k = r_.range(-static_cast<int64_t>(meta_), static_cast<int64_t>(pkt_len_) - size);
      if (atomic) k = k / size * size;  // data is 8-aligned
      if (fault) k = r_.chance(50) ? r_.range(-40, -1) - static_cast<int64_t>(meta_)
                                   : r_.range(static_cast<int64_t>(pkt_len_) - size + 1,
                                              static_cast<int64_t>(pkt_len_) + 8);
      const int64_t o = atomic ? 0 : r_.range(-4, 4);
      b_.emit(Insn::make(0xbf, base, kPktReg, 0, 0));
      b_.emit(Insn::make(0x07, base, 0, 0, static_cast<int32_t>(k - o)));
      off = static_cast<int16_t>(o);
    } else if (where < 92) {
      // ctx: the defined fields and (faulting) their neighbours.
      b_.emit_lddw(base, 0, 0, static_cast<uint32_t>(addr::kRegionCtx));
      static constexpr int16_t kGood[] = {0, 4, 8, 12, 16};
      static constexpr int16_t kBad[] = {20, 2, 24, -4, 1, 0, 4};
      off = fault ? kBad[r_.below(std::size(kBad))] : kGood[r_.below(std::size(kGood))];
    } else if (where < 96) {
      // A map value or handle: not accessible without maps.
      const uint64_t p = r_.chance(50) ? addr::map_value(static_cast<uint32_t>(r_.below(4)), 0)
                                       : addr::map_handle(static_cast<uint32_t>(r_.below(4)));
      b_.emit_mov64(base, p);
    }
    // else: whatever the register holds.
    uint8_t data = src_reg();
    Insn i;
    switch (fi.format) {
      case Format::Ldx: i = instance(f, dst_reg(forbidden), base, off, 0); break;
      case Format::St: i = instance(f, base, 0, off, interesting32(r_)); break;
      case Format::Stx: i = instance(f, base, data, off, 0); break;
      default: {
        // Fetch forms write src (cmpxchg r0): keep loop counters and r9 out of reach.
        if (data == 10 || (forbidden & (1u << data)) || data == kPktReg) data = dst_reg(forbidden);
        if ((forbidden & 1u) && (f == Form::ATOMIC32_CMPXCHG || f == Form::ATOMIC64_CMPXCHG)) {
          return;
        }
        i = instance(f, base, data, off, 0);
        if (fault && size == 8 && r_.chance(30)) i.off = static_cast<int16_t>(i.off + 4);
        const bool cmpxchg = f == Form::ATOMIC32_CMPXCHG || f == Form::ATOMIC64_CMPXCHG;
        if (cmpxchg && base != 0 && r_.chance(60)) {
          // Make the comparison succeed: r0 = the memory value (for the 32-bit form, with
          // junk in the upper half, which must not matter).
          b_.emit(Insn::make(size == 8 ? 0x79 : 0x61, 0, base, off, 0));
          if (size == 4 && r_.chance(50)) {
            uint8_t t = dst_reg(forbidden | 1u | (1u << base));
            if (t == 0 || t == base) t = base == 3 ? 4 : 3;
            if (!(forbidden & (1u << t))) {
              b_.emit_mov64(t, (r_.next() | 1) << 32);
              b_.emit(Insn::make(0x4f, 0, t, 0, 0));  // or r0, t
            }
          }
        }
      }
    }
    b_.emit(i);
  }

  void branch(int depth, uint32_t forbidden, int cur_func) {
    const Form f = r_.pick(form_sets().jmp);
    const int l = b_.new_label();
    b_.emit_jump(instance(f, src_reg(), src_reg(), 0, interesting32(r_)), l, false);
    block(static_cast<int>(r_.range(1, 5)), depth + 1, forbidden, cur_func);
    b_.place(l);
  }

  void loop(int depth, uint32_t forbidden, int cur_func) {
    uint8_t counter = 0;
    for (uint8_t c = 6; c <= 8; ++c) {
      if (!(forbidden & (1u << c))) {
        counter = c;
        break;
      }
    }
    if (!counter) return;
    b_.emit_mov64(counter, static_cast<uint64_t>(r_.range(1, 4)));
    const int top = b_.new_label();
    b_.place(top);
    block(static_cast<int>(r_.range(1, 6)), depth + 1, forbidden | (1u << counter), cur_func);
    b_.emit(Insn::make(0x07, counter, 0, 0, -1));  // add counter, -1
    static const std::vector<uint8_t> kLoopJumps = {0x55, 0x65, 0x25, 0x56};  // jne jsgt jgt jne32
    b_.emit_jump(Insn::make(r_.pick(kLoopJumps), counter, 0, 0, 0), top, false);
  }

  void call(int /*cur_func*/, int target) {
    b_.emit_jump(Insn::make(0x85, 0, 1, 0, 0), funcs_[target], true);
  }

  void helper(uint32_t forbidden) {
    // ktime_get_ns differs between engines by design: its r0 is overwritten at once.
    int32_t id = helper_id::kKtimeGetNs;
    if (!ktime_ok_ || r_.chance(fault_pct_)) id = unknown_helper(r_);
    // The checker refuses unknown IDs in call imm; callx finds out at run time.
    if (r_.chance(50) && (id == helper_id::kKtimeGetNs || !checked_)) {
      b_.emit(Insn::make(0x85, 0, 0, 0, id));
    } else {
      uint8_t reg = dst_reg(forbidden | 1u);
      if (reg == 0) reg = 3;
      b_.emit_mov64(reg, static_cast<uint64_t>(static_cast<int64_t>(id)));
      b_.emit(Insn::make(0x8d, reg, 0, 0, 0));  // callx reg
    }
    if (id == helper_id::kKtimeGetNs) b_.emit_mov64(0, interesting(r_));
  }

  Rng& r_;
  bool xdp_;
  uint32_t pkt_len_;
  uint32_t meta_;  // data - data_meta
  bool ktime_ok_;
  bool checked_;
  unsigned fault_pct_ = 0;
  Builder b_;
  std::vector<int> funcs_;
};

// Engines differ on ktime_get_ns by design, and the rtl helper unit implements only what
// the ISA needs: arbitrary bits must reach neither, so helper calls keep to unknown IDs.
void defuse_helpers(std::vector<Insn>& prog, Rng& r) {
  for (Insn& i : prog) {
    if (i.opcode == 0x85 && i.src() == 0 && find_helper(i.imm)) i.imm = unknown_helper(r);
    if (i.opcode == 0x8d) i.opcode = 0x8c;  // callx: the register could hold any ID
  }
}

Insn random_slot(Rng& r) {
  const auto c = r.below(100);
  if (c < 70) {
    const auto& all = forms();
    const FormInfo& fi = all[r.below(all.size())];
    const auto reg = [&] { return static_cast<uint8_t>(r.chance(90) ? r.below(11) : r.below(16)); };
    Insn i = Insn::make(fi.opcode, reg(), reg(), static_cast<int16_t>(r.range(-4, 8)),
                        interesting32(r));
    if (r.chance(80)) i = instance(fi.form, i.dst(), i.src(), i.off, i.imm);
    return i;
  }
  if (c < 90) {
    return Insn::make(static_cast<uint8_t>(r.below(256)), static_cast<uint8_t>(r.below(16)),
                      static_cast<uint8_t>(r.below(16)), static_cast<int16_t>(r.range(-4, 8)),
                      interesting32(r));
  }
  return Insn::from_raw(r.next());
}

MemoryImage random_memory(Rng& r, bool xdp, uint32_t* pkt_len) {
  MemoryImage m;
  uint32_t len = static_cast<uint32_t>(r.chance(10) ? r.range(0, 8) : r.range(14, 200));
  if (len == 5) len = 6;  // r2 = 5 would be a valid helper ID for callx
  std::vector<uint8_t> bytes(len);
  for (auto& b : bytes) b = static_cast<uint8_t>(r.next());
  m.set_packet(bytes);
  if (r.chance(40)) {
    for (uint32_t k = 0; k < addr::kStackFrameSize; ++k) m.stack[k] = static_cast<uint8_t>(r.next());
  }
  m.has_ctx = xdp;
  if (xdp) {
    if (r.chance(30)) m.data_meta = m.data - static_cast<uint32_t>(r.range(1, 32));
    m.ingress_ifindex = static_cast<uint32_t>(r.below(16));
    m.rx_queue_index = static_cast<uint32_t>(r.below(8));
  }
  *pkt_len = len;
  return m;
}

}  // namespace

TestCase make_case(uint64_t seed, uint64_t index) {
  Rng r(seed * 0x9e3779b97f4a7c15ull + index * 0xbf58476d1ce4e5b9ull + 1);
  TestCase tc;
  const bool xdp = r.chance(30);
  uint32_t pkt_len = 0;
  tc.memory = random_memory(r, xdp, &pkt_len);
  const auto mode = r.below(100);
  if (mode < 70) {
    tc.kind = "structured";
    const bool small_budget = r.chance(8);
    tc.load.check = r.chance(50);  // valid programs: the checker must accept them
    tc.program = StructuredGen(r, tc.memory, pkt_len, !small_budget, tc.load.check).build();
    if (small_budget) tc.run.budget = r.below(150);
  } else if (mode < 85) {
    tc.kind = "random";
    const auto n = r.range(1, 40);
    for (int64_t k = 0; k < n; ++k) tc.program.push_back(random_slot(r));
    if (r.chance(70)) tc.program.push_back(Insn::make(0x95, 0, 0, 0, 0));
    defuse_helpers(tc.program, r);
    tc.load.check = false;
    tc.run.budget = r.range(0, 400);
  } else {
    tc.kind = "mutated";
    tc.program = StructuredGen(r, tc.memory, pkt_len, false, false).build();
    const auto flips = r.range(1, 3);
    for (int64_t k = 0; k < flips; ++k) {
      Insn& i = tc.program[r.below(tc.program.size())];
      uint64_t w = i.raw();
      w ^= 1ull << r.below(64);
      if (r.chance(30)) w ^= 1ull << r.below(16);  // opcode and register fields
      i = Insn::from_raw(w);
    }
    defuse_helpers(tc.program, r);
    tc.load.check = false;
    tc.run.budget = r.range(0, 5000);
  }
  return tc;
}

namespace {

std::string hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

void diff_bytes(std::ostringstream& o, const char* what, const std::vector<uint8_t>& a,
                const std::vector<uint8_t>& b, size_t n) {
  int shown = 0;
  for (size_t k = 0; k < n && shown < 8; ++k) {
    if (a[k] != b[k]) {
      o << "  " << what << "[" << k << "]: interp " << int{a[k]} << ", rtl " << int{b[k]} << "\n";
      ++shown;
    }
  }
}

}  // namespace

std::string compare_engines(const TestCase& tc, Engine& reference, Engine& dut) {
  std::string ref_err, dut_err;
  try {
    reference.load(tc.program, tc.load);
  } catch (const Error& e) {
    ref_err = e.what();
  }
  try {
    dut.load(tc.program, tc.load);
  } catch (const Error& e) {
    dut_err = e.what();
  }
  std::ostringstream o;
  if (ref_err != dut_err) {
    o << "load differs: interp '" << ref_err << "', rtl '" << dut_err << "'\n";
  } else if (ref_err.empty()) {
    MemoryImage ma = tc.memory, mb = tc.memory;
    const RunResult a = reference.run(ma, tc.run);
    const RunResult b = dut.run(mb, tc.run);
    if (a.r0 != b.r0) o << "  r0: interp " << hex64(a.r0) << ", rtl " << hex64(b.r0) << "\n";
    for (int k = 0; k < 11; ++k) {
      if (a.regs[k] != b.regs[k]) {
        o << "  r" << k << ": interp " << hex64(a.regs[k]) << ", rtl " << hex64(b.regs[k]) << "\n";
      }
    }
    if (a.fault != b.fault || a.fault_pc != b.fault_pc) {
      o << "  fault: interp " << fault_name(a.fault) << "@" << a.fault_pc << ", rtl "
        << fault_name(b.fault) << "@" << b.fault_pc << "\n";
    }
    if (a.instructions != b.instructions) {
      o << "  instructions: interp " << a.instructions << ", rtl " << b.instructions << "\n";
    }
    diff_bytes(o, "stack", ma.stack, mb.stack, addr::kStackSize);
    diff_bytes(o, "packet", ma.packet, mb.packet, addr::kPacketBufferSize);
  }
  if (o.str().empty()) return {};
  std::ostringstream rep;
  rep << "kind " << tc.kind << ", check " << tc.load.check << ", budget " << tc.run.budget
      << ", xdp " << tc.memory.has_ctx << ", packet [" << tc.memory.data_meta << ", "
      << tc.memory.data << ", " << tc.memory.data_end << ")\n"
      << o.str() << "program:\n"
      << disassemble(tc.program, DisasmOptions{.show_index = true});
  return rep.str();
}

}  // namespace ebpf::difftest
