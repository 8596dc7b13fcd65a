// The C++ mirror of the packet I/O page (sim/ebpf_io_map.h, used by the offload library, the
// CLI, the simulated board and sim/xdp_pipeline.h) holds the values of rtl/io/ebpf_io_pkg.sv,
// and mirrors every register the package defines.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "ebpf_csr_map.h"
#include "ebpf_io_map.h"

namespace ebpf {
namespace {

// localparams of a SystemVerilog package: name -> value (sized hex or decimal literals).
std::map<std::string, uint64_t> sv_localparams(const std::string& text) {
  std::map<std::string, uint64_t> out;
  const std::regex re(
      R"(localparam\s+(?:logic\s*\[[^\]]*\]|int unsigned)\s+(\w+)\s*=\s*(\d+'h)?([0-9a-fA-F_]+)\s*;)");
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
    std::string digits = (*it)[3];
    std::erase(digits, '_');
    out[(*it)[1]] = std::stoull(digits, nullptr, (*it)[2].matched ? 16 : 10);
  }
  return out;
}

TEST(IoMap, MatchesEbpfIoPkg) {
  std::ifstream in(std::string(EBPF_FPGA_SOURCE_DIR) + "/rtl/io/ebpf_io_pkg.sv");
  ASSERT_TRUE(in) << "rtl/io/ebpf_io_pkg.sv not found";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::map<std::string, uint64_t> sv = sv_localparams(ss.str());
  ASSERT_GT(sv.size(), 30u) << "the localparams of ebpf_io_pkg.sv were not parsed";

  namespace io = io_csr;
  // Registers: the package gives offsets inside the page, the mirror absolute addresses.
  const std::map<std::string, uint32_t> regs = {
      {"IO_ID", io::kId},
      {"IO_CTRL", io::kCtrl},
      {"IO_STATUS", io::kStatus},
      {"IO_PARAMS", io::kParams},
      {"IO_LAST_VERDICT", io::kLastVerdict},
      {"IO_LAST_OUT", io::kLastOut},
      {"IO_LAST_INFO", io::kLastInfo},
      {"IO_LAST_LEN", io::kLastLen},
      {"IO_CNT_ACTION", io::kCntAction},
      {"IO_CNT_FAULT", io::kCntFault},
      {"IO_CNT_OVERSIZE", io::kCntOversize},
      {"IO_CNT_MALFORMED", io::kCntMalformed},
      {"IO_CNT_REDIR_BAD", io::kCntRedirBad},
      {"IO_CNT_EMPTY", io::kCntEmpty},
      {"IO_CNT_HOST_DROP", io::kCntHostDrop},
      {"IO_CNT_RX_PORT", io::kCntRx},
      {"IO_CNT_TX_PORT", io::kCntTx},
  };
  for (const auto& [name, addr] : regs) {
    ASSERT_TRUE(sv.count(name)) << name << " is not in ebpf_io_pkg.sv";
    EXPECT_EQ(sv.at(name), addr - io::kBase) << name;
  }
  // Every register of the package has its mirror.
  for (const auto& [name, value] : sv) {
    if (name.rfind("IO_", 0) != 0) continue;
    EXPECT_TRUE(regs.count(name)) << name << " = 0x" << std::hex << value
                                  << " is in ebpf_io_pkg.sv but not in sim/ebpf_io_map.h";
  }

  // Bit positions (the mirror holds masks) and the other parameters.
  const std::map<std::string, uint64_t> bits = {
      {"IoCtrlEnable", io::kCtrlEnable},       {"IoCtrlClear", io::kCtrlClear},
      {"IoStatusBusy", io::kStatusBusy},       {"IoStatusRxFrame", io::kStatusRxFrame},
      {"IoStatusTxBusy", io::kStatusTxBusy},   {"IoStatusEnabled", io::kStatusEnabled},
      {"IoInfoSent", io::kInfoSent},
  };
  for (const auto& [name, mask] : bits) {
    ASSERT_TRUE(sv.count(name)) << name << " is not in ebpf_io_pkg.sv";
    EXPECT_EQ(uint64_t{1} << sv.at(name), mask) << name;
  }
  const std::map<std::string, uint64_t> values = {
      {"IoCsrBase", io::kBase},
      {"IoCsrPageBits", io::kPageBits},
      {"IoId", io::kIdValue},
      {"IoStatusStateLsb", io::kStatusStateLsb},
      {"IoInfoActionLsb", io::kInfoActionLsb},
      {"IoInfoFaultLsb", io::kInfoFaultLsb},
      {"IoInfoInPortLsb", io::kInfoInPortLsb},
      {"IoInfoOutPortLsb", io::kInfoOutPortLsb},
      {"IoNumFaults", io::kNumFaults},
      {"IoMaxPorts", io::kMaxPorts},
  };
  for (const auto& [name, value] : values) {
    ASSERT_TRUE(sv.count(name)) << name << " is not in ebpf_io_pkg.sv";
    EXPECT_EQ(sv.at(name), value) << name;
  }
  // The page is where the CSR map puts it.
  EXPECT_EQ(io::kBase, csr::kPageIo);
}

}  // namespace
}  // namespace ebpf
