// sim: the Verilator model of the board's top, ebpf_xdp_top (the soft-CPU behind the packet
// I/O block, with the rtl engine's map pools: sim/xdp_pipeline.h), in this process, driven
// through its host CSR bus (a write is one cycle, a read two). The whole CSR map, the packet
// I/O page included, as on the simulated board (ebpf-fpga-sim serve).
#include <algorithm>
#include <cerrno>

#include "transports.h"

#ifdef EBPF_FPGA_HAVE_RTL
#include "xdp_pipeline.h"
#endif

namespace ebpf::transport {

#ifdef EBPF_FPGA_HAVE_RTL
namespace {

// The CSR bus has 20 address bits (docs/register-map.md); the model would alias wider ones.
constexpr uint64_t kCsrSpace = 1u << 20;
constexpr uint64_t kNsPerCycle = 10;  // ebpf_xdp_top's NsPerCycle: the model stands for 100 MHz

class SimBus final : public Bus {
 public:
  SimBus(const Uri& uri, const BusOpts& opts)
      : Bus(uri.text), pipe_(sim::XdpPipelineOptions{.trace_path = opts.trace_path}) {}

  std::string describe() const override {
    return "the Verilator model of ebpf_xdp_top in this process (its host CSR bus)";
  }

  void wait(std::chrono::nanoseconds d) override {
    const uint64_t cycles = std::max<uint64_t>(1, static_cast<uint64_t>(d.count()) / kNsPerCycle);
    for (uint64_t i = 0; i < cycles; ++i) pipe_.tick();
  }

 protected:
  void do_execute(std::span<BusOp> ops, const FlushOpts&) override {
    for (BusOp& op : ops) {
      if (op.addr >= kCsrSpace) {
        throw BusError(-EFAULT, uri() + ": " + describe_ops({&op, 1}) +
                                    ": beyond the 1 MiB CSR space of ebpf_xdp_top");
      }
      try {
        if (op.kind == BusOp::Kind::kWrite) {
          pipe_.csr_write(op.addr, op.value);
        } else {
          op.value = pipe_.csr_read(op.addr);
        }
      } catch (const BusError&) {
        throw;
      } catch (const Error& e) {
        throw BusError(-EIO, uri() + ": " + describe_ops({&op, 1}) + ": " + e.what());
      }
    }
  }

 private:
  sim::XdpPipeline pipe_;
};

}  // namespace

std::unique_ptr<Bus> open_sim(const Uri& uri, const BusOpts& opts) {
  BusOpts o = opts;
  apply_query(uri, {"trace"}, o);
  if (!uri.rest.empty()) {
    throw BusError(-EINVAL, uri.text + ": sim: takes no address (options go after '?')");
  }
  return std::make_unique<SimBus>(uri, o);
}

#else

std::unique_ptr<Bus> open_sim(const Uri& uri, const BusOpts&) {
  throw BusError(-ENODEV, uri.text + ": the Verilator model is not built into this binary "
                                     "(verilator was not found at configure time; run "
                                     "scripts/setup.sh and rebuild)");
}

#endif

}  // namespace ebpf::transport
