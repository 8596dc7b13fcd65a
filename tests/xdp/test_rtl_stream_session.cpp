// The "rtl" XdpSession through the packet I/O block (host/src/xdp/rtl_stream_session.cpp over
// sim/xdp_pipeline.h, the Verilated ebpf_xdp_top): every firmware program over its corpus
// against the interp session (action, fault, data, meta, redirect, events, instructions, and
// every map after every packet); `cycles` against the model's own IO_LAST_VERDICT and the
// core-only cycles of the CSR-driven session; bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "csr_protocol.h"
#include "ebpf_csr_map.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_report.h"
#include "ebpf_fpga/xdp_session.h"
#include "xdp_pipeline.h"
#include "xdp_test_util.h"

namespace ebpf {
std::unique_ptr<XdpSession> make_rtl_stream_xdp_session(const XdpSessionOptions& opts);
}

namespace {

using namespace xdptest;

// The firmware objects and corpora exist: a failure when clang was found at configure time
// (they must have been built), a skip when it was not.
#define STREAM_NEED_BUILT(cond, what)                                             \
  do {                                                                            \
    if (!(cond)) {                                                                \
      if (EBPF_FPGA_HAVE_BPF_CLANG) {                                             \
        FAIL() << (what) << " is missing although clang was found at configure time"; \
      } else {                                                                    \
        GTEST_SKIP() << (what) << " not built (no clang at configure time)";      \
      }                                                                           \
    }                                                                             \
  } while (0)
using namespace ebpf;

struct Corpus {
  std::string program, entry;
};
void PrintTo(const Corpus& c, std::ostream* os) { *os << c.program; }

std::vector<Corpus> corpora() {
  std::vector<Corpus> out;
  std::ifstream in(firmware_dir() + "/pcap/manifest.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  if (out.empty()) out = {{"xdp_drop", "xdp_drop"}};  // not built: the test skips
  return out;
}

std::string describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}

class StreamCorpus : public ::testing::TestWithParam<Corpus> {};

TEST_P(StreamCorpus, MatchesTheInterpSessionPacketByPacket) {
  const Corpus& c = GetParam();
  const std::string object = firmware_object(c.program), pcap = corpus(c.program, ".pcap");
  STREAM_NEED_BUILT(!object.empty() && !pcap.empty(), "firmware " + c.program + " and its corpus");
  const Object obj = Object::open_file(object);
  const ProgramSpec& entry = obj.select_program(c.entry, std::nullopt);
  const std::string init_path = corpus(c.program, ".map-init.json");
  const MapInit init = init_path.empty() ? MapInit{} : read_map_init_file(init_path);

  auto ref = make_xdp_session("interp");
  auto dut = make_rtl_stream_xdp_session({});
  for (XdpSession* s : {ref.get(), dut.get()}) {
    s->load(obj, entry);
    apply_map_init(s->maps(), init, init_path);
  }
  size_t i = 0;
  for (auto& rec : read_pcap_file(pcap)) {
    SCOPED_TRACE(c.program + " packet " + std::to_string(i));
    const XdpPacketIn in{std::move(rec.bytes), 1, 0};
    std::optional<XdpPacketOut> a, b;
    std::exception_ptr ea, eb;
    try { a = ref->run(in); } catch (const Error&) { ea = std::current_exception(); }
    try { b = dut->run(in); } catch (const Error&) { eb = std::current_exception(); }
    ASSERT_EQ(a.has_value(), b.has_value())
        << (ea ? "interp: " + describe(ea) : std::string()) << (eb ? " rtl: " + describe(eb) : "");
    if (a) {
      EXPECT_EQ(b->action, a->action);
      EXPECT_EQ(b->fault, a->fault);
      EXPECT_EQ(to_hex(b->data), to_hex(a->data));
      EXPECT_EQ(to_hex(b->meta), to_hex(a->meta));
      EXPECT_EQ(b->redirect, a->redirect);
      EXPECT_EQ(b->events, a->events);
      EXPECT_EQ(b->instructions, a->instructions);
      ASSERT_TRUE(b->cycles.has_value());
      EXPECT_GT(*b->cycles, 0u);
    }
    const auto ma = dump_all_maps(ref->maps()), mb = dump_all_maps(dut->maps());
    ASSERT_EQ(ma.size(), mb.size());
    for (size_t m = 0; m < ma.size(); ++m) {
      EXPECT_EQ(mb[m].entries, ma[m].entries) << "map " << ma[m].name;
    }
    ++i;
  }
  EXPECT_GT(i, 0u);
}

INSTANTIATE_TEST_SUITE_P(Firmware, StreamCorpus, ::testing::ValuesIn(corpora()),
                         [](const auto& p) { return p.param.program; });

class StreamXdpDrop : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string object = firmware_object("xdp_drop");
    STREAM_NEED_BUILT(!object.empty(), "firmware xdp_drop");
    obj_.emplace(Object::open_file(object));
  }
  const ProgramSpec& entry() const { return obj_->select_program("xdp_drop", std::nullopt); }
  std::optional<Object> obj_;
};

// cycles = the hardware's IO_LAST_VERDICT: against a pipeline model driven directly (its own
// counter and its own clock), and above the core-only count of the CSR-driven session.
TEST_F(StreamXdpDrop, CyclesAreFirstByteInToVerdict) {
  const XdpPacketIn in{frame(0x0800, 64), 1, 0};

  sim::XdpPipeline pipe;
  device::CsrIo& io = pipe.io();
  pipe.set_enable(false);
  const std::span<const Insn> progs[] = {entry().insns};
  device::load_program_set(io, "test", progs, 0, LoadOptions{}, io.read(csr::kImemSlots),
                           io.read(csr::kMaxPrograms));
  io.write64(csr::kBudgetLo, 1'000'000);
  pipe.set_enable(true);
  const sim::XdpFrameResult fr = pipe.send_frame(in.bytes, 0, 100'000);
  ASSERT_EQ(fr.ingress, sim::XdpFrameResult::Ingress::kRun);
  EXPECT_EQ(fr.last_info & 7, kXdpDrop);
  EXPECT_TRUE(fr.egress.empty());
  EXPECT_GT(fr.last_verdict, 64u / 8) << "at least one cycle per beat";
  EXPECT_LE(fr.last_verdict, fr.cycles) << "the verdict is within the cycles the model ran";

  auto stream = make_rtl_stream_xdp_session({});
  stream->load(*obj_, entry());
  const XdpPacketOut s = stream->run(in);
  ASSERT_TRUE(s.cycles.has_value());
  EXPECT_EQ(*s.cycles, fr.last_verdict);
  EXPECT_EQ(s.action, kXdpDrop);
  std::cout << "[ stream ] xdp_drop, 64-byte frame: " << *s.cycles
            << " cycles first byte in -> verdict\n";

  const std::vector<std::string> engines = engine_names();
  if (std::ranges::find(engines, "rtl") != engines.end()) {
    // The rtl engine: the packet loaded through the CSR window, core cycles START -> done.
    auto core = make_engine("rtl");
    core->load(entry().insns, LoadOptions{});
    MemoryImage mem;
    mem.has_ctx = true;
    mem.set_packet(in.bytes);
    mem.ingress_ifindex = in.ingress_ifindex;
    const RunResult k = core->run(mem, RunOptions{});
    ASSERT_TRUE(k.cycles.has_value());
    EXPECT_GT(*s.cycles, *k.cycles) << "core-only: " << *k.cycles;
    EXPECT_EQ(s.instructions, k.instructions);
    std::cout << "[ stream ] core-only (rtl engine): " << *k.cycles << " cycles\n";
  }
}

TEST_F(StreamXdpDrop, CyclesGrowWithTheFrame) {
  auto s = make_rtl_stream_xdp_session({});
  s->load(*obj_, entry());
  const auto c64 = s->run({frame(0x0800, 64), 1, 0}).cycles;
  const auto c512 = s->run({frame(0x0800, 512), 2, 0}).cycles;
  ASSERT_TRUE(c64 && c512);
  EXPECT_GT(*c512, *c64);
}

TEST_F(StreamXdpDrop, BadInputIsAClearErrorAndTheRunGoesOn) {
  auto s = make_rtl_stream_xdp_session({});
  EXPECT_THROW(s->run({frame(0x0800, 64), 1, 0}), Error);  // before load
  s->load(*obj_, entry());
  auto expect_error = [&](const XdpPacketIn& in, const std::string& needle) {
    try {
      s->run(in);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error({frame(0x0800, 64), 0, 0}, "ingress_ifindex 0");
  expect_error({frame(0x0800, 64), 5, 0}, "ingress_ifindex 5");
  expect_error({{}, 1, 0}, "empty frame");
  expect_error({frame(0x0800, 64), 1, 3}, "rx_queue_index 3");
  expect_error({frame(0x0800, addr::kPacketMaxFrame + 1), 1, 0}, "MaxFrameBytes");
  const XdpPacketOut ok = s->run({frame(0x0800, 64), 4, 0});
  EXPECT_EQ(ok.action, kXdpDrop);
}

}  // namespace
