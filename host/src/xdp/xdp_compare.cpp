// Differences between two runs of one object (ebpf-fpga compare).
#include "ebpf_fpga/xdp_compare.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

#include "ebpf_fpga/map_init.h"

namespace ebpf {
namespace {

std::string hex_byte(uint8_t b) {
  char s[8];
  std::snprintf(s, sizeof s, "0x%02x", b);
  return s;
}

// "" when equal, else where the two byte strings first differ.
std::string bytes_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b,
                             const std::string& an, const std::string& bn) {
  if (a == b) return {};
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  std::string s = "first difference at byte " + std::to_string(i);
  if (i < n) s += " (" + an + " " + hex_byte(a[i]) + ", " + bn + " " + hex_byte(b[i]) + ")";
  if (a.size() != b.size()) {
    s += "; lengths " + an + " " + std::to_string(a.size()) + ", " + bn + " " +
         std::to_string(b.size());
  }
  return s;
}

// names[i], or "#i" when the list is shorter.
std::string name_or_index(const std::vector<std::string>& names, uint32_t i) {
  if (i < names.size()) return names[i];
  std::string s("#");
  s += std::to_string(i);
  return s;
}

std::string redirect_text(const std::optional<Redirect>& r, const XdpRunReport& rep) {
  if (!r) return "none";
  if (r->map) {
    const std::string name = name_or_index(rep.map_names, *r->map);
    return "map " + name + " key " + std::to_string(r->key) + " flags " + std::to_string(r->flags);
  }
  return "ifindex " + std::to_string(r->ifindex);
}

std::string fault_text(const XdpPacketOut& o, const XdpRunReport& rep) {
  if (o.fault == FaultCode::kNone) return "none";
  const std::string prog = name_or_index(rep.program_names, o.fault_program);
  if (o.fault == FaultCode::kInvalidAction) {  // found after exit: no faulting pc
    return std::string(fault_name(o.fault)) + " in " + prog;
  }
  return std::string(fault_name(o.fault)) + " at pc " + std::to_string(o.fault_pc) + " in " + prog;
}

// PERCPU values with different core counts: the sum over cores of each 8-byte word.
std::vector<uint8_t> sum_over_cores(const std::vector<uint8_t>& v, uint32_t value_size,
                                    uint32_t cores) {
  const uint32_t stride = map_value_stride(value_size);
  std::vector<uint8_t> out(stride, 0);
  for (uint32_t w = 0; w + 8 <= stride; w += 8) {
    uint64_t sum = 0;
    for (uint32_t c = 0; c < cores && (c + 1) * stride <= v.size(); ++c) {
      uint64_t x;
      std::memcpy(&x, v.data() + c * stride + w, 8);
      sum += x;
    }
    std::memcpy(out.data() + w, &sum, 8);
  }
  return out;
}

}  // namespace

std::vector<XdpDifference> compare_xdp_reports(const XdpRunReport& a, const XdpRunReport& b) {
  std::vector<XdpDifference> diffs;
  const std::string& an = a.engine;
  const std::string& bn = b.engine;
  // The kernel reports action and bytes only (contracts.md section 1).
  const bool full = an != "kernel" && bn != "kernel";
  if (a.packets.size() != b.packets.size()) {
    diffs.push_back({"run", "packet count: " + an + " " + std::to_string(a.packets.size()) + ", " +
                                bn + " " + std::to_string(b.packets.size())});
  }
  const size_t n = std::min(a.packets.size(), b.packets.size());
  size_t kernel_not_run = 0;  // packets only the kernel could not run
  for (size_t i = 0; i < n; ++i) {
    const XdpPacketReport& pa = a.packets[i];
    const XdpPacketReport& pb = b.packets[i];
    const std::string where = "packet " + std::to_string(i);
    if (pa.error.has_value() != pb.error.has_value()) {
      const bool kernel_limit = (pa.error && an == "kernel") || (pb.error && bn == "kernel");
      kernel_not_run += kernel_limit;
      diffs.push_back({where, "not run: " + (pa.error ? an + ": " + *pa.error : bn + ": " + *pb.error),
                       !kernel_limit});
      continue;
    }
    if (pa.out.action != pb.out.action) {
      diffs.push_back({where, "action: " + an + " " + xdp_verdict_name(pa.out.action) + ", " + bn +
                                  " " + xdp_verdict_name(pb.out.action)});
    }
    // Output bytes only matter for packets that leave (the kernel's XDP_DROP still returns
    // bytes, but they are compared too: every engine hands back [data, data_end)).
    if (auto d = bytes_difference(pa.out.data, pb.out.data, an, bn); !d.empty()) {
      diffs.push_back({where, "output bytes: " + d});
    }
    if (full) {
      if (auto d = bytes_difference(pa.out.meta, pb.out.meta, an, bn); !d.empty()) {
        diffs.push_back({where, "meta bytes: " + d});
      }
      if (pa.out.fault != pb.out.fault || (pa.out.fault != FaultCode::kNone &&
                                           ((pa.out.fault != FaultCode::kInvalidAction &&
                                             pa.out.fault_pc != pb.out.fault_pc) ||
                                            pa.out.fault_program != pb.out.fault_program))) {
        diffs.push_back({where, "fault: " + an + " " + fault_text(pa.out, a) + ", " + bn + " " +
                                    fault_text(pb.out, b)});
      }
      if (pa.out.events != pb.out.events) {
        diffs.push_back({where, "events: " + an + " " + std::to_string(pa.out.events.size()) +
                                    ", " + bn + " " + std::to_string(pb.out.events.size()) +
                                    (pa.out.events.size() == pb.out.events.size()
                                         ? " (same count, different contents)"
                                         : "")});
      }
    }
    // A redirect target is compared when both engines know it.
    if (pa.out.redirect && pb.out.redirect && pa.out.redirect != pb.out.redirect) {
      diffs.push_back({where, "redirect: " + an + " " + redirect_text(pa.out.redirect, a) + ", " +
                                  bn + " " + redirect_text(pb.out.redirect, b)});
    } else if (full && pa.out.redirect.has_value() != pb.out.redirect.has_value()) {
      diffs.push_back({where, "redirect: " + an + " " + redirect_text(pa.out.redirect, a) + ", " +
                                  bn + " " + redirect_text(pb.out.redirect, b)});
    }
  }

  std::map<std::string, const XdpMapDump*> bmaps;
  for (const XdpMapDump& m : b.maps) bmaps[m.name] = &m;
  for (const XdpMapDump& ma : a.maps) {
    const std::string where = "map '" + ma.name + "'";
    auto it = bmaps.find(ma.name);
    if (it == bmaps.end()) {
      diffs.push_back({where, "only " + an + " has it"});
      continue;
    }
    const XdpMapDump& mb = *it->second;
    bmaps.erase(it);
    // PROG_ARRAY values are engine handles (our program index, the kernel's program id).
    if (!full && ma.type == MapType::kProgArray) continue;
    const bool sum = map_is_percpu(ma.type) && a.cores != b.cores;
    // Keyed by the key's hex text (sorted like the bytes).
    std::map<std::string, const std::vector<uint8_t>*> eb;
    for (const auto& [key, value] : mb.entries) eb.emplace(to_hex(key), &value);
    size_t reported = 0;
    // Map contents after packets one engine did not run are reported, not counted.
    const std::string because =
        kernel_not_run ? " (may stem from the " + std::to_string(kernel_not_run) +
                             " packet(s) the kernel could not run)"
                       : "";
    auto report = [&](std::string what) {
      if (++reported <= 8) diffs.push_back({where, what + because, kernel_not_run == 0});
    };
    for (const auto& [key, va] : ma.entries) {
      const std::string khex = to_hex(key);
      auto e = eb.find(khex);
      if (e == eb.end()) {
        report("key " + khex + ": only in " + an + " (value " + to_hex(va) + ")");
        continue;
      }
      std::vector<uint8_t> x = va, y = *e->second;
      if (sum) {
        x = sum_over_cores(x, ma.value_size, a.cores);
        y = sum_over_cores(y, mb.value_size, b.cores);
      }
      if (x != y) {
        report("key " + khex + ": value " + (sum ? "(summed over cores) " : "") + an + " " +
               to_hex(x) + ", " + bn + " " + to_hex(y));
      }
      eb.erase(e);
    }
    for (const auto& [khex, vb] : eb) {
      report("key " + khex + ": only in " + bn + " (value " + to_hex(*vb) + ")");
    }
    if (reported > 8) {
      diffs.push_back({where, std::to_string(reported - 8) + " more differing entries" + because,
                       kernel_not_run == 0});
    }
  }
  for (const auto& [name, m] : bmaps) {
    diffs.push_back({"map '" + name + "'", "only " + bn + " has it"});
  }
  return diffs;
}

}  // namespace ebpf
