// Every firmware program over its whole packet corpus (build/firmware/pcap/, written by
// ebpf-fpga-gen-pcaps), on every engine, through the XDP sessions behind `ebpf-fpga run`:
//  - InterpreterMatchesTheExpectations: the interpreter gives the actions of
//    <program>.expect.tsv (and the output bytes of <program>.expect-out.tsv when present).
//  - RtlMatchesTheInterpreter: the rtl engine gives exactly what the interpreter gives on every
//    packet (action, output bytes, meta, redirect target, fault, events) and the same map
//    contents after every packet.
//  - KernelMatchesInterp (label `kernel`): the Linux kernel (BPF_PROG_TEST_RUN) agrees with
//    the interpreter on action, output bytes and final maps, over the frames the kernel can
//    run (at least an Ethernet header), and with the expectations. Skips, saying why, where
//    bpf() is not permitted; prints how many packets it compared.
// The programs come from build/firmware/pcap/manifest.tsv ("name<TAB>entry function"); without
// it, from the list below.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/object.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_compare.h"
#include "ebpf_fpga/xdp_report.h"
#include "ebpf_fpga/xdp_session.h"
#include "elf_test_util.h"

namespace {

using Bytes = std::vector<uint8_t>;

std::string pcap_dir() { return elftest::firmware_dir() + "/pcap"; }

struct Corpus {
  std::string program;  // object and corpus name
  std::string entry;    // entry function
};
void PrintTo(const Corpus& c, std::ostream* os) { *os << c.program; }

std::vector<Corpus> corpora() {
  std::vector<Corpus> out;
  std::ifstream in(pcap_dir() + "/manifest.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  if (out.empty()) {  // no manifest: the corpora of the first firmware set
    out = {{"xdp_pass", "xdp_pass"},       {"xdp_drop", "xdp_drop"},
           {"mac_swap", "mac_swap"},       {"proto_count", "proto_count"},
           {"dns_filter", "dns_filter"},   {"firewall", "firewall"},
           {"router", "router"},           {"tail_chain", "tail_entry"}};
  }
  return out;
}

// "<index>\t<field>\t..." lines of a .tsv; '#' lines are comments. Column `col` by index.
std::map<size_t, std::string> read_tsv_column(const std::string& path, size_t col) {
  std::map<size_t, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::vector<std::string> f;
    std::string x;
    while (std::getline(fields, x, '\t')) f.push_back(x);
    if (f.size() > col) out[std::stoul(f[0])] = f[col];
  }
  return out;
}

class FirmwareCorpus : public ::testing::TestWithParam<Corpus> {
 protected:
  void SetUp() override {
    object_ = elftest::firmware_object(GetParam().program);
    base_ = pcap_dir() + "/" + GetParam().program;
    if (object_.empty() || !std::ifstream(base_ + ".pcap")) {
      GTEST_SKIP() << "firmware object or corpus not built (clang or libpcap missing?)";
    }
    for (auto& r : ebpf::read_pcap_file(base_ + ".pcap")) {
      packets_.push_back({std::move(r.bytes), 1, 0});
    }
    expect_ = read_tsv_column(base_ + ".expect.tsv", 1);
    if (std::ifstream(base_ + ".map-init.json")) {
      init_ = ebpf::read_map_init_file(base_ + ".map-init.json");
    }
    ASSERT_EQ(packets_.size(), expect_.size()) << base_ << ".expect.tsv";
    ASSERT_FALSE(packets_.empty());
    obj_.emplace(ebpf::Object::open_file(object_));
  }

  // A loaded session with the corpus's map-init applied.
  std::unique_ptr<ebpf::XdpSession> session(const std::string& engine) {
    auto s = ebpf::make_xdp_session(engine);
    s->load(*obj_, entry());
    ebpf::apply_map_init(s->maps(), init_, base_ + ".map-init.json");
    return s;
  }
  const ebpf::ProgramSpec& entry() const {
    return obj_->select_program(GetParam().entry, std::nullopt);
  }

  std::string object_, base_;
  std::optional<ebpf::Object> obj_;
  std::vector<ebpf::XdpPacketIn> packets_;
  std::map<size_t, std::string> expect_;
  ebpf::MapInit init_;
};

TEST_P(FirmwareCorpus, InterpreterMatchesTheExpectations) {
  auto s = session("interp");
  const auto rep = ebpf::run_xdp_packets(*s, *obj_, entry(), packets_);
  const auto out = read_tsv_column(base_ + ".expect-out.tsv", 1);
  for (size_t i = 0; i < rep.packets.size(); ++i) {
    const auto& p = rep.packets[i];
    EXPECT_FALSE(p.error) << "packet " << i << ": " << p.error.value_or("");
    EXPECT_EQ(p.out.action, std::stoul(expect_.at(i)))
        << GetParam().program << " packet " << i << ": "
        << read_tsv_column(base_ + ".expect.tsv", 2)[i] << " (fault "
        << ebpf::fault_name(p.out.fault) << " at pc " << p.out.fault_pc << ")";
    if (auto it = out.find(i); it != out.end()) {
      EXPECT_EQ(ebpf::to_hex(p.out.data), it->second) << GetParam().program << " packet " << i;
    }
  }
  // <program>.expect-events.tsv: index, helper, map, ring, flags (0x hex), bytes (hex).
  std::ifstream events(base_ + ".expect-events.tsv");
  if (!events) return;
  std::map<size_t, std::vector<std::string>> want, got;
  std::string line;
  while (std::getline(events, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    want[std::stoul(line.substr(0, tab))].push_back(line.substr(tab + 1));
  }
  for (size_t i = 0; i < rep.packets.size(); ++i) {
    for (const ebpf::Event& e : rep.packets[i].out.events) {
      std::ostringstream os;
      os << ebpf::event_kind_name(e.kind) << '\t'
         << (e.kind == ebpf::EventKind::kTracePrintk ? std::string("-") : rep.map_names.at(e.map))
         << '\t' << e.index << "\t0x" << std::hex << e.flags << '\t' << ebpf::to_hex(e.bytes);
      got[i].push_back(os.str());
    }
  }
  EXPECT_EQ(got, want) << GetParam().program << ": events against expect-events.tsv";
}

TEST_P(FirmwareCorpus, RtlMatchesTheInterpreter) {
  if (auto why = ebpf::xdp_engine_unavailable_reason("rtl")) GTEST_SKIP() << *why;
  // The rtl engine has its map unit, helpers and tail calls: a program it cannot load (map
  // memory too small, ...) fails here, loudly.
  std::unique_ptr<ebpf::XdpSession> rtl;
  try {
    rtl = session("rtl");
  } catch (const ebpf::Error& e) {
    FAIL() << e.what();
  }
  auto interp = session("interp");
  for (size_t i = 0; i < packets_.size(); ++i) {
    // One packet at a time: the maps are dumped and compared after each.
    auto ra = ebpf::run_xdp_packets(*interp, *obj_, entry(), {packets_[i]});
    auto rb = ebpf::run_xdp_packets(*rtl, *obj_, entry(), {packets_[i]});
    for (const auto& d : ebpf::compare_xdp_reports(ra, rb)) {
      ADD_FAILURE() << GetParam().program << " packet " << i << ": " << d.where << ": " << d.what;
    }
    ASSERT_TRUE(rb.packets[0].out.cycles.has_value());
  }
}

TEST_P(FirmwareCorpus, KernelMatchesInterp) {
  if (auto why = ebpf::xdp_engine_unavailable_reason("kernel")) {
    GTEST_SKIP() << "kernel engine unavailable: " << *why;
  }
  // BPF_PROG_TEST_RUN needs an Ethernet header: both engines run the same frames.
  std::vector<ebpf::XdpPacketIn> runnable;
  std::vector<size_t> index;
  for (size_t i = 0; i < packets_.size(); ++i) {
    if (packets_[i].bytes.size() >= 14) {
      runnable.push_back(packets_[i]);
      index.push_back(i);
    }
  }
  auto kernel = session("kernel");
  auto interp = session("interp");
  const auto rk = ebpf::run_xdp_packets(*kernel, *obj_, entry(), runnable);
  const auto ri = ebpf::run_xdp_packets(*interp, *obj_, entry(), runnable);
  for (const auto& d : ebpf::compare_xdp_reports(ri, rk)) {
    ADD_FAILURE() << GetParam().program << ": " << d.where << ": " << d.what
                  << " (packet numbers count the frames of 14 bytes or more)";
  }
  for (size_t k = 0; k < rk.packets.size(); ++k) {
    EXPECT_EQ(rk.packets[k].out.action, std::stoul(expect_.at(index[k])))
        << GetParam().program << " packet " << index[k] << " on the kernel";
  }
  std::cout << "[ kernel ] firmware corpus " << GetParam().program << ": " << runnable.size()
            << " packets compared with the kernel (" << packets_.size() - runnable.size()
            << " runts it cannot run), action, bytes and final maps against interp\n";
  RecordProperty("kernel_packets", std::to_string(runnable.size()));
}

std::string name_of(const ::testing::TestParamInfo<Corpus>& info) { return info.param.program; }
INSTANTIATE_TEST_SUITE_P(All, FirmwareCorpus, ::testing::ValuesIn(corpora()), name_of);

}  // namespace
