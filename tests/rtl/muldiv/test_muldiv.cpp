// ebpf_core_muldiv against the eBPF semantics of MUL, DIV, SDIV, MOD and SMOD (RFC 9669).
//
// The C++ model below is the oracle; one test checks it against the reference interpreter so
// that the RTL is tied to the project's golden model. The harness issues operations either
// one at a time or as fast as the handshake allows (a multiply every cycle, a divide in the
// cycle the previous result appears), checks every result in order, and records the latency
// of each operation (cycles from the clock edge that takes start_i to the cycle valid_o is
// high). The latency bounds of the issue (mul <= 4, div/mod <= 36) are asserted here.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <limits>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "Vebpf_core_muldiv.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/interp.h"
#include "ebpf_fpga/isa.h"
#include "verilated.h"

namespace {

// Same order and encoding as ebpf_pkg::md_op_e.
enum class Op : uint8_t { kMul = 0, kDiv = 1, kSdiv = 2, kMod = 3, kSmod = 4 };
constexpr std::array<Op, 5> kOps = {Op::kMul, Op::kDiv, Op::kSdiv, Op::kMod, Op::kSmod};

const char* op_name(Op op) {
  switch (op) {
    case Op::kMul: return "mul";
    case Op::kDiv: return "div";
    case Op::kSdiv: return "sdiv";
    case Op::kMod: return "mod";
    case Op::kSmod: return "smod";
  }
  return "?";
}

// Latency bounds from the core issue (start_i edge to valid_o, in cycles).
constexpr uint64_t kMaxMulLatency = 4;
constexpr uint64_t kMaxDivLatency = 36;

// The semantics, written from the RFC rather than from the interpreter (which the
// CrossCheckedWithInterpreter test compares it to).
uint64_t model64(Op op, uint64_t a, uint64_t b) {
  const auto sa = static_cast<int64_t>(a);
  const auto sb = static_cast<int64_t>(b);
  switch (op) {
    case Op::kMul: return a * b;
    case Op::kDiv: return b == 0 ? 0 : a / b;
    case Op::kMod: return b == 0 ? a : a % b;
    case Op::kSdiv:
      if (b == 0) return 0;
      if (sa == std::numeric_limits<int64_t>::min() && sb == -1) return a;
      return static_cast<uint64_t>(sa / sb);
    case Op::kSmod:
      if (b == 0) return a;
      if (sb == -1) return 0;
      return static_cast<uint64_t>(sa % sb);
  }
  return 0;
}

uint64_t model32(Op op, uint64_t a64, uint64_t b64) {
  const auto a = static_cast<uint32_t>(a64);
  const auto b = static_cast<uint32_t>(b64);
  const auto sa = static_cast<int32_t>(a);
  const auto sb = static_cast<int32_t>(b);
  uint32_t r = 0;
  switch (op) {
    case Op::kMul: r = a * b; break;
    case Op::kDiv: r = b == 0 ? 0 : a / b; break;
    case Op::kMod: r = b == 0 ? a : a % b; break;
    case Op::kSdiv:
      if (b == 0) r = 0;
      else if (sa == std::numeric_limits<int32_t>::min() && sb == -1) r = a;
      else r = static_cast<uint32_t>(sa / sb);
      break;
    case Op::kSmod:
      if (b == 0) r = a;
      else if (sb == -1) r = 0;
      else r = static_cast<uint32_t>(sa % sb);
      break;
  }
  return r;
}

uint64_t model(Op op, bool is32, uint64_t a, uint64_t b) {
  return is32 ? model32(op, a, b) : model64(op, a, b);
}

struct Request {
  Op op;
  bool is32;
  uint64_t a;
  uint64_t b;
};

struct LatencyStats {
  uint64_t count = 0;
  uint64_t min = std::numeric_limits<uint64_t>::max();
  uint64_t max = 0;
  void add(uint64_t v) {
    ++count;
    min = std::min(min, v);
    max = std::max(max, v);
  }
};

// Owns the Verilated unit. Cycles are counted in tick() only.
class MulDivHarness {
 public:
  MulDivHarness() : ctx_(new VerilatedContext), dut_(new Vebpf_core_muldiv{ctx_.get(), "TOP"}) {
    dut_->clk_i = 0;
    dut_->rst_ni = 0;
    dut_->start_i = 0;
    dut_->eval();
    tick();
    tick();
    dut_->rst_ni = 1;
    dut_->eval();
  }
  ~MulDivHarness() {
    // Verilator 5.006 tears a model's scopes down through the thread's current context, not
    // the model's: point it back at ours, or a second harness in the same test deadlocks.
    Verilated::threadContextp(ctx_.get());
    dut_->final();
    dut_.reset();
  }

  // One rising edge; outputs then show the new cycle.
  void tick() {
    dut_->clk_i = 1;
    dut_->eval();
    dut_->clk_i = 0;
    dut_->eval();
    ++cycles_;
  }

  enum class Issue {
    kSerial,  // next operation only after the previous result came out
    kEager,   // start whenever busy_o allows (multiplies every cycle)
    kRandom,  // eager, with random idle cycles in between
  };

  // Runs `reqs` through the unit and checks each result, in order, against the model.
  // Returns the number of mismatches (the first few are reported).
  int run(const std::vector<Request>& reqs, Issue issue, uint32_t seed = 1) {
    std::mt19937 gaps(seed);
    struct InFlight {
      size_t index;
      uint64_t start_cycle;
    };
    std::deque<InFlight> pending;
    size_t next = 0;
    int errors = 0;
    uint64_t idle_guard = 0;
    while (next < reqs.size() || !pending.empty()) {
      // Results of the current cycle.
      if (dut_->valid_o) {
        if (pending.empty()) {
          ADD_FAILURE() << "valid_o without an operation in flight at cycle " << cycles_;
          return errors + 1;
        }
        const InFlight f = pending.front();
        pending.pop_front();
        const Request& r = reqs[f.index];
        const uint64_t latency = cycles_ - f.start_cycle;
        (r.op == Op::kMul ? mul_latency_ : (r.is32 ? div32_latency_ : div64_latency_))
            .add(latency);
        const uint64_t want = model(r.op, r.is32, r.a, r.b);
        if (dut_->result_o != want) {
          if (++errors <= 10) {
            ADD_FAILURE() << op_name(r.op) << (r.is32 ? "32" : "64") << " a=0x" << std::hex
                          << r.a << " b=0x" << r.b << ": rtl 0x" << dut_->result_o
                          << " want 0x" << want << std::dec;
          }
        }
        idle_guard = 0;
      }
      // Decide whether to start the next operation in this cycle.
      bool start = false;
      if (next < reqs.size() && !dut_->busy_o) {
        switch (issue) {
          case Issue::kSerial: start = pending.empty(); break;
          case Issue::kEager: start = true; break;
          case Issue::kRandom: start = (gaps() % 4) != 0; break;
        }
      }
      dut_->start_i = start;
      if (start) {
        const Request& r = reqs[next];
        dut_->op_i = static_cast<uint8_t>(r.op);
        dut_->is32_i = r.is32;
        dut_->a_i = r.a;
        dut_->b_i = r.b;
        pending.push_back({next, cycles_});
        ++next;
      } else {
        // Garbage on idle cycles must not matter.
        dut_->op_i = static_cast<uint8_t>(gaps() % 5);
        dut_->is32_i = static_cast<uint8_t>(gaps() & 1);
        dut_->a_i = (uint64_t{gaps()} << 32) | gaps();
        dut_->b_i = (uint64_t{gaps()} << 32) | gaps();
      }
      tick();
      dut_->start_i = 0;
      if (++idle_guard > 1000) {
        ADD_FAILURE() << "no result for 1000 cycles (hang) at cycle " << cycles_;
        return errors + 1;
      }
    }
    // valid_o must stay low once everything has come out.
    for (int i = 0; i < 40; ++i) {
      if (dut_->valid_o) {
        ADD_FAILURE() << "spurious valid_o after the last result";
        return errors + 1;
      }
      if (dut_->busy_o) {
        ADD_FAILURE() << "busy_o with nothing in flight";
        return errors + 1;
      }
      tick();
    }
    return errors;
  }

  uint64_t cycles() const { return cycles_; }
  const LatencyStats& mul_latency() const { return mul_latency_; }
  const LatencyStats& div32_latency() const { return div32_latency_; }
  const LatencyStats& div64_latency() const { return div64_latency_; }

  void check_latency_bounds() const {
    if (mul_latency_.count) {
      EXPECT_LE(mul_latency_.max, kMaxMulLatency) << "multiply latency";
    }
    if (div32_latency_.count) {
      EXPECT_LE(div32_latency_.max, kMaxDivLatency) << "32-bit divide latency";
    }
    if (div64_latency_.count) {
      EXPECT_LE(div64_latency_.max, kMaxDivLatency) << "64-bit divide latency";
    }
  }

  void print_latency() const {
    auto line = [](const char* what, const LatencyStats& s) {
      if (s.count) {
        std::printf("  %-12s %9llu ops, latency min %llu max %llu cycles\n", what,
                    static_cast<unsigned long long>(s.count),
                    static_cast<unsigned long long>(s.min),
                    static_cast<unsigned long long>(s.max));
      }
    };
    line("mul", mul_latency_);
    line("div/mod 32", div32_latency_);
    line("div/mod 64", div64_latency_);
  }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vebpf_core_muldiv> dut_;
  uint64_t cycles_ = 0;
  LatencyStats mul_latency_;
  LatencyStats div32_latency_;
  LatencyStats div64_latency_;
};

// Operands that sit on the edges of every width: 0, +-1, INT_MIN/INT_MAX of both widths,
// powers of two and their neighbours, and 32-bit values with junk in the upper half (which
// the 32-bit forms must ignore).
std::vector<uint64_t> edge_values() {
  std::vector<uint64_t> v = {
      0,
      1,
      2,
      3,
      ~uint64_t{0},                       // -1
      ~uint64_t{0} - 1,                   // -2
      0x8000000000000000ull,              // INT64_MIN
      0x8000000000000001ull,              // INT64_MIN + 1
      0x7fffffffffffffffull,              // INT64_MAX
      0x80000000ull,                      // INT32_MIN as 32 bits
      0x7fffffffull,                      // INT32_MAX
      0xffffffffull,                      // -1 as 32 bits
      0xffffffff80000000ull,              // INT32_MIN sign-extended
      0xffffffff7fffffffull,              // INT32_MAX with junk above
      0x00000001ffffffffull,              // -1 (32) with junk above
      0xdeadbeef00000000ull,              // 0 (32) with junk above
      0xdeadbeef00000001ull,              // 1 (32) with junk above
      0x12345678ffffffffull,              // -1 (32) with junk above
      0x1234567880000000ull,              // INT32_MIN (32) with junk above
      0x00000000fffffffeull,              // -2 (32)
      0x0123456789abcdefull,
      0xfedcba9876543210ull,
      0x5555555555555555ull,
      0xaaaaaaaaaaaaaaaaull,
      10,
      0xfffffffffffffff6ull,  // -10
      7,
      0xfffffffffffffff9ull,  // -7
  };
  for (int k = 2; k < 64; ++k) {
    const uint64_t p = uint64_t{1} << k;
    v.push_back(p);
    v.push_back(p - 1);
    v.push_back(p + 1);
    v.push_back(0 - p);  // -2^k
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Random operands that exercise every quotient length: a uniformly random bit length, then
// a random value of that length, negated half of the time.
uint64_t random_operand(std::mt19937_64& rng) {
  const unsigned pick = static_cast<unsigned>(rng() % 8);
  if (pick == 0) return rng();  // uniform over all 64 bits
  const unsigned bits = static_cast<unsigned>(rng() % 65);
  uint64_t v = bits == 0 ? 0 : (bits == 64 ? rng() : rng() & ((uint64_t{1} << bits) - 1));
  if (bits > 0 && bits < 64) v |= uint64_t{1} << (bits - 1);  // exactly `bits` long
  if (rng() & 1) v = 0 - v;
  if (pick == 1) v = (rng() << 32) | static_cast<uint32_t>(v);  // junk in the upper half
  return v;
}

std::vector<Request> random_requests(Op op, bool is32, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Request> reqs;
  reqs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t a = random_operand(rng);
    uint64_t b = random_operand(rng);
    // Special divisors turn up more often than chance would give them.
    switch (rng() % 64) {
      case 0: b = 0; break;
      case 1: b = ~uint64_t{0}; break;
      case 2: b = is32 ? 0xffffffffull | (rng() << 32) : ~uint64_t{0}; break;
      case 3: a = is32 ? 0x80000000ull | (rng() << 32) : 0x8000000000000000ull; break;
      default: break;
    }
    reqs.push_back({op, is32, a, b});
  }
  return reqs;
}

struct OpWidth {
  Op op;
  bool is32;
};

std::string op_width_name(const ::testing::TestParamInfo<OpWidth>& info) {
  return std::string(op_name(info.param.op)) + (info.param.is32 ? "32" : "64");
}

std::vector<OpWidth> all_op_widths() {
  std::vector<OpWidth> v;
  for (Op op : kOps) {
    v.push_back({op, false});
    v.push_back({op, true});
  }
  return v;
}

void PrintTo(const OpWidth& p, std::ostream* os) {
  *os << op_name(p.op) << (p.is32 ? "32" : "64");
}

class MulDivOpTest : public ::testing::TestWithParam<OpWidth> {};

// Every pair of edge values, issued back to back.
TEST_P(MulDivOpTest, EdgeValuesExhaustive) {
  const auto [op, is32] = GetParam();
  const std::vector<uint64_t> edges = edge_values();
  std::vector<Request> reqs;
  for (uint64_t a : edges) {
    for (uint64_t b : edges) reqs.push_back({op, is32, a, b});
  }
  MulDivHarness h;
  EXPECT_EQ(h.run(reqs, MulDivHarness::Issue::kEager), 0);
  h.check_latency_bounds();
}

// 200,000 random operand pairs per operation and width.
TEST_P(MulDivOpTest, Random200k) {
  const auto [op, is32] = GetParam();
  const uint64_t seed = 0x5eed0000u + static_cast<uint64_t>(op) * 2 + (is32 ? 1 : 0);
  const std::vector<Request> reqs = random_requests(op, is32, 200000, seed);
  MulDivHarness h;
  EXPECT_EQ(h.run(reqs, MulDivHarness::Issue::kEager, static_cast<uint32_t>(seed)), 0);
  h.check_latency_bounds();
}

INSTANTIATE_TEST_SUITE_P(AllOps, MulDivOpTest, ::testing::ValuesIn(all_op_widths()),
                         op_width_name);

// Every operation and width mixed, under each issue policy: checks that results leave in
// start order, that back-to-back starts are taken, and that junk on idle cycles is ignored.
TEST(MulDivTest, MixedStreamEveryIssuePolicy) {
  std::mt19937_64 rng(42);
  std::vector<Request> reqs;
  for (int i = 0; i < 30000; ++i) {
    const Op op = kOps[rng() % kOps.size()];
    reqs.push_back({op, (rng() & 1) != 0, random_operand(rng), random_operand(rng)});
  }
  // Long runs of multiplies, so that the pipeline fills up.
  for (int i = 0; i < 2000; ++i) {
    reqs.push_back({Op::kMul, (rng() & 1) != 0, random_operand(rng), random_operand(rng)});
  }
  for (auto issue : {MulDivHarness::Issue::kSerial, MulDivHarness::Issue::kEager,
                     MulDivHarness::Issue::kRandom}) {
    MulDivHarness h;
    EXPECT_EQ(h.run(reqs, issue, 7), 0);
    h.check_latency_bounds();
  }
}

// Latency is a property of the design: measured here, asserted against the issue's bounds,
// and printed for docs/synthesis.md.
TEST(MulDivTest, LatencyBounds) {
  std::mt19937_64 rng(3);
  std::vector<Request> reqs;
  for (int i = 0; i < 2000; ++i) {
    for (Op op : kOps) {
      reqs.push_back({op, (i & 1) != 0, random_operand(rng), random_operand(rng)});
    }
  }
  MulDivHarness h;
  EXPECT_EQ(h.run(reqs, MulDivHarness::Issue::kSerial), 0);
  h.check_latency_bounds();
  h.print_latency();
  EXPECT_EQ(h.mul_latency().min, h.mul_latency().max) << "multiply latency is fixed";
  EXPECT_EQ(h.div32_latency().min, h.div32_latency().max) << "32-bit divide latency is fixed";
  EXPECT_EQ(h.div64_latency().min, h.div64_latency().max) << "64-bit divide latency is fixed";
  // Throughput: back-to-back multiplies retire one per cycle.
  std::vector<Request> muls;
  for (int i = 0; i < 1000; ++i) {
    muls.push_back({Op::kMul, false, rng(), rng()});
  }
  MulDivHarness p;
  const uint64_t before = p.cycles();
  EXPECT_EQ(p.run(muls, MulDivHarness::Issue::kEager), 0);
  // 1000 starts + pipeline drain + the 40 quiet cycles run() checks at the end.
  EXPECT_LE(p.cycles() - before, 1000 + kMaxMulLatency + 40);
}

// The model above against the project's reference interpreter: one program per operation
// and width, "r0 = a; r1 = b; r0 op= r1; exit", on every pair of a smaller edge set.
TEST(MulDivTest, ModelMatchesInterpreter) {
  std::unique_ptr<ebpf::Engine> interp = ebpf::make_interpreter();
  std::vector<uint64_t> values = {0,
                                  1,
                                  ~uint64_t{0},
                                  2,
                                  0xfffffffffffffffeull,
                                  0x8000000000000000ull,
                                  0x7fffffffffffffffull,
                                  0x80000000ull,
                                  0x7fffffffull,
                                  0xffffffffull,
                                  0x1234567880000000ull,
                                  0xdeadbeefffffffffull,
                                  0xdeadbeef00000000ull,
                                  7,
                                  0xfffffffffffffff9ull,
                                  0x0123456789abcdefull,
                                  0xfedcba9876543210ull};
  std::mt19937_64 rng(11);
  for (int i = 0; i < 8; ++i) values.push_back(random_operand(rng));

  auto lddw = [](uint8_t reg, uint64_t v) {
    return std::array<ebpf::Insn, 2>{
        ebpf::Insn::make(0x18, reg, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(v))),
        ebpf::Insn::make(0x00, 0, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(v >> 32)))};
  };
  int mismatches = 0;
  for (Op op : kOps) {
    // ALU op code (bits 7:4) and the offset that selects the signed forms (RFC 9669 4.1).
    uint8_t code = 0;
    int16_t off = 0;
    switch (op) {
      case Op::kMul: code = 0x20; break;
      case Op::kDiv: code = 0x30; break;
      case Op::kSdiv: code = 0x30; off = 1; break;
      case Op::kMod: code = 0x90; break;
      case Op::kSmod: code = 0x90; off = 1; break;
    }
    for (bool is32 : {false, true}) {
      const uint8_t cls = is32 ? 0x04 : 0x07;  // BPF_ALU / BPF_ALU64
      for (uint64_t a : values) {
        for (uint64_t b : values) {
          std::vector<ebpf::Insn> prog;
          for (const auto& insn : lddw(0, a)) prog.push_back(insn);
          for (const auto& insn : lddw(1, b)) prog.push_back(insn);
          prog.push_back(ebpf::Insn::make(static_cast<uint8_t>(cls | 0x08 | code), 0, 1, off, 0));
          prog.push_back(ebpf::Insn::make(0x95, 0, 0, 0, 0));
          interp->load(prog);
          ebpf::MemoryImage mem;
          const ebpf::RunResult res = interp->run(mem);
          ASSERT_EQ(res.fault, ebpf::FaultCode::kNone);
          if (res.r0 != model(op, is32, a, b) && ++mismatches <= 10) {
            ADD_FAILURE() << op_name(op) << (is32 ? "32" : "64") << " a=0x" << std::hex << a
                          << " b=0x" << b << ": interp 0x" << res.r0 << " model 0x"
                          << model(op, is32, a, b) << std::dec;
          }
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
