// ebpf-fpga-plugin: the bpf_conformance plugin protocol. bpf_conformance starts the plugin
// with the test memory as argv[1] (hex bytes, possibly empty) and its --plugin_options as
// one more argument, writes the program as one line of hex bytes to stdin, and reads r0 in
// hex from stdout; a non-zero exit status means the program was refused or faulted.
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <sstream>

#include <CLI/CLI.hpp>

#include "cli_util.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"

namespace {

constexpr const char* kName = "ebpf-fpga-plugin";

int run(int argc, char** argv) {
  using namespace ebpf;
  using namespace ebpf::cli;

  // Options may arrive as one argument ("--engine rtl --cpu-version v3"): arguments that
  // start with "--" are split on whitespace, and an option that needs a value and has none
  // takes the next argument. The first other argument is the memory.
  std::vector<std::string> option_words;
  std::optional<std::string> memory_hex;
  bool needs_value = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (needs_value) {
      option_words.push_back(arg);
      needs_value = false;
    } else if (arg.starts_with("--") || arg == "-h") {
      std::istringstream ss(arg);
      for (std::string w; ss >> w;) option_words.push_back(w);
      needs_value = !option_words.empty() &&
                    (option_words.back() == "--engine" || option_words.back() == "--cpu-version");
    } else if (!memory_hex) {
      memory_hex = arg;
    } else if (arg.find_first_not_of(" \t\r\n") != std::string::npos) {
      std::cerr << kName << ": unexpected argument '" << arg
                << "' (usage: " << kName << " [MEMHEX] [--engine interp|rtl] "
                << "[--cpu-version vN])\n";
      return kExitUsage;
    }
  }

  CLI::App app{"bpf_conformance plugin: reads a program as hex bytes on stdin, runs it with "
               "MEMHEX (hex bytes) as memory, prints r0 in hex.",
               kName};
  std::string engine_name = "interp", cpu = "v4";
  bool elf = false;
  app.add_option("--engine", engine_name, "engine (interp, rtl)")->capture_default_str();
  app.add_option("--cpu-version", cpu, "newest instruction set accepted (v1..v4)")
      ->capture_default_str();
  app.add_flag("--elf", elf, "(not supported: programs come as raw bytes)");
  app.footer("Usage: " + std::string(kName) +
             " [MEMHEX] [--engine interp|rtl] [--cpu-version vN] < PROGRAM_HEX");
  try {
    std::vector<std::string> rev(option_words.rbegin(), option_words.rend());
    app.parse(rev);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (elf) {
    std::cerr << kName << ": --elf is not supported (the program must come as hex bytes on "
                          "stdin)\n";
    return kExitUsage;
  }

  uint8_t cpu_version;
  std::unique_ptr<Engine> engine;
  try {
    cpu_version = parse_cpu_version(cpu);
    engine = make_engine(engine_name);
  } catch (const Error& e) {
    std::cerr << kName << ": " << e.what() << "\n";
    return kExitUsage;
  }

  try {
    const std::string program_hex((std::istreambuf_iterator<char>(std::cin)),
                                  std::istreambuf_iterator<char>());
    const std::vector<uint8_t> program_bytes = parse_hex_bytes(program_hex, "program on stdin");
    if (program_bytes.empty()) throw Error("program on stdin: empty (expected hex bytes)");
    std::vector<Insn> prog;
    try {
      prog = from_bytes(program_bytes);
    } catch (const Error& e) {
      throw Error(std::string("program on stdin: ") + e.what());
    }
    const std::vector<uint8_t> memory =
        memory_hex ? parse_hex_bytes(*memory_hex, "memory argument") : std::vector<uint8_t>{};

    LoadOptions lo;
    lo.cpu_version = cpu_version;
    try {
      engine->load(prog, lo);
    } catch (const Error& e) {
      throw Error(std::string("load error: ") + e.what());
    }
    MemoryImage mem = conformance_memory(memory);
    const RunResult r = engine->run(mem);
    if (r.fault != FaultCode::kNone) {
      throw Error("fault " + std::string(fault_name(r.fault)) + " at pc " +
                  std::to_string(r.fault_pc));
    }
    std::printf("%" PRIx64 "\n", r.r0);
    std::fflush(stdout);
  } catch (const Error& e) {
    std::cerr << kName << ": " << e.what() << "\n";
    return kExitFail;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << kName << ": error: " << e.what() << "\n";
    return ebpf::cli::kExitFail;
  }
}
