// The rtl engine: ebpf::Engine on the Verilator model of ebpf_top, driven only through its
// CSR bus, as a host would drive the board.
//
// load()/load_programs(): the same load-time checker as interp (when opts.check), then the
//   programs go into the instruction memory and the program table (host/src/device/
//   csr_protocol.h, shared with the device engine). configure_maps()/maps(): the map unit
//   through the host command block (MapUnitDriver).
// run(): the memory image and the initial registers go in, the core runs until done (with a
//   watchdog: no instruction retired for longer than the slowest helper may take on this
//   model's map pools; a hang resets the model, and run()/maps() then say so until the
//   programs are loaded and the maps configured again), and the status, registers, events, redirect, packet offsets and every
//   written memory word come back.
//   The engine keeps a copy of what the memories hold, so only words that differ are
//   written and only words the run wrote (the core reports their range) are read back.
#include <algorithm>
#include <cstring>
#include <string>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/checker.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/rtl_engine.h"
#include "ebpf_sim_harness.h"
#include "csr_protocol.h"
#include "map_unit_driver.h"

namespace ebpf {
namespace {

// The watchdog: the core is hung when no instruction retires (INSTRET stays the same) for
// longer than the slowest instruction can take on this model (device::max_insn_cycles, from
// the map pools the model reports), or when the run takes longer than its budget of such
// instructions. INSTRET is read every kWatchdogPeriod cycles; a CSR read is one clock tick,
// as the tick it replaces, so the run's cycle count does not change.
constexpr uint64_t kWatchdogPeriod = 4096;

uint64_t saturating_mul(uint64_t a, uint64_t b) {
  return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

// CSR accesses over the harness: one bus cycle each; polling advances the clock.
class HarnessIo final : public device::CsrIo {
 public:
  explicit HarnessIo(sim::Harness& h) : h_(h) {}
  void write(uint32_t addr, uint32_t value) override { h_.csr_write(addr, value); }
  uint32_t read(uint32_t addr) override { return h_.csr_read(addr); }
  void idle() override { h_.tick(); }

 private:
  sim::Harness& h_;
};

class RtlEngine final : public Engine {
 public:
  explicit RtlEngine(const RtlEngineOptions& opts)
      : harness_(sim::HarnessOptions{.trace_path = opts.trace_path}),
        io_(harness_),
        map_port_(io_, "rtl"),
        params_(device::read_map_unit_params(io_)),
        map_driver_(map_port_, params_),
        insn_bound_(device::max_insn_cycles(params_)) {
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
    device::configure_map_set(io_, map_driver_, specs, opts);
    cores_ = opts.cores;
    maps_lost_ = false;
  }

  MapAccess* maps() override {
    if (maps_lost_) throw Error(hang_message());
    return &map_driver_;
  }

  RunResult run(MemoryImage& mem, const RunOptions& opts) override {
    if (!hang_.empty() && (!loaded_ || maps_lost_)) throw Error(hang_message());
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
    ++runs_;
    const uint64_t limit =
        saturating_mul(std::min<uint64_t>(opts.budget, UINT64_MAX - 1) + 1, insn_bound_);
    uint32_t instret = 0;
    uint64_t last_retire = t0;
    while (!harness_.done()) {
      const uint64_t now = harness_.cycles();
      if ((now - t0) % kWatchdogPeriod != 0) {
        harness_.tick();
        continue;
      }
      const uint32_t r = harness_.csr_read(csr::kInstretLo);  // one tick
      if (r != instret || now == t0) {
        instret = r;
        last_retire = now;
      }
      const uint64_t idle = harness_.cycles() - last_retire;
      const uint64_t total = harness_.cycles() - t0;
      if (harness_.done() || (idle <= insn_bound_ && total <= limit)) continue;
      hang_ = "at run " + std::to_string(runs_) + " (" + std::to_string(total) +
              " cycles, " + std::to_string(r) + " instructions retired, none in the last " +
              std::to_string(idle) + " cycles; the slowest instruction on this model takes at " +
              "most " + std::to_string(insn_bound_) + " cycles, the budget of " +
              std::to_string(opts.budget) + " at most " + std::to_string(limit) + ")";
      harness_.reset();
      map_port_.resync();  // the reset model's MCMD_LAST_SEQ reads 0
      stack_.clear();
      packet_.clear();
      loaded_ = false;
      maps_lost_ = true;
      throw Error("rtl: the core hung " + hang_ +
                  "; the model was reset: load and configure the maps again");
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
    device::read_run_extras(io_, res, mem, opts.cpu);

    sync_out(stack_, mem.stack.data(), addr::kStackSize, csr::kWinStack, csr::kStackWlo,
             csr::kStackWhi);
    sync_out(packet_, mem.packet.data(), addr::kPacketBufferSize, csr::kWinPacket,
             csr::kPktWlo, csr::kPktWhi);
    return res;
  }

 private:
  std::string hang_message() const {
    return "rtl: the model was reset after a hang " + hang_ + ": load and configure again" +
           (loaded_ ? " (the programs are loaded; configure_maps() is missing)" : "");
  }

  void load_all(std::span<const std::span<const Insn>> progs, size_t entry,
                const LoadOptions& opts) {
    loaded_ = false;
    device::load_program_set(io_, "rtl", progs, entry, opts, imem_slots_, max_programs_);
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
  HarnessIo io_;
  device::CsrMapPort map_port_;
  MapUnitParams params_;
  MapUnitDriver map_driver_;
  uint64_t insn_bound_ = 0;  // cycles the slowest instruction may take (the watchdog)
  uint64_t runs_ = 0;
  std::string hang_;         // where the last hang was ("" when none)
  bool maps_lost_ = false;   // the model was reset after a hang: the maps are gone
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
