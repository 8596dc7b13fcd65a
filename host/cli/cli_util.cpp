// Helpers shared by the command-line tools (see cli_util.h).
#include "cli_util.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "ebpf_fpga/error.h"

namespace ebpf::cli {

std::vector<uint8_t> read_file(const std::string& path) {
  if (path == "-") {
    std::vector<uint8_t> out((std::istreambuf_iterator<char>(std::cin)),
                             std::istreambuf_iterator<char>());
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::vector<uint8_t> out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path + ": read error");
  return out;
}

std::string read_text_file(const std::string& path) {
  const std::vector<uint8_t> b = read_file(path);
  return std::string(b.begin(), b.end());
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  if (path == "-") {
    std::cout.write(reinterpret_cast<const char*>(bytes.data()),
                    static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    if (!std::cout) throw Error("cannot write to standard output");
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(path + ": cannot create: " + std::strerror(errno));
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error(path + ": write error");
}

std::vector<uint8_t> parse_hex_bytes(std::string_view text, std::string_view what) {
  std::vector<uint8_t> out;
  size_t i = 0;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    const std::string_view tok = text.substr(start, i - start);
    for (size_t k = 0; k < tok.size(); ++k) {
      const char c = tok[k];
      if (nibble(c) < 0) {
        const std::string shown = std::isprint(static_cast<unsigned char>(c))
                                      ? std::string(1, c)
                                      : "byte " + std::to_string(static_cast<unsigned char>(c));
        throw Error(std::string(what) + ": expected hex digits, got '" + shown + "' in '" +
                    std::string(tok.substr(0, 32)) + "' at character " +
                    std::to_string(start + k + 1));
      }
    }
    if (tok.size() % 2 != 0) {
      throw Error(std::string(what) + ": odd number of hex digits in '" +
                  std::string(tok.substr(0, 32)) + "' at character " +
                  std::to_string(start + 1) + " (bytes are two hex digits each)");
    }
    for (size_t k = 0; k < tok.size(); k += 2) {
      out.push_back(static_cast<uint8_t>(nibble(tok[k]) * 16 + nibble(tok[k + 1])));
    }
  }
  return out;
}

uint8_t parse_cpu_version(std::string_view text) {
  std::string_view t = text;
  if (!t.empty() && (t[0] == 'v' || t[0] == 'V')) t.remove_prefix(1);
  if (t.size() == 1 && t[0] >= '1' && t[0] <= '4') return static_cast<uint8_t>(t[0] - '0');
  throw Error("--cpu-version: expected v1, v2, v3 or v4, got '" + std::string(text) + "'");
}

}  // namespace ebpf::cli
