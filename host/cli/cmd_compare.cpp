// ebpf-fpga compare PROG.o [--program FUNC | --section NAME] --pcap IN.pcap
//     [--map-init INIT.json] [--engines rtl,interp,kernel]        (contracts.md section 4)
//
// Runs the object over the same packets on each engine, each in its own session, and reports
// every difference per packet and in the final maps against the reference engine (interp when
// it runs, else the first engine that ran). An engine not built, or the kernel refusing the
// object (verifier, permission), is skipped and said so; interp or rtl failing to load the
// object is a difference. Exit 0 when clean, 1 on any difference, 2 on a usage or input error
// or when fewer than two engines could run.
#include <iostream>
#include <sstream>

#include "commands.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_compare.h"
#include "ebpf_fpga/xdp_report.h"
#include "ebpf_fpga/xdp_session.h"

namespace ebpf::cli {
namespace {

std::vector<std::string> split_engines(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream s(list);
  std::string e;
  while (std::getline(s, e, ',')) {
    if (e.empty()) continue;
    if (e != "rtl" && e != "interp" && e != "kernel") {
      throw CLI::ValidationError("--engines", "unknown engine '" + e + "' (rtl, interp, kernel)");
    }
    for (const auto& seen : out) {
      if (seen == e) throw CLI::ValidationError("--engines", "engine '" + e + "' listed twice");
    }
    out.push_back(e);
  }
  return out;
}

// The last lines of a (verifier) message, indented: enough to see why without the whole log.
std::string excerpt(const std::string& text, size_t max_lines = 12) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  std::string l;
  while (std::getline(s, l)) lines.push_back(l);
  std::string out;
  const size_t from = lines.size() > max_lines ? lines.size() - max_lines : 0;
  if (from) out += "    ... (" + std::to_string(from) + " lines before)\n";
  for (size_t i = from; i < lines.size(); ++i) out += "    " + lines[i] + "\n";
  return out;
}

}  // namespace

int cmd_compare(int argc, const char* const* argv) {
  CLI::App app{"Run an XDP object over the same packets on several engines and report every "
               "difference (per packet and in the final maps); exit 1 on any.",
               "ebpf-fpga compare"};
  std::string obj_path, function, section, pcap_in, map_init_path, engine_list = "rtl,interp,kernel";
  XdpSessionOptions opts;
  uint32_t ifindex = 1;
  app.add_option("PROG", obj_path, "XDP object built by clang -target bpf")->required();
  auto* prog_opt = app.add_option("--program", function, "entry program by function name");
  app.add_option("--section", section, "entry program by ELF section")->excludes(prog_opt);
  app.add_option("--pcap", pcap_in, "input packets (pcap, Ethernet)")->required();
  app.add_option("--map-init", map_init_path, "initial map entries (JSON, docs/cli/run.md)");
  app.add_option("--engines", engine_list, "comma-separated engines (default rtl,interp,kernel)");
  app.add_option("--budget", opts.budget, "instruction budget per packet (interp, rtl)")
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", opts.prandom_seed, "bpf_get_prandom_u32 seed (interp, rtl)");
  app.add_option("--cores", opts.maps.cores, "cores of PERCPU maps (interp, rtl; default 1)")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--ifindex", ifindex, "ctx->ingress_ifindex of every packet (default 1)");
  if (auto rc = parse_args(app, argc, argv)) return *rc;
  std::vector<std::string> engines;
  try {
    engines = split_engines(engine_list);
  } catch (const CLI::ValidationError& e) {
    std::cerr << "ebpf-fpga compare: " << e.what() << "\n";
    return kExitUsage;
  }
  if (engines.size() < 2) {
    std::cerr << "ebpf-fpga compare: --engines needs at least two engines\n";
    return kExitUsage;
  }

  std::optional<Object> obj;
  const ProgramSpec* entry = nullptr;
  std::vector<XdpPacketIn> packets;
  MapInit init;
  try {
    obj.emplace(Object::open_file(obj_path));
    entry = &obj->select_program(function.empty() ? std::nullopt : std::optional(function),
                                 section.empty() ? std::nullopt : std::optional(section));
    for (PcapRecord& r : read_pcap_file(pcap_in)) packets.push_back({std::move(r.bytes), ifindex, 0});
    if (!map_init_path.empty()) init = read_map_init_file(map_init_path);
  } catch (const Error& e) {
    std::cerr << "ebpf-fpga compare: error: " << e.what() << "\n";
    return kExitUsage;
  }

  std::vector<XdpRunReport> reports;
  std::vector<std::string> skipped, load_failures;
  for (const std::string& name : engines) {
    if (auto why = xdp_engine_unavailable_reason(name)) {
      std::cout << name << ": skipped: " << *why << "\n";
      skipped.push_back(name);
      continue;
    }
    std::unique_ptr<XdpSession> session;
    try {
      session = make_xdp_session(name, opts);
      session->load(*obj, *entry);
    } catch (const Error& e) {
      // Only the kernel may refuse an object (its verifier, or no permission): interp and
      // rtl must load whatever the other engines run, so their refusal is a difference.
      if (name == "kernel") {
        std::cout << name << ": skipped: cannot load the object:\n" << excerpt(e.what());
        skipped.push_back(name);
        continue;
      }
      std::cout << name << ": load failed (a difference):\n" << excerpt(e.what());
      load_failures.push_back(name);
      continue;
    }
    try {
      apply_map_init(session->maps(), init, map_init_path);
    } catch (const Error& e) {
      std::cerr << "ebpf-fpga compare: error: " << name << ": " << e.what() << "\n";
      return kExitUsage;
    }
    reports.push_back(run_xdp_packets(*session, *obj, *entry, packets));
    const XdpRunReport& r = reports.back();
    size_t counts[5] = {};
    size_t faults = 0, errors = 0;
    for (const auto& p : r.packets) {
      if (p.error) {  // no verdict
        ++errors;
        continue;
      }
      if (p.out.action < 5) ++counts[p.out.action];
      faults += p.out.fault != FaultCode::kNone;
    }
    std::cout << name << ": " << r.packets.size() << " packets: " << counts[0] << " aborted, "
              << counts[1] << " drop, " << counts[2] << " pass, " << counts[3] << " tx, "
              << counts[4] << " redirect; " << faults << " faults";
    if (errors) std::cout << ", " << errors << " not run";
    if (name != "interp" && name != "rtl") {
      std::cout << "; " << r.cores << " cpus";
    }
    std::cout << "\n";
  }
  if (reports.size() < 2) {
    if (!load_failures.empty()) {
      std::cout << "compare: " << load_failures.size() << " difference(s): load failed on";
      for (const auto& f : load_failures) std::cout << " " << f;
      std::cout << "\n";
      return kExitFail;
    }
    std::cout << "compare: only " << reports.size()
              << " engine(s) ran; nothing to compare\n";
    return kExitUsage;
  }

  const NondeterminismSources nd = find_nondeterminism(*obj);
  bool kernel_ran = false;
  for (const auto& r : reports) kernel_ran |= r.engine == "kernel";
  if (!nd.helpers.empty()) {
    std::cout << "note: the program calls helpers whose results legitimately differ between "
                 "engines:";
    for (const auto& h : nd.helpers) std::cout << " " << h;
    std::cout << "; differences below may stem from them\n";
  }
  if (kernel_ran && !nd.lru_maps.empty()) {
    std::cout << "note: LRU_HASH maps evict in a different order on the kernel:";
    for (const auto& m : nd.lru_maps) std::cout << " " << m;
    std::cout << "; differences once they are full may stem from it\n";
  }

  size_t ref = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    if (reports[i].engine == "interp") ref = i;
  }
  size_t total = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i == ref) continue;
    const auto diffs = compare_xdp_reports(reports[ref], reports[i]);
    size_t counted = 0;
    for (const auto& d : diffs) counted += d.counted;
    std::cout << reports[ref].engine << " vs " << reports[i].engine << ": "
              << (counted == 0 ? std::string("identical")
                               : std::to_string(counted) + " difference" + (counted == 1 ? "" : "s"))
              << "\n";
    for (const auto& d : diffs) {
      if (d.counted) std::cout << "  " << d.where << ": " << d.what << "\n";
    }
    for (const auto& d : diffs) {
      if (!d.counted) std::cout << "  not compared: " << d.where << ": " << d.what << "\n";
    }
    total += counted;
  }
  for (const auto& f : load_failures) {
    std::cout << f << ": load failed: counted as 1 difference\n";
  }
  total += load_failures.size();
  std::cout << "compare: " << (total ? std::to_string(total) + " difference(s)" : "clean") << " ("
            << packets.size() << " packets, " << reports.size() << " engines ran";
  if (!skipped.empty()) {
    std::cout << "; skipped:";
    for (const auto& s : skipped) std::cout << " " << s;
  }
  std::cout << ")\n";
  return total ? kExitFail : kExitOk;
}

}  // namespace ebpf::cli
