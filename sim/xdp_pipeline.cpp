// Owns the Verilator context and the ebpf_xdp_top model (never file-scope statics) and, when
// asked, the FST trace. Time advances one unit per clock edge, as in ebpf_sim_harness.cpp.
#include "xdp_pipeline.h"

#include <verilated.h>
#include <verilated_fst_c.h>

#include <deque>

#include "Vebpf_xdp_top.h"
#include "ebpf_fpga/error.h"

namespace ebpf::sim {

struct XdpPipeline::Impl final : device::CsrIo {
  struct Beat {
    uint64_t data = 0;
    uint8_t keep = 0;
    bool last = false;
    uint8_t user = 0;
  };

  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vebpf_xdp_top> top;
  std::unique_ptr<VerilatedFstC> trace;
  uint64_t cycles = 0;
  std::deque<Beat> in;              // beats still to offer on s_axis
  std::vector<XdpEgressFrame> out;  // frames complete on m_axis
  XdpEgressFrame cur;               // the frame leaving on m_axis
  bool rvalid = false;
  uint32_t rdata = 0;

  void eval_dump() {
    top->eval();
    if (trace) trace->dump(ctx->time());
    ctx->timeInc(1);
  }

  // One clock cycle with an optional host request. Outputs are sampled before the rising
  // edge (they show the registered state after the previous one).
  void cycle(bool req = false, bool we = false, uint32_t addr = 0, uint32_t wdata = 0) {
    auto& t = *top;
    t.csr_req_i = req;
    t.csr_we_i = we;
    t.csr_addr_i = addr;
    t.csr_wdata_i = wdata;
    const bool v = !in.empty();
    const Beat b = v ? in.front() : Beat{};
    t.s_axis_tvalid_i = v;
    t.s_axis_tdata_i = b.data;
    t.s_axis_tkeep_i = b.keep;
    t.s_axis_tlast_i = b.last;
    t.s_axis_tuser_i = b.user;
    t.m_axis_tready_i = 1;
    t.clk_i = 0;
    eval_dump();
    if (t.rst_ni) {
      if (v && t.s_axis_tready_o) in.pop_front();
      if (t.m_axis_tvalid_o) {
        for (unsigned i = 0; i < 8; ++i) {
          if ((t.m_axis_tkeep_o >> i) & 1) {
            cur.bytes.push_back(static_cast<uint8_t>(t.m_axis_tdata_o >> (8 * i)));
          }
        }
        cur.port = t.m_axis_tdest_o;
        if (t.m_axis_tlast_o) {
          out.push_back(std::move(cur));
          cur = {};
        }
      }
      rvalid = t.csr_rvalid_o;
      rdata = t.csr_rdata_o;
    }
    t.clk_i = 1;
    eval_dump();
    ++cycles;
  }

  void write(uint32_t addr, uint32_t value) override { cycle(true, true, addr, value); }
  uint32_t read(uint32_t addr) override {
    cycle(true, false, addr);
    cycle();
    if (!rvalid) {
      throw Error("rtl: ebpf_xdp_top gave no csr_rvalid_o for a read of CSR 0x" + hex(addr));
    }
    return rdata;
  }
  void idle() override { cycle(); }

  static std::string hex(uint32_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    do {
      s.insert(s.begin(), digits[v & 15]);
      v >>= 4;
    } while (v);
    return s;
  }
};

XdpPipeline::XdpPipeline(const XdpPipelineOptions& opts) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = std::make_unique<VerilatedContext>();
  impl_->ctx->fatalOnError(false);  // assertion failures surface as exceptions
  if (!opts.trace_path.empty()) impl_->ctx->traceEverOn(true);
  impl_->top = std::make_unique<Vebpf_xdp_top>(impl_->ctx.get(), "TOP");
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
  t.s_axis_tvalid_i = 0;
  t.m_axis_tready_i = 1;
  impl_->eval_dump();
  reset();
  if (impl_->read(io_csr::kId) != io_csr::kIdValue) {
    throw Error("rtl: the model does not answer with the packet I/O ID (IO_ID)");
  }
  const uint32_t params = impl_->read(io_csr::kParams);
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
uint64_t XdpPipeline::cycles() const { return impl_->cycles; }

void XdpPipeline::reset(unsigned cycles) {
  auto& t = *impl_->top;
  impl_->in.clear();
  impl_->out.clear();
  impl_->cur = {};
  t.rst_ni = 0;  // a falling edge: the asynchronous reset acts before any clock
  impl_->eval_dump();
  for (unsigned i = 0; i < cycles; ++i) impl_->cycle();
  t.rst_ni = 1;
  impl_->cycle();
}

void XdpPipeline::set_enable(bool on) {
  impl_->write(io_csr::kCtrl, on ? io_csr::kCtrlEnable : 0);
  if (on) return;
  for (int i = 0; i < 1'000'000; ++i) {
    if (!(impl_->read(io_csr::kStatus) & io_csr::kStatusBusy)) return;
  }
  throw Error("rtl: the packet I/O block stays busy after IO_CTRL.ENABLE was cleared");
}

XdpFrameResult XdpPipeline::send_frame(std::span<const uint8_t> frame, uint32_t port,
                                       uint64_t max_cycles) {
  if (frame.empty()) throw Error("rtl: an empty frame cannot be sent on AXI4-Stream");
  if (port >= num_ports_) {
    throw Error("rtl: ingress port " + std::to_string(port) + " is not a port of the packet "
                "I/O block (it has " + std::to_string(num_ports_) + ")");
  }
  Impl& m = *impl_;
  const uint32_t oversize0 = m.read(io_csr::kCntOversize);
  const uint32_t malformed0 = m.read(io_csr::kCntMalformed);
  const uint32_t host_drop0 = m.read(io_csr::kCntHostDrop);
  m.out.clear();
  m.cur = {};
  for (size_t b = 0; b * 8 < frame.size(); ++b) {
    Impl::Beat beat;
    beat.last = (b + 1) * 8 >= frame.size();
    beat.user = static_cast<uint8_t>(port);
    for (size_t i = 0; i < 8 && b * 8 + i < frame.size(); ++i) {
      beat.data |= uint64_t{frame[b * 8 + i]} << (8 * i);
      beat.keep = static_cast<uint8_t>(beat.keep | (1u << i));
    }
    m.in.push_back(beat);
  }
  const uint64_t t0 = m.cycles;
  int idle = 0;
  while (idle < 2) {
    m.cycle();
    const auto& t = *m.top;
    if (m.in.empty() && !t.io_busy_o && !t.m_axis_tvalid_o && m.cur.bytes.empty()) {
      ++idle;
    } else {
      idle = 0;
    }
    if (m.cycles - t0 > max_cycles) {
      reset();
      throw Error("rtl: the frame of " + std::to_string(frame.size()) +
                  " bytes did not get through the packet I/O block within " +
                  std::to_string(max_cycles) + " cycles (hang); the model was reset");
    }
  }
  XdpFrameResult r;
  r.cycles = m.cycles - t0;
  r.egress = std::move(m.out);
  m.out.clear();
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
