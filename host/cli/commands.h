// The ebpf-fpga command table (bpftool-like: `ebpf-fpga COMMAND [ARGS]`). Each command owns
// its CLI11 parser; add a command by writing a handler and listing it in main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cli_util.h"
#include "ebpf_fpga/offload.h"

namespace ebpf::cli {

// argv[0] is the command name, the rest its arguments.
using Handler = int (*)(int argc, const char* const* argv);

struct Command {
  std::string_view name;
  std::string_view summary;
  Handler handler;
};

int cmd_asm(int argc, const char* const* argv);
int cmd_disasm(int argc, const char* const* argv);
int cmd_conformance(int argc, const char* const* argv);
int cmd_exec(int argc, const char* const* argv);
int cmd_device(int argc, const char* const* argv);
int cmd_run(int argc, const char* const* argv);
int cmd_compare(int argc, const char* const* argv);
int cmd_prog(int argc, const char* const* argv);
int cmd_map(int argc, const char* const* argv);
int cmd_stats(int argc, const char* const* argv);
int cmd_events(int argc, const char* const* argv);

// The device-facing commands (prog, map, stats, events; cmd_prog.cpp): what they share.
inline constexpr const char* kDeviceHelp =
    "sim: (default), interp:, udp://HOST:PORT, pcie://BDF, pcie-socket://PATH";
// A JSON string literal of `s` (quotes included).
std::string json_quote(std::string_view s);
// Bytes as "0a 00 00 01" (bpftool's style).
std::string hex_spaced(std::span<const uint8_t> bytes);
// An object to load in this process (`--object OBJ` of map/stats/events, the OBJ of
// `prog load`): sim: and interp: keep nothing between processes, so these commands can load
// the object themselves and then do their work on it.
struct LoadArgs {
  std::string object, program, section, map_init;
  uint32_t cores = 1;
};
// --program, --section, --map-init, --cores (and --object OBJ unless `positional`).
void add_load_options(CLI::App& app, LoadArgs& args, bool positional);
// Loads args.object (and its --map-init) when given, else finds what is loaded on the device
// (its OBJINFO manifest). Throws ebpf::Error with the reason.
OffloadObject open_or_load(Device& dev, const LoadArgs& args);

// Parses argv with `app`. Returns an exit code when the command must stop now (after --help:
// 0; after a usage error, printed to stderr: kExitUsage), nullopt to go on.
inline std::optional<int> parse_args(CLI::App& app, int argc, const char* const* argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  return std::nullopt;
}

}  // namespace ebpf::cli
