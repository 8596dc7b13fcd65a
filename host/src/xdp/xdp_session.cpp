// XdpSession over ebpf::Engine ("interp", "rtl") and the engine dispatch of make_xdp_session.
#include "ebpf_fpga/xdp_session.h"

#include <algorithm>

#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

class EngineXdpSession final : public XdpSession {
 public:
  EngineXdpSession(std::string name, const XdpSessionOptions& opts)
      : name_(std::move(name)), opts_(opts), engine_(make_engine(name_, opts.engine)) {}

  std::string_view engine() const override { return name_; }

  void load(const Object& obj, const ProgramSpec& entry) override {
    const auto& programs = obj.programs();
    auto it = std::find_if(programs.begin(), programs.end(), [&](const ProgramSpec& p) {
      return p.name == entry.name && p.section == entry.section;
    });
    if (it == programs.end()) {
      throw Error(obj.name() + ": entry program '" + entry.name + "' is not in the object");
    }
    std::vector<std::vector<Insn>> progs;
    progs.reserve(programs.size());
    for (const ProgramSpec& p : programs) progs.push_back(p.insns);
    const size_t index = static_cast<size_t>(it - programs.begin());
    try {
      engine_->load_programs(progs, index, LoadOptions{.prandom_seed = opts_.prandom_seed});
    } catch (const Error& e) {
      throw Error(obj.name() + ": engine " + name_ + " refuses the programs: " + e.what());
    }
    try {
      engine_->configure_maps(obj.maps(), opts_.maps);
    } catch (const Error& e) {
      throw Error(obj.name() + ": engine " + name_ + " cannot configure the maps: " + e.what());
    }
    maps_ = engine_->maps();
    if (!maps_) {  // an engine without a map unit, for an object without maps
      empty_.configure({}, opts_.maps);
      maps_ = &empty_;
    }
    try {
      init_prog_arrays(*maps_, obj.maps(), programs);
    } catch (const Error& e) {
      throw Error(obj.name() + ": " + e.what());
    }
    loaded_ = true;
  }

  MapAccess& maps() override {
    if (!loaded_) throw Error("xdp session (" + name_ + "): maps() before load()");
    return *maps_;
  }

  XdpPacketOut run(const XdpPacketIn& packet) override {
    if (!loaded_) throw Error("xdp session (" + name_ + "): run() before load()");
    return run_xdp_frame(*engine_, mem_, packet, opts_.budget);
  }

 private:
  std::string name_;
  XdpSessionOptions opts_;
  std::unique_ptr<Engine> engine_;
  MapStore empty_;
  MapAccess* maps_ = nullptr;
  MemoryImage mem_;
  bool loaded_ = false;
};

bool engine_built(std::string_view name) {
  const auto names = engine_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

#ifdef EBPF_FPGA_HAVE_RTL_STREAM
std::unique_ptr<XdpSession> make_rtl_stream_xdp_session(const XdpSessionOptions& opts);
#endif

std::vector<std::string> xdp_engine_names() {
  std::vector<std::string> names = engine_names();
#ifdef EBPF_FPGA_HAVE_KERNEL
  names.emplace_back("kernel");
#endif
  return names;
}

std::optional<std::string> xdp_engine_unavailable_reason(std::string_view engine) {
  if (engine == "kernel") {
#ifdef EBPF_FPGA_HAVE_KERNEL
    return kernel_unavailable_reason();
#else
    return std::string("the kernel engine is not built into this binary (host/src/kernel, "
                       "libbpf)");
#endif
  }
  if (engine == "interp" || engine == "rtl") {
    if (engine_built(engine)) return std::nullopt;
    return "engine '" + std::string(engine) +
           "' is not built into this binary (Verilator was not found at configure time)";
  }
  return "unknown engine '" + std::string(engine) + "' (known: interp, rtl, kernel)";
}

std::unique_ptr<XdpSession> make_xdp_session(std::string_view engine,
                                             const XdpSessionOptions& opts) {
  if (engine == "kernel") {
#ifdef EBPF_FPGA_HAVE_KERNEL
    if (auto why = kernel_unavailable_reason()) {
      throw Error("engine kernel is unavailable: " + *why);
    }
    return make_kernel_xdp_session(opts);
#else
    throw Error(*xdp_engine_unavailable_reason(engine));
#endif
  }
#ifdef EBPF_FPGA_HAVE_RTL_STREAM
  // rtl: every packet through the packet I/O block (rtl_stream_session.cpp), cycles from the
  // first byte in to the verdict; rtl-csr: the rtl engine's CSR-loaded run (core cycles).
  if (engine == "rtl") return make_rtl_stream_xdp_session(opts);
  if (engine == "rtl-csr") return std::make_unique<EngineXdpSession>("rtl", opts);
#endif
  if (engine == "interp" || engine == "rtl") {
    return std::make_unique<EngineXdpSession>(std::string(engine), opts);
  }
  throw Error(*xdp_engine_unavailable_reason(engine));
}

}  // namespace ebpf
