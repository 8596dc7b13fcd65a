// Offloading XDP objects to a device, in libbpf's object/program/map shape (docs/host.md,
// "Offload API"):
//
//   ebpf::Device dev = ebpf::Device::open("udp://127.0.0.1:1234");
//   ebpf::Object obj = ebpf::Object::open_file("firewall.o");
//   ebpf::OffloadObject off = ebpf::OffloadObject::load(dev, obj, {.program = "firewall"});
//   off.map("rules").update(key, value, ebpf::kBpfNoexist);
//   off.attach();                                   // frames flow through the program
//   ebpf::IoCounters c = off.io_counters();         // per action, fault, port
//
// load() checks the object against the device's capability block (instruction memory,
// program table, map slots, map types, helpers) before writing anything, loads every program
// into the program table (the entry chosen by name or section), configures the maps with
// their global data, fills PROG_ARRAYs, and stores a manifest of what it loaded in the
// device's OBJINFO window. Another process re-opens it by name with open_loaded(), as
// bpftool reads what the kernel holds. Every failure throws ebpf::Error with a message that
// names the device, the object, the map or program, and what was wrong.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ebpf_fpga/device.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/maps.h"
#include "ebpf_fpga/object.h"
#include "ebpf_fpga/xdp_session.h"

namespace ebpf {

// The manifest stored in the OBJINFO window: what one load() put on the device.
struct ManifestProgram {
  std::string name, section;
  uint32_t insns = 0;       // slots
  uint32_t first = 0;       // first slot in the instruction memory
  uint64_t tag = 0;         // FNV-1a 64 of the instruction bytes
};
struct ManifestMap {
  std::string name;
  uint32_t type = 0, key_size = 0, value_size = 0, max_entries = 0, flags = 0;
  uint32_t index = 0;       // the map's descriptor index on the device
};
struct Manifest {
  std::string object;       // the object's name (its path when loaded from a file)
  uint64_t load_time = 0;   // seconds since the Unix epoch
  uint32_t entry = 0;       // index into programs
  uint32_t cores = 1;       // PERCPU copies
  std::vector<ManifestProgram> programs;
  std::vector<ManifestMap> maps;
};
inline constexpr uint32_t kManifestMagic = 0x494f4245;  // "EBOI"
inline constexpr uint32_t kManifestVersion = 1;
// The window's layout: magic, version, length (bytes, header included), checksum (FNV-1a 32
// of the bytes after the header), then the body (docs/host.md, "The manifest").
std::vector<uint8_t> encode_manifest(const Manifest& m);
// Throws ebpf::Error "WHERE: object info is corrupt: what" (never reads out of bounds).
Manifest decode_manifest(std::span<const uint8_t> bytes, const std::string& where);
uint64_t program_tag(std::span<const Insn> insns);

// Counters of the packet I/O block (docs/packet_io.md), all wrapping 32-bit.
struct IoCounters {
  std::array<uint32_t, 5> action{};   // per XDP action
  std::array<uint32_t, 16> fault{};   // per fault code
  uint32_t oversize = 0, malformed = 0, redir_bad = 0, empty = 0, host_drop = 0;
  std::vector<uint32_t> rx, tx;       // per port
};

using EventCallback = std::function<void(const Event&)>;

struct OffloadLoadOptions {
  std::optional<std::string> program;  // entry by function name
  std::optional<std::string> section;  // or by ELF section
  MapOptions maps = {};                // cores (PERCPU copies), hash seed
  uint64_t prandom_seed = LoadOptions{}.prandom_seed;
  uint64_t budget = addr::kDefaultBudget;  // instructions per test run
};

class OffloadObject;

// One map of a loaded object, addressed by name. Keys and values are raw bytes; a span of
// the wrong size throws before anything is sent ("map 'rules': key is 3 bytes, the map's
// key_size is 4"). PERCPU values are round_up(value_size, 8) x cores bytes
// (lookup_percpu splits them).
class OffloadMap {
 public:
  const std::string& name() const { return spec_.name; }
  const ManifestMap& spec() const { return spec_; }
  uint32_t value_bytes() const;  // host value size (PERCPU: all copies)

  std::optional<std::vector<uint8_t>> lookup(std::span<const uint8_t> key);
  std::optional<std::vector<std::vector<uint8_t>>> lookup_percpu(std::span<const uint8_t> key);
  // 0 or a negative errno, as bpf_map_update_elem returns it (-EEXIST, -ENOENT, -E2BIG...).
  int update(std::span<const uint8_t> key, std::span<const uint8_t> value, uint64_t flags = 0);
  int remove(std::span<const uint8_t> key);
  std::optional<std::vector<uint8_t>> next_key(std::optional<std::span<const uint8_t>> key);
  std::vector<MapEntry> entries();  // get_next_key order

 private:
  friend class OffloadObject;
  OffloadMap(OffloadObject& obj, ManifestMap spec) : obj_(&obj), spec_(std::move(spec)) {}
  void check(const char* what, size_t got, size_t want) const;
  OffloadObject* obj_;
  ManifestMap spec_;
};

class OffloadObject {
 public:
  // Checks, loads, configures and records `obj` on `dev` (see the top of this file). The
  // device is detached first (IO_CTRL.ENABLE cleared) and stays detached.
  static OffloadObject load(Device& dev, const Object& obj, const OffloadLoadOptions& opts = {});
  // Finds what another process loaded, from the OBJINFO manifest. Throws "no program
  // loaded on URI" or "object info on URI is corrupt: ..." (or that the program table no
  // longer matches it). test_run() needs the object: pass it to adopt() first.
  static OffloadObject open_loaded(Device& dev);

  OffloadObject(OffloadObject&&) noexcept;
  OffloadObject& operator=(OffloadObject&&) noexcept;
  ~OffloadObject();

  Device& device() { return *dev_; }
  const Manifest& manifest() const { return manifest_; }

  // By name; throws "no map 'x' in OBJ (maps: a, b, c)".
  OffloadMap& map(std::string_view name);
  std::vector<OffloadMap>& maps() { return maps_; }
  const ManifestProgram& program(std::string_view name) const;
  const ManifestProgram& entry() const { return manifest_.programs.at(manifest_.entry); }

  // Host map access underneath (MapAccess indexes = manifest map order).
  MapAccess& map_access();

  // Frames flow through the entry program (IO_CTRL.ENABLE); throws when the device has no
  // packet I/O block.
  void attach();
  void detach();
  bool attached();

  // The offloaded BPF_PROG_TEST_RUN: runs the entry program on one frame; events go to the
  // callbacks too. Needs the program loaded by this process (load()).
  XdpPacketOut test_run(const XdpPacketIn& packet);

  // perf_buffer / ring_buffer: called for every event of every test_run, and by
  // poll_events() for events the device kept while frames flowed (CAP_FEATURES.EVT_HOLD).
  void on_event(EventCallback cb) { callbacks_.push_back(std::move(cb)); }
  // EVT_HOLD devices: delivers the events the device kept since the last call (attach() sets
  // EVT_CTRL.HOLD; a first call on a device without HOLD set sets it and drops what the FIFO
  // held) and acknowledges them (EVT_ACK); returns the events delivered. Throws on a device
  // without EVT_HOLD. test_run() clears HOLD (poll before it to keep attached frames' events).
  size_t poll_events();
  // EVT_LOST as the last poll_events() read it: events refused because the held FIFO was full.
  uint32_t events_lost() const;

  IoCounters io_counters();   // throws without a packet I/O block
  void clear_io_counters();

  // Removes the programs (program table emptied), the maps (descriptors invalid) and the
  // manifest. The object is unusable afterwards.
  void unload();

 private:
  OffloadObject();
  struct Impl;
  Device* dev_ = nullptr;
  Manifest manifest_;
  std::vector<OffloadMap> maps_;
  std::vector<EventCallback> callbacks_;
  std::unique_ptr<Impl> impl_;
  friend class OffloadMap;
};

// The packet I/O block's counters, with or without a loaded object; throws without the
// block.
IoCounters read_io_counters(Device& dev);
// Zeroes them (IO_CTRL.CLEAR, ENABLE kept); nothing without the block.
void clear_io_counters(Device& dev);
// Reads the counters and zeroes them with the flow paused in between (IO_CTRL.ENABLE
// cleared, the frame in flight finished, ENABLE restored, as for map commands): the block
// has no atomic snapshot-and-clear, and a frame counted between a read_io_counters() and a
// clear_io_counters() would be counted by neither. Frames wait upstream meanwhile, so every
// frame is in exactly one take. Throws without the block.
IoCounters take_io_counters(Device& dev);

// What the OBJINFO window holds, without opening: nullopt when nothing is loaded; throws
// for a corrupt window. For `prog show`.
std::optional<Manifest> read_manifest(Device& dev);
// Writes raw bytes into the OBJINFO window (tests of corrupt manifests use it).
void write_objinfo_raw(Device& dev, std::span<const uint8_t> bytes);

// The host library's version ("0.1.0"), as installed (libebpf_fpga.so).
const char* library_version();

// An XdpSession on a device (`ebpf-fpga run --device URI`): loads through OffloadObject.
std::unique_ptr<XdpSession> make_device_xdp_session(Device& dev, const XdpSessionOptions& opts);

}  // namespace ebpf
