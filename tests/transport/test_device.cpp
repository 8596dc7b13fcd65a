// Device: the capability block and its refusals, load limits, and runs that agree with the
// in-process rtl engine (cycles included) over every transport.
#include <gtest/gtest.h>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/rtl_engine.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

std::string open_error(const std::string& uri) {
  try {
    Device::open(uri);
  } catch (const Error& e) {
    return e.what();
  }
  return "(opened)";
}

TEST(Device, RefusesAMismatchingCapabilityBlock) {
  using Regs = std::map<uint32_t, uint32_t>;
  struct Case {
    Regs regs;
    std::string message;  // after "URI: "
  };
  const Case cases[] = {
      {{}, "not an eBPF soft-CPU: the ID register reads 0x00000000, expected 0x65425046 "
           "(\"eBPF\") (nothing mapped at the CSR base?)"},
      {{{0x0, 0x12345678}}, "not an eBPF soft-CPU: the ID register reads 0x12345678, expected "
                            "0x65425046 (\"eBPF\")"},
      {{{0x0, 0xffffffff}}, "not an eBPF soft-CPU: the ID register reads 0xffffffff, expected "
                            "0x65425046 (\"eBPF\") (all ones: nothing answers; a PCIe device "
                            "that is disabled or gone reads so)"},
      {{{0x0, csr::kCoreId}, {0x4, 0x0002'0000}, {0x1c, 4096}},
       "unsupported device: VERSION reads 2.0; this host library drives version 1.x"},
      {{{0x0, csr::kCoreId}, {0x4, 0x0001'0000}, {0x1c, 3}},
       "implausible capability block: IMEM_SLOTS reads 3, expected a power of two from 1 to "
       "65536"},
      {{{0x0, csr::kCoreId}, {0x4, 0x0001'0000}, {0x1c, 1u << 17}},
       "implausible capability block: IMEM_SLOTS reads 131072, expected a power of two from 1 "
       "to 65536"},
  };
  for (const Case& c : cases) {
    test::FakeEtherbone fake(test::FakeEtherbone::registers(c.regs));
    EXPECT_EQ(open_error(fake.uri()), fake.uri() + ": " + c.message);
  }
  // A newer minor version and a smaller instruction memory are fine; a core without the
  // capability block (it reads 0) opens with no features, and cannot start runs.
  test::FakeEtherbone fake(test::FakeEtherbone::registers(
      {{0x0, csr::kCoreId}, {0x4, 0x0001'0007}, {0x1c, 16}}));
  Device dev = Device::open(fake.uri());
  EXPECT_EQ(dev.info().version_minor(), 7u);
  EXPECT_EQ(dev.info().imem_slots, 16u);
  EXPECT_FALSE(dev.info().has_capabilities);
  EXPECT_EQ(dev.info().features, 0u);
  std::vector<Insn> prog(17, Insn::make(0xb7, 0, 0, 0, 0));
  prog.back() = Insn::make(0x95, 0, 0, 0, 0);
  try {
    dev.load(prog);
    FAIL() << "17 slots loaded into 16";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "program has 17 slots; the instruction memory of " +
                                         fake.uri() + " holds 16 (IMEM_SLOTS)");
  }
}

class DeviceTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { server_ = new test::SimServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string uri(const std::string& kind) {
    if (kind == "udp") return server_->udp_uri();
    if (kind == "pcie_socket") return server_->pcie_uri();
    return kind + ":";
  }
  static test::SimServer* server_;
};
test::SimServer* DeviceTest::server_ = nullptr;

// The capability block: values a host cannot drive are refused, naming the register.
TEST(Device, RefusesAnImplausibleCapabilityBlock) {
  using Regs = std::map<uint32_t, uint32_t>;
  const Regs good = {{csr::kId, csr::kCoreId},         {csr::kVersion, csr::kCoreVersion},
                     {csr::kImemSlots, 4096},          {csr::kMapSlots, 32},
                     {csr::kMaxPrograms, 16},          {csr::kCapCores, 1},
                     {csr::kCapStackBytes, 4096},      {csr::kCapPacketBytes, 9530},
                     {csr::kCapMapvalBytes, 65536},    {csr::kCapEvtBytes, 65536},
                     {csr::kCapMapTypes, 1u << 2},     {csr::kCapFeatures, 7},
                     {csr::kObjinfoBytes, 4096},       {csr::kCapHelpers, 1u << 1}};
  struct Case {
    uint32_t reg, value;
    std::string message;  // after "URI: implausible capability block: "
  };
  const Case cases[] = {
      {csr::kCapCores, 0x100, "CAP_CORES reads 256, expected 1 to 255"},
      {csr::kCapStackBytes, 2048,
       "CAP_STACK_BYTES reads 2048, this host library expects 4096 (docs/register-map.md)"},
      {csr::kCapPacketBytes, 4096,
       "CAP_PACKET_BYTES reads 4096, this host library expects 9530 (docs/register-map.md)"},
      {csr::kMaxPrograms, 0, "MAX_PROGRAMS reads 0, expected 1 to 256"},
      {csr::kCapEvtBytes, 1u << 20, "CAP_EVT_BYTES reads 1048576, expected 0 to 65536"},
      {csr::kObjinfoBytes, 0,
       "CAP_FEATURES bit 2 (OBJINFO) is set but OBJINFO_BYTES reads 0"},
  };
  for (const Case& c : cases) {
    Regs regs = good;
    regs[c.reg] = c.value;
    test::FakeEtherbone fake(test::FakeEtherbone::registers(regs));
    EXPECT_EQ(open_error(fake.uri()), fake.uri() + ": implausible capability block: " + c.message);
  }
  test::FakeEtherbone fake(test::FakeEtherbone::registers(good));
  Device dev = Device::open(fake.uri());
  const DeviceInfo& in = dev.info();
  EXPECT_TRUE(in.has_capabilities);
  EXPECT_TRUE(in.has_helper(1));
  EXPECT_FALSE(in.has_helper(2));
  EXPECT_TRUE(in.has_map_type(2));
  EXPECT_FALSE(in.has_map_type(1));
  EXPECT_EQ(in.mapval_bytes, 65536u);
  // A program calling a helper this device lacks is refused at load, before anything is
  // written, with the instruction and the helper named.
  try {
    dev.load(assemble("mov %r0, 0\nmov %r1, 0\ncall 5\nexit\n"));
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), fake.uri() + ": program: instruction 2 calls helper 5 "
                                                  "(bpf_ktime_get_ns), which the device does "
                                                  "not implement (CAP_HELPERS)");
  }
}

TEST_P(DeviceTest, InfoAndLoadLimits) {
  Device dev = Device::open(uri(GetParam()));
  const DeviceInfo& in = dev.info();
  EXPECT_EQ(in.id, csr::kCoreId);
  EXPECT_EQ(in.version, csr::kCoreVersion);
  const bool interp = GetParam() == "interp";
  EXPECT_EQ(in.imem_slots, interp ? 65536u : 4096u);
  EXPECT_EQ(in.has_counters, !interp);
  EXPECT_EQ(dev.bus() == nullptr, interp);
  // The capability block, read in the same batch: the model's, or the interpreter's own.
  EXPECT_TRUE(in.has_capabilities);
  EXPECT_EQ(in.cores, 1u);
  EXPECT_EQ(in.stack_bytes, addr::kStackSize);
  EXPECT_EQ(in.packet_bytes, addr::kPacketBufferSize);
  EXPECT_EQ(in.event_bytes, 65536u);
  for (const HelperInfo& h : helpers()) EXPECT_TRUE(in.has_helper(h.id)) << h.name;
  EXPECT_FALSE(in.has_helper(4));  // bpf_probe_write_user: nobody implements it
  EXPECT_TRUE(in.has_map_type(static_cast<uint32_t>(MapType::kLpmTrie)));
  EXPECT_FALSE(in.has_map_type(7));  // BPF_MAP_TYPE_STACK_TRACE
  if (!interp) {
    EXPECT_EQ(in.features, DeviceInfo::kFeatRunSeq | DeviceInfo::kFeatMcmdSeq |
                               DeviceInfo::kFeatObjinfo | DeviceInfo::kFeatEvtHold);
    EXPECT_EQ(in.objinfo_bytes, 4096u);
    EXPECT_EQ(in.map_slots, 32u);
    EXPECT_EQ(in.max_programs, 16u);
    EXPECT_EQ(in.mapval_bytes, 8 * in.map_value_words);
    EXPECT_GT(in.map_buckets, 0u);
  }

  // The whole instruction memory loads; one more slot is refused.
  std::vector<Insn> prog(4096, Insn::make(0x07, 0, 0, 0, 1));  // r0 += 1
  prog.front() = Insn::make(0xb7, 0, 0, 0, 0);
  prog.back() = Insn::make(0x95, 0, 0, 0, 0);
  dev.load(prog);
  MemoryImage mem = conformance_memory({});
  const RunResult r = dev.test_run(mem);
  EXPECT_EQ(r.r0, 4094u);
  EXPECT_EQ(r.instructions, 4096u);
  prog.insert(prog.begin(), Insn::make(0xb7, 0, 0, 0, 0));
  if (!interp) {
    try {
      dev.load(prog);
      FAIL() << "4097 slots loaded";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "program has 4097 slots; the instruction memory of " +
                                           dev.uri() + " holds 4096 (IMEM_SLOTS)");
    }
  }
  // The checker speaks first, whatever the size.
  prog[3] = Insn::make(0xff, 0, 0, 0, 0);
  try {
    dev.load(prog);
    FAIL() << "an invalid opcode loaded";
  } catch (const Error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("instruction 3: ")) << e.what();
  }
}

// The same programs, inputs and outputs as the in-process rtl engine, cycles included.
TEST_P(DeviceTest, RunsAgreeWithTheRtlEngine) {
  if (GetParam() == "interp") GTEST_SKIP() << "the interpreter has no cycles";
  const auto files = collect_data_files({test::conformance_tests().string()});
  if (files.empty()) GTEST_SKIP() << "no conformance corpus at " << test::conformance_tests();
  // Two Verilator models in one thread: sim::Harness must be destroyed oldest first until
  // ~Harness makes its own context current (Verilator 5.006's ~VerilatedScope uses the
  // thread's current context, the newest one; destroying the newest first leaves it dangling
  // and the older model's destructor then hangs). Hence rtl before dev, and rtl.reset() below.
  auto rtl = make_rtl_engine();
  Device dev = Device::open(uri(GetParam()));
  int compared = 0;
  for (size_t i = 0; i < files.size(); i += 7) {
    const DataTest t = parse_data_file(files[i]);
    try {
      rtl->load(t.program);
    } catch (const Error&) {
      continue;  // refused at load: nothing to run
    }
    dev.load(t.program);
    MemoryImage a = conformance_memory(t.memory), b = conformance_memory(t.memory);
    const RunResult ra = rtl->run(a);
    const RunResult rb = dev.test_run(b);
    EXPECT_EQ(ra.r0, rb.r0) << files[i];
    EXPECT_EQ(ra.regs, rb.regs) << files[i];
    EXPECT_EQ(ra.fault, rb.fault) << files[i];
    EXPECT_EQ(ra.fault_pc, rb.fault_pc) << files[i];
    EXPECT_EQ(ra.instructions, rb.instructions) << files[i];
    EXPECT_EQ(ra.cycles, rb.cycles) << files[i];
    EXPECT_EQ(a.stack, b.stack) << files[i];
    EXPECT_EQ(a.packet, b.packet) << files[i];
    const DeviceCounters c = dev.counters();
    EXPECT_EQ(c.cycles, *rb.cycles);
    EXPECT_EQ(c.cycles, c.instructions + c.stall_load_use + c.stall_branch + c.stall_multicycle +
                            c.stall_helper + 1)
        << files[i];
    ++compared;
  }
  EXPECT_GT(compared, 30);
  rtl.reset();
}

TEST_P(DeviceTest, RunBeforeLoadAndCounters) {
  Device dev = Device::open(uri(GetParam()));
  MemoryImage mem = conformance_memory({});
  if (GetParam() == "interp") {
    EXPECT_THROW(dev.counters(), Error);
    return;
  }
  try {
    dev.test_run(mem);
    FAIL() << "ran without a program";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), dev.uri() + ": run() called before load()");
  }
  dev.load(assemble("mov %r0, 7\nexit\n"));
  try {
    dev.test_run(mem, {.cpu = 1});
    FAIL() << "ran on a second core";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              dev.uri() + ": RunOptions::cpu is 1; the device has one core (cpu 0)");
  }
  EXPECT_EQ(dev.test_run(mem).r0, 7u);
  EXPECT_EQ(dev.stats().runs, 1u);
}

INSTANTIATE_TEST_SUITE_P(Transports, DeviceTest,
                         ::testing::Values("sim", "interp", "udp", "pcie_socket"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace ebpf
