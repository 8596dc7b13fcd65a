// pcap files through libpcap. libpcap reads the records; when it reports an error, the record
// header is re-read from the file to say exactly what is wrong and where (classic pcap only:
// pcapng files are read by libpcap but their errors carry no offset).
#include "ebpf_fpga/pcap_io.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

constexpr uint64_t kFileHeaderBytes = 24;
constexpr uint64_t kRecordHeaderBytes = 16;
constexpr uint32_t kMaxSnaplen = 262144;

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};

uint32_t read_u32(const uint8_t* p, bool swapped) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return swapped ? __builtin_bswap32(v) : v;
}

// What is wrong with the record at `offset` of a classic pcap file, read from the raw bytes.
std::string diagnose_record(const std::string& path, uint64_t offset) {
  std::ifstream in(path, std::ios::binary);
  uint8_t header[kFileHeaderBytes];
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return {};
  const uint32_t magic = read_u32(header, false);
  bool swapped;
  if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
    swapped = false;
  } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
    swapped = true;
  } else {
    return {};  // pcapng: no diagnosis of our own
  }
  in.seekg(0, std::ios::end);
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  if (offset + kRecordHeaderBytes > size) {
    return "truncated record header (" + std::to_string(size - offset) + " of " +
           std::to_string(kRecordHeaderBytes) + " bytes present)";
  }
  uint8_t rec[kRecordHeaderBytes];
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in.read(reinterpret_cast<char*>(rec), sizeof rec)) return {};
  const uint32_t caplen = read_u32(rec + 8, swapped);
  const uint64_t remaining = size - offset - kRecordHeaderBytes;
  if (caplen > kMaxSnaplen) {
    return "captured length " + std::to_string(caplen) + " exceeds the maximum " +
           std::to_string(kMaxSnaplen);
  }
  if (caplen > remaining) {
    return "record of " + std::to_string(caplen) + " bytes is longer than the rest of the file (" +
           std::to_string(remaining) + " bytes)";
  }
  return {};
}

// The link type field of a classic pcap header (libpcap maps it to a DLT value, which can
// differ: LINKTYPE_RAW 101 is DLT_RAW 12).
std::optional<uint32_t> raw_linktype(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  uint8_t header[kFileHeaderBytes];
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return std::nullopt;
  const uint32_t magic = read_u32(header, false);
  if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) return read_u32(header + 20, false);
  if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) return read_u32(header + 20, true);
  return std::nullopt;
}

}  // namespace

std::vector<PcapRecord> read_pcap_file(const std::string& path) {
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw Error(path + ": cannot open: " + std::strerror(errno));
  }
  char err[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapCloser> p(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, err));
  if (!p) throw Error(path + ": not a pcap file (" + std::string(err) + ")");
  const int linktype = pcap_datalink(p.get());
  if (linktype != DLT_EN10MB) {
    const char* name = pcap_datalink_val_to_name(linktype);
    const uint32_t shown = raw_linktype(path).value_or(static_cast<uint32_t>(linktype)) & 0xffff;
    throw Error(path + ": linktype " + std::to_string(shown) + " (" +
                (name ? name : "unknown") + ") is not Ethernet (1)");
  }
  const bool pcapng = !raw_linktype(path).has_value();  // libpcap opened it: not classic pcap
  std::vector<PcapRecord> records;
  uint64_t offset = kFileHeaderBytes;
  while (true) {
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(p.get(), &h, &data);
    if (rc == PCAP_ERROR_BREAK) break;  // end of file
    if (rc != 1) {
      // Byte offsets follow the classic pcap layout; pcapng blocks differ: record index only.
      std::string why = pcapng ? std::string() : diagnose_record(path, offset);
      if (why.empty()) why = pcap_geterr(p.get());
      throw Error(path + ": record " + std::to_string(records.size()) +
                  (pcapng ? std::string() : " at byte offset " + std::to_string(offset)) + ": " +
                  why);
    }
    PcapRecord r;
    r.bytes.assign(data, data + h->caplen);
    r.orig_len = h->len;
    r.ts_sec = h->ts.tv_sec;
    r.ts_usec = h->ts.tv_usec;
    records.push_back(std::move(r));
    offset += kRecordHeaderBytes + h->caplen;
  }
  return records;
}

struct PcapWriter::Impl {
  std::string path;
  pcap_t* dead = nullptr;
  pcap_dumper_t* dumper = nullptr;
};

PcapWriter::PcapWriter(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->dead = pcap_open_dead(DLT_EN10MB, static_cast<int>(kMaxSnaplen));
  if (!impl_->dead) throw Error(path + ": cannot create: pcap_open_dead failed");
  impl_->dumper = pcap_dump_open(impl_->dead, path.c_str());
  if (!impl_->dumper) {
    const std::string why = pcap_geterr(impl_->dead);
    pcap_close(impl_->dead);
    impl_->dead = nullptr;
    throw Error(path + ": cannot create: " + why);
  }
}

PcapWriter::~PcapWriter() {
  if (impl_->dumper) pcap_dump_close(impl_->dumper);
  if (impl_->dead) pcap_close(impl_->dead);
}

void PcapWriter::write(const std::vector<uint8_t>& bytes, int64_t ts_sec, int64_t ts_usec) {
  if (!impl_->dumper) throw Error(impl_->path + ": write after close");
  pcap_pkthdr h{};
  h.ts.tv_sec = static_cast<decltype(h.ts.tv_sec)>(ts_sec);
  h.ts.tv_usec = static_cast<decltype(h.ts.tv_usec)>(ts_usec);
  h.caplen = h.len = static_cast<bpf_u_int32>(bytes.size());
  pcap_dump(reinterpret_cast<u_char*>(impl_->dumper), &h, bytes.data());
}

void PcapWriter::close() {
  if (!impl_->dumper) return;
  const bool flush_failed = pcap_dump_flush(impl_->dumper) != 0;
  pcap_dump_close(impl_->dumper);
  impl_->dumper = nullptr;
  pcap_close(impl_->dead);
  impl_->dead = nullptr;
  if (flush_failed) throw Error(impl_->path + ": write failed");
}

}  // namespace ebpf
