// Seeded random XDP programs that call helpers and use maps (helper_gen.h).
#include "helper_gen.h"

#include <cstdio>
#include <sstream>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"

namespace ebpf::difftest {
namespace {

struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
  int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(below(hi - lo + 1)); }
  bool chance(unsigned pct) { return below(100) < pct; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
};

MapSpec mk(const char* name, MapType t, uint32_t k, uint32_t v, uint32_t n) {
  MapSpec s;
  s.name = name;
  s.type = t;
  s.key_size = k;
  s.value_size = v;
  s.max_entries = n;
  return s;
}

// Map indices of the fixed map set.
enum : int {
  kArr = 0,
  kHash = 1,
  kLru = 2,
  kRing = 3,
  kProgs = 4,
  kDev = 5,
  kPerf = 6,
  kPcpu = 7,
  kRo = 8,
};

class Gen {
 public:
  explicit Gen(Rng& r) : r_(r) {}

  std::string program(int calls, int prog_index) {
    o_.str("");
    o_ << "mov %r6, %r1\nmov %r7, " << prog_index << "\n";
    // Stack: a key at -8, values at -40..-9, a format string at -56.
    o_ << "stdw [%r10-8], " << r_.range(0, 6) << "\n";
    for (int off = 16; off <= 40; off += 8) {
      o_ << "stdw [%r10-" << off << "], " << static_cast<int32_t>(r_.next()) << "\n";
    }
    o_ << "lddw %r1, 0x0a64252068\nstxdw [%r10-56], %r1\n";  // "h %d\n\0"
    for (int i = 0; i < calls; ++i) call();
    o_ << "mov %r0, %r7\nexit\n";
    return o_.str();
  }

 private:
  void key() { o_ << "stdw [%r10-8], " << r_.range(0, 6) << "\n"; }
  void sum() { o_ << (r_.chance(50) ? "add" : "xor") << " %r7, %r0\n"; }
  std::string map(int m) { return "lddw %r1, map[" + std::to_string(m) + "]\n"; }

  void call() {
    switch (r_.below(17)) {
      case 0: {  // lookup, and a read-modify-write through the pointer
        const int m = r_.pick(std::vector<int>{kArr, kHash, kLru, kPcpu, kDev, kRo});
        key();
        o_ << map(m) << "mov %r2, %r10\nadd %r2, -8\ncall 1\nmov %r8, %r0\n";
        o_ << "jeq %r0, 0, +3\nldxdw %r3, [%r0+0]\nadd %r7, %r3\nmov %r0, 1\n";
        if (m != kRo && m != kDev && r_.chance(60)) {
          o_ << "jeq %r8, 0, +3\nldxdw %r3, [%r8+0]\nadd %r3, 3\nstxdw [%r8+0], %r3\n";
        }
        if (r_.chance(10)) o_ << "jeq %r8, 0, +1\nldxdw %r3, [%r8+8]\n";  // past small values
        break;
      }
      case 1: {  // update
        const int m = r_.pick(std::vector<int>{kArr, kHash, kLru, kPcpu, kRo});
        key();
        o_ << map(m) << "mov %r2, %r10\nadd %r2, -8\nmov %r3, %r10\nadd %r3, -40\nmov %r4, "
           << r_.range(0, 4) << "\ncall 2\n";
        sum();
        break;
      }
      case 2: {  // delete
        const int m = r_.pick(std::vector<int>{kArr, kHash, kLru});
        key();
        o_ << map(m) << "mov %r2, %r10\nadd %r2, -8\ncall 3\n";
        sum();
        break;
      }
      case 3:
        o_ << "call 7\n";
        sum();
        break;
      case 4:
        o_ << "call 8\nadd %r7, %r0\nmov %r1, %r6\ncall 188\n";
        sum();
        break;
      case 5:  // trace_printk
        o_ << "mov %r1, %r10\nadd %r1, -56\nmov %r2, " << r_.range(1, 8) << "\nmov %r3, %r7\n"
           << "mov %r4, 2\nmov %r5, 3\ncall 6\n";
        sum();
        break;
      case 6:  // csum_diff
        o_ << "mov %r1, %r10\nadd %r1, -" << r_.range(9, 40) << "\nmov %r2, " << r_.range(0, 9)
           << "\nmov %r3, %r10\nadd %r3, -" << r_.range(20, 40) << "\nmov %r4, " << r_.range(0, 20)
           << "\nmov32 %r5, " << static_cast<int32_t>(r_.next()) << "\ncall 28\n";
        sum();
        break;
      case 7:  // adjust_head
        o_ << "mov %r1, %r6\nmov %r2, " << r_.pick(std::vector<int>{-300, -20, -1, 0, 4, 14, 40, 2000})
           << "\ncall 44\n";
        sum();
        break;
      case 8:
        o_ << "mov %r1, %r6\nmov %r2, " << r_.pick(std::vector<int>{-300, -40, -8, -3, 0, 4, 8})
           << "\ncall 54\n";
        sum();
        break;
      case 9:
        o_ << "mov %r1, %r6\nmov %r2, " << r_.pick(std::vector<int>{-2000, -40, -5, 0, 3, 40, 9000})
           << "\ncall 65\n";
        sum();
        break;
      case 10:  // load/store bytes
        o_ << "mov %r1, %r6\nmov %r2, " << r_.range(0, 70) << "\nmov %r3, %r10\nadd %r3, -40\n"
           << "mov %r4, " << r_.range(0, 33) << "\ncall " << (r_.chance(50) ? 189 : 190) << "\n";
        sum();
        break;
      case 11:  // packet access through the current bounds
        o_ << "ldxw %r2, [%r6+0]\nldxw %r3, [%r6+4]\nmov %r4, %r2\nadd %r4, 8\n"
           << "jgt %r4, %r3, +3\nldxdw %r5, [%r2+0]\nadd %r7, %r5\nstxb [%r2+3], %r7\n";
        break;
      case 12:  // ringbuf
        o_ << map(kRing) << "mov %r2, %r10\nadd %r2, -40\nmov %r3, " << r_.range(0, 32)
           << "\nmov %r4, " << r_.pick(std::vector<int>{0, 1, 2, 4}) << "\ncall 130\n";
        sum();
        break;
      case 13:  // perf_event_output
        o_ << "mov %r1, %r6\nlddw %r2, map[" << kPerf << "]\nlddw %r3, "
           << r_.pick(std::vector<std::string>{"0", "0xffffffff", "1", "0x800000000",
                                               "0x4000000000", "0x100"})
           << "\nmov %r4, %r10\nadd %r4, -40\nmov %r5, " << r_.range(0, 32) << "\ncall 25\n";
        sum();
        break;
      case 14:  // redirect
        o_ << "mov %r1, " << r_.range(0, 5) << "\nmov %r2, " << (r_.chance(80) ? 0 : 1)
           << "\ncall 23\n";
        sum();
        break;
      case 15:  // redirect_map
        o_ << map(kDev) << "mov %r2, " << r_.range(0, 5) << "\nmov %r3, "
           << r_.pick(std::vector<int>{0, 1, 2, 8, 0x18, 0x20}) << "\ncall 51\n";
        sum();
        break;
      default:  // tail call
        o_ << "mov %r1, %r6\nlddw %r2, map[" << kProgs << "]\nmov %r3, " << r_.range(0, 4)
           << "\ncall 12\n";
        sum();
        break;
    }
  }

  Rng& r_;
  std::ostringstream o_;
};

}  // namespace

std::vector<MapSpec> helper_case_maps() {
  std::vector<MapSpec> m = {
      mk("arr", MapType::kArray, 4, 8, 6),       mk("hash", MapType::kHash, 8, 16, 4),
      mk("lru", MapType::kLruHash, 8, 8, 3),     mk("ring", MapType::kRingbuf, 0, 0, 4096),
      mk("progs", MapType::kProgArray, 4, 4, 4), mk("dev", MapType::kDevmap, 4, 4, 4),
      mk("perf", MapType::kPerfEventArray, 4, 4, 0), mk("pcpu", MapType::kPercpuArray, 4, 8, 4),
      mk(".rodata", MapType::kArray, 4, 16, 1),
  };
  m[kRo].origin = MapOrigin::kRodata;
  m[kRo].initial_value = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  return m;
}

HelperCase make_helper_case(uint64_t seed, uint64_t index) {
  Rng r{seed * 0xd1342543de82ef95ull + index * 0x9e3779b97f4a7c15ull + 7};
  for (int i = 0; i < 4; ++i) r.next();
  HelperCase hc;
  hc.maps = helper_case_maps();
  Gen g(r);
  const int nprogs = static_cast<int>(r.range(1, 3));
  for (int p = 0; p < nprogs; ++p) {
    hc.texts.push_back(g.program(static_cast<int>(r.range(1, 10)), p));
    hc.programs.push_back(assemble(hc.texts.back()));
  }
  // PROG_ARRAY slots (some empty, one beyond the programs), DEVMAP entries.
  for (uint32_t k = 0; k < 4; ++k) {
    if (r.chance(70)) hc.prog_slots.emplace_back(k, static_cast<uint32_t>(r.range(0, nprogs)));
    if (r.chance(60)) hc.dev_slots.emplace_back(k, static_cast<uint32_t>(r.range(1, 9)));
  }
  std::vector<uint8_t> pkt(static_cast<size_t>(r.range(14, 200)));
  for (auto& b : pkt) b = static_cast<uint8_t>(r.next());
  hc.memory.set_packet(pkt);
  hc.memory.has_ctx = true;
  hc.memory.ingress_ifindex = 2;
  hc.seed = r.next();
  return hc;
}

namespace {

std::vector<uint8_t> le32(uint32_t v) {
  return {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 24)};
}

void setup(Engine& e, const HelperCase& hc) {
  e.configure_maps(hc.maps);
  MapAccess& m = *e.maps();
  for (const auto& [k, p] : hc.prog_slots) m.update(kProgs, le32(k), le32(p), 0);
  for (const auto& [k, ifx] : hc.dev_slots) m.update(kDev, le32(k), le32(ifx), 0);
  e.load_programs(hc.programs, 0, LoadOptions{.prandom_seed = hc.seed});
}

// Every element of the maps a host can iterate, as key and value bytes.
std::string dump(MapAccess& m, const std::vector<MapSpec>& specs) {
  std::ostringstream o;
  for (uint32_t i = 0; i < specs.size(); ++i) {
    const MapSpec& s = specs[i];
    if (s.type == MapType::kRingbuf || s.type == MapType::kPerfEventArray) continue;
    std::vector<uint8_t> key(s.key_size), next(s.key_size),
        value(host_value_size(s, m.cores()));
    bool first = true;
    for (int guard = 0; guard < 64; ++guard) {
      const int rc = first ? m.get_next_key(i, std::nullopt, next) : m.get_next_key(i, key, next);
      first = false;
      if (rc != 0) break;
      key = next;
      o << "map " << i << " key";
      for (uint8_t b : key) o << ' ' << int{b};
      if (m.lookup(i, key, value) == 0) {
        o << " value";
        for (uint8_t b : value) o << ' ' << int{b};
      }
      o << "\n";
    }
  }
  return o.str();
}

}  // namespace

std::string compare_helper_case(const HelperCase& hc, Engine& reference, Engine& dut) {
  setup(reference, hc);
  setup(dut, hc);
  std::ostringstream o;
  for (int run = 0; run < 2; ++run) {  // twice: state carries over (maps, prandom)
    MemoryImage ma = hc.memory, mb = hc.memory;
    const RunResult a = reference.run(ma);
    const RunResult b = dut.run(mb);
    if (a.r0 != b.r0) o << "  run " << run << " r0: interp " << a.r0 << ", rtl " << b.r0 << "\n";
    for (int k = 0; k < 11; ++k) {
      if (a.regs[k] != b.regs[k]) {
        o << "  run " << run << " r" << k << ": interp " << a.regs[k] << ", rtl " << b.regs[k]
          << "\n";
      }
    }
    if (a.fault != b.fault || a.fault_pc != b.fault_pc || a.program != b.program) {
      o << "  run " << run << " fault: interp " << fault_name(a.fault) << "@" << a.program << ":"
        << a.fault_pc << ", rtl " << fault_name(b.fault) << "@" << b.program << ":" << b.fault_pc
        << "\n";
    }
    if (a.instructions != b.instructions) o << "  run " << run << " instructions differ\n";
    if (a.tail_calls != b.tail_calls) o << "  run " << run << " tail calls differ\n";
    if (a.events != b.events) {
      o << "  run " << run << " events: interp " << a.events.size() << ", rtl "
        << b.events.size() << "\n";
    }
    if (a.redirect != b.redirect) o << "  run " << run << " redirect differs\n";
    if (ma.data_meta != mb.data_meta || ma.data != mb.data || ma.data_end != mb.data_end) {
      o << "  run " << run << " packet offsets: interp " << ma.data_meta << "/" << ma.data << "/"
        << ma.data_end << ", rtl " << mb.data_meta << "/" << mb.data << "/" << mb.data_end
        << "\n";
    }
    if (ma.packet != mb.packet) o << "  run " << run << " packet bytes differ\n";
    if (ma.stack != mb.stack) o << "  run " << run << " stack differs\n";
  }
  const std::string da = dump(*reference.maps(), hc.maps), db = dump(*dut.maps(), hc.maps);
  if (da != db) o << "  maps differ:\ninterp:\n" << da << "rtl:\n" << db;
  if (o.str().empty()) return {};
  std::ostringstream rep;
  rep << o.str();
  for (size_t p = 0; p < hc.texts.size(); ++p) rep << "program " << p << ":\n" << hc.texts[p];
  return rep.str();
}

}  // namespace ebpf::difftest
