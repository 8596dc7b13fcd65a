// Engine factory: maps the names of contracts.md section 1 to implementations.
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/interp.h"

#ifdef EBPF_FPGA_HAVE_RTL
#include "ebpf_fpga/rtl_engine.h"
#endif

namespace ebpf {

std::vector<std::string> engine_names() {
  std::vector<std::string> names{"interp"};
#ifdef EBPF_FPGA_HAVE_RTL
  names.emplace_back("rtl");
#endif
  return names;
}

std::unique_ptr<Engine> make_engine(std::string_view name, const EngineOptions& opts) {
  if (name == "interp") return make_interpreter();
#ifdef EBPF_FPGA_HAVE_RTL
  if (name == "rtl") return make_rtl_engine({.trace_path = opts.trace_path});
#else
  (void)opts;
  if (name == "rtl") {
    throw Error("engine 'rtl' is not built into this binary (Verilator was not found at "
                "configure time; run scripts/setup.sh and rebuild)");
  }
#endif
  throw Error("unknown engine '" + std::string(name) + "' (known: interp, rtl)");
}

}  // namespace ebpf
