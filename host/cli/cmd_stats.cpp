// ebpf-fpga stats [--device URI] [--json] [--object OBJ ...]
//
// The device's counters: frames per XDP action, per fault and per port from the packet I/O
// block (docs/packet_io.md), and the core's counters of its last run (docs/cli/stats.md).
// --clear reads and zeroes the frame counters with the flow paused in between.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/error.h"

namespace ebpf::cli {
namespace {
constexpr const char* kActions[5] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
                                     "XDP_REDIRECT"};
}  // namespace

int cmd_stats(int argc, const char* const* argv) {
  CLI::App app{"A device's counters: frames per action, fault and port (the packet I/O "
               "block), and the core's counters of its last run (docs/cli/stats.md).",
               "ebpf-fpga stats"};
  std::string uri = "sim:";
  bool json = false, clear = false;
  LoadArgs args;
  app.add_option("--device", uri, kDeviceHelp)->capture_default_str();
  app.add_flag("--json", json, "one JSON object");
  app.add_flag("--clear", clear,
               "zero the frame counters as they are read (the flow is paused in between, so "
               "every frame is in exactly one reading)");
  add_load_options(app, args, false);
  if (auto rc = parse_args(app, argc, argv)) return *rc;
  try {
    Device dev = Device::open(uri);
    std::optional<OffloadObject> off;
    std::string object_error;
    try {
      off.emplace(open_or_load(dev, args));
    } catch (const Error& e) {
      if (!args.object.empty()) throw;
      object_error = e.what();
    }
    std::optional<IoCounters> io;
    // --clear: read and zero with the flow paused in between (take_io_counters), so that a
    // frame counted after the read is not zeroed unseen.
    if (dev.info().has_io) io = clear ? take_io_counters(dev) : read_io_counters(dev);
    std::optional<DeviceCounters> core;
    if (dev.info().has_counters) core = dev.counters();
    const bool attached = off && off->attached();

    if (json) {
      std::string s = "{\"device\": " + json_quote(dev.uri()) + ", \"object\": " +
                      (off ? json_quote(off->manifest().object) : "null") +
                      ", \"attached\": " + (attached ? "true" : "false") + ", \"io\": ";
      if (io) {
        s += "{\"actions\": {";
        for (int a = 0; a < 5; ++a) {
          s += std::string(a ? ", " : "") + "\"" + kActions[a] + "\": " +
               std::to_string(io->action[a]);
        }
        s += "}, \"faults\": {";
        bool first = true;
        for (int f = 1; f < 16; ++f) {
          if (!io->fault[f]) continue;
          s += std::string(first ? "" : ", ") +
               json_quote(fault_name(static_cast<FaultCode>(f))) + ": " +
               std::to_string(io->fault[f]);
          first = false;
        }
        s += "}, \"oversize\": " + std::to_string(io->oversize) + ", \"malformed\": " +
             std::to_string(io->malformed) + ", \"redirect_bad\": " +
             std::to_string(io->redir_bad) + ", \"empty\": " + std::to_string(io->empty) +
             ", \"host_drop\": " + std::to_string(io->host_drop) + ", \"ports\": [";
        for (size_t p = 0; p < io->rx.size(); ++p) {
          s += std::string(p ? ", " : "") + "{\"port\": " + std::to_string(p) + ", \"rx\": " +
               std::to_string(io->rx[p]) + ", \"tx\": " + std::to_string(io->tx[p]) + "}";
        }
        s += "]}";
      } else {
        s += "null";
      }
      s += ", \"core\": ";
      if (core) {
        s += "{\"cycles\": " + std::to_string(core->cycles) + ", \"instructions\": " +
             std::to_string(core->instructions) + ", \"stall_load_use\": " +
             std::to_string(core->stall_load_use) + ", \"stall_branch\": " +
             std::to_string(core->stall_branch) + ", \"stall_multicycle\": " +
             std::to_string(core->stall_multicycle) + ", \"stall_helper\": " +
             std::to_string(core->stall_helper) + "}";
      } else {
        s += "null";
      }
      std::printf("%s}\n", s.c_str());
    } else {
      std::printf("device       %s\n", dev.uri().c_str());
      if (off) {
        std::printf("object       %s (%s)\n", off->manifest().object.c_str(),
                    attached ? "attached" : "not attached");
      } else {
        std::printf("object       none (%s)\n", object_error.c_str());
      }
      if (io) {
        for (int a = 0; a < 5; ++a) std::printf("%-12s %u\n", kActions[a], io->action[a]);
        for (int f = 1; f < 16; ++f) {
          if (io->fault[f]) {
            std::printf("fault %-18s %u\n",
                        std::string(fault_name(static_cast<FaultCode>(f))).c_str(),
                        io->fault[f]);
          }
        }
        std::printf("oversize %u  malformed %u  redirect_bad %u  empty %u  host_drop %u\n",
                    io->oversize, io->malformed, io->redir_bad, io->empty, io->host_drop);
        for (size_t p = 0; p < io->rx.size(); ++p) {
          std::printf("port %zu       rx %u  tx %u\n", p, io->rx[p], io->tx[p]);
        }
      } else {
        std::printf("frames       not counted: %s has no packet I/O block (IO_ID does not read "
                    "\"XDIO\")\n", dev.uri().c_str());
      }
      if (core) {
        std::printf("last run     cycles %llu  instructions %llu  stalls: load-use %llu  "
                    "branch %llu  multicycle %llu  helper %llu\n",
                    static_cast<unsigned long long>(core->cycles),
                    static_cast<unsigned long long>(core->instructions),
                    static_cast<unsigned long long>(core->stall_load_use),
                    static_cast<unsigned long long>(core->stall_branch),
                    static_cast<unsigned long long>(core->stall_multicycle),
                    static_cast<unsigned long long>(core->stall_helper));
      }
    }
    return kExitOk;
  } catch (const std::exception& e) {
    if (json) std::printf("{\"error\": %s}\n", json_quote(e.what()).c_str());
    std::cerr << "ebpf-fpga stats: error: " << e.what() << "\n";
    return kExitFail;
  }
}

}  // namespace ebpf::cli
