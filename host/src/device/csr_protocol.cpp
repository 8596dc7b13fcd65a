#include "csr_protocol.h"

#include <cstring>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"

namespace ebpf::device {

std::vector<uint32_t> CsrIo::read_block(uint32_t base, size_t count) {
  std::vector<uint32_t> v(count);
  for (size_t i = 0; i < count; ++i) v[i] = read(base + static_cast<uint32_t>(4 * i));
  return v;
}

void load_program_set(CsrIo& io, const std::string& who,
                      std::span<const std::span<const Insn>> progs, size_t entry,
                      const LoadOptions& opts, uint32_t imem_slots, uint32_t max_programs) {
  if (progs.size() > max_programs) {
    throw Error(who + ": " + std::to_string(progs.size()) + " programs; the program table holds " +
                std::to_string(max_programs));
  }
  if (entry >= progs.size()) {
    throw Error("entry program " + std::to_string(entry) + " is out of range (" +
                std::to_string(progs.size()) + " programs)");
  }
  size_t total = 0;
  for (size_t k = 0; k < progs.size(); ++k) {
    const std::string prefix = progs.size() > 1 ? "program " + std::to_string(k) + ": " : "";
    try {
      if (opts.check) {
        check_program_or_throw(progs[k], CheckOptions{.cpu_version = opts.cpu_version});
      } else if (progs[k].empty()) {
        throw Error("program is empty (it needs at least an exit instruction)");
      }
    } catch (const Error& e) {
      throw Error(prefix + e.what());
    }
    total += progs[k].size();
  }
  if (total > imem_slots) {
    throw Error((progs.size() > 1 ? "programs have " : "program has ") + std::to_string(total) +
                " slots; the " + who + " instruction memory holds " + std::to_string(imem_slots));
  }
  uint32_t first = 0;
  for (size_t k = 0; k < max_programs; ++k) {
    const auto n = k < progs.size() ? static_cast<uint32_t>(progs[k].size()) : 0u;
    for (uint32_t i = 0; i < n; ++i) io.write64(csr::kWinImem + 8 * (first + i), progs[k][i].raw());
    io.write(csr::prog_first(static_cast<unsigned>(k)), first);
    io.write(csr::prog_len(static_cast<unsigned>(k)), n);
    first += n;
  }
  io.write(csr::kEntry, static_cast<uint32_t>(entry));
  io.write64(csr::kSeedLo, opts.prandom_seed);
}

void CsrIo::exchange(std::span<const std::pair<uint32_t, uint32_t>> writes,
                     std::span<const uint32_t> reads, uint32_t* out) {
  for (const auto& [a, v] : writes) write(a, v);
  for (size_t i = 0; i < reads.size(); ++i) out[i] = read(reads[i]);
}

void CsrMapPort::write_desc(uint32_t index, uint32_t value) {
  io_.write(csr::kWinMapDesc + 4 * index, value);
}
void CsrMapPort::write_kbuf(uint32_t word, uint64_t data, uint8_t mask) {
  write_buf(csr::kWinKbuf, word, data, mask);
}
uint64_t CsrMapPort::read_kbuf(uint32_t word) { return io_.read64(csr::kWinKbuf + 8 * word); }
void CsrMapPort::write_vbuf(uint32_t word, uint64_t data, uint8_t mask) {
  write_buf(csr::kWinVbuf, word, data, mask);
}
uint64_t CsrMapPort::read_vbuf(uint32_t word) { return io_.read64(csr::kWinVbuf + 8 * word); }

// The bus writes 32-bit halves: a half with any byte enabled is written whole (bytes past a
// key or value are don't-care to the unit). They are staged with the next command.
void CsrMapPort::write_buf(uint32_t window, uint32_t word, uint64_t data, uint8_t mask) {
  if (mask & 0x0f) staged_.emplace_back(window + 8 * word, static_cast<uint32_t>(data));
  if (mask & 0xf0) staged_.emplace_back(window + 8 * word + 4, static_cast<uint32_t>(data >> 32));
}

void CsrMapPort::lost_sync(uint32_t last, uint32_t expected) {
  // The next command starts from what the device says (after a reset: configure again).
  synced_ = false;
  unsettled_ = false;
  if (last == 0) {
    throw Error(who_ + ": the device was reset: MCMD_LAST_SEQ reads 0, the host's last map "
                "command was " + std::to_string(expected) + "; its maps are gone: load and "
                "configure again");
  }
  throw Error(who_ + ": the map command sequence is out of step: MCMD_LAST_SEQ reads " +
              std::to_string(last) + ", the host's last command was " + std::to_string(expected) +
              " (another host is using the device's map unit, or it was reset)");
}

void CsrMapPort::sync() {
  if (synced_) return;
  next_seq_ = io_.read(csr::kMcmdLastSeq) + 1;
  synced_ = true;
}

std::array<uint32_t, 6> CsrMapPort::ring(uint32_t seq, uint32_t mcmd, uint32_t map,
                                         uint64_t flags, uint32_t cpu,
                                         std::span<const std::pair<uint32_t, uint32_t>> staging) {
  std::vector<std::pair<uint32_t, uint32_t>> w;
  w.reserve(staging.size() + 6);
  w.emplace_back(csr::kMcmdStage, seq);
  w.insert(w.end(), staging.begin(), staging.end());
  w.emplace_back(csr::kMcmdMap, map);  // MAP, CPU, FLAGS_LO/HI: consecutive addresses
  w.emplace_back(csr::kMcmdCpu, cpu);
  w.emplace_back(csr::kMcmdFlagsLo, static_cast<uint32_t>(flags));
  w.emplace_back(csr::kMcmdFlagsHi, static_cast<uint32_t>(flags >> 32));
  w.emplace_back(csr::kMcmd, mcmd);
  for (unsigned attempt = 0;; ++attempt) {
    std::array<uint32_t, 6> got{};
    unsettled_ = true;  // from here until the device answers, the fate of `seq` is unknown
    io_.exchange(w, kResultRegs, got.data());
    if (got[1] == seq) return got;  // taken (now, or by an earlier copy of this staging)
    if (got[1] != seq - 1) lost_sync(got[1], seq - 1);
    // Not taken: the core ran, a command was in progress, or a staging write was refused
    // (a frame in flight): stage it again.
    if (attempt + 1 >= kMaxStagings) {
      // unsettled_ stays set: a late copy could still run, so the next command settles it.
      throw Error(who_ + ": the device did not take map command " + std::to_string(seq) +
                  " in " + std::to_string(kMaxStagings) + " stagings (MCMD_LAST_SEQ stays " +
                  std::to_string(got[1]) + ")");
    }
    ++stats_.restages;
    io_.idle();
  }
}

MapUnitPort::Result CsrMapPort::command(MapOp op, uint32_t map, uint64_t flags, bool prog,
                                        uint32_t cpu, bool null_key) {
  std::vector<std::pair<uint32_t, uint32_t>> staging;
  staging.swap(staged_);
  sync();
  if (unsettled_) {
    // The previous command under next_seq_ may still arrive: give its number to a command
    // without effect (or find that it ran).
    const uint32_t last = io_.read(csr::kMcmdLastSeq);
    if (last == next_seq_ - 1) {
      ++stats_.fences;
      ring(next_seq_, static_cast<uint32_t>(MapOp::kLookup), UINT32_MAX, 0, 0, {});
      // It needs no result: the next command's number follows it.
    } else if (last != next_seq_) {
      lost_sync(last, next_seq_);
    }
    unsettled_ = false;
    ++next_seq_;
  }
  const uint32_t seq = next_seq_;
  std::array<uint32_t, 6> got =
      ring(seq, static_cast<uint32_t>(op) | (null_key ? csr::kMcmdNullKey : 0) |
                    (prog ? csr::kMcmdProg : 0),
           map, flags, cpu, staging);
  // The slowest command (an LPM scan, an LRU eviction over its window) takes thousands of
  // cycles; a million polls means the unit is stuck.
  constexpr unsigned kMaxPolls = 1'000'000;
  unsigned polls = 0;
  for (;;) {
    if (got[1] != seq) lost_sync(got[1], seq);
    if (got[0] == seq) break;
    if (++polls > kMaxPolls) {
      throw Error(who_ + ": the map unit did not complete command " + std::to_string(seq) +
                  " (MCMD_DONE_SEQ still " + std::to_string(got[0]) + " after " +
                  std::to_string(kMaxPolls) + " polls)");
    }
    ++stats_.polls;
    io_.idle();
    io_.exchange({}, kResultRegs, got.data());
  }
  unsettled_ = false;
  ++next_seq_;
  ++stats_.commands;
  Result r;
  r.status = static_cast<int32_t>(got[2]);
  r.offset = got[3];
  r.word = got[4] | (uint64_t{got[5]} << 32);
  r.cycles = polls;
  return r;
}

MapUnitParams read_map_unit_params(CsrIo& io) {
  MapUnitParams p;
  p.max_maps = io.read(csr::kMapSlots);
  p.key_words = io.read(csr::kMapKeyWords);
  p.buckets = io.read(csr::kMapBuckets);
  p.slots = io.read(csr::kMapPoolSlots);
  p.value_words = io.read(csr::kMapValueWords);
  return p;
}

uint64_t max_insn_cycles(const MapUnitParams& p) {
  constexpr uint64_t kFixed = 4096;                     // request, answer, descriptor loads
  constexpr uint64_t kCopyBytes = 0x10000 + 512;        // the largest byte copy of a helper
  const uint64_t copy = 2 * 2 * kCopyBytes;
  const uint64_t map_cmd = 2 * (3 * 2 * uint64_t{p.buckets} + 8 * uint64_t{p.slots} +
                                2 * uint64_t{p.key_words} + uint64_t{p.value_words});
  // A helper issues at most two map commands (an update that evicts counts once: its probes
  // are in map_cmd) besides its copies.
  return kFixed + copy + 2 * map_cmd;
}

void configure_map_set(CsrIo& io, MapUnitDriver& driver, std::span<const MapSpec> specs,
                       const MapOptions& opts) {
  const uint32_t slots = io.read(csr::kMapSlots);
  driver.configure(specs, opts);
  // The helper unit's map table: type, sizes, max_entries (PERF_EVENT_ARRAY 0: cores).
  for (uint32_t m = 0; m < slots; ++m) {
    const uint32_t base = csr::kMinfo + 16 * m;
    if (m >= specs.size()) {
      io.write(base, 0);
      continue;
    }
    const MapSpec& s = driver.spec(m);
    io.write(base + 4, s.key_size);
    io.write(base + 8, s.value_size);
    io.write(base + 12, s.max_entries);
    io.write(base, csr::kMinfoValid | static_cast<uint32_t>(s.type));
  }
}

void read_run_extras(CsrIo& io, RunResult& res, MemoryImage& mem, uint32_t cpu) {
  res.program = io.read(csr::kProg);
  res.tail_calls = io.read(csr::kTailCalls);
  mem.data_meta = io.read(csr::kDataMeta);
  mem.data = io.read(csr::kData);
  mem.data_end = io.read(csr::kDataEnd);
  if (res.fault == FaultCode::kNone && res.r0 == kXdpRedirect) {
    const uint32_t redir = io.read(csr::kRedirStatus);
    if (redir & csr::kRedirValid) {
      Redirect r{.ifindex = io.read(csr::kRedirIfindex)};
      if (redir & csr::kRedirHasMap) {
        r.map = io.read(csr::kRedirMap);
        r.key = io.read(csr::kRedirKey);
        r.flags = io.read64(csr::kRedirFlagsLo);
      }
      res.redirect = r;
    }
  }
  const uint32_t bytes = io.read(csr::kEvtBytes);
  if (bytes == 0) return;
  if (bytes > kEventWindowBytes) {
    throw Error("EVT_BYTES is " + std::to_string(bytes) + "; the device's event FIFO holds at most " +
                std::to_string(kEventWindowBytes) + " bytes (malformed device answer)");
  }
  const uint32_t count = io.read(csr::kEvtCount);
  const std::vector<uint32_t> words = io.read_block(csr::kWinEvents, (bytes + 3) / 4);
  std::vector<uint8_t> fifo(words.size() * 4);
  std::memcpy(fifo.data(), words.data(), fifo.size());
  fifo.resize(bytes);
  std::vector<Event> events = parse_event_records(fifo, count, cpu);
  for (Event& ev : events) res.events.push_back(std::move(ev));
}

std::vector<Event> parse_event_records(std::span<const uint8_t> fifo, uint32_t count,
                                       uint32_t cpu) {
  const auto at = [](uint64_t off) {
    return "event FIFO word " + std::to_string(off / 4) + " (byte " + std::to_string(off) + ")";
  };
  if (fifo.size() > kEventWindowBytes) {
    throw Error("event FIFO of " + std::to_string(fifo.size()) + " bytes; the device holds at most " +
                std::to_string(kEventWindowBytes));
  }
  const uint64_t bytes = fifo.size();
  std::vector<Event> events;
  uint64_t off = 0;
  while (off < bytes) {
    if (off + 16 > bytes) {
      throw Error(at(off) + ": " + std::to_string(bytes - off) +
                  " bytes left, less than a 16-byte record header (EVT_BYTES " +
                  std::to_string(bytes) + ")");
    }
    uint64_t h0, h1;
    std::memcpy(&h0, fifo.data() + off, 8);
    std::memcpy(&h1, fifo.data() + off + 8, 8);
    const auto kind = static_cast<uint32_t>(h0 & 0xff);
    if (kind < static_cast<uint32_t>(EventKind::kTracePrintk) ||
        kind > static_cast<uint32_t>(EventKind::kRingbufOutput)) {
      throw Error(at(off) + ": unknown event kind " + std::to_string(kind) +
                  " (1 trace_printk, 2 perf_event_output, 3 ringbuf_output)");
    }
    const auto len = static_cast<uint32_t>(h0 >> 32);
    if (off + 16 + uint64_t{len} > bytes) {
      throw Error(at(off) + ": record of " + std::to_string(len) + " bytes runs past the end of " +
                  "the event FIFO (EVT_BYTES " + std::to_string(bytes) + ")");
    }
    if (events.size() >= count) {
      throw Error(at(off) + ": more records than EVT_COUNT (" + std::to_string(count) + ")");
    }
    Event ev{.kind = static_cast<EventKind>(kind),
             .map = static_cast<uint32_t>((h0 >> 16) & 0xffff)};
    if (ev.kind == EventKind::kPerfEventOutput) {
      const uint64_t index = h1 & helper_limits::kBpfFIndexMask;
      ev.index = index == helper_limits::kBpfFCurrentCpu ? cpu : static_cast<uint32_t>(index);
    }
    ev.flags = h1;
    ev.bytes.assign(fifo.begin() + static_cast<std::ptrdiff_t>(off + 16),
                    fifo.begin() + static_cast<std::ptrdiff_t>(off + 16 + len));
    events.push_back(std::move(ev));
    // Records are padded to 8 bytes; the last one's padding may lie past EVT_BYTES.
    off += 16 + ((uint64_t{len} + 7) & ~uint64_t{7});
  }
  if (events.size() != count) {
    throw Error("event FIFO holds " + std::to_string(events.size()) + " records in " +
                std::to_string(bytes) + " bytes but EVT_COUNT is " + std::to_string(count));
  }
  return events;
}

}  // namespace ebpf::device
