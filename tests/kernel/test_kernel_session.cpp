// The kernel XDP session (host/src/kernel, docs/kernel.md), label `kernel`:
//  - every firmware object over its pcap corpus with its map-init: actions against the
//    .expect.tsv files, and actions, output bytes and final map contents against the
//    interpreter (MapStore configured with the kernel's CPU count, core 0);
//  - the session's own contract on purpose-built objects: MapAccess errnos, PERCPU core count,
//    how ingress_ifindex / rx_queue_index reach the kernel, invalid actions, global data,
//    verifier refusals, and bad input.
// Skips, saying why, where bpf() is not permitted. Each test prints how many comparisons with
// the kernel it ran ("[ kernel ] ...").
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "corpus.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/object.h"
#include "ebpf_fpga/xdp_session.h"
#include "kernel_session.h"

namespace {

namespace fs = std::filesystem;
using ebpf::kernel::Bytes;

const fs::path kFirmware = fs::path(EBPF_FPGA_BINARY_DIR) / "firmware";
const fs::path kObjects = fs::path(EBPF_FPGA_KERNEL_TEST_OBJECTS);

#define SKIP_WITHOUT_KERNEL()                                 \
  do {                                                        \
    if (const auto why = ebpf::kernel_unavailable_reason()) { \
      GTEST_SKIP() << "kernel engine unavailable: " << *why;  \
    }                                                         \
  } while (0)

// The entry program of a firmware object: the one named as the file, else "<x>_entry".
const ebpf::ProgramSpec& entry_of(const ebpf::Object& obj, const std::string& stem) {
  for (const auto& p : obj.programs()) {
    if (p.name == stem) return p;
  }
  for (const auto& p : obj.programs()) {
    if (p.name.size() > 6 && p.name.ends_with("_entry")) return p;
  }
  return obj.programs().front();
}

// The interpreter as the kernel session's reference: same maps (PERCPU with the kernel's CPU
// count), programs in Object::programs() order, PROG_ARRAYs initialised, runs on core 0.
struct InterpRef {
  std::unique_ptr<ebpf::Engine> engine = ebpf::make_engine("interp");
  InterpRef(const ebpf::Object& obj, const ebpf::ProgramSpec& entry, uint32_t cores) {
    engine->configure_maps(obj.maps(), ebpf::MapOptions{.cores = cores});
    std::vector<std::vector<ebpf::Insn>> progs;
    size_t entry_index = 0;
    for (size_t i = 0; i < obj.programs().size(); ++i) {
      progs.push_back(obj.programs()[i].insns);
      if (obj.programs()[i].name == entry.name) entry_index = i;
    }
    engine->load_programs(progs, entry_index);
    ebpf::init_prog_arrays(*engine->maps(), obj.maps(), obj.programs());
  }
  ebpf::XdpPacketOut run(const ebpf::XdpPacketIn& in) {
    ebpf::MemoryImage mem;
    mem.has_ctx = true;
    mem.set_packet(in.bytes);
    mem.ingress_ifindex = in.ingress_ifindex;
    mem.rx_queue_index = in.rx_queue_index;
    const ebpf::RunResult r = engine->run(mem, ebpf::RunOptions{.cpu = 0});
    ebpf::XdpPacketOut out;
    out.action = ebpf::xdp_action(r);
    out.fault = ebpf::xdp_fault(r);
    const auto d = mem.packet_data();
    const auto m = mem.packet_meta();
    out.data.assign(d.begin(), d.end());
    out.meta.assign(m.begin(), m.end());
    return out;
  }
};

std::vector<ebpf::MapEntry> sorted_dump(ebpf::MapAccess& maps, uint32_t map) {
  auto entries = ebpf::dump_map(maps, map);
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::string describe(const std::vector<ebpf::MapEntry>& entries) {
  std::ostringstream out;
  for (const auto& [k, v] : entries) {
    out << "\n    " << ebpf::kernel::to_hex(k) << " -> " << ebpf::kernel::to_hex(v);
  }
  return out.str();
}

std::vector<std::string> firmware_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kFirmware, ec)) {
    if (e.path().extension() == ".o") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class KernelFirmware : public ::testing::TestWithParam<std::string> {};

TEST_P(KernelFirmware, CorpusAgreesWithExpectationsAndInterpreter) {
  SKIP_WITHOUT_KERNEL();
  const std::string name = GetParam();
  const fs::path base = kFirmware / "pcap" / name;
  if (!fs::exists(base.string() + ".pcap")) GTEST_SKIP() << "no corpus " << base << ".pcap";
  const auto frames = ebpf::kernel::read_pcap(base.string() + ".pcap");
  const auto expect = ebpf::kernel::read_expect(base.string() + ".expect.tsv");
  std::vector<ebpf::kernel::MapInit> init;
  if (fs::exists(base.string() + ".map-init.json")) {
    init = ebpf::kernel::read_map_init(base.string() + ".map-init.json");
  }
  ASSERT_EQ(frames.size(), expect.size());
  ASSERT_FALSE(frames.empty());

  const ebpf::Object obj = ebpf::Object::open_file((kFirmware / (name + ".o")).string());
  const ebpf::ProgramSpec& entry = entry_of(obj, name);
  auto session = ebpf::make_kernel_xdp_session({});
  ASSERT_NO_THROW(session->load(obj, entry));
  ebpf::MapAccess& kmaps = session->maps();
  ASSERT_EQ(kmaps.map_count(), obj.maps().size());
  ASSERT_EQ(kmaps.cores(), ebpf::kernel::possible_cpus());
  ebpf::kernel::apply_map_init(kmaps, init);

  InterpRef ref(obj, entry, kmaps.cores());
  ebpf::kernel::apply_map_init(*ref.engine->maps(), init);

  size_t compared = 0, short_frames = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    const ebpf::XdpPacketIn in{.bytes = frames[i]};
    const std::string what = name + " frame " + std::to_string(i) + " (" + expect[i].what + ")";
    if (frames[i].size() < ebpf::kernel::kMinPacketBytes) {
      // The kernel cannot run it; the session says so instead of guessing.
      try {
        session->run(in);
        ADD_FAILURE() << what << ": a " << frames[i].size() << "-byte frame did not throw";
      } catch (const ebpf::Error& e) {
        EXPECT_NE(std::string(e.what()).find("at least 14"), std::string::npos) << e.what();
      }
      ++short_frames;
      // Keep the interpreter's map state in step only with frames the kernel saw.
      continue;
    }
    const ebpf::XdpPacketOut k = session->run(in);
    const ebpf::XdpPacketOut r = ref.run(in);
    EXPECT_EQ(k.action, expect[i].action) << what;
    EXPECT_EQ(k.action, r.action) << what;
    EXPECT_EQ(k.fault, ebpf::FaultCode::kNone) << what;
    EXPECT_EQ(ebpf::kernel::to_hex(k.data), ebpf::kernel::to_hex(r.data)) << what;
    EXPECT_EQ(ebpf::kernel::to_hex(k.meta), ebpf::kernel::to_hex(r.meta)) << what;
    EXPECT_FALSE(k.cycles.has_value());
    ++compared;
  }

  size_t maps_compared = 0;
  for (uint32_t m = 0; m < kmaps.map_count(); ++m) {
    const auto kd = sorted_dump(kmaps, m);
    const auto rd = sorted_dump(*ref.engine->maps(), m);
    EXPECT_EQ(kd, rd) << name << " map '" << kmaps.spec(m).name << "': kernel" << describe(kd)
                      << "\n  interpreter" << describe(rd);
    ++maps_compared;
  }
  std::cout << "[ kernel ] " << name << ": " << compared
            << " frames compared with the kernel (action, output bytes), " << maps_compared
            << " maps compared after the last frame, " << short_frames
            << " frames shorter than 14 bytes refused by BPF_PROG_TEST_RUN\n";
  RecordProperty("kernel_comparisons", std::to_string(compared + maps_compared));
}

std::string param_name(const ::testing::TestParamInfo<std::string>& p) { return p.param; }
INSTANTIATE_TEST_SUITE_P(Firmware, KernelFirmware, ::testing::ValuesIn(firmware_names()),
                         param_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(KernelFirmware);

// ---- the session's contract on purpose-built objects ----

class KernelSession : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_KERNEL();
    const fs::path path = kObjects / "session_probe.o";
    if (!fs::exists(path)) GTEST_SKIP() << "test object not built (clang missing?)";
    obj_ = ebpf::Object::open_file(path.string());
    session_ = ebpf::make_kernel_xdp_session({});
    session_->load(obj_, obj_.select_program(std::nullopt, std::nullopt));
  }
  uint32_t map(const std::string& name) {
    const auto i = obj_.find_map(name);
    EXPECT_TRUE(i.has_value()) << name;
    return static_cast<uint32_t>(i.value_or(0));
  }
  uint32_t read_u32(const std::string& name, uint32_t key) {
    uint32_t v = 0;
    EXPECT_EQ(
        session_->maps().lookup(map(name), std::span(reinterpret_cast<const uint8_t*>(&key), 4),
                                std::span(reinterpret_cast<uint8_t*>(&v), 4)),
        0);
    return v;
  }
  void set_verdict(uint32_t v) {
    const uint32_t k = 0;
    ASSERT_EQ(
        session_->maps().update(map("verdict"), std::span(reinterpret_cast<const uint8_t*>(&k), 4),
                                std::span(reinterpret_cast<const uint8_t*>(&v), 4), ebpf::kBpfAny),
        0);
  }
  static Bytes frame(size_t n = 64) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + 1);
    return b;
  }
  ebpf::Object obj_;
  std::unique_ptr<ebpf::XdpSession> session_;
};

TEST_F(KernelSession, RunsThePacketAndReturnsItsBytes) {
  const Bytes in = frame(60);
  const ebpf::XdpPacketOut out = session_->run({.bytes = in});
  EXPECT_EQ(out.action, ebpf::kXdpPass);
  EXPECT_EQ(out.data, in);
  EXPECT_TRUE(out.meta.empty());
  EXPECT_EQ(out.fault, ebpf::FaultCode::kNone);
  EXPECT_EQ(session_->engine(), "kernel");
}

// A known difference: BPF_PROG_TEST_RUN puts at most one page minus headroom and
// skb_shared_info (3520 bytes on x86-64) in the linear part a program sees between data and
// data_end; the rest of a larger frame goes to fragments. The output holds the whole frame.
TEST_F(KernelSession, LargeFramesAreLinearOnlyUpToAPage) {
  const ebpf::XdpPacketOut small = session_->run({.bytes = frame(1500)});
  EXPECT_EQ(small.data.size(), 1500u);
  EXPECT_EQ(read_u32("seen", 2), 1500u);
  const Bytes big = frame(9000);
  const ebpf::XdpPacketOut out = session_->run({.bytes = big});
  EXPECT_EQ(out.data, big);
  const uint32_t linear = read_u32("seen", 2);
  EXPECT_LT(linear, 4096u);
  EXPECT_GE(linear, 1500u);
  std::cout << "[ kernel ] a 9000-byte frame: the program sees " << linear
            << " linear bytes (the interpreter and the RTL: 9000)\n";
}

TEST_F(KernelSession, UnknownActionIsAbortedWithInvalidAction) {
  set_verdict(3);
  EXPECT_EQ(session_->run({.bytes = frame()}).action, ebpf::kXdpTx);
  set_verdict(7);
  const ebpf::XdpPacketOut out = session_->run({.bytes = frame()});
  EXPECT_EQ(out.action, ebpf::kXdpAborted);
  EXPECT_EQ(out.fault, ebpf::FaultCode::kInvalidAction);
}

TEST_F(KernelSession, IngressIfindexAndQueueAsTheKernelAcceptsThem) {
  session_->run({.bytes = frame(), .ingress_ifindex = 1, .rx_queue_index = 0});
  EXPECT_EQ(read_u32("seen", 0), 1u);
  EXPECT_EQ(read_u32("seen", 1), 0u);
  // No such device: loopback (1) instead; a queue loopback lacks: 0.
  session_->run({.bytes = frame(), .ingress_ifindex = 0x7fff0000u, .rx_queue_index = 5});
  EXPECT_EQ(read_u32("seen", 0), 1u);
  EXPECT_EQ(read_u32("seen", 1), 0u);
  EXPECT_EQ(ebpf::kernel::map_ctx(0x7fff0000u, 5).ingress_ifindex, 1u);
  EXPECT_EQ(ebpf::kernel::map_ctx(1, 5).rx_queue_index, 0u);
}

TEST_F(KernelSession, PercpuValuesForEveryPossibleCpuAndRunsOnCpu0) {
  ebpf::MapAccess& maps = session_->maps();
  // /sys/devices/system/cpu/possible, e.g. "0-1": the kernel's PERCPU copies.
  std::ifstream in("/sys/devices/system/cpu/possible");
  std::string possible;
  in >> possible;
  uint32_t cpus = 0;
  for (std::stringstream ranges(possible); ranges.good();) {
    std::string r;
    std::getline(ranges, r, ',');
    const auto dash = r.find('-');
    const uint32_t lo = static_cast<uint32_t>(std::stoul(r.substr(0, dash)));
    const uint32_t hi =
        dash == std::string::npos ? lo : static_cast<uint32_t>(std::stoul(r.substr(dash + 1)));
    cpus += hi - lo + 1;
  }
  EXPECT_EQ(maps.cores(), cpus);
  for (int i = 0; i < 3; ++i) session_->run({.bytes = frame()});
  const uint32_t m = map("per_cpu");
  EXPECT_EQ(ebpf::host_value_size(maps, m), 8u * cpus);
  Bytes value(8u * cpus);
  const uint32_t key = 0;
  ASSERT_EQ(maps.lookup(m, std::span(reinterpret_cast<const uint8_t*>(&key), 4), value), 0);
  uint64_t cpu0 = 0, others = 0;
  std::memcpy(&cpu0, value.data(), 8);
  for (uint32_t c = 1; c < cpus; ++c) {
    uint64_t v = 0;
    std::memcpy(&v, value.data() + 8 * c, 8);
    others += v;
  }
  EXPECT_EQ(cpu0, 3u);
  EXPECT_EQ(others, 0u);
}

TEST_F(KernelSession, GlobalDataMapsFollowObjectOrder) {
  const uint32_t bss = map(".bss");
  EXPECT_EQ(session_->maps().spec(bss).origin, ebpf::MapOrigin::kBss);
  session_->run({.bytes = frame()});
  session_->run({.bytes = frame()});
  Bytes value(session_->maps().spec(bss).value_size);
  const uint32_t key = 0;
  ASSERT_EQ(
      session_->maps().lookup(bss, std::span(reinterpret_cast<const uint8_t*>(&key), 4), value), 0);
  uint64_t packets = 0;
  std::memcpy(&packets, value.data(), 8);
  EXPECT_EQ(packets, 2u);
}

TEST_F(KernelSession, MapAccessErrnosAreTheKernels) {
  ebpf::MapAccess& maps = session_->maps();
  const uint32_t m = map("seen");
  const uint32_t out_of_range = 5, zero = 0, last = 2;
  auto key = [](const uint32_t& k) { return std::span(reinterpret_cast<const uint8_t*>(&k), 4); };
  uint32_t v = 9;
  auto val = std::span(reinterpret_cast<uint8_t*>(&v), 4);
  EXPECT_EQ(maps.lookup(m, key(out_of_range), val), -ENOENT);
  EXPECT_EQ(maps.update(m, key(zero), val, ebpf::kBpfNoexist), -EEXIST);
  EXPECT_EQ(maps.update(m, key(out_of_range), val, ebpf::kBpfAny), -E2BIG);
  EXPECT_EQ(maps.remove(m, key(zero)), -EINVAL);  // array elements cannot be deleted
  uint32_t next = 99;
  auto next_span = std::span(reinterpret_cast<uint8_t*>(&next), 4);
  EXPECT_EQ(maps.get_next_key(m, std::nullopt, next_span), 0);
  EXPECT_EQ(next, 0u);
  EXPECT_EQ(maps.get_next_key(m, key(last), next_span), -ENOENT);
  // A span of the wrong size is a caller bug: an exception naming the map.
  const uint8_t short_key[2] = {};
  try {
    maps.lookup(m, short_key, val);
    ADD_FAILURE() << "a 2-byte key was accepted";
  } catch (const ebpf::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'seen'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(maps.lookup(99, key(zero), val), ebpf::Error);
}

TEST_F(KernelSession, ShortPacketIsAClearError) {
  try {
    session_->run({.bytes = frame(13)});
    ADD_FAILURE() << "a 13-byte packet was run";
  } catch (const ebpf::Error& e) {
    EXPECT_NE(std::string(e.what()).find("13 bytes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("at least 14"), std::string::npos) << e.what();
  }
}

// Without privileges the probe says why, and the factory refuses with that reason. Checked in
// a child process that drops root (setuid to nobody drops every capability).
TEST(KernelSessionProbe, UnprivilegedProcessGetsAClearReason) {
  if (geteuid() != 0) {
    const auto why = ebpf::kernel::probe_unavailable_reason();
    if (why) {
      EXPECT_NE(why->find("not permitted"), std::string::npos) << *why;
      EXPECT_THROW(ebpf::make_kernel_xdp_session({}), ebpf::Error);
      return;
    }
    GTEST_SKIP() << "not root, and bpf() works: nothing to drop";
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    std::string msg;
    if (setgid(65534) != 0 || setuid(65534) != 0) {
      msg = "setuid failed";
    } else {
      msg = ebpf::kernel::probe_unavailable_reason().value_or("(available)");
    }
    const ssize_t n = write(fds[1], msg.data(), msg.size());
    _exit(n == static_cast<ssize_t>(msg.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string got;
  char buf[256];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << got;
  std::cout << "[ kernel ] as uid 65534: " << got << "\n";
  EXPECT_NE(got.find("bpf() not permitted: EPERM"), std::string::npos) << got;
  EXPECT_NE(got.find("CAP_BPF"), std::string::npos) << got;
}

// bpf_xdp_adjust_meta's bytes come back in `meta`, the frame in `data`, as on the interpreter.
TEST(KernelSessionMeta, MetadataComesBackApartFromTheFrame) {
  SKIP_WITHOUT_KERNEL();
  const fs::path path = kObjects / "meta_probe.o";
  if (!fs::exists(path)) GTEST_SKIP() << "test object not built (clang missing?)";
  const ebpf::Object obj = ebpf::Object::open_file(path.string());
  auto session = ebpf::make_kernel_xdp_session({});
  session->load(obj, obj.programs().front());
  Bytes frame(60);
  for (size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<uint8_t>(0xa0 + i);
  const ebpf::XdpPacketOut out = session->run({.bytes = frame});
  EXPECT_EQ(out.action, ebpf::kXdpPass);
  EXPECT_EQ(out.data, frame);
  EXPECT_EQ(ebpf::kernel::to_hex(out.meta), "0df0edfe3c000000");
  InterpRef ref(obj, obj.programs().front(), session->maps().cores());
  const ebpf::XdpPacketOut interp = ref.run({.bytes = frame});
  EXPECT_EQ(interp.action, out.action);
  EXPECT_EQ(interp.data, out.data);
  EXPECT_EQ(interp.meta, out.meta);
}

TEST(KernelSessionLoad, VerifierRefusalQuotesTheLog) {
  SKIP_WITHOUT_KERNEL();
  const fs::path path = kObjects / "verifier_refused.o";
  if (!fs::exists(path)) GTEST_SKIP() << "test object not built (clang missing?)";
  const ebpf::Object obj = ebpf::Object::open_file(path.string());
  auto session = ebpf::make_kernel_xdp_session({});
  try {
    session->load(obj, obj.programs().front());
    ADD_FAILURE() << "the verifier accepted an unchecked packet read";
  } catch (const ebpf::Error& e) {
    const std::string msg = e.what();
    std::cout << "[ kernel ] refusal message: " << msg << "\n";
    EXPECT_NE(msg.find("verifier_refused.o"), std::string::npos) << msg;
    EXPECT_NE(msg.find("the kernel refused program 'verifier_refused'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("invalid access to packet"), std::string::npos) << msg;
  }
}

// A known difference (docs/semantics.md, "Differences from the Linux kernel"): Linux takes
// the XDP action from the low 32 bits of r0 (bpf_prog_run_xdp returns u32); contracts.md
// section 3 judges all 64. This pins the kernel's side, which the difference is about, and
// prints the interpreter's.
TEST(KernelSessionDifferences, XdpActionIsTheLow32BitsOfR0) {
  SKIP_WITHOUT_KERNEL();
  const fs::path path = kObjects / "wide_return.o";
  if (!fs::exists(path)) GTEST_SKIP() << "test object not built (clang missing?)";
  const ebpf::Object obj = ebpf::Object::open_file(path.string());
  const ebpf::ProgramSpec& entry = obj.programs().front();
  // The object really returns a 64-bit r0: no 32-bit move before its exit.
  ASSERT_GE(entry.insns.size(), 2u);
  ASSERT_EQ(entry.insns.back().opcode, 0x95);
  ASSERT_EQ(entry.insns[entry.insns.size() - 2].opcode, 0xbf);  // mov64 r0, reg
  auto session = ebpf::make_kernel_xdp_session({});
  session->load(obj, entry);
  InterpRef ref(obj, entry, session->maps().cores());
  const uint32_t key = 0;
  const auto k = std::span(reinterpret_cast<const uint8_t*>(&key), 4);
  for (const uint64_t r0 : {0x0000000100000002ull, 0xffffffff00000001ull, 0x2ull, 0x7ull}) {
    const auto v = std::span(reinterpret_cast<const uint8_t*>(&r0), 8);
    ASSERT_EQ(session->maps().update(0, k, v, ebpf::kBpfAny), 0);
    ASSERT_EQ(ref.engine->maps()->update(0, k, v, ebpf::kBpfAny), 0);
    const ebpf::XdpPacketIn in{.bytes = Bytes(64, 0)};
    const ebpf::XdpPacketOut out = session->run(in);
    const auto low = static_cast<uint32_t>(r0);
    EXPECT_EQ(out.action, low <= ebpf::kXdpRedirect ? low : ebpf::kXdpAborted) << std::hex << r0;
    const ebpf::XdpPacketOut interp = ref.run(in);
    std::cout << "[ kernel ] r0 = 0x" << std::hex << r0 << std::dec << ": kernel action "
              << out.action << ", interpreter action " << interp.action << " (fault "
              << ebpf::fault_name(interp.fault) << ")"
              << (out.action == interp.action ? "" : "  <- known difference") << "\n";
  }
}

TEST(KernelSessionLoad, ObjectWithoutAFileIsAClearError) {
  SKIP_WITHOUT_KERNEL();
  const fs::path path = kFirmware / "xdp_pass.o";
  if (!fs::exists(path)) GTEST_SKIP() << "firmware not built";
  std::ifstream in(path, std::ios::binary);
  const Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ebpf::Object obj = ebpf::Object::open_memory(bytes, "in-memory object");
  auto session = ebpf::make_kernel_xdp_session({});
  try {
    session->load(obj, obj.programs().front());
    ADD_FAILURE() << "loaded an object that has no file";
  } catch (const ebpf::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(session->run({.bytes = Bytes(64, 0)}), ebpf::Error);
}

}  // namespace
