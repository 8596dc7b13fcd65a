// --map-init JSON: parsing (nlohmann-json) and applying through MapAccess.
#include "ebpf_fpga/map_init.h"

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string json_type(const nlohmann::json& j) { return j.type_name(); }

}  // namespace

std::string to_hex(const std::vector<uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

std::vector<uint8_t> from_hex(std::string_view text, const std::string& what) {
  std::vector<uint8_t> out;
  int high = -1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (high >= 0) throw Error(what + ": odd number of hex digits before char " + std::to_string(i));
      continue;
    }
    const int d = hex_digit(c);
    if (d < 0) {
      throw Error(what + ": bad hex digit '" + std::string(1, c) + "' at char " + std::to_string(i));
    }
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | d));
      high = -1;
    }
  }
  if (high >= 0) throw Error(what + ": odd number of hex digits");
  return out;
}

MapInit parse_map_init(std::string_view text, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(source + ": invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  }
  if (!doc.is_object()) {
    throw Error(source + ": expected an object {\"map_name\": [{\"key\": HEX, \"value\": HEX}]}, "
                "got " + json_type(doc));
  }
  MapInit init;
  for (const auto& [name, entries] : doc.items()) {
    const std::string where = source + ": map '" + name + "'";
    if (!entries.is_array()) throw Error(where + ": expected an array of entries, got " + json_type(entries));
    MapInitMap m{name, {}};
    for (size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      const std::string at = where + " entry " + std::to_string(i);
      if (!e.is_object()) throw Error(at + ": expected {\"key\": HEX, \"value\": HEX}, got " + json_type(e));
      for (const auto& [field, v] : e.items()) {
        if (field != "key" && field != "value") throw Error(at + ": unknown field '" + field + "'");
      }
      MapInitEntry entry;
      for (const char* field : {"key", "value"}) {
        auto it = e.find(field);
        if (it == e.end()) throw Error(at + ": missing \"" + field + "\"");
        if (!it->is_string()) {
          throw Error(at + ": \"" + field + "\" must be a hex string, got " + json_type(*it));
        }
        auto bytes = from_hex(it->get_ref<const std::string&>(), at + ": " + field);
        (std::strcmp(field, "key") == 0 ? entry.key : entry.value) = std::move(bytes);
      }
      m.entries.push_back(std::move(entry));
    }
    init.push_back(std::move(m));
  }
  return init;
}

MapInit read_map_init_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return parse_map_init(s.str(), path);
}

void apply_map_init(MapAccess& maps, const MapInit& init, const std::string& source) {
  for (const MapInitMap& m : init) {
    std::optional<uint32_t> index;
    for (uint32_t i = 0; i < maps.map_count(); ++i) {
      if (maps.spec(i).name == m.name) index = i;
    }
    if (!index) {
      std::string known;
      for (uint32_t i = 0; i < maps.map_count(); ++i) {
        known += (i ? ", " : "") + maps.spec(i).name;
      }
      throw Error(source + ": unknown map '" + m.name + "' (the object's maps: " +
                  (known.empty() ? "none" : known) + ")");
    }
    const MapSpec& spec = maps.spec(*index);
    const uint32_t full = host_value_size(maps, *index);
    for (size_t i = 0; i < m.entries.size(); ++i) {
      const MapInitEntry& e = m.entries[i];
      const std::string at = source + ": map '" + m.name + "' entry " + std::to_string(i);
      if (e.key.size() != spec.key_size) {
        throw Error(at + ": key has " + std::to_string(e.key.size()) + " bytes, the map's key_size is " +
                    std::to_string(spec.key_size));
      }
      std::vector<uint8_t> value = e.value;
      if (map_is_percpu(spec.type) && value.size() == spec.value_size && value.size() != full) {
        // One value for every core, each copy at the 8-byte stride.
        const uint32_t stride = map_value_stride(spec.value_size);
        value.assign(full, 0);
        for (uint32_t c = 0; c < maps.cores(); ++c) {
          std::copy(e.value.begin(), e.value.end(), value.begin() + c * stride);
        }
      }
      if (value.size() != full) {
        std::string want = std::to_string(full);
        if (map_is_percpu(spec.type)) {
          want = std::to_string(spec.value_size) + " (one value for every core) or " + want +
                 " (round_up(value_size, 8) x " + std::to_string(maps.cores()) + " cores)";
        }
        throw Error(at + ": value has " + std::to_string(e.value.size()) + " bytes, expected " + want);
      }
      const int rc = maps.update(*index, e.key, value, kBpfAny);
      if (rc != 0) {
        throw Error(at + ": update failed: " + std::strerror(-rc) + " (errno " +
                    std::to_string(-rc) + ")");
      }
    }
  }
}

}  // namespace ebpf
