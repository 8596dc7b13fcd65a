// The additive Engine API of issue 4: defaults for engines without maps or tail calls, the
// interpreter's map unit behind MapAccess, and the engine-independent views of a result.
#include <gtest/gtest.h>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "map_test_util.h"

namespace ebpf::maptest {
namespace {

// An engine that implements only the original interface.
class Minimal final : public Engine {
 public:
  std::string_view name() const override { return "minimal"; }
  void load(std::span<const Insn> prog, const LoadOptions&) override { loaded = prog.size(); }
  RunResult run(MemoryImage&, const RunOptions&) override { return {}; }
  size_t loaded = 0;
};

TEST(EngineApi, DefaultsSayTheEngineLacksMapsAndTailCalls) {
  Minimal e;
  EXPECT_EQ(e.maps(), nullptr);
  EXPECT_NO_THROW(e.configure_maps({}));
  try {
    e.configure_maps(std::vector<MapSpec>{spec(MapType::kArray, 4, 4, 1)});
    ADD_FAILURE() << "accepted maps";
  } catch (const Error& ex) {
    EXPECT_STREQ(ex.what(), "engine minimal has no map unit yet");
  }
  const std::vector<std::vector<Insn>> one = {assemble("mov %r0, 1\nexit")};
  e.load_programs(one, 0);
  EXPECT_EQ(e.loaded, 2u);
  const std::vector<std::vector<Insn>> two = {one[0], one[0]};
  EXPECT_THROW(e.load_programs(two, 0), Error);
  EXPECT_THROW(e.load_programs(one, 1), Error);
}

TEST(EngineApi, XdpActionAndFault) {
  RunResult r;
  r.r0 = kXdpTx;
  EXPECT_EQ(xdp_action(r), kXdpTx);
  EXPECT_EQ(xdp_fault(r), FaultCode::kNone);
  r.r0 = 5;
  EXPECT_EQ(xdp_action(r), kXdpAborted);
  EXPECT_EQ(xdp_fault(r), FaultCode::kInvalidAction);
  r.fault = FaultCode::kHelperFault;
  r.r0 = 0;
  EXPECT_EQ(xdp_action(r), kXdpAborted);
  EXPECT_EQ(xdp_fault(r), FaultCode::kHelperFault);
  EXPECT_EQ(event_kind_name(EventKind::kRingbufOutput), "ringbuf_output");
}

TEST(EngineApi, InterpreterMapsSurviveLoadsAndResetOnConfigure) {
  auto e = make_engine("interp");
  ASSERT_NE(e->maps(), nullptr);
  EXPECT_EQ(e->maps()->map_count(), 0u);
  const std::vector<MapSpec> specs = {spec(MapType::kHash, 4, 4, 4, 0, "h")};
  e->configure_maps(specs, {.cores = 2});
  MapAccess& m = *e->maps();
  EXPECT_EQ(m.cores(), 2u);
  EXPECT_EQ(m.spec(0).name, "h");
  ASSERT_EQ(m.update(0, le32(1), le32(7), 0), 0);
  e->load(assemble("mov %r0, 2\nexit"));
  Bytes v(4);
  EXPECT_EQ(m.lookup(0, le32(1), v), 0) << "loading a program keeps the maps";
  e->configure_maps(specs);
  EXPECT_EQ(e->maps()->lookup(0, le32(1), v), -ENOENT) << "configuring again empties them";
  EXPECT_THROW(e->configure_maps(std::vector<MapSpec>{spec(MapType::kArray, 2, 4, 4)}), Error);
}

TEST(EngineApi, PacketMetaView) {
  MemoryImage mem;
  mem.set_packet(Bytes{1, 2, 3});
  EXPECT_TRUE(mem.packet_meta().empty());
  mem.data_meta -= 4;
  EXPECT_EQ(mem.packet_meta().size(), 4u);
}

}  // namespace
}  // namespace ebpf::maptest
