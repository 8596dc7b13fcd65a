// Shared by the tests of ebpf-fpga run/compare: running the CLI, writing pcap files byte by
// byte (good and broken), where the firmware objects and corpora are, and the reference: the
// interpreter driven directly through ebpf::Engine (not through XdpSession).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/map_init.h"
#include "ebpf_fpga/maps.h"

namespace xdptest {

// Whether clang (with the BPF target) was found at configure time: then every firmware and
// test object is built, and a missing one is a failure, not a skip.
#if EBPF_FPGA_HAVE_BPF_CLANG
inline constexpr bool kHaveBpfClang = true;
#else
inline constexpr bool kHaveBpfClang = false;
#endif

// In a test body or SetUp: `cond` says the objects/corpora the test needs exist. Fails when
// clang was found at configure time (they must have been built), skips when it was not.
#define XDP_NEED_BUILT(cond, what)                                                     \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      if (::xdptest::kHaveBpfClang) {                                                  \
        FAIL() << (what) << " is missing although clang was found at configure time"; \
      } else {                                                                         \
        GTEST_SKIP() << (what) << " not built (no clang at configure time)";           \
      }                                                                                \
    }                                                                                  \
  } while (0)

using Bytes = std::vector<uint8_t>;

struct CliResult {
  int status = -1;  // exit status
  std::string out, err;
};
// Runs build/host/cli/ebpf-fpga with `args` (each passed as one argument).
CliResult run_cli(const std::vector<std::string>& args);

std::string temp_dir();  // a fresh folder for this test
std::string firmware_dir();
std::string firmware_object(const std::string& name);  // empty when not built
std::string corpus(const std::string& name, const std::string& ext);  // empty when absent
std::string test_object(const std::string& name);      // tests/xdp/objects/<name>.o

// A classic pcap file: 24-byte header with `linktype`, then one record per frame.
Bytes pcap_bytes(const std::vector<Bytes>& frames, uint32_t linktype = 1);
void write_bytes(const std::string& path, const Bytes& bytes);
std::string read_text(const std::string& path);

// An Ethernet frame of `size` bytes with the given EtherType; payload bytes count up.
Bytes frame(uint16_t ethertype, size_t size, uint8_t first = 0x02);

struct RefPacket {
  ebpf::RunResult result;
  Bytes data, meta;
};
struct RefRun {
  std::vector<RefPacket> packets;
  std::vector<std::vector<ebpf::MapEntry>> maps;  // per map, sorted by key
  std::vector<std::string> map_names;
};
// The interpreter, driven through Engine::load_programs/configure_maps/run.
RefRun reference_run(const std::string& object, const std::string& entry,
                     const std::vector<Bytes>& frames, const std::string& map_init_path,
                     uint64_t budget = 1'000'000);

Bytes unhex(const std::string& s);
std::string hex(const Bytes& b);

}  // namespace xdptest
