// sim: the Verilator model of ebpf_top in this process, driven through sim::Harness's CSR
// bus one cycle per access, exactly as the rtl engine drives it.
#include <algorithm>
#include <cerrno>

#include "transports.h"

#ifdef EBPF_FPGA_HAVE_RTL
#include "ebpf_sim_harness.h"
#endif

namespace ebpf::transport {

#ifdef EBPF_FPGA_HAVE_RTL
namespace {

// The CSR bus has 20 address bits (docs/registers.md); the model would alias wider ones.
constexpr uint64_t kCsrSpace = 1u << 20;
constexpr uint64_t kNsPerCycle = 10;  // ebpf_top's NsPerCycle: the model stands for 100 MHz

class SimBus final : public Bus {
 public:
  SimBus(const Uri& uri, const BusOpts& opts)
      : Bus(uri.text), harness_(sim::HarnessOptions{.trace_path = opts.trace_path}) {}

  std::string describe() const override {
    return "the Verilator model of ebpf_top in this process (CSR bus, one cycle per access)";
  }

  void wait(std::chrono::nanoseconds d) override {
    const uint64_t cycles = std::max<uint64_t>(1, static_cast<uint64_t>(d.count()) / kNsPerCycle);
    for (uint64_t i = 0; i < cycles; ++i) harness_.tick();
  }

 protected:
  void do_execute(std::span<BusOp> ops, const FlushOpts&) override {
    for (BusOp& op : ops) {
      if (op.addr >= kCsrSpace) {
        throw BusError(-EFAULT, uri() + ": " + describe_ops({&op, 1}) +
                                    ": beyond the 1 MiB CSR space of ebpf_top");
      }
      try {
        if (op.kind == BusOp::Kind::kWrite) {
          harness_.csr_write(op.addr, op.value);
        } else {
          op.value = harness_.csr_read(op.addr);
        }
      } catch (const BusError&) {
        throw;
      } catch (const Error& e) {
        throw BusError(-EIO, uri() + ": " + describe_ops({&op, 1}) + ": " + e.what());
      }
    }
  }

 private:
  sim::Harness harness_;
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
