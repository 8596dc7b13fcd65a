// Device::check_compatible: objects and programs against a capability block. The block of
// the in-process model (sim:) and of the interpreter (interp:) accept every firmware object;
// a block that lacks a helper, a map type or table room refuses with the program, the
// instruction index and the helper, or the map and its type, named.
#include <gtest/gtest.h>

#include <filesystem>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/object.h"

namespace ebpf {
namespace {

namespace fs = std::filesystem;

fs::path firmware(const std::string& name) {
  return fs::path(EBPF_FPGA_BINARY_DIR) / "firmware" / name;
}

std::string refusal(const DeviceInfo& info, const Object& obj) {
  try {
    check_compatible(info, obj);
  } catch (const Error& e) {
    return e.what();
  }
  return "(accepted)";
}

// The first helper call of an object: (program, instruction index, helper id).
struct Call {
  std::string prog;
  size_t index;
  int32_t id;
};
std::optional<Call> first_call(const Object& obj) {
  for (const ProgramSpec& p : obj.programs()) {
    for (size_t i = 0; i < p.insns.size(); ++i) {
      const Insn& in = p.insns[i];
      if (in.opcode == 0x18) {
        ++i;
        continue;
      }
      if (in.opcode == 0x85 && in.src() == 0) return Call{p.name, i, in.imm};
    }
  }
  return std::nullopt;
}

TEST(DeviceCompat, SimAndInterpAcceptEveryFirmwareObject) {
  const char* names[] = {"firewall.o", "sampler.o", "router.o", "tail_chain.o", "katran_lb.o",
                         "proto_count.o", "dns_filter.o"};
  Device sim = Device::open("sim:");
  Device interp = Device::open("interp:");
  EXPECT_TRUE(sim.info().has_capabilities);
  EXPECT_EQ(sim.info().cores, 1u);
  EXPECT_EQ(sim.info().stack_bytes, addr::kStackSize);
  EXPECT_EQ(sim.info().objinfo_bytes, csr::kObjinfoSize);
  EXPECT_TRUE(sim.info().has_feature(DeviceInfo::kFeatRunSeq | DeviceInfo::kFeatMcmdSeq |
                                     DeviceInfo::kFeatObjinfo | DeviceInfo::kFeatEvtHold));
  // No bit beyond the four features the RTL implements is claimed.
  EXPECT_EQ(sim.info().features & ~0xfu, 0u);
  // The model's helpers and map types are the interpreter's.
  for (uint32_t w = 0; w < 8; ++w) EXPECT_EQ(sim.info().helpers[w], interp.info().helpers[w]);
  EXPECT_EQ(sim.info().map_types, interp.info().map_types);
  EXPECT_EQ(sim.info().mapval_bytes, 8 * sim.info().map_value_words);
  unsigned opened = 0;
  for (const char* n : names) {
    if (!fs::exists(firmware(n))) continue;
    const Object obj = Object::open_file(firmware(n).string());
    EXPECT_NO_THROW(sim.check_compatible(obj)) << n;
    EXPECT_NO_THROW(interp.check_compatible(obj)) << n;
    ++opened;
  }
  if (opened == 0) GTEST_SKIP() << "no firmware objects under " << firmware("");
}

TEST(DeviceCompat, RefusesWhatTheBlockLacks) {
  if (!fs::exists(firmware("firewall.o"))) GTEST_SKIP() << "firmware not built";
  const Object obj = Object::open_file(firmware("firewall.o").string());
  ASSERT_FALSE(obj.maps().empty());
  const auto call = first_call(obj);
  ASSERT_TRUE(call);
  const DeviceInfo full = Device::open("sim:").info();
  EXPECT_EQ(refusal(full, obj), "(accepted)");

  DeviceInfo no_helper = full;
  no_helper.helpers[call->id / 32] &= ~(1u << (call->id % 32));
  const auto h = find_helper(call->id);
  ASSERT_TRUE(h);
  EXPECT_EQ(refusal(no_helper, obj),
            "sim:: " + obj.name() + ": program " + call->prog + ": instruction " +
                std::to_string(call->index) + " calls helper " + std::to_string(call->id) +
                " (bpf_" + std::string(h->name) + "), which the device does not implement " +
                "(CAP_HELPERS)");

  const MapSpec& m = obj.maps()[0];
  DeviceInfo no_type = full;
  no_type.map_types &= ~(1u << static_cast<uint32_t>(m.type));
  const std::string r = refusal(no_type, obj);
  EXPECT_TRUE(r.starts_with("sim:: " + obj.name() + ": map '" + m.name + "' has type ")) << r;
  EXPECT_TRUE(r.ends_with("(" + std::to_string(static_cast<uint32_t>(m.type)) +
                          "), which the device's map unit does not implement (CAP_MAP_TYPES)"))
      << r;

  DeviceInfo few_maps = full;
  few_maps.map_slots = static_cast<uint32_t>(obj.maps().size() - 1);
  EXPECT_EQ(refusal(few_maps, obj),
            "sim:: " + obj.name() + ": " + std::to_string(obj.maps().size()) +
                " maps; the device holds " + std::to_string(few_maps.map_slots) + " (MAP_SLOTS)");

  DeviceInfo few_progs = full;
  few_progs.max_programs = static_cast<uint32_t>(obj.programs().size() - 1);
  if (obj.programs().size() > 1 || few_progs.max_programs == 0) {
    EXPECT_NE(refusal(few_progs, obj).find("(MAX_PROGRAMS)"), std::string::npos);
  }

  DeviceInfo small = full;
  small.imem_slots = 4;
  EXPECT_NE(refusal(small, obj).find("slots; the instruction memory holds 4 (IMEM_SLOTS)"),
            std::string::npos);

  // Without a capability block only the instruction memory is known.
  DeviceInfo old = no_type;
  old.has_capabilities = false;
  old.helpers[call->id / 32] = 0;
  EXPECT_EQ(refusal(old, obj), "(accepted)");
}

// Device::load refuses a helper this library knows but the device lacks; an id nobody
// implements is left to fault at run time (as the conformance programs expect).
TEST(DeviceCompat, LoadRefusesAKnownHelperTheDeviceLacks) {
  DeviceInfo info = Device::open("sim:").info();
  const auto prog = assemble("mov %r0, 0\ncall 7\ncall 9999\nexit\n");
  info.helpers[0] &= ~(1u << 7);
  try {
    check_compatible(info, prog, "probe");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "sim:: probe: instruction 1 calls helper 7 (bpf_get_prandom_u32), which the "
              "device does not implement (CAP_HELPERS)");
  }
  Device sim = Device::open("sim:");
  const auto unknown = assemble("mov %r0, 0\ncall 9999\nexit\n");
  EXPECT_NO_THROW(sim.load(unknown, LoadOptions{.check = false}));
  try {
    sim.check_compatible(unknown, "probe");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "sim:: probe: instruction 1 calls helper 9999, which the "
                                     "device does not implement (CAP_HELPERS)");
  }
}

}  // namespace
}  // namespace ebpf
