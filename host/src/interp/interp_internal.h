// Shared between the interpreter's dispatch loop (interpreter.cpp) and its helper
// implementations (helpers_impl.cpp): address translation and the state a helper may touch.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/maps.h"

namespace ebpf::interp {

// Address translation (contracts.md section 2): every load, store, atomic and helper pointer
// goes through it. The host address of [a, a + size), or nullptr with `fault` set.
inline uint8_t* translate(uint64_t a, uint64_t size, bool write, FaultCode& fault, uint8_t* stack,
                          uint64_t stack_hi, uint8_t* packet, uint64_t pkt_lo, uint64_t pkt_hi,
                          const MapStore::Region* regions, uint32_t nregions) {
  const uint64_t region = addr::region_of(a);
  const uint64_t off = addr::offset_of(a);
  if (region == addr::kRegionStack) {
    if (off + size <= stack_hi) return stack + off;
  } else if (region == addr::kRegionPacket) {
    if (off >= pkt_lo && off + size <= pkt_hi) return packet + off;
  } else if (region - addr::kRegionMapValue < nregions) {
    const MapStore::Region& r = regions[region - addr::kRegionMapValue];
    if (write && r.read_only) {
      fault = FaultCode::kReadOnlyWrite;
      return nullptr;
    }
    if (off + size <= r.limit) return r.base + off;
  } else if (region == addr::kRegionCtx && write) {
    fault = FaultCode::kReadOnlyWrite;
    return nullptr;
  }
  fault = write ? FaultCode::kStoreOutOfBounds : FaultCode::kLoadOutOfBounds;
  return nullptr;
}

// The translation state of one run as helpers see it. The dispatch loop keeps its own copies
// in locals (so that stores through translated pointers cannot alias them) and syncs this
// around helper calls.
struct Translator {
  uint8_t* stack = nullptr;
  uint64_t stack_hi = 0;  // grows with call depth
  uint8_t* packet = nullptr;
  uint64_t pkt_lo = 0, pkt_hi = 0;  // [data_meta, data_end), moved by the adjust helpers
  const MapStore::Region* regions = nullptr;
  uint32_t nregions = 0;

  uint8_t* xlate(uint64_t a, uint64_t size, bool write, FaultCode& fault) const {
    return translate(a, size, write, fault, stack, stack_hi, packet, pkt_lo, pkt_hi, regions,
                     nregions);
  }
};

// What bpf_redirect / bpf_redirect_map leave behind (Linux struct bpf_redirect_info).
struct RedirectState {
  uint32_t tgt_index;  // ifindex, or the devmap key after redirect_map
  bool has_map;        // set by a successful redirect_map
  uint32_t map;
  uint32_t ifindex;    // redirect_map: the device found (0 for a broadcast)
  uint64_t flags;      // redirect_map: broadcast flags
};

// Everything a helper may read or change. Plain fields without initializers: run() sets each
// one, which is cheaper per run than zeroing the struct first.
struct HelperEnv {
  uint64_t* regs;  // r0-r10
  MemoryImage* mem;
  Translator* tr;
  MapStore* maps;
  uint64_t instructions;
  uint32_t cpu;
  uint64_t* prandom;
  size_t program_count;
  RunResult* result;  // events, tail_calls
  RedirectState redirect;
  uint32_t event_bytes;     // event FIFO bytes used in this run
  uint32_t* ringbuf_bytes;  // per map: ring bytes used in this run (zeroed per run)
  // Outputs of a call.
  FaultCode fault;
  uint32_t tail_target;  // program index
};

enum class HelperStatus { kOk, kUnknown, kFault, kTailCall };

// Runs helper `id` with r1-r5 as arguments; sets r0 unless it faults or tail-calls.
HelperStatus call_helper(uint64_t id, HelperEnv& env);

// The Redirect a run reports when it ends with XDP_REDIRECT.
std::optional<Redirect> final_redirect(const RedirectState& s);

}  // namespace ebpf::interp
