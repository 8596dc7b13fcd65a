// The firmware packet corpora (build/firmware/pcap/<program>.{pcap,expect.tsv,map-init.json},
// written by ebpf-fpga-gen-pcaps) as the kernel tests and the speed anchor read them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ebpf_fpga/maps.h"

namespace ebpf::kernel {

using Bytes = std::vector<uint8_t>;

// Frames of a classic pcap file (microsecond or nanosecond timestamps, either byte order).
// Throws ebpf::Error naming the file and the byte offset of what is wrong.
std::vector<Bytes> read_pcap(const std::string& path);

struct Expectation {
  uint32_t action = 0;
  std::string what;
};
// "<index>\t<action>\t<description>" lines; '#' lines are comments. Throws ebpf::Error naming
// the file and line.
std::vector<Expectation> read_expect(const std::string& path);

struct MapInit {
  std::string map;
  Bytes key, value;
};
// The --map-init format (contracts.md section 5): {"map": [{"key": "hex", "value": "hex"}]}.
// Throws ebpf::Error naming the file and what is wrong.
std::vector<MapInit> read_map_init(const std::string& path);

// Writes every entry with BPF_ANY into the map of that name. A PERCPU value given as
// value_size bytes goes to every core. Throws ebpf::Error naming the map and the errno.
void apply_map_init(MapAccess& maps, const std::vector<MapInit>& entries);

// Hex of bytes, lower case, no separators.
std::string to_hex(const Bytes& b);

}  // namespace ebpf::kernel
