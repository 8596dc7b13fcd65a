// The address map a program sees (contracts.md section 2). interp and rtl use the same
// values, so pointer arithmetic gives the same r0 on both; the RTL package mirrors these.
#pragma once

#include <cstdint>

namespace ebpf::addr {

// A pointer's region is its upper 32 bits; the lower 32 bits are the byte offset.
inline constexpr uint64_t region_of(uint64_t a) { return a >> 32; }
inline constexpr uint32_t offset_of(uint64_t a) { return static_cast<uint32_t>(a); }

inline constexpr uint64_t kRegionStack = 0x1;
inline constexpr uint64_t kRegionCtx = 0x2;
inline constexpr uint64_t kRegionPacket = 0x3;
inline constexpr uint64_t kRegionMapHandle = 0x0F00;  // handle values are not dereferenceable
inline constexpr uint64_t kRegionMapValue = 0x1000;   // + map index (< 4096)

// Stack: frame k (0 = entry program) owns [kStackBase + 512k, kStackBase + 512(k+1)) and
// its r10 is the top of that range. A frame may touch its callers' frames (pointers passed
// down as arguments) but nothing above its own r10.
inline constexpr uint64_t kStackBase = kRegionStack << 32;
inline constexpr uint32_t kStackFrameSize = 512;
inline constexpr uint32_t kMaxFrames = 8;  // Linux MAX_CALL_FRAMES
inline constexpr uint32_t kStackSize = kStackFrameSize * kMaxFrames;
inline constexpr uint64_t kFramePointer = kStackBase + kStackFrameSize;  // r10 at entry

// struct xdp_md: read-only, only 4-byte loads at the offsets below are legal.
inline constexpr uint64_t kCtxBase = kRegionCtx << 32;
inline constexpr uint32_t kCtxSize = 24;
inline constexpr uint32_t kCtxData = 0, kCtxDataEnd = 4, kCtxDataMeta = 8,
                          kCtxIngressIfindex = 12, kCtxRxQueueIndex = 16;

// Packet buffer: headroom, then the frame, then tailroom. The program may access
// [data_meta, data_end) only; data starts at kPacketHeadroom.
inline constexpr uint64_t kPacketBase = kRegionPacket << 32;
inline constexpr uint32_t kPacketHeadroom = 256;
inline constexpr uint32_t kPacketMaxFrame = 9018;  // jumbo frame incl. FCS-less header
inline constexpr uint32_t kPacketTailroom = 256;
inline constexpr uint32_t kPacketBufferSize = kPacketHeadroom + kPacketMaxFrame + kPacketTailroom;

// Maps: lddw src=1 yields a handle, lddw src=2 and map_lookup_elem yield value pointers.
inline constexpr uint64_t kMapHandleBase = kRegionMapHandle << 32;
inline constexpr uint64_t kMapValueBase = kRegionMapValue << 32;
inline constexpr uint32_t kMaxMaps = 4096;
inline constexpr uint64_t map_handle(uint32_t i) { return kMapHandleBase + i; }
inline constexpr uint64_t map_value(uint32_t i, uint32_t off) {
  return kMapValueBase + (static_cast<uint64_t>(i) << 32) + off;
}

inline constexpr uint64_t kDefaultBudget = 1'000'000;  // executed instructions per run

}  // namespace ebpf::addr
