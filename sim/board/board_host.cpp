#include "board_host.h"

#include <cstdio>
#include <utility>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/error.h"
#include "etherbone.h"

namespace ebpf::sim::board {

namespace {

const eth::Endpoint kBoard{kLocalMac, kLocalIp, kCtrlPort};

}  // namespace

BoardHost::BoardHost(BoardModel& model, const eth::Endpoint& self) : m_(model), self_(self) {}

void BoardHost::send(const Bytes& frame_no_fcs) { m_.send_frame(eth::with_fcs(frame_no_fcs)); }
void BoardHost::send_raw(const Bytes& frame_with_fcs) { m_.send_frame(frame_with_fcs); }

void BoardHost::run(uint64_t cycles) {
  for (uint64_t i = 0; i < cycles; i += 16) {
    m_.tick(16);
    collect();
  }
}

std::optional<BoardHost::Bytes> BoardHost::request(const Bytes& eb,
                                                   const std::optional<eth::Endpoint>& from,
                                                   uint64_t max_cycles) {
  for (const Bytes& f : eth::udp_frames(from.value_or(self_), kBoard, eb, ip_id_++)) send(f);
  const size_t before = replies_.size();
  for (uint64_t c = 0; c < max_cycles && replies_.size() == before; c += 16) {
    m_.tick(16);
    collect();
  }
  if (replies_.size() == before) return std::nullopt;
  Bytes r = std::move(replies_.back());
  replies_.pop_back();
  return r;
}

std::vector<uint32_t> BoardHost::read(std::vector<uint32_t> addrs) {
  etherbone::Packet p;
  const size_t n = addrs.size();
  p.records.push_back(etherbone::make_record(0, {}, std::move(addrs)));
  const auto r = request(etherbone::encode(p));
  if (!r) throw Error("sim board: no Etherbone reply to a read of " + std::to_string(n) + " words");
  etherbone::Packet rp;
  std::string why;
  if (!etherbone::decode(*r, &rp, &why) || rp.records.size() != 1 ||
      rp.records[0].writes.size() != n) {
    throw Error("sim board: malformed Etherbone reply to a read: " +
                (why.empty() ? std::string("wrong record count or length") : why));
  }
  return rp.records[0].writes;
}

uint32_t BoardHost::read(uint32_t addr) { return read(std::vector<uint32_t>{addr}).at(0); }

void BoardHost::write(uint32_t addr, uint32_t value) {
  etherbone::Packet p;
  p.records.push_back(etherbone::make_record(addr, {value}, {csr::kId}));
  if (!request(etherbone::encode(p))) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%05x", addr);
    throw Error(std::string("sim board: no Etherbone confirmation of a write to CSR ") + hex);
  }
}

void BoardHost::collect() {
  auto& q = m_.tx_frames();
  while (!q.empty()) {
    TxFrame t = std::move(q.front());
    q.pop_front();
    Bytes f;
    std::string err = eth::check_wire(t.wire, &f);
    if (err.empty() && t.tx_er) err = "TX_ER";
    if (!err.empty()) {
      bad.push_back(err);
      continue;
    }
    eth::Arp a;
    if (eth::get16(f, 12) == eth::kTypeArp && eth::parse_arp(f, &a).empty()) {
      arps.push_back(a);
      continue;
    }
    eth::Udp u;
    if (eth::get48(f, 6) == kLocalMac && eth::parse_udp(f, &u).empty() &&
        u.src.port == kCtrlPort) {
      if (u.dst.mac != self_.mac || u.dst.ip != self_.ip || u.dst.port != self_.port ||
          u.src.ip != kLocalIp) {
        bad.push_back("reply to the wrong address");
      }
      replies_.push_back(u.payload);
      continue;
    }
    others.push_back(std::move(f));
  }
}

}  // namespace ebpf::sim::board
