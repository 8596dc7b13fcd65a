// ebpf_xdp_top whole: frames in on s_axis, the program on the soft-CPU, frames out on m_axis,
// against the interpreter run of the same program and frame (action, output bytes, egress
// port) and exact counters; every length 1..80, large and oversize frames, every action and
// fault, bpf_redirect, back-pressure and bursty ingress, many back-to-back frames, the host
// bus rules while a frame is in flight.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "xdp_sample_programs.h"
#include "xdp_top_harness.h"
#ifdef EBPF_IO_HAVE_CSR_PROTOCOL
#include "csr_protocol.h"
#endif

namespace {

using namespace xdp_io;

using ebpf::sim::samples::kDrop;
using ebpf::sim::samples::kMacSwap;
using ebpf::sim::samples::kPass;

// The verdict comes from the frame: byte 0 is returned as r0 (0-4 the actions, 5 and up
// invalid), except 8: a load past data_end (fault), 9: bpf_redirect(byte 1, 0),
// 10: bpf_redirect(byte 1, 1) (bad flags: XDP_ABORTED). Frames under 5 bytes pass. Byte 2
// is rewritten to 0xa5, bytes 3 and 4 to ingress_ifindex and rx_queue_index, so that the
// output shows the program's writes and the context it saw.
constexpr const char* kVerdictFromFrame = R"(
  ldxw %r2, [%r1+0]
  ldxw %r3, [%r1+4]
  ldxw %r6, [%r1+12]
  ldxw %r7, [%r1+16]
  mov %r4, %r2
  add %r4, 5
  jgt %r4, %r3, short
  ldxb %r0, [%r2+0]
  ldxb %r5, [%r2+1]
  stb [%r2+2], 0xa5
  stxb [%r2+3], %r6
  stxb [%r2+4], %r7
  jeq %r0, 8, fault
  jeq %r0, 9, redir
  jeq %r0, 10, redir_flags
  exit
fault:
  ldxb %r0, [%r3+100]
  exit
redir:
  mov %r1, %r5
  mov %r2, 0
  call 23
  exit
redir_flags:
  mov %r1, %r5
  mov %r2, 1
  call 23
  exit
short:
  mov %r0, 2
  exit
)";

// bpf_xdp_adjust_head(ctx, byte 0 - 20), then XDP_TX: the frame leaves from an unaligned
// start. A grown head is filled with 0x5a (headroom bytes are undefined until written, in
// Linux as here: the buffer is not cleared between frames). A refused adjustment passes the
// frame unchanged.
constexpr const char* kAdjustHead = R"(
  mov %r6, %r1
  ldxw %r2, [%r1+0]
  ldxw %r3, [%r1+4]
  mov %r4, %r2
  add %r4, 1
  jgt %r4, %r3, pass
  ldxb %r7, [%r2+0]
  sub %r7, 20
  mov %r2, %r7
  mov %r1, %r6
  call 44
  jne %r0, 0, pass
  ldxw %r2, [%r6+0]
fill:
  jsge %r7, 0, tx
  stb [%r2+0], 0x5a
  add %r2, 1
  add %r7, 1
  ja fill
tx:
  mov %r0, 3
  exit
pass:
  mov %r0, 2
  exit
)";

#ifdef EBPF_IO_HAVE_CSR_PROTOCOL
// bpf_redirect_map(devmap 0, key = byte 0, flags = byte 1 & 3): the DEVMAP entry's ifindex,
// or on a miss the action flags & 3. Frames under 2 bytes pass.
constexpr const char* kRedirectMap = R"(
  ldxw %r2, [%r1+0]
  ldxw %r3, [%r1+4]
  mov %r4, %r2
  add %r4, 2
  jgt %r4, %r3, pass
  ldxb %r5, [%r2+1]
  and %r5, 3
  ldxb %r2, [%r2+0]
  mov %r3, %r5
  lddw %r1, map[0]
  call 51
  exit
pass:
  mov %r0, 2
  exit
)";

// The host side of the map unit (host/src/device/csr_protocol.h) over the harness's bus.
class HarnessIo final : public ebpf::device::CsrIo {
 public:
  explicit HarnessIo(XdpTop& t) : t_(t) {}
  void write(uint32_t addr, uint32_t value) override { t_.write(addr, value); }
  uint32_t read(uint32_t addr) override { return t_.read(addr); }
  void idle() override { t_.cycle(); }

 private:
  XdpTop& t_;
};
#endif

struct Frame {
  Bytes bytes;
  uint32_t port = 0;
};

struct Counters {
  std::array<uint32_t, 5> action{};
  std::array<uint32_t, 16> fault{};
  uint32_t oversize = 0, malformed = 0, redir_bad = 0, empty = 0;
  std::array<uint32_t, kNumPorts> rx{}, tx{};
  friend bool operator==(const Counters&, const Counters&) = default;
};

std::string describe(const Counters& c) {
  std::ostringstream s;
  s << "action";
  for (auto v : c.action) s << ' ' << v;
  s << " | fault";
  for (auto v : c.fault) s << ' ' << v;
  s << " | oversize " << c.oversize << " malformed " << c.malformed << " redir_bad "
    << c.redir_bad << " empty " << c.empty << " | rx";
  for (auto v : c.rx) s << ' ' << v;
  s << " | tx";
  for (auto v : c.tx) s << ' ' << v;
  return s.str();
}

Counters read_counters(XdpTop& t) {
  Counters c;
  for (uint32_t a = 0; a < 5; ++a) c.action[a] = t.read(io::kCntAction + 4 * a);
  for (uint32_t f = 0; f < 16; ++f) c.fault[f] = t.read(io::kCntFault + 4 * f);
  c.oversize = t.read(io::kCntOversize);
  c.malformed = t.read(io::kCntMalformed);
  c.redir_bad = t.read(io::kCntRedirBad);
  c.empty = t.read(io::kCntEmpty);
  for (uint32_t p = 0; p < kNumPorts; ++p) {
    c.rx[p] = t.read(io::kCntRx + 4 * p);
    c.tx[p] = t.read(io::kCntTx + 4 * p);
  }
  return c;
}

class XdpTopTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng_{0xf00d};

  Frame random_frame(size_t len) {
    Frame f;
    f.bytes.resize(len);
    for (auto& b : f.bytes) b = static_cast<uint8_t>(rng_());
    f.port = static_cast<uint32_t>(rng_() % kNumPorts);
    return f;
  }

  // Sends `frames` through the hardware running `text` and checks every output frame, its
  // order and port, and every counter against the interpreter.
  // `setup` (maps) runs on both before the frames.
  using Setup = std::function<void(XdpTop&, Reference&)>;
  Counters run_and_compare(const char* text, const std::vector<Frame>& frames,
                           double valid_prob = 1.0, double ready_prob = 1.0,
                           std::span<const ebpf::MapSpec> maps = {},
                           const Setup& setup = nullptr) {
    const auto prog = ebpf::assemble(text);
    XdpTop t;
    Reference ref(prog, maps);
    if (setup) setup(t, ref);
    t.load(prog);
    t.set_valid_prob(valid_prob);
    t.set_ready_prob(ready_prob);
    std::vector<OutFrame> want;
    Counters c;
    for (const Frame& f : frames) {
      t.send(f.bytes, f.port);
      ++c.rx[f.port];
      if (f.bytes.size() > kMaxFrame) {
        ++c.oversize;
        continue;
      }
      const Expect x = ref.run(f.bytes, f.port);
      ++c.action[x.action];
      if (x.fault != ebpf::FaultCode::kNone) ++c.fault[static_cast<unsigned>(x.fault)];
      if (x.redirect_bad) ++c.redir_bad;
      if (x.out) {
        ++c.tx[x.out->port];
        want.push_back(*x.out);
      }
    }
    EXPECT_TRUE(t.drain()) << "the I/O block did not go idle";
    const auto& got = t.out();
    EXPECT_EQ(got.size(), want.size()) << "frames out";
    for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
      if (got[i] == want[i]) continue;
      size_t at = 0;
      while (at < got[i].bytes.size() && at < want[i].bytes.size() &&
             got[i].bytes[at] == want[i].bytes[at]) {
        ++at;
      }
      ADD_FAILURE() << "output frame " << i << ": port " << got[i].port << " (want "
                    << want[i].port << "), " << got[i].bytes.size() << " bytes (want "
                    << want[i].bytes.size() << "), first difference at byte " << at;
      break;
    }
    const Counters hw = read_counters(t);
    EXPECT_EQ(hw, c) << "hardware: " << describe(hw) << "\nexpected: " << describe(c);
    EXPECT_EQ(t.read(io::kCntHostDrop), 0u);
    return hw;
  }
};

TEST_F(XdpTopTest, RegisterPage) {
  XdpTop t;
  EXPECT_EQ(t.read(io::kId), io::kIdValue);
  EXPECT_EQ(t.read(io::kParams), kNumPorts | (kHostPort << 8) | (kMaxFrame << 16));
  EXPECT_EQ(t.read(io::kCtrl), 0u);
  // The soft-CPU's registers stay reachable through ebpf_xdp_top.
  EXPECT_EQ(t.read(ebpf::csr::kId), ebpf::csr::kCoreId);
  t.write(io::kCtrl, io::kCtrlEnable);
  EXPECT_EQ(t.read(io::kCtrl), io::kCtrlEnable);
}

TEST_F(XdpTopTest, EveryLength1To80MacSwap) {
  std::vector<Frame> frames;
  for (size_t len = 1; len <= 80; ++len) frames.push_back(random_frame(len));
  const Counters c = run_and_compare(kMacSwap, frames);
  EXPECT_EQ(c.action[ebpf::kXdpTx], 69u);   // 12..80 bytes
  EXPECT_EQ(c.action[ebpf::kXdpDrop], 11u);  // runts under 12 bytes
}

TEST_F(XdpTopTest, LargeFramesAndOversize) {
  std::vector<Frame> frames;
  for (size_t len : {size_t{1518}, size_t{9018}, size_t{9019}, size_t{64}, size_t{9017},
                     size_t{12000}, size_t{1}}) {
    frames.push_back(random_frame(len));
  }
  const Counters c = run_and_compare(kPass, frames);
  EXPECT_EQ(c.oversize, 2u);
  EXPECT_EQ(c.tx[kHostPort], 5u);
  run_and_compare(kMacSwap, frames);
}

TEST_F(XdpTopTest, EveryActionFaultAndRedirect) {
  std::vector<Frame> frames;
  for (uint32_t port = 0; port < kNumPorts; ++port) {
    for (uint8_t b0 = 0; b0 <= 12; ++b0) {
      for (int b1 : {0, 1, 2, 3, 4, 5, 200}) {
        if (b0 != 9 && b0 != 10 && b1 != 0) continue;
        Frame f = random_frame(20 + static_cast<size_t>(b0 * 7 + b1) % 50);
        f.bytes[0] = b0;
        f.bytes[1] = static_cast<uint8_t>(b1);
        f.port = port;
        frames.push_back(f);
      }
    }
  }
  frames.push_back(random_frame(1));  // runts pass
  frames.push_back(random_frame(4));
  const Counters c = run_and_compare(kVerdictFromFrame, frames);
  for (uint32_t a = 0; a < 5; ++a) EXPECT_GT(c.action[a], 0u) << "action " << a;
  EXPECT_GT(c.fault[static_cast<unsigned>(ebpf::FaultCode::kInvalidAction)], 0u);
  EXPECT_GT(c.fault[static_cast<unsigned>(ebpf::FaultCode::kLoadOutOfBounds)], 0u);
  EXPECT_GT(c.redir_bad, 0u);
  for (uint32_t p = 0; p < kNumPorts; ++p) EXPECT_GT(c.tx[p], 0u) << "port " << p;
}

// IO_CTRL.CLEAR empties every counter (the action and fault counters are LUT RAM tables with
// a clear, the others flip-flops), and counting starts again from 0 after it.
TEST_F(XdpTopTest, ClearEmptiesEveryCounterAndCountingResumes) {
  const auto prog = ebpf::assemble(kVerdictFromFrame);
  XdpTop t;
  t.load(prog);
  auto frame = [&](uint8_t b0) {
    Bytes f(40, 0x11);
    f[0] = b0;
    return f;
  };
  // Before: every action once, and one fault (byte 0 = 8: a load out of bounds).
  for (const uint8_t b0 : std::initializer_list<uint8_t>{0, 1, 2, 3, 4, 8}) t.send(frame(b0), 0);
  t.send(Bytes(kMaxFrame + 1, 0x22), 1);   // oversize
  ASSERT_TRUE(t.drain());
  const Counters before = read_counters(t);
  for (uint32_t a = 0; a < 5; ++a) EXPECT_GT(before.action[a], 0u) << "action " << a;
  EXPECT_EQ(before.fault[static_cast<unsigned>(ebpf::FaultCode::kLoadOutOfBounds)], 1u);
  EXPECT_EQ(before.oversize, 1u);

  t.write(io::kCtrl, io::kCtrlEnable | io::kCtrlClear);
  const Counters cleared = read_counters(t);
  EXPECT_EQ(describe(cleared), describe(Counters{}));

  // After: two drops, three passes and two faults.
  for (const uint8_t b0 : std::initializer_list<uint8_t>{1, 1, 2, 2, 2, 8, 8}) t.send(frame(b0), 0);
  ASSERT_TRUE(t.drain());
  const Counters after = read_counters(t);
  Counters want;
  want.action[ebpf::kXdpDrop] = 2;
  want.action[ebpf::kXdpPass] = 3;
  want.action[ebpf::kXdpAborted] = 2;   // a fault aborts the frame
  want.fault[static_cast<unsigned>(ebpf::FaultCode::kLoadOutOfBounds)] = 2;
  want.rx[0] = 7;
  want.tx[kHostPort] = 3;
  EXPECT_EQ(describe(after), describe(want));
}

TEST_F(XdpTopTest, RedirectMapThroughADevmap) {
#ifndef EBPF_IO_HAVE_CSR_PROTOCOL
  GTEST_SKIP() << "built without host/src/device (csr_protocol.h): no map unit driver";
#else
  std::vector<ebpf::MapSpec> maps(1);
  maps[0].name = "ports";
  maps[0].type = ebpf::MapType::kDevmap;
  maps[0].key_size = 4;
  maps[0].value_size = 4;
  maps[0].max_entries = 8;
  // key k -> ifindex: 0..3 -> 1..4 (every port), 4 -> 7 (no such port); 5..7 empty.
  const std::vector<std::pair<uint32_t, uint32_t>> entries = {{0, 1}, {1, 2}, {2, 3}, {3, 4},
                                                              {4, 7}};
  auto fill = [&](ebpf::MapAccess& m) {
    for (auto [k, ifindex] : entries) {
      const auto key = std::bit_cast<std::array<uint8_t, 4>>(k);
      const auto value = std::bit_cast<std::array<uint8_t, 4>>(ifindex);
      ASSERT_EQ(m.update(0, key, value, 0), 0) << "key " << k;
    }
  };
  const Setup setup = [&](XdpTop& t, Reference& ref) {
    HarnessIo io(t);
    ebpf::device::CsrMapPort port(io);
    ebpf::MapUnitDriver driver(port);
    ebpf::device::configure_map_set(io, driver, maps, {});
    fill(driver);
    fill(*ref.engine().maps());
  };
  std::vector<Frame> frames;
  for (uint32_t port = 0; port < kNumPorts; ++port) {
    for (uint8_t key = 0; key < 8; ++key) {
      for (uint8_t flags = 0; flags < 4; ++flags) {
        if (key < 5 && flags != 0) continue;  // flags matter on a miss
        Frame f = random_frame(14 + rng_() % 100);
        f.bytes[0] = key;
        f.bytes[1] = flags;
        f.port = port;
        frames.push_back(f);
      }
    }
  }
  const Counters c = run_and_compare(kRedirectMap, frames, 0.9, 0.7, maps, setup);
  EXPECT_EQ(c.action[ebpf::kXdpRedirect], 5u * kNumPorts);
  EXPECT_EQ(c.redir_bad, kNumPorts);  // key 4: ifindex 7
  for (uint32_t p = 0; p < kNumPorts; ++p) EXPECT_GT(c.tx[p], 0u) << "port " << p;
#endif
}

TEST_F(XdpTopTest, DropAndPassBaselines) {
  std::vector<Frame> frames;
  for (int i = 0; i < 50; ++i) frames.push_back(random_frame(1 + rng_() % 200));
  const Counters d = run_and_compare(kDrop, frames);
  EXPECT_EQ(d.action[ebpf::kXdpDrop], 50u);
  const Counters p = run_and_compare(kPass, frames);
  EXPECT_EQ(p.tx[kHostPort], 50u);
}

TEST_F(XdpTopTest, BackPressureAndBurstyIngress) {
  std::vector<Frame> frames;
  for (int i = 0; i < 150; ++i) {
    Frame f = random_frame(1 + rng_() % 600);
    if (f.bytes.size() > 3) {
      f.bytes[0] = static_cast<uint8_t>(rng_() % 11);
      f.bytes[1] = static_cast<uint8_t>(rng_() % 6);
    }
    frames.push_back(f);
  }
  run_and_compare(kVerdictFromFrame, frames, 0.4, 0.3);
  run_and_compare(kMacSwap, frames, 0.9, 0.5);
}

TEST_F(XdpTopTest, ManyBackToBackFramesNoLossNoReordering) {
  std::vector<Frame> frames;
  for (int i = 0; i < 600; ++i) {
    Frame f = random_frame(60 + rng_() % 40);
    // A sequence number in the frame, so that loss or reordering cannot hide.
    f.bytes[20] = static_cast<uint8_t>(i);
    f.bytes[21] = static_cast<uint8_t>(i >> 8);
    frames.push_back(f);
  }
  const Counters c = run_and_compare(kMacSwap, frames);
  EXPECT_EQ(c.action[ebpf::kXdpTx], 600u);
}

TEST_F(XdpTopTest, AdjustHeadSendsFromAnUnalignedStart) {
  const auto prog = ebpf::assemble(kAdjustHead);
  {
    // Probe: does this soft-CPU implement bpf_xdp_adjust_head (44)?
    XdpTop t;
    t.load(prog);
    t.send(Bytes(64, 21), 0);
    ASSERT_TRUE(t.drain());
    if (t.read(io::kCntFault + 4 * static_cast<uint32_t>(ebpf::FaultCode::kUnknownHelper)) != 0) {
      GTEST_SKIP() << "the helper unit does not implement bpf_xdp_adjust_head (44) yet";
    }
  }
  std::vector<Frame> frames;
  for (uint8_t b0 = 0; b0 <= 40; ++b0) {
    Frame f = random_frame(34 + b0 % 9);
    f.bytes[0] = b0;
    frames.push_back(f);
  }
  run_and_compare(kAdjustHead, frames, 0.8, 0.6);
}

TEST_F(XdpTopTest, HostBusRulesWhileAFrameIsInFlight) {
  const auto prog = ebpf::assemble(kMacSwap);
  XdpTop t;
  t.load(prog);
  t.send(random_frame(1000).bytes, 1);
  // Wait until the frame is in flight, then try to change the run configuration and to
  // start a run: both refused and counted; reads still answer.
  while (!t.model().io_busy_o) t.cycle();
  t.write(ebpf::csr::kDataEnd, 300);
  t.write(ebpf::csr::kWinPacket + 256, 0xdeadbeef);
  EXPECT_EQ(t.read(ebpf::csr::kId), ebpf::csr::kCoreId);
  EXPECT_EQ(t.read(io::kStatus) & io::kStatusBusy, io::kStatusBusy);
  ASSERT_TRUE(t.drain());
  EXPECT_EQ(t.read(io::kCntHostDrop), 2u);
  ASSERT_EQ(t.out().size(), 1u);
  EXPECT_EQ(t.out()[0].bytes.size(), 1000u);
  // Idle but enabled: START is refused; disabled: the host owns the core again.
  t.write(ebpf::csr::kCtrl, ebpf::csr::kCtrlStart);
  EXPECT_EQ(t.read(io::kCntHostDrop), 3u);
  t.write(io::kCtrl, 0);
  t.write(ebpf::csr::kCtrl, ebpf::csr::kCtrlStart);
  for (int i = 0; i < 100; ++i) t.cycle();
  EXPECT_EQ(t.read(io::kCntHostDrop), 3u);
  EXPECT_NE(t.read(ebpf::csr::kStatus) & ebpf::csr::kStatusDone, 0u);
}

TEST_F(XdpTopTest, DisabledIngressHoldsFramesBack) {
  const auto prog = ebpf::assemble(kPass);
  XdpTop t;
  t.load(prog);
  t.write(io::kCtrl, 0);
  t.send(random_frame(100).bytes, 0);
  for (int i = 0; i < 200; ++i) t.cycle();
  EXPECT_EQ(t.read(io::kCntRx), 0u);
  EXPECT_TRUE(t.out().empty());
  t.write(io::kCtrl, io::kCtrlEnable);
  ASSERT_TRUE(t.drain());
  EXPECT_EQ(t.read(io::kCntRx), 1u);
  EXPECT_EQ(t.out().size(), 1u);
}

}  // namespace
