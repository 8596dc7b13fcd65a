// packet_io_bench: latency and packet rate of the packet I/O path of ebpf_xdp_top (the
// Verilated model, cycle-accurate): cycles from the first beat in to the verdict and to the
// last beat out (the hardware's own IO_LAST_VERDICT / IO_LAST_OUT), and cycles per frame
// for back-to-back frames, for xdp_drop, xdp_pass and a MAC swap + XDP_TX, at 64 to 9018
// bytes; the packet rate this gives at 100 MHz. Prints a Markdown table (docs/packet_io.md).
// Run: build/bench/rtl/packet_io_bench [frames per rate run, default 64]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "xdp_sample_programs.h"
#include "xdp_top_harness.h"

namespace {

using namespace xdp_io;

using ebpf::sim::samples::kDrop;
using ebpf::sim::samples::kMacSwap;
using ebpf::sim::samples::kPass;

struct Row {
  std::string prog;
  size_t len;
  uint32_t verdict, out, run_cycles, instret;
  double per_frame;
};

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 64;
  if (n < 2) {
    std::fprintf(stderr, "packet_io_bench: frames per rate run must be at least 2\n");
    return 2;
  }
  const std::vector<std::pair<const char*, const char*>> progs = {
      {"xdp_drop", kDrop}, {"xdp_pass", kPass}, {"mac_swap + XDP_TX", kMacSwap}};
  std::vector<Row> rows;
  for (const auto& [name, text] : progs) {
    const auto prog = ebpf::assemble(text);
    for (size_t len : {64u, 128u, 512u, 1518u, 9018u}) {
      Bytes frame(len);
      for (size_t i = 0; i < len; ++i) frame[i] = static_cast<uint8_t>(i * 7 + 1);
      XdpTop t;
      t.load(prog);
      // Latency: one frame into an idle block, egress always ready.
      t.send(frame, 0);
      if (!t.drain()) {
        std::fprintf(stderr, "packet_io_bench: %s %zu bytes did not finish\n", name, len);
        return 1;
      }
      Row r{name, len, t.read(io::kLastVerdict), t.read(io::kLastOut),
            t.read(ebpf::csr::kCyclesLo), t.read(ebpf::csr::kInstretLo), 0.0};
      // Rate: n frames queued back to back; cycles from the first beat offered to idle.
      const uint64_t c0 = t.cycles();
      for (int i = 0; i < n; ++i) t.send(frame, static_cast<uint32_t>(i % 3));
      if (!t.drain()) {
        std::fprintf(stderr, "packet_io_bench: %s rate run did not finish\n", name);
        return 1;
      }
      const uint64_t c1 = t.cycles() - 4;  // drain() waits 4 idle cycles
      r.per_frame = static_cast<double>(c1 - c0) / n;
      rows.push_back(r);
    }
  }
  std::printf("| program | frame bytes | first beat in -> verdict | first beat in -> last beat out | "
              "program run (cycles, insns) | cycles per frame, back to back | Mpps at 100 MHz | "
              "Gbit/s at 100 MHz |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Row& r : rows) {
    const double mpps = 100.0 / r.per_frame;
    std::printf("| %s | %zu | %u | %u | %u, %u | %.1f | %.3f | %.2f |\n", r.prog.c_str(), r.len,
                r.verdict, r.out, r.run_cycles, r.instret, r.per_frame, mpps,
                mpps * 1e6 * static_cast<double>(r.len) * 8 / 1e9);
  }
  return 0;
}
