// ebpf-fpga disasm IN.bin | IN.o[:SECTION]
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"
#include "elf_section.h"

namespace ebpf::cli {

int cmd_disasm(int argc, const char* const* argv) {
  CLI::App app{"Disassemble raw 8-byte slots, or one section of an eBPF ELF object, into text "
               "that 'ebpf-fpga asm' assembles back to the same bytes.",
               "ebpf-fpga disasm"};
  std::string in, out = "-";
  bool show_index = false;
  app.add_option("IN", in,
                 "raw slots (IN.bin, '-' for standard input) or an ELF object "
                 "(IN.o, IN.o:SECTION)")
      ->required();
  app.add_option("-o,--output", out, "write the text here instead of standard output");
  app.add_flag("-i,--index", show_index,
               "prefix each line with its slot index and raw bytes (not re-assemblable)");
  if (auto rc = parse_args(app, argc, argv)) return *rc;

  try {
    // IN.o:SECTION unless a file with that very name exists.
    std::string path = in, section;
    std::error_code ec;
    const size_t colon = in.rfind(':');
    if (in != "-" && !std::filesystem::exists(in, ec) && colon != std::string::npos &&
        colon > 0) {
      path = in.substr(0, colon);
      section = in.substr(colon + 1);
      if (section.empty()) throw Error(in + ": empty section name after ':'");
    }
    std::vector<Insn> prog;
    if (path != "-" && std::filesystem::exists(path, ec) && is_elf_file(path)) {
      prog = read_elf_section(path, section).insns;
    } else {
      if (!section.empty()) {
        if (!std::filesystem::exists(path, ec)) throw Error(path + ": no such file");
        throw Error(path + ": not an ELF object, so ':" + section + "' selects nothing");
      }
      const std::vector<uint8_t> bytes = read_file(path);
      try {
        prog = from_bytes(bytes);
      } catch (const Error& e) {
        throw Error((path == "-" ? std::string("<stdin>") : path) + ": " + e.what());
      }
    }
    DisasmOptions opts;
    opts.show_index = show_index;
    const std::string text = disassemble(prog, opts);
    write_file(out, std::vector<uint8_t>(text.begin(), text.end()));
  } catch (const Error& e) {
    std::cerr << "ebpf-fpga disasm: error: " << e.what() << "\n";
    return kExitFail;
  }
  return kExitOk;
}

}  // namespace ebpf::cli
