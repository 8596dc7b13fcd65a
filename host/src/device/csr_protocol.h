// The parts of a run on ebpf_top that every bus-driven engine shares (docs/register-map.md):
// loading a program set into the instruction memory and the program table, configuring the
// map unit and the helper unit's map table, host map commands (MapUnitDriver over the host
// command block), and reading a run's events and redirect. The rtl engine (sim/) drives
// them over its Verilator harness, the device engine (bus_engine.cpp) over any Bus.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/maps.h"
#include "map_unit_driver.h"

namespace ebpf::device {

// 32-bit CSR accesses, in order. A transport may queue writes until the next read.
class CsrIo {
 public:
  virtual ~CsrIo() = default;
  virtual void write(uint32_t addr, uint32_t value) = 0;
  virtual uint32_t read(uint32_t addr) = 0;
  // count consecutive words from base (override to batch).
  virtual std::vector<uint32_t> read_block(uint32_t base, size_t count);
  // Ticks or sleeps a little while polling (the sim advances its clock, a network waits).
  virtual void idle() {}
  // Performs `writes` (address, value) then `reads` in order, carried as one unit where the
  // transport can (udp://: one datagram, retried whole; a batch too large for a datagram is
  // sent in several). out[i] receives reads[i]. The default does them one by one.
  virtual void exchange(std::span<const std::pair<uint32_t, uint32_t>> writes,
                        std::span<const uint32_t> reads, uint32_t* out);
  uint64_t read64(uint32_t lo) { return read(lo) | (uint64_t{read(lo + 4)} << 32); }
  void write64(uint32_t lo, uint64_t v) {
    write(lo, static_cast<uint32_t>(v));
    write(lo + 4, static_cast<uint32_t>(v >> 32));
  }
};

// Checks and writes `progs` back to back, the program table, ENTRY and the prandom seed.
// `who` prefixes errors ("rtl", a URI). Throws ebpf::Error before writing anything when the
// set does not fit.
void load_program_set(CsrIo& io, const std::string& who,
                      std::span<const std::span<const Insn>> progs, size_t entry,
                      const LoadOptions& opts, uint32_t imem_slots, uint32_t max_programs);

// Counters of the sequenced command protocol (docs/register-map.md "Exactly-once commands").
struct MapCommandStats {
  uint64_t commands = 0;   // commands completed
  uint64_t restages = 0;   // stagings sent again because the device did not take the doorbell
  uint64_t polls = 0;      // MCMD_DONE_SEQ reads while a command ran
  uint64_t fences = 0;     // no-effect commands that settled a command of unknown fate
};

// The map unit's ports through the host command block, for MapUnitDriver. Every command is
// sequenced (docs/register-map.md "Exactly-once commands"): the key and value buffer writes
// are kept until command(), which sends MCMD_STAGE = n, the staging, the command fields and
// the doorbell (MCMD) as one exchange, then reads MCMD_LAST_SEQ and MCMD_DONE_SEQ. The
// device runs the doorbell only for n == MCMD_LAST_SEQ + 1 with an undisturbed staging, so
// a re-sent, duplicated or late datagram never runs a command twice; a staging the device
// did not take is sent again. A command whose fate is unknown (the bus failed) is settled
// before the next one with a no-effect command (LOOKUP on no map: -EINVAL) under its
// number. MCMD_LAST_SEQ below the host's number means the device was reset (reads 0) or
// another host uses the unit: ebpf::Error.
class CsrMapPort final : public MapUnitPort {
 public:
  explicit CsrMapPort(CsrIo& io, std::string who = "device") : io_(io), who_(std::move(who)) {}
  void write_desc(uint32_t index, uint32_t value) override;
  void write_kbuf(uint32_t word, uint64_t data, uint8_t mask) override;
  uint64_t read_kbuf(uint32_t word) override;
  void write_vbuf(uint32_t word, uint64_t data, uint8_t mask) override;
  uint64_t read_vbuf(uint32_t word) override;
  Result command(MapOp op, uint32_t map, uint64_t flags, bool prog, uint32_t cpu,
                 bool null_key) override;

  // Forgets the sequence (after a reset the host made itself): the next command reads
  // MCMD_LAST_SEQ again.
  void resync() {
    synced_ = false;
    unsettled_ = false;
    staged_.clear();
  }
  const MapCommandStats& stats() const { return stats_; }
  // Attempts at one staging before giving up (the device refused every doorbell).
  static constexpr unsigned kMaxStagings = 64;

 private:
  void write_buf(uint32_t window, uint32_t word, uint64_t data, uint8_t mask);
  void sync();
  // Stages and rings `seq` until MCMD_LAST_SEQ reads it (the device took it, or an earlier
  // copy of the same staging).
  // Returns kResultRegs as read after the doorbell.
  std::array<uint32_t, 6> ring(uint32_t seq, uint32_t mcmd, uint32_t map, uint64_t flags,
                               uint32_t cpu,
                               std::span<const std::pair<uint32_t, uint32_t>> staging);
  static constexpr uint32_t kResultRegs[6] = {csr::kMcmdDoneSeq, csr::kMcmdLastSeq,
                                              csr::kMcmdStatus,  csr::kMcmdOffset,
                                              csr::kMcmdWordLo,  csr::kMcmdWordHi};
  [[noreturn]] void lost_sync(uint32_t last, uint32_t expected);
  CsrIo& io_;
  std::string who_;
  std::vector<std::pair<uint32_t, uint32_t>> staged_;  // buffer writes of the next command
  bool synced_ = false;
  bool unsettled_ = false;  // next_seq_ was rung but the bus failed: its fate is unknown
  uint32_t next_seq_ = 1;
  MapCommandStats stats_;
};

// The map unit's pool sizes as the device reports them (MAP_SLOTS, MAP_*_WORDS...).
MapUnitParams read_map_unit_params(CsrIo& io);

// An upper bound, in clock cycles, on what one instruction of ebpf_top may take on a device
// with these map pools: the slowest helper call (docs/helpers.md "Cycles on the rtl engine",
// docs/maps.md "Latency"), not the typical one. A byte copy moves one byte per 2 cycles, at
// most 0x10000 packet bytes plus a 512-byte stack buffer (perf_event_output); a map command
// scans at most every bucket (probes, LRU window scans, backward shifts: 3 cycles each, a
// whole-map LRU eviction probing twice) and every slot (LPM, iteration: up to 4 cycles plus
// its key words), and copies at most the whole value memory (PERCPU copies). Each term is
// counted with a factor of about 2 over the measured per-item costs. Engines use it to tell
// a slow instruction from a hung core: one that retires nothing for longer is hung.
uint64_t max_insn_cycles(const MapUnitParams& p);

// Configures the map unit (MapUnitDriver::configure) and the helper unit's map table.
void configure_map_set(CsrIo& io, MapUnitDriver& driver, std::span<const MapSpec> specs,
                       const MapOptions& opts);

// After a run: events (docs/register-map.md "Event FIFO"), redirect, program, tail calls and
// the packet offsets, into `res` and `mem`. `cpu` is the run's RunOptions::cpu.
void read_run_extras(CsrIo& io, RunResult& res, MemoryImage& mem, uint32_t cpu);

// The event window's size: twice helper_limits::kEventFifoBytes (docs/register-map.md "Event
// FIFO"). EVT_BYTES above it is a malformed device answer.
inline constexpr uint32_t kEventWindowBytes = 2 * helper_limits::kEventFifoBytes;

// Parses the event FIFO: `fifo` is its first EVT_BYTES bytes, `count` is EVT_COUNT, `cpu`
// replaces BPF_F_CURRENT_CPU. Throws ebpf::Error naming the word offset on a malformed record
// (unknown kind, a header or bytes past the end, trailing bytes, a count mismatch).
std::vector<Event> parse_event_records(std::span<const uint8_t> fifo, uint32_t count,
                                       uint32_t cpu);

}  // namespace ebpf::device
