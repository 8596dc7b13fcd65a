// Comparing the runs of one object on several engines (`ebpf-fpga compare`): per packet the
// action, output bytes (first differing offset), meta bytes, redirect target and fault; the
// final map contents. Which fields are compared depends on the engines (contracts.md
// section 1): interp and rtl agree on everything; the kernel is compared on action, output
// bytes, redirect target and map contents only.
#pragma once

#include <string>
#include <vector>

#include "ebpf_fpga/xdp_report.h"

namespace ebpf {

struct XdpDifference {
  std::string where;  // "packet 3" or "map 'counters'"
  std::string what;   // "action: interp XDP_DROP, rtl XDP_PASS"
  // false: not a difference in semantics but a packet one engine cannot run at all (the
  // kernel's BPF_PROG_TEST_RUN refuses frames under 14 bytes): reported, not counted.
  bool counted = true;
};

// Differences between two runs of the same object over the same packets. PERCPU maps whose
// core counts differ are compared on the sum over cores of each 8-byte word.
std::vector<XdpDifference> compare_xdp_reports(const XdpRunReport& a, const XdpRunReport& b);

}  // namespace ebpf
