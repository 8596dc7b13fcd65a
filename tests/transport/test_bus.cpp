// CSR round trips over every transport: single words, 64-bit pairs, bursts, blocks that need
// many datagrams, and batches whose order must survive the packing into records.
#include <gtest/gtest.h>

#include <cerrno>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/address_map.h"
#include "ebpf_fpga/bus.h"
#include "etherbone.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

// One simulated board per test suite.
class WithServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new test::SimServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static test::SimServer* server_;
};
test::SimServer* WithServer::server_ = nullptr;

class BusTest : public WithServer, public ::testing::WithParamInterface<std::string> {
 protected:
  std::unique_ptr<Bus> open(const std::string& query = "") {
    const std::string& kind = GetParam();
    std::string uri = kind == "sim" ? "sim:" : kind == "udp" ? server_->udp_uri()
                                                             : server_->pcie_uri();
    if (!query.empty()) uri += "?" + query;
    return Bus::open(uri);
  }
};

TEST_P(BusTest, ReadsTheCapabilityBlock) {
  auto bus = open();
  EXPECT_EQ(bus->read(csr::kId), csr::kCoreId);
  EXPECT_EQ(bus->read(csr::kVersion), csr::kCoreVersion);
  EXPECT_EQ(bus->read(csr::kImemSlots), 4096u);
  EXPECT_FALSE(bus->describe().empty());
}

TEST_P(BusTest, WordAndPairRoundTrips) {
  auto bus = open();
  bus->write(csr::kProgLen, 17);
  EXPECT_EQ(bus->read(csr::kProgLen), 17u);
  bus->write64(csr::kBudgetLo, 0x1234'5678'9abc'def0ull);
  EXPECT_EQ(bus->read64(csr::kBudgetLo), 0x1234'5678'9abc'def0ull);
  bus->write64(csr::kBudgetLo, addr::kDefaultBudget);
  bus->write(csr::kProgLen, 0);
}

TEST_P(BusTest, Bursts) {
  auto bus = open();
  const uint32_t addrs[] = {csr::kIfindex, csr::kRxQueue, csr::kDataEnd, csr::kDataMeta};
  const uint32_t values[] = {7, 9, 300, 200};
  bus->write_burst(addrs, values);
  EXPECT_EQ(bus->read_burst(addrs), std::vector<uint32_t>(std::begin(values), std::end(values)));
  const uint32_t ids[] = {csr::kId, csr::kVersion, csr::kImemSlots};
  EXPECT_EQ(bus->read_burst(ids),
            (std::vector<uint32_t>{csr::kCoreId, csr::kCoreVersion, 4096}));
  const uint32_t reset[] = {0, 0, 256, 256};
  bus->write_burst(addrs, reset);
}

TEST_P(BusTest, BlocksLargerThanADatagram) {
  auto bus = open();
  std::vector<uint32_t> words(2000);
  for (size_t i = 0; i < words.size(); ++i) words[i] = static_cast<uint32_t>(i * 2654435761u);
  bus->write_block(csr::kWinPacket, words);
  EXPECT_EQ(bus->read_block(csr::kWinPacket, words.size()), words);
}

TEST_P(BusTest, BatchesKeepTheOrder) {
  auto bus = open();
  uint32_t a = 0, b = 0, c = 0;
  uint64_t wide = 0;
  BusBatch batch(*bus);
  batch.write(csr::kIfindex, 1).read(csr::kIfindex, &a).write(csr::kIfindex, 2);
  batch.read(csr::kIfindex, &b).write(csr::kRxQueue, 3).write(csr::kIfindex, 4);
  batch.read(csr::kIfindex, &c).write64(csr::kBudgetLo, 0x5'0000'0001);
  batch.read64(csr::kBudgetLo, &wide);
  EXPECT_EQ(batch.size(), 11u);
  const std::vector<uint32_t> values = batch.flush();
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(c, 4u);
  EXPECT_EQ(wide, 0x5'0000'0001u);
  EXPECT_EQ(values, (std::vector<uint32_t>{1, 2, 4, 1, 5}));
  bus->write64(csr::kBudgetLo, addr::kDefaultBudget);
}

TEST_P(BusTest, RefusesUnalignedAddresses) {
  auto bus = open();
  try {
    bus->read(0x13);
    FAIL() << "unaligned read accepted";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -EINVAL);
    EXPECT_EQ(std::string(e.what()),
              bus->uri() + ": read 0x00000013: address is not 4-byte aligned");
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, BusTest, ::testing::Values("sim", "udp", "pcie_socket"),
                         [](const auto& p) { return p.param; });

// udp:// only: how batches become datagrams, and the options that shape them.
class UdpBus : public WithServer {};

TEST_F(UdpBus, OneDatagramPerSmallBatchNoRetries) {
  auto bus = Bus::open(server_->udp_uri());
  const BusStats before = bus->stats();
  EXPECT_EQ(before.requests, 1u);  // the probe
  bus->read(csr::kId);
  bus->write(csr::kIfindex, 5);    // write-only: a fence read makes the device answer
  const BusStats s = bus->stats();
  EXPECT_EQ(s.requests, 3u);
  EXPECT_EQ(s.retries, 0u);
  EXPECT_EQ(s.accepted, 3u);
  EXPECT_EQ(s.reads, 1u);
  EXPECT_EQ(s.writes, 1u);
  bus->write(csr::kIfindex, 0);
}

TEST_F(UdpBus, DatagramsAreFilledToTheMtu) {
  auto bus = Bus::open(server_->udp_uri());
  std::vector<uint32_t> words(8192, 0x11111111);
  const uint64_t before = bus->stats().requests;
  bus->write_block(csr::kWinImem, words);
  // 1472-byte payloads: header (8) + a 255-word record (1028) + a 105-word record (428) +
  // the fence read (8): 360 words per datagram.
  EXPECT_EQ(bus->stats().requests - before, (8192 + 359) / 360);
}

TEST_F(UdpBus, SmallMtuAndOneRecordPerDatagramStillCorrect) {
  for (const char* q : {"mtu=576", "max_records=1", "mtu=576&max_records=1"}) {
    auto bus = Bus::open(server_->udp_uri() + "?" + q);
    std::vector<uint32_t> words(700);
    std::iota(words.begin(), words.end(), 1000u);
    bus->write_block(csr::kWinStack, words);
    std::vector<uint32_t> addrs;
    for (size_t i = 0; i < words.size(); i += 3) {
      addrs.push_back(csr::kWinStack + 4 * static_cast<uint32_t>(i));
    }
    const std::vector<uint32_t> got = bus->read_burst(addrs);
    for (size_t k = 0; k < addrs.size(); ++k) EXPECT_EQ(got[k], words[3 * k]) << q;
  }
}

TEST_F(UdpBus, AtomicBatchMustFitOneDatagram) {
  auto bus = Bus::open(server_->udp_uri());
  BusBatch b(*bus);
  for (uint32_t i = 0; i < 400; ++i) b.write(csr::kWinPacket + 8 * i, i);  // 400 records
  const uint64_t before = bus->stats().datagrams_sent;
  try {
    b.flush({.atomic = true});
    FAIL() << "an atomic batch of 400 records fit one datagram";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -EMSGSIZE);
    EXPECT_NE(std::string(e.what()).find("an atomic batch must fit one datagram (1472 bytes"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(bus->stats().datagrams_sent, before);  // nothing was sent
}

TEST_F(UdpBus, AddressesOutsideTheCsrMap) {
  // Beyond 20 bits: refused before sending (the endpoint would drop the whole request).
  auto bus = Bus::open(server_->udp_uri() + "?timeout_ms=5&retries=1");
  try {
    bus->read(0x0010'0000);
    FAIL() << "read beyond 20 bits";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -EFAULT);
    EXPECT_EQ(std::string(e.what()),
              bus->uri() + ": read 0x00100000: beyond the 20-bit CSR addresses the Etherbone "
                           "endpoint accepts (it would drop the whole request)");
  }
  // Inside 20 bits the simulated board accepts every word, as the boards' endpoint does
  // (EbWholeMap): the NET page 0x0_e000 (the network stack's; not simulated) reads 0, and the
  // map command block and the map value window answer too.
  EXPECT_EQ(bus->read(0x0'e000), 0u);
  EXPECT_NO_THROW(bus->read(0x0'2000));   // KBUF
  EXPECT_NO_THROW(bus->read(0x6'0000));   // map value window
  // An endpoint that drops a request for an address outside its CSR map (a narrower map,
  // EbWholeMap = 0): the host times out and says why that may be.
  test::FakeEtherbone narrow([](const std::vector<uint8_t>& req)
                                 -> std::optional<std::vector<uint8_t>> {
    etherbone::Packet p;
    std::string why;
    if (!etherbone::decode(req, &p, &why)) return std::nullopt;
    for (const etherbone::Record& r : p.records) {
      for (uint32_t a : r.reads) {
        if (a >= 0x5'0000) return std::nullopt;   // dropped: outside this endpoint's map
      }
    }
    return test::FakeEtherbone::registers({{csr::kId, csr::kCoreId}})(req);
  });
  auto nbus = Bus::open(narrow.uri("timeout_ms=5&retries=1"));
  try {
    nbus->read(0x5'0000);
    FAIL() << "read outside the map";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ETIMEDOUT);
    EXPECT_NE(std::string(e.what()).find("the endpoint drops a request that touches an address "
                                         "outside its CSR map"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(nbus->read(csr::kId), csr::kCoreId);
  EXPECT_EQ(bus->read(csr::kId), csr::kCoreId);
}

}  // namespace
}  // namespace ebpf
