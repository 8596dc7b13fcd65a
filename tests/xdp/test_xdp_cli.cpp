// ebpf-fpga run and compare end to end: the result JSON and --out pcap checked field by
// field against the interpreter driven directly, bad input, per-packet faults, entry
// selection, and compare's exit status.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_session.h"
#include "xdp_test_util.h"

namespace {

using namespace xdptest;
using nlohmann::json;

bool have_engine(const std::string& name) {
  const auto names = ebpf::engine_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<Bytes> frames_of(const std::string& pcap) {
  std::vector<Bytes> out;
  for (auto& r : ebpf::read_pcap_file(pcap)) out.push_back(std::move(r.bytes));
  return out;
}

const char* verdict(uint32_t a) {
  static const char* names[] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"};
  return a < 5 ? names[a] : "?";
}

// Every field of the result JSON against the reference run.
void expect_json_matches(const json& j, const RefRun& ref, const std::string& program,
                         const std::string& engine, const std::vector<Bytes>& frames) {
  EXPECT_EQ(j.at("program"), program);
  EXPECT_EQ(j.at("section"), "xdp");
  EXPECT_EQ(j.at("engine"), engine);
  const json& packets = j.at("packets");
  ASSERT_EQ(packets.size(), frames.size());
  uint64_t insns = 0, cycles = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    SCOPED_TRACE("packet " + std::to_string(i));
    const json& p = packets[i];
    const ebpf::RunResult& r = ref.packets[i].result;
    const uint32_t action = ebpf::xdp_action(r);
    EXPECT_EQ(p.at("index"), i);
    EXPECT_EQ(p.at("action"), action);
    EXPECT_EQ(p.at("verdict"), verdict(action));
    EXPECT_EQ(p.at("data"), hex(ref.packets[i].data));
    EXPECT_EQ(p.contains("meta"), !ref.packets[i].meta.empty());
    EXPECT_EQ(p.at("instructions"), r.instructions);
    insns += r.instructions;
    if (engine == "rtl") {
      ASSERT_TRUE(p.at("cycles").is_number_unsigned());
      EXPECT_GT(p.at("cycles").get<uint64_t>(), r.instructions / 4);
      cycles += p.at("cycles").get<uint64_t>();
    } else {
      EXPECT_TRUE(p.at("cycles").is_null());
    }
    const ebpf::FaultCode fault = ebpf::xdp_fault(r);
    if (fault == ebpf::FaultCode::kNone) {
      EXPECT_TRUE(p.at("fault").is_null());
    } else {
      EXPECT_EQ(p.at("fault").at("code"), std::string(ebpf::fault_name(fault)));
      if (fault == ebpf::FaultCode::kInvalidAction) {
        EXPECT_TRUE(p.at("fault").at("pc").is_null()) << p.dump();  // found after exit: no pc
      } else {
        EXPECT_EQ(p.at("fault").at("pc"), r.fault_pc);
      }
    }
    if (action == ebpf::kXdpRedirect && r.redirect) {
      EXPECT_EQ(p.at("redirect").at("ifindex"), r.redirect->ifindex);
      EXPECT_EQ(p.at("redirect").at("key"), r.redirect->key);
      EXPECT_EQ(p.at("redirect").at("flags"), r.redirect->flags);
      if (r.redirect->map) {
        EXPECT_EQ(p.at("redirect").at("map"), ref.map_names[*r.redirect->map]);
      } else {
        EXPECT_TRUE(p.at("redirect").at("map").is_null());
      }
    } else {
      EXPECT_TRUE(p.at("redirect").is_null());
    }
    EXPECT_EQ(p.at("events").size(), r.events.size());
  }
  const json& maps = j.at("maps");
  EXPECT_EQ(maps.size(), ref.maps.size());
  for (size_t m = 0; m < ref.maps.size(); ++m) {
    SCOPED_TRACE("map " + ref.map_names[m]);
    const json& entries = maps.at(ref.map_names[m]);
    ASSERT_EQ(entries.size(), ref.maps[m].size());
    for (size_t e = 0; e < entries.size(); ++e) {
      EXPECT_EQ(entries[e].at("key"), hex(ref.maps[m][e].first));
      EXPECT_EQ(entries[e].at("value"), hex(ref.maps[m][e].second));
    }
  }
  EXPECT_EQ(j.at("totals").at("packets"), frames.size());
  EXPECT_EQ(j.at("totals").at("instructions"), insns);
  if (engine == "rtl") {
    EXPECT_EQ(j.at("totals").at("cycles"), cycles);
  }
}

// The packets that leave, in order, as --out must hold them.
std::vector<Bytes> leaving(const RefRun& ref) {
  std::vector<Bytes> out;
  for (const auto& p : ref.packets) {
    const uint32_t a = ebpf::xdp_action(p.result);
    if (a == ebpf::kXdpPass || a == ebpf::kXdpTx || a == ebpf::kXdpRedirect) out.push_back(p.data);
  }
  return out;
}

struct Case {
  std::string program, entry, engine;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.program << " on " << c.engine; }

class RunMatchesInterpreter : public ::testing::TestWithParam<Case> {};

TEST_P(RunMatchesInterpreter, JsonAndPcapOut) {
  const Case& c = GetParam();
  if (!have_engine(c.engine)) GTEST_SKIP() << "engine " << c.engine << " is not built";
  const std::string obj = firmware_object(c.program), pcap = corpus(c.program, ".pcap");
  XDP_NEED_BUILT(!obj.empty() && !pcap.empty(), "firmware " + c.program);
  const std::string init = corpus(c.program, ".map-init.json");
  const std::string dir = temp_dir();
  std::vector<std::string> args = {"run", obj, "--engine", c.engine, "--pcap", pcap,
                                   "--json", dir + "/r.json", "--out", dir + "/out.pcap"};
  if (!init.empty()) args.insert(args.end(), {"--map-init", init});
  const CliResult r = run_cli(args);
  ASSERT_EQ(r.status, 0) << r.err;
  // The summary: a line per verdict and the instruction spread.
  EXPECT_NE(r.out.find("verdict"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("instructions"), std::string::npos) << r.out;
  if (c.engine == "rtl") {
    EXPECT_NE(r.out.find("cycles"), std::string::npos) << r.out;
  }

  const auto frames = frames_of(pcap);
  const RefRun ref = reference_run(obj, c.entry, frames, init);
  const json j = json::parse(read_text(dir + "/r.json"));
  expect_json_matches(j, ref, c.program + ".o", c.engine, frames);
  EXPECT_EQ(frames_of(dir + "/out.pcap"), leaving(ref));
}

INSTANTIATE_TEST_SUITE_P(
    Firmware, RunMatchesInterpreter,
    ::testing::Values(Case{"mac_swap", "mac_swap", "interp"}, Case{"mac_swap", "mac_swap", "rtl"},
                      Case{"dns_filter", "dns_filter", "interp"},
                      Case{"dns_filter", "dns_filter", "rtl"}, Case{"router", "router", "interp"},
                      Case{"router", "router", "rtl"},
                      Case{"proto_count", "proto_count", "interp"}),
    [](const ::testing::TestParamInfo<Case>& i) { return i.param.program + "_" + i.param.engine; });

// ---- bad input ----

class RunBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    obj_ = firmware_object("dns_filter");
    init_ = corpus("dns_filter", ".map-init.json");
    XDP_NEED_BUILT(!obj_.empty() && !init_.empty(), "firmware dns_filter");
    dir_ = temp_dir();
    good_ = dir_ + "/good.pcap";
    write_bytes(good_, pcap_bytes({frame(0x0800, 60), frame(0x0800, 64)}));
  }
  CliResult run_with_pcap(const std::string& pcap) {
    return run_cli({"run", obj_, "--engine", "interp", "--pcap", pcap, "--map-init", init_});
  }
  CliResult run_with_init(const std::string& text) {
    const std::string path = dir_ + "/init.json";
    write_bytes(path, Bytes(text.begin(), text.end()));
    return run_cli({"run", obj_, "--engine", "interp", "--pcap", good_, "--map-init", path});
  }
  std::string obj_, init_, dir_, good_;
};

TEST_F(RunBadInput, PcapBadMagic) {
  Bytes b = pcap_bytes({frame(0x0800, 60)});
  b[0] = 0x12;
  write_bytes(dir_ + "/bad.pcap", b);
  const CliResult r = run_with_pcap(dir_ + "/bad.pcap");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(dir_ + "/bad.pcap: not a pcap file"), std::string::npos) << r.err;
}

TEST_F(RunBadInput, PcapTruncatedRecordHeader) {
  Bytes b = pcap_bytes({frame(0x0800, 60), frame(0x0800, 60)});
  b.resize(24 + 16 + 60 + 9);  // second record: 9 of its 16 header bytes
  write_bytes(dir_ + "/cut.pcap", b);
  const CliResult r = run_with_pcap(dir_ + "/cut.pcap");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("cut.pcap: record 1 at byte offset 100: truncated record header (9 of 16"),
            std::string::npos)
      << r.err;
}

TEST_F(RunBadInput, PcapRecordLongerThanFile) {
  Bytes b = pcap_bytes({frame(0x0800, 60), frame(0x0800, 80)});
  b.resize(b.size() - 30);  // the second record's 80 bytes: only 50 remain
  write_bytes(dir_ + "/long.pcap", b);
  const CliResult r = run_with_pcap(dir_ + "/long.pcap");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("long.pcap: record 1 at byte offset 100: record of 80 bytes is longer "
                       "than the rest of the file (50 bytes)"),
            std::string::npos)
      << r.err;
}

TEST_F(RunBadInput, PcapWrongLinktype) {
  write_bytes(dir_ + "/raw.pcap", pcap_bytes({frame(0x0800, 60)}, 101));
  const CliResult r = run_with_pcap(dir_ + "/raw.pcap");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("raw.pcap: linktype 101"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is not Ethernet (1)"), std::string::npos) << r.err;
}

TEST_F(RunBadInput, MissingPcap) {
  const CliResult r = run_with_pcap(dir_ + "/absent.pcap");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("absent.pcap: cannot open"), std::string::npos) << r.err;
}

TEST_F(RunBadInput, MapInitUnknownMap) {
  const CliResult r = run_with_init(R"({"nope": [{"key": "00", "value": "00"}]})");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unknown map 'nope' (the object's maps: blocked_names"), std::string::npos)
      << r.err;
}

TEST_F(RunBadInput, MapInitKeyOfTheWrongSize) {
  const std::string key(128, '0');
  const CliResult r = run_with_init(R"({"blocked_names": [{"key": ")" + key +
                                    R"(", "value": "0000000000000000"}, {"key": "010203", "value": "0000000000000000"}]})");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("map 'blocked_names' entry 1: key has 3 bytes, the map's key_size is 64"),
            std::string::npos)
      << r.err;
}

TEST_F(RunBadInput, MapInitValueOfTheWrongSize) {
  const std::string key(128, '0');
  const CliResult r =
      run_with_init(R"({"blocked_names": [{"key": ")" + key + R"(", "value": "0000"}]})");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("map 'blocked_names' entry 0: value has 2 bytes, expected 8"),
            std::string::npos)
      << r.err;
}

TEST_F(RunBadInput, MapInitBadHex) {
  const CliResult r =
      run_with_init(R"({"blocked_names": [{"key": "0g", "value": "0000000000000000"}]})");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("map 'blocked_names' entry 0: key: bad hex digit 'g' at char 1"),
            std::string::npos)
      << r.err;
}

TEST_F(RunBadInput, MapInitNotJson) {
  const CliResult r = run_with_init(R"({"blocked_names": [)");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("init.json: invalid JSON at byte"), std::string::npos) << r.err;
}

TEST_F(RunBadInput, MapInitReadOnlyGlobalDataUpdateErrno) {
  // A key outside the one-entry .rodata array: the update's errno is reported.
  const CliResult r = run_with_init(R"({".rodata": [{"key": "01000000", "value": "0000"}]})");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("map '.rodata' entry 0: update failed:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(errno "), std::string::npos) << r.err;
}

TEST_F(RunBadInput, OversizeFrameIsReportedAndTheRunGoesOn) {
  write_bytes(dir_ + "/big.pcap",
              pcap_bytes({frame(0x0800, 60), frame(0x0800, 9100), frame(0x0800, 64)}));
  const CliResult r = run_cli({"run", obj_, "--engine", "interp", "--pcap", dir_ + "/big.pcap",
                               "--map-init", init_, "--json", dir_ + "/r.json"});
  // A packet the engine could not run has no verdict: the run goes on, then exits 1.
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("1 of 3 packet(s) could not run"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("  not run" + std::string(16, ' ') + "1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not run (no verdict): 1 packet, first #1: "), std::string::npos) << r.out;
  const json j = json::parse(read_text(dir_ + "/r.json"));
  ASSERT_EQ(j.at("packets").size(), 3u);
  EXPECT_FALSE(j["packets"][0].contains("error"));
  EXPECT_TRUE(j["packets"][0].at("action").is_number_unsigned());
  EXPECT_TRUE(j["packets"][1].at("action").is_null()) << j["packets"][1].dump();
  EXPECT_EQ(j["packets"][1].at("verdict"), "ERROR");
  EXPECT_TRUE(j["packets"][1].at("fault").is_null());
  EXPECT_TRUE(j["packets"][1].at("instructions").is_null());
  EXPECT_NE(j["packets"][1].at("error").get<std::string>().find("9100 bytes exceeds the maximum"),
            std::string::npos);
  EXPECT_FALSE(j["packets"][2].contains("error"));
}

// ---- faults and entry selection ----

TEST(RunFaults, PerPacketFaultsAreReportedAndTheRunGoesOn) {
  const std::string obj = test_object("faulty");
  XDP_NEED_BUILT(!obj.empty(), "test object faulty.o");
  const std::string dir = temp_dir();
  const std::vector<Bytes> frames = {frame(0x0800, 60), frame(0x86dd, 60), frame(0x0800, 60, 0xff),
                                     frame(0x0800, 70), frame(0x86dd, 62)};
  write_bytes(dir + "/f.pcap", pcap_bytes(frames));
  const CliResult r = run_cli({"run", obj, "--engine", "interp", "--pcap", dir + "/f.pcap",
                               "--budget", "5000", "--json", dir + "/r.json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(read_text(dir + "/r.json"));
  const RefRun ref = reference_run(obj, "faulty", frames, "", 5000);
  expect_json_matches(j, ref, "faulty.o", "interp", frames);
  EXPECT_EQ(j["packets"][1]["fault"]["code"], "read_only_write");
  EXPECT_EQ(j["packets"][1]["fault"]["program"], "faulty");
  EXPECT_EQ(j["packets"][2]["fault"]["code"], "budget_exceeded");
  EXPECT_EQ(j["packets"][4]["fault"]["code"], "read_only_write");
  EXPECT_EQ(j["packets"][3]["verdict"], "XDP_PASS");
  EXPECT_EQ(j["maps"]["seen"][0]["value"], "0200000000000000");  // packets 0 and 3
  // The summary counts faults by code with the first packet.
  EXPECT_NE(r.out.find("read_only_write             2  #1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("budget_exceeded             1  #2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("XDP_ABORTED            3"), std::string::npos) << r.out;
}

TEST(RunEntry, SeveralProgramsWithoutAChoiceAreListed) {
  const std::string obj = firmware_object("tail_chain");
  const std::string pcap = corpus("tail_chain", ".pcap");
  XDP_NEED_BUILT(!obj.empty() && !pcap.empty(), "firmware tail_chain");
  const CliResult r = run_cli({"run", obj, "--engine", "interp", "--pcap", pcap});
  EXPECT_EQ(r.status, 1);
  for (const char* name : {"tail_entry", "tail_ipv4", "tail_icmp"}) {
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
  }
  const CliResult unknown =
      run_cli({"run", obj, "--engine", "interp", "--pcap", pcap, "--program", "nope"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("nope"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("tail_entry"), std::string::npos) << unknown.err;
  const CliResult both = run_cli({"run", obj, "--engine", "interp", "--pcap", pcap, "--program",
                                  "tail_entry", "--section", "xdp"});
  EXPECT_EQ(both.status, 2) << both.err;
  const CliResult ok =
      run_cli({"run", obj, "--engine", "interp", "--pcap", pcap, "--program", "tail_entry"});
  EXPECT_EQ(ok.status, 0) << ok.err;
}

TEST(RunUsage, BadOptionsExit2) {
  EXPECT_EQ(run_cli({"run"}).status, 2);
  EXPECT_EQ(run_cli({"run", "x.o", "--pcap", "x.pcap", "--engine", "gpu"}).status, 2);
  EXPECT_EQ(run_cli({"run", "x.o", "--pcap", "x.pcap", "--engine", "interp", "--trace", "w.fst"})
                .status,
            2);
}

// ---- compare ----

TEST(Compare, CleanOnInterpAndRtl) {
  if (!have_engine("rtl")) GTEST_SKIP() << "engine rtl is not built";
  const std::string obj = firmware_object("mac_swap"), pcap = corpus("mac_swap", ".pcap");
  XDP_NEED_BUILT(!obj.empty() && !pcap.empty(), "firmware mac_swap");
  const CliResult r = run_cli({"compare", obj, "--pcap", pcap, "--engines", "interp,rtl"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("interp vs rtl: identical"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compare: clean"), std::string::npos) << r.out;
}

TEST(Compare, FaultingProgramOnInterpAndRtl) {
  if (!have_engine("rtl")) GTEST_SKIP() << "engine rtl is not built";
  const std::string obj = test_object("faulty");
  XDP_NEED_BUILT(!obj.empty(), "test object faulty.o");
  const std::string dir = temp_dir();
  write_bytes(dir + "/f.pcap", pcap_bytes({frame(0x0800, 60), frame(0x86dd, 60)}));
  const CliResult r = run_cli({"compare", obj, "--pcap", dir + "/f.pcap", "--engines", "interp,rtl"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST(Compare, UsageAndInputErrorsExit2) {
  const std::string obj = firmware_object("mac_swap"), pcap = corpus("mac_swap", ".pcap");
  XDP_NEED_BUILT(!obj.empty() && !pcap.empty(), "firmware mac_swap");
  EXPECT_EQ(run_cli({"compare", obj, "--pcap", pcap, "--engines", "interp,interp"}).status, 2);
  EXPECT_EQ(run_cli({"compare", obj, "--pcap", pcap, "--engines", "interp"}).status, 2);
  EXPECT_EQ(run_cli({"compare", obj, "--pcap", pcap, "--engines", "interp,gpu"}).status, 2);
  const CliResult bad = run_cli({"compare", obj, "--pcap", obj, "--engines", "interp,rtl"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("not a pcap file"), std::string::npos) << bad.err;
}

TEST(Compare, KernelAgainstInterpOnTheFirewall) {
  const std::string obj = firmware_object("firewall"), pcap = corpus("firewall", ".pcap");
  const std::string init = corpus("firewall", ".map-init.json");
  XDP_NEED_BUILT(!obj.empty() && !pcap.empty(), "firmware firewall");
  if (auto why = ebpf::xdp_engine_unavailable_reason("kernel")) {
    const CliResult r =
        run_cli({"compare", obj, "--pcap", pcap, "--map-init", init, "--engines", "interp,kernel"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.out.find("kernel: skipped: "), std::string::npos) << r.out;
    GTEST_SKIP() << "kernel engine unavailable: " << *why;
  }
  const CliResult r =
      run_cli({"compare", obj, "--pcap", pcap, "--map-init", init, "--engines", "interp,kernel"});
  // Runts the kernel cannot run are listed as not compared; .bss counters that count them may
  // differ and are reported, not counted.
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("interp vs kernel"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("note: LRU_HASH maps evict in a different order on the kernel: conntrack"),
            std::string::npos)
      << r.out;
}

}  // namespace

namespace {

TEST(KernelCli, VerifierRejectionIsReportedWithTheLog) {
  const std::string obj = test_object("faulty");
  XDP_NEED_BUILT(!obj.empty(), "test object faulty.o");
  if (auto why = ebpf::xdp_engine_unavailable_reason("kernel")) GTEST_SKIP() << *why;
  const std::string dir = temp_dir();
  write_bytes(dir + "/f.pcap", pcap_bytes({frame(0x0800, 60)}));
  const CliResult r =
      run_cli({"compare", obj, "--pcap", dir + "/f.pcap", "--engines", "interp,kernel"});
  EXPECT_NE(r.out.find("kernel: skipped: cannot load the object"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("invalid bpf_context access"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("interp: 1 packets"), std::string::npos) << r.out;
  EXPECT_EQ(r.status, 2) << r.out;  // one engine left: nothing to compare
}

TEST(KernelCli, RunOnTheKernelMatchesTheInterpreter) {
  const std::string obj = firmware_object("mac_swap"), pcap = corpus("mac_swap", ".pcap");
  XDP_NEED_BUILT(!obj.empty() && !pcap.empty(), "firmware mac_swap");
  if (auto why = ebpf::xdp_engine_unavailable_reason("kernel")) GTEST_SKIP() << *why;
  const std::string dir = temp_dir();
  const CliResult r = run_cli({"run", obj, "--engine", "kernel", "--pcap", pcap, "--json",
                               dir + "/k.json", "--out", dir + "/k.pcap"});
  const auto frames = frames_of(pcap);
  const bool runts = std::any_of(frames.begin(), frames.end(),
                                 [](const Bytes& f) { return f.size() < 14; });
  ASSERT_EQ(r.status, runts ? 1 : 0) << r.err;  // a packet not run exits 1 after the run
  const RefRun ref = reference_run(obj, "mac_swap", frames, "");
  const json j = json::parse(read_text(dir + "/k.json"));
  ASSERT_EQ(j.at("packets").size(), frames.size());
  std::vector<Bytes> left;
  for (size_t i = 0; i < frames.size(); ++i) {
    const json& p = j["packets"][i];
    EXPECT_TRUE(p.at("instructions").is_null());
    if (frames[i].size() < 14) {  // BPF_PROG_TEST_RUN refuses runts: reported, not run
      EXPECT_TRUE(p.contains("error")) << i;
      EXPECT_TRUE(p.at("action").is_null()) << i;
      EXPECT_EQ(p.at("verdict"), "ERROR") << i;
      continue;
    }
    EXPECT_EQ(p.at("action"), ebpf::xdp_action(ref.packets[i].result)) << i;
    EXPECT_EQ(p.at("data"), hex(ref.packets[i].data)) << i;
    if (p.at("action") == ebpf::kXdpTx) left.push_back(ref.packets[i].data);
  }
  EXPECT_EQ(frames_of(dir + "/k.pcap"), left);
}

}  // namespace

namespace {

TEST(RunRtl, TraceWritesWaveforms) {
  if (!have_engine("rtl")) GTEST_SKIP() << "engine rtl is not built";
  const std::string obj = firmware_object("mac_swap"), pcap = corpus("mac_swap", ".pcap");
  XDP_NEED_BUILT(!obj.empty() && !pcap.empty(), "firmware mac_swap");
  const std::string dir = temp_dir();
  const CliResult r = run_cli({"run", obj, "--pcap", pcap, "--trace", dir + "/w.fst", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_GT(read_text(dir + "/w.fst").size(), 1000u);
}

}  // namespace

namespace {

// Per-packet faults on every engine that runs the program: the JSON against the interpreter,
// and compare finds interp and rtl identical (fault code, pc and program included).
TEST(RunFaults, SameFaultsOnRtlAsOnTheInterpreter) {
  if (!have_engine("rtl")) GTEST_SKIP() << "engine rtl is not built";
  const std::string obj = test_object("faulty_nomap");
  XDP_NEED_BUILT(!obj.empty(), "test object faulty_nomap.o");
  const std::string dir = temp_dir();
  const std::vector<Bytes> frames = {frame(0x0800, 60), frame(0x86dd, 60), frame(0x0800, 60, 0xff),
                                     frame(0x0800, 10), frame(0x86dd, 62)};
  write_bytes(dir + "/f.pcap", pcap_bytes(frames));
  const CliResult r = run_cli({"run", obj, "--pcap", dir + "/f.pcap", "--budget", "3000",
                               "--json", dir + "/r.json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const RefRun ref = reference_run(obj, "faulty_nomap", frames, "", 3000);
  const json j = json::parse(read_text(dir + "/r.json"));
  expect_json_matches(j, ref, "faulty_nomap.o", "rtl", frames);
  EXPECT_EQ(j["packets"][1]["fault"]["code"], "read_only_write");
  EXPECT_EQ(j["packets"][2]["fault"]["code"], "budget_exceeded");
  EXPECT_NE(r.out.find("cycles"), std::string::npos) << r.out;
  const CliResult c = run_cli({"compare", obj, "--pcap", dir + "/f.pcap", "--budget", "3000",
                               "--engines", "interp,rtl"});
  EXPECT_EQ(c.status, 0) << c.out << c.err;
  EXPECT_NE(c.out.find("interp: 5 packets: 3 aborted, 1 drop, 1 pass"), std::string::npos) << c.out;
}

}  // namespace

namespace {

// invalid_action (an exit code that is no XDP action) is found after the program ended: the
// JSON has "pc": null for it on every engine, and compare finds interp and rtl identical.
TEST(RunFaults, InvalidActionHasNoPc) {
  const std::string obj = test_object("bad_action");
  XDP_NEED_BUILT(!obj.empty(), "test object bad_action.o");
  const std::string dir = temp_dir();
  const std::vector<Bytes> frames = {frame(0x0800, 60), frame(0x0800, 60, 0xee),
                                     frame(0x86dd, 64)};
  write_bytes(dir + "/f.pcap", pcap_bytes(frames));
  const RefRun ref = reference_run(obj, "bad_action", frames, "");
  ASSERT_EQ(ebpf::xdp_fault(ref.packets[1].result), ebpf::FaultCode::kInvalidAction);
  for (const std::string engine : {"interp", "rtl"}) {
    SCOPED_TRACE(engine);
    if (!have_engine(engine)) continue;
    const CliResult r = run_cli({"run", obj, "--engine", engine, "--pcap", dir + "/f.pcap",
                                 "--json", dir + "/" + engine + ".json"});
    ASSERT_EQ(r.status, 0) << r.err;
    const json j = json::parse(read_text(dir + "/" + engine + ".json"));
    expect_json_matches(j, ref, "bad_action.o", engine, frames);
    const json& fault = j["packets"][1].at("fault");
    EXPECT_EQ(fault.at("code"), "invalid_action");
    ASSERT_TRUE(fault.contains("pc"));
    EXPECT_TRUE(fault.at("pc").is_null()) << fault.dump();
    EXPECT_EQ(fault.at("program"), "bad_action");
    EXPECT_TRUE(j["packets"][0].at("fault").is_null());
  }
  if (have_engine("rtl")) {
    const CliResult c =
        run_cli({"compare", obj, "--pcap", dir + "/f.pcap", "--engines", "interp,rtl"});
    EXPECT_EQ(c.status, 0) << c.out << c.err;
    EXPECT_NE(c.out.find("interp vs rtl: identical"), std::string::npos) << c.out;
  }
}

// interp and rtl must load what the other engines run: rtl refusing the object (an LPM key
// size its map unit does not support) is a difference, exit 1, never a skip.
TEST(Compare, LoadFailureOnRtlIsADifference) {
  const std::string obj = test_object("lpm_key12");
  XDP_NEED_BUILT(!obj.empty(), "test object lpm_key12.o");
  const std::string dir = temp_dir();
  write_bytes(dir + "/f.pcap", pcap_bytes({frame(0x0800, 60), frame(0x0800, 64)}));
  const CliResult on_interp =
      run_cli({"run", obj, "--engine", "interp", "--pcap", dir + "/f.pcap", "--quiet"});
  ASSERT_EQ(on_interp.status, 0) << on_interp.err;
  const CliResult c =
      run_cli({"compare", obj, "--pcap", dir + "/f.pcap", "--engines", "interp,rtl"});
  if (!have_engine("rtl")) {  // not built: skipped, said so, fewer than two engines ran
    EXPECT_EQ(c.status, 2) << c.out << c.err;
    EXPECT_NE(c.out.find("rtl: skipped: "), std::string::npos) << c.out;
    GTEST_SKIP() << "engine rtl is not built";
  }
  const CliResult on_rtl =
      run_cli({"run", obj, "--engine", "rtl", "--pcap", dir + "/f.pcap", "--quiet"});
  ASSERT_EQ(on_rtl.status, 1) << "rtl was expected to refuse this object: " << on_rtl.err;
  EXPECT_EQ(c.status, 1) << c.out << c.err;
  EXPECT_EQ(c.out.find("rtl: skipped"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("rtl: load failed (a difference):"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("LPM key_size 8 (IPv4) and 20 (IPv6) only"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("compare: 1 difference(s): load failed on rtl"), std::string::npos)
      << c.out;
}

}  // namespace
