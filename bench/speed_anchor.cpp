// The speed anchor (issue 5, docs/perf.md "Speed anchor"): for every firmware program
// (build/firmware/*.o with its pcap corpus and map-init), side by side in one run:
//  - the Linux kernel (its JIT when /proc/sys/net/core/bpf_jit_enable is 1): ns per packet as
//    BPF_PROG_TEST_RUN reports it, with repeat=N on each packet (best of 5 calls; the kernel
//    does not restore the packet between repeats), and with repeat=1 (a fresh copy of the
//    packet every run; median of M calls), averaged over the packets;
//  - our reference interpreter: ns per packet, timed over the same packets (run() and copying
//    the frame back into the packet buffer; best of 500 blocks);
//  - our RTL (the Verilator model): cycles per packet (RunResult::cycles), converted to
//    packets per second at 100 MHz and at the place-and-route Fmax read from docs/perf.md.
// The process runs on CPU 0 (the kernel session pins its test runs there too). Frames shorter
// than 14 bytes are left out everywhere: BPF_PROG_TEST_RUN refuses them.
//
// Run: build/bench/speed_anchor [--repeat N] [--calls M] [--interp-rounds K]
//                               [--firmware DIR] [--fmax-mhz F]
#include <sched.h>
#include <sys/utsname.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "corpus.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/object.h"
#include "kernel_session.h"

namespace {

namespace fs = std::filesystem;
using ebpf::kernel::Bytes;

constexpr int kTrials = 5;          // kernel repeat=N timings keep the best of this many
constexpr int kInterpBlocks = 500;  // interpreter timings keep the best of this many blocks

struct Options {
  uint32_t repeat = 10000;        // kernel: BPF_PROG_TEST_RUN repeat per packet
  uint32_t calls = 200;           // kernel: repeat=1 calls per packet
  uint32_t interp_rounds = 2000;  // interpreter: passes over the corpus
  fs::path firmware = fs::path(EBPF_FPGA_BINARY_DIR) / "firmware";
  std::optional<double> fmax_mhz;
};

// The LFE5UM5G-85F-8 Fmax of ebpf_top from the table in docs/perf.md
// ("| LFE5UM5G-85F, speed 8 | ... | 49.35 MHz |"): measured there, not assumed here.
std::optional<double> fmax_from_docs(std::string* where) {
  const fs::path doc = fs::path(EBPF_FPGA_SOURCE_DIR) / "docs" / "perf.md";
  std::ifstream in(doc);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| LFE5UM5G-85F, speed 8 |", 0) != 0) continue;
    const size_t mhz = line.rfind(" MHz");
    const size_t bar = line.rfind('|', mhz);
    if (mhz == std::string::npos || bar == std::string::npos) continue;
    *where = doc.string() + " (LFE5UM5G-85F, speed 8)";
    return std::strtod(line.c_str() + bar + 1, nullptr);
  }
  return std::nullopt;
}

const ebpf::ProgramSpec& entry_of(const ebpf::Object& obj, const std::string& stem) {
  for (const auto& p : obj.programs()) {
    if (p.name == stem) return p;
  }
  for (const auto& p : obj.programs()) {
    if (p.name.ends_with("_entry")) return p;
  }
  return obj.programs().front();
}

// An interp or rtl engine set up as the XDP session does it: maps, every program, PROG_ARRAYs.
std::unique_ptr<ebpf::Engine> make_xdp_engine(const std::string& name, const ebpf::Object& obj,
                                              const ebpf::ProgramSpec& entry, uint32_t cores,
                                              const std::vector<ebpf::kernel::MapInit>& init) {
  auto e = ebpf::make_engine(name);
  if (!obj.maps().empty()) e->configure_maps(obj.maps(), ebpf::MapOptions{.cores = cores});
  std::vector<std::vector<ebpf::Insn>> progs;
  size_t entry_index = 0;
  for (size_t i = 0; i < obj.programs().size(); ++i) {
    progs.push_back(obj.programs()[i].insns);
    if (obj.programs()[i].name == entry.name) entry_index = i;
  }
  e->load_programs(progs, entry_index);
  if (!obj.maps().empty()) {
    ebpf::init_prog_arrays(*e->maps(), obj.maps(), obj.programs());
    ebpf::kernel::apply_map_init(*e->maps(), init);
  }
  return e;
}

struct Row {
  std::string program;
  size_t frames = 0;
  double insns = 0;            // interpreter: instructions per packet
  double kernel_ns = 0;        // repeat = N
  double kernel_ns_fresh = 0;  // repeat = 1
  double interp_ns = 0;
  std::optional<double> rtl_cycles;
  std::string rtl_error;
  std::string kernel_error;
};

Row measure(const fs::path& object, const Options& opt) {
  Row row;
  const std::string stem = object.stem().string();
  row.program = stem;
  const fs::path base = object.parent_path() / "pcap" / stem;
  std::vector<Bytes> frames;
  for (auto& f : ebpf::kernel::read_pcap(base.string() + ".pcap")) {
    if (f.size() >= ebpf::kernel::kMinPacketBytes) frames.push_back(std::move(f));
  }
  std::vector<ebpf::kernel::MapInit> init;
  if (fs::exists(base.string() + ".map-init.json")) {
    init = ebpf::kernel::read_map_init(base.string() + ".map-init.json");
  }
  row.frames = frames.size();
  const ebpf::Object obj = ebpf::Object::open_file(object.string());
  const ebpf::ProgramSpec& entry = entry_of(obj, stem);
  const uint32_t cores = ebpf::kernel::possible_cpus();

  // Kernel: repeat = N per packet, then repeat = 1 (fresh packet each call), new sessions so
  // that both start from the map-init state.
  try {
    for (int pass = 0; pass < 2; ++pass) {
      ebpf::kernel::KernelXdpSession k({});
      k.load(obj, entry);
      ebpf::kernel::apply_map_init(k.maps(), init);
      double sum = 0;
      for (const Bytes& f : frames) {
        if (pass == 0) {
          // Best of kTrials: other processes on the machine only ever add time.
          uint64_t best = UINT64_MAX;
          for (int t = 0; t < kTrials; ++t) {
            best = std::min(best, k.time_packet({.bytes = f}, opt.repeat));
          }
          sum += static_cast<double>(best);
        } else {
          std::vector<uint64_t> t(opt.calls);
          for (auto& v : t) v = k.time_packet({.bytes = f}, 1);
          std::nth_element(t.begin(), t.begin() + t.size() / 2, t.end());
          sum += static_cast<double>(t[t.size() / 2]);  // median of the calls
        }
      }
      (pass == 0 ? row.kernel_ns : row.kernel_ns_fresh) = sum / static_cast<double>(frames.size());
    }
  } catch (const std::exception& e) {
    row.kernel_error = e.what();
  }

  // Interpreter: K passes over the corpus, map state carrying over.
  {
    auto e = make_xdp_engine("interp", obj, entry, cores, init);
    ebpf::MemoryImage mem;
    mem.has_ctx = true;
    mem.ingress_ifindex = 1;
    uint64_t insns = 0;
    for (const Bytes& f : frames) {
      mem.set_packet(f);
      insns += e->run(mem).instructions;
    }
    row.insns = static_cast<double>(insns) / static_cast<double>(frames.size());
    // Timed: run() and putting the frame back (its bytes and the offsets). Not timed:
    // MemoryImage::set_packet's clearing of the whole 9.5 KiB packet buffer, as the kernel's
    // duration leaves out its own copy of the packet.
    auto restore = [&mem](const Bytes& f) {
      std::copy(f.begin(), f.end(), mem.packet.begin() + ebpf::addr::kPacketHeadroom);
      mem.data_meta = mem.data = ebpf::addr::kPacketHeadroom;
      mem.data_end = mem.data + static_cast<uint32_t>(f.size());
    };
    // Best of kInterpBlocks timed blocks of interp_rounds / kInterpBlocks passes each
    // (short blocks, so that some fall between other processes' time slices).
    const uint32_t rounds = std::max<uint32_t>(1, opt.interp_rounds / kInterpBlocks);
    double best = 0;
    for (int t = 0; t < kInterpBlocks; ++t) {
      const auto t0 = std::chrono::steady_clock::now();
      for (uint32_t r = 0; r < rounds; ++r) {
        for (const Bytes& f : frames) {
          restore(f);
          e->run(mem);
        }
      }
      const auto t1 = std::chrono::steady_clock::now();
      const double ns = static_cast<double>(
                            std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) /
                        (static_cast<double>(rounds) * static_cast<double>(frames.size()));
      if (t == 0 || ns < best) best = ns;
    }
    row.interp_ns = best;
  }

  // RTL: one pass, cycles per packet from the model.
  try {
    auto e = make_xdp_engine("rtl", obj, entry, cores, init);
    ebpf::MemoryImage mem;
    mem.has_ctx = true;
    mem.ingress_ifindex = 1;
    uint64_t cycles = 0;
    for (const Bytes& f : frames) {
      mem.set_packet(f);
      const ebpf::RunResult r = e->run(mem);
      if (!r.cycles) throw ebpf::Error("no cycle count");
      cycles += *r.cycles;
    }
    row.rtl_cycles = static_cast<double>(cycles) / static_cast<double>(frames.size());
  } catch (const std::exception& e) {
    row.rtl_error = e.what();
  }
  return row;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

std::string mpps(double per_second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", per_second / 1e6);
  return buf;
}

uint32_t parse_u32(const char* flag, const char* v) {
  char* end = nullptr;
  const unsigned long n = std::strtoul(v, &end, 10);
  if (end == v || *end != '\0' || n == 0 || n > 100000000ul) {
    std::fprintf(stderr, "speed_anchor: %s wants a positive integer, got '%s'\n", flag, v);
    std::exit(2);
  }
  return static_cast<uint32_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "speed_anchor: %s needs a value (or unknown option)\n", a.c_str());
      return 2;
    }
    const char* v = argv[++i];
    if (a == "--repeat")
      opt.repeat = parse_u32("--repeat", v);
    else if (a == "--calls")
      opt.calls = parse_u32("--calls", v);
    else if (a == "--interp-rounds")
      opt.interp_rounds = parse_u32("--interp-rounds", v);
    else if (a == "--firmware")
      opt.firmware = v;
    else if (a == "--fmax-mhz")
      opt.fmax_mhz = std::strtod(v, nullptr);
    else {
      std::fprintf(stderr, "speed_anchor: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  std::string fmax_source = "--fmax-mhz";
  if (!opt.fmax_mhz) opt.fmax_mhz = fmax_from_docs(&fmax_source);

  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  const bool pinned = sched_setaffinity(0, sizeof one, &one) == 0;

  utsname u{};
  uname(&u);
  const auto jit = ebpf::kernel::KernelXdpSession::jit_enabled();
  std::printf("machine: %s, %ld online CPUs; kernel %s %s %s; bpf_jit_enable=%s; %s\n",
              cpu_model().c_str(), sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine,
              jit ? std::to_string(*jit).c_str() : "unknown",
              pinned ? "pinned to CPU 0" : "NOT pinned");
  if (const auto why = ebpf::kernel_unavailable_reason()) {
    std::printf("kernel engine unavailable: %s\n", why->c_str());
  }
  if (opt.fmax_mhz) {
    std::printf("Fmax %.2f MHz from %s\n", *opt.fmax_mhz, fmax_source.c_str());
  } else {
    std::printf("Fmax: not found in docs/perf.md (give --fmax-mhz)\n");
  }
  std::printf(
      "kernel: repeat=%u per packet (best of 5), and repeat=1 x %u calls (median); "
      "interpreter: %u passes (best of 500 blocks)\n\n",
      opt.repeat, opt.calls, opt.interp_rounds);

  std::vector<fs::path> objects;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(opt.firmware, ec)) {
    if (e.path().extension() == ".o" &&
        fs::exists(e.path().parent_path() / "pcap" / (e.path().stem().string() + ".pcap"))) {
      objects.push_back(e.path());
    }
  }
  if (objects.empty()) {
    std::fprintf(stderr,
                 "speed_anchor: no firmware objects with corpora in %s (build the "
                 "`firmware` and `firmware_pcaps` targets)\n",
                 opt.firmware.c_str());
    return 1;
  }
  std::sort(objects.begin(), objects.end());

  const std::string fmax_col =
      opt.fmax_mhz ? " Mpps @ " + std::to_string(*opt.fmax_mhz).substr(0, 5) + " MHz |" : "";
  std::printf(
      "| program | frames | insns/pkt | kernel ns/pkt (repeat %u) | kernel ns/pkt (repeat 1) "
      "| kernel Mpps | interp ns/pkt | interp Mpps | RTL cycles/pkt | RTL Mpps @ 100 MHz |%s\n",
      opt.repeat, fmax_col.c_str());
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%s\n",
              opt.fmax_mhz ? "---:|" : "");
  std::vector<std::string> notes;
  for (const fs::path& object : objects) {
    Row r;
    try {
      r = measure(object, opt);
    } catch (const std::exception& e) {
      std::printf("| %s | error: %s |\n", object.stem().c_str(), e.what());
      continue;
    }
    std::string kns = "n/a", kfresh = "n/a", kmpps = "n/a";
    if (r.kernel_error.empty()) {
      char b[64];
      std::snprintf(b, sizeof b, "%.1f", r.kernel_ns);
      kns = b;
      std::snprintf(b, sizeof b, "%.1f", r.kernel_ns_fresh);
      kfresh = b;
      kmpps = r.kernel_ns > 0 ? mpps(1e9 / r.kernel_ns) : "n/a (below timer resolution)";
    } else {
      notes.push_back(r.program + ": kernel: " + r.kernel_error);
    }
    std::string cyc, at100, atf;
    if (r.rtl_cycles) {
      char b[64];
      std::snprintf(b, sizeof b, "%.1f", *r.rtl_cycles);
      cyc = b;
      at100 = mpps(100e6 / *r.rtl_cycles);
      atf = opt.fmax_mhz ? mpps(*opt.fmax_mhz * 1e6 / *r.rtl_cycles) : "";
    } else {
      cyc = "n/a (rtl engine: " + r.rtl_error + ")";
      at100 = atf = "n/a";
    }
    std::printf("| %s | %zu | %.1f | %s | %s | %s | %.1f | %s | %s | %s |%s\n", r.program.c_str(),
                r.frames, r.insns, kns.c_str(), kfresh.c_str(), kmpps.c_str(), r.interp_ns,
                mpps(1e9 / r.interp_ns).c_str(), cyc.c_str(), at100.c_str(),
                opt.fmax_mhz ? (" " + atf + " |").c_str() : "");
  }
  for (const auto& n : notes) std::printf("\n%s", n.c_str());
  std::printf("\n");
  return 0;
}
