// Device: opens a transport (or the interpreter), checks the capability block, and hands
// loads and runs to the engine behind it.
#include "ebpf_fpga/device.h"

#include <cstdio>

#include "bus_engine.h"
#include "ebpf_csr_map.h"
#include "ebpf_io_map.h"
#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/interp.h"
#include "ebpf_fpga/maps.h"

namespace ebpf {

// The map unit's reference model's table of supported types (src/maps/map_store.cpp, part of
// ebpf_fpga_core): the name of a type it implements, nullptr for any other.
const char* supported_map_type_name(MapType t);

namespace {

// The instruction window is 512 KiB of 8-byte slots (docs/register-map.md).
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
  if (info.has_io && (info.io_ports == 0 || info.io_ports > io_csr::kMaxPorts)) {
    throw Error(uri + ": implausible packet I/O page: IO_PARAMS.NumPorts reads " +
                std::to_string(info.io_ports) + ", expected 1 to " +
                std::to_string(io_csr::kMaxPorts));
  }
  if (!info.has_capabilities) return;
  // The memories the host's run images and address map assume (contracts.md section 2).
  struct Expect {
    const char* name;
    uint32_t got, want;
  };
  const Expect fixed[] = {
      {"CAP_STACK_BYTES", info.stack_bytes, addr::kStackSize},
      {"CAP_PACKET_BYTES", info.packet_bytes, addr::kPacketBufferSize},
  };
  for (const Expect& e : fixed) {
    if (e.got != e.want) {
      throw Error(uri + ": implausible capability block: " + e.name + " reads " +
                  std::to_string(e.got) + ", this host library expects " +
                  std::to_string(e.want) + " (docs/register-map.md)");
    }
  }
  struct Range {
    const char* name;
    uint32_t got, lo, hi;
  };
  const Range ranges[] = {
      {"CAP_CORES", info.cores, 1, 255},
      {"MAP_SLOTS", info.map_slots, 0, addr::kMaxMaps},
      {"MAX_PROGRAMS", info.max_programs, 1, 256},
      {"CAP_EVT_BYTES", info.event_bytes, 0, helper_limits::kEventFifoBytes},
      {"OBJINFO_BYTES", info.objinfo_bytes, 0, csr::kObjinfoSize},
  };
  for (const Range& r : ranges) {
    if (r.got < r.lo || r.got > r.hi) {
      throw Error(uri + ": implausible capability block: " + r.name + " reads " +
                  std::to_string(r.got) + ", expected " + std::to_string(r.lo) + " to " +
                  std::to_string(r.hi));
    }
  }
  if (info.has_feature(DeviceInfo::kFeatObjinfo) != (info.objinfo_bytes != 0)) {
    throw Error(uri + ": implausible capability block: CAP_FEATURES bit 2 (OBJINFO) is " +
                (info.has_feature(DeviceInfo::kFeatObjinfo) ? "set" : "clear") +
                " but OBJINFO_BYTES reads " + std::to_string(info.objinfo_bytes));
  }
}

// The interpreter's own capabilities: every helper and map type this build implements, the
// address map's memories, no fixed pools (0) and no device protocol features.
void interp_capabilities(DeviceInfo& info) {
  info.id = csr::kCoreId;
  info.version = csr::kCoreVersion;
  info.imem_slots = kMaxImemSlots;
  info.has_counters = false;
  info.has_capabilities = true;
  info.cores = 1;
  info.stack_bytes = addr::kStackSize;
  info.packet_bytes = addr::kPacketBufferSize;
  info.event_bytes = helper_limits::kEventFifoBytes;
  info.map_slots = addr::kMaxMaps;
  info.max_programs = 256;
  for (uint32_t t = 0; t < 32; ++t) {
    if (supported_map_type_name(static_cast<MapType>(t))) info.map_types |= 1u << t;
  }
  for (const HelperInfo& h : helpers()) {
    if (h.id >= 0 && h.id < 256) info.helpers[h.id / 32] |= 1u << (h.id % 32);
  }
}

std::string helper_label(int64_t id) {
  if (id >= INT32_MIN && id <= INT32_MAX) {
    if (auto h = find_helper(static_cast<int32_t>(id))) {
      return std::to_string(id) + " (bpf_" + std::string(h->name) + ")";
    }
  }
  return std::to_string(id);
}

// known_only: refuse only helpers this library knows (an unknown id is left to fault at run
// time, as on every engine: the conformance programs rely on that).
void check_helpers(const DeviceInfo& info, std::span<const Insn> prog, std::string_view name,
                   bool known_only) {
  if (!info.has_capabilities) return;
  for (size_t i = 0; i < prog.size(); ++i) {
    const Insn& in = prog[i];
    if (in.opcode == op::kLddw) {
      ++i;  // the second slot of lddw
      continue;
    }
    if (in.opcode != 0x85 || in.src() != 0) continue;  // call imm: a helper
    if (!info.has_helper(in.imm) && (!known_only || find_helper(in.imm))) {
      throw Error(info.uri + ": " + std::string(name) + ": instruction " + std::to_string(i) +
                  " calls helper " + helper_label(in.imm) +
                  ", which the device does not implement (CAP_HELPERS)");
    }
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
    interp_capabilities(impl->info);
    return Device(std::move(impl));
  }
  impl->bus = Bus::open(uri, opts.bus);
  impl->info.transport = impl->bus->describe();
  DeviceInfo& in = impl->info;
  BusBatch b(*impl->bus);
  b.read(csr::kId, &in.id).read(csr::kVersion, &in.version).read(csr::kImemSlots, &in.imem_slots);
  b.read(csr::kMapSlots, &in.map_slots).read(csr::kMaxPrograms, &in.max_programs);
  b.read(csr::kMapKeyWords, &in.map_key_words).read(csr::kMapBuckets, &in.map_buckets);
  b.read(csr::kMapPoolSlots, &in.map_pool_slots).read(csr::kMapValueWords, &in.map_value_words);
  b.read(csr::kCapCores, &in.cores).read(csr::kCapStackBytes, &in.stack_bytes);
  b.read(csr::kCapPacketBytes, &in.packet_bytes).read(csr::kCapMapvalBytes, &in.mapval_bytes);
  b.read(csr::kCapEvtBytes, &in.event_bytes).read(csr::kCapMapTypes, &in.map_types);
  b.read(csr::kCapFeatures, &in.features).read(csr::kObjinfoBytes, &in.objinfo_bytes);
  for (uint32_t w = 0; w < 8; ++w) b.read(csr::kCapHelpers + 4 * w, &in.helpers[w]);
  uint32_t io_id = 0, io_params = 0;
  b.read(io_csr::kId, &io_id).read(io_csr::kParams, &io_params);
  b.flush();
  in.has_io = io_id == io_csr::kIdValue;
  in.io_ports = in.has_io ? (io_params & 0xff) : 0;  // IO_PARAMS[7:0] NumPorts
  in.has_counters = true;
  // A core built before the capability block reads 0 there.
  in.has_capabilities = in.cores != 0 || in.features != 0 || in.map_types != 0;
  check_capabilities(in);
  impl->bus_engine =
      std::make_unique<device::BusEngine>(*impl->bus, in.imem_slots, in.features, impl->opts);
  return Device(std::move(impl));
}

const std::string& Device::uri() const { return impl_->info.uri; }
const DeviceInfo& Device::info() const { return impl_->info; }

void check_compatible(const DeviceInfo& info, std::span<const Insn> prog,
                      std::string_view name) {
  check_helpers(info, prog, name, false);
  if (prog.size() > info.imem_slots) {
    throw Error(info.uri + ": " + std::string(name) + " has " + std::to_string(prog.size()) +
                " slots; the instruction memory holds " + std::to_string(info.imem_slots) +
                " (IMEM_SLOTS)");
  }
}

void check_compatible(const DeviceInfo& info, const Object& obj) {
  const std::string where = info.uri + ": " + obj.name();
  size_t slots = 0;
  for (const ProgramSpec& p : obj.programs()) {
    check_helpers(info, p.insns, obj.name() + ": program " + p.name, false);
    slots += p.insns.size();
  }
  if (slots > info.imem_slots) {
    throw Error(where + ": the programs have " + std::to_string(slots) +
                " slots; the instruction memory holds " + std::to_string(info.imem_slots) +
                " (IMEM_SLOTS)");
  }
  if (obj.programs().size() > info.max_programs) {
    throw Error(where + ": " + std::to_string(obj.programs().size()) +
                " programs; the device's program table holds " +
                std::to_string(info.max_programs) + " (MAX_PROGRAMS)");
  }
  if (obj.maps().size() > info.map_slots) {
    throw Error(where + ": " + std::to_string(obj.maps().size()) + " maps; the device holds " +
                std::to_string(info.map_slots) + " (MAP_SLOTS)");
  }
  // Map types are known only from the capability block.
  if (!info.has_capabilities) return;
  for (const MapSpec& m : obj.maps()) {
    const auto t = static_cast<uint32_t>(m.type);
    if (!info.has_map_type(t)) {
      const char* n = supported_map_type_name(m.type);
      throw Error(where + ": map '" + m.name + "' has type " + (n ? n : "") + (n ? " (" : "") +
                  std::to_string(t) + (n ? ")" : "") +
                  ", which the device's map unit does not implement (CAP_MAP_TYPES)");
    }
  }
}

void Device::check_compatible(std::span<const Insn> prog, std::string_view name) const {
  ebpf::check_compatible(impl_->info, prog, name);
}

void Device::check_compatible(const Object& obj) const {
  ebpf::check_compatible(impl_->info, obj);
}

void Device::load(std::span<const Insn> prog, const LoadOptions& opts) {
  check_helpers(impl_->info, prog, "program", true);
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
