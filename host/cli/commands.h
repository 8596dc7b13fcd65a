// The ebpf-fpga command table (bpftool-like: `ebpf-fpga COMMAND [ARGS]`). Each command owns
// its CLI11 parser; add a command by writing a handler and listing it in main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string_view>

#include "cli_util.h"

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
