// Cycles per instruction class on the rtl engine, measured, not computed: each class runs N
// copies of one instruction (or pattern) between a fixed prologue and exit, and its cost is
// (cycles - cycles of the same program without them) / N. Also: start and exit overhead, and
// the simulation speed of the model. Prints a Markdown table (docs/architecture.md).
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"

namespace {

constexpr int kN = 256;

struct Class {
  const char* name;
  std::string body;  // repeated kN times
  const char* target;
  int insns_per_body = 1;
};

// Registers: r1 = 0 (branch operands), r2 = 7, r3 = 3, r10 - 8 holds 8 valid bytes.
const char* kPrologue =
    "mov %r1, 0\nmov %r2, 7\nmov %r3, 3\nstdw [%r10-8], 5\nmov %r4, 1\n"
    "mov %r5, 0x12345\nmov %r0, 0\n";

uint64_t cycles_of(ebpf::Engine& e, const std::string& text, uint64_t* insns = nullptr) {
  e.load(ebpf::assemble(text));
  ebpf::MemoryImage m = ebpf::conformance_memory({});
  const auto r = e.run(m);
  if (r.fault != ebpf::FaultCode::kNone) {
    std::fprintf(stderr, "rtl_cpi: benchmark program faulted (%s at %u)\n",
                 std::string(ebpf::fault_name(r.fault)).c_str(), r.fault_pc);
    std::exit(1);
  }
  if (insns) *insns = r.instructions;
  return *r.cycles;
}

}  // namespace

int main() {
  auto e = ebpf::make_engine("rtl");
  const std::string tail = "exit\n";
  const uint64_t base = cycles_of(*e, std::string(kPrologue) + tail);

  // The call pattern needs a function after the main exit.
  const std::vector<Class> classes = {
      {"ALU64 reg (dependent chain)", "add %r2, %r3\n", "1"},
      {"ALU32 imm", "xor32 %r2, 0x55\n", "1"},
      {"shift / arsh", "arsh %r5, 3\n", "1"},
      {"MOV", "mov %r2, %r3\n", "1"},
      {"byte swap", "be32 %r5\n", "1"},
      {"lddw", "lddw %r2, 0x1122334455667788\n", "1"},
      {"ja", "ja +0\n", "1"},
      {"cond branch, not taken", "jne %r1, 0, +0\n", "1"},
      {"cond branch, taken", "jeq %r1, 0, +0\n", "<= 2"},
      {"load (result unused next)", "ldxdw %r2, [%r10-8]\n", "1"},
      {"load + dependent ALU", "ldxdw %r2, [%r10-8]\nadd %r2, 1\n", "<= 3 (2 insns)", 2},
      {"load, unaligned", "ldxdw %r2, [%r10-15]\n", "1"},
      {"store", "stxdw [%r10-16], %r2\n", "1"},
      {"store imm, unaligned", "stw [%r10-15], 9\n", "1"},
      {"mul64 (dependent chain)", "mul %r2, 3\n", "<= 4"},
      {"mul32", "mul32 %r2, %r3\n", "<= 4"},
      {"div64", "div %r5, %r3\n", "<= 36"},
      {"sdiv64", "sdiv %r5, %r3\n", "<= 36"},
      {"mod64", "mod %r5, %r3\n", "<= 36"},
      {"div32", "div32 %r5, %r3\n", "<= 36"},
      {"smod32", "smod32 %r5, %r3\n", "<= 36"},
      {"atomic add", "lock add [%r10-8], %r4\n", "<= 4"},
      {"atomic fetch add + use", "lock fetch add [%r10-8], %r4\nadd %r4, 1\n", "<= 5 (2 insns)", 2},
      {"atomic cmpxchg", "lock cmpxchg [%r10-8], %r4\n", "<= 4"},
      {"helper call (ktime_get_ns)", "call 5\n", "-"},
      {"call local + exit (pair)", "call local fn\n", "-", 2},
  };

  std::printf("| instruction class | insns | cycles | cycles/insn | target |\n");
  std::printf("|---|---:|---:|---:|---|\n");
  for (const Class& c : classes) {
    std::string text = kPrologue;
    for (int k = 0; k < kN; ++k) text += c.body;
    text += tail;
    const bool has_fn = c.body.find("call local") != std::string::npos;
    if (has_fn) text += "fn:\nexit\n";
    uint64_t insns = 0;
    const uint64_t cyc = cycles_of(*e, text, &insns) - base;
    const double per = static_cast<double>(cyc) / (kN * c.insns_per_body);
    std::printf("| %s | %d | %llu | %.2f | %s |\n", c.name, kN * c.insns_per_body,
                static_cast<unsigned long long>(cyc), per, c.target);
  }

  // Start + exit: a program that is only `exit` retires 1 instruction.
  const uint64_t only_exit = cycles_of(*e, "exit\n");
  std::printf("\nstart + exit overhead: program `exit` takes %llu cycles "
              "(1 instruction; target: start <= 4, exit <= 4)\n",
              static_cast<unsigned long long>(only_exit));

  // Model speed: a long loop, wall-clock timed.
  const std::string loop =
      "mov %r0, 0\nmov %r1, 200000\nloop:\nadd %r0, %r1\nxor %r2, %r0\nldxdw %r3, [%r10-8]\n"
      "stxdw [%r10-8], %r0\nsub %r1, 1\njne %r1, 0, loop\nexit\n";
  e->load(ebpf::assemble(loop));
  ebpf::MemoryImage m = ebpf::conformance_memory({});
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = e->run(m);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("model speed: %llu cycles (%llu instructions) in %.3f s = %.2f M cycles/s\n",
              static_cast<unsigned long long>(*r.cycles),
              static_cast<unsigned long long>(r.instructions), s, static_cast<double>(*r.cycles) / s / 1e6);
  return 0;
}
