// OffloadObject: libbpf's object/program/map shape over a Device (ebpf_fpga/offload.h).
#include "ebpf_fpga/offload.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <tuple>

#include "bus_csr_io.h"
#include "csr_protocol.h"
#include "ebpf_csr_map.h"
#include "ebpf_io_map.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/map_layout.h"

namespace ebpf {
namespace {

// The registers this file uses: events and OBJINFO from the one C++ register map
// (sim/ebpf_csr_map.h, checked against ebpf_csr_pkg.sv), the I/O page from sim/ebpf_io_map.h
// (checked against ebpf_io_pkg.sv). The capability block is the Device's (DeviceInfo, read
// once when the device is opened).
namespace reg {
using csr::kEvtCtrl, csr::kEvtAck, csr::kEvtLost, csr::kWinObjinfo;
}  // namespace reg
static_assert(std::tuple_size_v<decltype(IoCounters::fault)> == io_csr::kNumFaults);

using device::BusCsrIo;

// Map access in a process that did not configure the maps: the map unit's host command
// block with the sizes the manifest recorded. The map unit already holds the maps.
class ManifestMapAccess final : public MapAccess {
 public:
  ManifestMapAccess(Bus& bus, const Manifest& m) : io_(bus), port_(io_, bus.uri()) {
    for (const ManifestMap& mm : m.maps) {
      MapSpec s;
      s.name = mm.name;
      s.type = static_cast<MapType>(mm.type);
      s.key_size = mm.key_size;
      s.value_size = mm.value_size;
      s.max_entries = mm.max_entries;
      s.map_flags = mm.flags;
      specs_.push_back(std::move(s));
      index_.push_back(mm.index);
    }
    cores_ = m.cores;
  }
  uint32_t map_count() const override { return static_cast<uint32_t>(specs_.size()); }
  const MapSpec& spec(uint32_t map) const override { return specs_.at(map); }
  uint32_t cores() const override { return cores_; }

  int lookup(uint32_t map, std::span<const uint8_t> key, std::span<uint8_t> value) override {
    put(key, true);
    const auto r = port_.command(MapOp::kLookup, index_.at(map), 0, false, 0, false);
    if (r.status != 0) return r.status;
    get(value, false);
    return 0;
  }
  int update(uint32_t map, std::span<const uint8_t> key, std::span<const uint8_t> value,
             uint64_t flags) override {
    put(key, true);
    put(value, false);
    return port_.command(MapOp::kUpdate, index_.at(map), flags, false, 0, false).status;
  }
  int remove(uint32_t map, std::span<const uint8_t> key) override {
    put(key, true);
    return port_.command(MapOp::kDelete, index_.at(map), 0, false, 0, false).status;
  }
  int get_next_key(uint32_t map, std::optional<std::span<const uint8_t>> key,
                   std::span<uint8_t> next_key) override {
    if (key) put(*key, true);
    const auto r = port_.command(MapOp::kNextKey, index_.at(map), 0, false, 0, !key);
    if (r.status != 0) return r.status;
    get(next_key, true);
    return 0;
  }

 private:
  void put(std::span<const uint8_t> b, bool key) {
    for (size_t w = 0; w * 8 < b.size(); ++w) {
      uint64_t v = 0;
      uint8_t mask = 0;
      for (size_t i = 0; i < 8 && w * 8 + i < b.size(); ++i) {
        v |= uint64_t{b[w * 8 + i]} << (8 * i);
        mask |= static_cast<uint8_t>(1u << i);
      }
      if (key) {
        port_.write_kbuf(static_cast<uint32_t>(w), v, mask);
      } else {
        port_.write_vbuf(static_cast<uint32_t>(w), v, mask);
      }
    }
  }
  void get(std::span<uint8_t> b, bool key) {
    for (size_t w = 0; w * 8 < b.size(); ++w) {
      const uint64_t v = key ? port_.read_kbuf(static_cast<uint32_t>(w))
                             : port_.read_vbuf(static_cast<uint32_t>(w));
      for (size_t i = 0; i < 8 && w * 8 + i < b.size(); ++i) {
        b[w * 8 + i] = static_cast<uint8_t>(v >> (8 * i));
      }
    }
  }
  BusCsrIo io_;
  device::CsrMapPort port_;
  std::vector<MapSpec> specs_;
  std::vector<uint32_t> index_;
  uint32_t cores_ = 1;
};

uint32_t fnv1a32(std::span<const uint8_t> b) {
  uint32_t h = 0x811c9dc5u;
  for (uint8_t c : b) h = (h ^ c) * 0x01000193u;
  return h;
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

bool in_process(const Device& dev) {
  return dev.uri() == "interp:" || dev.uri().starts_with("sim:");
}

// Little-endian writer and bounds-checked reader of the manifest body.
struct Writer {
  std::vector<uint8_t> b;
  void u8(uint8_t v) { b.push_back(v); }
  void u16(uint16_t v) { u8(static_cast<uint8_t>(v)), u8(static_cast<uint8_t>(v >> 8)); }
  void u32(uint32_t v) { u16(static_cast<uint16_t>(v)), u16(static_cast<uint16_t>(v >> 16)); }
  void u64(uint64_t v) { u32(static_cast<uint32_t>(v)), u32(static_cast<uint32_t>(v >> 32)); }
  void str(const std::string& s) {
    if (s.size() > 255) throw Error("name '" + s.substr(0, 40) + "...' is longer than 255 bytes");
    u8(static_cast<uint8_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
  }
};
struct Reader {
  std::span<const uint8_t> b;
  size_t off = 0;
  const std::string& where;
  void need(size_t n, const char* what) {
    if (off + n > b.size()) {
      throw Error(where + ": " + what + " at byte " + std::to_string(16 + off) +
                  " runs past the manifest's end (" + std::to_string(16 + b.size()) + " bytes)");
    }
  }
  uint8_t u8(const char* what) {
    need(1, what);
    return b[off++];
  }
  uint16_t u16(const char* what) {
    need(2, what);
    const uint16_t v = static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
    off += 2;
    return v;
  }
  uint32_t u32(const char* what) {
    need(4, what);
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | b[off + static_cast<size_t>(i)];
    off += 4;
    return v;
  }
  uint64_t u64(const char* what) {
    const uint64_t lo = u32(what);
    return lo | (uint64_t{u32(what)} << 32);
  }
  std::string str(const char* what) {
    const uint8_t n = u8(what);
    need(n, what);
    std::string s(b.begin() + static_cast<std::ptrdiff_t>(off),
                  b.begin() + static_cast<std::ptrdiff_t>(off + n));
    off += n;
    return s;
  }
};

}  // namespace

uint64_t program_tag(std::span<const Insn> insns) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const Insn& in : insns) {
    const uint64_t w = in.raw();
    for (int i = 0; i < 8; ++i) h = (h ^ ((w >> (8 * i)) & 0xff)) * 0x100000001b3ull;
  }
  return h;
}

std::vector<uint8_t> encode_manifest(const Manifest& m) {
  Writer w;
  w.u64(m.load_time);
  w.u32(m.entry);
  w.u32(m.cores);
  w.str(m.object);
  w.u16(static_cast<uint16_t>(m.programs.size()));
  for (const ManifestProgram& p : m.programs) {
    w.str(p.name);
    w.str(p.section);
    w.u32(p.insns);
    w.u32(p.first);
    w.u64(p.tag);
  }
  w.u16(static_cast<uint16_t>(m.maps.size()));
  for (const ManifestMap& mm : m.maps) {
    w.str(mm.name);
    w.u32(mm.type);
    w.u32(mm.key_size);
    w.u32(mm.value_size);
    w.u32(mm.max_entries);
    w.u32(mm.flags);
    w.u32(mm.index);
  }
  while (w.b.size() % 4) w.u8(0);
  Writer h;
  h.u32(kManifestMagic);
  h.u32(kManifestVersion);
  h.u32(static_cast<uint32_t>(16 + w.b.size()));
  h.u32(fnv1a32(w.b));
  h.b.insert(h.b.end(), w.b.begin(), w.b.end());
  return h.b;
}

namespace {

// The fields a valid checksum does not vouch for: what the map and program accessors rely
// on. `slots`/`imem` are the device's MAP_SLOTS and IMEM_SLOTS (0: not known here).
void check_manifest_fields(const Manifest& m, const std::string& where, uint32_t slots = 0,
                           uint32_t imem = 0) {
  constexpr uint32_t kMaxKey = 512, kMaxValue = 1024;  // KBUF and VBUF windows
  constexpr uint64_t kMaxSlots = 65536;
  for (size_t i = 0; i < m.programs.size(); ++i) {
    const ManifestProgram& p = m.programs[i];
    const std::string what = where + ": program " + std::to_string(i) + " ('" + p.name + "')";
    const uint64_t end = uint64_t{p.first} + p.insns;
    if (p.insns == 0 || end > (imem ? imem : kMaxSlots)) {
      throw Error(what + ": slots " + std::to_string(p.first) + "+" + std::to_string(p.insns) +
                  " do not fit the instruction memory (" +
                  std::to_string(imem ? imem : kMaxSlots) + " slots)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (m.programs[j].name == p.name) throw Error(what + ": name used twice");
    }
  }
  for (size_t i = 0; i < m.maps.size(); ++i) {
    const ManifestMap& mm = m.maps[i];
    const std::string what = where + ": map " + std::to_string(i) + " ('" + mm.name + "')";
    if (mm.index != i) {
      throw Error(what + ": index " + std::to_string(mm.index) + ", expected its position " +
                  std::to_string(i));
    }
    if (slots && mm.index >= slots) {
      throw Error(what + ": index " + std::to_string(mm.index) + " is past the device's " +
                  std::to_string(slots) + " map slots (MAP_SLOTS)");
    }
    if (!map_type_supported(mm.type)) {
      throw Error(what + ": type " + std::to_string(mm.type) + " (" + map_type_name(mm.type) +
                  ") is not a supported map type");
    }
    const bool sizeless = mm.type == static_cast<uint32_t>(MapType::kRingbuf);
    if (mm.key_size > kMaxKey || (mm.key_size == 0 && !sizeless)) {
      throw Error(what + ": key size " + std::to_string(mm.key_size) + " is outside 1.." +
                  std::to_string(kMaxKey) + " (KBUF)");
    }
    if (mm.value_size > kMaxValue || (mm.value_size == 0 && !sizeless)) {
      throw Error(what + ": value size " + std::to_string(mm.value_size) + " is outside 1.." +
                  std::to_string(kMaxValue) + " (VBUF)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (m.maps[j].name == mm.name) throw Error(what + ": name used twice");
    }
  }
}

}  // namespace

Manifest decode_manifest(std::span<const uint8_t> bytes, const std::string& where_in) {
  const std::string where = "object info on " + where_in + " is corrupt";
  if (bytes.size() < 16) throw Error(where + ": " + std::to_string(bytes.size()) +
                                     " bytes, less than the 16-byte header");
  Reader hr{bytes.first(16), 0, where};
  const uint32_t magic = hr.u32("magic"), version = hr.u32("version"), length = hr.u32("length"),
                 sum = hr.u32("checksum");
  if (magic != kManifestMagic) {
    throw Error(where + ": magic reads " + hex32(magic) + ", expected " + hex32(kManifestMagic) +
                " (\"EBOI\")");
  }
  if (version != kManifestVersion) {
    throw Error(where + ": version " + std::to_string(version) + ", this host library reads " +
                std::to_string(kManifestVersion));
  }
  if (length < 16 || length > bytes.size() || length % 4) {
    throw Error(where + ": length " + std::to_string(length) + " is outside 16.." +
                std::to_string(bytes.size()) + " or not a multiple of 4");
  }
  const auto body = bytes.subspan(16, length - 16);
  if (fnv1a32(body) != sum) {
    throw Error(where + ": checksum " + hex32(sum) + " does not match the contents (" +
                hex32(fnv1a32(body)) + ")");
  }
  Reader r{body, 0, where};
  Manifest m;
  m.load_time = r.u64("load time");
  m.entry = r.u32("entry");
  m.cores = r.u32("cores");
  m.object = r.str("object name");
  const uint16_t np = r.u16("program count");
  for (uint16_t i = 0; i < np; ++i) {
    ManifestProgram p;
    p.name = r.str("program name");
    p.section = r.str("program section");
    p.insns = r.u32("program length");
    p.first = r.u32("program first slot");
    p.tag = r.u64("program tag");
    m.programs.push_back(std::move(p));
  }
  const uint16_t nm = r.u16("map count");
  for (uint16_t i = 0; i < nm; ++i) {
    ManifestMap mm;
    mm.name = r.str("map name");
    mm.type = r.u32("map type");
    mm.key_size = r.u32("key size");
    mm.value_size = r.u32("value size");
    mm.max_entries = r.u32("max entries");
    mm.flags = r.u32("map flags");
    mm.index = r.u32("map index");
    m.maps.push_back(std::move(mm));
  }
  if (m.programs.empty() || m.entry >= m.programs.size()) {
    throw Error(where + ": entry " + std::to_string(m.entry) + " of " +
                std::to_string(m.programs.size()) + " programs");
  }
  if (m.cores == 0 || m.cores > 255) throw Error(where + ": cores " + std::to_string(m.cores));
  check_manifest_fields(m, where);
  return m;
}

std::optional<Manifest> read_manifest(Device& dev) {
  Bus* bus = dev.bus();
  if (!bus) return std::nullopt;
  const DeviceInfo& caps = dev.info();
  if (!caps.has_feature(DeviceInfo::kFeatObjinfo) || caps.objinfo_bytes < 16) {
    throw Error(dev.uri() + ": the device has no OBJINFO window (CAP_FEATURES bit 2 is clear), "
                "so no other process can find what is loaded on it");
  }
  const std::vector<uint32_t> head = bus->read_block(reg::kWinObjinfo, 4);
  if (head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] == 0) return std::nullopt;
  uint32_t words = caps.objinfo_bytes / 4;
  if (head[0] == kManifestMagic && head[2] >= 16 && head[2] <= caps.objinfo_bytes) {
    words = (head[2] + 3) / 4;  // read only what the header says is there
  }
  const std::vector<uint32_t> all = bus->read_block(reg::kWinObjinfo, words);
  std::vector<uint8_t> bytes(all.size() * 4);
  std::memcpy(bytes.data(), all.data(), bytes.size());
  Manifest m = decode_manifest(bytes, dev.uri());
  check_manifest_fields(m, "object info on " + dev.uri() + " is corrupt", caps.map_slots,
                        caps.imem_slots);
  return m;
}

void write_objinfo_raw(Device& dev, std::span<const uint8_t> bytes) {
  Bus* bus = dev.bus();
  if (!bus) throw Error(dev.uri() + ": no OBJINFO window (no register bus)");
  std::vector<uint32_t> words((bytes.size() + 3) / 4, 0);
  std::memcpy(words.data(), bytes.data(), bytes.size());
  BusBatch b(*bus);
  b.write_block(reg::kWinObjinfo, words);
  b.flush();
}

// ---------------------------------------------------------------------------------------

struct OffloadObject::Impl {
  bool loaded_here = false;        // this process loaded it: the engine can run it
  std::unique_ptr<ManifestMapAccess> reopened;
  MapStore empty;                  // interp: object without maps
  MemoryImage mem;
  uint64_t budget = addr::kDefaultBudget;
  bool unloaded = false;
  // poll_events(): what this object has delivered of the held event FIFO. The FIFO is
  // emptied only by an EVT_ACK naming all of it; EVT_ACK reads how often that happened, so a
  // change there means the delivered prefix is gone.
  struct EvtState {
    bool valid = false;
    uint32_t empties = 0, bytes = 0, lost = 0;
  } evt;
};

OffloadObject::OffloadObject() : impl_(std::make_unique<Impl>()) {}
OffloadObject::OffloadObject(OffloadObject&& o) noexcept
    : dev_(o.dev_),
      manifest_(std::move(o.manifest_)),
      maps_(std::move(o.maps_)),
      callbacks_(std::move(o.callbacks_)),
      impl_(std::move(o.impl_)) {
  for (OffloadMap& m : maps_) m.obj_ = this;
}
OffloadObject& OffloadObject::operator=(OffloadObject&& o) noexcept {
  dev_ = o.dev_;
  manifest_ = std::move(o.manifest_);
  maps_ = std::move(o.maps_);
  callbacks_ = std::move(o.callbacks_);
  impl_ = std::move(o.impl_);
  for (OffloadMap& m : maps_) m.obj_ = this;
  return *this;
}
OffloadObject::~OffloadObject() = default;

namespace {

void wait_io_idle(Bus& bus, const std::string& uri) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (bus.read(io_csr::kStatus) & io_csr::kStatusBusy) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw Error(uri + ": the packet I/O block stayed busy for 5 s after detaching");
    }
    bus.wait(std::chrono::microseconds(10));
  }
}

}  // namespace

OffloadObject OffloadObject::load(Device& dev, const Object& obj, const OffloadLoadOptions& opts) {
  OffloadObject o;
  o.dev_ = &dev;
  const ProgramSpec& entry = obj.select_program(opts.program, opts.section);
  // Everything the capability block can refuse (docs/host.md, "Capability check"), before a
  // word is written: instruction memory, program table, map slots, map types, helpers.
  const DeviceInfo& caps = dev.info();
  dev.check_compatible(obj);
  Bus* bus = dev.bus();
  if (bus) {
    // The map pools: refuse maps that do not fit before anything is written.
    BusCsrIo io(*bus);
    try {
      layout_maps(obj.maps(), opts.maps, device::read_map_unit_params(io));
    } catch (const Error& e) {
      throw Error(obj.name() + " on " + dev.uri() + ": " + e.what());
    }
  }
  Manifest& m = o.manifest_;
  m.object = obj.name();
  m.load_time = static_cast<uint64_t>(std::time(nullptr));
  m.cores = opts.maps.cores;
  uint32_t first = 0;
  std::vector<std::vector<Insn>> progs;
  for (size_t i = 0; i < obj.programs().size(); ++i) {
    const ProgramSpec& p = obj.programs()[i];
    if (p.name == entry.name && p.section == entry.section) m.entry = static_cast<uint32_t>(i);
    m.programs.push_back({p.name, p.section, static_cast<uint32_t>(p.insns.size()), first,
                          program_tag(p.insns)});
    first += static_cast<uint32_t>(p.insns.size());
    progs.push_back(p.insns);
  }
  for (size_t i = 0; i < obj.maps().size(); ++i) {
    const MapSpec& s = obj.maps()[i];
    m.maps.push_back({s.name, static_cast<uint32_t>(s.type), s.key_size, s.value_size,
                      s.max_entries, s.map_flags, static_cast<uint32_t>(i)});
  }
  std::vector<uint8_t> manifest;
  try {
    manifest = encode_manifest(m);
  } catch (const Error& e) {
    throw Error(obj.name() + ": cannot record it in the object info: " + e.what());
  }
  const bool objinfo = bus && caps.has_feature(DeviceInfo::kFeatObjinfo);
  if (objinfo && manifest.size() > caps.objinfo_bytes) {
    throw Error(obj.name() + " on " + dev.uri() + ": its manifest takes " +
                std::to_string(manifest.size()) + " bytes; the OBJINFO window holds " +
                std::to_string(caps.objinfo_bytes) + " (shorter names would fit)");
  }

  // The load-time checker on every program, as the engine's load runs it: an object it
  // refuses leaves the device attached, with its programs, maps and manifest as they were.
  for (const ProgramSpec& p : obj.programs()) {
    try {
      check_program_or_throw(p.insns, CheckOptions{.cpu_version = LoadOptions{}.cpu_version});
    } catch (const Error& err) {
      throw Error(obj.name() + " on " + dev.uri() + ": program '" + p.name + "': " + err.what());
    }
  }

  // Checks passed: change the device.
  if (bus && caps.has_io) {
    bus->write(io_csr::kCtrl, 0);
    wait_io_idle(*bus, dev.uri());
  }
  if (objinfo) write_objinfo_raw(dev, std::vector<uint8_t>(16, 0));  // nothing valid meanwhile
  Engine& e = dev.engine();
  try {
    e.load_programs(progs, m.entry, LoadOptions{.prandom_seed = opts.prandom_seed});
  } catch (const Error& err) {
    throw Error(obj.name() + " on " + dev.uri() + ": " + err.what());
  }
  try {
    e.configure_maps(obj.maps(), opts.maps);
  } catch (const Error& err) {
    throw Error(obj.name() + " on " + dev.uri() + ": cannot configure the maps: " + err.what());
  }
  MapAccess* maps = e.maps();
  if (!maps) {
    o.impl_->empty.configure({}, opts.maps);
    maps = &o.impl_->empty;
  }
  init_prog_arrays(*maps, obj.maps(), obj.programs());
  if (objinfo) write_objinfo_raw(dev, manifest);
  o.impl_->loaded_here = true;
  o.impl_->budget = opts.budget;
  for (const ManifestMap& mm : m.maps) o.maps_.push_back(OffloadMap(o, mm));
  return o;
}

OffloadObject OffloadObject::open_loaded(Device& dev) {
  if (in_process(dev) && !dev.bus()) {
    throw Error("no program loaded on " + dev.uri() + " (interp: lives inside one process; "
                "state persists across processes only on udp://, pcie:// or pcie-socket://)");
  }
  const std::string in_process_hint =
      " (sim: lives inside one process; state persists across processes only on udp://, "
      "pcie:// or pcie-socket://)";
  std::optional<Manifest> m;
  if (in_process(dev) && !dev.info().has_feature(DeviceInfo::kFeatObjinfo)) {
    throw Error("no program loaded on " + dev.uri() + in_process_hint);
  }
  m = read_manifest(dev);
  if (!m) {
    throw Error("no program loaded on " + dev.uri() + (in_process(dev) ? in_process_hint : ""));
  }
  // The program table must still hold what the manifest describes.
  Bus& bus = *dev.bus();
  std::vector<uint32_t> table(2 * m->programs.size());
  BusBatch b(bus);
  for (size_t k = 0; k < m->programs.size(); ++k) {
    b.read(csr::prog_first(static_cast<unsigned>(k)), &table[2 * k]);
    b.read(csr::prog_len(static_cast<unsigned>(k)), &table[2 * k + 1]);
  }
  b.flush();
  for (size_t k = 0; k < m->programs.size(); ++k) {
    if (table[2 * k] != m->programs[k].first || table[2 * k + 1] != m->programs[k].insns) {
      throw Error("object info on " + dev.uri() + " does not match the device: program " +
                  std::to_string(k) + " ('" + m->programs[k].name + "') should be slots " +
                  std::to_string(m->programs[k].first) + "+" +
                  std::to_string(m->programs[k].insns) + ", the program table holds " +
                  std::to_string(table[2 * k]) + "+" + std::to_string(table[2 * k + 1]) +
                  " (the device was reset or reloaded by other means)");
    }
  }
  OffloadObject o;
  o.dev_ = &dev;
  o.manifest_ = std::move(*m);
  o.impl_->reopened = std::make_unique<ManifestMapAccess>(bus, o.manifest_);
  for (const ManifestMap& mm : o.manifest_.maps) o.maps_.push_back(OffloadMap(o, mm));
  return o;
}

OffloadMap& OffloadObject::map(std::string_view name) {
  for (OffloadMap& m : maps_) {
    if (m.name() == name) return m;
  }
  std::string list;
  for (const OffloadMap& m : maps_) list += (list.empty() ? "" : ", ") + m.name();
  throw Error("no map '" + std::string(name) + "' in " + manifest_.object + " on " +
              dev_->uri() + " (maps: " + (list.empty() ? "none" : list) + ")");
}

const ManifestProgram& OffloadObject::program(std::string_view name) const {
  for (const ManifestProgram& p : manifest_.programs) {
    if (p.name == name) return p;
  }
  std::string list;
  for (const ManifestProgram& p : manifest_.programs) list += (list.empty() ? "" : ", ") + p.name;
  throw Error("no program '" + std::string(name) + "' in " + manifest_.object + " (programs: " +
              list + ")");
}

MapAccess& OffloadObject::map_access() {
  if (impl_->unloaded) throw Error(dev_->uri() + ": the object was unloaded");
  if (impl_->reopened) return *impl_->reopened;
  MapAccess* m = dev_->engine().maps();
  if (!m || m->map_count() != manifest_.maps.size()) return impl_->empty;
  return *m;
}

void OffloadObject::attach() {
  Bus* bus = dev_->bus();
  if (!bus || !dev_->info().has_io) {
    throw Error(dev_->uri() + ": cannot attach: the device has no packet I/O block (IO_ID at " +
                hex32(io_csr::kId) + " does not read \"XDIO\"); test_run() runs the program on "
                "frames the host injects");
  }
  // Events of the frames that flow stay on the device until poll_events() takes them.
  if (dev_->info().has_feature(DeviceInfo::kFeatEvtHold)) {
    bus->write(reg::kEvtCtrl, 1);
    impl_->evt.valid = false;
  }
  bus->write(io_csr::kCtrl, io_csr::kCtrlEnable);
}

void OffloadObject::detach() {
  Bus* bus = dev_->bus();
  if (!bus || !dev_->info().has_io) return;
  bus->write(io_csr::kCtrl, 0);
  wait_io_idle(*bus, dev_->uri());
}

bool OffloadObject::attached() {
  Bus* bus = dev_->bus();
  if (!bus || !dev_->info().has_io) return false;
  return (bus->read(io_csr::kCtrl) & io_csr::kCtrlEnable) != 0;
}

XdpPacketOut OffloadObject::test_run(const XdpPacketIn& packet) {
  if (impl_->unloaded) throw Error(dev_->uri() + ": the object was unloaded");
  if (!impl_->loaded_here) {
    throw Error(dev_->uri() + ": test_run needs the object loaded by this process (load()); "
                "one found through the object info can be inspected and its maps changed");
  }
  if (attached()) {
    throw Error(dev_->uri() + ": the program is attached (frames flow through it); detach "
                "before a test run");
  }
  // A test run reads its own events from the start of the FIFO: HOLD off (its start clears
  // the FIFO, records left by attached frames go; poll_events() before to keep them).
  if (Bus* bus = dev_->bus(); bus && dev_->info().has_feature(DeviceInfo::kFeatEvtHold) &&
                              (bus->read(reg::kEvtCtrl) & 1)) {
    bus->write(reg::kEvtCtrl, 0);
    impl_->evt.valid = false;
  }
  XdpPacketOut out = run_xdp_frame(dev_->engine(), impl_->mem, packet, impl_->budget);
  for (const Event& ev : out.events) {
    for (const EventCallback& cb : callbacks_) cb(ev);
  }
  return out;
}

size_t OffloadObject::poll_events() {
  Bus* bus = dev_->bus();
  if (!bus || !dev_->info().has_feature(DeviceInfo::kFeatEvtHold)) {
    throw Error(dev_->uri() + ": the device does not keep events while frames flow "
                "(CAP_FEATURES.EVT_HOLD is clear); events arrive with each test run");
  }
  Impl::EvtState& st = impl_->evt;
  uint32_t ctrl = 0, empties = 0, bytes = 0, empties2 = 0, lost = 0;
  for (int attempt = 0;; ++attempt) {
    BusBatch b(*bus);
    b.read(reg::kEvtCtrl, &ctrl).read(reg::kEvtAck, &empties).read(csr::kEvtBytes, &bytes);
    b.read(reg::kEvtAck, &empties2).read(reg::kEvtLost, &lost);
    b.flush();
    if (empties == empties2) break;   // no acknowledgement took effect in between
    if (attempt == 8) {
      throw Error(dev_->uri() + ": EVT_ACK (" + hex32(reg::kEvtAck) + ") keeps changing (" +
                  std::to_string(empties) + ", " + std::to_string(empties2) +
                  "): another host process is consuming the events");
    }
  }
  st.lost = lost;
  if (!(ctrl & 1)) {
    // HOLD was off: what the FIFO holds is the last run's (a test run's events went to the
    // callbacks already). Keep from now on and drop that.
    bus->write(reg::kEvtCtrl, 1);
    bus->write(reg::kEvtAck, bus->read(csr::kEvtBytes));
    st.valid = false;
    return 0;
  }
  if (bytes > device::kEventWindowBytes || bytes % 8 != 0) {
    throw Error(dev_->uri() + ": EVT_BYTES (" + hex32(csr::kEvtBytes) + ") reads " +
                std::to_string(bytes) + ", not a multiple of 8 within the " +
                std::to_string(device::kEventWindowBytes) +
                "-byte event window (malformed device answer)");
  }
  if (!st.valid || st.empties != empties || bytes < st.bytes) {
    st.valid = true;
    st.empties = empties;
    st.bytes = 0;
  }
  if (bytes == st.bytes) return 0;
  const uint32_t new_bytes = bytes - st.bytes;
  const std::vector<uint32_t> words = bus->read_block(csr::kWinEvents + st.bytes, new_bytes / 4);
  std::vector<uint8_t> fifo(words.size() * 4);
  std::memcpy(fifo.data(), words.data(), fifo.size());
  // Records are counted by walking their headers within EVT_BYTES (EVT_COUNT, read in another
  // bus cycle, may already include a record committed in between).
  uint32_t records = 0;
  for (size_t off = 0; off + 16 <= fifo.size(); ++records) {
    uint32_t len = 0;
    std::memcpy(&len, fifo.data() + off + 4, 4);
    off += 16 + ((size_t{len} + 7) & ~size_t{7});
  }
  std::vector<Event> events;
  try {
    events = device::parse_event_records(fifo, records, 0);
  } catch (const std::exception& e) {
    throw Error(dev_->uri() + ": event FIFO bytes " + std::to_string(st.bytes) + ".." +
                std::to_string(bytes) + ": " + e.what());
  }
  st.bytes = bytes;
  // Empties the FIFO unless more records came meanwhile (then EVT_ACK's count stays and the
  // next poll continues after these).
  bus->write(reg::kEvtAck, bytes);
  for (const Event& ev : events) {
    for (const EventCallback& cb : callbacks_) cb(ev);
  }
  return events.size();
}

uint32_t OffloadObject::events_lost() const { return impl_->evt.lost; }

namespace {
// A map command's results (a looked-up value, a next key) are read from the map unit's key
// and value buffers after the command completes, and a frame's run between the two reuses
// those buffers for the program's own map calls. While the device is attached, map commands
// therefore run with the flow paused: IO_CTRL.ENABLE cleared, the frame in flight finished
// (IO_STATUS.BUSY clear), and ENABLE set again afterwards, also on error. Frames wait
// upstream meanwhile (the ingress stream is not ready); none is lost. Nothing to do on a
// device without the packet I/O block (IO_CTRL reads 0) or one that is not attached.
class FlowPause {
 public:
  explicit FlowPause(Device& dev) : dev_(dev), bus_(dev.bus()) {
    if (!bus_ || (bus_->read(io_csr::kCtrl) & io_csr::kCtrlEnable) == 0) return;
    bus_->write(io_csr::kCtrl, 0);
    paused_ = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (bus_->read(io_csr::kStatus) & io_csr::kStatusBusy) {
      if (std::chrono::steady_clock::now() > deadline) {
        resume();
        throw Error(dev_.uri() + ": a frame stayed in flight for 5 s while pausing the flow "
                                 "for a map command (IO_STATUS.BUSY)");
      }
      bus_->wait(std::chrono::microseconds(10));
    }
  }
  ~FlowPause() {
    try {
      resume();
    } catch (...) {
      // The link failed; the next operation reports it.
    }
  }
  FlowPause(const FlowPause&) = delete;
  FlowPause& operator=(const FlowPause&) = delete;

 private:
  void resume() {
    if (paused_) {
      paused_ = false;
      bus_->write(io_csr::kCtrl, io_csr::kCtrlEnable);
    }
  }
  Device& dev_;
  Bus* bus_;
  bool paused_ = false;
};
}  // namespace

IoCounters OffloadObject::io_counters() { return read_io_counters(*dev_); }

IoCounters read_io_counters(Device& dev) {
  Bus* bus = dev.bus();
  const DeviceInfo& caps = dev.info();
  if (!bus || !caps.has_io) {
    throw Error(dev.uri() + ": the device has no packet I/O block (IO_ID at " +
                hex32(io_csr::kId) + " does not read \"XDIO\"), so it counts no frames");
  }
  IoCounters c;
  c.rx.resize(caps.io_ports);
  c.tx.resize(caps.io_ports);
  BusBatch b(*bus);
  for (uint32_t a = 0; a < 5; ++a) b.read(io_csr::kCntAction + 4 * a, &c.action[a]);
  for (uint32_t f = 0; f < io_csr::kNumFaults; ++f) b.read(io_csr::kCntFault + 4 * f, &c.fault[f]);
  b.read(io_csr::kCntOversize, &c.oversize).read(io_csr::kCntMalformed, &c.malformed);
  b.read(io_csr::kCntRedirBad, &c.redir_bad).read(io_csr::kCntEmpty, &c.empty);
  b.read(io_csr::kCntHostDrop, &c.host_drop);
  for (uint32_t p = 0; p < caps.io_ports; ++p) {
    b.read(io_csr::kCntRx + 4 * p, &c.rx[p]).read(io_csr::kCntTx + 4 * p, &c.tx[p]);
  }
  b.flush();
  return c;
}

void OffloadObject::clear_io_counters() { ebpf::clear_io_counters(*dev_); }

void clear_io_counters(Device& dev) {
  Bus* bus = dev.bus();
  if (!bus || !dev.info().has_io) return;
  const uint32_t ctrl = bus->read(io_csr::kCtrl);
  bus->write(io_csr::kCtrl, (ctrl & io_csr::kCtrlEnable) | io_csr::kCtrlClear);
}

IoCounters take_io_counters(Device& dev) {
  Bus* bus = dev.bus();
  if (!bus || !dev.info().has_io) return read_io_counters(dev);  // throws
  FlowPause pause(dev);  // ENABLE is 0 from here until the destructor restores it
  IoCounters c = read_io_counters(dev);
  bus->write(io_csr::kCtrl, io_csr::kCtrlClear);
  return c;
}

void OffloadObject::unload() {
  if (impl_->unloaded) return;
  Bus* bus = dev_->bus();
  if (bus) {
    detach();
    BusCsrIo io(*bus);
    const uint32_t max_programs = io.read(csr::kMaxPrograms);
    const uint32_t slots = io.read(csr::kMapSlots);
    for (uint32_t k = 0; k < max_programs; ++k) io.write(csr::prog_len(k), 0);
    io.write(csr::kProgLen, 0);
    for (uint32_t m = 0; m < slots; ++m) {
      io.write(csr::kWinMapDesc + 4 * (m * kMapDescWords + map_desc::kCtrl), 0);
      io.write(csr::kMinfo + 16 * m, 0);
    }
    io.flush();
    if (dev_->info().has_feature(DeviceInfo::kFeatObjinfo)) {
      write_objinfo_raw(*dev_, std::vector<uint8_t>(16, 0));
    }
  }
  impl_->unloaded = true;
  impl_->loaded_here = false;
}

// ---- OffloadMap ----


uint32_t OffloadMap::value_bytes() const {
  MapSpec s;
  s.type = static_cast<MapType>(spec_.type);
  s.value_size = spec_.value_size;
  return host_value_size(s, obj_->manifest_.cores);
}

void OffloadMap::check(const char* what, size_t got, size_t want) const {
  if (got != want) {
    throw Error("map '" + spec_.name + "' on " + obj_->dev_->uri() + ": " + what + " is " +
                std::to_string(got) + " bytes, the map's " +
                (std::string(what) == "key" ? "key_size" : "value size") + " is " +
                std::to_string(want));
  }
}

std::optional<std::vector<uint8_t>> OffloadMap::lookup(std::span<const uint8_t> key) {
  check("key", key.size(), spec_.key_size);
  std::vector<uint8_t> v(value_bytes());
  FlowPause pause(*obj_->dev_);
  const int rc = obj_->map_access().lookup(spec_.index, key, v);
  if (rc == -2) return std::nullopt;  // -ENOENT
  if (rc != 0) {
    throw Error("map '" + spec_.name + "': lookup failed: errno " + std::to_string(-rc));
  }
  return v;
}

std::optional<std::vector<std::vector<uint8_t>>> OffloadMap::lookup_percpu(
    std::span<const uint8_t> key) {
  auto v = lookup(key);
  if (!v) return std::nullopt;
  std::vector<std::vector<uint8_t>> out;
  MapSpec s;
  s.type = static_cast<MapType>(spec_.type);
  if (!map_is_percpu(s.type)) {
    out.push_back(std::move(*v));
    return out;
  }
  const uint32_t stride = map_value_stride(spec_.value_size);
  for (size_t off = 0; off + stride <= v->size(); off += stride) {
    out.emplace_back(v->begin() + static_cast<std::ptrdiff_t>(off),
                     v->begin() + static_cast<std::ptrdiff_t>(off + spec_.value_size));
  }
  return out;
}

int OffloadMap::update(std::span<const uint8_t> key, std::span<const uint8_t> value,
                       uint64_t flags) {
  check("key", key.size(), spec_.key_size);
  check("value", value.size(), value_bytes());
  FlowPause pause(*obj_->dev_);
  return obj_->map_access().update(spec_.index, key, value, flags);
}

int OffloadMap::remove(std::span<const uint8_t> key) {
  check("key", key.size(), spec_.key_size);
  FlowPause pause(*obj_->dev_);
  return obj_->map_access().remove(spec_.index, key);
}

std::optional<std::vector<uint8_t>> OffloadMap::next_key(
    std::optional<std::span<const uint8_t>> key) {
  if (key) check("key", key->size(), spec_.key_size);
  std::vector<uint8_t> next(spec_.key_size);
  FlowPause pause(*obj_->dev_);
  const int rc = obj_->map_access().get_next_key(spec_.index, key, next);
  if (rc != 0) return std::nullopt;
  return next;
}

std::vector<MapEntry> OffloadMap::entries() {
  FlowPause pause(*obj_->dev_);  // once for the whole walk: a consistent snapshot
  return dump_map(obj_->map_access(), spec_.index);
}

// ---- XdpSession over a device ----

namespace {
class DeviceXdpSession final : public XdpSession {
 public:
  DeviceXdpSession(Device& dev, const XdpSessionOptions& opts) : dev_(dev), opts_(opts) {}
  std::string_view engine() const override { return name_; }
  void load(const Object& obj, const ProgramSpec& entry) override {
    OffloadLoadOptions o;
    o.program = entry.name;
    o.section = entry.section;
    o.maps = opts_.maps;
    o.prandom_seed = opts_.prandom_seed;
    o.budget = opts_.budget;
    // select_program takes a name or a section; the name is enough within one object.
    o.section.reset();
    obj_.emplace(OffloadObject::load(dev_, obj, o));
  }
  MapAccess& maps() override {
    if (!obj_) throw Error("xdp session (" + name_ + "): maps() before load()");
    return obj_->map_access();
  }
  XdpPacketOut run(const XdpPacketIn& packet) override {
    if (!obj_) throw Error("xdp session (" + name_ + "): run() before load()");
    return obj_->test_run(packet);
  }

 private:
  Device& dev_;
  XdpSessionOptions opts_;
  std::string name_ = "device";
  std::optional<OffloadObject> obj_;
};
}  // namespace

std::unique_ptr<XdpSession> make_device_xdp_session(Device& dev, const XdpSessionOptions& opts) {
  return std::make_unique<DeviceXdpSession>(dev, opts);
}

}  // namespace ebpf
