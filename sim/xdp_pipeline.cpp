// Owns the Verilator context and the ebpf_xdp_top model (never file-scope statics) and, when
// asked, the FST trace. Time advances one unit per evaluation, as in ebpf_sim_harness.cpp.
#include "xdp_pipeline.h"

#include <verilated.h>
#include <verilated_fst_c.h>

#include "Vebpf_xdp_top.h"
#include "csr_protocol.h"

namespace ebpf::sim {

struct XdpPipeline::Impl final : device::CsrIo {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vebpf_xdp_top> top;
  std::unique_ptr<VerilatedFstC> trace;
  std::unique_ptr<XdpTopDriver<Vebpf_xdp_top>> drv;

  void eval_dump() {
    top->eval();
    if (trace) trace->dump(ctx->time());
    ctx->timeInc(1);
  }

  // An RTL assertion that failed in the last cycle (the model runs with fatalOnError off).
  void check_assertions() {
    if (ctx->gotError()) {
      ctx->gotError(false);
      throw Error("rtl: an RTL assertion failed at cycle " + std::to_string(drv->cycles()) +
                  " (see the message above)");
    }
  }

  void cycle() {
    drv->cycle();
    check_assertions();
  }
  void write(uint32_t addr, uint32_t value) override {
    drv->write(addr, value);
    check_assertions();
  }
  uint32_t read(uint32_t addr) override {
    const uint32_t v = drv->read(addr);
    check_assertions();
    return v;
  }
  void idle() override { cycle(); }
};

XdpPipeline::XdpPipeline(const XdpPipelineOptions& opts) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.ctx = std::make_unique<VerilatedContext>();
  m.ctx->fatalOnError(false);  // assertion failures surface as exceptions
  if (!opts.trace_path.empty()) m.ctx->traceEverOn(true);
  m.top = std::make_unique<Vebpf_xdp_top>(m.ctx.get(), "TOP");
  if (!opts.trace_path.empty()) {
    m.trace = std::make_unique<VerilatedFstC>();
    m.top->trace(m.trace.get(), 99);
    m.trace->open(opts.trace_path.c_str());
    if (!m.trace->isOpen()) throw Error("cannot open waveform file " + opts.trace_path);
  }
  m.drv = std::make_unique<XdpTopDriver<Vebpf_xdp_top>>(*m.top, [&m] { m.eval_dump(); });
  m.drv->reset();
  if (m.read(io_csr::kId) != io_csr::kIdValue) {
    throw Error("rtl: the model does not answer with the packet I/O ID (IO_ID)");
  }
  const uint32_t params = m.read(io_csr::kParams);
  num_ports_ = params & 0xff;
  host_port_ = (params >> 8) & 0xff;
  max_frame_ = params >> 16;
}

XdpPipeline::~XdpPipeline() {
  // Verilator 5.006 tears a model's scopes down through the thread's current context: with
  // several models in one process that may be another one's (or a freed one), so point it
  // at ours (as ebpf_sim_harness.cpp does).
  Verilated::threadContextp(impl_->ctx.get());
  if (impl_->trace) impl_->trace->close();
  if (impl_->top) impl_->top->final();
}

device::CsrIo& XdpPipeline::io() { return *impl_; }
uint32_t XdpPipeline::csr_read(uint32_t addr) { return impl_->read(addr); }
void XdpPipeline::csr_write(uint32_t addr, uint32_t value) { impl_->write(addr, value); }
uint64_t XdpPipeline::cycles() const { return impl_->drv->cycles(); }

void XdpPipeline::reset(unsigned cycles) { impl_->drv->reset(cycles); }

void XdpPipeline::set_enable(bool on) {
  impl_->write(io_csr::kCtrl, on ? io_csr::kCtrlEnable : 0);
  if (on) return;
  for (int i = 0; i < 1'000'000; ++i) {
    if (!(impl_->read(io_csr::kStatus) & io_csr::kStatusBusy)) return;
  }
  throw Error("rtl: the packet I/O block stays busy after IO_CTRL.ENABLE was cleared");
}

void XdpPipeline::queue_frame(std::span<const uint8_t> frame, uint32_t port, uint64_t tag) {
  if (frame.empty()) throw Error("rtl: an empty frame cannot be sent on AXI4-Stream");
  if (port >= num_ports_) {
    throw Error("rtl: ingress port " + std::to_string(port) + " is not a port of the packet "
                "I/O block (it has " + std::to_string(num_ports_) + ")");
  }
  impl_->drv->queue(frame, port, tag);
}

size_t XdpPipeline::beats_waiting() const { return impl_->drv->beats_waiting(); }
size_t XdpPipeline::frames_waiting() const { return impl_->drv->frames_waiting(); }
void XdpPipeline::tick() { impl_->cycle(); }
bool XdpPipeline::core_busy() const { return impl_->top->busy_o; }
bool XdpPipeline::stream_busy() const { return impl_->drv->stream_busy(); }
bool XdpPipeline::ingress_ready() const { return impl_->top->s_axis_tready_o; }

std::vector<XdpEgressFrame> XdpPipeline::take_egress() {
  std::vector<XdpEgressFrame> r;
  r.swap(impl_->drv->out());
  return r;
}

XdpFrameResult XdpPipeline::send_frame(std::span<const uint8_t> frame, uint32_t port,
                                       uint64_t max_cycles) {
  Impl& m = *impl_;
  if (m.drv->beats_waiting() != 0) {
    throw Error("rtl: send_frame() while frames queued with queue_frame() still wait");
  }
  const uint32_t oversize0 = m.read(io_csr::kCntOversize);
  const uint32_t malformed0 = m.read(io_csr::kCntMalformed);
  const uint32_t host_drop0 = m.read(io_csr::kCntHostDrop);
  m.drv->out().clear();
  queue_frame(frame, port);
  const uint64_t t0 = m.drv->cycles();
  int idle = 0;
  while (idle < 2) {
    m.cycle();
    if (m.drv->stream_idle()) {
      ++idle;
    } else {
      idle = 0;
    }
    if (m.drv->cycles() - t0 > max_cycles) {
      reset();
      throw Error("rtl: the frame of " + std::to_string(frame.size()) +
                  " bytes did not get through the packet I/O block within " +
                  std::to_string(max_cycles) + " cycles (hang); the model was reset");
    }
  }
  XdpFrameResult r;
  r.cycles = m.drv->cycles() - t0;
  r.egress = take_egress();
  if (m.read(io_csr::kCntOversize) != oversize0) {
    r.ingress = XdpFrameResult::Ingress::kOversize;
  } else if (m.read(io_csr::kCntMalformed) != malformed0) {
    r.ingress = XdpFrameResult::Ingress::kMalformed;
  }
  if (m.read(io_csr::kCntHostDrop) != host_drop0) {
    throw Error("rtl: the packet I/O block refused a host access during a frame "
                "(IO_CNT_HOST_DROP moved): the session drove the bus wrongly");
  }
  r.last_verdict = m.read(io_csr::kLastVerdict);
  r.last_out = m.read(io_csr::kLastOut);
  r.last_info = m.read(io_csr::kLastInfo);
  return r;
}

}  // namespace ebpf::sim
