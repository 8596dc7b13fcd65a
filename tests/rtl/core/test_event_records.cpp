// The event FIFO parser of the bus-driven engines (host/src/device/csr_protocol.h,
// parse_event_records) on well-formed and malformed device answers, without the RTL: records
// are encoded here from the layout of docs/register-map.md "Event FIFO".
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "csr_protocol.h"
#include "ebpf_csr_map.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/helpers.h"

namespace ebpf {
namespace {

// Appends one record: header (kind, map, byte count, flags), the bytes, padding to 8.
void put_record(std::vector<uint8_t>& fifo, uint8_t kind, uint16_t map, uint32_t len,
                uint64_t flags, const std::vector<uint8_t>& data) {
  const uint64_t h0 = kind | (uint64_t{map} << 16) | (uint64_t{len} << 32);
  const size_t at = fifo.size();
  fifo.resize(at + 16);
  std::memcpy(fifo.data() + at, &h0, 8);
  std::memcpy(fifo.data() + at + 8, &flags, 8);
  fifo.insert(fifo.end(), data.begin(), data.end());
  while (fifo.size() % 8 != 0) fifo.push_back(0);
}

// The error message of parse_event_records, or "" when it does not throw.
std::string parse_error(const std::vector<uint8_t>& fifo, uint32_t count) {
  try {
    (void)device::parse_event_records(fifo, count, 0);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(EventRecords, ParsesEveryKindAndPadding) {
  std::vector<uint8_t> fifo;
  const std::vector<uint8_t> a = {1, 2, 3};
  const std::vector<uint8_t> b(24, 0xab);
  const std::vector<uint8_t> c = {9, 8, 7, 6, 5, 4, 3, 2, 1};
  put_record(fifo, 1, 0, 3, 0, a);
  put_record(fifo, 2, 5, 24, helper_limits::kBpfFCurrentCpu, b);
  put_record(fifo, 2, 6, 9, 0x1'0000'0003ull, c);
  put_record(fifo, 3, 7, 0, 0, {});
  const std::vector<Event> ev = device::parse_event_records(fifo, 4, 11);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0], (Event{.kind = EventKind::kTracePrintk, .bytes = a}));
  EXPECT_EQ(ev[1], (Event{.kind = EventKind::kPerfEventOutput, .map = 5, .index = 11,
                          .flags = helper_limits::kBpfFCurrentCpu, .bytes = b}));
  EXPECT_EQ(ev[2], (Event{.kind = EventKind::kPerfEventOutput, .map = 6, .index = 3,
                          .flags = 0x1'0000'0003ull, .bytes = c}));
  EXPECT_EQ(ev[3], (Event{.kind = EventKind::kRingbufOutput, .map = 7}));
  // EVT_BYTES may stop at the last record's bytes (its padding not counted).
  fifo.resize(fifo.size() - 16 - 7);  // drop the empty ringbuf record and c's padding
  EXPECT_EQ(device::parse_event_records(fifo, 3, 11).size(), 3u);
  EXPECT_TRUE(device::parse_event_records({}, 0, 0).empty());
}

TEST(EventRecords, RejectsUnknownKindsNamingTheWord) {
  for (const int kind : {0, 4, 0x80, 0xff}) {
    std::vector<uint8_t> fifo;
    put_record(fifo, 1, 0, 8, 0, std::vector<uint8_t>(8, 1));
    put_record(fifo, static_cast<uint8_t>(kind), 0, 0, 0, {});
    const std::string err = parse_error(fifo, 2);
    EXPECT_NE(err.find("unknown event kind " + std::to_string(kind)), std::string::npos) << err;
    EXPECT_NE(err.find("word 6 (byte 24)"), std::string::npos) << err;
  }
}

TEST(EventRecords, RejectsRecordsPastTheEnd) {
  std::vector<uint8_t> fifo;
  put_record(fifo, 3, 1, 16, 0, std::vector<uint8_t>(16, 2));
  std::vector<uint8_t> cut(fifo.begin(), fifo.end() - 1);
  std::string err = parse_error(cut, 1);
  EXPECT_NE(err.find("runs past the end"), std::string::npos) << err;
  EXPECT_NE(err.find("word 0"), std::string::npos) << err;
  // A byte count near 4 GiB must not wrap the bounds check.
  std::vector<uint8_t> huge;
  put_record(huge, 3, 1, 0xffff'fff8u, 0, {});
  err = parse_error(huge, 1);
  EXPECT_NE(err.find("runs past the end"), std::string::npos) << err;
  // Trailing bytes shorter than a header.
  std::vector<uint8_t> tail = fifo;
  tail.resize(tail.size() + 8);
  err = parse_error(tail, 1);
  EXPECT_NE(err.find("less than a 16-byte record header"), std::string::npos) << err;
  EXPECT_NE(err.find("word 8 (byte 32)"), std::string::npos) << err;
}

TEST(EventRecords, RejectsCountMismatchAndOversizedFifo) {
  std::vector<uint8_t> fifo;
  put_record(fifo, 1, 0, 4, 0, {1, 2, 3, 4});
  put_record(fifo, 1, 0, 4, 0, {5, 6, 7, 8});
  EXPECT_NE(parse_error(fifo, 1).find("more records than EVT_COUNT (1)"), std::string::npos);
  EXPECT_NE(parse_error(fifo, 3).find("EVT_COUNT is 3"), std::string::npos);
  EXPECT_EQ(parse_error(fifo, 2), "");
  const std::vector<uint8_t> big(device::kEventWindowBytes + 8, 0);
  EXPECT_NE(parse_error(big, 0).find("at most"), std::string::npos);
}

// read_run_extras over a fake device: an EVT_BYTES beyond the FIFO is rejected before any
// window read, and a well-formed FIFO comes back as events.
class FakeDevice final : public device::CsrIo {
 public:
  uint32_t evt_bytes = 0, evt_count = 0;
  std::vector<uint8_t> fifo;
  size_t window_reads = 0;
  void write(uint32_t, uint32_t) override {}
  uint32_t read(uint32_t addr) override {
    if (addr == csr::kEvtBytes) return evt_bytes;
    if (addr == csr::kEvtCount) return evt_count;
    if (addr >= csr::kWinEvents && addr < csr::kWinEvents + device::kEventWindowBytes) {
      ++window_reads;
      uint32_t v = 0;
      const uint32_t off = addr - csr::kWinEvents;
      if (off + 4 <= fifo.size()) std::memcpy(&v, fifo.data() + off, 4);
      return v;
    }
    return 0;
  }
};

TEST(EventRecords, ReadRunExtrasCapsEvtBytes) {
  FakeDevice dev;
  RunResult res;
  MemoryImage mem;
  dev.evt_bytes = 0x8000'0000u;
  dev.evt_count = 1;
  try {
    device::read_run_extras(dev, res, mem, 0);
    ADD_FAILURE() << "no error for EVT_BYTES 0x80000000";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("EVT_BYTES is 2147483648"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(dev.window_reads, 0u);

  put_record(dev.fifo, 3, 2, 5, 0, {1, 2, 3, 4, 5});
  dev.evt_bytes = static_cast<uint32_t>(dev.fifo.size());
  device::read_run_extras(dev, res, mem, 0);
  ASSERT_EQ(res.events.size(), 1u);
  EXPECT_EQ(res.events[0],
            (Event{.kind = EventKind::kRingbufOutput, .map = 2, .bytes = {1, 2, 3, 4, 5}}));
}

}  // namespace
}  // namespace ebpf
