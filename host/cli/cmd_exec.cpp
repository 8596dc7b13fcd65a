// ebpf-fpga exec PROG [--mem-file F | --mem HEX] [--engine rtl|interp | --device URI] ...
//
// Runs one raw program (assembler text or raw slots) once with the conformance convention
// (r1 = memory, r2 = its length) and prints r0, the instructions retired, cycles (rtl) and
// any fault. The quickest way to see a program on the cycle-accurate model. With --device
// the program runs on a device (docs/host.md): sim:, interp:, udp://HOST:PORT, pcie://BDF or
// pcie-socket://PATH; without it, on an in-process engine (rtl by default).
#include <cinttypes>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"

namespace ebpf::cli {

int cmd_exec(int argc, const char* const* argv) {
  CLI::App app{"Run one program (.s assembler text or raw .bin slots) once on an engine with "
               "r1 = memory, r2 = its length; print r0, instructions, cycles and any fault.",
               "ebpf-fpga exec"};
  std::string prog_path, mem_hex, mem_file, engine_name = "rtl", cpu = "v4", trace, device_uri;
  uint64_t budget = addr::kDefaultBudget;
  bool json = false;
  app.add_option("PROG", prog_path, "program: .s (assembler) or raw little-endian slots")
      ->required();
  app.add_option("--mem", mem_hex, "memory bytes as hex (\"0a 0b ...\")");
  app.add_option("--mem-file", mem_file, "file holding the memory bytes as hex text");
  CLI::Option* engine_opt = app.add_option(
      "--engine", engine_name, "engine: rtl (default, the soft-CPU model) or interp");
  app.add_option("--device", device_uri,
                 "run on a device instead: sim:, interp:, udp://HOST:PORT, pcie://BDF, "
                 "pcie-socket://PATH (docs/host.md)")
      ->excludes(engine_opt);
  app.add_option("--cpu-version", cpu, "newest instruction set accepted (v1..v4)");
  app.add_option("--budget", budget, "instruction budget");
  app.add_option("--trace", trace, "rtl: write waveforms to this FST file");
  app.add_flag("--json", json, "print the result as one JSON object");
  if (auto rc = parse_args(app, argc, argv)) return *rc;

  try {
    std::vector<Insn> prog;
    if (prog_path.size() > 2 && prog_path.ends_with(".s")) {
      prog = assemble(read_text_file(prog_path), {.source_name = prog_path});
    } else {
      const auto bytes = read_file(prog_path);
      try {
        prog = from_bytes(bytes);
      } catch (const Error& e) {
        throw Error(prog_path + ": " + e.what());
      }
    }
    std::vector<uint8_t> mem;
    if (!mem_file.empty()) mem = parse_hex_bytes(read_text_file(mem_file), mem_file);
    if (!mem_hex.empty()) mem = parse_hex_bytes(mem_hex, "--mem");

    std::optional<Device> device;
    std::unique_ptr<Engine> owned;
    Engine* engine = nullptr;
    if (!device_uri.empty()) {
      if (!trace.empty()) {
        throw Error("--trace applies to the in-process rtl engine; for a device use "
                    "--device 'sim:?trace=" + trace + "'");
      }
      device.emplace(Device::open(device_uri));
      engine = &device->engine();
      engine_name = "device " + device_uri;
    } else {
      owned = make_engine(engine_name, {.trace_path = trace});
      engine = owned.get();
    }
    try {
      engine->load(prog, {.cpu_version = parse_cpu_version(cpu)});
    } catch (const Error& e) {
      throw Error(prog_path + ": rejected at load: " + e.what());
    }
    MemoryImage image = conformance_memory(mem);
    const RunResult r = engine->run(image, {.budget = budget});

    if (json) {
      std::printf("{\"program\": \"%s\", \"engine\": \"%s\", ", prog_path.c_str(),
                  device ? "device" : engine_name.c_str());
      if (device) std::printf("\"device\": \"%s\", ", device_uri.c_str());
      std::printf("\"r0\": %" PRIu64 ", \"instructions\": %" PRIu64 ", \"cycles\": ", r.r0,
                  r.instructions);
      if (r.cycles) std::printf("%" PRIu64, *r.cycles); else std::printf("null");
      if (r.fault == FaultCode::kNone) {
        std::printf(", \"fault\": null}\n");
      } else {
        std::printf(", \"fault\": {\"code\": \"%s\", \"pc\": %u}}\n",
                    std::string(fault_name(r.fault)).c_str(), r.fault_pc);
      }
    } else {
      std::printf("program       %s (%zu slots)\n", prog_path.c_str(), prog.size());
      std::printf("engine        %s\n", engine_name.c_str());
      std::printf("memory        %zu bytes\n", mem.size());
      std::printf("r0            %" PRIu64 " (0x%" PRIx64 ")\n", r.r0, r.r0);
      std::printf("instructions  %" PRIu64 "\n", r.instructions);
      if (r.cycles) {
        std::printf("cycles        %" PRIu64 " (%.2f cycles per instruction)\n", *r.cycles,
                    r.instructions ? static_cast<double>(*r.cycles) /
                                         static_cast<double>(r.instructions)
                                   : 0.0);
      }
      if (r.fault != FaultCode::kNone) {
        std::printf("fault         %s at pc %u\n", std::string(fault_name(r.fault)).c_str(),
                    r.fault_pc);
      }
    }
    return r.fault == FaultCode::kNone ? kExitOk : kExitFail;
  } catch (const Error& e) {
    std::cerr << "ebpf-fpga exec: error: " << e.what() << "\n";
    return kExitFail;
  }
}

}  // namespace ebpf::cli
