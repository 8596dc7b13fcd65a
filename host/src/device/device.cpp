// Device: opens a transport (or the interpreter), checks the capability block, and hands
// loads and runs to the engine behind it.
#include "ebpf_fpga/device.h"

#include <cstdio>

#include "bus_engine.h"
#include "ebpf_csr_map.h"
#include "ebpf_fpga/interp.h"

namespace ebpf {
namespace {

// The instruction window is 512 KiB of 8-byte slots (docs/registers.md).
constexpr uint32_t kMaxImemSlots = 65536;

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Refuses a device this library cannot drive, saying what it found.
void check_capabilities(const DeviceInfo& info) {
  const std::string& uri = info.uri;
  if (info.id != csr::kCoreId) {
    std::string why;
    if (info.id == 0xffffffff) {
      why = " (all ones: nothing answers; a PCIe device that is disabled or gone reads so)";
    } else if (info.id == 0) {
      why = " (nothing mapped at the CSR base?)";
    }
    throw Error(uri + ": not an eBPF soft-CPU: the ID register reads " + hex32(info.id) +
                ", expected " + hex32(csr::kCoreId) + " (\"eBPF\")" + why);
  }
  if (info.version_major() != (csr::kCoreVersion >> 16)) {
    throw Error(uri + ": unsupported device: VERSION reads " +
                std::to_string(info.version_major()) + "." +
                std::to_string(info.version_minor()) + "; this host library drives version " +
                std::to_string(csr::kCoreVersion >> 16) + ".x");
  }
  if (info.imem_slots == 0 || info.imem_slots > kMaxImemSlots ||
      (info.imem_slots & (info.imem_slots - 1)) != 0) {
    throw Error(uri + ": implausible capability block: IMEM_SLOTS reads " +
                std::to_string(info.imem_slots) + ", expected a power of two from 1 to " +
                std::to_string(kMaxImemSlots));
  }
}

}  // namespace

struct Device::Impl {
  DeviceInfo info;
  DeviceOpts opts;
  std::unique_ptr<Bus> bus;                    // null for interp:
  std::unique_ptr<device::BusEngine> bus_engine;
  std::unique_ptr<Engine> interp;
  DeviceStats interp_stats;

  Engine& engine() { return bus_engine ? static_cast<Engine&>(*bus_engine) : *interp; }
};

Device::Device(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Device::Device(Device&&) noexcept = default;
Device& Device::operator=(Device&&) noexcept = default;
Device::~Device() = default;

Device Device::open(std::string_view uri_in, const DeviceOpts& opts) {
  const std::string uri = uri_in.empty() ? std::string("sim:") : std::string(uri_in);
  auto impl = std::make_unique<Impl>();
  impl->opts = opts;
  impl->info.uri = uri;
  if (uri == "interp:" || uri.starts_with("interp:")) {
    if (uri != "interp:") throw Error(uri + ": interp: takes no address or options");
    impl->interp = make_interpreter();
    impl->info.transport = "the reference interpreter in this process";
    impl->info.id = csr::kCoreId;
    impl->info.version = csr::kCoreVersion;
    impl->info.imem_slots = kMaxImemSlots;
    impl->info.has_counters = false;
    return Device(std::move(impl));
  }
  impl->bus = Bus::open(uri, opts.bus);
  impl->info.transport = impl->bus->describe();
  BusBatch b(*impl->bus);
  b.read(csr::kId, &impl->info.id)
      .read(csr::kVersion, &impl->info.version)
      .read(csr::kImemSlots, &impl->info.imem_slots);
  b.flush();
  impl->info.has_counters = true;
  check_capabilities(impl->info);
  impl->bus_engine =
      std::make_unique<device::BusEngine>(*impl->bus, impl->info.imem_slots, impl->opts);
  return Device(std::move(impl));
}

const std::string& Device::uri() const { return impl_->info.uri; }
const DeviceInfo& Device::info() const { return impl_->info; }

void Device::load(std::span<const Insn> prog, const LoadOptions& opts) {
  impl_->engine().load(prog, opts);
  if (impl_->interp) ++impl_->interp_stats.loads;
}

RunResult Device::test_run(MemoryImage& mem, const RunOptions& opts) {
  if (impl_->interp) ++impl_->interp_stats.runs;
  return impl_->engine().run(mem, opts);
}

DeviceCounters Device::counters() {
  if (!impl_->bus_engine) {
    throw Error(impl_->info.uri + ": the reference interpreter has no hardware counters");
  }
  return impl_->bus_engine->counters();
}

Engine& Device::engine() { return impl_->engine(); }
Bus* Device::bus() { return impl_->bus.get(); }

DeviceStats Device::stats() const {
  return impl_->bus_engine ? impl_->bus_engine->stats() : impl_->interp_stats;
}

}  // namespace ebpf
