// The firmware programs (firmware/xdp) on the interpreter against the Linux kernel, maps
// included (label `kernel`): each object is loaded by our ELF loader and by libbpf, both get
// the same map-init entries, every frame of its pcap corpus runs through both in order, and
// the XDP action, the output bytes (data_meta to data_end) and, at the end, every map's
// contents must agree. The test thread is pinned to CPU 0 so that the kernel's PERCPU
// values land where the interpreter (core 0) puts them.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/object.h"
#include "map_test_util.h"

namespace ebpf::maptest {
namespace {

namespace fs = std::filesystem;

const fs::path kFirmware = fs::path(EBPF_FPGA_BINARY_DIR) / "firmware";

// Frames of a classic pcap file (microsecond or nanosecond, either byte order).
std::vector<Bytes> read_pcap(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file.size() < 24) throw std::runtime_error(path.string() + ": not a pcap file");
  const uint32_t magic = u32(file);
  const bool swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
  if (!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
    throw std::runtime_error(path.string() + ": not a pcap file");
  }
  auto word = [&](size_t off) { return swap ? __builtin_bswap32(u32(file, off)) : u32(file, off); };
  std::vector<Bytes> frames;
  for (size_t off = 24; off + 16 <= file.size();) {
    const uint32_t caplen = word(off + 8);
    if (off + 16 + caplen > file.size()) throw std::runtime_error(path.string() + ": truncated");
    frames.emplace_back(file.begin() + static_cast<long>(off + 16),
                        file.begin() + static_cast<long>(off + 16 + caplen));
    off += 16 + caplen;
  }
  return frames;
}

Bytes unhex(const std::string& s) {
  Bytes b;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    b.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  }
  return b;
}

// {"map": [{"key": "hex", "value": "hex"}, ...], ...} (contracts.md section 5), read as the
// sequence of its quoted strings: a name, then "key", K, "value", V per entry.
std::vector<std::tuple<std::string, Bytes, Bytes>> read_map_init(const fs::path& path) {
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> q;
  for (size_t pos = 0;;) {
    const size_t a = text.find('"', pos);
    if (a == std::string::npos) break;
    const size_t b = text.find('"', a + 1);
    q.push_back(text.substr(a + 1, b - a - 1));
    pos = b + 1;
  }
  std::vector<std::tuple<std::string, Bytes, Bytes>> out;
  std::string name;
  for (size_t i = 0; i < q.size();) {
    if (q[i] == "key" && i + 3 < q.size() && q[i + 2] == "value") {
      out.emplace_back(name, unhex(q[i + 1]), unhex(q[i + 3]));
      i += 4;
    } else {
      name = q[i++];
    }
  }
  return out;
}

std::string hex(const Bytes& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

struct ObjectCloser {
  void operator()(bpf_object* o) const { bpf_object__close(o); }
};

std::vector<std::string> objects() {
  std::vector<std::string> out;
  if (fs::is_directory(kFirmware)) {
    for (const auto& e : fs::directory_iterator(kFirmware)) {
      if (e.path().extension() == ".o") out.push_back(e.path().stem().string());
    }
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) out.push_back("none");
  return out;
}

class FirmwareKernel : public ::testing::TestWithParam<std::string> {};

TEST_P(FirmwareKernel, InterpreterMatchesTheKernelWithMaps) {
  const std::string name = GetParam();
  const fs::path object = kFirmware / (name + ".o");
  const fs::path pcap = kFirmware / "pcap" / (name + ".pcap");
  if (!fs::exists(object) || !fs::exists(pcap)) {
    GTEST_SKIP() << "firmware not built (" << object << ", " << pcap << ")";
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  cpu_set_t before;
  sched_getaffinity(0, sizeof before, &before);
  if (sched_setaffinity(0, sizeof one, &one) != 0) GTEST_SKIP() << "cannot pin to CPU 0";
  struct Restore {
    cpu_set_t set;
    ~Restore() { sched_setaffinity(0, sizeof set, &set); }
  } restore{before};

  const Object ours = Object::open_file(object.string());
  std::string entry;
  for (const auto& p : ours.programs()) {
    if (ours.programs().size() == 1 || p.name.ends_with("_entry")) entry = p.name;
  }
  if (entry.empty()) GTEST_SKIP() << "no entry program chosen for " << name;

  std::unique_ptr<bpf_object, ObjectCloser> kobj(bpf_object__open_file(object.c_str(), nullptr));
  ASSERT_TRUE(kobj) << "libbpf cannot open " << object;
  if (const int err = bpf_object__load(kobj.get()); err != 0) {
    GTEST_SKIP() << "the kernel does not load " << name << ": " << std::strerror(-err);
  }
  const uint32_t cpus = static_cast<uint32_t>(libbpf_num_possible_cpus());
  auto interp = make_engine("interp");
  interp->configure_maps(ours.maps(), {.cores = cpus});
  const fs::path init = kFirmware / "pcap" / (name + ".map-init.json");
  if (fs::exists(init)) {
    for (const auto& [map, key, value] : read_map_init(init)) {
      bpf_map* km = bpf_object__find_map_by_name(kobj.get(), map.c_str());
      ASSERT_TRUE(km) << map;
      ASSERT_EQ(bpf_map__update_elem(km, key.data(), key.size(), value.data(), value.size(), 0), 0);
      ASSERT_EQ(interp->maps()->update(static_cast<uint32_t>(*ours.find_map(map)), key, value, 0), 0)
          << map;
    }
  }
  std::vector<std::vector<Insn>> progs;
  size_t entry_index = 0;
  for (size_t i = 0; i < ours.programs().size(); ++i) {
    progs.push_back(ours.programs()[i].insns);
    if (ours.programs()[i].name == entry) entry_index = i;
  }
  interp->load_programs(progs, entry_index);
  init_prog_arrays(*interp->maps(), ours.maps(), ours.programs());
  const int fd = bpf_program__fd(bpf_object__find_program_by_name(kobj.get(), entry.c_str()));

  const auto frames = read_pcap(pcap);
  size_t compared = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].size() < 14) continue;  // test_run needs an Ethernet header
    Bytes out(frames[i].size() + 4096);
    LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frames[i].data(), .data_out = out.data(),
                .data_size_in = static_cast<uint32_t>(frames[i].size()),
                .data_size_out = static_cast<uint32_t>(out.size()), .repeat = 1);
    ASSERT_EQ(bpf_prog_test_run_opts(fd, &o), 0) << std::strerror(errno);
    out.resize(o.data_size_out);
    MemoryImage mem;
    mem.has_ctx = true;
    mem.set_packet(frames[i]);
    const RunResult r = interp->run(mem);
    Bytes mine(mem.packet_meta().begin(), mem.packet_meta().end());
    mine.insert(mine.end(), mem.packet_data().begin(), mem.packet_data().end());
    EXPECT_EQ(xdp_action(r), o.retval) << "frame " << i << ", fault " << fault_name(r.fault);
    EXPECT_EQ(hex(mine), hex(out)) << "frame " << i;
    ++compared;
  }
  // Every map but the prog arrays (fds there, program indexes here), as sorted entries.
  for (uint32_t m = 0; m < ours.maps().size(); ++m) {
    const MapSpec& s = ours.maps()[m];
    if (s.type == MapType::kProgArray || s.type == MapType::kRingbuf ||
        s.type == MapType::kPerfEventArray) {
      continue;
    }
    bpf_map* km = nullptr;
    bpf_map* it;
    bpf_object__for_each_map(it, kobj.get()) {
      const std::string kn = bpf_map__name(it);
      if (kn == s.name || (s.origin != MapOrigin::kBtf && kn.ends_with(s.name))) km = it;
    }
    ASSERT_TRUE(km) << s.name;
    std::vector<std::string> theirs, mine;
    const uint32_t vsize = host_value_size(s, cpus);
    Bytes key(s.key_size), next(s.key_size), value(vsize);
    for (int e = bpf_map__get_next_key(km, nullptr, next.data(), s.key_size); e == 0;
         e = bpf_map__get_next_key(km, key.data(), next.data(), s.key_size)) {
      if (bpf_map__lookup_elem(km, next.data(), s.key_size, value.data(), vsize, 0) == 0) {
        theirs.push_back(hex(next) + " " + hex(value));
      }
      key = next;
    }
    for (const auto& [k, v] : dump_map(*interp->maps(), m)) mine.push_back(hex(k) + " " + hex(v));
    std::sort(theirs.begin(), theirs.end());
    std::sort(mine.begin(), mine.end());
    EXPECT_EQ(mine, theirs) << "map " << s.name;
  }
  RecordProperty("frames", std::to_string(compared));
}

INSTANTIATE_TEST_SUITE_P(Objects, FirmwareKernel, ::testing::ValuesIn(objects()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace ebpf::maptest
