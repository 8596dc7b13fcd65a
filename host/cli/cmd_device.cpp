// ebpf-fpga device { info | help } [--device URI] [--json]
//
// info: opens the device and prints its capability block (ID, VERSION, IMEM_SLOTS) and how
// the host reaches it. Opening refuses a device whose block does not match, saying why.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/error.h"

namespace ebpf::cli {
namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string id_text(uint32_t id) {
  char buf[48];
  std::string ascii;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const char c = static_cast<char>(id >> shift);
    ascii += (c >= 0x20 && c < 0x7f) ? c : '.';
  }
  std::snprintf(buf, sizeof buf, "0x%08x (\"%s\")", id, ascii.c_str());
  return buf;
}

int device_info(const std::string& uri, bool json) {
  const Device dev = Device::open(uri);
  const DeviceInfo& in = dev.info();
  const std::string version =
      std::to_string(in.version_major()) + "." + std::to_string(in.version_minor());
  if (json) {
    char id[16];
    std::snprintf(id, sizeof id, "0x%08x", in.id);
    std::printf("{\"device\": %s, \"transport\": %s, \"id\": \"%s\", \"version\": \"%s\", "
                "\"imem_slots\": %u, \"counters\": %s}\n",
                json_string(in.uri).c_str(), json_string(in.transport).c_str(), id,
                version.c_str(), in.imem_slots, in.has_counters ? "true" : "false");
  } else {
    std::printf("device      %s\n", in.uri.c_str());
    std::printf("transport   %s\n", in.transport.c_str());
    std::printf("id          %s\n", id_text(in.id).c_str());
    std::printf("version     %s\n", version.c_str());
    std::printf("imem_slots  %u (%u KiB of instruction memory)\n", in.imem_slots,
                in.imem_slots * 8 / 1024);
    std::printf("counters    %s\n", in.has_counters ? "cycles, instructions, stalls" : "none");
  }
  return kExitOk;
}

}  // namespace

int cmd_device(int argc, const char* const* argv) {
  CLI::App app{"Devices: the soft-CPU behind a transport, or the interpreter (docs/host.md).",
               "ebpf-fpga device"};
  app.require_subcommand(1);
  std::string uri = "sim:";
  bool json = false;
  CLI::App* info = app.add_subcommand("info", "print the device's capability block");
  info->add_option("--device", uri,
                   "sim: (default), interp:, udp://HOST:PORT, pcie://BDF, pcie-socket://PATH")
      ->capture_default_str();
  info->add_flag("--json", json, "print one JSON object");
  CLI::App* help = app.add_subcommand("help", "list the device commands");
  if (auto rc = parse_args(app, argc, argv)) return *rc;
  if (help->parsed()) {
    std::cout << app.get_formatter()->make_help(&app, "ebpf-fpga device",
                                                CLI::AppFormatMode::Normal);
    return kExitOk;
  }
  try {
    return device_info(uri, json);
  } catch (const Error& e) {
    if (json) {
      std::printf("{\"error\": %s}\n", json_string(e.what()).c_str());
    } else {
      std::cerr << "ebpf-fpga device info: error: " << e.what() << "\n";
    }
    return kExitFail;
  }
}

}  // namespace ebpf::cli
