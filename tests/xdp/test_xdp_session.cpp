// The XDP session library: sessions against the interpreter run directly, rtl sessions
// against interp sessions (maps and helpers), compare on an injected difference and on
// identical runs, PERCPU sums, map-init and pcap round trips.
#include <gtest/gtest.h>

#include <algorithm>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_compare.h"
#include "ebpf_fpga/xdp_report.h"
#include "ebpf_fpga/xdp_session.h"
#include "xdp_test_util.h"

namespace {

using namespace xdptest;

std::vector<ebpf::XdpPacketIn> packets_of(const std::string& pcap) {
  std::vector<ebpf::XdpPacketIn> out;
  for (auto& r : ebpf::read_pcap_file(pcap)) out.push_back({std::move(r.bytes), 1, 0});
  return out;
}

class DnsFilterSessions : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = firmware_object("dns_filter");
    pcap_ = corpus("dns_filter", ".pcap");
    init_path_ = corpus("dns_filter", ".map-init.json");
    XDP_NEED_BUILT(!path_.empty() && !pcap_.empty() && !init_path_.empty(),
                   "firmware dns_filter (object, corpus and map-init)");
    obj_.emplace(ebpf::Object::open_file(path_));
    packets_ = packets_of(pcap_);
  }
  ebpf::XdpRunReport run(const std::string& engine, const ebpf::MapInit& init) {
    auto s = ebpf::make_xdp_session(engine);
    const auto& entry = obj_->select_program("dns_filter", std::nullopt);
    s->load(*obj_, entry);
    ebpf::apply_map_init(s->maps(), init, "test");
    return ebpf::run_xdp_packets(*s, *obj_, entry, packets_);
  }
  std::string path_, pcap_, init_path_;
  std::optional<ebpf::Object> obj_;
  std::vector<ebpf::XdpPacketIn> packets_;
};

// Self-check of the session layer: an interp session against the interpreter driven directly
// through ebpf::Engine (no XdpSession in between).
TEST_F(DnsFilterSessions, InterpSessionMatchesTheInterpreterRunDirectly) {
  const auto rep = run("interp", ebpf::read_map_init_file(init_path_));
  std::vector<Bytes> frames;
  for (const auto& p : packets_) frames.push_back(p.bytes);
  const RefRun ref = reference_run(path_, "dns_filter", frames, init_path_);
  ASSERT_EQ(rep.packets.size(), ref.packets.size());
  for (size_t i = 0; i < ref.packets.size(); ++i) {
    EXPECT_EQ(rep.packets[i].out.action, ebpf::xdp_action(ref.packets[i].result)) << i;
    EXPECT_EQ(rep.packets[i].out.data, ref.packets[i].data) << i;
    EXPECT_EQ(rep.packets[i].out.instructions, ref.packets[i].result.instructions) << i;
  }
  ASSERT_EQ(rep.maps.size(), ref.maps.size());
  for (size_t m = 0; m < ref.maps.size(); ++m) EXPECT_EQ(rep.maps[m].entries, ref.maps[m]);
}

// Self-check of compare: two interpreter sessions on the same input are identical.
TEST_F(DnsFilterSessions, CompareOfTwoInterpreterSessionsIsClean) {
  const auto init = ebpf::read_map_init_file(init_path_);
  const auto a = run("interp", init);
  const auto b = run("interp", init);
  EXPECT_TRUE(ebpf::compare_xdp_reports(a, b).empty());
}

bool rtl_built() {
  const auto names = ebpf::engine_names();
  return std::find(names.begin(), names.end(), "rtl") != names.end();
}

// rtl against interp, each in its own session: dns_filter (a hash map the host fills, a
// lookup helper per packet) must give identical verdicts, bytes and final maps.
TEST_F(DnsFilterSessions, RtlSessionMatchesInterpSession) {
  if (!rtl_built()) GTEST_SKIP() << "engine rtl is not built";
  const auto init = ebpf::read_map_init_file(init_path_);
  const auto a = run("interp", init);
  const auto b = run("rtl", init);
  ASSERT_EQ(b.packets.size(), packets_.size());
  for (const auto& d : ebpf::compare_xdp_reports(a, b)) {
    ADD_FAILURE() << d.where << ": " << d.what << (d.counted ? "" : " (not counted)");
  }
  size_t drops = 0;
  for (const auto& p : b.packets) {
    EXPECT_FALSE(p.error.has_value()) << *p.error;
    ASSERT_TRUE(p.out.cycles.has_value());
    EXPECT_GT(*p.out.cycles, 0u);
    drops += p.out.action == ebpf::kXdpDrop;
  }
  EXPECT_GT(drops, 0u);  // the block list matched some queries: the map lookups were exercised
}

// The same on the firewall: LRU hash and array maps, lookups and updates from the program
// (map state carries over from packet to packet).
TEST(XdpSessions, RtlMatchesInterpOnTheFirewall) {
  if (!rtl_built()) GTEST_SKIP() << "engine rtl is not built";
  const std::string path = firmware_object("firewall"), pcap = corpus("firewall", ".pcap");
  const std::string init_path = corpus("firewall", ".map-init.json");
  XDP_NEED_BUILT(!path.empty() && !pcap.empty() && !init_path.empty(),
                 "firmware firewall (object, corpus and map-init)");
  const ebpf::Object obj = ebpf::Object::open_file(path);
  const auto& entry = obj.select_program("firewall", std::nullopt);
  const auto init = ebpf::read_map_init_file(init_path);
  const auto packets = packets_of(pcap);
  auto report = [&](const std::string& engine) {
    auto s = ebpf::make_xdp_session(engine);
    s->load(obj, entry);
    ebpf::apply_map_init(s->maps(), init, init_path);
    return ebpf::run_xdp_packets(*s, obj, entry, packets);
  };
  const auto a = report("interp");
  const auto b = report("rtl");
  for (const auto& d : ebpf::compare_xdp_reports(a, b)) {
    ADD_FAILURE() << d.where << ": " << d.what << (d.counted ? "" : " (not counted)");
  }
  size_t entries = 0;
  for (const auto& m : b.maps) entries += m.entries.size();
  EXPECT_GT(entries, 0u);
  for (const auto& p : b.packets) {
    ASSERT_TRUE(p.out.cycles.has_value());
    EXPECT_GT(*p.out.cycles, 0u);
  }
}

TEST_F(DnsFilterSessions, CompareFindsAnInjectedDifference) {
  // One session's block list lacks its first name: those queries pass instead of dropping,
  // and the map contents differ.
  auto init = ebpf::read_map_init_file(init_path_);
  const auto a = run("interp", init);
  ASSERT_FALSE(init.empty());
  ASSERT_GE(init[0].entries.size(), 2u);
  const Bytes removed = init[0].entries[0].key;
  init[0].entries.erase(init[0].entries.begin());
  const auto b = run("interp", init);
  const auto diffs = ebpf::compare_xdp_reports(a, b);
  ASSERT_FALSE(diffs.empty());
  size_t actions = 0, map_diffs = 0;
  for (const auto& d : diffs) {
    EXPECT_TRUE(d.counted);
    actions += d.what.starts_with("action: interp XDP_DROP, interp XDP_PASS");
    if (d.where == "map 'blocked_names'") {
      ++map_diffs;
      EXPECT_NE(d.what.find(ebpf::to_hex(removed)), std::string::npos) << d.what;
    }
  }
  EXPECT_GE(actions, 1u);
  EXPECT_EQ(map_diffs, 1u);
}

TEST(XdpCompare, PercpuMapsAreSummedWhenTheCoreCountsDiffer) {
  ebpf::XdpRunReport a, b;
  a.engine = "interp";
  b.engine = "kernel";
  a.cores = 1;
  b.cores = 2;
  auto u64s = [](std::vector<uint64_t> v) {
    Bytes out(v.size() * 8);
    for (size_t i = 0; i < v.size(); ++i) {
      for (int k = 0; k < 8; ++k) out[i * 8 + k] = static_cast<uint8_t>(v[i] >> (8 * k));
    }
    return out;
  };
  const Bytes key = {0, 0, 0, 0};
  a.maps.push_back({"stats", ebpf::MapType::kPercpuArray, 16, {{key, u64s({5, 7})}}});
  b.maps.push_back({"stats", ebpf::MapType::kPercpuArray, 16, {{key, u64s({2, 3, 3, 4})}}});
  EXPECT_TRUE(ebpf::compare_xdp_reports(a, b).empty());
  b.maps[0].entries[0].second = u64s({2, 3, 3, 5});
  const auto diffs = ebpf::compare_xdp_reports(a, b);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].where, "map 'stats'");
  EXPECT_NE(diffs[0].what.find("summed over cores"), std::string::npos) << diffs[0].what;
}

TEST(XdpCompare, PacketFieldsAndFirstDifferingByte) {
  ebpf::XdpRunReport a, b;
  a.engine = "interp";
  b.engine = "rtl";
  ebpf::XdpPacketReport p;
  p.out.action = ebpf::kXdpTx;
  p.out.data = {1, 2, 3, 4};
  a.packets = {p, p};
  b.packets = {p, p};
  b.packets[1].out.data[2] = 9;
  b.packets[1].out.fault = ebpf::FaultCode::kHelperFault;
  b.packets[1].out.fault_pc = 12;
  const auto diffs = ebpf::compare_xdp_reports(a, b);
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_EQ(diffs[0].where, "packet 1");
  EXPECT_EQ(diffs[0].what, "output bytes: first difference at byte 2 (interp 0x03, rtl 0x09)");
  EXPECT_EQ(diffs[1].what, "fault: interp none, rtl helper_fault at pc 12 in #0");
}

TEST(XdpCompare, KernelRuntsAreReportedNotCounted) {
  ebpf::XdpRunReport a, b;
  a.engine = "interp";
  b.engine = "kernel";
  ebpf::XdpPacketReport p;
  p.out.action = ebpf::kXdpDrop;
  a.packets = {p};
  b.packets = {p};
  b.packets[0].error = "packet of 10 bytes";
  const auto diffs = ebpf::compare_xdp_reports(a, b);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_FALSE(diffs[0].counted);
}

TEST(MapInit, ParseErrorsSayWhere) {
  EXPECT_THROW(ebpf::parse_map_init("[1]", "f.json"), ebpf::Error);
  try {
    ebpf::parse_map_init(R"({"m": [{"key": "00", "value": "0"}]})", "f.json");
    FAIL();
  } catch (const ebpf::Error& e) {
    EXPECT_STREQ(e.what(), "f.json: map 'm' entry 0: value: odd number of hex digits");
  }
  try {
    ebpf::parse_map_init(R"({"m": [{"key": "00", "value": "00", "x": 1}]})", "f.json");
    FAIL();
  } catch (const ebpf::Error& e) {
    EXPECT_STREQ(e.what(), "f.json: map 'm' entry 0: unknown field 'x'");
  }
  const auto ok = ebpf::parse_map_init(R"({"m": [{"key": "0a 0B", "value": ""}]})", "f.json");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].entries[0].key, (Bytes{0x0a, 0x0b}));
}

TEST(MapInit, PercpuValueForEveryCoreOrOneForAll) {
  ebpf::MapSpec spec;
  spec.name = "pc";
  spec.type = ebpf::MapType::kPercpuArray;
  spec.key_size = 4;
  spec.value_size = 4;
  spec.max_entries = 2;
  ebpf::MapStore store;
  store.configure(std::vector<ebpf::MapSpec>{spec}, {.cores = 2});
  ebpf::MapInit init = {{"pc", {{{0, 0, 0, 0}, {1, 2, 3, 4}},
                                {{1, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}}}}};
  ebpf::apply_map_init(store, init, "t");
  Bytes v(16);
  ASSERT_EQ(store.lookup(0, Bytes{0, 0, 0, 0}, v), 0);
  EXPECT_EQ(v, (Bytes{1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0}));
  ASSERT_EQ(store.lookup(0, Bytes{1, 0, 0, 0}, v), 0);
  EXPECT_EQ(v, (Bytes{1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}));
  init = {{"pc", {{{0, 0, 0, 0}, {1, 2, 3, 4, 5, 6}}}}};
  try {
    ebpf::apply_map_init(store, init, "t");
    FAIL();
  } catch (const ebpf::Error& e) {
    EXPECT_STREQ(e.what(), "t: map 'pc' entry 0: value has 6 bytes, expected 4 (one value for "
                           "every core) or 16 (round_up(value_size, 8) x 2 cores)");
  }
}

TEST(Pcap, WriteThenReadRoundTrip) {
  const std::string dir = temp_dir();
  const std::vector<Bytes> frames = {frame(0x0800, 60), frame(0x86dd, 1514), frame(0x0806, 42)};
  {
    ebpf::PcapWriter w(dir + "/rt.pcap");
    for (size_t i = 0; i < frames.size(); ++i) w.write(frames[i], 100 + static_cast<int64_t>(i), 7);
    w.close();
  }
  const auto recs = ebpf::read_pcap_file(dir + "/rt.pcap");
  ASSERT_EQ(recs.size(), frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(recs[i].bytes, frames[i]);
    EXPECT_EQ(recs[i].orig_len, frames[i].size());
    EXPECT_EQ(recs[i].ts_sec, 100 + static_cast<int64_t>(i));
    EXPECT_EQ(recs[i].ts_usec, 7);
  }
  EXPECT_THROW(ebpf::PcapWriter(dir + "/no/such/dir/x.pcap"), ebpf::Error);
}

TEST(Session, UnknownEngineAndRunBeforeLoad) {
  EXPECT_THROW(ebpf::make_xdp_session("gpu"), ebpf::Error);
  auto s = ebpf::make_xdp_session("interp");
  EXPECT_THROW(s->run({}), ebpf::Error);
  EXPECT_TRUE(ebpf::xdp_engine_unavailable_reason("gpu").has_value());
  EXPECT_FALSE(ebpf::xdp_engine_unavailable_reason("interp").has_value());
}

}  // namespace

namespace {

TEST(Pcap, EveryTruncationIsAClearErrorOrAShorterFile) {
  const std::string dir = temp_dir();
  const Bytes whole = pcap_bytes({frame(0x0800, 60), frame(0x86dd, 90), frame(0x0806, 42)});
  const size_t ends[] = {24, 24 + 16 + 60, 24 + 16 + 60 + 16 + 90, whole.size()};
  for (size_t len = 0; len <= whole.size(); ++len) {
    SCOPED_TRACE("length " + std::to_string(len));
    const std::string path = dir + "/t.pcap";
    write_bytes(path, Bytes(whole.begin(), whole.begin() + static_cast<long>(len)));
    const bool at_boundary = std::find(std::begin(ends), std::end(ends), len) != std::end(ends);
    try {
      const auto recs = ebpf::read_pcap_file(path);
      EXPECT_TRUE(at_boundary);
    } catch (const ebpf::Error& e) {
      EXPECT_FALSE(at_boundary) << e.what();
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
      if (len > 24) {
        EXPECT_NE(msg.find("at byte offset"), std::string::npos) << msg;
      }
    }
  }
}

TEST(MapInit, GarbageIsAClearError) {
  for (const char* text : {"", "{", "null", "{\"m\": 3}", "{\"m\": [3]}", "{\"m\": [{}]}",
                           "{\"m\": [{\"key\": 1, \"value\": \"00\"}]}", "\xff\xfe"}) {
    SCOPED_TRACE(text);
    try {
      ebpf::parse_map_init(text, "g.json");
      ADD_FAILURE() << "accepted";
    } catch (const ebpf::Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("g.json: ", 0), 0u) << e.what();
    }
  }
}

}  // namespace

namespace {

void put_u32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// A little-endian pcapng file: section header, one Ethernet interface, one enhanced packet
// block per frame.
Bytes pcapng_bytes(const std::vector<Bytes>& frames) {
  Bytes b;
  put_u32(b, 0x0a0d0d0a), put_u32(b, 28), put_u32(b, 0x1a2b3c4d);
  put_u32(b, 1);                                  // version 1.0
  put_u32(b, 0xffffffff), put_u32(b, 0xffffffff);  // section length unknown
  put_u32(b, 28);
  put_u32(b, 1), put_u32(b, 20), put_u32(b, 1 /* Ethernet, reserved 0 */), put_u32(b, 65535);
  put_u32(b, 20);
  for (const Bytes& f : frames) {
    const uint32_t padded = static_cast<uint32_t>((f.size() + 3) & ~size_t{3});
    put_u32(b, 6), put_u32(b, 32 + padded), put_u32(b, 0), put_u32(b, 0), put_u32(b, 0);
    put_u32(b, static_cast<uint32_t>(f.size())), put_u32(b, static_cast<uint32_t>(f.size()));
    b.insert(b.end(), f.begin(), f.end());
    b.resize(b.size() + (padded - f.size()), 0);
    put_u32(b, 32 + padded);
  }
  return b;
}

// pcapng is read through libpcap; classic-pcap byte offsets would be wrong for it, so a bad
// record is named by its index only.
TEST(Pcap, PcapngErrorsNameTheRecordWithoutAByteOffset) {
  const std::string dir = temp_dir();
  const std::vector<Bytes> frames = {frame(0x0800, 60), frame(0x86dd, 90)};
  const Bytes whole = pcapng_bytes(frames);
  write_bytes(dir + "/ok.pcapng", whole);
  const auto recs = ebpf::read_pcap_file(dir + "/ok.pcapng");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].bytes, frames[1]);
  // The second packet block cut in its data.
  write_bytes(dir + "/cut.pcapng", Bytes(whole.begin(), whole.end() - 40));
  try {
    ebpf::read_pcap_file(dir + "/cut.pcapng");
    ADD_FAILURE() << "a cut pcapng file was read without error";
  } catch (const ebpf::Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(dir + "/cut.pcapng: record 1: ", 0), 0u) << msg;
    EXPECT_EQ(msg.find("byte offset"), std::string::npos) << msg;
  }
}

}  // namespace
