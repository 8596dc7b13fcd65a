// ebpf_net_etherbone: requests built from the Etherbone format (docs/etherbone.md) by the
// reference builder; a CSR memory model answers the bus like ebpf_top (read data the cycle
// after the request). Writes then reads, probes, write-only requests, FIFO writes, bad
// requests dropped whole and counted while good ones after them still work, read timeouts,
// and a random campaign against a model of memory and replies.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <random>

#include MODEL_HDR
#include "net_ref.h"
#include "verilated.h"

using netref::Bytes;
using netref::EbRecord;

namespace {

struct Reply {
  uint64_t mac = 0;
  uint32_t ip = 0, port = 0, len = 0;
  Bytes data;
};

struct Req {
  Bytes payload;
  bool user = false;
  uint64_t mac = 0x020000000099;
  uint32_t ip = 0xc0a80164, port = 40000;
};

class Etherbone : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->randReset(2);
    m_ = std::make_unique<MODEL>(ctx_.get());
    m_->rst_ni = 0;
    m_->s_axis_tvalid_i = 0;
    m_->m_hdr_ready_i = 0;
    m_->m_axis_tready_i = 0;
    m_->csr_rvalid_i = 0;
    m_->csr_rdata_i = 0;
    m_->eval();
    tick();
    tick();
    m_->rst_ni = 1;
  }
  void TearDown() override { m_->final(); }

  // One cycle: the bus model and the reply collector act on the values before the edge.
  void tick() {
    m_->eval();
    bool rvalid = false;
    uint32_t rdata = 0;
    if (m_->rst_ni) {
      if (m_->csr_req_o) {
        const uint32_t a = m_->csr_addr_o;
        if (m_->csr_we_o) {
          mem_[a] = m_->csr_wdata_o;
          ++bus_writes_;
        } else if (a != silent_addr_) {
          rvalid = true;
          rdata = mem_.count(a) ? mem_[a] : 0xdead0000u + a;
        }
      }
      if (m_->m_hdr_valid_o && m_->m_hdr_ready_i) {
        pending_.push_back({m_->m_dst_mac_o, m_->m_dst_ip_o, m_->m_dst_port_o, m_->m_len_o, {}});
      }
      if (m_->m_axis_tvalid_o && m_->m_axis_tready_i) {
        EXPECT_FALSE(pending_.empty()) << "reply bytes before the reply header";
        if (!pending_.empty()) {
          pending_.front().data.push_back(m_->m_axis_tdata_o);
          if (m_->m_axis_tlast_o) {
            replies_.push_back(pending_.front());
            pending_.pop_front();
          }
        }
      }
      stats_[0] += m_->stat_packet_o;
      stats_[1] += m_->stat_probe_o;
      stats_[2] += m_->stat_bad_magic_o;
      stats_[3] += m_->stat_bad_version_o;
      stats_[4] += m_->stat_bad_size_o;
      stats_[5] += m_->stat_bad_len_o;
      stats_[6] += m_->stat_bad_addr_o;
      stats_[7] += m_->stat_ignored_o;
      stats_[8] += m_->stat_write_o;
      stats_[9] += m_->stat_read_o;
      stats_[10] += m_->stat_timeout_o;
    }
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
    m_->csr_rvalid_i = rvalid;
    m_->csr_rdata_i = rdata;
    m_->m_hdr_ready_i = rng_() % 4 != 0;
    m_->m_axis_tready_i = rng_() % 4 != 0;
  }

  // Sends the requests (random gaps), then runs until everything has been answered.
  void run(std::deque<Req> q) {
    size_t pos = 0;
    while (!q.empty()) {
      const Req& r = q.front();
      const bool v = rng_() % 3 != 0;
      m_->s_axis_tvalid_i = v;
      m_->s_axis_tdata_i = r.payload[pos];
      m_->s_axis_tlast_i = pos + 1 == r.payload.size();
      m_->s_axis_tuser_i = r.user && pos + 1 == r.payload.size();
      m_->s_src_mac_i = r.mac;
      m_->s_src_ip_i = r.ip;
      m_->s_src_port_i = static_cast<uint16_t>(r.port);
      m_->eval();
      const bool take = v && m_->s_axis_tready_o;
      tick();
      if (take && ++pos == r.payload.size()) {
        q.pop_front();
        pos = 0;
      }
    }
    m_->s_axis_tvalid_i = 0;
    for (int i = 0; i < 3000; ++i) tick();
  }
  void run1(const Bytes& p, bool user = false) { run({Req{p, user}}); }

  // The reply the format defines for a request (empty when it has no reads).
  Bytes expected_reply(const std::vector<EbRecord>& recs, const std::map<uint32_t, uint32_t>& mem,
                       uint32_t pad = 0) const {
    Bytes b;
    bool any = false;
    for (const auto& r : recs) any |= !r.reads.empty();
    if (!any) return b;
    netref::put16(b, 0x4e6f);
    b.push_back(0x10);
    b.push_back(0x44);
    netref::put32(b, pad);
    for (const auto& r : recs) {
      if (r.reads.empty()) continue;
      b.push_back(0);
      b.push_back(r.byte_enable);
      b.push_back(static_cast<uint8_t>(r.reads.size()));
      b.push_back(0);
      netref::put32(b, r.base_ret);
      for (uint32_t a : r.reads) {
        auto it = mem.find(a);
        netref::put32(b, it != mem.end() ? it->second : 0xdead0000u + a);
      }
    }
    return b;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<MODEL> m_;
  std::mt19937 rng_{99};
  std::map<uint32_t, uint32_t> mem_;
  uint32_t silent_addr_ = 0xffffffff;   // reads of this address get no answer
  std::deque<Reply> pending_;
  std::vector<Reply> replies_;
  int bus_writes_ = 0;
  // packet, probe, magic, version, size, len, addr, ignored, write, read, timeout
  int stats_[11] = {};
};

TEST_F(Etherbone, WriteThenReadRoundTrip) {
  EbRecord w;
  w.base_write = 0x20100;
  w.writes = {0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00};
  EbRecord r;
  r.base_ret = 0xabcd0000;
  r.reads = {0x20100, 0x2010c, 0x20104, 0x20108, 0x0};
  run1(netref::eb_packet({w}));
  EXPECT_TRUE(replies_.empty()) << "a request without reads gets no reply";
  EXPECT_EQ(mem_[0x20100], 0x11223344u);
  EXPECT_EQ(mem_[0x2010c], 0xddeeff00u);
  run1(netref::eb_packet({r}));
  ASSERT_EQ(replies_.size(), 1u);
  const Reply& rep = replies_[0];
  EXPECT_EQ(netref::hex(rep.data), netref::hex(expected_reply({r}, mem_)));
  EXPECT_EQ(rep.len, rep.data.size());
  EXPECT_EQ(rep.mac, 0x020000000099u);
  EXPECT_EQ(rep.ip, 0xc0a80164u);
  EXPECT_EQ(rep.port, 40000u);
  EXPECT_EQ(stats_[0], 2);
  EXPECT_EQ(stats_[8], 4);
  EXPECT_EQ(stats_[9], 5);
}

// The example of docs/etherbone.md, byte for byte.
TEST_F(Etherbone, DocumentedExample) {
  mem_[0x000] = 0x65425046;
  const Bytes req = {0x4e, 0x6f, 0x10, 0x44, 0, 0, 0, 0,
                     0x00, 0x0f, 0x01, 0x00, 0, 0, 0, 0x14, 0, 0, 0x12, 0x34,
                     0x00, 0x0f, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0};
  run1(req);
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(netref::hex(replies_[0].data),
            "4e6f104400000000" "000f020000000000" "0000123465425046");
}

TEST_F(Etherbone, WritesAndReadsInOneRecordAndSeveralRecords) {
  EbRecord a;
  a.base_write = 0x10000;
  a.writes = {1, 2, 3};
  a.base_ret = 0x1000;
  a.reads = {0x10008, 0x10000};   // reads after the record's writes see them
  EbRecord b;                       // no-op record
  EbRecord c;
  c.base_ret = 0x2000;
  c.reads = {0x10004};
  run1(netref::eb_packet({a, b, c}));
  std::map<uint32_t, uint32_t> expect = {{0x10000, 1}, {0x10004, 2}, {0x10008, 3}};
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(netref::hex(replies_[0].data), netref::hex(expected_reply({a, b, c}, expect)));
}

TEST_F(Etherbone, WriteFifoFlagWritesOneAddress) {
  EbRecord w;
  w.flags = 0x40;   // WFF
  w.base_write = 0x80000;
  w.writes = {7, 8, 9};
  run1(netref::eb_packet({w}));
  EXPECT_EQ(mem_[0x80000], 9u);
  EXPECT_EQ(mem_.count(0x80004), 0u);
  EXPECT_EQ(bus_writes_, 3);
}

TEST_F(Etherbone, ProbeIsAnsweredWithPrAndEcho) {
  run1(netref::eb_packet({}, 0x11, 0x44, 0x4e6f, 0xcafef00d));
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(netref::hex(replies_[0].data), "4e6f1244cafef00d");
  EXPECT_EQ(stats_[1], 1);
}

TEST_F(Etherbone, BadRequestsAreDroppedWholeCountedAndGoodOnesStillWork) {
  EbRecord good_r;
  good_r.base_ret = 0x77;
  good_r.reads = {0x20000};
  mem_[0x20000] = 0x600d600d;
  const Bytes good = netref::eb_packet({good_r});
  auto with_write = [](uint32_t addr, uint8_t be = 0x0f) {
    EbRecord w;
    w.byte_enable = be;
    w.base_write = addr;
    w.writes = {0xbad0bad0};
    return w;
  };
  std::deque<Req> q;
  auto add = [&](Bytes p, bool user = false) {
    q.push_back({p, user});
    q.push_back({good});
  };
  add(netref::eb_packet({with_write(0x20004)}, 0x10, 0x44, 0x4e6e));   // magic
  add(netref::eb_packet({with_write(0x20004)}, 0x20));                 // version 2
  add(netref::eb_packet({with_write(0x20004)}, 0x10, 0x48));           // 64-bit ports
  add(netref::eb_packet({with_write(0x20004)}, 0x10, 0x24));           // 16-bit addresses
  add(netref::eb_packet({with_write(0x20004, 0x03)}));                 // partial byte enable
  Bytes trunc = netref::eb_packet({with_write(0x20004)});
  trunc.resize(trunc.size() - 4);                                      // missing write value
  add(trunc);
  Bytes odd = netref::eb_packet({with_write(0x20004)});
  odd.push_back(0);                                                    // not a word multiple
  add(odd);
  add(Bytes{0x4e, 0x6f, 0x10, 0x44});                                  // header cut short
  add(netref::eb_packet({with_write(0x20004), with_write(0x150000)})); // 2nd record: outside the map
  add(netref::eb_packet({with_write(0x100000)}));                      // beyond 20 bits
  add(netref::eb_packet({with_write(0x20006)}));                       // unaligned
  EbRecord rd_bad;
  rd_bad.reads = {0x20000, 0x17e000};                                   // read outside the map
  add(netref::eb_packet({rd_bad}));
  add(netref::eb_packet({with_write(0x20004)}, 0x12));                 // PR: a reply
  add(netref::eb_packet({with_write(0x20004)}), true);                 // UDP layer refused it
  run(q);

  EXPECT_EQ(mem_.count(0x20004), 0u) << "a bad request reached the bus";
  EXPECT_EQ(bus_writes_, 0);
  ASSERT_EQ(replies_.size(), 14u);
  for (const auto& r : replies_) {
    EXPECT_EQ(netref::hex(r.data), netref::hex(expected_reply({good_r}, mem_)));
  }
  EXPECT_EQ(stats_[0], 14);   // the good ones
  EXPECT_EQ(stats_[2], 1);    // magic
  EXPECT_EQ(stats_[3], 1);    // version
  EXPECT_EQ(stats_[4], 3);    // sizes x2, byte enable
  EXPECT_EQ(stats_[5], 3);    // truncated, odd, short header
  EXPECT_EQ(stats_[6], 4);    // hole, beyond, unaligned, read hole
  EXPECT_EQ(stats_[7], 1);    // PR
}

TEST_F(Etherbone, TooLongRequestIsDropped) {
  EbRecord w;
  w.base_write = 0x20000;
  for (int i = 0; i < 4 * BUF_WORDS / 4; ++i) w.writes.push_back(static_cast<uint32_t>(i));
  if (w.writes.size() > 255) w.writes.resize(255);
  std::vector<EbRecord> recs;
  size_t bytes = 8;
  while (bytes <= 4u * BUF_WORDS) {
    recs.push_back(w);
    bytes += 8 + 4 * w.writes.size();
  }
  EbRecord r;
  r.reads = {0x20000};
  run({Req{netref::eb_packet(recs)}, Req{netref::eb_packet({r})}});
  EXPECT_EQ(bus_writes_, 0);
  EXPECT_EQ(stats_[5], 1);
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(netref::hex(replies_[0].data), netref::hex(expected_reply({r}, mem_)));
}

TEST_F(Etherbone, ReadThatNeverAnswersTimesOut) {
  silent_addr_ = 0x20010;
  mem_[0x20014] = 42;
  EbRecord r;
  r.reads = {0x20010, 0x20014};
  run1(netref::eb_packet({r}));
  ASSERT_EQ(replies_.size(), 1u);
  Bytes expect = expected_reply({r}, mem_);
  for (int i = 0; i < 4; ++i) expect[16 + i] = 0xff;
  EXPECT_EQ(netref::hex(replies_[0].data), netref::hex(expect));
  EXPECT_EQ(stats_[10], 1);
}

// Garbage of every shape (random bytes, a valid header then random records, truncations)
// never wedges the endpoint: every request is accounted for exactly once, and a good
// request afterwards is answered correctly.
TEST_F(Etherbone, FuzzNeverWedges) {
  std::mt19937 rng(77);
  auto R = [&] { return static_cast<uint32_t>(rng()); };
  std::deque<Req> q;
  const int n = 300;
  for (int i = 0; i < n; ++i) {
    Bytes p(1 + R() % 120);
    for (auto& b : p) b = static_cast<uint8_t>(R());
    switch (R() % 4) {
      case 0: break;                                              // pure noise
      case 1: p[0] = 0x4e; if (p.size() > 1) p[1] = 0x6f; break;  // right magic
      default:
        if (p.size() >= 4) {
          p[0] = 0x4e; p[1] = 0x6f; p[2] = 0x10; p[3] = 0x44;     // right header
        }
        break;
    }
    q.push_back({p, R() % 10 == 0});
  }
  EbRecord r;
  r.base_ret = 1;
  r.reads = {0x20000};
  q.push_back({netref::eb_packet({r})});
  run(q);
  int accounted = 0;
  for (int k = 0; k <= 7; ++k) accounted += stats_[k];
  int user = 0;
  for (const auto& x : q) user += x.user;
  EXPECT_EQ(accounted, n + 1 - user) << "every request is counted once";
  ASSERT_FALSE(replies_.empty());
  EXPECT_EQ(replies_.back().data.size(), 20u);   // header, record, base, one value
}

TEST_F(Etherbone, RandomRequestsMatchTheModel) {
  std::mt19937 rng(5);
  auto R = [&] { return static_cast<uint32_t>(rng()); };
  std::map<uint32_t, uint32_t> model;
  std::deque<Req> q;
  std::vector<Bytes> expect;
  for (int p = 0; p < 150; ++p) {
    std::vector<EbRecord> recs(1 + R() % 3);
    for (auto& r : recs) {
      const uint32_t base = 0x10000u + 4u * (R() % 64);
      r.base_write = base;
      r.flags = R() % 8 == 0 ? 0x40 : 0;
      for (uint32_t i = 0, n = R() % 6; i < n; ++i) r.writes.push_back(R());
      r.base_ret = R();
      for (uint32_t i = 0, n = R() % 6; i < n; ++i) {
        r.reads.push_back(0x10000u + 4u * (R() % 64));
      }
    }
    for (auto& r : recs) {
      for (size_t i = 0; i < r.writes.size(); ++i) {
        model[r.base_write + (r.flags ? 0u : 4u * static_cast<uint32_t>(i))] = r.writes[i];
      }
      // Reads of a record see its own writes and the earlier records'.
      std::vector<EbRecord> one = {r};
      Bytes part = expected_reply(one, model);
      if (!part.empty()) {
        if (expect.size() <= static_cast<size_t>(p)) expect.resize(p + 1);
        Bytes& e = expect[p];
        if (e.empty()) e.assign(part.begin(), part.begin() + 8);
        e.insert(e.end(), part.begin() + 8, part.end());
      }
    }
    expect.resize(p + 1);
    q.push_back({netref::eb_packet(recs)});
  }
  run(q);
  std::vector<Bytes> nonempty;
  for (auto& e : expect) {
    if (!e.empty()) nonempty.push_back(e);
  }
  ASSERT_EQ(replies_.size(), nonempty.size());
  for (size_t i = 0; i < nonempty.size(); ++i) {
    EXPECT_EQ(netref::hex(replies_[i].data), netref::hex(nonempty[i])) << "reply " << i;
  }
  for (const auto& [a, v] : model) EXPECT_EQ(mem_[a], v) << std::hex << a;
}

}  // namespace
