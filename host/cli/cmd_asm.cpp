// ebpf-fpga asm IN.s -o OUT.bin
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/error.h"

namespace ebpf::cli {

int cmd_asm(int argc, const char* const* argv) {
  CLI::App app{"Assemble bpf_conformance-syntax text into raw little-endian 8-byte slots.",
               "ebpf-fpga asm"};
  std::string in, out;
  app.add_option("IN", in, "assembler source ('-' for standard input)")->required();
  app.add_option("-o,--output", out, "output file of raw slots ('-' for standard output)")
      ->required();
  if (auto rc = parse_args(app, argc, argv)) return *rc;

  try {
    AsmOptions opts;
    opts.source_name = in == "-" ? "<stdin>" : in;
    const std::vector<Insn> prog = assemble(read_text_file(in), opts);
    if (prog.empty()) throw Error(opts.source_name + ": no instructions");
    write_file(out, to_bytes(prog));
  } catch (const Error& e) {
    std::cerr << "ebpf-fpga asm: error: " << e.what() << "\n";
    return kExitFail;
  }
  return kExitOk;
}

}  // namespace ebpf::cli
