// ebpf_top's capability block, OBJINFO window and exactly-once protocol (docs/register-map.md
// "Capability block", "Exactly-once commands"), through its CSR bus: RUN_SEQ starts a run
// once, a stale or repeated doorbell is ignored, a disturbed staging is not executed. The
// map unit is configured with the host driver (MapUnitDriver over CsrMapPort), then driven
// with raw CSR writes to play what a lossy link delivers.
#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "csr_protocol.h"
#include "ebpf_csr_map.h"
#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_sim_harness.h"
#include "map_unit_driver.h"

namespace ebpf {

// The reference model's table of supported map types (src/maps/map_store.cpp).
const char* supported_map_type_name(MapType t);

namespace {

using sim::Harness;

MapSpec make_spec(const std::string& name, MapType type, uint32_t key_size,
                  uint32_t value_size, uint32_t max_entries) {
  MapSpec s;
  s.name = name;
  s.type = type;
  s.key_size = key_size;
  s.value_size = value_size;
  s.max_entries = max_entries;
  return s;
}

class HarnessIo final : public device::CsrIo {
 public:
  explicit HarnessIo(Harness& h) : h_(h) {}
  void write(uint32_t addr, uint32_t value) override { h_.csr_write(addr, value); }
  uint32_t read(uint32_t addr) override { return h_.csr_read(addr); }
  void idle() override { h_.tick(); }

 private:
  Harness& h_;
};

void load(Harness& h, const std::string& text) {
  const auto prog = assemble(text);
  for (size_t i = 0; i < prog.size(); ++i) {
    h.csr_write64(static_cast<uint32_t>(csr::kWinImem + 8 * i), prog[i].raw());
  }
  h.csr_write(csr::kProgLen, static_cast<uint32_t>(prog.size()));
  for (unsigned k = 0; k < 10; ++k) h.csr_write64(csr::reg_lo(k), 0);
}

void wait_done(Harness& h) {
  for (int i = 0; i < 100'000 && (h.busy() || !h.done()); ++i) h.tick();
  ASSERT_TRUE(h.done() && !h.busy());
}

TEST(RtlCapabilities, BlockHoldsTheParametersAndTheImplementedSets) {
  Harness h;
  EXPECT_EQ(h.csr_read(csr::kCapCores), 1u);
  EXPECT_EQ(h.csr_read(csr::kCapStackBytes), addr::kStackSize);
  EXPECT_EQ(h.csr_read(csr::kCapPacketBytes), addr::kPacketBufferSize);
  EXPECT_EQ(h.csr_read(csr::kCapMapvalBytes), 8 * h.csr_read(csr::kMapValueWords));
  EXPECT_EQ(h.csr_read(csr::kCapEvtBytes), helper_limits::kEventFifoBytes);
  EXPECT_EQ(h.csr_read(csr::kObjinfoBytes), csr::kObjinfoSize);
  EXPECT_EQ(h.csr_read(csr::kCapFeatures),
            csr::kFeatRunSeq | csr::kFeatMcmdSeq | csr::kFeatObjinfo | csr::kFeatEvtHold);
  // The helper bitmap is exactly the helper table of the reference interpreter.
  std::set<int> want, got;
  for (const HelperInfo& hi : helpers()) want.insert(hi.id);
  for (uint32_t w = 0; w < 8; ++w) {
    const uint32_t bits = h.csr_read(csr::kCapHelpers + 4 * w);
    for (int b = 0; b < 32; ++b) {
      if ((bits >> b) & 1) got.insert(static_cast<int>(32 * w) + b);
    }
  }
  EXPECT_EQ(got, want);
  // The map types are exactly those of the reference map unit (MapStore).
  const uint32_t types = h.csr_read(csr::kCapMapTypes);
  for (uint32_t t = 0; t < 32; ++t) {
    EXPECT_EQ((types >> t) & 1, supported_map_type_name(static_cast<MapType>(t)) ? 1u : 0u)
        << "map type " << t;
  }
  // The block is read-only.
  h.csr_write(csr::kCapCores, 7);
  h.csr_write(csr::kCapHelpers, 0);
  EXPECT_EQ(h.csr_read(csr::kCapCores), 1u);
  EXPECT_EQ(h.csr_read(csr::kCapHelpers), (1u << 1) | (1u << 2) | (1u << 3) | (1u << 5) |
                                              (1u << 6) | (1u << 7) | (1u << 8) | (1u << 12) |
                                              (1u << 23) | (1u << 25) | (1u << 28));
}

TEST(RtlCapabilities, ObjinfoIsPlainRamWrittenWhileIdle) {
  Harness h;
  const uint32_t words = csr::kObjinfoSize / 4;
  for (uint32_t i = 0; i < words; ++i) h.csr_write(csr::kWinObjinfo + 4 * i, 0x9e3779b9u * (i + 1));
  for (uint32_t i = 0; i < words; ++i) {
    ASSERT_EQ(h.csr_read(csr::kWinObjinfo + 4 * i), 0x9e3779b9u * (i + 1)) << "word " << i;
  }
  // While the core runs, writes are dropped and reads still answer.
  load(h, "mov %r0, 0\nmov %r1, 2000\nl:\nadd %r0, 1\njlt %r0, %r1, l\nexit\n");
  h.csr_write(csr::kCtrl, csr::kCtrlStart);
  h.tick();
  ASSERT_TRUE(h.busy());
  h.csr_write(csr::kWinObjinfo + 8, 0x12345678);
  EXPECT_EQ(h.csr_read(csr::kWinObjinfo + 8), 0x9e3779b9u * 3);
  wait_done(h);
  EXPECT_EQ(h.csr_read(csr::kWinObjinfo + 8), 0x9e3779b9u * 3);
  // Memory windows next to it are unaffected by it and vice versa.
  h.csr_write(csr::kWinObjinfo + 8, 5);
  EXPECT_EQ(h.csr_read(csr::kWinObjinfo + 8), 5u);
  EXPECT_EQ(h.csr_read(csr::kWinObjinfo + 12), 0x9e3779b9u * 4);
}

// A program that increments the word at r1 (in the packet buffer): each run adds one.
TEST(RtlSequencing, RunSeqStartsARunOnlyForTheNextNumber) {
  Harness h;
  load(h, "ldxw %r0, [%r1]\nadd %r0, 1\nstxw [%r1], %r0\nexit\n");
  const uint32_t at = addr::kPacketHeadroom;
  h.csr_write(csr::kDataMeta, at);
  h.csr_write(csr::kData, at);
  h.csr_write(csr::kDataEnd, at + 8);
  h.csr_write64(csr::reg_lo(1), addr::kPacketBase + at);
  h.csr_write(csr::kWinPacket + at, 10);
  EXPECT_EQ(h.csr_read(csr::kLastRunSeq), 0u);
  uint32_t runs = 0;
  const auto count = [&] { return h.csr_read(csr::kWinPacket + at); };
  // 2 and 0 are not the next number; 1 is, once.
  for (uint32_t s : {2u, 0u, 1u, 1u, 1u, 3u, 2u, 2u}) {
    const bool next = s == h.csr_read(csr::kLastRunSeq) + 1;
    h.csr_write(csr::kRunSeq, s);
    if (next) {
      ++runs;
      wait_done(h);
      EXPECT_EQ(h.csr_read(csr::kStatus) & csr::kStatusFault, 0u);
    } else {
      h.tick();
      EXPECT_FALSE(h.busy()) << "RUN_SEQ " << s;
    }
    EXPECT_EQ(h.csr_read(csr::kLastRunSeq), runs) << "RUN_SEQ " << s;
    EXPECT_EQ(h.csr_read(csr::kRunSeq), runs);
    EXPECT_EQ(count(), 10 + runs) << "RUN_SEQ " << s;
  }
  EXPECT_EQ(runs, 2u);
  // While a run is in progress the next number is not taken either.
  load(h, "mov %r0, 0\nmov %r1, 500\nl:\nadd %r0, 1\njlt %r0, %r1, l\nexit\n");
  h.csr_write(csr::kRunSeq, 3);
  h.tick();
  ASSERT_TRUE(h.busy());
  h.csr_write(csr::kRunSeq, 4);
  wait_done(h);
  EXPECT_EQ(h.csr_read(csr::kLastRunSeq), 3u);
  // CTRL.START still starts runs; it does not count.
  h.csr_write(csr::kCtrl, csr::kCtrlStart);
  wait_done(h);
  EXPECT_EQ(h.csr_read(csr::kLastRunSeq), 3u);
}

class MapSeq : public ::testing::Test {
 protected:
  void SetUp() override { configure(); }
  void configure() {
    const std::vector<MapSpec> specs = {make_spec("h", MapType::kHash, 4, 8, 64)};
    device::configure_map_set(io_, driver_, specs, {});
  }
  // Raw staging of an UPDATE of key k = v under `seq` (what one datagram carries).
  void stage_update(uint32_t seq, uint32_t k, uint64_t v, uint64_t flags = kBpfNoexist) {
    h_.csr_write(csr::kMcmdStage, seq);
    stage_body(k, v, flags);
  }
  void stage_body(uint32_t k, uint64_t v, uint64_t flags) {
    h_.csr_write(csr::kWinKbuf, k);
    h_.csr_write(csr::kWinVbuf, static_cast<uint32_t>(v));
    h_.csr_write(csr::kWinVbuf + 4, static_cast<uint32_t>(v >> 32));
    h_.csr_write(csr::kMcmdMap, 0);
    h_.csr_write(csr::kMcmdCpu, 0);
    h_.csr_write64(csr::kMcmdFlagsLo, flags);
  }
  void doorbell() {
    h_.csr_write(csr::kMcmd, static_cast<uint32_t>(MapOp::kUpdate));
    for (int i = 0; i < 10'000 && (h_.csr_read(csr::kMcmd) & 1); ++i) h_.tick();
  }
  // Through the host driver, which learns the device's number first (the raw commands of
  // the test advanced it behind its back, as another host would).
  std::optional<uint64_t> lookup(uint32_t k) {
    port_.resync();
    uint8_t key[4], val[8];
    std::memcpy(key, &k, 4);
    if (driver_.lookup(0, key, val) != 0) return std::nullopt;
    uint64_t v;
    std::memcpy(&v, val, 8);
    return v;
  }
  uint32_t last() { return h_.csr_read(csr::kMcmdLastSeq); }
  uint32_t executed() { return h_.csr_read(csr::kMcmdExecuted); }

  Harness h_;
  HarnessIo io_{h_};
  device::CsrMapPort port_{io_, "rtl"};
  MapUnitDriver driver_{port_, device::read_map_unit_params(io_)};
};

TEST_F(MapSeq, StaleAndRepeatedDoorbellsAreIgnored) {
  const uint32_t base = last();
  const uint32_t exec0 = executed();
  EXPECT_EQ(base, exec0);  // every host command so far went through the sequence
  EXPECT_EQ(h_.csr_read(csr::kMcmdDoneSeq), base);
  const uint32_t n = base + 1;
  stage_update(n, 7, 0x1111);
  doorbell();
  EXPECT_EQ(last(), n);
  EXPECT_EQ(h_.csr_read(csr::kMcmdDoneSeq), n);
  EXPECT_EQ(static_cast<int32_t>(h_.csr_read(csr::kMcmdStatus)), 0);
  EXPECT_EQ(executed(), exec0 + 1);
  // The same doorbell again, and the whole datagram again (a duplicate): ignored, so the
  // NOEXIST insert is not repeated (it would answer -EEXIST) and nothing else runs.
  doorbell();
  stage_update(n, 7, 0x2222);
  doorbell();
  EXPECT_EQ(last(), n);
  EXPECT_EQ(executed(), exec0 + 1);
  EXPECT_EQ(static_cast<int32_t>(h_.csr_read(csr::kMcmdStatus)), 0);
  // Staging writes for an old number do not reach the buffers of the unit.
  EXPECT_EQ(h_.csr_read(csr::kWinVbuf), 0x1111u);
  // An old number, and one too far ahead: ignored.
  stage_update(n - 1, 8, 1);
  doorbell();
  stage_update(n + 2, 8, 1);
  doorbell();
  EXPECT_EQ(last(), n);
  EXPECT_EQ(executed(), exec0 + 1);
  EXPECT_EQ(lookup(8), std::nullopt);  // (a sequenced command of the driver: n + 1)
  EXPECT_EQ(lookup(7), 0x1111u);
  EXPECT_EQ(last(), n + 2);
  EXPECT_EQ(executed(), exec0 + 3);
}

TEST_F(MapSeq, ADisturbedStagingIsNotExecuted) {
  const uint32_t n = last() + 1;
  const uint32_t exec0 = executed();
  // Staging starts, then a run takes the core: the writes that arrive meanwhile are dropped
  // and mark the staging disturbed, so the doorbell after the run is ignored even though the
  // number is right (the key buffer would hold a stale key).
  load(h_, "mov %r0, 0\nmov %r1, 300\nl:\nadd %r0, 1\njlt %r0, %r1, l\nexit\n");
  h_.csr_write(csr::kMcmdStage, n);
  EXPECT_EQ(h_.csr_read(csr::kMcmdSeqStatus), csr::kMcmdSeqStageOk);
  h_.csr_write(csr::kCtrl, csr::kCtrlStart);
  h_.tick();
  ASSERT_TRUE(h_.busy());
  stage_body(9, 0x3333, kBpfAny);
  wait_done(h_);
  EXPECT_EQ(h_.csr_read(csr::kMcmdSeqStatus), csr::kMcmdSeqStageOk | csr::kMcmdSeqDisturbed);
  doorbell();
  EXPECT_EQ(last(), n - 1);
  EXPECT_EQ(executed(), exec0);
  // Staged again from MCMD_STAGE: the flag clears and the command runs once.
  stage_update(n, 9, 0x3333, kBpfAny);
  EXPECT_EQ(h_.csr_read(csr::kMcmdSeqStatus), csr::kMcmdSeqStageOk);
  doorbell();
  EXPECT_EQ(last(), n);
  EXPECT_EQ(executed(), exec0 + 1);
  EXPECT_EQ(lookup(9), 0x3333u);
  // A run whose helper calls use the unit's buffers disturbs a staging too.
  const uint32_t m = last() + 1;
  h_.csr_write(csr::kMcmdStage, m);
  stage_body(10, 0x4444, kBpfAny);
  load(h_, "lddw %r1, map[0]\nmov %r2, 0\nstxw [%r10-4], %r2\nmov %r2, %r10\nadd %r2, -4\n"
           "call 1\nmov %r0, 0\nexit\n");
  h_.csr_write(csr::kCtrl, csr::kCtrlStart);
  wait_done(h_);
  EXPECT_EQ(h_.csr_read(csr::kStatus) & csr::kStatusFault, 0u);
  doorbell();
  EXPECT_EQ(last(), m - 1);
  EXPECT_EQ(lookup(10), std::nullopt);
}

// A run cannot start while a host map command is in progress: its helper calls would take
// the map unit and the key buffer from under the command (ebpf_xdp_top holds a frame's
// START back meanwhile, mcmd_busy_o).
TEST_F(MapSeq, NoRunStartsWhileAHostCommandIsPending) {
  load(h_, "mov %r0, 1\nexit\n");
  const uint32_t n = last() + 1;
  const uint32_t runs = h_.csr_read(csr::kLastRunSeq);
  stage_update(n, 11, 0x5555, kBpfAny);
  h_.csr_write(csr::kMcmd, static_cast<uint32_t>(MapOp::kUpdate));
  ASSERT_EQ(h_.csr_read(csr::kMcmd) & 1, 1u);  // pending
  h_.csr_write(csr::kCtrl, csr::kCtrlStart);
  h_.csr_write(csr::kRunSeq, runs + 1);
  EXPECT_FALSE(h_.busy());
  EXPECT_EQ(h_.csr_read(csr::kLastRunSeq), runs);
  for (int i = 0; i < 10'000 && (h_.csr_read(csr::kMcmd) & 1); ++i) h_.tick();
  EXPECT_EQ(h_.csr_read(csr::kMcmdDoneSeq), n);
  EXPECT_EQ(static_cast<int32_t>(h_.csr_read(csr::kMcmdStatus)), 0);
  // Once it is done, the number is taken.
  h_.csr_write(csr::kRunSeq, runs + 1);
  wait_done(h_);
  EXPECT_EQ(h_.csr_read(csr::kLastRunSeq), runs + 1);
  EXPECT_EQ(lookup(11), 0x5555u);
}

// The host side of the protocol (CsrMapPort): a device reset shows as MCMD_LAST_SEQ 0.
TEST_F(MapSeq, AResetDeviceIsReportedNotDriven) {
  EXPECT_EQ(lookup(1), std::nullopt);
  h_.reset();
  uint8_t key[4] = {}, val[8] = {};
  try {
    driver_.update(0, key, val, kBpfAny);
    FAIL() << "a reset device took a command";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("rtl: the device was reset: MCMD_LAST_SEQ reads 0"),
              std::string::npos)
        << e.what();
  }
  // The next command starts from the device's number again (after configuring).
  configure();
  EXPECT_EQ(h_.csr_read(csr::kMcmdLastSeq), h_.csr_read(csr::kMcmdExecuted));
  EXPECT_EQ(driver_.update(0, key, val, kBpfAny), 0);
  EXPECT_EQ(lookup(0), 0u);
}

}  // namespace
}  // namespace ebpf
