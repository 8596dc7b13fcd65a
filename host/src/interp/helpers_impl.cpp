// The interpreter's helpers (docs/helpers.md): Linux IDs, arguments in r1-r5, result in r0,
// r1-r5 left unchanged. Every argument is checked before anything is written, so a helper
// that faults has no effect. Pointer arguments are translated like loads and stores; a bad one
// is kHelperFault (kReadOnlyWrite for a helper writing into a read-only map). Calls that the
// Linux verifier would refuse (wrong map type, no ctx) are kHelperFault too.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ebpf_fpga/helpers.h"
#include "interp_internal.h"

namespace ebpf::interp {
namespace {

namespace lim = helper_limits;

uint64_t neg(int e) { return static_cast<uint64_t>(static_cast<int64_t>(e)); }  // -errno in r0

uint32_t round8(uint64_t v) { return static_cast<uint32_t>((v + 7) & ~uint64_t{7}); }

class Call {
 public:
  explicit Call(HelperEnv& env) : env_(env), r_(env.regs) {}

  HelperStatus fault(FaultCode code = FaultCode::kHelperFault) {
    env_.fault = code;
    return HelperStatus::kFault;
  }
  HelperStatus ret(uint64_t v) {
    r_[0] = v;
    return HelperStatus::kOk;
  }

  uint64_t arg(int i) const { return r_[i]; }

  // A pointer argument of `size` bytes (size 0: not dereferenced, any value is fine).
  const uint8_t* in(uint64_t a, uint64_t size) {
    static const uint8_t kNothing = 0;
    if (size == 0) return &kNothing;
    FaultCode f = FaultCode::kNone;
    return env_.tr->xlate(a, size, false, f);
  }
  // A pointer the helper writes: nullptr with *code = kReadOnlyWrite or kHelperFault.
  uint8_t* out(uint64_t a, uint64_t size, FaultCode* code) {
    FaultCode f = FaultCode::kNone;
    uint8_t* p = env_.tr->xlate(a, size, true, f);
    if (!p) *code = f == FaultCode::kReadOnlyWrite ? f : FaultCode::kHelperFault;
    return p;
  }

  // Register `reg` as a map handle (lddw src=1) of one of the given types.
  std::optional<uint32_t> map(int reg, std::initializer_list<MapType> types) {
    const uint64_t a = r_[reg];
    if (addr::region_of(a) != addr::kRegionMapHandle || !env_.maps ||
        addr::offset_of(a) >= env_.maps->map_count()) {
      return std::nullopt;
    }
    const uint32_t i = addr::offset_of(a);
    const MapType t = env_.maps->spec(i).type;
    if (std::find(types.begin(), types.end(), t) == types.end()) return std::nullopt;
    return i;
  }
  // Every map type a program may look up, update or delete in.
  std::optional<uint32_t> data_map(int reg, bool lookup) {
    if (lookup) {
      return map(reg, {MapType::kHash, MapType::kArray, MapType::kPercpuHash,
                       MapType::kPercpuArray, MapType::kLruHash, MapType::kLpmTrie,
                       MapType::kDevmap, MapType::kDevmapHash});
    }
    return map(reg, {MapType::kHash, MapType::kArray, MapType::kPercpuHash,
                     MapType::kPercpuArray, MapType::kLruHash, MapType::kLpmTrie});
  }

  bool is_ctx(int reg) const { return env_.mem->has_ctx && r_[reg] == addr::kCtxBase; }

  MemoryImage& mem() { return *env_.mem; }
  HelperEnv& env() { return env_; }

  // Moves the packet bounds the loads and stores check after an adjust helper.
  void packet_moved() {
    env_.tr->pkt_lo = env_.mem->data_meta;
    env_.tr->pkt_hi = env_.mem->data_end;
  }

  // Appends an event if the FIFO has room.
  bool emit(Event ev) {
    const uint32_t cost = 8 + round8(ev.bytes.size());
    if (ev.bytes.size() > lim::kEventFifoBytes || env_.event_bytes + cost > lim::kEventFifoBytes) {
      return false;
    }
    env_.event_bytes += cost;
    env_.result->events.push_back(std::move(ev));
    return true;
  }

 private:
  HelperEnv& env_;
  uint64_t* r_;
};

HelperStatus map_lookup(Call& c) {
  const auto m = c.data_map(1, true);
  if (!m) return c.fault();
  MapStore& maps = *c.env().maps;
  const uint8_t* key = c.in(c.arg(2), maps.spec(*m).key_size);
  if (!key) return c.fault();
  const auto off = maps.prog_lookup(*m, key, c.env().cpu);
  return c.ret(off ? addr::map_value(*m, *off) : 0);
}

HelperStatus map_update(Call& c) {
  const auto m = c.data_map(1, false);
  if (!m) return c.fault();
  MapStore& maps = *c.env().maps;
  const MapSpec& s = maps.spec(*m);
  const uint8_t* key = c.in(c.arg(2), s.key_size);
  const uint8_t* value = c.in(c.arg(3), s.value_size);
  if (!key || !value) return c.fault();
  if (maps.region(*m).read_only) return c.fault(FaultCode::kReadOnlyWrite);
  return c.ret(neg(maps.prog_update(*m, key, value, c.arg(4), c.env().cpu)));
}

HelperStatus map_delete(Call& c) {
  const auto m = c.data_map(1, false);
  if (!m) return c.fault();
  MapStore& maps = *c.env().maps;
  const uint8_t* key = c.in(c.arg(2), maps.spec(*m).key_size);
  if (!key) return c.fault();
  if (maps.region(*m).read_only) return c.fault(FaultCode::kReadOnlyWrite);
  return c.ret(neg(maps.prog_delete(*m, key)));
}

HelperStatus trace_printk(Call& c) {
  const uint32_t size = static_cast<uint32_t>(c.arg(2));
  if (size == 0) return c.fault();
  const uint8_t* fmt = c.in(c.arg(1), size);
  if (!fmt) return c.fault();
  const auto* nul = static_cast<const uint8_t*>(std::memchr(fmt, 0, size));
  if (!nul) return c.ret(neg(-EINVAL));
  Event ev{.kind = EventKind::kTracePrintk};
  ev.bytes.resize(24);
  for (int i = 0; i < 3; ++i) {
    const uint64_t a = c.arg(3 + i);
    std::memcpy(ev.bytes.data() + 8 * i, &a, 8);
  }
  ev.bytes.insert(ev.bytes.end(), fmt, nul);
  return c.ret(c.emit(std::move(ev)) ? 0 : neg(-ENOSPC));
}

HelperStatus tail_call(Call& c) {
  if (!c.is_ctx(1)) return c.fault();
  const auto m = c.map(2, {MapType::kProgArray});
  if (!m) return c.fault();
  HelperEnv& env = c.env();
  const uint32_t index = static_cast<uint32_t>(c.arg(3));
  // Linux order: index range, then the count (which a missing program still uses up).
  if (index >= env.maps->spec(*m).max_entries) return HelperStatus::kOk;
  if (env.result->tail_calls >= lim::kMaxTailCalls) return HelperStatus::kOk;
  ++env.result->tail_calls;
  const auto prog = env.maps->prog_array_get(*m, index);
  if (!prog || *prog >= env.program_count) return HelperStatus::kOk;  // r0 unchanged
  env.tail_target = *prog;
  return HelperStatus::kTailCall;
}

HelperStatus redirect(Call& c) {
  if (c.arg(2) != 0) return c.ret(kXdpAborted);
  RedirectState& s = c.env().redirect;
  s.tgt_index = static_cast<uint32_t>(c.arg(1));
  s.has_map = false;
  return c.ret(kXdpRedirect);
}

HelperStatus redirect_map(Call& c) {
  const auto m = c.map(1, {MapType::kDevmap, MapType::kDevmapHash});
  if (!m) return c.fault();
  const uint64_t flags = c.arg(3);
  constexpr uint64_t kActionMask = kXdpAborted | kXdpDrop | kXdpPass | kXdpTx;
  if (flags & ~(kActionMask | lim::kBpfFBroadcast | lim::kBpfFExcludeIngress)) {
    return c.ret(kXdpAborted);
  }
  RedirectState& s = c.env().redirect;
  const uint32_t key = static_cast<uint32_t>(c.arg(2));
  const auto ifindex = c.env().maps->devmap_ifindex(*m, key);
  const bool broadcast = flags & lim::kBpfFBroadcast;
  if (!ifindex && !broadcast) {
    s.has_map = false;  // tgt_index stays, as in Linux
    return c.ret(flags & kActionMask);
  }
  s.tgt_index = key;
  s.has_map = true;
  s.map = *m;
  s.ifindex = broadcast ? 0 : *ifindex;
  s.flags = broadcast ? (flags & (lim::kBpfFBroadcast | lim::kBpfFExcludeIngress)) : 0;
  return c.ret(kXdpRedirect);
}

HelperStatus perf_event_output(Call& c) {
  if (!c.is_ctx(1)) return c.fault();
  const auto m = c.map(2, {MapType::kPerfEventArray});
  if (!m) return c.fault();
  const uint64_t flags = c.arg(3), size = c.arg(5);
  const uint8_t* data = c.in(c.arg(4), size);
  if (!data) return c.fault();
  if (flags & ~(lim::kBpfFCtxlenMask | lim::kBpfFIndexMask)) return c.ret(neg(-EINVAL));
  MemoryImage& mem = c.mem();
  const uint64_t pkt_bytes = (flags & lim::kBpfFCtxlenMask) >> 32;
  if (pkt_bytes > mem.data_end - mem.data) return c.ret(neg(-EFAULT));
  uint64_t index = flags & lim::kBpfFIndexMask;
  if (index == lim::kBpfFCurrentCpu) index = c.env().cpu;
  if (index >= c.env().maps->spec(*m).max_entries) return c.ret(neg(-E2BIG));
  Event ev{.kind = EventKind::kPerfEventOutput, .map = *m,
           .index = static_cast<uint32_t>(index), .flags = flags};
  if (size + pkt_bytes > lim::kEventFifoBytes) return c.ret(neg(-ENOSPC));
  ev.bytes.assign(data, data + size);
  ev.bytes.insert(ev.bytes.end(), mem.packet.begin() + mem.data,
                  mem.packet.begin() + mem.data + static_cast<uint32_t>(pkt_bytes));
  return c.ret(c.emit(std::move(ev)) ? 0 : neg(-ENOSPC));
}

HelperStatus csum_diff(Call& c) {
  const uint32_t from_size = static_cast<uint32_t>(c.arg(2));
  const uint32_t to_size = static_cast<uint32_t>(c.arg(4));
  const uint8_t* from = c.in(c.arg(1), from_size);
  const uint8_t* to = c.in(c.arg(3), to_size);
  if (!from || !to) return c.fault();
  return c.ret(ebpf::csum_diff({from, from_size}, {to, to_size},
                               static_cast<uint32_t>(c.arg(5))));
}

HelperStatus adjust_head(Call& c) {
  if (!c.is_ctx(1)) return c.fault();
  MemoryImage& mem = c.mem();
  const int64_t offset = static_cast<int32_t>(c.arg(2));
  const int64_t metalen = mem.data - mem.data_meta;
  const int64_t data = mem.data + offset;
  if (data < lim::kXdpFrameReserve + metalen ||
      data > static_cast<int64_t>(mem.data_end) - lim::kEthHlen) {
    return c.ret(neg(-EINVAL));
  }
  if (metalen) {
    std::memmove(mem.packet.data() + mem.data_meta + offset, mem.packet.data() + mem.data_meta,
                 static_cast<size_t>(metalen));
  }
  mem.data_meta = static_cast<uint32_t>(mem.data_meta + offset);
  mem.data = static_cast<uint32_t>(data);
  c.packet_moved();
  return c.ret(0);
}

HelperStatus adjust_meta(Call& c) {
  if (!c.is_ctx(1)) return c.fault();
  MemoryImage& mem = c.mem();
  const int64_t meta = static_cast<int64_t>(mem.data_meta) + static_cast<int32_t>(c.arg(2));
  if (meta < lim::kXdpFrameReserve || meta > mem.data) return c.ret(neg(-EINVAL));
  const int64_t metalen = mem.data - meta;
  if ((metalen & 3) || metalen > lim::kXdpMetaMax) return c.ret(neg(-EACCES));
  mem.data_meta = static_cast<uint32_t>(meta);
  c.packet_moved();
  return c.ret(0);
}

HelperStatus adjust_tail(Call& c) {
  if (!c.is_ctx(1)) return c.fault();
  MemoryImage& mem = c.mem();
  const int64_t offset = static_cast<int32_t>(c.arg(2));
  const int64_t end = mem.data_end + offset;
  if (end > static_cast<int64_t>(mem.packet.size())) return c.ret(neg(-EINVAL));
  if (end < static_cast<int64_t>(mem.data) + lim::kEthHlen) return c.ret(neg(-EINVAL));
  if (offset > 0) std::memset(mem.packet.data() + mem.data_end, 0, static_cast<size_t>(offset));
  mem.data_end = static_cast<uint32_t>(end);
  c.packet_moved();
  return c.ret(0);
}

HelperStatus ringbuf_output(Call& c) {
  const auto m = c.map(1, {MapType::kRingbuf});
  if (!m) return c.fault();
  const uint64_t size = c.arg(3), flags = c.arg(4);
  const uint8_t* data = c.in(c.arg(2), size);
  if (!data) return c.fault();
  if (flags & ~(lim::kBpfRbNoWakeup | lim::kBpfRbForceWakeup)) return c.ret(neg(-EINVAL));
  HelperEnv& env = c.env();
  const uint64_t record = round8(size + lim::kRingbufHeader);
  uint32_t& used = env.ringbuf_bytes[*m];
  // Linux lets the producer run at most size - 1 bytes ahead of the consumer.
  if (used + record > env.maps->spec(*m).max_entries - 1) return c.ret(neg(-EAGAIN));
  Event ev{.kind = EventKind::kRingbufOutput, .map = *m, .flags = flags};
  ev.bytes.assign(data, data + size);
  if (!c.emit(std::move(ev))) return c.ret(neg(-EAGAIN));
  used += static_cast<uint32_t>(record);
  return c.ret(0);
}

// xdp_load_bytes / xdp_store_bytes: `store` copies buf into the packet.
HelperStatus xdp_bytes(Call& c, bool store) {
  if (!c.is_ctx(1)) return c.fault();
  const uint32_t offset = static_cast<uint32_t>(c.arg(2));
  const uint32_t len = static_cast<uint32_t>(c.arg(4));
  if (len == 0) return c.fault();
  FaultCode code = FaultCode::kHelperFault;
  const uint8_t* src = store ? c.in(c.arg(3), len) : nullptr;
  uint8_t* dst = store ? nullptr : c.out(c.arg(3), len, &code);
  if (!src && !dst) return c.fault(code);
  MemoryImage& mem = c.mem();
  if (offset > lim::kXdpAccessMax || len > lim::kXdpAccessMax) return c.ret(neg(-EFAULT));
  if (static_cast<uint64_t>(offset) + len > mem.data_end - mem.data) return c.ret(neg(-EINVAL));
  uint8_t* pkt = mem.packet.data() + mem.data + offset;
  if (store) {
    std::memmove(pkt, src, len);
  } else {
    std::memmove(dst, pkt, len);
  }
  return c.ret(0);
}

}  // namespace

HelperStatus call_helper(uint64_t id, HelperEnv& env) {
  Call c(env);
  switch (id) {
    case helper_id::kMapLookupElem: return map_lookup(c);
    case helper_id::kMapUpdateElem: return map_update(c);
    case helper_id::kMapDeleteElem: return map_delete(c);
    case helper_id::kKtimeGetNs:
      // Virtual time: 10 ns per retired instruction (a 100 MHz core at one instruction per
      // cycle). Deterministic, so runs reproduce; the rtl engine reports its cycle clock.
      return c.ret(env.instructions * 10);
    case helper_id::kTracePrintk: return trace_printk(c);
    case helper_id::kGetPrandomU32: return c.ret(prandom_next(*env.prandom));
    case helper_id::kGetSmpProcessorId: return c.ret(env.cpu);
    case helper_id::kTailCall: return tail_call(c);
    case helper_id::kRedirect: return redirect(c);
    case helper_id::kPerfEventOutput: return perf_event_output(c);
    case helper_id::kCsumDiff: return csum_diff(c);
    case helper_id::kXdpAdjustHead: return adjust_head(c);
    case helper_id::kRedirectMap: return redirect_map(c);
    case helper_id::kXdpAdjustMeta: return adjust_meta(c);
    case helper_id::kXdpAdjustTail: return adjust_tail(c);
    case helper_id::kRingbufOutput: return ringbuf_output(c);
    case helper_id::kXdpGetBuffLen: {
      if (!c.is_ctx(1)) return c.fault();
      return c.ret(env.mem->data_end - env.mem->data);
    }
    case helper_id::kXdpLoadBytes: return xdp_bytes(c, false);
    case helper_id::kXdpStoreBytes: return xdp_bytes(c, true);
    default: return HelperStatus::kUnknown;
  }
}

std::optional<Redirect> final_redirect(const RedirectState& s) {
  if (s.has_map) {
    return Redirect{.ifindex = s.ifindex, .map = s.map, .key = s.tgt_index, .flags = s.flags};
  }
  if (s.tgt_index == 0) return std::nullopt;  // no device has ifindex 0
  return Redirect{.ifindex = s.tgt_index};
}

}  // namespace ebpf::interp
