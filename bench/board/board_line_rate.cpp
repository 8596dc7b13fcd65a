// board_line_rate: does the simulated board keep up with Gigabit line rate?
//
// The Verilated board (boards/sim/sim_board_top.sv: ebpf_fpga_core, i.e. our GMII MAC, the
// RX/TX FIFOs and their clock-domain crossings, and ebpf_xdp_top with the soft-CPU) with its
// GMII clock at 125 MHz and the core clock divided from it (5: 25 MHz, the boards' core
// clock; 4: 31.25; 3: 41.67; 2: 62.5). A program is loaded over Etherbone through the board's
// own MAC and UDP RTL, as a host would; then N minimum-size frames (64 bytes with the FCS:
// 7 + 1 preamble/SFD bytes and a 12-byte gap, 84 byte times each, 1.488 Mpps) go in on GMII
// RX back to back. The board's own counters say what became of them: verdicts
// (IO_CNT_ACTION), frames lost because the data FIFO was full (NET RX_DATA_OVF: the datapath
// was too slow); XDP_TX frames are counted as they leave GMII TX (XDP_PASS frames go to the
// board's host port, which sim_board_top drains). The counter programs' map is read back
// and must hold one count per verdict. A program keeps up when nothing is lost; one that
// does not carries about that share of line rate (the data FIFO absorbs the first few dozen
// frames of the burst, so the share is a little high for short runs).
//
// Run: build/bench/board/board_line_rate [frames per run, default 2000]
// Prints a Markdown table (docs/boards.md "Line rate through the simulated board").
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "board_host.h"
#include "board_model.h"
#include "csr_protocol.h"
#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_io_map.h"
#include "eth_frames.h"
#include "xdp_sample_programs.h"

namespace {

using namespace ebpf;
namespace brd = sim::board;
namespace eth = sim::eth;
using Bytes = std::vector<uint8_t>;

constexpr eth::Endpoint kHost{0x02'68'6f'73'74'03ull, 0xc0a8'0166, 40'001};
constexpr uint32_t kNetRxData = csr::kPageNet + 4 * 14;
constexpr uint32_t kNetRxDataOvf = csr::kPageNet + 4 * 16;

using sim::samples::kDrop;
using sim::samples::kMacSwap;
using sim::samples::kPass;

// xdp1's pattern: a per-IP-protocol packet counter in an ARRAY map (map_lookup_elem and an
// atomic add), then the action ACTION.
constexpr const char* kCountTemplate = R"(
  ldxw %r2, [%r1+0]
  ldxw %r3, [%r1+4]
  mov %r4, %r2
  add %r4, 24
  jgt %r4, %r3, out
  ldxb %r5, [%r2+23]
  stxw [%r10-4], %r5
  mov %r2, %r10
  add %r2, -4
  lddw %r1, map[0]
  call 1
  jeq %r0, 0, out
  mov %r1, 1
  lock add [%r0+0], %r1
out:
  mov %r0, ACTION
  exit
)";

std::string count_then(int action) {
  std::string s = kCountTemplate;
  s.replace(s.find("ACTION"), 6, std::to_string(action));
  return s;
}

struct Program {
  const char* name;
  std::string text;
  bool counter_map;
  int action;  // 1 DROP, 2 PASS, 3 TX
};

// A 60-byte IPv4/UDP frame (64 with the FCS) to a host behind the board: data plane.
Bytes data_frame(uint16_t id) {
  const eth::Endpoint src{0x02'00'00'00'0a'01ull, 0x0a00'0001, 1000};
  const eth::Endpoint dst{0x02'00'00'00'0b'02ull, 0x0a00'0102, 2000};
  Bytes payload(18);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(id + i);
  return eth::udp_frames(src, dst, payload, id).at(0);
}

struct Result {
  unsigned frames = 0;
  uint32_t verdicts = 0, right_action = 0, lost_full = 0, rx_data = 0;
  uint64_t sent = 0, counted = 0;
  uint64_t gmii_cycles = 0;   // simulated, frames and drain
  double sim_seconds = 0;
};

Result run(const Program& p, unsigned divider, unsigned n) {
  brd::BoardModelOptions mo;
  mo.core_clock_divider = divider;
  brd::BoardModel m(mo);
  brd::BoardHost h(m, kHost);
  brd::BoardHostIo io(h);

  const std::vector<Insn> prog = assemble(p.text);
  device::CsrMapPort port(io, "sim board");
  MapUnitDriver driver(port);
  if (p.counter_map) {
    std::vector<MapSpec> maps(1);
    maps[0].name = "proto_count";
    maps[0].type = MapType::kArray;
    maps[0].key_size = 4;
    maps[0].value_size = 8;
    maps[0].max_entries = 256;
    device::configure_map_set(io, driver, maps, {});
  }
  const std::span<const Insn> progs[] = {prog};
  device::load_program_set(io, "sim board", progs, 0, LoadOptions{}, h.read(csr::kImemSlots),
                           h.read(csr::kMaxPrograms));
  io.write64(csr::kBudgetLo, 100'000);
  io.write(io_csr::kCtrl, io_csr::kCtrlEnable | io_csr::kCtrlClear);
  const std::vector<uint32_t> net0 = h.read({kNetRxData, kNetRxDataOvf});
  const size_t out0 = h.others.size();

  for (unsigned i = 0; i < n; ++i) h.send(data_frame(static_cast<uint16_t>(i)));
  const uint64_t t0 = m.cycles();
  const auto w0 = std::chrono::steady_clock::now();
  // Every symbol onto the pins, then long enough for the fullest FIFO to drain at the slowest
  // program's rate (the counters are read only then: a read is a frame on the same port).
  while (m.rx_pending() != 0) h.run(256);
  h.run(200'000);
  const uint64_t t_end = m.cycles();
  const auto w1 = std::chrono::steady_clock::now();

  std::vector<uint32_t> addrs;
  for (uint32_t a = 0; a < 5; ++a) addrs.push_back(io_csr::kCntAction + 4 * a);
  addrs.push_back(kNetRxData);
  addrs.push_back(kNetRxDataOvf);
  const std::vector<uint32_t> v = h.read(addrs);
  Result r;
  r.frames = n;
  for (int a = 0; a < 5; ++a) r.verdicts += v[a];
  r.right_action = v[p.action];
  r.rx_data = v[5] - net0[0];
  r.lost_full = v[6] - net0[1];
  r.sent = h.others.size() - out0;
  if (p.counter_map) {
    const uint8_t key[4] = {17, 0, 0, 0};   // IPPROTO_UDP
    uint8_t value[8] = {};
    if (driver.lookup(0, key, value) != 0) throw Error("the counter map has no entry 17");
    for (int b = 7; b >= 0; --b) r.counted = (r.counted << 8) | value[b];
  }
  r.gmii_cycles = t_end - t0;
  r.sim_seconds = std::chrono::duration<double>(w1 - w0).count();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 2000;
  if (n < 16 || n > 1'000'000) {
    std::fprintf(stderr, "board_line_rate: frames per run must be 16 to 1000000\n");
    return 2;
  }
  const std::vector<Program> programs = {
      {"xdp_drop", kDrop, false, 1},
      {"xdp_pass", kPass, false, 2},
      {"mac_swap + XDP_TX", kMacSwap, false, 3},
      {"proto counter + XDP_DROP", count_then(1), true, 1},
      {"proto counter + XDP_PASS", count_then(2), true, 2},
  };
  const unsigned dividers[] = {5, 4, 3, 2};
  std::printf("%ld frames of 64 bytes (FCS included) back to back at 1 Gbit/s line rate "
              "(84 byte times each: 1.488 Mpps), GMII clock 125 MHz\n\n", n);
  std::printf("| program | core clock | verdicts | lost, data FIFO full | frames out on GMII TX "
              "| carried | kept up |\n|---|---:|---:|---:|---:|---:|---|\n");
  try {
    for (const Program& p : programs) {
      for (unsigned d : dividers) {
        const Result r = run(p, d, static_cast<unsigned>(n));
        if (r.right_action != r.verdicts) {
          std::fprintf(stderr, "board_line_rate: %s: %u of %u verdicts are not action %d\n",
                       p.name, r.verdicts - r.right_action, r.verdicts, p.action);
          return 1;
        }
        if (p.counter_map && r.counted != r.verdicts) {
          std::fprintf(stderr, "board_line_rate: %s: the map counted %llu frames, %u verdicts\n",
                       p.name, static_cast<unsigned long long>(r.counted), r.verdicts);
          return 1;
        }
        if (p.action == 3 && r.sent != r.verdicts) {
          std::fprintf(stderr, "board_line_rate: %s: %llu frames out, %u verdicts\n", p.name,
                       static_cast<unsigned long long>(r.sent), r.verdicts);
          return 1;
        }
        if (r.verdicts + r.lost_full != r.frames || r.rx_data != r.frames) {
          std::fprintf(stderr,
                       "board_line_rate: %s: %u frames sent, %u reached the data path, %u "
                       "verdicts + %u lost to a full FIFO do not add up\n",
                       p.name, r.frames, r.rx_data, r.verdicts, r.lost_full);
          return 1;
        }
        std::printf("| %s | %.2f MHz | %u | %u | %llu | %.1f%% | %s |\n", p.name, 125.0 / d,
                    r.verdicts, r.lost_full, static_cast<unsigned long long>(r.sent),
                    100.0 * r.verdicts / r.frames, r.lost_full == 0 ? "yes" : "**no**");
        std::fflush(stdout);
        std::fprintf(stderr, "  (%s, divider %u: %.1f s of simulation for %llu GMII cycles)\n",
                     p.name, d, r.sim_seconds, static_cast<unsigned long long>(r.gmii_cycles));
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "board_line_rate: %s\n", e.what());
    return 1;
  }
  return 0;
}
