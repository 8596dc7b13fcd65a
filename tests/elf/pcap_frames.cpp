#include "pcap_frames.h"

#include <pcap/pcap.h>

#include <stdexcept>

namespace elftest {

std::vector<std::vector<uint8_t>> read_pcap(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (!p) throw std::runtime_error(path + ": " + err);
  std::vector<std::vector<uint8_t>> frames;
  pcap_pkthdr* h;
  const u_char* data;
  while (pcap_next_ex(p, &h, &data) == 1) frames.emplace_back(data, data + h->caplen);
  pcap_close(p);
  return frames;
}

}  // namespace elftest
