// Running an XDP object over a packet list on one XdpSession, and what comes out of it: the
// result JSON of contracts.md section 5, the terminal summary, and the final map contents.
// Shared by `ebpf-fpga run`, `ebpf-fpga compare` and the tests.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/object.h"
#include "ebpf_fpga/xdp_session.h"

namespace ebpf {

// One packet's outcome. `error` is set when the engine could not run the frame at all (a
// frame above addr::kPacketMaxFrame, or one the kernel refuses): the packet has no verdict
// (JSON "action": null, "verdict": "ERROR"), is left out of the totals, the run goes on and
// `ebpf-fpga run` exits 1 at the end (docs/cli/run.md).
struct XdpPacketReport {
  XdpPacketOut out;
  std::optional<std::string> error;
};

struct XdpMapDump {
  std::string name;
  MapType type = MapType::kArray;
  uint32_t value_size = 0;         // MapSpec::value_size
  std::vector<MapEntry> entries;   // sorted by key bytes
};

struct XdpRunReport {
  std::string program;  // object file name (no directories)
  std::string entry;    // entry function
  std::string section;  // its ELF section
  std::string engine;
  uint32_t cores = 1;   // PERCPU values hold this many copies
  std::vector<std::string> program_names;  // Object::programs() function names
  std::vector<std::string> map_names;      // Object::maps() names
  std::vector<XdpPacketReport> packets;
  std::vector<XdpMapDump> maps;            // after the last packet, Object::maps() order
};

// Every map of `maps`, entries sorted by key bytes (types without a host view: no entries).
std::vector<XdpMapDump> dump_all_maps(MapAccess& maps);

// Runs every packet in order on a loaded session (map state carries over), then dumps the
// maps. `progress` (may be empty) is called after each packet with (done, total).
XdpRunReport run_xdp_packets(XdpSession& session, const Object& obj, const ProgramSpec& entry,
                             const std::vector<XdpPacketIn>& packets,
                             const std::function<void(size_t, size_t)>& progress = {});

// "XDP_DROP", ...; "XDP_UNKNOWN(N)" above 4.
std::string xdp_verdict_name(uint32_t action);

// contracts.md section 5, pretty-printed with two-space indentation.
std::string xdp_report_json(const XdpRunReport& report);

// The terminal summary: packets per action, cycles (when the engine counts them) and
// instructions per packet min/median/max, faults by code with the first packet index,
// errors, redirects per target.
std::string xdp_summary_text(const XdpRunReport& report);

// Helpers a program calls whose results legitimately differ between engines
// (ktime_get_ns, get_prandom_u32, get_smp_processor_id), found by scanning every program's
// instructions, as "name (id)"; and the object's LRU_HASH maps (eviction order differs from
// the kernel's).
struct NondeterminismSources {
  std::vector<std::string> helpers;
  std::vector<std::string> lru_maps;
};
NondeterminismSources find_nondeterminism(const Object& obj);

}  // namespace ebpf
