// ebpf-fpga run PROG.o [--program FUNC | --section NAME] [--engine rtl|interp|kernel |
//     --device URI]
//     --pcap IN.pcap [--map-init INIT.json] [--out OUT.pcap] [--json RESULT.json]
//     [--trace WAVES.fst]                                         (contracts.md sections 4, 5)
//
// Loads every program of the object on one engine, fills its maps from --map-init, runs each
// pcap record through the entry program in order (map state carries over), prints a summary
// and writes the result JSON and the packets that leave (PASS, TX, REDIRECT) as pcap.
// Exit 0 when every packet ran, 1 when one could not run (no verdict) or on a load/run
// error, 2 on a usage error (docs/cli/run.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/offload.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_report.h"
#include "ebpf_fpga/xdp_session.h"

namespace ebpf::cli {
namespace {

// A one-line progress display on stderr: on a terminal from the start (a line updated in
// place), elsewhere once the run has taken 2 s (one line every 2 s).
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) == 1) {}
  void update(size_t done, size_t total) {
    if (quiet_) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (tty_ ? (since < 0.1 && done != total) : (elapsed < 2.0 || since < 2.0)) return;
    last_ = now;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    std::fprintf(stderr, "%srun: %zu/%zu packets (%.0f%%), %.0f packets/s%s", tty_ ? "\r" : "",
                 done, total, total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0,
                 rate, tty_ ? "   " : "\n");
    shown_ = true;
  }
  void finish() {
    if (shown_ && tty_) std::fprintf(stderr, "\n");
  }

 private:
  bool quiet_;
  bool tty_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int cmd_run(int argc, const char* const* argv) {
  CLI::App app{"Run an XDP object over the packets of a pcap file on one engine; print a "
               "summary, write the result JSON (contracts.md section 5) and the packets that "
               "leave.",
               "ebpf-fpga run"};
  std::string obj_path, function, section, engine = "rtl", pcap_in, map_init_path, pcap_out,
                                          json_path, trace;
  XdpSessionOptions opts;
  uint32_t ifindex = 1;
  bool quiet = false;
  app.add_option("PROG", obj_path, "XDP object built by clang -target bpf")->required();
  auto* prog_opt = app.add_option("--program", function, "entry program by function name");
  app.add_option("--section", section, "entry program by ELF section")->excludes(prog_opt);
  std::string device_uri;
  auto* engine_opt =
      app.add_option("--engine", engine, "rtl (default: the soft-CPU model), interp or kernel")
          ->check(CLI::IsMember({"rtl", "interp", "kernel"}));
  app.add_option("--device", device_uri,
                 "run on a device instead: sim:, interp:, udp://HOST:PORT, pcie://BDF, "
                 "pcie-socket://PATH (the object is loaded there, frames are test runs)")
      ->excludes(engine_opt);
  app.add_option("--pcap", pcap_in, "input packets (pcap, Ethernet)")->required();
  app.add_option("--map-init", map_init_path, "initial map entries (JSON, docs/cli/run.md)");
  app.add_option("--out", pcap_out, "write the packets that leave (PASS, TX, REDIRECT) here");
  app.add_option("--json", json_path, "write the result JSON here ('-': standard output)");
  app.add_option("--trace", trace, "rtl: write waveforms (FST) to this file");
  app.add_option("--budget", opts.budget, "instruction budget per packet (interp, rtl)")
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", opts.prandom_seed, "bpf_get_prandom_u32 seed (interp, rtl)");
  app.add_option("--cores", opts.maps.cores, "cores of PERCPU maps (interp, rtl; default 1)")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--ifindex", ifindex, "ctx->ingress_ifindex of every packet (default 1)");
  app.add_flag("--quiet,-q", quiet, "no summary and no progress display");
  if (auto rc = parse_args(app, argc, argv)) return *rc;
  if (!trace.empty() && (engine != "rtl" || !device_uri.empty())) {
    std::cerr << "ebpf-fpga run: --trace needs --engine rtl\n";
    return kExitUsage;
  }
  opts.engine.trace_path = trace;

  try {
    const Object obj = Object::open_file(obj_path);
    const ProgramSpec& entry = obj.select_program(
        function.empty() ? std::nullopt : std::optional(function),
        section.empty() ? std::nullopt : std::optional(section));
    const std::vector<PcapRecord> records = read_pcap_file(pcap_in);
    const MapInit init = map_init_path.empty() ? MapInit{} : read_map_init_file(map_init_path);

    std::vector<XdpPacketIn> packets;
    packets.reserve(records.size());
    size_t snapped = 0;
    for (const PcapRecord& r : records) {
      packets.push_back({r.bytes, ifindex, 0});
      snapped += r.bytes.size() < r.orig_len;
    }
    if (snapped && !quiet) {
      std::cerr << "ebpf-fpga run: warning: " << snapped << " record(s) of " << pcap_in
                << " were cut by the capture's snaplen; they run on the captured bytes\n";
    }

    std::optional<Device> dev;
    std::unique_ptr<XdpSession> session;
    if (!device_uri.empty()) {
      dev.emplace(Device::open(device_uri));
      session = make_device_xdp_session(*dev, opts);
    } else {
      session = make_xdp_session(engine, opts);
    }
    session->load(obj, entry);
    apply_map_init(session->maps(), init, map_init_path);

    Progress progress(quiet);
    const XdpRunReport report = run_xdp_packets(
        *session, obj, entry, packets, [&](size_t done, size_t total) { progress.update(done, total); });
    progress.finish();

    if (!json_path.empty()) {
      const std::string text = xdp_report_json(report);
      if (json_path == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
      } else {
        write_file(json_path, std::vector<uint8_t>(text.begin(), text.end()));
      }
    }
    if (!pcap_out.empty()) {
      PcapWriter out(pcap_out);
      for (size_t i = 0; i < report.packets.size(); ++i) {
        const XdpPacketReport& p = report.packets[i];
        const uint32_t a = p.out.action;
        if (p.error || (a != kXdpPass && a != kXdpTx && a != kXdpRedirect)) continue;
        out.write(p.out.data, records[i].ts_sec, records[i].ts_usec);
      }
      out.close();
    }
    if (!quiet) {
      // With the JSON on standard output, the summary goes to standard error.
      (json_path == "-" ? std::cerr : std::cout) << xdp_summary_text(report);
    }
    size_t not_run = 0;
    for (const XdpPacketReport& p : report.packets) not_run += p.error.has_value();
    if (not_run) {
      std::cerr << "ebpf-fpga run: error: " << not_run << " of " << report.packets.size()
                << " packet(s) could not run (\"verdict\": \"ERROR\" in the JSON)\n";
      return kExitFail;
    }
    return kExitOk;
  } catch (const Error& e) {
    std::cerr << "ebpf-fpga run: error: " << e.what() << "\n";
    return kExitFail;
  }
}

}  // namespace ebpf::cli
