// Reading and writing classic pcap files (libpcap) for `ebpf-fpga run` and `compare`: Ethernet
// frames only (linktype 1). Every error names the file and, for a bad record, its index and
// byte offset in the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ebpf {

struct PcapRecord {
  std::vector<uint8_t> bytes;  // the captured bytes (caplen)
  uint32_t orig_len = 0;       // length on the wire (orig_len >= caplen)
  int64_t ts_sec = 0;
  int64_t ts_usec = 0;         // microseconds (nanosecond files are read as microseconds)
};

// Every record of `path`, in file order. Throws ebpf::Error:
//   "PATH: not a pcap file (...)"                         bad magic or header
//   "PATH: linktype N (NAME) is not Ethernet (1)"         wrong link type
//   "PATH: record I at byte offset O: ..."                truncated record header, a record
//                                                         longer than the rest of the file,
//                                                         a caplen above the snaplen limit
std::vector<PcapRecord> read_pcap_file(const std::string& path);

// Writes Ethernet frames to a new pcap file (microsecond timestamps, snaplen 262144).
class PcapWriter {
 public:
  explicit PcapWriter(const std::string& path);  // throws "PATH: cannot create: reason"
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;
  void write(const std::vector<uint8_t>& bytes, int64_t ts_sec, int64_t ts_usec);
  void close();  // flushes; throws on a write error

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ebpf
