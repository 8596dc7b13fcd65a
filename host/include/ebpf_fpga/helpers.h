// Helper functions by Linux helper ID (include/uapi/linux/bpf.h): one table that the checker
// (is this ID known?) and every engine (what does it do?) share. Semantics, errnos and the
// differences from Linux: docs/helpers.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ebpf {

struct Event;

struct HelperInfo {
  int32_t id;
  std::string_view name;  // Linux name without the bpf_ prefix
};

// Helpers this build implements, sorted by ID.
std::span<const HelperInfo> helpers();
std::optional<HelperInfo> find_helper(int32_t id);

namespace helper_id {
inline constexpr int32_t kMapLookupElem = 1;
inline constexpr int32_t kMapUpdateElem = 2;
inline constexpr int32_t kMapDeleteElem = 3;
inline constexpr int32_t kKtimeGetNs = 5;
inline constexpr int32_t kTracePrintk = 6;
inline constexpr int32_t kGetPrandomU32 = 7;
inline constexpr int32_t kGetSmpProcessorId = 8;
inline constexpr int32_t kTailCall = 12;
inline constexpr int32_t kRedirect = 23;
inline constexpr int32_t kPerfEventOutput = 25;
inline constexpr int32_t kCsumDiff = 28;
inline constexpr int32_t kXdpAdjustHead = 44;
inline constexpr int32_t kRedirectMap = 51;
inline constexpr int32_t kXdpAdjustMeta = 54;
inline constexpr int32_t kXdpAdjustTail = 65;
inline constexpr int32_t kRingbufOutput = 130;
inline constexpr int32_t kXdpGetBuffLen = 188;
inline constexpr int32_t kXdpLoadBytes = 189;
inline constexpr int32_t kXdpStoreBytes = 190;
}  // namespace helper_id

// Constants of the helpers' Linux semantics.
namespace helper_limits {
inline constexpr uint32_t kMaxTailCalls = 33;        // MAX_TAIL_CALL_CNT
inline constexpr uint32_t kEthHlen = 14;             // ETH_HLEN: the shortest frame
// Linux keeps struct xdp_frame (40 bytes on 64-bit) at the start of the headroom, so
// adjust_head/adjust_meta may grow into 256 - 40 = 216 bytes of it.
inline constexpr uint32_t kXdpFrameReserve = 40;
inline constexpr uint32_t kXdpMetaMax = 255;         // type_field_size(skb_shared_info, meta_len)
inline constexpr uint32_t kXdpAccessMax = 0xffff;    // xdp_load/store_bytes offset and len
inline constexpr uint64_t kBpfFIndexMask = 0xffffffffull;
inline constexpr uint64_t kBpfFCurrentCpu = kBpfFIndexMask;
inline constexpr uint64_t kBpfFCtxlenMask = 0xfffffull << 32;
inline constexpr uint64_t kBpfFBroadcast = 1ull << 3;
inline constexpr uint64_t kBpfFExcludeIngress = 1ull << 4;
inline constexpr uint64_t kBpfRbNoWakeup = 1, kBpfRbForceWakeup = 2;
inline constexpr uint32_t kRingbufHeader = 8;        // BPF_RINGBUF_HDR_SZ
// The device's event FIFO holds this many bytes per run; an event costs an 8-byte header
// plus its bytes rounded up to 8 (docs/helpers.md).
inline constexpr uint32_t kEventFifoBytes = 65536;
}  // namespace helper_limits

// bpf_get_prandom_u32: xorshift64 (13, 7, 17) on a 64-bit state; each call advances the
// state and returns its upper 32 bits. A zero seed is replaced by kPrandomZeroSeed.
inline constexpr uint64_t kPrandomZeroSeed = 0x9E3779B97F4A7C15ull;
inline uint64_t prandom_seed_state(uint64_t seed) { return seed ? seed : kPrandomZeroSeed; }
inline uint32_t prandom_next(uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return static_cast<uint32_t>(state >> 32);
}

// bpf_csum_diff as Linux 6.18 on x86-64 computes it (docs/helpers.md): the 16-bit folded
// ones'-complement sum of seed + to - from. Sizes are any byte counts.
uint16_t csum_diff(std::span<const uint8_t> from, std::span<const uint8_t> to, uint32_t seed);

// Renders a trace_printk event as Linux would print it, for %d %i %u %x %X %c %% with
// l/ll/h/hh modifiers; other conversions (%s, %p...) print as <conversion=0xARG>.
std::string format_trace_printk(const Event& event);

}  // namespace ebpf
