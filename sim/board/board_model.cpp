// Owns the Verilator context and the sim_board_top model (never file-scope statics) and, when
// asked, the FST trace. Time advances one unit per evaluation, as in ebpf_sim_harness.cpp.
#include "board_model.h"

#include <algorithm>

#include <verilated.h>
#include <verilated_fst_c.h>

#include "Vsim_board_top.h"
#include "ebpf_fpga/error.h"
#include "eth_frames.h"

namespace ebpf::sim::board {

struct BoardModel::Impl {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vsim_board_top> top;
  std::unique_ptr<VerilatedFstC> trace;
  std::deque<GmiiSymbol> rx;
  std::deque<TxFrame> tx;
  TxFrame cur;
  bool in_tx = false;
  uint64_t cycles = 0;
  uint64_t core_cycles = 0;
  unsigned divider = 1;

  void eval_dump() {
    top->eval();
    if (trace) trace->dump(ctx->time());
    ctx->timeInc(1);
  }

  // The core clock in GMII cycle k: it rises with the GMII clock when k % divider == 0 and
  // stays high for divider / 2 GMII cycles (divider 1: the GMII clock itself).
  bool core_high(uint64_t k) const { return k % divider < std::max(1u, divider / 2); }

  // One GMII clock cycle: the next RX symbol is set up before the rising edge; TX is sampled
  // after it (the MAC's registered outputs for this cycle).
  void cycle() {
    Vsim_board_top& t = *top;
    GmiiSymbol s;
    if (!rx.empty()) {
      s = rx.front();
      rx.pop_front();
    }
    t.gmii_rxd_i = s.data;
    t.gmii_rx_dv_i = s.dv;
    t.gmii_rx_er_i = s.er;
    t.clk_eth_i = 0;
    t.clk_i = cycles % divider == 0 ? 0 : core_high(cycles);
    eval_dump();
    t.clk_eth_i = 1;
    t.clk_i = core_high(cycles);
    eval_dump();
    if (cycles % divider == 0) ++core_cycles;
    ++cycles;
    if (ctx->gotError()) {
      ctx->gotError(false);
      throw Error("sim board: an RTL assertion failed at cycle " + std::to_string(cycles) +
                  " (see the message above)");
    }
    if (t.gmii_tx_en_o) {
      in_tx = true;
      cur.wire.push_back(t.gmii_txd_o);
      cur.tx_er = cur.tx_er || t.gmii_tx_er_o;
    } else if (in_tx) {
      in_tx = false;
      cur.end_cycle = cycles;
      tx.push_back(std::move(cur));
      cur = {};
    }
  }
};

BoardModel::BoardModel(const BoardModelOptions& opts) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.ctx = std::make_unique<VerilatedContext>();
  m.ctx->fatalOnError(false);  // assertion failures surface as exceptions
  if (opts.core_clock_divider == 0) throw Error("sim board: the core clock divider must be >= 1");
  m.divider = opts.core_clock_divider;
  if (!opts.trace_path.empty()) m.ctx->traceEverOn(true);
  m.top = std::make_unique<Vsim_board_top>(m.ctx.get(), "TOP");
  if (!opts.trace_path.empty()) {
    m.trace = std::make_unique<VerilatedFstC>();
    m.top->trace(m.trace.get(), 99);
    m.trace->open(opts.trace_path.c_str());
    if (!m.trace->isOpen()) throw Error("cannot open waveform file " + opts.trace_path);
  }
  reset();
}

BoardModel::~BoardModel() {
  // Verilator tears a model's scopes down through the thread's current context: point it at
  // ours (several models may live in one process).
  Verilated::threadContextp(impl_->ctx.get());
  if (impl_->trace) impl_->trace->close();
  if (impl_->top) impl_->top->final();
}

void BoardModel::reset(unsigned cycles) {
  Impl& m = *impl_;
  m.rx.clear();
  m.top->rst_ni = 0;
  // Counted in cycles of the slower clock, the core's.
  for (unsigned i = 0; i < cycles * m.divider; ++i) m.cycle();
  m.top->rst_ni = 1;
  // The two-flop synchronisers of the configuration and the FIFOs' reset handshakes.
  for (unsigned i = 0; i < 16 * m.divider; ++i) m.cycle();
  m.tx.clear();
  m.cur = {};
  m.in_tx = false;
}

void BoardModel::send_frame(std::span<const uint8_t> frame) {
  Impl& m = *impl_;
  for (size_t i = 0; i < eth::kPreambleBytes; ++i) m.rx.push_back({eth::kPreamble, true, false});
  m.rx.push_back({eth::kSfd, true, false});
  for (uint8_t b : frame) m.rx.push_back({b, true, false});
  for (unsigned i = 0; i < kIfgBytes; ++i) m.rx.push_back({});
}

void BoardModel::send_symbols(std::span<const GmiiSymbol> symbols) {
  impl_->rx.insert(impl_->rx.end(), symbols.begin(), symbols.end());
}

size_t BoardModel::rx_pending() const { return impl_->rx.size(); }

void BoardModel::tick(uint64_t cycles) {
  for (uint64_t i = 0; i < cycles; ++i) impl_->cycle();
}

uint64_t BoardModel::cycles() const { return impl_->cycles; }
uint64_t BoardModel::core_cycles() const { return impl_->core_cycles; }
bool BoardModel::tx_active() const { return impl_->in_tx; }
std::deque<TxFrame>& BoardModel::tx_frames() { return impl_->tx; }
void BoardModel::bind_thread() { Verilated::threadContextp(impl_->ctx.get()); }
bool BoardModel::core_busy() const { return impl_->top->busy_o; }
bool BoardModel::core_done() const { return impl_->top->done_o; }

}  // namespace ebpf::sim::board
