// Review fixes of the offload API (issue #6): an object the load-time checker refuses leaves
// the device as it was (attached, same program, maps and manifest).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/offload.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

std::string fw(const std::string& name) { return std::string(EBPF_FPGA_FIRMWARE_DIR) + "/" + name; }

std::vector<uint8_t> file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// xdp_pass.o with its first instruction's destination register set to r11, which the
// load-time checker refuses (the ELF loader does not look at register numbers).
Object broken_xdp_pass() {
  std::vector<uint8_t> elf = file_bytes(fw("xdp_pass.o"));
  const Object good = Object::open_file(fw("xdp_pass.o"));
  const auto& insns = good.programs().at(0).insns;
  std::vector<uint8_t> text(8 * insns.size());
  for (size_t i = 0; i < insns.size(); ++i) {
    const uint64_t raw = insns[i].raw();
    std::memcpy(&text[8 * i], &raw, 8);
  }
  auto it = std::search(elf.begin(), elf.end(), text.begin(), text.end());
  if (it == elf.end()) throw Error("xdp_pass.o: its program bytes were not found in the file");
  it[1] = static_cast<uint8_t>((it[1] & 0xf0) | 0x0b);
  return Object::open_memory(elf, "broken_pass.o");
}

TEST(OffloadReview, CheckerRefusalLeavesTheDeviceAttachedAndLoaded) {
  if (!std::ifstream(fw("firewall.o")) || !std::ifstream(fw("xdp_pass.o"))) {
    GTEST_SKIP() << "firmware not built";
  }
  test::SimServer server;
  Device dev = Device::open(server.udp_uri());
  const Object obj = Object::open_file(fw("firewall.o"));
  OffloadObject off = OffloadObject::load(dev, obj);
  apply_map_init(off.map_access(), read_map_init_file(fw("pcap/firewall.map-init.json")),
                 "firewall");
  if (!off.capabilities().io_block) GTEST_SKIP() << "no packet I/O block";
  off.attach();
  const auto rules = off.map("rules").entries();
  ASSERT_EQ(rules.size(), 4u);

  const Object bad = broken_xdp_pass();
  const std::string e = error_of([&] { OffloadObject::load(dev, bad); });
  EXPECT_NE(e.find("broken_pass.o on " + server.udp_uri() + ": program '" +
                   bad.programs().at(0).name + "': instruction 0"),
            std::string::npos)
      << e;
  // The device is as it was: attached, the first object's manifest, program and maps.
  EXPECT_TRUE(off.attached());
  const auto m = read_manifest(dev);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->object, obj.name());
  Device other_dev = Device::open(server.udp_uri());
  OffloadObject other = OffloadObject::open_loaded(other_dev);
  EXPECT_EQ(other.entry().name, "firewall");
  EXPECT_EQ(other.entry().tag, program_tag(obj.programs()[0].insns));
  EXPECT_EQ(other.map("rules").entries(), rules);
}

}  // namespace
}  // namespace ebpf
