#include "map_unit_driver.h"

#include <cstring>
#include <string>

#include "ebpf_fpga/error.h"

namespace ebpf {

MapUnitDriver::MapUnitDriver(MapUnitPort& port, const MapUnitParams& params)
    : port_(port), params_(params) {}

void MapUnitDriver::configure(std::span<const MapSpec> specs, const MapOptions& opts) {
  MapLayout layout = layout_maps(specs, opts, params_);
  // Unused descriptors are written invalid so that stale maps cannot be addressed.
  for (uint32_t m = 0; m < params_.max_maps; ++m) {
    for (uint32_t w = 0; w < kMapDescWords; ++w) {
      const uint32_t v = m < layout.desc.size() ? layout.desc[m][w] : 0;
      // The control word (with the valid bit) goes last.
      if (w != map_desc::kCtrl) port_.write_desc(m * kMapDescWords + w, v);
    }
    port_.write_desc(m * kMapDescWords + map_desc::kCtrl,
                     m < layout.desc.size() ? layout.desc[m][map_desc::kCtrl] : 0);
  }
  layout_ = std::move(layout);
  specs_.assign(specs.begin(), specs.end());
  for (auto& s : specs_) {
    if (s.type == MapType::kPerfEventArray && s.max_entries == 0) s.max_entries = opts.cores;
  }
  cores_ = opts.cores;
  for (uint32_t m = 0; m < specs_.size(); ++m) {
    if (init(m) != 0) throw Error("map '" + specs_[m].name + "': INIT failed");
    if (!specs_[m].initial_value.empty()) {
      const uint8_t k[4] = {0, 0, 0, 0};
      put_key(k);
      put_value(specs_[m].initial_value);
      if (run(MapOp::kUpdate, m, kBpfAny, false, 0).status != 0) {
        throw Error("map '" + specs_[m].name + "': writing the initial value failed");
      }
    }
  }
}

uint32_t MapUnitDriver::map_count() const { return static_cast<uint32_t>(specs_.size()); }

const MapSpec& MapUnitDriver::spec(uint32_t map) const {
  check_map(map);
  return specs_[map];
}

void MapUnitDriver::check_map(uint32_t map) const {
  if (map >= specs_.size()) {
    throw Error("map index " + std::to_string(map) + " is out of range (" +
                std::to_string(specs_.size()) + " maps configured)");
  }
}

void MapUnitDriver::check_size(uint32_t map, const char* what, size_t got, size_t want) const {
  if (got != want) {
    throw Error("map '" + specs_[map].name + "': " + what + " is " + std::to_string(got) +
                " bytes, the map needs " + std::to_string(want));
  }
}

namespace {
void put_bytes(std::span<const uint8_t> b, auto&& write) {
  for (size_t w = 0; w * 8 < b.size(); ++w) {
    uint64_t v = 0;
    uint8_t mask = 0;
    for (size_t i = 0; i < 8 && w * 8 + i < b.size(); ++i) {
      v |= uint64_t{b[w * 8 + i]} << (8 * i);
      mask |= static_cast<uint8_t>(1u << i);
    }
    write(static_cast<uint32_t>(w), v, mask);
  }
}
void get_bytes(std::span<uint8_t> b, auto&& read) {
  for (size_t w = 0; w * 8 < b.size(); ++w) {
    const uint64_t v = read(static_cast<uint32_t>(w));
    for (size_t i = 0; i < 8 && w * 8 + i < b.size(); ++i) {
      b[w * 8 + i] = static_cast<uint8_t>(v >> (8 * i));
    }
  }
}
}  // namespace

void MapUnitDriver::put_key(std::span<const uint8_t> key) {
  put_bytes(key, [&](uint32_t w, uint64_t v, uint8_t m) { port_.write_kbuf(w, v, m); });
}
void MapUnitDriver::put_value(std::span<const uint8_t> value) {
  put_bytes(value, [&](uint32_t w, uint64_t v, uint8_t m) { port_.write_vbuf(w, v, m); });
}

MapUnitPort::Result MapUnitDriver::run(MapOp op, uint32_t map, uint64_t flags, bool prog,
                                       uint32_t cpu, bool null_key) {
  last_ = port_.command(op, map, flags, prog, cpu, null_key);
  return last_;
}

int MapUnitDriver::init(uint32_t map) {
  check_map(map);
  return run(MapOp::kInit, map, 0, false, 0).status;
}

int MapUnitDriver::lookup(uint32_t map, std::span<const uint8_t> key, std::span<uint8_t> value) {
  check_map(map);
  check_size(map, "key", key.size(), specs_[map].key_size);
  check_size(map, "value", value.size(), host_value_size(specs_[map], cores_));
  put_key(key);
  const auto r = run(MapOp::kLookup, map, 0, false, 0);
  if (r.status != 0) return r.status;
  get_bytes(value, [&](uint32_t w) { return port_.read_vbuf(w); });
  return 0;
}

int MapUnitDriver::update(uint32_t map, std::span<const uint8_t> key,
                          std::span<const uint8_t> value, uint64_t flags) {
  check_map(map);
  check_size(map, "key", key.size(), specs_[map].key_size);
  check_size(map, "value", value.size(), host_value_size(specs_[map], cores_));
  put_key(key);
  put_value(value);
  return run(MapOp::kUpdate, map, flags, false, 0).status;
}

int MapUnitDriver::remove(uint32_t map, std::span<const uint8_t> key) {
  check_map(map);
  check_size(map, "key", key.size(), specs_[map].key_size);
  put_key(key);
  return run(MapOp::kDelete, map, 0, false, 0).status;
}

int MapUnitDriver::get_next_key(uint32_t map, std::optional<std::span<const uint8_t>> key,
                                std::span<uint8_t> next_key) {
  check_map(map);
  if (key) check_size(map, "key", key->size(), specs_[map].key_size);
  check_size(map, "next key", next_key.size(), specs_[map].key_size);
  if (key) put_key(*key);
  const auto r = run(MapOp::kNextKey, map, 0, false, 0, !key);
  if (r.status != 0) return r.status;
  get_bytes(next_key, [&](uint32_t w) { return port_.read_kbuf(w); });
  return 0;
}

std::optional<uint32_t> MapUnitDriver::prog_lookup(uint32_t map, std::span<const uint8_t> key,
                                                   uint32_t cpu) {
  check_map(map);
  check_size(map, "key", key.size(), specs_[map].key_size);
  put_key(key);
  const auto r = run(MapOp::kLookup, map, 0, true, cpu);
  if (r.status != 0) return std::nullopt;
  return r.offset;
}

int MapUnitDriver::prog_update(uint32_t map, std::span<const uint8_t> key,
                               std::span<const uint8_t> value, uint64_t flags, uint32_t cpu) {
  check_map(map);
  check_size(map, "key", key.size(), specs_[map].key_size);
  check_size(map, "value", value.size(), specs_[map].value_size);
  put_key(key);
  put_value(value);
  return run(MapOp::kUpdate, map, flags, true, cpu).status;
}

int MapUnitDriver::prog_delete(uint32_t map, std::span<const uint8_t> key) {
  check_map(map);
  check_size(map, "key", key.size(), specs_[map].key_size);
  put_key(key);
  return run(MapOp::kDelete, map, 0, true, 0).status;
}

}  // namespace ebpf
