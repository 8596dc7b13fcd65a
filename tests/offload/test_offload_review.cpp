// Review fixes of the offload API (issue #6): an object the load-time checker refuses leaves
// the device as it was (attached, same program, maps and manifest).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
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

using test::error_of;

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
  if (!dev.info().has_io) GTEST_SKIP() << "no packet I/O block";
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

// Manifests with a valid checksum and fields out of range, written to the OBJINFO window
// through the bus: each is a clear ebpf::Error naming the field, from read_manifest and from
// open_loaded; the good manifest written back is read again.
TEST(OffloadReview, ManifestFieldsAreRangeChecked) {
  if (!std::ifstream(fw("firewall.o"))) GTEST_SKIP() << "firmware not built";
  test::SimServer server;
  Device dev = Device::open(server.udp_uri());
  const DeviceInfo& caps = dev.info();
  if (!caps.has_feature(DeviceInfo::kFeatObjinfo)) GTEST_SKIP() << "no OBJINFO window";
  OffloadObject off = OffloadObject::load(dev, Object::open_file(fw("firewall.o")));
  const Manifest good = read_manifest(dev).value();
  ASSERT_GE(good.maps.size(), 2u);
  const std::string where = "object info on " + server.udp_uri() + " is corrupt: ";
  struct Case {
    std::string expect;
    std::function<void(Manifest&)> edit;
  };
  const std::string m0 = "map 0 ('" + good.maps[0].name + "'): ";
  const std::string m1 = "map 1 ('" + good.maps[1].name + "'): ";
  const std::string p0 = "program 0 ('" + good.programs[0].name + "'): ";
  std::vector<Case> cases = {
      {m1 + "index 7, expected its position 1", [](Manifest& m) { m.maps[1].index = 7; }},
      {m0 + "type 99 (unknown(99)) is not a supported map type",
       [](Manifest& m) { m.maps[0].type = 99; }},
      {m0 + "key size 513 is outside 1..512 (KBUF)", [](Manifest& m) { m.maps[0].key_size = 513; }},
      {m0 + "key size 0 is outside 1..512 (KBUF)", [](Manifest& m) { m.maps[0].key_size = 0; }},
      {m0 + "value size 4096 is outside 1..1024 (VBUF)",
       [](Manifest& m) { m.maps[0].value_size = 4096; }},
      {m0 + "value size 0 is outside 1..1024 (VBUF)", [](Manifest& m) { m.maps[0].value_size = 0; }},
      {p0 + "slots 4294967280+" + std::to_string(good.programs[0].insns) +
           " do not fit the instruction memory (65536 slots)",
       [](Manifest& m) { m.programs[0].first = 0xfffffff0u; }},
      {p0 + "slots 1+" + std::to_string(caps.imem_slots) + " do not fit the instruction memory (" +
           std::to_string(caps.imem_slots) + " slots)",
       [&](Manifest& m) {
         m.programs[0].first = 1;
         m.programs[0].insns = caps.imem_slots;
       }},
      {"map 1 ('" + good.maps[0].name + "'): name used twice",
       [](Manifest& m) { m.maps[1].name = m.maps[0].name; }},
  };
  // More maps than the device has slots, when such a manifest fits the window.
  Manifest many = good;
  while (many.maps.size() <= caps.map_slots) {
    ManifestMap mm = good.maps[0];
    mm.name = "m";  // appended, not "m" + ...: GCC 12 warns falsely (-Wrestrict) on that
    mm.name += std::to_string(many.maps.size());
    mm.index = static_cast<uint32_t>(many.maps.size());
    many.maps.push_back(mm);
  }
  if (encode_manifest(many).size() <= caps.objinfo_bytes) {
    const uint32_t last = caps.map_slots;
    const std::string n = std::to_string(last);
    std::string expect = "map ";
    expect += n + " ('m" + n + "'): index " + n + " is past the device's " + n +
              " map slots (MAP_SLOTS)";
    cases.push_back({expect, [&](Manifest& m) { m = many; }});
  }
  Device other_dev = Device::open(server.udp_uri());
  for (const Case& c : cases) {
    Manifest bad = good;
    c.edit(bad);
    write_objinfo_raw(dev, encode_manifest(bad));
    EXPECT_EQ(error_of([&] { read_manifest(dev); }), where + c.expect);
    EXPECT_EQ(error_of([&] { OffloadObject::open_loaded(other_dev); }), where + c.expect);
  }
  write_objinfo_raw(dev, encode_manifest(good));
  EXPECT_EQ(OffloadObject::open_loaded(other_dev).manifest().object, good.object);
}

}  // namespace
}  // namespace ebpf
