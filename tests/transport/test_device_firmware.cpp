// The device engine over udp:// against `ebpf-fpga-sim serve`, end to end, with firmware
// programs that use maps, events, tail calls and redirects: the program set, the map command
// block (program table, KBUF/VBUF/MAPDESC, MINFO), the event window and the map value window
// all go over Etherbone. Every packet of the program's corpus (build/firmware/pcap) runs on
// the device and on the reference interpreter, with the corpus's map-init applied to both;
// action, output bytes, events, redirect target, fault and every map's contents must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ebpf_fpga/device.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/object.h"
#include "ebpf_fpga/pcap_io.h"
#include "ebpf_fpga/xdp_report.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

std::string firmware_dir() { return EBPF_FPGA_FIRMWARE_DIR; }

struct Corpus {
  std::string program;  // object and corpus name
  std::string entry;    // entry function
};
void PrintTo(const Corpus& c, std::ostream* os) { *os << c.program; }

// Loads every program of `obj` (entry first to run), configures its maps, fills PROG_ARRAYs
// and applies the map-init, as `ebpf-fpga run` does on an engine.
void load_object(Engine& e, const Object& obj, const ProgramSpec& entry, const MapInit& init,
                 const std::string& init_source) {
  const auto& programs = obj.programs();
  auto it = std::find_if(programs.begin(), programs.end(), [&](const ProgramSpec& p) {
    return p.name == entry.name && p.section == entry.section;
  });
  ASSERT_NE(it, programs.end());
  std::vector<std::vector<Insn>> progs;
  for (const ProgramSpec& p : programs) progs.push_back(p.insns);
  e.load_programs(progs, static_cast<size_t>(it - programs.begin()));
  e.configure_maps(obj.maps());
  ASSERT_NE(e.maps(), nullptr) << e.name() << " has no map access";
  init_prog_arrays(*e.maps(), obj.maps(), programs);
  apply_map_init(*e.maps(), init, init_source);
}

class DeviceFirmwareOverUdp : public ::testing::TestWithParam<Corpus> {
 protected:
  static void SetUpTestSuite() { server_ = new test::SimServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static test::SimServer* server_;
};
test::SimServer* DeviceFirmwareOverUdp::server_ = nullptr;

TEST_P(DeviceFirmwareOverUdp, MatchesTheInterpreterPacketByPacket) {
  const std::string object = firmware_dir() + "/" + GetParam().program + ".o";
  const std::string base = firmware_dir() + "/pcap/" + GetParam().program;
  if (!std::ifstream(object) || !std::ifstream(base + ".pcap")) {
    GTEST_SKIP() << object << " or " << base << ".pcap not built (clang or libpcap missing?)";
  }
  const Object obj = Object::open_file(object);
  const ProgramSpec& entry = obj.select_program(GetParam().entry, std::nullopt);
  MapInit init;
  if (std::ifstream(base + ".map-init.json")) init = read_map_init_file(base + ".map-init.json");
  const auto frames = read_pcap_file(base + ".pcap");
  ASSERT_FALSE(frames.empty());

  Device dev = Device::open(server_->udp_uri());
  Engine& device = dev.engine();
  auto interp = make_engine("interp");
  ASSERT_NO_FATAL_FAILURE(load_object(device, obj, entry, init, base + ".map-init.json"));
  ASSERT_NO_FATAL_FAILURE(load_object(*interp, obj, entry, init, base + ".map-init.json"));
  // The map-init went over Etherbone: the maps read back the same before any packet.
  for (uint32_t m = 0; m < obj.maps().size(); ++m) {
    EXPECT_EQ(dump_map(*device.maps(), m), dump_map(*interp->maps(), m))
        << "map " << obj.maps()[m].name << " after load";
  }

  size_t events = 0, redirects = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    MemoryImage a;
    a.has_ctx = true;
    a.set_packet(frames[i].bytes);
    a.ingress_ifindex = 1;
    MemoryImage b = a;
    const RunResult rd = device.run(a), ri = interp->run(b);
    const std::string at = GetParam().program + " packet " + std::to_string(i);
    EXPECT_EQ(fault_name(xdp_fault(rd)), fault_name(xdp_fault(ri))) << at;
    EXPECT_EQ(xdp_action(rd), xdp_action(ri)) << at;
    EXPECT_EQ(rd.program, ri.program) << at;
    EXPECT_EQ(rd.tail_calls, ri.tail_calls) << at;
    EXPECT_EQ(rd.events, ri.events) << at;
    EXPECT_EQ(rd.redirect, ri.redirect) << at;
    const auto da = a.packet_data(), db = b.packet_data();
    EXPECT_EQ(std::vector<uint8_t>(da.begin(), da.end()),
              std::vector<uint8_t>(db.begin(), db.end()))
        << at << ": output bytes";
    EXPECT_TRUE(rd.cycles.has_value()) << at << ": the device reports its cycles";
    // The maps after every packet (read over Etherbone from the map value window and the
    // map command block).
    for (uint32_t m = 0; m < obj.maps().size(); ++m) {
      EXPECT_EQ(dump_map(*device.maps(), m), dump_map(*interp->maps(), m))
          << at << ": map " << obj.maps()[m].name;
    }
    events += ri.events.size();
    redirects += ri.redirect.has_value() ? 1 : 0;
  }
  std::cout << "[ device ] " << GetParam().program << " over " << server_->udp_uri() << ": "
            << frames.size() << " packets, " << events << " events, " << redirects
            << " redirects, " << obj.maps().size() << " maps compared after each packet\n";
}

// firewall: hash map with map-init, counters; proto_count: per-protocol counters; router:
// LPM/hash maps with map-init and redirects; sampler: perf events; tail_chain: PROG_ARRAY.
INSTANTIATE_TEST_SUITE_P(Firmware, DeviceFirmwareOverUdp,
                         ::testing::Values(Corpus{"firewall", "firewall"},
                                           Corpus{"proto_count", "proto_count"},
                                           Corpus{"router", "router"},
                                           Corpus{"sampler", "sampler"},
                                           Corpus{"tail_chain", "tail_entry"}),
                         [](const auto& p) { return p.param.program; });

}  // namespace
}  // namespace ebpf
