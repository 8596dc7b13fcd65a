// The --map-init JSON of `ebpf-fpga run` and `compare` (contracts.md section 5):
//   {"map_name": [{"key": "0a000001", "value": "01000000"}, ...], ...}
// Keys and values are hex strings of the raw bytes in memory order (whitespace between byte
// pairs is allowed). Entries of a map are applied in file order with BPF_ANY.
//
// PERCPU maps: a value may hold either every core's copy (round_up(value_size, 8) x cores
// bytes, as the host reads it back) or a single value_size value, which is written to every
// core (zero-padded to the 8-byte stride). Any other length is an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ebpf_fpga/maps.h"

namespace ebpf {

struct MapInitEntry {
  std::vector<uint8_t> key;
  std::vector<uint8_t> value;
};
struct MapInitMap {
  std::string name;
  std::vector<MapInitEntry> entries;
};
using MapInit = std::vector<MapInitMap>;  // maps in name order, entries in file order

// Parses the JSON text; `source` (the file name) starts every message. Throws ebpf::Error:
// "SOURCE: invalid JSON at byte N: ...", "SOURCE: map 'M' entry I: key: bad hex at char C", ...
MapInit parse_map_init(std::string_view text, const std::string& source);
MapInit read_map_init_file(const std::string& path);

// Writes `init` into the maps (names as MapSpec::name). Throws ebpf::Error naming the map and
// entry: an unknown map (listing the object's maps), a key or value of the wrong size, or
// the errno the update returned.
void apply_map_init(MapAccess& maps, const MapInit& init, const std::string& source);

// Bytes as lowercase hex without separators, and back (throws on odd length or a bad digit,
// saying where).
std::string to_hex(const std::vector<uint8_t>& bytes);
std::vector<uint8_t> from_hex(std::string_view text, const std::string& what);

}  // namespace ebpf
