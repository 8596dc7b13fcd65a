// Running packets on a session, the result JSON and the terminal summary.
#include "ebpf_fpga/xdp_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/map_init.h"

namespace ebpf {
namespace {

// The "verdict" of a packet the engine could not run (docs/cli/run.md).
constexpr std::string_view kXdpNotRunVerdict = "ERROR";

std::string basename_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

nlohmann::ordered_json opt_u64(const std::optional<uint64_t>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::string name_at(const std::vector<std::string>& names, uint32_t i) {
  return i < names.size() ? names[i] : "#" + std::to_string(i);
}

// min/median/max of `v` (not empty), as "min / median / max".
std::string spread(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  const uint64_t median = v.size() % 2 ? v[v.size() / 2]
                                       : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  return std::to_string(v.front()) + " / " + std::to_string(median) + " / " +
         std::to_string(v.back());
}

}  // namespace

std::vector<XdpMapDump> dump_all_maps(MapAccess& maps) {
  std::vector<XdpMapDump> out;
  for (uint32_t i = 0; i < maps.map_count(); ++i) {
    const MapSpec& s = maps.spec(i);
    XdpMapDump d{s.name, s.type, s.value_size, dump_map(maps, i)};
    std::sort(d.entries.begin(), d.entries.end(),
              [](const MapEntry& a, const MapEntry& b) { return a.first < b.first; });
    out.push_back(std::move(d));
  }
  return out;
}

XdpRunReport run_xdp_packets(XdpSession& session, const Object& obj, const ProgramSpec& entry,
                             const std::vector<XdpPacketIn>& packets,
                             const std::function<void(size_t, size_t)>& progress) {
  XdpRunReport rep;
  rep.program = basename_of(obj.name());
  rep.entry = entry.name;
  rep.section = entry.section;
  rep.engine = std::string(session.engine());
  rep.cores = session.maps().cores();
  for (const ProgramSpec& p : obj.programs()) rep.program_names.push_back(p.name);
  for (const MapSpec& m : obj.maps()) rep.map_names.push_back(m.name);
  rep.packets.reserve(packets.size());
  for (size_t i = 0; i < packets.size(); ++i) {
    XdpPacketReport pr;
    try {
      pr.out = session.run(packets[i]);
    } catch (const Error& e) {
      // Not a verdict: the report says "not run" (no action, the input bytes unchanged).
      pr.out = XdpPacketOut{};
      pr.out.data = packets[i].bytes;
      pr.error = e.what();
    }
    rep.packets.push_back(std::move(pr));
    if (progress) progress(i + 1, packets.size());
  }
  rep.maps = dump_all_maps(session.maps());
  return rep;
}

std::string xdp_verdict_name(uint32_t action) {
  switch (action) {
    case kXdpAborted: return "XDP_ABORTED";
    case kXdpDrop: return "XDP_DROP";
    case kXdpPass: return "XDP_PASS";
    case kXdpTx: return "XDP_TX";
    case kXdpRedirect: return "XDP_REDIRECT";
  }
  return "XDP_UNKNOWN(" + std::to_string(action) + ")";
}

std::string xdp_report_json(const XdpRunReport& rep) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["program"] = rep.program;
  j["function"] = rep.entry;
  j["section"] = rep.section;
  j["engine"] = rep.engine;
  j["cores"] = rep.cores;
  json packets = json::array();
  uint64_t cycles = 0, insns = 0;
  bool have_cycles = !rep.packets.empty(), have_insns = !rep.packets.empty();
  for (size_t i = 0; i < rep.packets.size(); ++i) {
    const XdpPacketOut& o = rep.packets[i].out;
    json p = json::object();
    const bool not_run = rep.packets[i].error.has_value();
    p["index"] = i;
    p["action"] = not_run ? json(nullptr) : json(o.action);
    p["verdict"] = not_run ? std::string(kXdpNotRunVerdict) : xdp_verdict_name(o.action);
    p["data"] = to_hex(o.data);
    if (!o.meta.empty()) p["meta"] = to_hex(o.meta);
    if (o.redirect) {
      const Redirect& r = *o.redirect;
      p["redirect"] = {{"ifindex", r.ifindex},
                       {"map", r.map ? json(name_at(rep.map_names, *r.map)) : json(nullptr)},
                       {"key", r.key},
                       {"flags", r.flags}};
    } else {
      p["redirect"] = nullptr;
    }
    p["cycles"] = opt_u64(o.cycles);
    p["instructions"] = opt_u64(o.instructions);
    if (o.fault != FaultCode::kNone) {
      // invalid_action is found after exit: no instruction faulted, so no pc.
      p["fault"] = {{"code", std::string(fault_name(o.fault))},
                    {"pc", o.fault == FaultCode::kInvalidAction ? json(nullptr) : json(o.fault_pc)},
                    {"program", name_at(rep.program_names, o.fault_program)}};
    } else {
      p["fault"] = nullptr;
    }
    json events = json::array();
    for (const Event& e : o.events) {
      events.push_back({{"kind", std::string(event_kind_name(e.kind))},
                        {"map", e.kind == EventKind::kTracePrintk
                                    ? json(nullptr)
                                    : json(name_at(rep.map_names, e.map))},
                        {"index", e.index},
                        {"flags", e.flags},
                        {"bytes", to_hex(e.bytes)}});
    }
    p["events"] = std::move(events);
    if (rep.packets[i].error) p["error"] = *rep.packets[i].error;
    if (!not_run) {  // the totals cover the packets that ran
      have_cycles &= o.cycles.has_value();
      have_insns &= o.instructions.has_value();
      cycles += o.cycles.value_or(0);
      insns += o.instructions.value_or(0);
    }
    packets.push_back(std::move(p));
  }
  j["packets"] = std::move(packets);
  json maps = json::object();
  for (const XdpMapDump& m : rep.maps) {
    json entries = json::array();
    for (const auto& [k, v] : m.entries) entries.push_back({{"key", to_hex(k)}, {"value", to_hex(v)}});
    maps[m.name] = std::move(entries);
  }
  j["maps"] = std::move(maps);
  j["totals"] = {{"packets", rep.packets.size()},
                 {"cycles", have_cycles ? json(cycles) : json(nullptr)},
                 {"instructions", have_insns ? json(insns) : json(nullptr)}};
  return j.dump(2) + "\n";
}

std::string xdp_summary_text(const XdpRunReport& rep) {
  std::ostringstream os;
  const size_t n = rep.packets.size();
  os << rep.program << ": " << rep.entry << " (section " << rep.section << ") on " << rep.engine
     << ", " << n << " packet" << (n == 1 ? "" : "s") << "\n";
  std::map<uint32_t, size_t> actions;
  std::map<std::string, std::pair<size_t, size_t>> faults;  // code -> (count, first index)
  std::map<std::string, size_t> redirects;
  std::vector<uint64_t> cycles, insns;
  size_t errors = 0;
  std::optional<size_t> first_error;
  for (size_t i = 0; i < n; ++i) {
    const XdpPacketReport& p = rep.packets[i];
    if (p.error) {
      ++errors;
      if (!first_error) first_error = i;
      continue;
    }
    ++actions[p.out.action];
    if (p.out.fault != FaultCode::kNone) {
      auto [it, fresh] = faults.try_emplace(std::string(fault_name(p.out.fault)), 0, i);
      ++it->second.first;
    }
    if (p.out.redirect) {
      const Redirect& r = *p.out.redirect;
      std::string target = r.map ? "map " + name_at(rep.map_names, *r.map) + " key " +
                                       std::to_string(r.key)
                                 : "ifindex " + std::to_string(r.ifindex);
      ++redirects[target];
    }
    if (p.out.cycles) cycles.push_back(*p.out.cycles);
    if (p.out.instructions) insns.push_back(*p.out.instructions);
  }
  char line[160];
  os << "\n  verdict          packets\n";
  for (const auto& [a, count] : actions) {
    std::snprintf(line, sizeof line, "  %-16s %7zu\n", xdp_verdict_name(a).c_str(), count);
    os << line;
  }
  if (errors) {
    std::snprintf(line, sizeof line, "  %-16s %7zu\n", "not run", errors);
    os << line;
  }
  if (!cycles.empty() || !insns.empty()) os << "\n  per packet       min / median / max\n";
  if (!cycles.empty()) os << "  cycles           " << spread(cycles) << "\n";
  if (!insns.empty()) os << "  instructions     " << spread(insns) << "\n";
  if (!faults.empty()) {
    os << "\n  fault                 packets  first\n";
    for (const auto& [code, v] : faults) {
      std::snprintf(line, sizeof line, "  %-21s %7zu  #%zu\n", code.c_str(), v.first, v.second);
      os << line;
    }
  } else {
    os << "\n  faults: none\n";
  }
  if (errors) {
    os << "\n  not run (no verdict): " << errors << " packet" << (errors == 1 ? "" : "s")
       << ", first #" << *first_error << ": " << *rep.packets[*first_error].error << "\n";
  }
  if (!redirects.empty()) {
    os << "\n  redirect target        packets\n";
    for (const auto& [t, count] : redirects) {
      std::snprintf(line, sizeof line, "  %-21s %7zu\n", t.c_str(), count);
      os << line;
    }
  }
  return os.str();
}

NondeterminismSources find_nondeterminism(const Object& obj) {
  NondeterminismSources out;
  std::map<int32_t, bool> seen;
  for (const ProgramSpec& p : obj.programs()) {
    for (const Insn& insn : p.insns) {
      if (insn.opcode != 0x85 || insn.src() != 0) continue;
      if (insn.imm == helper_id::kKtimeGetNs || insn.imm == helper_id::kGetPrandomU32 ||
          insn.imm == helper_id::kGetSmpProcessorId) {
        seen[insn.imm] = true;
      }
    }
  }
  for (const auto& [id, unused] : seen) {
    const auto info = find_helper(id);
    out.helpers.push_back(std::string(info ? info->name : "helper") + " (" + std::to_string(id) + ")");
  }
  for (const MapSpec& m : obj.maps()) {
    if (m.type == MapType::kLruHash) out.lru_maps.push_back(m.name);
  }
  return out;
}

}  // namespace ebpf
