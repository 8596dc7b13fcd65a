// docs/register-map.md is the register map's single source of truth for people; the RTL
// packages are its source of truth for the hardware. This test keeps them one: every register
// and window the packages define must be in the document at the same address, and every
// address the document gives must be the packages' (tests/rtl/core checks the C++ mirror,
// sim/ebpf_csr_map.h, against the same packages).
//
//   ebpf_csr_pkg.sv  CSR_* and WIN_*/PAGE_*   <->  "## Registers", "## Memory windows"
//   ebpf_io_pkg.sv   IO_*                     <->  "## Packet I/O page"
//   ebpf_net_pkg.sv  net_reg_e NetReg*        <->  "## NET page"
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(EBPF_FPGA_SOURCE_DIR) + "/" + rel);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint64_t parse_number(std::string digits, bool hex) {
  std::erase(digits, '_');
  return std::stoull(digits, nullptr, hex ? 16 : 10);
}

// localparams of a SystemVerilog package: name -> value (sized hex or decimal literals).
std::map<std::string, uint64_t> sv_localparams(const std::string& text) {
  std::map<std::string, uint64_t> out;
  const std::regex re(
      R"(localparam\s+(?:logic\s*\[[^\]]*\]|int unsigned)\s+(\w+)\s*=\s*(\d+'h)?([0-9a-fA-F_]+)\s*;)");
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
    out[(*it)[1]] = parse_number((*it)[3], (*it)[2].matched);
  }
  return out;
}

// The lines of one "## Heading" section of the document (up to the next "## ").
std::vector<std::string> section(const std::string& doc, const std::string& heading) {
  std::vector<std::string> lines;
  std::istringstream in(doc);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      if (inside) break;
      inside = line == "## " + heading;
      continue;
    }
    if (inside) lines.push_back(line);
  }
  return lines;
}

// The cells of a table row "| a | b | ..." (trimmed, backquotes removed); empty for other lines.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  if (line.empty() || line[0] != '|') return out;
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      std::string t;
      for (char c : cell) {
        if (c != '`') t += c;
      }
      const size_t b = t.find_first_not_of(' ');
      const size_t e = t.find_last_not_of(' ');
      out.push_back(b == std::string::npos ? "" : t.substr(b, e - b + 1));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

// An address cell: "0x0b0", "0x1_0000", "0x100 + 8k" (base 0x100, indexed).
struct DocAddr {
  uint64_t base = 0;
  bool indexed = false;
};
std::optional<DocAddr> doc_addr(const std::string& cell) {
  static const std::regex re(R"(^0x([0-9a-fA-F_]+)(\s*\+\s*\w+)?$)");
  std::smatch m;
  if (!std::regex_match(cell, m, re)) return std::nullopt;
  return DocAddr{parse_number(m[1], true), m[2].matched};
}

// A register entry of the document: NAME at address, `indexed` for NAME(i)/NAME[i]/R<k>_LO.
struct DocReg {
  std::string name;
  uint64_t addr = 0;
  bool indexed = false;
};

// Rows "| `0x...` | `NAME` | ..." of a section. "NAME_LO/HI" gives NAME_LO and NAME_HI (+4).
std::vector<DocReg> doc_registers(const std::vector<std::string>& lines) {
  std::vector<DocReg> regs;
  for (const std::string& line : lines) {
    const auto c = cells(line);
    if (c.size() < 2) continue;
    const auto a = doc_addr(c[0]);
    if (!a) continue;
    std::string name = c[1];
    bool indexed = a->indexed;
    for (const char* open : {"(", "[", "<"}) {
      const size_t p = name.find(open);
      if (p != std::string::npos) {
        const size_t q = name.find_first_of(")]>", p);
        name.erase(p, q == std::string::npos ? std::string::npos : q - p + 1);
        indexed = true;
      }
    }
    if (name.size() > 3 && name.ends_with("_LO/HI")) {
      const std::string stem = name.substr(0, name.size() - 6);
      regs.push_back({stem + "_LO", a->base, indexed});
      regs.push_back({stem + "_HI", a->base + 4, indexed});
    } else {
      regs.push_back({name, a->base, indexed});
    }
  }
  return regs;
}

std::string upper_snake(const std::string& camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    if (i > 0 && std::isupper(static_cast<unsigned char>(camel[i]))) out += '_';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(camel[i])));
  }
  return out;
}

class RegisterMap : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = slurp("docs/register-map.md");
    ASSERT_FALSE(doc_.empty()) << "docs/register-map.md not found";
  }
  std::string doc_;
};

TEST_F(RegisterMap, CoreRegistersMatchEbpfCsrPkg) {
  const std::string pkg = slurp("rtl/pkg/ebpf_csr_pkg.sv");
  ASSERT_FALSE(pkg.empty());
  const auto sv = sv_localparams(pkg);
  const auto lines = section(doc_, "Registers");
  ASSERT_FALSE(lines.empty()) << "no '## Registers' section";
  const auto regs = doc_registers(lines);
  // Indexed rows name a window of the package by its base.
  const std::map<std::string, std::pair<std::string, uint64_t>> windows = {
      {"R_LO", {"CSR_REGS", 0}},        {"R_HI", {"CSR_REGS", 4}},
      {"PROG_FIRST", {"CSR_PROGS", 0}}, {"PROG_LEN", {"CSR_PROGS", 4}},
      {"MINFO", {"CSR_MINFO", 0}},
  };
  std::set<std::string> documented;
  for (const DocReg& r : regs) {
    std::string sv_name = "CSR_" + r.name;
    uint64_t delta = 0;
    if (r.indexed && windows.count(r.name)) {
      sv_name = windows.at(r.name).first;
      delta = windows.at(r.name).second;
    }
    SCOPED_TRACE("docs/register-map.md row " + r.name);
    auto it = sv.find(sv_name);
    ASSERT_NE(it, sv.end()) << sv_name << " (documented at 0x" << std::hex << r.addr
                            << ") is not in rtl/pkg/ebpf_csr_pkg.sv";
    EXPECT_EQ(it->second + delta, r.addr) << sv_name;
    documented.insert(sv_name);
  }
  for (const auto& [name, value] : sv) {
    if (name.rfind("CSR_", 0) != 0 || name.ends_with("_END")) continue;
    EXPECT_TRUE(documented.count(name))
        << name << " = 0x" << std::hex << value
        << " is in ebpf_csr_pkg.sv but not in docs/register-map.md '## Registers'";
  }
}

TEST_F(RegisterMap, WindowsMatchEbpfCsrPkg) {
  const auto sv = sv_localparams(slurp("rtl/pkg/ebpf_csr_pkg.sv"));
  std::set<uint64_t> doc_bases;
  for (const std::string& line : section(doc_, "Memory windows")) {
    const auto c = cells(line);
    if (c.empty()) continue;
    if (const auto a = doc_addr(c[0])) doc_bases.insert(a->base);
  }
  ASSERT_FALSE(doc_bases.empty()) << "no rows in '## Memory windows'";
  std::set<uint64_t> sv_bases;
  for (const auto& [name, value] : sv) {
    if (name.rfind("WIN_", 0) != 0 && name.rfind("PAGE_", 0) != 0) continue;
    sv_bases.insert(value);
    EXPECT_TRUE(doc_bases.count(value))
        << name << " = 0x" << std::hex << value << " has no row in '## Memory windows'";
  }
  for (uint64_t base : doc_bases) {
    EXPECT_TRUE(sv_bases.count(base)) << "'## Memory windows' lists 0x" << std::hex << base
                                      << ", which no WIN_*/PAGE_* of ebpf_csr_pkg.sv is";
  }
}

TEST_F(RegisterMap, IoPageMatchesEbpfIoPkg) {
  const auto sv = sv_localparams(slurp("rtl/io/ebpf_io_pkg.sv"));
  ASSERT_TRUE(sv.count("IoCsrBase"));
  EXPECT_NE(doc_.find("## Packet I/O page"), std::string::npos);
  const auto regs = doc_registers(section(doc_, "Packet I/O page"));
  ASSERT_FALSE(regs.empty()) << "no rows in '## Packet I/O page'";
  std::set<std::string> documented;
  for (const DocReg& r : regs) {
    auto it = sv.find(r.name);
    ASSERT_NE(it, sv.end()) << r.name << " is not in rtl/io/ebpf_io_pkg.sv";
    EXPECT_EQ(it->second, r.addr) << r.name;
    documented.insert(r.name);
  }
  for (const auto& [name, value] : sv) {
    if (name.rfind("IO_", 0) != 0) continue;
    EXPECT_TRUE(documented.count(name)) << name << " = 0x" << std::hex << value
                                        << " is not in '## Packet I/O page'";
  }
  // The page is where both packages say.
  const auto csr = sv_localparams(slurp("rtl/pkg/ebpf_csr_pkg.sv"));
  EXPECT_EQ(sv.at("IoCsrBase"), csr.at("PAGE_IO"));
}

TEST_F(RegisterMap, NetPageMatchesEbpfNetPkg) {
  const std::string pkg = slurp("boards/common/rtl/ebpf_net_pkg.sv");
  ASSERT_FALSE(pkg.empty());
  std::map<std::string, uint64_t> sv;  // UPPER_SNAKE name -> word index
  const std::regex re(R"(NetReg(\w+)\s*=\s*\d+'d(\d+))");
  for (std::sregex_iterator it(pkg.begin(), pkg.end(), re), end; it != end; ++it) {
    sv[upper_snake((*it)[1])] = std::stoull((*it)[2]);
  }
  ASSERT_GT(sv.size(), 10u);
  std::map<std::string, uint64_t> doc;
  const std::regex range(R"(^(\d+)(?:-(\d+))?$)");
  for (const std::string& line : section(doc_, "NET page")) {
    const auto c = cells(line);
    std::smatch m;
    if (c.size() < 2 || !std::regex_match(c[0], m, range)) continue;
    const uint64_t first = std::stoull(m[1]);
    std::istringstream names(c[1]);
    std::string name;
    uint64_t i = first;
    while (std::getline(names, name, ',')) {
      name.erase(0, name.find_first_not_of(' '));
      doc[name] = i++;
    }
    if (m[2].matched) {
      EXPECT_EQ(i - 1, std::stoull(m[2])) << "row " << c[0];
    }
  }
  ASSERT_FALSE(doc.empty()) << "no rows in '## NET page'";
  EXPECT_EQ(doc, sv) << "'## NET page' (word index per name) differs from net_reg_e";
  const auto csr = sv_localparams(slurp("rtl/pkg/ebpf_csr_pkg.sv"));
  const auto net = sv_localparams(pkg);
  EXPECT_EQ(net.at("NetCsrBase"), csr.at("PAGE_NET"));
}

}  // namespace
