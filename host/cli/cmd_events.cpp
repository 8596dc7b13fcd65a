// ebpf-fpga events [--device URI] [--count N] [--timeout S] [--json]
//                  [--object OBJ --pcap IN.pcap ...]
//
// Streams the events programs send (bpf_perf_event_output, bpf_ringbuf_output,
// bpf_trace_printk), like bpftool's `map event_pipe` and the trace pipe: from a device that
// keeps them while frames flow (CAP_FEATURES.EVT_HOLD), or from the test runs of the packets
// of --pcap on the object loaded with --object (docs/cli/events.md).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "commands.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/pcap_io.h"

namespace ebpf::cli {
namespace {

void print_event(const Event& ev, const Manifest& m, bool json) {
  const std::string map = ev.kind == EventKind::kTracePrintk ? ""
                          : ev.map < m.maps.size()          ? m.maps[ev.map].name
                                                            : std::to_string(ev.map);
  if (json) {
    std::string s = "{\"kind\": \"" + std::string(event_kind_name(ev.kind)) + "\"";
    if (ev.kind == EventKind::kTracePrintk) {
      s += ", \"text\": " + json_quote(format_trace_printk(ev));
    } else {
      std::string hex;
      char b[4];
      for (uint8_t c : ev.bytes) {
        std::snprintf(b, sizeof b, "%02x", c);
        hex += b;
      }
      s += ", \"map\": " + json_quote(map) + ", \"index\": " + std::to_string(ev.index) +
           ", \"data\": \"" + hex + "\"";
    }
    std::printf("%s}\n", s.c_str());
  } else if (ev.kind == EventKind::kTracePrintk) {
    std::printf("trace_printk: %s\n", format_trace_printk(ev).c_str());
  } else if (ev.kind == EventKind::kPerfEventOutput) {
    std::printf("perf_event_output map %s cpu %u: %s\n", map.c_str(), ev.index,
                hex_spaced(ev.bytes).c_str());
  } else {
    std::printf("ringbuf_output map %s: %s\n", map.c_str(), hex_spaced(ev.bytes).c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int cmd_events(int argc, const char* const* argv) {
  CLI::App app{"Stream the events programs send (perf_event_output, ringbuf_output, "
               "trace_printk) (docs/cli/events.md).",
               "ebpf-fpga events"};
  std::string uri = "sim:", pcap;
  uint64_t count = 0;
  double timeout = 0;
  bool json = false;
  LoadArgs args;
  app.add_option("--device", uri, kDeviceHelp)->capture_default_str();
  app.add_option("--count", count, "stop after N events (default: no limit)");
  app.add_option("--timeout", timeout, "stop after S seconds (default: no limit)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--json", json, "one JSON object per event");
  app.add_option("--pcap", pcap, "test-run these frames (needs --object) and stream their events");
  add_load_options(app, args, false);
  if (auto rc = parse_args(app, argc, argv)) return *rc;
  if (!pcap.empty() && args.object.empty()) {
    std::cerr << "ebpf-fpga events: --pcap needs --object (the test runs need the object loaded "
                 "by this process)\n";
    return kExitUsage;
  }
  try {
    Device dev = Device::open(uri);
    OffloadObject off = open_or_load(dev, args);
    uint64_t seen = 0;
    bool done = false;
    off.on_event([&](const Event& ev) {
      if (done) return;
      print_event(ev, off.manifest(), json);
      if (count && ++seen >= count) done = true;
    });
    const auto start = std::chrono::steady_clock::now();
    auto expired = [&] {
      return timeout > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                          start).count() >= timeout;
    };
    if (!pcap.empty()) {
      for (const PcapRecord& r : read_pcap_file(pcap)) {
        if (done || expired()) break;
        off.test_run(XdpPacketIn{r.bytes, 1, 0});
      }
      return kExitOk;
    }
    if (!dev.info().has_feature(DeviceInfo::kFeatEvtHold)) {
      throw Error(dev.uri() + " does not keep events while frames flow (CAP_FEATURES.EVT_HOLD is "
                  "clear): use --object OBJ --pcap FILE to stream the events of test runs");
    }
    auto pause = std::chrono::microseconds(100);
    while (!done && !expired()) {
      if (off.poll_events() == 0) {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(20000));
      } else {
        pause = std::chrono::microseconds(100);
      }
    }
    if (const uint32_t lost = off.events_lost()) {
      std::cerr << "ebpf-fpga events: " << lost << " events lost on " << dev.uri()
                << " since reset (EVT_LOST: the device's event FIFO was full)\n";
    }
    return kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "ebpf-fpga events: error: " << e.what() << "\n";
    return kExitFail;
  }
}

}  // namespace ebpf::cli
