// Reads the frames of a pcap file (kept apart: <pcap/pcap.h> and <linux/bpf.h> both define
// struct bpf_insn, so they cannot share a translation unit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace elftest {

// Throws std::runtime_error when the file cannot be read.
std::vector<std::vector<uint8_t>> read_pcap(const std::string& path);

}  // namespace elftest
