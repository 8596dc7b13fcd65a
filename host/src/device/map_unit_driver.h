// Host-side driver of the RTL map unit (rtl/maps/ebpf_map_unit.sv): configures it from
// MapSpecs through map_layout.h and runs MapAccess operations (and the program-side ones
// the helper unit issues) as command-port sequences. The signal level is behind
// MapUnitPort, so the same driver serves the Verilated test bench here and a bus-driven
// engine (CSR writes) in ebpf_top.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ebpf_fpga/map_layout.h"
#include "ebpf_fpga/maps.h"

namespace ebpf {

// The map unit's ports as a requester sees them (docs/xdp_datapath.md).
class MapUnitPort {
 public:
  virtual ~MapUnitPort() = default;
  virtual void write_desc(uint32_t index, uint32_t value) = 0;
  virtual void write_kbuf(uint32_t word, uint64_t data, uint8_t mask) = 0;
  virtual uint64_t read_kbuf(uint32_t word) = 0;
  virtual void write_vbuf(uint32_t word, uint64_t data, uint8_t mask) = 0;
  virtual uint64_t read_vbuf(uint32_t word) = 0;
  struct Result {
    int32_t status = 0;
    uint32_t offset = 0;
    uint64_t word = 0;
    uint64_t cycles = 0;  // from cmd_valid_i to cmd_done_o, inclusive
  };
  // Raises cmd_valid_i with these fields and waits for cmd_done_o.
  virtual Result command(MapOp op, uint32_t map, uint64_t flags, bool prog, uint32_t cpu,
                         bool null_key) = 0;
};

class MapUnitDriver final : public MapAccess {
 public:
  explicit MapUnitDriver(MapUnitPort& port, const MapUnitParams& params = {});

  // layout_maps (throws its errors), descriptor writes, INIT of every map, global data.
  void configure(std::span<const MapSpec> specs, const MapOptions& opts = {});
  const MapLayout& layout() const { return layout_; }

  // MapAccess (host semantics)
  uint32_t map_count() const override;
  const MapSpec& spec(uint32_t map) const override;
  uint32_t cores() const override { return cores_; }
  int lookup(uint32_t map, std::span<const uint8_t> key, std::span<uint8_t> value) override;
  int update(uint32_t map, std::span<const uint8_t> key, std::span<const uint8_t> value,
             uint64_t flags) override;
  int remove(uint32_t map, std::span<const uint8_t> key) override;
  int get_next_key(uint32_t map, std::optional<std::span<const uint8_t>> key,
                   std::span<uint8_t> next_key) override;

  // Program semantics (what the helper unit issues), as MapStore::prog_*.
  std::optional<uint32_t> prog_lookup(uint32_t map, std::span<const uint8_t> key, uint32_t cpu);
  int prog_update(uint32_t map, std::span<const uint8_t> key, std::span<const uint8_t> value,
                  uint64_t flags, uint32_t cpu);
  int prog_delete(uint32_t map, std::span<const uint8_t> key);
  // INIT: empties map `map` (values zero), as configure leaves it, without global data.
  int init(uint32_t map);

  // The last command's result (cycles, first value word).
  const MapUnitPort::Result& last() const { return last_; }

 private:
  void check_map(uint32_t map) const;
  void check_size(uint32_t map, const char* what, size_t got, size_t want) const;
  void put_key(std::span<const uint8_t> key);
  void put_value(std::span<const uint8_t> value);
  MapUnitPort::Result run(MapOp op, uint32_t map, uint64_t flags, bool prog, uint32_t cpu,
                          bool null_key = false);

  MapUnitPort& port_;
  MapUnitParams params_;
  MapLayout layout_;
  std::vector<MapSpec> specs_;
  uint32_t cores_ = 1;
  MapUnitPort::Result last_;
};

}  // namespace ebpf
