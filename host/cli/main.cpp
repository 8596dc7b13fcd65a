// ebpf-fpga: the command-line front end (contracts.md section 4).
#include <cstdio>
#include <iostream>
#include <span>
#include <string>

#include "commands.h"

namespace ebpf::cli {
namespace {

int cmd_help(int argc, const char* const* argv);

constexpr Command kCommands[] = {
    {"asm", "assemble bpf_conformance-syntax text into raw 8-byte instruction slots", cmd_asm},
    {"disasm", "disassemble raw slots or one section of an eBPF ELF object", cmd_disasm},
    {"conformance", "run bpf_conformance .data tests on an engine", cmd_conformance},
    {"exec", "run one raw program once on an engine (r1 = memory, r2 = length)", cmd_exec},
    {"run", "run an XDP object over a pcap file on one engine (rtl, interp, kernel)", cmd_run},
    {"compare", "run an XDP object on several engines and report every difference",
     cmd_compare},
    {"device", "show a device's capability block (device info --device URI)", cmd_device},
    {"prog", "load, show, attach, detach and unload programs on a device", cmd_prog},
    {"map", "list, dump, look up, update and delete a loaded object's maps", cmd_map},
    {"stats", "a device's counters: per action, fault and port, and the core's", cmd_stats},
    {"events", "stream the events programs send (perf, ringbuf, trace_printk)", cmd_events},
    {"help", "list the commands, or show the options of one", cmd_help},
};

void usage(std::ostream& os) {
  os << "Usage: ebpf-fpga COMMAND [ARGS...]\n"
        "       ebpf-fpga help [COMMAND]\n"
        "       ebpf-fpga --version\n\n"
        "Commands:\n";
  for (const Command& c : kCommands) {
    std::string name(c.name);
    name.resize(13, ' ');
    os << "  " << name << c.summary << "\n";
  }
  os << "\nCommands may be abbreviated to any unique prefix. "
        "'ebpf-fpga COMMAND --help' shows a command's options.\n";
}

// Exact name, else the only command the text is a prefix of (bpftool style).
const Command* find_command(std::string_view name, std::string* error) {
  const Command* match = nullptr;
  int prefixes = 0;
  for (const Command& c : kCommands) {
    if (c.name == name) return &c;
    if (!name.empty() && c.name.starts_with(name)) {
      match = &c;
      ++prefixes;
    }
  }
  if (prefixes == 1) return match;
  *error = prefixes > 1 ? "ambiguous command '" + std::string(name) + "'"
                        : "unknown command '" + std::string(name) + "'";
  *error += " (see 'ebpf-fpga help')";
  return nullptr;
}

int cmd_help(int argc, const char* const* argv) {
  if (argc <= 1) {
    usage(std::cout);
    return kExitOk;
  }
  if (argc > 2) {
    std::cerr << "ebpf-fpga help: expected at most one command name\n";
    return kExitUsage;
  }
  std::string error;
  const Command* c = find_command(argv[1], &error);
  if (!c) {
    std::cerr << "ebpf-fpga: " << error << "\n";
    return kExitUsage;
  }
  if (c->handler == cmd_help) {
    usage(std::cout);
    return kExitOk;
  }
  const char* help_argv[] = {argv[1], "--help"};
  return c->handler(2, help_argv);
}

}  // namespace
}  // namespace ebpf::cli

int main(int argc, char** argv) {
  using namespace ebpf::cli;
  if (argc < 2) {
    usage(std::cerr);
    return kExitUsage;
  }
  const std::string first = argv[1];
  if (first == "-h" || first == "--help") {
    usage(std::cout);
    return kExitOk;
  }
  if (first == "-V" || first == "--version") {
    std::cout << "ebpf-fpga " << EBPF_FPGA_VERSION << "\n";
    return kExitOk;
  }
  std::string error;
  const Command* c = find_command(first, &error);
  if (!c) {
    std::cerr << "ebpf-fpga: " << error << "\n";
    return kExitUsage;
  }
  try {
    return c->handler(argc - 1, argv + 1);
  } catch (const std::exception& e) {
    // Handlers report their own errors; this is the last line of defence against a crash.
    std::cerr << "ebpf-fpga " << c->name << ": error: " << e.what() << "\n";
    return kExitFail;
  }
}
