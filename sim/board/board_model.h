// The Verilated simulated board (boards/sim/sim_board_top.sv: ebpf_fpga_core, i.e. our GMII
// MAC, ARP, IPv4/UDP, Etherbone endpoint and the XDP datapath, at its GMII pins) and the pins'
// driver: frames queued for GMII RX go in one byte per clock (preamble, SFD, frame, then the
// inter-frame gap), and what GMII TX sends is collected frame by frame. The GMII clock runs
// the pins; the core clock is the same clock, or the GMII clock divided by an integer (5: 25
// MHz against 125, as on the boards), with rising edges that coincide every N GMII cycles.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ebpf::sim::board {

// The board's addresses (sim_board_top's parameters).
inline constexpr uint64_t kLocalMac = 0x02'65'62'70'66'00ull;
inline constexpr uint32_t kLocalIp = 0xc0a8'0132;  // 192.168.1.50
inline constexpr uint16_t kCtrlPort = 1234;
inline constexpr unsigned kIfgBytes = 12;          // idle symbols after each frame we send

struct GmiiSymbol {
  uint8_t data = 0;
  bool dv = false;
  bool er = false;
};

struct TxFrame {
  std::vector<uint8_t> wire;  // every byte sent while TX_EN was high (preamble and FCS too)
  bool tx_er = false;         // TX_ER was high during the frame
  uint64_t end_cycle = 0;     // the cycle in which TX_EN fell
};

struct BoardModelOptions {
  std::string trace_path;     // non-empty: FST waveform of every cycle
  unsigned core_clock_divider = 1;   // GMII cycles per core cycle (1 = one clock for all)
};

class BoardModel {
 public:
  explicit BoardModel(const BoardModelOptions& opts = {});
  ~BoardModel();
  BoardModel(const BoardModel&) = delete;
  BoardModel& operator=(const BoardModel&) = delete;

  // Holds the reset for `cycles` core clock cycles, then releases it and lets the stack settle
  // (everything the board held is lost; queued RX symbols are dropped).
  void reset(unsigned cycles = 8);

  // Queues a frame (FCS included, as it is on the wire) for GMII RX: 7 x 0x55, 0xd5, the
  // bytes, then kIfgBytes idle symbols.
  void send_frame(std::span<const uint8_t> frame_with_fcs);
  // Queues raw symbols (broken preambles, RX_ER, gaps of any length).
  void send_symbols(std::span<const GmiiSymbol> symbols);
  size_t rx_pending() const;    // symbols not on the pins yet

  // Runs the GMII clock (and the core clock with it); RX symbols are put on the pins one per
  // GMII cycle.
  void tick(uint64_t cycles = 1);
  uint64_t cycles() const;        // GMII cycles
  uint64_t core_cycles() const;   // rising edges of the core clock

  bool tx_active() const;       // a frame is leaving now
  // Frames that left GMII TX completely, oldest first (the caller pops them).
  std::deque<TxFrame>& tx_frames();

  // Makes this model's Verilator context the calling thread's current one (for the RTL's
  // assertion messages). Call it first in a thread that ticks the model (one thread at a time).
  void bind_thread();

  bool core_busy() const;       // the soft-CPU runs (busy_o)
  bool core_done() const;       // done_o

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ebpf::sim::board
