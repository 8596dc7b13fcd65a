// helper_cycles: measured cycles of each helper call on the rtl engine (the Verilator model
// of ebpf_top with its helper unit and map unit), for docs/helpers.md. Each figure is the
// cycles of a program with the call minus those of the same program without it, so it is
// the whole call instruction: request, helper work, answer.
// Run: build/bench/rtl/helper_cycles
#include <cstdio>
#include <string>
#include <vector>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"

namespace {

using ebpf::MapSpec;
using ebpf::MapType;

MapSpec mk(const char* name, MapType t, uint32_t k, uint32_t v, uint32_t n) {
  MapSpec s;
  s.name = name;
  s.type = t;
  s.key_size = k;
  s.value_size = v;
  s.max_entries = n;
  return s;
}

struct Case {
  const char* name;
  std::string setup;  // before the call (also in the baseline)
  std::string call;   // the call instruction(s) measured
};

uint64_t cycles(ebpf::Engine& e, const std::string& text) {
  e.load(ebpf::assemble(text + "mov %r0, 2\nexit\n"));
  std::vector<uint8_t> pkt(1514, 0x5a);
  ebpf::MemoryImage m;
  m.set_packet(pkt);
  m.has_ctx = true;
  const auto r = e.run(m);
  if (r.fault != ebpf::FaultCode::kNone) {
    throw ebpf::Error(std::string("fault ") + std::string(ebpf::fault_name(r.fault)) +
                      " at " + std::to_string(r.fault_pc) + " in:\n" + text);
  }
  return *r.cycles;
}

}  // namespace

int main() {
  try {
    auto e = ebpf::make_engine("rtl");
    const std::vector<MapSpec> maps = {
        mk("arr", MapType::kArray, 4, 8, 16),       mk("hash4", MapType::kHash, 4, 8, 64),
        mk("hash16", MapType::kHash, 16, 8, 64),    mk("lru", MapType::kLruHash, 4, 8, 64),
        mk("ring", MapType::kRingbuf, 0, 0, 65536), mk("progs", MapType::kProgArray, 4, 4, 2),
        mk("dev", MapType::kDevmap, 4, 4, 4),       mk("perf", MapType::kPerfEventArray, 4, 4, 0),
    };
    e->configure_maps(maps);
    const std::vector<uint8_t> k0 = {0, 0, 0, 0}, v8(8, 1), ifx = {5, 0, 0, 0};
    e->maps()->update(1, k0, v8, 0);
    e->maps()->update(3, k0, v8, 0);
    e->maps()->update(6, k0, ifx, 0);
    std::vector<uint8_t> k16(16, 0);
    e->maps()->update(2, k16, v8, 0);

    const std::string stack = "mov %r6, %r1\nstdw [%r10-8], 0\nstdw [%r10-16], 0\n"
                              "stdw [%r10-24], 0\nlddw %r1, 0x0a642520\nstxdw [%r10-32], %r1\n";
    auto lk = [&](int map) {
      return stack + "lddw %r1, map[" + std::to_string(map) + "]\nmov %r2, %r10\nadd %r2, -" +
             (map == 2 ? "24" : "8") + "\n";
    };
    auto bytes = [&](int n) {
      return stack + "mov %r1, %r6\nmov %r2, 0\nmov %r3, %r10\nadd %r3, -256\nmov %r4, " +
             std::to_string(n) + "\n";
    };
    const std::vector<Case> cases = {
        {"ktime_get_ns (5)", stack, "call 5\n"},
        {"get_prandom_u32 (7)", stack, "call 7\n"},
        {"get_smp_processor_id (8)", stack, "call 8\n"},
        {"redirect (23)", stack + "mov %r1, 3\nmov %r2, 0\n", "call 23\n"},
        {"xdp_get_buff_len (188)", stack + "mov %r1, %r6\n", "call 188\n"},
        {"xdp_adjust_meta (54), -8", stack + "mov %r1, %r6\nmov %r2, -8\n", "call 54\n"},
        {"xdp_adjust_head (44), -20, no metadata", stack + "mov %r1, %r6\nmov %r2, -20\n",
         "call 44\n"},
        {"xdp_adjust_tail (65), -100", stack + "mov %r1, %r6\nmov %r2, -100\n", "call 65\n"},
        {"xdp_adjust_tail (65), +64 (zeroed)", stack + "mov %r1, %r6\nmov %r2, 64\n",
         "call 65\n"},
        {"map_lookup_elem (1), ARRAY", lk(0), "call 1\n"},
        {"map_lookup_elem (1), HASH key 4, hit", lk(1), "call 1\n"},
        {"map_lookup_elem (1), HASH key 16, hit", lk(2), "call 1\n"},
        {"map_lookup_elem (1), LRU_HASH key 4, hit", lk(3), "call 1\n"},
        {"map_update_elem (2), ARRAY value 8",
         lk(0) + "mov %r3, %r10\nadd %r3, -16\nmov %r4, 0\n", "call 2\n"},
        {"map_update_elem (2), HASH key 4 value 8",
         lk(1) + "mov %r3, %r10\nadd %r3, -16\nmov %r4, 0\n", "call 2\n"},
        {"map_delete_elem (3), HASH key 4", lk(1), "call 3\n"},
        {"tail_call (12), index out of range (no jump)", stack + "mov %r1, %r6\nlddw %r2, map[5]\n"
         "mov %r3, 3\n", "call 12\n"},
        {"redirect_map (51), DEVMAP hit", stack + "lddw %r1, map[6]\nmov %r2, 0\nmov %r3, 0\n",
         "call 51\n"},
        {"csum_diff (28), 0 -> 20 bytes",
         stack + "mov %r1, 0\nmov %r2, 0\nmov %r3, %r10\nadd %r3, -24\nmov %r4, 20\nmov %r5, 0\n",
         "call 28\n"},
        {"trace_printk (6), \"%d\\n\"",
         stack + "mov %r1, %r10\nadd %r1, -32\nmov %r2, 4\nmov %r3, 1\n", "call 6\n"},
        {"ringbuf_output (130), 16 bytes",
         stack + "lddw %r1, map[4]\nmov %r2, %r10\nadd %r2, -16\nmov %r3, 16\nmov %r4, 0\n",
         "call 130\n"},
        {"perf_event_output (25), 16 bytes + 14 packet bytes",
         stack + "mov %r1, %r6\nlddw %r2, map[7]\nlddw %r3, 0xeffffffff\nmov %r4, %r10\n"
                 "add %r4, -16\nmov %r5, 16\n",
         "call 25\n"},
        {"xdp_load_bytes (189), 8 bytes", bytes(8), "call 189\n"},
        {"xdp_load_bytes (189), 64 bytes", bytes(64), "call 189\n"},
        {"xdp_store_bytes (190), 256 bytes", bytes(256), "call 190\n"},
    };
    std::printf("%-52s %8s\n", "helper call", "cycles");
    for (const Case& c : cases) {
      const uint64_t base = cycles(*e, c.setup);
      const uint64_t with = cycles(*e, c.setup + c.call);
      std::printf("%-52s %8llu\n", c.name, static_cast<unsigned long long>(with - base));
    }
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "helper_cycles: %s\n", ex.what());
    return 1;
  }
  return 0;
}
