// Firmware corpus files: see corpus.h.
#include "corpus.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ebpf_fpga/error.h"

namespace ebpf::kernel {
namespace {

uint32_t le32(const Bytes& b, size_t off) {
  return static_cast<uint32_t>(b[off]) | static_cast<uint32_t>(b[off + 1]) << 8 |
         static_cast<uint32_t>(b[off + 2]) << 16 | static_cast<uint32_t>(b[off + 3]) << 24;
}

Bytes unhex(const std::string& where, const std::string& s) {
  if (s.size() % 2 != 0) throw Error(where + ": odd number of hex digits");
  Bytes out;
  out.reserve(s.size() / 2);
  auto digit = [&](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    throw Error(where + ": '" + std::string(1, c) + "' is not a hex digit");
  };
  for (size_t i = 0; i < s.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(digit(s[i]) << 4 | digit(s[i + 1])));
  }
  return out;
}

}  // namespace

std::string to_hex(const Bytes& b) {
  static const char* const kDigits = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (uint8_t v : b) {
    s += kDigits[v >> 4];
    s += kDigits[v & 15];
  }
  return s;
}

std::vector<Bytes> read_pcap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  const Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file.size() < 24)
    throw Error(path + ": " + std::to_string(file.size()) +
                " bytes, shorter than a pcap file header (24)");
  const uint32_t magic = le32(file, 0);
  const bool swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
  if (!swap && magic != 0xa1b2c3d4u && magic != 0xa1b23c4du) {
    throw Error(path + ": not a pcap file (magic 0x" +
                to_hex(Bytes(file.begin(), file.begin() + 4)) + ")");
  }
  auto word = [&](size_t off) {
    return swap ? __builtin_bswap32(le32(file, off)) : le32(file, off);
  };
  std::vector<Bytes> frames;
  for (size_t off = 24; off < file.size();) {
    if (off + 16 > file.size()) {
      throw Error(path + ": byte " + std::to_string(off) + ": truncated record header");
    }
    const uint32_t caplen = word(off + 8);
    if (caplen > file.size() - off - 16) {
      throw Error(path + ": byte " + std::to_string(off) + ": record of " + std::to_string(caplen) +
                  " bytes runs past the end of the file");
    }
    const auto first = file.begin() + static_cast<std::ptrdiff_t>(off + 16);
    frames.emplace_back(first, first + caplen);
    off += 16 + static_cast<size_t>(caplen);
  }
  return frames;
}

std::vector<Expectation> read_expect(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  std::vector<Expectation> out;
  size_t lineno = 0;
  for (std::string line; std::getline(in, line);) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string index, action, what;
    std::getline(fields, index, '\t');
    std::getline(fields, action, '\t');
    std::getline(fields, what);
    try {
      if (std::stoul(index) != out.size()) throw Error("index out of order");
      out.push_back({static_cast<uint32_t>(std::stoul(action)), what});
    } catch (const std::exception& e) {
      throw Error(path + ":" + std::to_string(lineno) + ": expected <index>\\t<action>\\t<text> (" +
                  e.what() + ")");
    }
  }
  return out;
}

std::vector<MapInit> read_map_init(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    throw Error(path + ": not JSON: " + e.what());
  }
  if (!j.is_object()) throw Error(path + ": expected an object of map names");
  std::vector<MapInit> out;
  for (const auto& [name, entries] : j.items()) {
    if (!entries.is_array()) throw Error(path + ": map '" + name + "': expected an array");
    for (size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      const std::string where = path + ": map '" + name + "' entry " + std::to_string(i);
      if (!e.is_object() || !e.contains("key") || !e.contains("value") || !e["key"].is_string() ||
          !e["value"].is_string()) {
        throw Error(where + ": expected {\"key\": \"hex\", \"value\": \"hex\"}");
      }
      out.push_back({name, unhex(where + " key", e["key"].get<std::string>()),
                     unhex(where + " value", e["value"].get<std::string>())});
    }
  }
  return out;
}

void apply_map_init(MapAccess& maps, const std::vector<MapInit>& entries) {
  for (const MapInit& e : entries) {
    uint32_t index = maps.map_count();
    for (uint32_t i = 0; i < maps.map_count(); ++i) {
      if (maps.spec(i).name == e.map) index = i;
    }
    if (index == maps.map_count()) throw Error("map-init: no map named '" + e.map + "'");
    const MapSpec& s = maps.spec(index);
    Bytes value = e.value;
    const uint32_t host = host_value_size(s, maps.cores());
    if (map_is_percpu(s.type) && value.size() == s.value_size && host != s.value_size) {
      const uint32_t stride = map_value_stride(s.value_size);
      Bytes all(host, 0);
      for (uint32_t c = 0; c < maps.cores(); ++c) {
        std::memcpy(all.data() + size_t{c} * stride, value.data(), value.size());
      }
      value = std::move(all);
    }
    if (e.key.size() != s.key_size || value.size() != host) {
      throw Error("map-init: map '" + e.map + "': key of " + std::to_string(e.key.size()) +
                  " bytes and value of " + std::to_string(e.value.size()) + ", expected " +
                  std::to_string(s.key_size) + " and " + std::to_string(host));
    }
    if (const int err = maps.update(index, e.key, value, kBpfAny); err != 0) {
      throw Error("map-init: map '" + e.map + "' key " + to_hex(e.key) + ": update failed: " +
                  std::strerror(-err) + " (errno " + std::to_string(-err) + ")");
    }
  }
}

}  // namespace ebpf::kernel
