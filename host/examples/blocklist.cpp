// blocklist: load a packet filter onto a device, block a service while packets flow, and print
// the packets per XDP action (docs/host.md, "A host program").
//
//   blocklist DEVICE_URI FIREWALL.o FRAMES.pcap
//
// The filter is firmware/xdp/firewall.bpf.c: its `rules` map (key {protocol, 0, port in
// network order}, value an XDP action) allows a service with XDP_PASS and blocks it with
// XDP_DROP. The program allows SSH, HTTP, DNS and ICMP, then:
//  - on a device with a packet I/O block (a board, or `ebpf-fpga-sim serve --pcap
//    FRAMES.pcap --loop N`), attaches the filter, lets frames flow for 0.5 s, blocks DNS
//    while they flow, and prints the device's frame counters per action before and after;
//  - elsewhere (interp:), injects the frames of FRAMES.pcap as test runs (the offloaded
//    BPF_PROG_TEST_RUN), blocks DNS halfway through, and prints the verdicts per action.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>
#include <vector>

#include <ebpf_fpga/device.h>
#include <ebpf_fpga/error.h>
#include <ebpf_fpga/object.h>
#include <ebpf_fpga/offload.h>

namespace {

// The frames of a classic pcap file (little- or big-endian, any link type).
std::vector<std::vector<uint8_t>> read_pcap(const char* path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), {});
  if (b.size() < 24) throw std::runtime_error(std::string(path) + ": not a pcap file");
  const uint32_t magic = b[0] | b[1] << 8 | b[2] << 16 | uint32_t{b[3]} << 24;
  const bool swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
  if (!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
    throw std::runtime_error(std::string(path) + ": not a pcap file");
  }
  auto u32 = [&](size_t o) {
    const uint32_t v = b[o] | b[o + 1] << 8 | b[o + 2] << 16 | uint32_t{b[o + 3]} << 24;
    return swap ? __builtin_bswap32(v) : v;
  };
  std::vector<std::vector<uint8_t>> frames;
  for (size_t off = 24; off + 16 <= b.size();) {
    const uint32_t len = u32(off + 8);
    if (off + 16 + len > b.size()) throw std::runtime_error(std::string(path) + ": truncated");
    frames.emplace_back(b.begin() + static_cast<std::ptrdiff_t>(off + 16),
                        b.begin() + static_cast<std::ptrdiff_t>(off + 16 + len));
    off += 16 + len;
  }
  return frames;
}

std::vector<uint8_t> rule(uint8_t proto, uint16_t port) {
  return {proto, 0, static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)};
}
std::vector<uint8_t> action(uint32_t a) { return {static_cast<uint8_t>(a), 0, 0, 0}; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DEVICE_URI FIREWALL.o FRAMES.pcap\n", argv[0]);
    return 2;
  }
  try {
    ebpf::Device dev = ebpf::Device::open(argv[1]);
    const ebpf::Object obj = ebpf::Object::open_file(argv[2]);
    ebpf::OffloadObject fw = ebpf::OffloadObject::load(
        dev, obj, {.program = "firewall", .section = std::nullopt});
    ebpf::OffloadMap& rules = fw.map("rules");
    for (const auto& key : {rule(6, 22), rule(6, 80), rule(17, 53), rule(1, 0)}) {
      rules.update(key, action(ebpf::kXdpPass), ebpf::kBpfNoexist);
    }
    static const char* const kNames[5] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
                                          "XDP_REDIRECT"};
    if (dev.info().has_io) {
      // A board (or `ebpf-fpga-sim serve --pcap FRAMES.pcap --loop N`): frames from its
      // ports flow through the filter once it is attached.
      fw.clear_io_counters();
      fw.attach();
      auto show = [&](const char* when) {
        const ebpf::IoCounters c = fw.io_counters();
        std::printf("%-14s", when);
        for (int a = 0; a < 5; ++a) std::printf(" %s %u", kNames[a], c.action[a]);
        std::printf("\n");
      };
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      show("attached:");
      // Block DNS while frames flow: one exactly-once map command, with the flow paused for
      // it (detach waits for the frame in flight; frames wait upstream meanwhile). Updates
      // without the pause are not safe yet (docs/host.md, "The simulated board").
      fw.detach();
      const int rc = rules.update(rule(17, 53), action(ebpf::kXdpDrop), ebpf::kBpfExist);
      fw.attach();
      if (rc != 0) throw std::runtime_error("the DNS rule was not there");
      show("DNS blocked:");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      show("after 0.5 s:");
      fw.detach();
    } else {
      // No packet I/O block: the frames of the pcap are injected as test runs.
      const auto frames = read_pcap(argv[3]);
      uint64_t counts[5] = {};
      for (size_t i = 0; i < frames.size(); ++i) {
        if (i == frames.size() / 2) {
          if (rules.update(rule(17, 53), action(ebpf::kXdpDrop), ebpf::kBpfExist) != 0) {
            throw std::runtime_error("the DNS rule was not there");
          }
          std::printf("after %zu packets: DNS blocked\n", i);
        }
        const ebpf::XdpPacketOut out = fw.test_run({frames[i], 1, 0});
        ++counts[out.action < 5 ? out.action : 0];
      }
      std::printf("%zu packets through %s on %s\n", frames.size(), obj.name().c_str(),
                  dev.uri().c_str());
      for (int a = 0; a < 5; ++a) {
        std::printf("  %-13s %llu\n", kNames[a], static_cast<unsigned long long>(counts[a]));
      }
    }
    const auto dns = rules.lookup(rule(17, 53));
    std::printf("rules: %zu entries; DNS -> %s\n", rules.entries().size(),
                dns && (*dns)[0] == ebpf::kXdpDrop ? "XDP_DROP" : "XDP_PASS");
    fw.unload();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "blocklist: %s\n", e.what());
    return 1;
  }
}
