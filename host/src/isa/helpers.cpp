// The helper table (Linux IDs) and the pure parts of helper semantics shared by every
// engine. Engines implement each listed helper; the checker refuses any other ID at load time.
#include "ebpf_fpga/helpers.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "ebpf_fpga/engine.h"

namespace ebpf {
namespace {

constexpr HelperInfo kHelpers[] = {
    {helper_id::kMapLookupElem, "map_lookup_elem"},
    {helper_id::kMapUpdateElem, "map_update_elem"},
    {helper_id::kMapDeleteElem, "map_delete_elem"},
    {helper_id::kKtimeGetNs, "ktime_get_ns"},
    {helper_id::kTracePrintk, "trace_printk"},
    {helper_id::kGetPrandomU32, "get_prandom_u32"},
    {helper_id::kGetSmpProcessorId, "get_smp_processor_id"},
    {helper_id::kTailCall, "tail_call"},
    {helper_id::kRedirect, "redirect"},
    {helper_id::kPerfEventOutput, "perf_event_output"},
    {helper_id::kCsumDiff, "csum_diff"},
    {helper_id::kXdpAdjustHead, "xdp_adjust_head"},
    {helper_id::kRedirectMap, "redirect_map"},
    {helper_id::kXdpAdjustMeta, "xdp_adjust_meta"},
    {helper_id::kXdpAdjustTail, "xdp_adjust_tail"},
    {helper_id::kRingbufOutput, "ringbuf_output"},
    {helper_id::kXdpGetBuffLen, "xdp_get_buff_len"},
    {helper_id::kXdpLoadBytes, "xdp_load_bytes"},
    {helper_id::kXdpStoreBytes, "xdp_store_bytes"},
};

// The 32-bit ones'-complement value of an integer sum, as an end-around-carry adder chain
// leaves it: 0 only when the sum is 0, otherwise in [1, 0xffffffff].
uint32_t end_around(uint64_t sum) {
  return sum == 0 ? 0u : static_cast<uint32_t>((sum - 1) % 0xffffffffull + 1);
}

// x86-64 csum_partial: the buffer read as little-endian 32-bit words (a short tail
// zero-padded), added to the seed with end-around carry.
uint32_t csum_partial(std::span<const uint8_t> buf, uint32_t seed) {
  uint64_t sum = seed;
  for (size_t i = 0; i < buf.size(); ++i) sum += static_cast<uint64_t>(buf[i]) << (8 * (i % 4));
  return end_around(sum);
}

uint32_t csum_add(uint32_t a, uint32_t b) { return end_around(static_cast<uint64_t>(a) + b); }

uint16_t from32to16(uint32_t x) {
  x = (x & 0xffffu) + (x >> 16);
  x = (x & 0xffffu) + (x >> 16);
  return static_cast<uint16_t>(x);
}

}  // namespace

std::span<const HelperInfo> helpers() { return kHelpers; }

std::optional<HelperInfo> find_helper(int32_t id) {
  auto it = std::find_if(std::begin(kHelpers), std::end(kHelpers),
                         [id](const HelperInfo& h) { return h.id == id; });
  if (it == std::end(kHelpers)) return std::nullopt;
  return *it;
}

// Linux 6.18 net/core/filter.c bpf_csum_diff, with x86-64's csum_partial.
uint16_t csum_diff(std::span<const uint8_t> from, std::span<const uint8_t> to, uint32_t seed) {
  uint32_t ret = seed;
  if (!from.empty() && !to.empty()) {
    ret = csum_add(csum_partial(to, ret), ~csum_partial(from, 0));
  } else if (!to.empty()) {
    ret = csum_partial(to, ret);
  } else if (!from.empty()) {
    ret = ~csum_partial(from, ~ret);
  }
  return from32to16(ret);
}

std::string format_trace_printk(const Event& event) {
  if (event.kind != EventKind::kTracePrintk || event.bytes.size() < 24) return {};
  uint64_t args[3];
  std::memcpy(args, event.bytes.data(), sizeof args);
  const std::string fmt(event.bytes.begin() + 24, event.bytes.end());
  std::string out;
  size_t next_arg = 0;
  auto arg = [&]() -> uint64_t { return next_arg < 3 ? args[next_arg++] : 0; };
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    size_t j = i + 1;
    if (j < fmt.size() && fmt[j] == '%') {
      out += '%';
      i = j;
      continue;
    }
    std::string mod;
    while (j < fmt.size() && (fmt[j] == 'l' || fmt[j] == 'h')) mod += fmt[j++];
    if (j >= fmt.size()) {
      out += fmt.substr(i);
      break;
    }
    const char conv = fmt[j];
    const uint64_t v = arg();
    char buf[64];
    const bool wide = mod == "l" || mod == "ll";
    const uint64_t uv = wide ? v : mod == "h" ? static_cast<uint16_t>(v)
                                   : mod == "hh" ? static_cast<uint8_t>(v)
                                                 : static_cast<uint32_t>(v);
    const int64_t sv = wide ? static_cast<int64_t>(v) : mod == "h" ? static_cast<int16_t>(v)
                                                 : mod == "hh" ? static_cast<int8_t>(v)
                                                               : static_cast<int32_t>(v);
    switch (conv) {
      case 'd':
      case 'i': std::snprintf(buf, sizeof buf, "%" PRId64, sv); break;
      case 'u': std::snprintf(buf, sizeof buf, "%" PRIu64, uv); break;
      case 'x': std::snprintf(buf, sizeof buf, "%" PRIx64, uv); break;
      case 'X': std::snprintf(buf, sizeof buf, "%" PRIX64, uv); break;
      case 'c': std::snprintf(buf, sizeof buf, "%c", static_cast<char>(v)); break;
      default: std::snprintf(buf, sizeof buf, "<%c=0x%" PRIx64 ">", conv, v); break;
    }
    out += buf;
    i = j;
  }
  return out;
}

}  // namespace ebpf
