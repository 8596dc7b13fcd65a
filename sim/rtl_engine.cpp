// The rtl engine: ebpf::Engine on the Verilator model of ebpf_top, driven only through its
// CSR bus, as a host would drive the board.
//
// load(): the same load-time checker as interp (when opts.check), then the program goes into
//   the instruction memory.
// run(): the memory image and the initial registers go in, the core runs until done (with a
//   cycle watchdog), and the status, registers and every written memory word come back.
//   The engine keeps a copy of what the memories hold, so only words that differ are
//   written and only words the run wrote (the core reports their range) are read back.
#include <algorithm>
#include <cstring>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/rtl_engine.h"
#include "ebpf_sim_harness.h"
#include "map_unit_driver.h"

namespace ebpf {
namespace {

// Cycles a run may take before the engine declares the core hung: the slowest instruction
// (a 64-bit divide) takes well under 64 cycles.
constexpr uint64_t kCyclesPerInsnBound = 64;
constexpr uint64_t kWatchdogSlack = 10'000;

// The map unit's ports as the host command block exposes them over the CSR bus
// (docs/registers.md "Maps"), for MapUnitDriver.
class CsrMapPort final : public MapUnitPort {
 public:
  explicit CsrMapPort(sim::Harness& h) : h_(h) {}

  void write_desc(uint32_t index, uint32_t value) override {
    h_.csr_write(csr::kWinMapDesc + 4 * index, value);
  }
  void write_kbuf(uint32_t word, uint64_t data, uint8_t mask) override {
    write_buf(csr::kWinKbuf, word, data, mask);
  }
  uint64_t read_kbuf(uint32_t word) override { return h_.csr_read64(csr::kWinKbuf + 8 * word); }
  void write_vbuf(uint32_t word, uint64_t data, uint8_t mask) override {
    write_buf(csr::kWinVbuf, word, data, mask);
  }
  uint64_t read_vbuf(uint32_t word) override { return h_.csr_read64(csr::kWinVbuf + 8 * word); }

  Result command(MapOp op, uint32_t map, uint64_t flags, bool prog, uint32_t cpu,
                 bool null_key) override {
    h_.csr_write(csr::kMcmdMap, map);
    h_.csr_write64(csr::kMcmdFlagsLo, flags);
    h_.csr_write(csr::kMcmdCpu, cpu);
    const uint64_t t0 = h_.cycles();
    h_.csr_write(csr::kMcmd, static_cast<uint32_t>(op) | (null_key ? csr::kMcmdNullKey : 0) |
                                 (prog ? csr::kMcmdProg : 0));
    // The slowest command (an LPM scan, an LRU eviction over the window) is far below this.
    constexpr uint64_t kCommandCycleLimit = 10'000'000;
    while (h_.csr_read(csr::kMcmd) & 1) {
      if (h_.cycles() - t0 > kCommandCycleLimit) {
        throw Error("rtl: the map unit did not answer a command within " +
                    std::to_string(kCommandCycleLimit) + " cycles");
      }
    }
    Result r;
    r.status = static_cast<int32_t>(h_.csr_read(csr::kMcmdStatus));
    r.offset = h_.csr_read(csr::kMcmdOffset);
    r.word = h_.csr_read64(csr::kMcmdWordLo);
    r.cycles = h_.cycles() - t0;
    return r;
  }

 private:
  // The bus writes 32-bit halves: a half with any byte enabled is written whole (bytes past
  // a key or value are don't-care to the unit).
  void write_buf(uint32_t window, uint32_t word, uint64_t data, uint8_t mask) {
    if (mask & 0x0f) h_.csr_write(window + 8 * word, static_cast<uint32_t>(data));
    if (mask & 0xf0) h_.csr_write(window + 8 * word + 4, static_cast<uint32_t>(data >> 32));
  }

  sim::Harness& h_;
};

class RtlEngine final : public Engine {
 public:
  explicit RtlEngine(const RtlEngineOptions& opts)
      : harness_(sim::HarnessOptions{.trace_path = opts.trace_path}),
        map_port_(harness_),
        map_driver_(map_port_) {
    if (harness_.csr_read(csr::kId) != csr::kCoreId) {
      throw Error("rtl: the model does not answer with the eBPF core ID");
    }
    imem_slots_ = harness_.csr_read(csr::kImemSlots);
    max_programs_ = harness_.csr_read(csr::kMaxPrograms);
  }

  std::string_view name() const override { return "rtl"; }

  void load(std::span<const Insn> prog, const LoadOptions& opts) override {
    const std::span<const Insn> one[] = {prog};
    load_all(one, 0, opts);
  }

  void load_programs(std::span<const std::vector<Insn>> progs, size_t entry,
                     const LoadOptions& opts) override {
    std::vector<std::span<const Insn>> spans(progs.begin(), progs.end());
    load_all(spans, entry, opts);
  }

  void configure_maps(std::span<const MapSpec> specs, const MapOptions& opts) override {
    // One core plays any of opts.cores cpus, one run at a time (RunOptions::cpu).
    if (opts.cores == 0 || opts.cores > 255) {
      throw Error("rtl: MapOptions::cores is " + std::to_string(opts.cores) +
                  "; the rtl engine plays 1 to 255 cpus");
    }
    cores_ = opts.cores;
    map_slots_ = harness_.csr_read(csr::kMapSlots);
    map_driver_.configure(specs, opts);
    // The helper unit's map table: type, sizes, max_entries (PERF_EVENT_ARRAY 0: cores).
    for (uint32_t m = 0; m < map_slots_; ++m) {
      const uint32_t base = csr::kMinfo + 16 * m;
      if (m >= specs.size()) {
        harness_.csr_write(base, 0);
        continue;
      }
      const MapSpec& s = map_driver_.spec(m);
      harness_.csr_write(base + 4, s.key_size);
      harness_.csr_write(base + 8, s.value_size);
      harness_.csr_write(base + 12, s.max_entries);
      harness_.csr_write(base, csr::kMinfoValid | static_cast<uint32_t>(s.type));
    }
  }

  MapAccess* maps() override { return &map_driver_; }

  RunResult run(MemoryImage& mem, const RunOptions& opts) override {
    if (!loaded_) throw Error("rtl: run() called before load()");
    if (opts.cpu >= cores_) {
      throw Error("rtl: RunOptions::cpu is " + std::to_string(opts.cpu) + "; the maps have " +
                  std::to_string(cores_) + " cpus (MapOptions::cores)");
    }
    harness_.csr_write(csr::kRunCpu, opts.cpu);
    if (mem.stack.size() < addr::kStackSize || mem.packet.size() < addr::kPacketBufferSize) {
      throw Error("rtl: memory image has the wrong size");
    }
    if (mem.data_end > addr::kPacketBufferSize) {
      throw Error("rtl: data_end " + std::to_string(mem.data_end) +
                  " is beyond the packet buffer (" + std::to_string(addr::kPacketBufferSize) +
                  " bytes)");
    }

    sync_in(stack_, mem.stack.data(), addr::kStackSize, csr::kWinStack);
    sync_in(packet_, mem.packet.data(), addr::kPacketBufferSize, csr::kWinPacket);

    harness_.csr_write(csr::kDataMeta, mem.data_meta);
    harness_.csr_write(csr::kData, mem.data);
    harness_.csr_write(csr::kDataEnd, mem.data_end);
    harness_.csr_write(csr::kIfindex, mem.ingress_ifindex);
    harness_.csr_write(csr::kRxQueue, mem.rx_queue_index);
    harness_.csr_write(csr::kConfig, mem.has_ctx ? csr::kConfigHasCtx : 0);
    harness_.csr_write64(csr::kBudgetLo, opts.budget);

    uint64_t regs[10] = {};
    if (mem.has_ctx) {
      regs[1] = addr::kCtxBase;
    } else {
      regs[1] = addr::kPacketBase + mem.data;
      regs[2] = mem.data_end - mem.data;
    }
    for (unsigned k = 0; k < 10; ++k) harness_.csr_write64(csr::reg_lo(k), regs[k]);

    // The run: from the cycle the core takes the start to the cycle it reports done.
    harness_.csr_write(csr::kCtrl, csr::kCtrlStart);
    const uint64_t t0 = harness_.cycles();
    const uint64_t limit = (std::min<uint64_t>(opts.budget, UINT64_MAX / 128) + 1) *
                               kCyclesPerInsnBound + kWatchdogSlack;
    while (!harness_.done()) {
      harness_.tick();
      if (harness_.cycles() - t0 > limit) {
        harness_.reset();
        stack_.clear();
        packet_.clear();
        loaded_ = false;
        throw Error("rtl: the core did not finish within " + std::to_string(limit) +
                    " cycles (hang); the model was reset");
      }
    }
    const uint64_t run_cycles = harness_.cycles() - t0;

    RunResult res;
    const uint32_t status = harness_.csr_read(csr::kStatus);
    res.fault = static_cast<FaultCode>((status >> csr::kStatusFaultLsb) & 0xff);
    res.fault_pc = harness_.csr_read(csr::kFaultPc);
    res.instructions = harness_.csr_read64(csr::kInstretLo);
    for (unsigned k = 0; k < 11; ++k) res.regs[k] = harness_.csr_read64(csr::reg_lo(k));
    res.r0 = harness_.csr_read64(csr::kR0Lo);
    res.cycles = run_cycles;
    res.program = harness_.csr_read(csr::kProg);
    res.tail_calls = harness_.csr_read(csr::kTailCalls);
    if (res.fault == FaultCode::kNone && res.r0 == kXdpRedirect) {
      const uint32_t redir = harness_.csr_read(csr::kRedirStatus);
      if (redir & csr::kRedirValid) {
        Redirect r{.ifindex = harness_.csr_read(csr::kRedirIfindex)};
        if (redir & csr::kRedirHasMap) {
          r.map = harness_.csr_read(csr::kRedirMap);
          r.key = harness_.csr_read(csr::kRedirKey);
          r.flags = harness_.csr_read64(csr::kRedirFlagsLo);
        }
        res.redirect = r;
      }
    }

    read_events(res, opts.cpu);
    // The adjust helpers move the packet offsets.
    mem.data_meta = harness_.csr_read(csr::kDataMeta);
    mem.data = harness_.csr_read(csr::kData);
    mem.data_end = harness_.csr_read(csr::kDataEnd);

    sync_out(stack_, mem.stack.data(), addr::kStackSize, csr::kWinStack, csr::kStackWlo,
             csr::kStackWhi);
    sync_out(packet_, mem.packet.data(), addr::kPacketBufferSize, csr::kWinPacket,
             csr::kPktWlo, csr::kPktWhi);
    return res;
  }

 private:
  // The event FIFO (docs/registers.md "Event FIFO"): 16-byte headers, bytes padded to 8.
  void read_events(RunResult& res, uint32_t cpu) {
    const uint32_t bytes = harness_.csr_read(csr::kEvtBytes);
    std::vector<uint8_t> fifo(bytes);
    for (uint32_t off = 0; off + 4 <= bytes; off += 4) {
      const uint32_t v = harness_.csr_read(csr::kWinEvents + off);
      std::memcpy(fifo.data() + off, &v, 4);
    }
    for (uint32_t off = 0; off + 16 <= bytes;) {
      uint64_t h0, h1;
      std::memcpy(&h0, fifo.data() + off, 8);
      std::memcpy(&h1, fifo.data() + off + 8, 8);
      const auto len = static_cast<uint32_t>(h0 >> 32);
      if (off + 16 + len > bytes) throw Error("rtl: event FIFO record at byte " +
                                              std::to_string(off) + " runs past its end");
      Event ev{.kind = static_cast<EventKind>(h0 & 0xff),
               .map = static_cast<uint32_t>((h0 >> 16) & 0xffff)};
      if (ev.kind == EventKind::kPerfEventOutput) {
        const uint64_t index = h1 & helper_limits::kBpfFIndexMask;
        ev.index = index == helper_limits::kBpfFCurrentCpu ? cpu : static_cast<uint32_t>(index);
      }
      ev.flags = h1;
      ev.bytes.assign(fifo.begin() + off + 16, fifo.begin() + off + 16 + len);
      res.events.push_back(std::move(ev));
      off += 16 + ((len + 7) & ~7u);
    }
  }

  // Programs back to back in the instruction memory, one program-table entry each
  // (docs/registers.md "Program table"); `entry` starts every run.
  void load_all(std::span<const std::span<const Insn>> progs, size_t entry,
                const LoadOptions& opts) {
    if (progs.size() > max_programs_) {
      throw Error("rtl: " + std::to_string(progs.size()) + " programs; the program table holds " +
                  std::to_string(max_programs_));
    }
    if (entry >= progs.size()) {
      throw Error("entry program " + std::to_string(entry) + " is out of range (" +
                  std::to_string(progs.size()) + " programs)");
    }
    size_t total = 0;
    for (size_t k = 0; k < progs.size(); ++k) {
      const std::string who = progs.size() > 1 ? "program " + std::to_string(k) + ": " : "";
      try {
        if (opts.check) {
          check_program_or_throw(progs[k], CheckOptions{.cpu_version = opts.cpu_version});
        } else if (progs[k].empty()) {
          throw Error("program is empty (it needs at least an exit instruction)");
        }
      } catch (const Error& e) {
        throw Error(who + e.what());
      }
      total += progs[k].size();
    }
    if (total > imem_slots_) {
      throw Error((progs.size() > 1 ? "programs have " : "program has ") +
                  std::to_string(total) + " slots; the rtl instruction memory holds " +
                  std::to_string(imem_slots_));
    }
    loaded_ = false;
    uint32_t first = 0;
    for (size_t k = 0; k < max_programs_; ++k) {
      const auto n = k < progs.size() ? static_cast<uint32_t>(progs[k].size()) : 0u;
      for (uint32_t i = 0; i < n; ++i) {
        const uint64_t w = progs[k][i].raw();
        const auto a = static_cast<uint32_t>(csr::kWinImem + 8 * (first + i));
        harness_.csr_write(a, static_cast<uint32_t>(w));
        harness_.csr_write(a + 4, static_cast<uint32_t>(w >> 32));
      }
      harness_.csr_write(csr::prog_first(static_cast<unsigned>(k)), first);
      harness_.csr_write(csr::prog_len(static_cast<unsigned>(k)), n);
      first += n;
    }
    harness_.csr_write(csr::kEntry, static_cast<uint32_t>(entry));
    harness_.csr_write64(csr::kSeedLo, opts.prandom_seed);
    loaded_ = true;
  }

  // Writes the 32-bit words of `image` that differ from what the memory holds (`shadow`,
  // empty when unknown).
  void sync_in(std::vector<uint8_t>& shadow, const uint8_t* image, uint32_t size,
               uint32_t window) {
    const uint32_t padded = (size + 7) & ~7u;
    const bool known = shadow.size() == padded;
    if (!known) shadow.assign(padded, 0);
    for (uint32_t off = 0; off < padded; off += 4) {
      uint8_t word[4] = {};
      std::memcpy(word, image + off, std::min<uint32_t>(4, size > off ? size - off : 0));
      if (known && std::memcmp(word, shadow.data() + off, 4) == 0) continue;
      uint32_t v;
      std::memcpy(&v, word, 4);
      harness_.csr_write(window + off, v);
      std::memcpy(shadow.data() + off, word, 4);
    }
  }

  // Reads back the 64-bit words the run wrote, as the core reports them, into both copies.
  void sync_out(std::vector<uint8_t>& shadow, uint8_t* image, uint32_t size, uint32_t window,
                uint32_t wlo_reg, uint32_t whi_reg) {
    const uint32_t words = static_cast<uint32_t>(shadow.size() / 8);
    const uint32_t lo = harness_.csr_read(wlo_reg);
    const uint32_t hi = std::min(harness_.csr_read(whi_reg), words);
    for (uint32_t w = lo; w < hi; ++w) {
      for (uint32_t half = 0; half < 2; ++half) {
        const uint32_t off = 8 * w + 4 * half;
        const uint32_t v = harness_.csr_read(window + off);
        std::memcpy(shadow.data() + off, &v, 4);
        if (off < size) std::memcpy(image + off, &v, std::min<uint32_t>(4, size - off));
      }
    }
  }

  sim::Harness harness_;
  CsrMapPort map_port_;
  MapUnitDriver map_driver_;
  uint32_t map_slots_ = 0;
  uint32_t cores_ = 1;
  uint32_t imem_slots_ = 0;
  uint32_t max_programs_ = 0;
  bool loaded_ = false;
  std::vector<uint8_t> stack_, packet_;  // what the memories hold (empty: unknown)
};

}  // namespace

std::unique_ptr<Engine> make_rtl_engine(const RtlEngineOptions& opts) {
  return std::make_unique<RtlEngine>(opts);
}

}  // namespace ebpf
