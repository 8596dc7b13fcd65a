// A run over a bus: inputs, START, wait, outputs, each a batch.
//
//   1. STATUS and PROG_LEN are read, then the stack and packet words that differ from what
//      the device holds, the packet offsets, CONFIG, BUDGET and r0-r9 are written (one
//      batch). A busy device would drop those writes, so the batch is redone once it is idle;
//      a PROG_LEN other than the loaded length means the device lost the program (reset).
//   2. RUN_SEQ = LAST_RUN_SEQ + 1 with LAST_RUN_SEQ and STATUS read back, in one datagram on
//      udp://. The device starts a run only for the next number, so a re-sent or duplicated
//      datagram never runs the program twice. LAST_RUN_SEQ still at the old number means the
//      device did not take it (busy, or packet I/O attached): the run is tried again from
//      step 1 (DeviceOpts::max_reruns).
//   3. STATUS until DONE.
//   4. STATUS, FAULT_PC, INSTRET, CYCLES, r0-r10, R0 and the written-word ranges, then the
//      written stack and packet words.
// Map commands are sequenced the same way (CsrMapPort, csr_protocol.h).
#include "bus_engine.h"

#include <algorithm>
#include <cstring>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/checker.h"

namespace ebpf::device {

using Clock = std::chrono::steady_clock;

BusEngine::BusEngine(Bus& bus, uint32_t imem_slots, uint32_t features, const DeviceOpts& opts)
    : bus_(bus),
      io_(bus),
      map_port_(io_, bus.uri()),
      map_driver_(std::in_place, map_port_),
      imem_slots_(imem_slots),
      features_(features),
      opts_(opts) {}

void BusEngine::load_programs(std::span<const std::vector<Insn>> progs, size_t entry,
                              const LoadOptions& opts) {
  std::vector<std::span<const Insn>> spans(progs.begin(), progs.end());
  load_all(spans, entry, opts);
}

// Several programs: the program table (csr_protocol.h), then the same acknowledgement as a
// single program (PROG_LEN is program 0's length).
void BusEngine::load_all(std::span<const std::span<const Insn>> progs, size_t entry,
                         const LoadOptions& opts) {
  wait_idle("load programs");
  loaded_ = false;
  const uint32_t max_programs = io_.read(csr::kMaxPrograms);
  load_program_set(io_, bus_.uri(), progs, entry, opts, imem_slots_, max_programs);
  table_used_ = true;
  const auto n = static_cast<uint32_t>(progs[0].size());
  const uint32_t len = io_.read(csr::kProgLen);
  if (len != n) {
    throw Error(bus_.uri() + ": the device did not take the programs: PROG_LEN reads " +
                std::to_string(len) + " after writing " + std::to_string(n));
  }
  loaded_ = true;
  loaded_len_ = n;
  ++stats_.loads;
}

void BusEngine::configure_maps(std::span<const MapSpec> specs, const MapOptions& opts) {
  if (opts.cores == 0 || opts.cores > 255) {
    throw Error(bus_.uri() + ": MapOptions::cores is " + std::to_string(opts.cores) +
                "; the device plays 1 to 255 cpus");
  }
  wait_idle("configure maps");
  if (!params_read_) {
    map_driver_.emplace(map_port_, read_map_unit_params(io_));
    params_read_ = true;
  }
  configure_map_set(io_, *map_driver_, specs, opts);
  io_.flush();
  cores_ = opts.cores;
}

uint32_t BusEngine::wait_idle(const char* before) {
  uint32_t status = bus_.read(csr::kStatus);
  if (!(status & csr::kStatusBusy)) return status;
  ++stats_.busy_waits;
  const Clock::time_point deadline = Clock::now() + opts_.run_timeout;
  auto pause = std::chrono::microseconds(1);
  while (status & csr::kStatusBusy) {
    if (Clock::now() >= deadline) {
      throw Error(bus_.uri() + ": cannot " + before + ": the device has been busy with a run " +
                  "for more than " + std::to_string(opts_.run_timeout.count()) + " ms");
    }
    bus_.wait(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(1000));
    status = bus_.read(csr::kStatus);
  }
  return status;
}

void BusEngine::load(std::span<const Insn> prog, const LoadOptions& opts) {
  if (table_used_) {
    // A program set was loaded: rewrite the whole table so that no stale program stays
    // reachable by a tail call.
    const std::span<const Insn> one[] = {prog};
    load_all(one, 0, opts);
    return;
  }
  if (opts.check) {
    check_program_or_throw(prog, CheckOptions{.cpu_version = opts.cpu_version});
  } else if (prog.empty()) {
    throw Error("program is empty (it needs at least an exit instruction)");
  }
  if (prog.size() > imem_slots_) {
    throw Error("program has " + std::to_string(prog.size()) + " slots; the instruction memory "
                "of " + bus_.uri() + " holds " + std::to_string(imem_slots_) + " (IMEM_SLOTS)");
  }
  wait_idle("load a program");
  loaded_ = false;
  std::vector<uint32_t> words(2 * prog.size());
  for (size_t i = 0; i < prog.size(); ++i) {
    const uint64_t w = prog[i].raw();
    words[2 * i] = static_cast<uint32_t>(w);
    words[2 * i + 1] = static_cast<uint32_t>(w >> 32);
  }
  const auto n = static_cast<uint32_t>(prog.size());
  uint32_t len = 0, status = 0;
  BusBatch b(bus_);
  b.write_block(csr::kWinImem, words).write(csr::kProgLen, n);
  b.read(csr::kProgLen, &len).read(csr::kStatus, &status);
  b.flush();
  if (len != n) {
    throw Error(bus_.uri() + ": the device did not take the program: PROG_LEN reads " +
                std::to_string(len) + " after writing " + std::to_string(n) +
                ((status & csr::kStatusBusy) ? " (a run started meanwhile)" : ""));
  }
  loaded_ = true;
  loaded_len_ = n;
  ++stats_.loads;
}

void BusEngine::sync_in(BusBatch& b, std::vector<uint8_t>& shadow, const uint8_t* image,
                        uint32_t size, uint32_t window) {
  const uint32_t padded = (size + 7) & ~7u;
  const bool known = shadow.size() == padded;
  if (!known) shadow.assign(padded, 0);
  for (uint32_t off = 0; off < padded; off += 4) {
    uint8_t word[4] = {};
    std::memcpy(word, image + off, std::min<uint32_t>(4, size > off ? size - off : 0));
    if (known && std::memcmp(word, shadow.data() + off, 4) == 0) continue;
    uint32_t v;
    std::memcpy(&v, word, 4);
    b.write(window + off, v);
    std::memcpy(shadow.data() + off, word, 4);
  }
}

void BusEngine::sync_out(std::vector<uint8_t>& shadow, uint8_t* image, uint32_t size,
                         uint32_t window, uint32_t wlo, uint32_t whi) {
  const uint32_t words = static_cast<uint32_t>(shadow.size() / 8);
  const uint32_t hi = std::min(whi, words);
  if (wlo >= hi) return;
  const std::vector<uint32_t> v = bus_.read_block(window + 8 * wlo, 2 * (hi - wlo));
  for (uint32_t i = 0; i < v.size(); ++i) {
    const uint32_t off = 8 * wlo + 4 * i;
    std::memcpy(shadow.data() + off, &v[i], 4);
    if (off < size) std::memcpy(image + off, &v[i], std::min<uint32_t>(4, size - off));
  }
}

RunResult BusEngine::run(MemoryImage& mem, const RunOptions& opts) {
  if (!loaded_) throw Error(bus_.uri() + ": run() called before load()");
  if (!(features_ & DeviceInfo::kFeatRunSeq)) {
    throw Error(bus_.uri() + ": the device cannot start runs exactly once (CAP_FEATURES bit 0, "
                "RUN_SEQ, is clear: a core older than the capability block); update its "
                "bitstream");
  }
  if (mem.stack.size() < addr::kStackSize || mem.packet.size() < addr::kPacketBufferSize) {
    throw Error("memory image has the wrong size");
  }
  if (mem.data_end > addr::kPacketBufferSize) {
    throw Error("data_end " + std::to_string(mem.data_end) + " is beyond the packet buffer (" +
                std::to_string(addr::kPacketBufferSize) + " bytes)");
  }
  if (opts.cpu >= cores_) {
    throw Error(bus_.uri() + ": RunOptions::cpu is " + std::to_string(opts.cpu) +
                (cores_ == 1 ? std::string("; the device has one core (cpu 0)")
                             : "; the maps have " + std::to_string(cores_) +
                                   " cpus (MapOptions::cores)"));
  }
  ++stats_.runs;
  // If anything below throws, what the memories hold is unknown.
  struct Guard {
    BusEngine* e;
    ~Guard() {
      if (e) e->invalidate();
    }
  } guard{this};

  uint64_t regs[10] = {};
  if (mem.has_ctx) {
    regs[1] = addr::kCtxBase;
  } else {
    regs[1] = addr::kPacketBase + mem.data;
    regs[2] = mem.data_end - mem.data;
  }

  const unsigned max_attempts = opts_.max_reruns + 4;  // reruns, plus a few busy retries
  for (unsigned attempt = 0;; ++attempt) {
    if (attempt >= max_attempts) {
      throw Error(bus_.uri() + ": could not start a run in " + std::to_string(attempt) +
                  " attempts: the device did not take RUN_SEQ (a run was in progress every "
                  "time, or packet I/O is attached: IO_CTRL.ENABLE)");
    }
    // 1. Inputs.
    uint32_t status = 0, prog_len = 0, last_seq = 0;
    BusBatch b(bus_);
    b.read(csr::kStatus, &status).read(csr::kProgLen, &prog_len).read(csr::kLastRunSeq, &last_seq);
    sync_in(b, stack_, mem.stack.data(), addr::kStackSize, csr::kWinStack);
    sync_in(b, packet_, mem.packet.data(), addr::kPacketBufferSize, csr::kWinPacket);
    const uint32_t offsets[5] = {mem.data_meta, mem.data, mem.data_end, mem.ingress_ifindex,
                                 mem.rx_queue_index};
    b.write_block(csr::kDataMeta, offsets);
    b.write(csr::kConfig, mem.has_ctx ? csr::kConfigHasCtx : 0);
    b.write(csr::kRunCpu, opts.cpu);
    b.write64(csr::kBudgetLo, opts.budget);
    for (unsigned k = 0; k < 10; ++k) b.write64(csr::reg_lo(k), regs[k]);
    b.flush();
    if (status & csr::kStatusBusy) {
      invalidate();
      wait_idle("start a run");
      continue;
    }
    if (prog_len != loaded_len_) {
      loaded_ = false;
      throw Error(bus_.uri() + ": the device no longer holds the loaded program (PROG_LEN "
                  "reads " + std::to_string(prog_len) + ", " + std::to_string(loaded_len_) +
                  " was loaded): it was reset, or another host loaded a program; load again");
    }

    // 2. Start, exactly once.
    const uint32_t seq = last_seq + 1;
    uint32_t took = 0;
    const uint64_t retries_before = bus_.stats().retries;
    BusBatch s(bus_);
    s.write(csr::kRunSeq, seq).read(csr::kLastRunSeq, &took).read(csr::kStatus, &status);
    s.flush({.atomic = true});
    stats_.start_resends += bus_.stats().retries - retries_before;
    if (took != seq) {
      if (took != last_seq) {
        throw Error(bus_.uri() + ": LAST_RUN_SEQ reads " + std::to_string(took) + " after " +
                    "RUN_SEQ " + std::to_string(seq) + " (it read " + std::to_string(last_seq) +
                    " before): another host is starting runs on this device");
      }
      ++stats_.reruns;
      invalidate();
      wait_idle("start a run");
      continue;
    }

    // 3. Wait: the first polls back to back (a short program is done within a round
    // trip), then with pauses growing to 1 ms. Each poll reads STATUS with the device's
    // CYCLES and INSTRET (readable while busy): the core is hung when nothing retires for
    // longer than the slowest instruction may take on this device's map pools
    // (max_insn_cycles) or the run outlasts its budget of such instructions, in device
    // cycles, so a slow but legitimate run (long helper calls) is never cut short by the
    // link's or the model's speed. run_timeout bounds the wall-clock time without progress:
    // a device whose cycle counter stops advancing, or that does not answer.
    if (!insn_bound_) insn_bound_ = max_insn_cycles(read_map_unit_params(io_));
    const uint64_t limit = (std::min<uint64_t>(opts.budget, UINT64_MAX / insn_bound_ - 1) + 1) *
                           insn_bound_;
    Clock::time_point deadline = Clock::now() + opts_.run_timeout;
    auto pause = std::chrono::microseconds(1);
    uint64_t dev_cycles = 0, seen_cycles = 0, retire_cycles = 0;
    uint32_t instret = 0, seen_instret = 0;
    for (unsigned poll = 0; (status & csr::kStatusBusy) || !(status & csr::kStatusDone); ++poll) {
      if (poll > 0) {
        if (dev_cycles != seen_cycles) {
          seen_cycles = dev_cycles;
          deadline = Clock::now() + opts_.run_timeout;
        }
        if (instret != seen_instret) {
          seen_instret = instret;
          retire_cycles = dev_cycles;
        }
        const uint64_t idle = dev_cycles >= retire_cycles ? dev_cycles - retire_cycles : 0;
        if (idle > insn_bound_ || dev_cycles > limit) {
          throw Error(bus_.uri() + ": the core hung: " + std::to_string(dev_cycles) +
                      " cycles into the run, " + std::to_string(instret) +
                      " instructions retired, none in the last " + std::to_string(idle) +
                      " cycles (the slowest instruction on this device takes at most " +
                      std::to_string(insn_bound_) + " cycles, a budget of " +
                      std::to_string(opts.budget) + " at most " + std::to_string(limit) +
                      "); the device stays busy until it is reset");
        }
      }
      if (Clock::now() >= deadline) {
        throw Error(bus_.uri() + ": the run made no progress for " +
                    std::to_string(opts_.run_timeout.count()) + " ms (STATUS " +
                    std::to_string(status) + ", CYCLES " + std::to_string(dev_cycles) +
                    "); the device may still be busy");
      }
      if (poll >= 4) {
        bus_.wait(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(1000));
      }
      BusBatch w(bus_);
      w.read(csr::kStatus, &status).read(csr::kInstretLo, &instret);
      w.read64(csr::kCyclesLo, &dev_cycles);
      w.flush();
      ++stats_.polls;
    }
    // 4. Outputs.
    RunResult res;
    uint64_t cycles = 0;
    uint32_t stack_wlo = 0, stack_whi = 0, pkt_wlo = 0, pkt_whi = 0;
    BusBatch o(bus_);
    o.read(csr::kStatus, &status).read(csr::kFaultPc, &res.fault_pc);
    o.read64(csr::kInstretLo, &res.instructions).read64(csr::kCyclesLo, &cycles);
    for (unsigned k = 0; k < 11; ++k) o.read64(csr::reg_lo(k), &res.regs[k]);
    o.read64(csr::kR0Lo, &res.r0);
    o.read(csr::kStackWlo, &stack_wlo).read(csr::kStackWhi, &stack_whi);
    o.read(csr::kPktWlo, &pkt_wlo).read(csr::kPktWhi, &pkt_whi);
    o.flush();
    res.fault = static_cast<FaultCode>((status >> csr::kStatusFaultLsb) & 0xff);
    res.cycles = cycles;
    read_run_extras(io_, res, mem, opts.cpu);
    sync_out(stack_, mem.stack.data(), addr::kStackSize, csr::kWinStack, stack_wlo, stack_whi);
    sync_out(packet_, mem.packet.data(), addr::kPacketBufferSize, csr::kWinPacket, pkt_wlo,
             pkt_whi);
    guard.e = nullptr;
    return res;
  }
}

DeviceCounters BusEngine::counters() {
  DeviceCounters c;
  BusBatch b(bus_);
  b.read64(csr::kCyclesLo, &c.cycles).read64(csr::kInstretLo, &c.instructions);
  b.read64(csr::kStallLuLo, &c.stall_load_use).read64(csr::kStallBrLo, &c.stall_branch);
  b.read64(csr::kStallMcLo, &c.stall_multicycle).read64(csr::kStallHlpLo, &c.stall_helper);
  b.flush();
  return c;
}

}  // namespace ebpf::device
