// Owns the Verilator context and model (never file-scope statics) and, when asked, the FST
// trace. Time advances one unit per clock edge so waveforms show the cycles as they are.
#include "ebpf_sim_harness.h"

#include <verilated.h>

#include <cstdlib>
#include <verilated_fst_c.h>

#include "Vebpf_top.h"
#include "ebpf_fpga/error.h"

namespace ebpf::sim {

struct Harness::Impl {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vebpf_top> top;
  std::unique_ptr<VerilatedFstC> trace;

  void eval_dump() {
    top->eval();
    if (trace) trace->dump(ctx->time());
    ctx->timeInc(1);
  }
};

Harness::Harness(const HarnessOptions& opts) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = std::make_unique<VerilatedContext>();
#ifdef EBPF_RTL_XRANDOM
  // Random initial state (the model was verilated with -x-initial unique).
  const char* seed = std::getenv("EBPF_RTL_SEED");
  impl_->ctx->randReset(2);
  impl_->ctx->randSeed(seed ? std::atoi(seed) : 1);
#endif
  // Assertion failures must surface as exceptions, not as exit().
  impl_->ctx->fatalOnError(false);
  if (!opts.trace_path.empty()) impl_->ctx->traceEverOn(true);
  impl_->top = std::make_unique<Vebpf_top>(impl_->ctx.get(), "TOP");
  if (!opts.trace_path.empty()) {
    impl_->trace = std::make_unique<VerilatedFstC>();
    impl_->top->trace(impl_->trace.get(), 99);
    impl_->trace->open(opts.trace_path.c_str());
    if (!impl_->trace->isOpen()) throw Error("cannot open waveform file " + opts.trace_path);
  }
  auto& t = *impl_->top;
  t.clk_i = 0;
  t.rst_ni = 1;
  t.csr_req_i = 0;
  t.csr_we_i = 0;
  t.csr_addr_i = 0;
  t.csr_wdata_i = 0;
  t.pkt_port_req_i = 0;
  t.pkt_port_we_i = 0;
  t.pkt_port_addr_i = 0;
  t.pkt_port_wdata_i = 0;
  t.pkt_port_wmask_i = 0;
  impl_->eval_dump();
  reset();
}

Harness::~Harness() {
  // Verilator 5.006 looks up the thread's current context while tearing a model down; with
  // several models in one process that may be a context already freed, so point it at ours.
  Verilated::threadContextp(impl_->ctx.get());
  if (impl_->trace) impl_->trace->close();
  impl_->top->final();
}

void Harness::reset(unsigned n) {
  impl_->top->rst_ni = 0;
  impl_->eval_dump();
  for (unsigned i = 0; i < n; ++i) tick();
  impl_->top->rst_ni = 1;
  tick();
}

void Harness::tick() {
  auto& t = *impl_->top;
  t.clk_i = 1;
  impl_->eval_dump();
  t.clk_i = 0;
  impl_->eval_dump();
  ++cycles_;
  if (impl_->ctx->gotError()) {
    impl_->ctx->gotError(false);
    throw Error("rtl: an RTL assertion failed at cycle " + std::to_string(cycles_) +
                " (see the message above)");
  }
}

void Harness::csr_write(uint32_t addr, uint32_t data) {
  auto& t = *impl_->top;
  t.csr_req_i = 1;
  t.csr_we_i = 1;
  t.csr_addr_i = addr;
  t.csr_wdata_i = data;
  tick();
  t.csr_req_i = 0;
  t.csr_we_i = 0;
}

uint32_t Harness::csr_read(uint32_t addr) {
  auto& t = *impl_->top;
  t.csr_req_i = 1;
  t.csr_we_i = 0;
  t.csr_addr_i = addr;
  tick();
  t.csr_req_i = 0;
  return t.csr_rdata_o;
}

void Harness::csr_write64(uint32_t addr_lo, uint64_t data) {
  csr_write(addr_lo, static_cast<uint32_t>(data));
  csr_write(addr_lo + 4, static_cast<uint32_t>(data >> 32));
}

uint64_t Harness::csr_read64(uint32_t addr_lo) {
  const uint64_t lo = csr_read(addr_lo);
  return lo | (static_cast<uint64_t>(csr_read(addr_lo + 4)) << 32);
}

void Harness::pkt_port_write(uint32_t word, uint64_t data, uint8_t mask) {
  auto& t = *impl_->top;
  t.pkt_port_req_i = 1;
  t.pkt_port_we_i = 1;
  t.pkt_port_addr_i = static_cast<uint16_t>(word);
  t.pkt_port_wdata_i = data;
  t.pkt_port_wmask_i = mask;
  tick();
  t.pkt_port_req_i = 0;
  t.pkt_port_we_i = 0;
}

uint64_t Harness::pkt_port_read(uint32_t word) {
  auto& t = *impl_->top;
  t.pkt_port_req_i = 1;
  t.pkt_port_we_i = 0;
  t.pkt_port_addr_i = static_cast<uint16_t>(word);
  tick();
  t.pkt_port_req_i = 0;
  return t.pkt_port_rdata_o;
}

bool Harness::busy() const { return impl_->top->busy_o; }
bool Harness::done() const { return impl_->top->done_o; }

}  // namespace ebpf::sim
