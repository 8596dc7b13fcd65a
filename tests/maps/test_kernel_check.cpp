// The Linux kernel as the oracle for the map unit and the helpers (label `kernel`).
//
//  - Map operations: the same seeded random sequence of update/lookup/delete/get_next_key runs
//    on a kernel map (bpf() syscall) and on MapStore; every errno, every value and the final
//    contents must agree, and the iteration order too where Linux defines it (arrays, devmap,
//    LPM). Hash iteration order and LRU victims differ by design (docs/maps.md).
//  - Helpers: the same assembled XDP program runs through BPF_PROG_TEST_RUN and on the
//    interpreter; the return value and the output bytes (data_meta to data_end, which is what
//    test_run returns) must agree.
//
// Everything here skips, saying why, where bpf() is unavailable or not permitted.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/helpers.h"
#include "map_test_util.h"

namespace ebpf::maptest {
namespace {

constexpr uint32_t kLoopbackIfindex = 1;  // lo: a device every kernel has, for devmaps

std::string unavailable() {
  static const std::string why = [] {
    LIBBPF_OPTS(bpf_map_create_opts, o);
    const int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "probe", 4, 4, 1, &o);
    if (fd < 0) {
      return std::string("cannot create a BPF map here: ") + std::strerror(errno) +
             " (run as root, or with CAP_BPF)";
    }
    close(fd);
    return std::string();
  }();
  return why;
}

#define REQUIRE_KERNEL()                                      \
  do {                                                        \
    if (const std::string why = unavailable(); !why.empty()) { \
      GTEST_SKIP() << why;                                    \
    }                                                         \
  } while (0)

uint32_t kernel_cpus() { return static_cast<uint32_t>(libbpf_num_possible_cpus()); }

class KernelMap {
 public:
  explicit KernelMap(const MapSpec& s) : spec_(s) {
    LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = s.map_flags);
    fd_ = bpf_map_create(static_cast<bpf_map_type>(s.type), s.name.c_str(), s.key_size,
                         s.value_size, s.max_entries, &o);
    if (fd_ < 0) ADD_FAILURE() << "kernel refuses map " << s.name << ": " << std::strerror(errno);
  }
  ~KernelMap() {
    if (fd_ >= 0) close(fd_);
  }
  KernelMap(const KernelMap&) = delete;
  KernelMap& operator=(const KernelMap&) = delete;

  int fd() const { return fd_; }
  static int ret(int r) { return r < 0 ? -errno : 0; }
  int update(const Bytes& k, const Bytes& v, uint64_t flags) {
    return ret(bpf_map_update_elem(fd_, k.data(), v.data(), flags));
  }
  int lookup(const Bytes& k, Bytes* v) { return ret(bpf_map_lookup_elem(fd_, k.data(), v->data())); }
  int remove(const Bytes& k) { return ret(bpf_map_delete_elem(fd_, k.data())); }
  int next(const Bytes* k, Bytes* n) {
    return ret(bpf_map_get_next_key(fd_, k ? k->data() : nullptr, n->data()));
  }

 private:
  MapSpec spec_;
  int fd_ = -1;
};

std::vector<Bytes> all_keys(uint32_t key_size, const std::function<int(const Bytes*, Bytes*)>& next) {
  std::vector<Bytes> out;
  Bytes k(key_size), n(key_size);
  int e = next(nullptr, &n);
  while (e == 0 && out.size() < 100000) {
    out.push_back(n);
    k = n;
    e = next(&k, &n);
  }
  EXPECT_EQ(e, -ENOENT);
  return out;
}

// ---------------------------------------------------------------- map operations

struct OpsCase {
  std::string name;
  MapSpec spec;
  std::function<Bytes(uint64_t&)> key;    // a random key from a small domain
  std::function<Bytes(uint64_t&)> value;  // a random value (host view size)
  bool ordered;                           // compare the iteration order
};

Bytes random_bytes(uint64_t& s, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(prandom_next(s));
  return b;
}

std::vector<OpsCase> ops_cases() {
  const uint32_t cpus = kernel_cpus();
  auto small_u32 = [](uint32_t n) {
    return [n](uint64_t& s) { return le32(prandom_next(s) % n); };
  };
  auto bytes = [](size_t n) { return [n](uint64_t& s) { return random_bytes(s, n); }; };
  auto lpm4 = [](uint64_t& s) {
    const uint32_t r = prandom_next(s);
    return v4(r % 33, static_cast<uint8_t>(10 + (r >> 8) % 2), static_cast<uint8_t>((r >> 12) % 4),
              static_cast<uint8_t>((r >> 16) % 3), static_cast<uint8_t>(r >> 24));
  };
  auto lpm6 = [](uint64_t& s) {
    const uint32_t r = prandom_next(s);
    const uint64_t hi = 0x20010db800000000ull | ((r >> 8) % 4) << 16;
    return v6(r % 129, hi, static_cast<uint64_t>((r >> 16) % 3));
  };
  std::vector<OpsCase> c;
  c.push_back({"array", spec(MapType::kArray, 4, 12, 6), small_u32(8), bytes(12), true});
  c.push_back({"percpu_array", spec(MapType::kPercpuArray, 4, 12, 6), small_u32(8),
               bytes(16 * cpus), true});
  c.push_back({"hash", spec(MapType::kHash, 4, 8, 6), small_u32(12), bytes(8), false});
  c.push_back({"hash_key13", spec(MapType::kHash, 13, 8, 4),
               [](uint64_t& s) {
                 Bytes k(13, 0);
                 k[12] = static_cast<uint8_t>(prandom_next(s) % 7);
                 return k;
               },
               bytes(8), false});
  c.push_back({"percpu_hash", spec(MapType::kPercpuHash, 4, 4, 5), small_u32(9),
               bytes(8 * cpus), false});
  c.push_back({"lru_hash_roomy", spec(MapType::kLruHash, 4, 8, 1024), small_u32(10), bytes(8),
               false});
  c.push_back({"lpm_ipv4", spec(MapType::kLpmTrie, 8, 4, 10, kBpfFNoPrealloc), lpm4, bytes(4),
               true});
  c.push_back({"lpm_ipv6", spec(MapType::kLpmTrie, 20, 4, 10, kBpfFNoPrealloc), lpm6, bytes(4),
               true});
  c.push_back({"devmap", spec(MapType::kDevmap, 4, 4, 5), small_u32(7),
               [](uint64_t& s) { return le32(prandom_next(s) % 4 ? kLoopbackIfindex : 0); }, true});
  c.push_back({"devmap_hash", spec(MapType::kDevmapHash, 4, 4, 4), small_u32(8),
               [](uint64_t& s) { return le32(prandom_next(s) % 5 ? kLoopbackIfindex : 0); },
               false});
  return c;
}

class KernelMapOps : public ::testing::TestWithParam<OpsCase> {};

TEST_P(KernelMapOps, ErrnosValuesAndOrderMatchTheKernel) {
  REQUIRE_KERNEL();
  const OpsCase& c = GetParam();
  KernelMap k(c.spec);
  ASSERT_GE(k.fd(), 0);
  MapStore ours;
  ours.configure(std::vector<MapSpec>{c.spec}, {.cores = kernel_cpus()});
  const uint32_t vsize = host_value_size(c.spec, kernel_cpus());
  uint64_t s = 0xC0FFEE ^ std::hash<std::string>{}(c.name);
  static const uint64_t kFlags[] = {kBpfAny, kBpfAny, kBpfNoexist, kBpfExist, 3, kBpfFLock};
  for (int i = 0; i < 600; ++i) {
    const Bytes key = c.key(s);
    const uint32_t op = prandom_next(s) % 10;
    SCOPED_TRACE("op " + std::to_string(i));
    if (op < 5) {
      const Bytes value = c.value(s);
      const uint64_t flags = kFlags[prandom_next(s) % std::size(kFlags)];
      ASSERT_EQ(ours.update(0, key, value, flags), k.update(key, value, flags))
          << "update flags " << flags;
    } else if (op < 7) {
      ASSERT_EQ(ours.remove(0, key), k.remove(key)) << "delete";
    } else if (op < 9) {
      Bytes a(vsize), b(vsize);
      const int ea = ours.lookup(0, key, a), eb = k.lookup(key, &b);
      ASSERT_EQ(ea, eb) << "lookup";
      if (ea == 0) {
        ASSERT_EQ(a, b) << "lookup value";
      }
    } else {
      // Hash orders differ by design: there, the errno must agree only for a key that is not
      // in the map (restart at the first key, or -ENOENT when the map is empty).
      Bytes a(c.spec.key_size), b(c.spec.key_size), v(vsize);
      const bool present = ours.lookup(0, key, v) == 0;
      const int ea = ours.get_next_key(0, std::span<const uint8_t>(key), a);
      const int eb = k.next(&key, &b);
      if (c.ordered || !present) {
        ASSERT_EQ(ea, eb) << "get_next_key";
      }
      if (ea == 0 && c.ordered) {
        ASSERT_EQ(a, b) << "next key";
      }
    }
  }
  const auto mine = all_keys(c.spec.key_size, [&](const Bytes* key, Bytes* n) {
    return key ? ours.get_next_key(0, std::span<const uint8_t>(*key), *n)
               : ours.get_next_key(0, std::nullopt, *n);
  });
  const auto theirs = all_keys(c.spec.key_size, [&](const Bytes* key, Bytes* n) { return k.next(key, n); });
  if (c.ordered) {
    EXPECT_EQ(mine, theirs);
  } else {
    EXPECT_EQ(std::set<Bytes>(mine.begin(), mine.end()),
              std::set<Bytes>(theirs.begin(), theirs.end()));
  }
  for (const Bytes& key : theirs) {
    Bytes a(vsize), b(vsize);
    ASSERT_EQ(ours.lookup(0, key, a), k.lookup(key, &b));
    EXPECT_EQ(a, b);
  }
  RecordProperty("entries", std::to_string(theirs.size()));
}

INSTANTIATE_TEST_SUITE_P(Types, KernelMapOps, ::testing::ValuesIn(ops_cases()),
                         [](const auto& p) { return p.param.name; });

TEST(KernelMaps, FullMapsAndLpmLookups) {
  REQUIRE_KERNEL();
  // Hash: E2BIG at max_entries; LPM: ENOSPC; longest-prefix lookups over random routes.
  {
    const MapSpec s = spec(MapType::kHash, 8, 4, 50);
    KernelMap k(s);
    MapStore ours;
    ours.configure(std::vector<MapSpec>{s});
    for (uint64_t i = 0; i < 60; ++i) {
      ASSERT_EQ(ours.update(0, le64(i * 977), le32(1), 0), k.update(le64(i * 977), le32(1), 0)) << i;
    }
  }
  const MapSpec s = spec(MapType::kLpmTrie, 8, 4, 200, kBpfFNoPrealloc);
  KernelMap k(s);
  MapStore ours;
  ours.configure(std::vector<MapSpec>{s});
  uint64_t st = 12345;
  for (int i = 0; i < 260; ++i) {
    const uint32_t r = prandom_next(st);
    const Bytes key = v4(r % 33, 10, static_cast<uint8_t>(r >> 8), static_cast<uint8_t>(r >> 16),
                         static_cast<uint8_t>(r >> 24));
    ASSERT_EQ(ours.update(0, key, le32(r), 0), k.update(key, le32(r), 0)) << i;
  }
  for (int i = 0; i < 2000; ++i) {
    const uint32_t r = prandom_next(st);
    const Bytes key = v4(r % 40, static_cast<uint8_t>(9 + r % 3), static_cast<uint8_t>(r >> 8),
                         static_cast<uint8_t>(r >> 16), static_cast<uint8_t>(r >> 24));
    Bytes a(4), b(4);
    const int ea = ours.lookup(0, key, a), eb = k.lookup(key, &b);
    ASSERT_EQ(ea, eb) << i;
    if (ea == 0) {
      ASSERT_EQ(a, b) << i;
    }
  }
}

// ---------------------------------------------------------------- helpers through test_run

struct Out {
  uint32_t ret = 0;
  Bytes bytes;  // data_meta .. data_end
  friend bool operator==(const Out&, const Out&) = default;
};
void PrintTo(const Out& o, std::ostream* os) {
  *os << "ret " << static_cast<int32_t>(o.ret) << " (" << o.ret << "), " << o.bytes.size()
      << " bytes";
}

// One program on both: kernel maps patched into lddw map[i], interpreter maps configured from
// the same specs.
class Both {
 public:
  explicit Both(std::vector<MapSpec> specs = {}) : specs_(std::move(specs)) {
    for (const auto& s : specs_) kmaps_.push_back(std::make_unique<KernelMap>(s));
    interp_ = make_engine("interp");
    interp_->configure_maps(specs_, {.cores = kernel_cpus()});
  }
  void update(uint32_t map, const Bytes& k, const Bytes& v) {
    ASSERT_EQ(kmaps_[map]->update(k, v, 0), 0);
    ASSERT_EQ(interp_->maps()->update(map, k, v, 0), 0);
  }
  Bytes lookup_kernel(uint32_t map, const Bytes& key) {
    Bytes v(host_value_size(specs_[map], kernel_cpus()));
    EXPECT_EQ(kmaps_[map]->lookup(key, &v), 0);
    return v;
  }
  Bytes lookup_interp(uint32_t map, const Bytes& key) {
    Bytes v(host_value_size(specs_[map], kernel_cpus()));
    EXPECT_EQ(interp_->maps()->lookup(map, key, v), 0);
    return v;
  }

  // Loads `prog` into the kernel (map references patched); returns the fd or -errno.
  int load_kernel(const std::vector<Insn>& prog) {
    std::vector<Insn> p = prog;
    for (size_t i = 0; i < p.size(); ++i) {
      if (p[i].opcode == op::kLddw && p[i].src() == 1) p[i].imm = kmaps_.at(p[i].imm)->fd();
      if (p[i].opcode == op::kLddw) ++i;
    }
    const auto* insns = reinterpret_cast<const bpf_insn*>(p.data());
    const int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "check", "GPL", insns, p.size(), nullptr);
    if (fd >= 0) return fd;
    const int e = errno;
    // Again with the verifier's log, for the reason.
    static char log[1 << 20];
    LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_level = 1, .log_size = sizeof log, .log_buf = log);
    log[0] = 0;
    const int again = bpf_prog_load(BPF_PROG_TYPE_XDP, "check", "GPL", insns, p.size(), &lo);
    if (again >= 0) close(again);
    const std::string text(log);
    ADD_FAILURE() << "the kernel refuses the program: " << std::strerror(e) << "\n"
                  << text.substr(text.size() > 2000 ? text.size() - 2000 : 0);
    return -e;
  }
  Out run_kernel_fd(int fd, const Bytes& pkt) {
    Bytes out(pkt.size() + 4096);
    LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt.data(), .data_out = out.data(),
                .data_size_in = static_cast<uint32_t>(pkt.size()),
                .data_size_out = static_cast<uint32_t>(out.size()), .repeat = 1);
    EXPECT_EQ(bpf_prog_test_run_opts(fd, &o), 0) << std::strerror(errno);
    out.resize(o.data_size_out);
    return {o.retval, out};
  }
  Out run_interp(const Bytes& pkt) {
    MemoryImage mem;
    mem.set_packet(pkt);
    mem.has_ctx = true;
    const RunResult r = interp_->run(mem);
    EXPECT_EQ(fault_name(r.fault), "none") << "pc " << r.fault_pc;
    Bytes bytes(mem.packet_meta().begin(), mem.packet_meta().end());
    bytes.insert(bytes.end(), mem.packet_data().begin(), mem.packet_data().end());
    return {static_cast<uint32_t>(r.r0), bytes};
  }
  // Runs `text` on both and expects the same result; returns the kernel's.
  Out same(const std::string& text, const Bytes& pkt) {
    const auto prog = assemble(text);
    const int fd = load_kernel(prog);
    if (fd < 0) return {};
    const Out k = run_kernel_fd(fd, pkt);
    close(fd);
    interp_->load(prog);
    const Out i = run_interp(pkt);
    EXPECT_EQ(i, k) << text;
    return k;
  }

  Engine& interp() { return *interp_; }
  int map_fd(uint32_t i) const { return kmaps_[i]->fd(); }

 private:
  std::vector<MapSpec> specs_;
  std::vector<std::unique_ptr<KernelMap>> kmaps_;
  std::unique_ptr<Engine> interp_;
};

Bytes frame(size_t n, uint8_t salt = 0) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + salt);
  return b;
}

// Bounds-checks `need` packet bytes so the verifier accepts packet pointers; r6 = data,
// r9 = ctx. Frames shorter than `need` return 77.
std::string guard(uint32_t need) {
  return "mov %r9, %r1\nldxw %r6, [%r1+0]\nldxw %r7, [%r1+4]\nmov %r8, %r6\nadd %r8, " +
         std::to_string(need) + "\njgt %r8, %r7, short\n";
}
const char* kShort = "short:\nmov %r0, 77\nexit\n";

TEST(KernelHelpers, CsumDiffBitsMatch) {
  REQUIRE_KERNEL();
  Both b;
  uint64_t s = 2024;
  for (int i = 0; i < 300; ++i) {
    const uint32_t from = prandom_next(s) % 65, to = prandom_next(s) % 65;
    const uint32_t seed = (i % 4 == 0) ? 0 : prandom_next(s);
    Bytes pkt = random_bytes(s, 160);
    if (i % 7 == 0) std::fill(pkt.begin(), pkt.end(), i % 2 ? 0xff : 0x00);
    const std::string text = guard(140) + "mov %r1, " + (from ? "%r6" : "0") + "\nmov %r2, " +
                             std::to_string(from) + "\nmov %r3, %r6\nadd %r3, 70\nmov %r4, " +
                             std::to_string(to) + "\nlddw %r5, " + std::to_string(seed) +
                             "\ncall 28\nexit\n" + kShort;
    const Out k = b.same(text, pkt);
    EXPECT_EQ(k.ret, ebpf::csum_diff({pkt.data(), from}, {pkt.data() + 70, to}, seed))
        << "from " << from << " to " << to << " seed " << seed;
  }
}

TEST(KernelHelpers, AdjustHeadMetaTailMatch) {
  REQUIRE_KERNEL();
  Both b;
  for (size_t len : {14u, 20u, 60u, 300u}) {
    for (int off : {-300, -217, -216, -100, -1, 0, 1, 6, 46, 47, 60, 61, 286, 287}) {
      b.same("mov %r2, " + std::to_string(off) + "\ncall 44\nexit", frame(len));
    }
    for (int off : {-256, -220, -216, -36, -32, -8, -4, -3, -2, -1, 0, 4}) {
      b.same("mov %r2, " + std::to_string(off) + "\ncall 54\nexit", frame(len));
    }
    for (int off : {-300, -287, -286, -47, -46, -6, -1, 0, 1, 100, 3000}) {
      b.same("mov %r2, " + std::to_string(off) + "\ncall 65\nexit", frame(len));
    }
  }
  // Metadata then head moves, shrink then grow (zeroed tail), buff_len.
  const Bytes pkt = frame(60);
  for (int meta : {-4, -8, -40}) {
    for (int head : {-180, -177, -176, -10, 10, 46}) {
      b.same("mov %r6, %r1\nmov %r2, " + std::to_string(meta) + "\ncall 54\nmov %r1, %r6\n"
             "mov %r2, " + std::to_string(head) + "\ncall 44\nexit",
             pkt);
    }
  }
  b.same("mov %r6, %r1\nmov %r2, -20\ncall 65\nmov %r1, %r6\nmov %r2, 30\ncall 65\nexit", pkt);
  b.same("mov %r6, %r1\nmov %r2, 7\ncall 44\nmov %r1, %r6\nmov %r2, 9\ncall 65\nmov %r1, %r6\n"
         "call 188\nexit",
         pkt);
}

TEST(KernelHelpers, XdpLoadAndStoreBytesMatch) {
  REQUIRE_KERNEL();
  Both b;
  const Bytes pkt = frame(60, 3);
  for (int64_t off : {0, 1, 51, 52, 53, 59, 60, 0xffff, 0x10000}) {
    b.same("mov %r2, " + std::to_string(off) +
               "\nmov %r3, %r10\nadd %r3, -8\nmov %r4, 8\ncall 189\njne %r0, 0, out\n"
               "ldxw %r0, [%r10-8]\nout:\nexit",
           pkt);
    b.same("stdw [%r10-8], 0x5a5a5a5a\nmov %r2, " + std::to_string(off) +
               "\nmov %r3, %r10\nadd %r3, -8\nmov %r4, 6\ncall 190\nexit",
           pkt);
  }
}

TEST(KernelHelpers, RedirectsMatch) {
  REQUIRE_KERNEL();
  Both b({spec(MapType::kDevmap, 4, 4, 4, 0, "tx"), spec(MapType::kDevmapHash, 4, 4, 4, 0, "txh")});
  b.update(0, le32(0), le32(kLoopbackIfindex));
  b.update(1, le32(100), le32(kLoopbackIfindex));
  const Bytes pkt = frame(60);
  for (uint64_t flags : {0, 1}) {
    b.same("mov %r1, 1\nmov %r2, " + std::to_string(flags) + "\ncall 23\nexit", pkt);
  }
  namespace lim = helper_limits;
  for (uint32_t map : {0u, 1u}) {
    for (uint32_t key : {0u, 1u, 5u, 100u}) {
      for (const uint64_t flags : std::vector<uint64_t>{0, 1, 2, 3, 4, 5, lim::kBpfFBroadcast,
                                                         lim::kBpfFBroadcast | 2,
                                                         lim::kBpfFExcludeIngress | 1, 32}) {
        b.same("lddw %r1, map[" + std::to_string(map) + "]\nmov %r2, " + std::to_string(key) +
                   "\nmov %r3, " + std::to_string(flags) + "\ncall 51\nexit",
               pkt);
      }
    }
  }
}

TEST(KernelHelpers, MapHelpersFromProgramsMatch) {
  REQUIRE_KERNEL();
  Both b({spec(MapType::kHash, 4, 8, 3, 0, "h"), spec(MapType::kArray, 4, 8, 2, 0, "a"),
          spec(MapType::kLpmTrie, 8, 4, 4, kBpfFNoPrealloc, "lpm")});
  b.update(2, v4(8, 10, 0, 0, 0), le32(8));
  b.update(2, v4(16, 10, 1, 0, 0), le32(16));
  const Bytes pkt = frame(60);
  // update(map, key, value = key * 3, flags), then delete, then lookups.
  auto update = [](uint32_t map, uint32_t key, uint64_t flags) {
    return "stw [%r10-4], " + std::to_string(key) + "\nstdw [%r10-16], " +
           std::to_string(key * 3) + "\nlddw %r1, map[" + std::to_string(map) +
           "]\nmov %r2, %r10\nadd %r2, -4\nmov %r3, %r10\nadd %r3, -16\nmov %r4, " +
           std::to_string(flags) + "\ncall 2\nexit";
  };
  uint64_t s = 77;
  for (int i = 0; i < 60; ++i) {
    const uint32_t map = prandom_next(s) % 2, key = prandom_next(s) % 5;
    const uint64_t flags = prandom_next(s) % 4;
    const uint32_t what = prandom_next(s) % 3;
    if (what == 0) {
      b.same(update(map, key, flags), pkt);
    } else if (what == 1) {
      b.same("stw [%r10-4], " + std::to_string(key) + "\nlddw %r1, map[" + std::to_string(map) +
                 "]\nmov %r2, %r10\nadd %r2, -4\ncall 3\nexit",
             pkt);
    } else {
      b.same("stw [%r10-4], " + std::to_string(key) + "\nlddw %r1, map[" + std::to_string(map) +
                 "]\nmov %r2, %r10\nadd %r2, -4\ncall 1\njeq %r0, 0, out\nldxw %r0, [%r0+0]\n"
                 "out:\nexit",
             pkt);
    }
  }
  for (uint32_t a : {0x0000000au, 0x0001010au, 0x0302010au, 0x0000000bu}) {
    b.same("stw [%r10-8], 32\nstw [%r10-4], " + std::to_string(a) +
               "\nlddw %r1, map[2]\nmov %r2, %r10\nadd %r2, -8\ncall 1\njeq %r0, 0, out\n"
               "ldxw %r0, [%r0+0]\nout:\nexit",
           pkt);
  }
}

TEST(KernelHelpers, TailCallLimitMatches) {
  REQUIRE_KERNEL();
  Both b({spec(MapType::kProgArray, 4, 4, 2, 0, "jmp"), spec(MapType::kArray, 4, 8, 1, 0, "cnt")});
  // Count every run of the program in cnt[0], then tail-call slot 0 (the program itself).
  const auto prog = assemble(
      "mov %r6, %r1\nstw [%r10-4], 0\nlddw %r1, map[1]\nmov %r2, %r10\nadd %r2, -4\ncall 1\n"
      "jeq %r0, 0, out\nmov %r1, 1\nlock add [%r0+0], %r1\nmov %r1, %r6\nlddw %r2, map[0]\n"
      "mov %r3, 0\ncall 12\nmov %r0, 2\nexit\nout:\nmov %r0, 0\nexit");
  const int fd = b.load_kernel(prog);
  ASSERT_GE(fd, 0);
  const Bytes slot0 = le32(0);
  ASSERT_EQ(bpf_map_update_elem(b.map_fd(0), slot0.data(), &fd, BPF_ANY), 0) << std::strerror(errno);
  const Out k = b.run_kernel_fd(fd, frame(60));
  close(fd);
  ASSERT_EQ(b.interp().maps()->update(0, slot0, le32(0), 0), 0);
  const std::vector<std::vector<Insn>> progs = {prog};
  b.interp().load_programs(progs, 0);
  const Out i = b.run_interp(frame(60));
  EXPECT_EQ(i, k);
  EXPECT_EQ(u64(b.lookup_kernel(1, le32(0))), 34u);
  EXPECT_EQ(b.lookup_interp(1, le32(0)), b.lookup_kernel(1, le32(0)));
}

TEST(KernelHelpers, RingbufCapacityMatches) {
  REQUIRE_KERNEL();
  for (uint32_t size : {8u, 13u, 24u, 32u}) {
    Both b({spec(MapType::kRingbuf, 0, 0, 4096, 0, "rb")});
    b.same("stdw [%r10-8], 1\nstdw [%r10-16], 2\nstdw [%r10-24], 3\nstdw [%r10-32], 4\n"
           "mov %r6, 0\nmov %r7, 600\nloop:\nlddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -32\n"
           "mov %r3, " + std::to_string(size) + "\nmov %r4, 0\ncall 130\njne %r0, 0, skip\n"
           "add %r6, 1\nskip:\nsub %r7, 1\njne %r7, 0, loop\nmov %r0, %r6\nexit",
           frame(60));
  }
}

}  // namespace
}  // namespace ebpf::maptest
