// The pcie-socket:// protocol: the MMIO transactions of BAR0 carried over a Unix stream
// socket between the host's pcie-socket transport and `ebpf-fpga-sim serve --pcie-socket`.
//
// Every message is one 12-byte frame, little-endian (a host's natural MMIO order):
//   u8 type | u8 flags (0) | u16 tag | u32 addr | u32 data
// On connect the server sends kHello (addr = kHelloMagic, data = BAR0 size in bytes). Then the
// client sends kRead (a non-posted read; the server answers kCompletion with the value, or
// kUnsupported when the address is outside BAR0, both with the read's tag) and kWrite (posted:
// no answer, like a PCIe memory write). The stream keeps order, so a read completes after
// every write sent before it, which is how the client knows its writes landed.
#pragma once

#include <cstdint>

namespace ebpf::pcie_socket {

inline constexpr size_t kFrameBytes = 12;
inline constexpr uint32_t kHelloMagic = 0x4943'5065;  // "ePCI" in memory order

enum class Type : uint8_t {
  kHello = 1,
  kRead = 2,
  kWrite = 3,
  kCompletion = 4,
  kUnsupported = 5,
};

struct Frame {
  Type type = Type::kRead;
  uint8_t flags = 0;
  uint16_t tag = 0;
  uint32_t addr = 0;
  uint32_t data = 0;
};

inline void encode(const Frame& f, uint8_t* out) {
  out[0] = static_cast<uint8_t>(f.type);
  out[1] = f.flags;
  out[2] = static_cast<uint8_t>(f.tag);
  out[3] = static_cast<uint8_t>(f.tag >> 8);
  for (int i = 0; i < 4; ++i) {
    out[4 + i] = static_cast<uint8_t>(f.addr >> (8 * i));
    out[8 + i] = static_cast<uint8_t>(f.data >> (8 * i));
  }
}

inline Frame decode(const uint8_t* in) {
  Frame f;
  f.type = static_cast<Type>(in[0]);
  f.flags = in[1];
  f.tag = static_cast<uint16_t>(in[2] | in[3] << 8);
  for (int i = 0; i < 4; ++i) {
    f.addr |= static_cast<uint32_t>(in[4 + i]) << (8 * i);
    f.data |= static_cast<uint32_t>(in[8 + i]) << (8 * i);
  }
  return f;
}

}  // namespace ebpf::pcie_socket
