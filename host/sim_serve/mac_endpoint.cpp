#include "mac_endpoint.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "board_model.h"
#include "ebpf_fpga/error.h"
#include "etherbone.h"
#include "eth_frames.h"

namespace ebpf::simserve {
namespace {

namespace eth = sim::eth;
namespace brd = sim::board;

// The CSR read timeout of the board's Etherbone endpoint (ebpf_net_stack BusTimeout).
constexpr uint64_t kBusTimeout = 255;
// The NET register page of the board's network stack (docs/network.md).
constexpr uint32_t kNetPage = 0x0'e000;

// The C++ Etherbone endpoint on a bus that does nothing: tells whether the RTL endpoint
// will answer a request (and with how many bytes), and how many bus accesses it makes.
class DryBus final : public CsrTarget {
 public:
  uint32_t read(uint32_t) override {
    ++reads;
    return 0;
  }
  void write(uint32_t, uint32_t) override { ++writes; }
  // The board's endpoint accepts every aligned word of the 20-bit CSR space (EbWholeMap).
  bool mapped(uint32_t addr) const override { return addr < (1u << 20); }
  uint64_t reads = 0, writes = 0;
};

std::string hex8(std::span<const uint8_t> b) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < b.size() && i < 8; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", b[i]);
    s += buf;
  }
  return s;
}

}  // namespace

MacEndpoint::MacEndpoint(const MacEndpointOptions& opts) : opts_(opts) {
  model_ = std::make_unique<brd::BoardModel>(brd::BoardModelOptions{opts_.trace_path});
  // Resolve the board's MAC as a host would before its first datagram.
  model_->send_frame(eth::with_fcs(eth::arp_request(opts_.host_mac, opts_.host_ip,
                                                    brd::kLocalIp)));
  ++stats_.frames_in;
  for (uint64_t waited = 0; waited < 4'000 && board_mac_ == 0; waited += 16) {
    model_->tick(16);
    auto& q = model_->tx_frames();
    while (!q.empty()) {
      brd::TxFrame t = std::move(q.front());
      q.pop_front();
      ++stats_.frames_out;
      eth::Bytes f;
      std::string err = eth::check_wire(t.wire, &f);
      eth::Arp a;
      if (err.empty()) err = eth::parse_arp(f, &a);
      if (err.empty() && (a.op != 2 || a.spa != brd::kLocalIp || a.tpa != opts_.host_ip ||
                          a.tha != opts_.host_mac || a.eth_dst != opts_.host_mac ||
                          a.eth_src != a.sha)) {
        err = "not a reply to our request";
      }
      if (!err.empty()) {
        ++stats_.bad_frames_out;
        throw Error("sim board: bad answer to the ARP request for " + eth::ip_text(brd::kLocalIp) +
                    ": " + err);
      }
      ++stats_.arp_replies;
      board_mac_ = a.sha;
    }
  }
  if (board_mac_ == 0) {
    throw Error("sim board: no ARP reply for " + eth::ip_text(brd::kLocalIp) +
                " within 4000 cycles (the RTL's ARP responder or MAC does not work)");
  }
  stats_.cycles = model_->cycles();
  clock_ = std::thread([this] { clock_loop(); });
}

MacEndpoint::~MacEndpoint() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (clock_.joinable()) clock_.join();
}

void MacEndpoint::clock_loop() {
  std::unique_lock<std::mutex> lk(mu_);
  model_->bind_thread();
  for (;;) {
    cv_.wait(lk, [this] { return stop_ || (want_ == 0 && model_->core_busy()); });
    if (stop_) return;
    model_->tick(opts_.clock_chunk);
    stats_.cycles = model_->cycles();
  }
}

void MacEndpoint::note(std::string what) { last_problem_ = std::move(what); }

std::optional<std::vector<uint8_t>> MacEndpoint::on_datagram(std::span<const uint8_t> payload) {
  ++want_;
  std::unique_lock<std::mutex> lk(mu_);
  --want_;
  auto reply = exchange(payload);
  lk.unlock();
  cv_.notify_all();  // the request may have started the core
  return reply;
}

std::optional<std::vector<uint8_t>> MacEndpoint::exchange(std::span<const uint8_t> payload) {
  ++stats_.datagrams;
  // A reply from an earlier request that came late, or a data-plane frame.
  take_tx(false);

  DryBus dry;
  EtherboneEndpoint ref(dry);
  std::optional<std::vector<uint8_t>> due = ref.on_datagram(payload);

  const eth::Endpoint host{opts_.host_mac, opts_.host_ip, opts_.host_port};
  const eth::Endpoint board{board_mac_, brd::kLocalIp, brd::kCtrlPort};
  const auto frames = eth::udp_frames(host, board, payload, ip_id_++, opts_.udp_checksum,
                                      opts_.mtu);
  if (frames.size() > 1) due.reset();  // the board drops IP fragments (counted)
  for (const eth::Bytes& f : frames) {
    model_->send_frame(eth::with_fcs(f));
    ++stats_.frames_in;
  }
  const uint64_t start = model_->cycles();
  // The frames go in one byte per cycle; the endpoint checks the whole request (about a
  // cycle per word), then makes its bus accesses (a read waits up to kBusTimeout cycles),
  // then the reply goes out one byte per cycle. Generous room on top.
  const uint64_t words = payload.size() / 4 + 1;
  const uint64_t budget = model_->rx_pending() + 4 * words + 4 * dry.writes +
                          (kBusTimeout + 16) * dry.reads + (due ? due->size() + 128 : 0) +
                          4'000;
  model_->tick(model_->rx_pending());
  std::optional<std::vector<uint8_t>> got;
  if (due) {
    while (!(got = take_tx(true)) && model_->cycles() - start < budget) model_->tick(16);
    if (!got) {
      ++stats_.lost_replies;
      note("no reply from the board's Etherbone endpoint within " + std::to_string(budget) +
           " cycles to a " + std::to_string(payload.size()) + "-byte request (" +
           hex8(payload) + "...) that the reference endpoint answers");
    } else if (got->size() != due->size() ||
               !std::equal(due->begin(), due->begin() + 8, got->begin())) {
      ++stats_.reply_mismatch;
      note("the board replied " + std::to_string(got->size()) + " bytes (" + hex8(*got) +
           "...), the reference endpoint " + std::to_string(due->size()) + " (" + hex8(*due) +
           "...)");
    }
  } else {
    // No reply is due: let the endpoint check and execute the request before the next one
    // comes (it would queue behind, but a START should start the clock thread's work).
    model_->tick(4 * words + 2 * dry.writes + 64);
    if ((got = take_tx(true))) {
      ++stats_.unexpected;
      note("the board answered a request that gets no reply (" + hex8(payload) + "...)");
      got.reset();
    }
    ++stats_.no_reply;
  }
  const uint64_t spent = model_->cycles() - start;
  stats_.datagram_cycles += spent;
  stats_.max_datagram_cycles = std::max(stats_.max_datagram_cycles, spent);
  stats_.cycles = model_->cycles();
  if (got) ++stats_.replies;
  return got;
}

std::optional<std::vector<uint8_t>> MacEndpoint::take_tx(bool want_reply) {
  std::optional<std::vector<uint8_t>> reply;
  auto& q = model_->tx_frames();
  while (!q.empty()) {
    brd::TxFrame t = std::move(q.front());
    q.pop_front();
    ++stats_.frames_out;
    eth::Bytes f;
    std::string err = eth::check_wire(t.wire, &f);
    if (err.empty() && t.tx_er) err = "TX_ER during the frame";
    if (!err.empty()) {
      ++stats_.bad_frames_out;
      note("GMII TX frame of " + std::to_string(t.wire.size()) + " bytes: " + err);
      continue;
    }
    const bool to_host = eth::get48(f, 0) == opts_.host_mac;
    eth::Udp u;
    err = eth::parse_udp(f, &u);
    if (!to_host) {
      ++stats_.other_frames_out;  // ARP, or a data-plane frame (XDP_TX)
      continue;
    }
    if (err.empty() && (u.dst.ip != opts_.host_ip || u.dst.port != opts_.host_port ||
                        u.src.mac != board_mac_ || u.src.ip != brd::kLocalIp ||
                        u.src.port != brd::kCtrlPort)) {
      err = "addressed " + eth::ip_text(u.src.ip) + ":" + std::to_string(u.src.port) + " -> " +
            eth::ip_text(u.dst.ip) + ":" + std::to_string(u.dst.port) + ", expected " +
            eth::ip_text(brd::kLocalIp) + ":" + std::to_string(brd::kCtrlPort) + " -> " +
            eth::ip_text(opts_.host_ip) + ":" + std::to_string(opts_.host_port);
    }
    if (!err.empty()) {
      ++stats_.bad_frames_out;
      note("GMII TX frame to the host: " + err);
      continue;
    }
    if (!want_reply || reply) {
      ++stats_.unexpected;
      note("a reply from the board that no request was waiting for (" + hex8(u.payload) +
           "...)");
      continue;
    }
    reply = std::move(u.payload);
  }
  return reply;
}

MacStats MacEndpoint::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  return stats_;
}

std::string MacEndpoint::last_problem() const {
  std::lock_guard<std::mutex> lk(mu_);
  return last_problem_;
}

std::vector<uint32_t> MacEndpoint::read_csr(std::span<const uint32_t> addrs) {
  std::vector<uint32_t> out;
  for (size_t at = 0; at < addrs.size(); at += etherbone::kMaxCount) {
    etherbone::Packet p;
    p.tag = 0x6d61'6300u + static_cast<uint32_t>(at);
    etherbone::Record r;
    const size_t n = std::min(etherbone::kMaxCount, addrs.size() - at);
    r.reads.assign(addrs.begin() + static_cast<std::ptrdiff_t>(at),
                   addrs.begin() + static_cast<std::ptrdiff_t>(at + n));
    p.records.push_back(r);
    const auto reply = on_datagram(etherbone::encode(p));
    etherbone::Packet rp;
    std::string why;
    if (!reply || !etherbone::decode(*reply, &rp, &why) || rp.records.size() != 1 ||
        rp.records[0].writes.size() != n) {
      throw Error("sim board: no valid reply to a read of " + std::to_string(n) +
                  " CSR words" + (why.empty() ? "" : ": " + why));
    }
    out.insert(out.end(), rp.records[0].writes.begin(), rp.records[0].writes.end());
  }
  return out;
}

std::string MacEndpoint::stats_text() {
  const MacStats s = stats();
  std::string t;
  auto kv = [&t](const char* k, uint64_t v) {
    if (!t.empty()) t += ' ';
    t += k;
    t += '=';
    t += std::to_string(v);
  };
  kv("mac_datagrams", s.datagrams);
  kv("mac_frames_in", s.frames_in);
  kv("mac_frames_out", s.frames_out);
  kv("mac_replies", s.replies);
  kv("mac_no_reply", s.no_reply);
  kv("mac_lost_replies", s.lost_replies);
  kv("mac_unexpected", s.unexpected);
  kv("mac_reply_mismatch", s.reply_mismatch);
  kv("mac_bad_frames_out", s.bad_frames_out);
  kv("mac_other_frames_out", s.other_frames_out);
  kv("mac_arp_replies", s.arp_replies);
  kv("mac_cycles", s.cycles);
  kv("mac_datagram_cycles", s.datagram_cycles);
  kv("mac_max_datagram_cycles", s.max_datagram_cycles);
  // The NET page (docs/network.md): word i at 0x0_e000 + 4i.
  static constexpr std::pair<const char*, uint32_t> kNet[] = {
      {"net_rx_good", 8},       {"net_rx_bad_fcs", 9},      {"net_rx_runt", 10},
      {"net_rx_giant", 11},     {"net_rx_phy_err", 12},     {"net_rx_ctrl", 13},
      {"net_rx_data", 14},      {"net_rx_ctrl_ovf", 15},    {"net_tx_frames", 17},
      {"net_arp_replies", 20},  {"net_ip_udp_good", 22},    {"net_ip_bad_csum", 23},
      {"net_ip_bad_hdr", 24},   {"net_ip_fragment", 25},    {"net_udp_bad", 26},
      {"net_eb_packets", 27},   {"net_eb_probes", 28},      {"net_eb_bad_magic", 29},
      {"net_eb_bad_version", 30}, {"net_eb_bad_size", 31},  {"net_eb_bad_len", 32},
      {"net_eb_bad_addr", 33},  {"net_eb_writes", 34},      {"net_eb_reads", 35},
      {"net_eb_timeouts", 36},  {"net_eb_ignored", 37}};
  std::vector<uint32_t> addrs;
  for (const auto& [name, i] : kNet) addrs.push_back(kNetPage + 4 * i);
  try {
    const std::vector<uint32_t> v = read_csr(addrs);
    for (size_t i = 0; i < v.size(); ++i) kv(kNet[i].first, v[i]);
  } catch (const std::exception& e) {
    t += " net_counters_unreadable (";
    t += e.what();
    t += ")";
  }
  return t;
}

}  // namespace ebpf::simserve
