// The offload API (ebpf_fpga/offload.h) end to end: firmware objects loaded on the simulated
// board over udp:// and pcie-socket:// (and on interp:), packets injected as test runs,
// verdicts, output bytes, redirects, events and maps equal to the interpreter's XdpSession;
// the OBJINFO manifest found by a second Device (another "process"), maps changed through
// it, unload; bad input (wrong key size, unknown map, corrupt manifest, an object that does
// not fit) refused with a clear error and the device unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/offload.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_io_map.h"
#include "etherbone.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

std::string fw(const std::string& name) { return std::string(EBPF_FPGA_FIRMWARE_DIR) + "/" + name; }

bool have_firmware(const std::string& program) {
  return std::ifstream(fw(program + ".o")).good() &&
         std::ifstream(fw("pcap/" + program + ".pcap")).good();
}

MapInit init_of(const std::string& program) {
  const std::string path = fw("pcap/" + program + ".map-init.json");
  return std::ifstream(path) ? read_map_init_file(path) : MapInit{};
}

using test::error_of;

// ---- manifest encoding ----

Manifest sample_manifest() {
  Manifest m;
  m.object = "firmware/firewall.o";
  m.load_time = 1'700'000'000;
  m.entry = 1;
  m.cores = 2;
  m.programs = {{"a", "xdp", 10, 0, 0x1122334455667788ull}, {"firewall", "xdp/fw", 167, 10, 42}};
  m.maps = {{"rules", 1, 4, 4, 256, 0, 0}, {".rodata", 2, 4, 8, 1, 0x80, 1}};
  return m;
}

TEST(Manifest, RoundTrips) {
  const Manifest m = sample_manifest();
  const std::vector<uint8_t> b = encode_manifest(m);
  ASSERT_EQ(b.size() % 4, 0u);
  const Manifest d = decode_manifest(b, "dev");
  EXPECT_EQ(d.object, m.object);
  EXPECT_EQ(d.load_time, m.load_time);
  EXPECT_EQ(d.entry, 1u);
  EXPECT_EQ(d.cores, 2u);
  ASSERT_EQ(d.programs.size(), 2u);
  EXPECT_EQ(d.programs[0].tag, 0x1122334455667788ull);
  EXPECT_EQ(d.programs[1].name, "firewall");
  EXPECT_EQ(d.programs[1].section, "xdp/fw");
  EXPECT_EQ(d.programs[1].first, 10u);
  ASSERT_EQ(d.maps.size(), 2u);
  EXPECT_EQ(d.maps[1].name, ".rodata");
  EXPECT_EQ(d.maps[1].flags, 0x80u);
  EXPECT_EQ(d.maps[1].index, 1u);
}

TEST(Manifest, EveryCorruptionIsAClearErrorNeverACrash) {
  const std::vector<uint8_t> good = encode_manifest(sample_manifest());
  // Every single-byte change is caught (header checks or the checksum).
  for (size_t i = 0; i < good.size(); ++i) {
    std::vector<uint8_t> b = good;
    b[i] ^= 0x5a;
    const std::string e = error_of([&] { decode_manifest(b, "udp://x:1"); });
    EXPECT_NE(e.find("object info on udp://x:1 is corrupt: "), std::string::npos)
        << "byte " << i << ": " << e;
  }
  // Truncation.
  for (size_t n = 0; n < good.size(); n += 3) {
    const std::string e =
        error_of([&] { decode_manifest(std::span(good).first(n), "dev"); });
    EXPECT_NE(e.find("is corrupt"), std::string::npos) << n << ": " << e;
  }
  EXPECT_EQ(error_of([&] {
              std::vector<uint8_t> b = good;
              b[0] = 'X';
              decode_manifest(b, "dev");
            }),
            "object info on dev is corrupt: magic reads 0x494f4258, expected 0x494f4245 "
            "(\"EBOI\")");
  // A body whose counts run past the end, with a valid checksum: bounds, not a crash.
  constexpr size_t kHeader = 16, kBody = 32;
  std::vector<uint8_t> b = {0x45, 0x42, 0x4f, 0x49, 1, 0, 0, 0, 48, 0, 0, 0, 0, 0, 0, 0};
  b.resize(kHeader + kBody, 0xff);
  uint32_t h = 0x811c9dc5u;
  for (size_t i = kHeader; i < b.size(); ++i) h = (h ^ b[i]) * 0x01000193u;
  for (int i = 0; i < 4; ++i) b[12 + i] = static_cast<uint8_t>(h >> (8 * i));
  const std::string e = error_of([&] { decode_manifest(b, "dev"); });
  EXPECT_NE(e.find("runs past the manifest's end"), std::string::npos) << e;
}

// ---- the whole loop ----

struct Corpus {
  std::string program, entry;
};

void compare_with_interp(Device& dev, const Corpus& run) {
  const Object obj = Object::open_file(fw(run.program + ".o"));
  const MapInit init = init_of(run.program);
  OffloadObject off =
      OffloadObject::load(dev, obj, {.program = run.entry, .section = std::nullopt});
  apply_map_init(off.map_access(), init, run.program);
  std::vector<Event> seen;
  off.on_event([&](const Event& ev) { seen.push_back(ev); });

  auto interp = make_xdp_session("interp");
  interp->load(obj, obj.select_program(run.entry, std::nullopt));
  apply_map_init(interp->maps(), init, run.program);

  const auto frames = read_pcap_file(fw("pcap/" + run.program + ".pcap"));
  ASSERT_FALSE(frames.empty());
  std::vector<Event> expected_events;
  for (size_t i = 0; i < frames.size(); ++i) {
    const XdpPacketIn in{frames[i].bytes, 1, 0};
    const XdpPacketOut a = off.test_run(in), b = interp->run(in);
    const std::string at = run.program + " packet " + std::to_string(i) + " on " + dev.uri();
    EXPECT_EQ(a.action, b.action) << at;
    EXPECT_EQ(a.fault, b.fault) << at;
    EXPECT_EQ(a.data, b.data) << at;
    EXPECT_EQ(a.redirect, b.redirect) << at;
    EXPECT_EQ(a.events, b.events) << at;
    expected_events.insert(expected_events.end(), b.events.begin(), b.events.end());
  }
  EXPECT_EQ(seen, expected_events) << "events delivered through the callback";
  for (uint32_t m = 0; m < obj.maps().size(); ++m) {
    EXPECT_EQ(off.map(obj.maps()[m].name).entries(), dump_map(interp->maps(), m))
        << run.program << " map " << obj.maps()[m].name << " on " << dev.uri();
  }
  std::cout << "[ offload ] " << run.program << " on " << dev.uri() << ": " << frames.size()
            << " packets, " << seen.size() << " events, " << obj.maps().size() << " maps\n";
}

const Corpus kRuns[] = {{"firewall", "firewall"},
                     {"router", "router"},
                     {"sampler", "sampler"},
                     {"tail_chain", "tail_entry"}};

TEST(OffloadInterp, FirmwareEqualsTheInterpreterSession) {
  for (const Corpus& r : kRuns) {
    if (!have_firmware(r.program)) GTEST_SKIP() << fw(r.program + ".o") << " not built";
    Device dev = Device::open("interp:");
    compare_with_interp(dev, r);
  }
}

class OffloadDevice : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { server_ = new test::SimServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  std::string uri() const {
    return GetParam() == "udp" ? server_->udp_uri() : server_->pcie_uri();
  }
  static test::SimServer* server_;
};
test::SimServer* OffloadDevice::server_ = nullptr;

TEST_P(OffloadDevice, FirmwareEqualsTheInterpreterSession) {
  for (const Corpus& r : kRuns) {
    if (!have_firmware(r.program)) GTEST_SKIP() << fw(r.program + ".o") << " not built";
    Device dev = Device::open(uri());
    ASSERT_NO_FATAL_FAILURE(compare_with_interp(dev, r));
  }
}

TEST_P(OffloadDevice, AnotherProcessFindsTheObjectByName) {
  if (!have_firmware("firewall")) GTEST_SKIP() << "firmware not built";
  Device dev = Device::open(uri());
  const DeviceInfo& caps = dev.info();
  const Object obj = Object::open_file(fw("firewall.o"));
  OffloadObject off = OffloadObject::load(dev, obj);
  apply_map_init(off.map_access(), init_of("firewall"), "firewall");
  if (!caps.has_feature(DeviceInfo::kFeatObjinfo)) {
    EXPECT_NE(error_of([&] { OffloadObject::open_loaded(dev); }).find("no OBJINFO window"),
              std::string::npos);
    GTEST_SKIP() << uri() << " has no OBJINFO window (CAP_FEATURES bit 2 clear)";
  }
  // A second connection, as a separate CLI invocation would open it.
  Device other_dev = Device::open(uri());
  OffloadObject other = OffloadObject::open_loaded(other_dev);
  EXPECT_EQ(other.manifest().object, obj.name());
  EXPECT_EQ(other.entry().name, "firewall");
  EXPECT_EQ(other.entry().insns, obj.programs()[0].insns.size());
  EXPECT_EQ(other.entry().tag, program_tag(obj.programs()[0].insns));
  ASSERT_EQ(other.maps().size(), obj.maps().size());
  EXPECT_EQ(other.map("rules").entries(), off.map("rules").entries());
  EXPECT_EQ(other.map("rules").entries().size(), 4u);

  // The other process blocks DNS: rule key {17, 0, htons(53)} -> XDP_DROP.
  const auto frames = read_pcap_file(fw("pcap/firewall.pcap"));
  const std::vector<uint8_t> key = {0x11, 0x00, 0x00, 0x35};
  const std::vector<uint8_t> drop = {1, 0, 0, 0}, pass = {2, 0, 0, 0};
  OffloadMap& rules = other.map("rules");
  EXPECT_EQ(rules.update(key, drop, kBpfNoexist), -EEXIST);
  EXPECT_EQ(rules.update(key, drop, kBpfExist), 0);
  EXPECT_EQ(rules.lookup(key), drop);
  EXPECT_EQ(rules.remove(key), 0);
  EXPECT_EQ(rules.remove(key), -ENOENT);
  EXPECT_FALSE(rules.lookup(key).has_value());
  EXPECT_EQ(rules.update(key, drop, kBpfNoexist), 0);
  // get_next_key walks every key once.
  size_t n = 0;
  for (auto k = rules.next_key(std::nullopt); k; k = rules.next_key(*k)) ++n;
  EXPECT_EQ(n, 4u);

  // Bad input from the other process: clear errors before anything is sent.
  EXPECT_EQ(error_of([&] { rules.update(std::vector<uint8_t>{1, 2, 3}, drop); }),
            "map 'rules' on " + uri() + ": key is 3 bytes, the map's key_size is 4");
  EXPECT_EQ(error_of([&] { rules.update(key, std::vector<uint8_t>{1}); }),
            "map 'rules' on " + uri() + ": value is 1 bytes, the map's value size is 4");
  EXPECT_EQ(error_of([&] { other.map("nosuch"); }),
            "no map 'nosuch' in " + obj.name() + " on " + uri() +
                " (maps: conntrack, rules, .rodata, .bss)");
  EXPECT_NE(error_of([&] { other.test_run({frames[0].bytes, 1, 0}); })
                .find("test_run needs the object loaded by this process"),
            std::string::npos);
  const auto after_other = rules.entries();
  EXPECT_EQ(after_other.size(), 4u);

  // The loading process's next map command finds that the sequence moved on (another host
  // used the map unit): one error, without effect (the device ignores a staging whose
  // number is not LAST + 1), and it follows the device again from then on.
  const std::string step = error_of([&] { off.map("rules").lookup(key); });
  if (caps.has_feature(DeviceInfo::kFeatMcmdSeq)) {
    EXPECT_NE(step.find("the map command sequence is out of step"), std::string::npos) << step;
  } else {
    EXPECT_EQ(step, "");
  }
  EXPECT_EQ(off.map("rules").entries(), after_other);
  EXPECT_EQ(off.map("rules").lookup(key), drop);

  // Garbage in the window: a clear error; the program and maps are untouched.
  const XdpPacketOut before_out = off.test_run({frames[0].bytes, 1, 0});
  const auto rules_before = off.map("rules").entries();
  std::vector<uint8_t> garbage(64);
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(i * 37 + 5);
  write_objinfo_raw(dev, garbage);
  EXPECT_NE(error_of([&] { OffloadObject::open_loaded(other_dev); })
                .find("object info on " + uri() + " is corrupt: magic reads"),
            std::string::npos);
  EXPECT_EQ(off.map("rules").entries(), rules_before);
  EXPECT_EQ(off.test_run({frames[0].bytes, 1, 0}).data, before_out.data);
  EXPECT_EQ(off.test_run({frames[0].bytes, 1, 0}).action, before_out.action);

  // Reload, then unload from the other process: nothing is loaded any more.
  OffloadObject again = OffloadObject::load(dev, obj);
  OffloadObject found = OffloadObject::open_loaded(other_dev);
  found.unload();
  EXPECT_EQ(error_of([&] { OffloadObject::open_loaded(dev); }), "no program loaded on " + uri());
  EXPECT_FALSE(read_manifest(dev).has_value());
}

TEST_P(OffloadDevice, AttachNeedsAPacketIoBlock) {
  if (!have_firmware("xdp_pass")) GTEST_SKIP() << "firmware not built";
  Device dev = Device::open(uri());
  OffloadObject off = OffloadObject::load(dev, Object::open_file(fw("xdp_pass.o")));
  // DeviceInfo carries the I/O page as its registers read (the simulated board has one).
  if (Bus* bus = dev.bus()) {
    EXPECT_TRUE(dev.info().has_io);
    EXPECT_EQ(bus->read(io_csr::kId), io_csr::kIdValue);
    EXPECT_EQ(dev.info().io_ports, bus->read(io_csr::kParams) & 0xff);
    EXPECT_EQ(dev.info().io_ports, 4u);  // ebpf-fpga-sim serve: NumPorts 4
  } else {
    EXPECT_FALSE(dev.info().has_io);
    EXPECT_EQ(dev.info().io_ports, 0u);
  }
  if (dev.info().has_io) {
    off.attach();
    EXPECT_TRUE(off.attached());
    off.detach();
    EXPECT_FALSE(off.attached());
    const IoCounters c = off.io_counters();
    EXPECT_EQ(c.rx.size(), dev.info().io_ports);
  } else {
    EXPECT_NE(error_of([&] { off.attach(); }).find("cannot attach: the device has no packet I/O"),
              std::string::npos);
    EXPECT_FALSE(off.attached());
  }
}

// PERCPU maps: one value per core, read back whole (round_up(value_size, 8) x cores bytes)
// and split by lookup_percpu, also from a second connection (cores from the manifest).
TEST_P(OffloadDevice, PercpuValuesOnePerCore) {
  if (!have_firmware("proto_count")) GTEST_SKIP() << "firmware not built";
  const Object obj = Object::open_file(fw("proto_count.o"));
  Device dev = Device::open(uri());
  OffloadLoadOptions o;
  o.maps.cores = 2;
  OffloadObject off = OffloadObject::load(dev, obj, o);
  XdpSessionOptions so;
  so.maps.cores = 2;
  auto interp = make_xdp_session("interp", so);
  interp->load(obj, obj.programs()[0]);
  for (const PcapRecord& r : read_pcap_file(fw("pcap/proto_count.pcap"))) {
    EXPECT_EQ(off.test_run({r.bytes, 1, 0}).action, interp->run({r.bytes, 1, 0}).action);
  }
  const uint32_t m = static_cast<uint32_t>(*obj.find_map("proto_stats"));
  const std::vector<MapEntry> want = dump_map(interp->maps(), m);
  ASSERT_EQ(want.size(), 256u);
  OffloadMap& stats = off.map("proto_stats");
  EXPECT_EQ(stats.value_bytes(), 2 * map_value_stride(obj.maps()[m].value_size));
  EXPECT_EQ(stats.entries(), want);
  size_t counted = 0;
  for (const MapEntry& e : want) {
    const auto per_cpu = stats.lookup_percpu(e.first);
    ASSERT_TRUE(per_cpu.has_value());
    ASSERT_EQ(per_cpu->size(), 2u);
    const uint32_t vs = obj.maps()[m].value_size;
    EXPECT_EQ((*per_cpu)[0], std::vector<uint8_t>(e.second.begin(), e.second.begin() + vs));
    EXPECT_EQ((*per_cpu)[1], std::vector<uint8_t>(e.second.begin() + map_value_stride(vs),
                                                  e.second.begin() + map_value_stride(vs) + vs));
    counted += std::any_of((*per_cpu)[0].begin(), (*per_cpu)[0].end(),
                           [](uint8_t b) { return b != 0; });
  }
  EXPECT_GT(counted, 0u) << "the corpus counted some protocol on cpu 0";
  if (!dev.info().has_feature(DeviceInfo::kFeatObjinfo)) GTEST_SKIP() << "no OBJINFO window";
  Device other_dev = Device::open(uri());
  OffloadObject other = OffloadObject::open_loaded(other_dev);
  EXPECT_EQ(other.manifest().cores, 2u);
  EXPECT_EQ(other.map("proto_stats").entries(), want);
}

INSTANTIATE_TEST_SUITE_P(Transports, OffloadDevice, ::testing::Values("udp", "pcie_socket"));

// Map commands by name through a lossy link (20% of datagrams dropped each way, 5%
// duplicated, 5% reordered) from a process that re-opened the object: 1,000 inserts with
// NOEXIST and deletes, each with its one right result (a command run twice would answer
// -EEXIST or -ENOENT), and the map exactly as it started.
TEST(OffloadLossy, MapCommandsByNameExactlyOnce) {
  if (!have_firmware("firewall")) GTEST_SKIP() << "firmware not built";
  test::SimServer server;
  Device dev = Device::open(server.udp_uri());
  if (!dev.info().has_feature(DeviceInfo::kFeatObjinfo) || !dev.info().has_feature(DeviceInfo::kFeatMcmdSeq)) {
    GTEST_SKIP() << "the device lacks OBJINFO or sequenced map commands";
  }
  const Object obj = Object::open_file(fw("firewall.o"));
  OffloadObject off = OffloadObject::load(dev, obj);
  apply_map_init(off.map_access(), init_of("firewall"), "firewall");
  const auto start = off.map("rules").entries();

  test::LossyProxy proxy(server.port(), {.drop_c2s = 0.2, .drop_s2c = 0.2, .duplicate = 0.05,
                                         .reorder = 0.05, .seed = 7});
  Device lossy = Device::open(proxy.uri() +
                              "?timeout_us=1000&backoff=1.5&max_timeout_ms=20&retries=40");
  OffloadObject other = OffloadObject::open_loaded(lossy);
  OffloadMap& rules = other.map("rules");
  int wrong = 0;
  for (int round = 0; round < 5; ++round) {
    for (uint8_t k = 0; k < 100; ++k) {
      const std::vector<uint8_t> key = {0xaa, static_cast<uint8_t>(round), k, 0};
      const std::vector<uint8_t> value = {k, 0, 0, 0};
      wrong += rules.update(key, value, kBpfNoexist) != 0;
    }
    for (uint8_t k = 0; k < 100; ++k) {
      const std::vector<uint8_t> key = {0xaa, static_cast<uint8_t>(round), k, 0};
      wrong += rules.remove(key) != 0;
    }
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(rules.entries(), start);
  EXPECT_GT(proxy.c2s().dropped, 0u);
  EXPECT_GT(proxy.s2c().dropped, 0u);
  std::cout << "[ offload ] 1,000 map commands through the lossy proxy: c2s " << proxy.c2s().in
            << " in, " << proxy.c2s().dropped << " dropped, " << proxy.c2s().duplicated
            << " duplicated; s2c " << proxy.s2c().in << " in, " << proxy.s2c().dropped
            << " dropped\n";
}

// An object that does not fit is refused before anything is written.
TEST(OffloadCapabilities, RefusedBeforeAnyWrite) {
  if (!have_firmware("firewall")) GTEST_SKIP() << "firmware not built";
  std::atomic<int> write_requests{0};
  auto regs = test::FakeEtherbone::registers({{0x000, 0x65425046},
                                              {0x004, 0x00010000},
                                              {0x01c, 64},  // IMEM_SLOTS
                                              {0x0c0, 32},  // MAP_SLOTS
                                              {0x0ec, 16}});
  test::FakeEtherbone fake([&](const std::vector<uint8_t>& req) {
    etherbone::Packet p;
    std::string why;
    if (etherbone::decode(req, &p, &why)) {
      for (const etherbone::Record& r : p.records) write_requests += !r.writes.empty();
    }
    return regs(req);
  });
  Device dev = Device::open(fake.uri());
  const Object obj = Object::open_file(fw("firewall.o"));
  const std::string e = error_of([&] { OffloadObject::load(dev, obj); });
  EXPECT_EQ(e, fake.uri() + ": " + obj.name() + ": the programs have " +
                   std::to_string(obj.programs()[0].insns.size()) +
                   " slots; the instruction memory holds 64 (IMEM_SLOTS)");
  EXPECT_EQ(write_requests.load(), 0);
}

// A device whose packet I/O page answers "XDIO" with an implausible port count is refused
// when it is opened, before anything is written.
TEST(OffloadCapabilities, ImplausibleIoPageRefusedWhenOpened) {
  for (const uint32_t ports : {0u, io_csr::kMaxPorts + 1}) {
    auto regs = test::FakeEtherbone::registers({{0x000, 0x65425046},
                                                {0x004, 0x00010000},
                                                {0x01c, 64},  // IMEM_SLOTS
                                                {io_csr::kId, io_csr::kIdValue},
                                                {io_csr::kParams, (9018u << 16) | ports}});
    test::FakeEtherbone fake(regs);
    EXPECT_EQ(error_of([&] { Device::open(fake.uri()); }),
              fake.uri() + ": implausible packet I/O page: IO_PARAMS.NumPorts reads " +
                  std::to_string(ports) + ", expected 1 to 64");
  }
}


// Events of frames that flow through an attached program (CAP_FEATURES.EVT_HOLD): the
// simulated board plays sampler.pcap several times through the sampler (perf and ringbuf
// events); poll_events() collects them while the frames flow, and they are the events the
// interpreter sends for the same frames in the same order, record for record, none lost.
TEST(OffloadEvents, HeldEventsOfAttachedFramesEqualTheInterpreter) {
  if (!have_firmware("sampler")) GTEST_SKIP() << fw("sampler.o") << " not built";
  constexpr int kLoops = 4;
  const std::string pcap = fw("pcap/sampler.pcap");
  test::SimServer server(test::SimServer::Options{
      .pcie_socket = false,
      .extra_args = {"--pcap", pcap, "--loop", std::to_string(kLoops)},
      .mac = false});
  Device dev = Device::open(server.udp_uri());
  const Object obj = Object::open_file(fw("sampler.o"));
  const MapInit init = init_of("sampler");
  OffloadObject off = OffloadObject::load(dev, obj, {.program = "sampler", .section = std::nullopt});
  apply_map_init(off.map_access(), init, "sampler");
  ASSERT_TRUE(dev.info().has_feature(DeviceInfo::kFeatEvtHold));

  auto interp = make_xdp_session("interp");
  interp->load(obj, obj.select_program("sampler", std::nullopt));
  apply_map_init(interp->maps(), init, "sampler");
  const auto frames = read_pcap_file(pcap);
  std::vector<Event> expected;
  for (int loop = 0; loop < kLoops; ++loop) {
    for (const PcapRecord& f : frames) {
      const XdpPacketOut b = interp->run(XdpPacketIn{f.bytes, 1, 0});
      expected.insert(expected.end(), b.events.begin(), b.events.end());
    }
  }
  ASSERT_FALSE(expected.empty());

  std::vector<Event> seen;
  size_t polls = 0, nonempty = 0;
  off.on_event([&](const Event& ev) { seen.push_back(ev); });
  off.attach();
  const uint32_t total = static_cast<uint32_t>(frames.size()) * kLoops;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    ++polls;
    if (off.poll_events() > 0) ++nonempty;
    if (off.io_counters().rx.at(0) == total) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "frames in after 60 s: " << off.io_counters().rx.at(0) << " of " << total;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // The last frame's run may still be committing: poll until nothing more comes.
  while (off.poll_events() > 0) ++nonempty;
  off.detach();
  off.poll_events();
  ASSERT_EQ(seen.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(seen[i], expected[i]) << "event " << i;
  }
  EXPECT_EQ(off.events_lost(), 0u);
  std::cout << "[ offload ] sampler attached, " << total << " frames: " << seen.size()
            << " events in " << nonempty << " of " << polls << " polls\n";
}

// Map reads while frames flow: a looked-up value or next key is read from the map unit's
// buffers after the command, and a frame's run in between would overwrite them with the
// program's own keys and values (the firewall looks up `rules` for every frame). The API
// pauses the flow around each command while attached, so every read answers what was
// written, and the frames keep flowing between the commands.
TEST(OffloadFlow, MapReadsWhileFramesFlowAnswerWhatWasWritten) {
  if (!have_firmware("firewall")) GTEST_SKIP() << fw("firewall.o") << " not built";
  const std::string pcap = fw("pcap/firewall.pcap");
  test::SimServer server(test::SimServer::Options{
      .pcie_socket = false,
      .extra_args = {"--pcap", pcap, "--loop", "1000", "--pps", "3000"},
      .mac = false});
  Device dev = Device::open(server.udp_uri());
  const Object obj = Object::open_file(fw("firewall.o"));
  OffloadObject off = OffloadObject::load(dev, obj, {.program = "firewall", .section = std::nullopt});
  apply_map_init(off.map_access(), init_of("firewall"), "firewall");
  OffloadMap& rules = off.map("rules");
  ASSERT_EQ(rules.spec().key_size, 4u);
  ASSERT_EQ(rules.spec().value_size, 4u);
  // Keys as strings: GCC 12 warns falsely on three-way compares of byte vectors (map keys).
  std::map<std::string, std::vector<uint8_t>> want;
  for (const auto& [k, v] : rules.entries()) want[std::string(k.begin(), k.end())] = v;

  off.attach();
  // Wait until frames flow.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (off.io_counters().rx.at(0) < 20) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no frames flowed";
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const uint32_t rx_before = off.io_counters().rx.at(0);
  uint32_t rx_seen = rx_before;
  const auto commands_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (uint32_t i = 0; i < 60; ++i) {
    // Let at least one frame run before the next command, so that every command below
    // follows a frame's run of the program (which reuses the map unit's buffers). Waiting
    // for it, rather than hoping one slips in, keeps the test independent of how the
    // host and the simulator are scheduled (on a loaded machine none may slip in).
    while (off.io_counters().rx.at(0) == rx_seen) {
      ASSERT_LT(std::chrono::steady_clock::now(), commands_deadline)
          << "no frame flowed after command " << i << " (flow left paused?)";
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    rx_seen = off.io_counters().rx.at(0);
    // UDP (17) to port 20000 + i: ports no frame of the corpus uses.
    const uint16_t port = static_cast<uint16_t>(20000 + i);
    const std::vector<uint8_t> key = {17, 0, static_cast<uint8_t>(port >> 8),
                                      static_cast<uint8_t>(port & 0xff)};
    const std::vector<uint8_t> value = {static_cast<uint8_t>(i & 1), 0, 0, 0};
    ASSERT_EQ(rules.update(key, value, 0), 0) << "update " << i;
    want[std::string(key.begin(), key.end())] = value;
    const auto got = rules.lookup(key);
    ASSERT_TRUE(got.has_value()) << "lookup " << i;
    EXPECT_EQ(*got, value) << "lookup " << i;
    if (i % 15 == 14) {
      std::map<std::string, std::vector<uint8_t>> seen;
      for (const auto& [k, v] : rules.entries()) seen[std::string(k.begin(), k.end())] = v;
      EXPECT_EQ(seen, want) << "dump after update " << i;
    }
  }
  const uint32_t rx_after = off.io_counters().rx.at(0);
  EXPECT_TRUE(off.attached());
  off.detach();
  // The frames flowed while the commands ran (between them: each command pauses the flow).
  EXPECT_GE(rx_after - rx_before, 60u);
  std::cout << "[ offload ] 60 updates + lookups, 4 dumps while " << (rx_after - rx_before)
            << " frames flowed\n";
}

}  // namespace
}  // namespace ebpf
