// Interpreter throughput: ns per executed instruction and runs per second on long loops and
// on the bpf_conformance corpus, beside a decode-every-step switch interpreter (the design
// of ubpf's interpreter loop) as the baseline. Prints a Markdown table; not a test.
//
//   build/bench/interp_bench [--min-time SECONDS] [--corpus DIR]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/interp.h"
#include "switch_baseline.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Workload {
  std::string name;
  std::string text;   // assembler source
  size_t packet_len;  // bytes of packet data (r1 = data, r2 = length)
};

// Loops sized so one run executes ~10^5-10^6 instructions.
const Workload kWorkloads[] = {
    {"alu_loop (100k iterations)",
     "mov %r0, 0\n mov %r3, 100000\nloop:\n add %r0, %r3\n xor %r0, 0x55\n lsh %r0, 3\n"
     " rsh %r0, 2\n sub %r3, 1\n jne %r3, 0, loop\n exit\n",
     0},
    {"checksum over 1500 B packet x 64",
     "mov %r0, 0\n mov %r6, 64\nouter:\n mov %r3, %r1\n mov %r4, %r1\n add %r4, %r2\n"
     "inner:\n ldxb %r5, [%r3]\n add %r0, %r5\n add %r3, 1\n jlt %r3, %r4, inner\n"
     " sub %r6, 1\n jne %r6, 0, outer\n exit\n",
     1500},
    {"stack spill/fill loop (50k)",
     "mov %r0, 0\n mov %r3, 50000\nloop:\n stxdw [%r10-8], %r3\n ldxdw %r4, [%r10-8]\n"
     " add %r0, %r4\n stxw [%r10-16], %r0\n ldxw %r5, [%r10-16]\n add %r0, %r5\n"
     " sub %r3, 1\n jne %r3, 0, loop\n exit\n",
     0},
    {"mul/div/mod loop (50k)",
     "mov %r0, 1\n mov %r3, 50000\nloop:\n mul %r0, 7\n add %r0, %r3\n mov %r4, %r0\n"
     " div %r4, 13\n mod %r0, 1000003\n add %r0, %r4\n sub %r3, 1\n jne %r3, 0, loop\n exit\n",
     0},
};

struct Measure {
  double ns_per_run = 0;
  uint64_t instructions = 0;
  bool ok = false;
};

template <typename RunFn>
Measure measure(RunFn&& run_once, double min_seconds) {
  Measure m;
  // Warm up once, then double the batch until it takes at least min_seconds.
  m.instructions = run_once();
  if (m.instructions == 0) return m;
  uint64_t batch = 1;
  for (;;) {
    const auto t0 = Clock::now();
    for (uint64_t i = 0; i < batch; ++i) run_once();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (s >= min_seconds) {
      m.ns_per_run = s * 1e9 / static_cast<double>(batch);
      m.ok = true;
      return m;
    }
    batch *= 2;
  }
}

void print_row(const std::string& name, const Measure& ours, const Measure* base) {
  const double ns_insn = ours.ns_per_run / static_cast<double>(ours.instructions);
  std::printf("| %-34s | %10llu | %12.0f | %7.2f | %8.1f |", name.c_str(),
              static_cast<unsigned long long>(ours.instructions), ours.ns_per_run, ns_insn,
              1e9 / ours.ns_per_run);
  if (base && base->ok) {
    const double b = base->ns_per_run / static_cast<double>(base->instructions);
    std::printf(" %7.2f | %5.2fx |\n", b, b / ns_insn);
  } else {
    std::printf("     n/a |   n/a |\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  double min_time = 0.3;
  std::string corpus = std::string(EBPF_FPGA_CONFORMANCE_DIR) + "/tests";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--min-time") && i + 1 < argc) {
      min_time = std::atof(argv[++i]);
    } else if (!std::strcmp(argv[i], "--corpus") && i + 1 < argc) {
      corpus = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--min-time SECONDS] [--corpus DIR]\n", argv[0]);
      return 2;
    }
  }

  std::printf("| workload | insns/run | ns/run | ns/insn | runs/s | baseline ns/insn | speed-up |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  auto engine = ebpf::make_interpreter();
  for (const auto& w : kWorkloads) {
    const auto prog = ebpf::assemble(w.text, {.source_name = w.name});
    std::vector<uint8_t> pkt(w.packet_len);
    for (size_t i = 0; i < pkt.size(); ++i) pkt[i] = static_cast<uint8_t>(i * 7 + 1);
    ebpf::MemoryImage mem = ebpf::conformance_memory(pkt);
    engine->load(prog);
    const auto ours = measure(
        [&] {
          const auto r = engine->run(mem);
          return r.fault == ebpf::FaultCode::kNone ? r.instructions : 0;
        },
        min_time);
    const auto base = measure(
        [&] {
          const auto r = bench::switch_baseline_run(prog, mem, ebpf::addr::kDefaultBudget);
          return r.ok ? r.instructions : 0;
        },
        min_time);
    if (!ours.ok) {
      std::printf("| %-34s | faulted |\n", w.name.c_str());
      continue;
    }
    print_row(w.name, ours, &base);
  }

  // The whole conformance corpus: each program run back to back; totals over the corpus.
  if (std::filesystem::is_directory(corpus)) {
    std::vector<ebpf::DataTest> tests;
    for (const auto& p : ebpf::collect_data_files({corpus})) {
      try {
        tests.push_back(ebpf::parse_data_file(p));
      } catch (const std::exception&) {
      }
    }
    std::vector<std::unique_ptr<ebpf::Engine>> engines;
    std::vector<ebpf::MemoryImage> mems;
    for (const auto& t : tests) {
      auto e = ebpf::make_interpreter();
      try {
        e->load(t.program);
      } catch (const std::exception&) {
        continue;
      }
      engines.push_back(std::move(e));
      mems.push_back(ebpf::conformance_memory(t.memory));
    }
    const auto ours = measure(
        [&] {
          uint64_t total = 0;
          for (size_t i = 0; i < engines.size(); ++i) {
            total += engines[i]->run(mems[i]).instructions;
          }
          return total;
        },
        min_time);
    std::printf("| %-34s | %10llu | %12.0f | %7.2f | %8.1f |     n/a |   n/a |\n",
                ("conformance corpus (" + std::to_string(engines.size()) + " programs)").c_str(),
                static_cast<unsigned long long>(ours.instructions), ours.ns_per_run,
                ours.ns_per_run / static_cast<double>(ours.instructions),
                1e9 / ours.ns_per_run * static_cast<double>(engines.size()));
    std::printf("\nCorpus row: runs/s counts single programs (whole corpus passes x programs).\n");
  } else {
    std::printf("\n(conformance corpus not found at %s: corpus row skipped)\n", corpus.c_str());
  }
  return 0;
}
