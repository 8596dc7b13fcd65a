// MemoryImage helpers shared by every engine.
#include <algorithm>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/error.h"

namespace ebpf {

void MemoryImage::set_packet(std::span<const uint8_t> bytes) {
  if (bytes.size() > addr::kPacketMaxFrame) {
    throw Error("packet of " + std::to_string(bytes.size()) + " bytes exceeds the maximum frame (" +
                std::to_string(addr::kPacketMaxFrame) + " bytes)");
  }
  std::fill(packet.begin(), packet.end(), 0);
  data_meta = data = addr::kPacketHeadroom;
  data_end = data + static_cast<uint32_t>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), packet.begin() + data);
}

}  // namespace ebpf
