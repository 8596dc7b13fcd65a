// The "rtl" XdpSession: every packet goes through the real packet I/O of ebpf_xdp_top
// (sim/xdp_pipeline.h): pushed on s_axis with tuser = ingress_ifindex - 1, run by the I/O
// block's sequencer, steered and sent on m_axis. `cycles` is the hardware's IO_LAST_VERDICT:
// clock cycles from the frame's first byte in to its verdict (contracts.md 5).
//
// Programs, maps and the run's results go over the same CSR protocol the rtl engine uses
// (host/src/device/csr_protocol.h). The egress frame is checked against [data, data_end)
// and the steering rule of docs/packet_io.md: a mismatch is an RTL bug and throws.
#include <algorithm>
#include <cstring>

#include "csr_protocol.h"
#include "ebpf_csr_map.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/xdp_session.h"
#include "map_unit_driver.h"
#include "xdp_pipeline.h"

namespace ebpf {
namespace {

// Cycles a packet may take before the session declares the model hung (as the rtl engine:
// well above the slowest instruction), plus the frame's beats in and out.
constexpr uint64_t kCyclesPerInsnBound = 64;
constexpr uint64_t kWatchdogSlack = 10'000;

const char* action_name(uint32_t a) {
  static const char* names[] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
                                "XDP_REDIRECT"};
  return a < 5 ? names[a] : "?";
}

class RtlStreamXdpSession final : public XdpSession {
 public:
  explicit RtlStreamXdpSession(const XdpSessionOptions& opts)
      : opts_(opts),
        pipe_(sim::XdpPipelineOptions{.trace_path = opts.engine.trace_path}),
        map_port_(pipe_.io()),
        map_driver_(map_port_, device::read_map_unit_params(pipe_.io())) {
    device::CsrIo& io = pipe_.io();
    if (io.read(csr::kId) != csr::kCoreId) {
      throw Error("rtl: the XDP model does not answer with the eBPF core ID");
    }
    imem_slots_ = io.read(csr::kImemSlots);
    max_programs_ = io.read(csr::kMaxPrograms);
  }

  std::string_view engine() const override { return "rtl"; }

  void load(const Object& obj, const ProgramSpec& entry) override {
    const auto& programs = obj.programs();
    auto it = std::find_if(programs.begin(), programs.end(), [&](const ProgramSpec& p) {
      return p.name == entry.name && p.section == entry.section;
    });
    if (it == programs.end()) {
      throw Error(obj.name() + ": entry program '" + entry.name + "' is not in the object");
    }
    if (opts_.maps.cores == 0 || opts_.maps.cores > 255) {
      throw Error(obj.name() + ": MapOptions::cores is " + std::to_string(opts_.maps.cores) +
                  "; the rtl engine plays 1 to 255 cpus");
    }
    loaded_ = false;
    device::CsrIo& io = pipe_.io();
    pipe_.set_enable(false);  // the host owns the core while it loads
    std::vector<std::span<const Insn>> spans;
    spans.reserve(programs.size());
    for (const ProgramSpec& p : programs) spans.emplace_back(p.insns);
    const size_t index = static_cast<size_t>(it - programs.begin());
    try {
      device::load_program_set(io, "rtl", spans, index,
                               LoadOptions{.prandom_seed = opts_.prandom_seed}, imem_slots_,
                               max_programs_);
    } catch (const Error& e) {
      throw Error(obj.name() + ": engine rtl refuses the programs: " + e.what());
    }
    try {
      device::configure_map_set(io, map_driver_, obj.maps(), opts_.maps);
    } catch (const Error& e) {
      throw Error(obj.name() + ": engine rtl cannot configure the maps: " + e.what());
    }
    try {
      init_prog_arrays(map_driver_, obj.maps(), programs);
    } catch (const Error& e) {
      throw Error(obj.name() + ": " + e.what());
    }
    // What the I/O block's sequencer does not write per frame: the budget and the cpu.
    io.write64(csr::kBudgetLo, opts_.budget);
    io.write(csr::kRunCpu, 0);
    pipe_.set_enable(true);
    loaded_ = true;
  }

  MapAccess& maps() override {
    if (!loaded_) throw Error("xdp session (rtl): maps() before load()");
    return map_driver_;
  }

  XdpPacketOut run(const XdpPacketIn& packet) override {
    if (!loaded_) throw Error("xdp session (rtl): run() before load()");
    const size_t len = packet.bytes.size();
    if (len == 0) throw Error("rtl: an empty frame cannot enter the packet I/O block");
    if (packet.ingress_ifindex == 0 || packet.ingress_ifindex > pipe_.num_ports()) {
      throw Error("rtl: ingress_ifindex " + std::to_string(packet.ingress_ifindex) +
                  " has no port on the packet I/O block (ports 0.." +
                  std::to_string(pipe_.num_ports() - 1) + " are ifindex 1.." +
                  std::to_string(pipe_.num_ports()) + ", docs/packet_io.md)");
    }
    if (packet.rx_queue_index != 0) {
      throw Error("rtl: rx_queue_index " + std::to_string(packet.rx_queue_index) +
                  ": the packet I/O block has one queue (rx_queue_index 0)");
    }
    const uint32_t port = packet.ingress_ifindex - 1;
    const uint64_t limit =
        (std::min<uint64_t>(opts_.budget, UINT64_MAX / 128) + 1) * kCyclesPerInsnBound +
        kWatchdogSlack + 4 * (len / 8 + 1);
    sim::XdpFrameResult fr;
    try {
      fr = pipe_.send_frame(packet.bytes, port, limit);
    } catch (const Error&) {
      loaded_ = false;  // a hang resets the model: program and maps are gone
      throw;
    }
    if (fr.ingress == sim::XdpFrameResult::Ingress::kOversize) {
      throw Error("rtl: frame of " + std::to_string(len) + " bytes is longer than the packet "
                  "I/O block's MaxFrameBytes (" + std::to_string(pipe_.max_frame_bytes()) +
                  "): dropped by ingress (IO_CNT_OVERSIZE), not run");
    }
    if (fr.ingress == sim::XdpFrameResult::Ingress::kMalformed) {
      throw Error("rtl: frame of " + std::to_string(len) + " bytes on port " +
                  std::to_string(port) + " was dropped as malformed (IO_CNT_MALFORMED): "
                  "an RTL or session bug, the stream was packed");
    }

    device::CsrIo& io = pipe_.io();
    RunResult r;
    const uint32_t status = io.read(csr::kStatus);
    r.fault = static_cast<FaultCode>((status >> csr::kStatusFaultLsb) & 0xff);
    r.fault_pc = io.read(csr::kFaultPc);
    r.instructions = io.read64(csr::kInstretLo);
    r.r0 = io.read64(csr::kR0Lo);
    device::read_run_extras(io, r, mem_, 0);

    XdpPacketOut out = xdp_verdict(r);
    if (mem_.data_meta > mem_.data || mem_.data > mem_.data_end ||
        mem_.data_end > addr::kPacketBufferSize) {
      throw Error("rtl: packet offsets after the run are out of order or outside the buffer "
                  "(data_meta " + std::to_string(mem_.data_meta) + ", data " +
                  std::to_string(mem_.data) + ", data_end " + std::to_string(mem_.data_end) +
                  ")");
    }
    const std::vector<uint8_t> bytes = read_packet(mem_.data_meta, mem_.data_end);
    const size_t meta_len = mem_.data - mem_.data_meta;
    out.meta.assign(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(meta_len));
    out.data.assign(bytes.begin() + static_cast<ptrdiff_t>(meta_len), bytes.end());
    if (out.action == kXdpRedirect) out.redirect = r.redirect;
    out.cycles = fr.last_verdict;
    out.instructions = r.instructions;
    out.events = std::move(r.events);
    check_egress(out, port, fr);
    return out;
  }

 private:
  // [lo, hi) of the packet buffer through the packet window (32-bit words).
  std::vector<uint8_t> read_packet(uint32_t lo, uint32_t hi) {
    std::vector<uint8_t> bytes;
    bytes.reserve(hi - lo);
    device::CsrIo& io = pipe_.io();
    for (uint32_t w = lo & ~3u; w < hi; w += 4) {
      const uint32_t v = io.read(csr::kWinPacket + w);
      for (uint32_t i = 0; i < 4; ++i) {
        if (w + i >= lo && w + i < hi) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
      }
    }
    return bytes;
  }

  // The frame the block must have sent (docs/packet_io.md, steering), against m_axis.
  void check_egress(const XdpPacketOut& out, uint32_t port, const sim::XdpFrameResult& fr) {
    const uint32_t info_action = fr.last_info & 7;
    if (info_action != out.action) {
      throw Error(std::string("rtl: the packet I/O block steered by ") +
                  action_name(info_action) + " (IO_LAST_INFO) but the core's verdict is " +
                  action_name(out.action) + " (RTL bug)");
    }
    bool send = false;
    uint32_t want_port = 0;
    switch (out.action) {
      case kXdpPass:
        send = true;
        want_port = pipe_.host_port();
        break;
      case kXdpTx:
        send = true;
        want_port = port;
        break;
      case kXdpRedirect:
        if (out.redirect && out.redirect->ifindex >= 1 &&
            out.redirect->ifindex <= pipe_.num_ports()) {
          send = true;
          want_port = out.redirect->ifindex - 1;
        }
        break;
      default: break;
    }
    if (out.data.empty()) send = false;  // DATA_END <= DATA: nothing sent
    const std::string what = std::string("rtl: ") + action_name(out.action) + " frame of " +
                             std::to_string(out.data.size()) + " bytes: ";
    if (!send) {
      if (!fr.egress.empty()) {
        throw Error(what + "the packet I/O block sent " + std::to_string(fr.egress.size()) +
                    " frame(s) on m_axis where it must send none (RTL bug)");
      }
      return;
    }
    if (fr.egress.size() != 1) {
      throw Error(what + "the packet I/O block sent " + std::to_string(fr.egress.size()) +
                  " frames on m_axis, not 1 (RTL bug)");
    }
    const sim::XdpEgressFrame& e = fr.egress.front();
    if (e.port != want_port) {
      throw Error(what + "left on port " + std::to_string(e.port) + ", not port " +
                  std::to_string(want_port) + " (RTL bug)");
    }
    if (e.bytes != out.data) {
      size_t at = 0;
      while (at < e.bytes.size() && at < out.data.size() && e.bytes[at] == out.data[at]) ++at;
      throw Error(what + "the m_axis frame (" + std::to_string(e.bytes.size()) +
                  " bytes) differs from [data, data_end) at byte " + std::to_string(at) +
                  " (RTL bug)");
    }
  }

  XdpSessionOptions opts_;
  sim::XdpPipeline pipe_;
  device::CsrMapPort map_port_;
  MapUnitDriver map_driver_;
  MemoryImage mem_;
  uint32_t imem_slots_ = 0;
  uint32_t max_programs_ = 0;
  bool loaded_ = false;
};

}  // namespace

std::unique_ptr<XdpSession> make_rtl_stream_xdp_session(const XdpSessionOptions& opts) {
  return std::make_unique<RtlStreamXdpSession>(opts);
}

}  // namespace ebpf
