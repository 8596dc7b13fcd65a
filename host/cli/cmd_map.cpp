// ebpf-fpga map { list | dump NAME | lookup NAME key HEX.. | update NAME key HEX.. value HEX..
//                 [any|exist|noexist] | delete NAME key HEX.. } [--device URI] [--json]
//
// bpftool's map commands on the object loaded on a device (found through its OBJINFO
// manifest), or on one loaded in this process with --object (docs/cli/map.md).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/error.h"

namespace ebpf::cli {
namespace {

struct KeyValue {
  std::vector<uint8_t> key, value;
  bool has_value = false;
  uint64_t flags = kBpfAny;
};

// bpftool's argument syntax: key BYTE.. [value BYTE..] [any|exist|noexist]. A byte is two
// hex digits with an optional 0x; longer even-length hex runs are several bytes.
KeyValue parse_key_value(const std::vector<std::string>& words, bool want_value, bool want_flags,
                         const std::string& cmd) {
  KeyValue kv;
  enum { kNone, kKey, kValue } part = kNone;
  bool seen_key = false, seen_flag = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "key") {
      part = kKey;
      seen_key = true;
      continue;
    }
    if (w == "value" && want_value) {
      part = kValue;
      kv.has_value = true;
      continue;
    }
    if (w == "hex") continue;
    if (want_flags && (w == "any" || w == "exist" || w == "noexist")) {
      kv.flags = w == "any" ? kBpfAny : w == "exist" ? kBpfExist : kBpfNoexist;
      seen_flag = true;
      continue;
    }
    if (part == kNone || seen_flag) {
      throw Error("unexpected '" + w + "' (word " + std::to_string(i + 1) + "); expected: " + cmd +
                  " NAME key BYTES" + (want_value ? " value BYTES" : "") +
                  (want_flags ? " [any|exist|noexist]" : ""));
    }
    std::string_view t = w;
    if (t.starts_with("0x") || t.starts_with("0X")) t.remove_prefix(2);
    const std::string what = std::string(part == kKey ? "key" : "value") + " byte " +
                             std::to_string((part == kKey ? kv.key : kv.value).size() + 1);
    const std::vector<uint8_t> b = parse_hex_bytes(t, what + " ('" + w + "')");
    auto& dst = part == kKey ? kv.key : kv.value;
    dst.insert(dst.end(), b.begin(), b.end());
  }
  if (!seen_key) throw Error("missing 'key BYTES' (e.g. key 0a 00 00 01)");
  if (want_value && !kv.has_value) throw Error("missing 'value BYTES' (e.g. value 01 00 00 00)");
  return kv;
}

std::string hex_compact(const std::vector<uint8_t>& b) {
  std::string s;
  char buf[4];
  for (uint8_t c : b) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    s += buf;
  }
  return s;
}

std::string errno_text(int rc) {
  const int e = -rc;
  const char* name = e == ENOENT ? "ENOENT" : e == EEXIST ? "EEXIST" : e == E2BIG ? "E2BIG"
                   : e == EINVAL ? "EINVAL" : e == ENOMEM ? "ENOMEM" : e == EPERM ? "EPERM"
                   : e == 524 ? "ENOTSUPP" : "errno";
  return std::string(name) + " (" + std::to_string(rc) +
         (e == 524 ? "" : ": " + std::string(std::strerror(e))) + ")";
}

void print_entry(const OffloadMap& m, const std::vector<uint8_t>& key,
                 const std::vector<uint8_t>& value, uint32_t cores) {
  if (map_is_percpu(static_cast<MapType>(m.spec().type))) {
    std::printf("key: %s\n", hex_spaced(key).c_str());
    const uint32_t stride = map_value_stride(m.spec().value_size);
    for (uint32_t c = 0; c < cores && (c + 1) * stride <= value.size(); ++c) {
      const std::span<const uint8_t> v(value.data() + c * stride, m.spec().value_size);
      std::printf("value (CPU %02u): %s\n", c, hex_spaced(v).c_str());
    }
    return;
  }
  std::printf("key: %s  value: %s\n", hex_spaced(key).c_str(), hex_spaced(value).c_str());
}

}  // namespace

int cmd_map(int argc, const char* const* argv) {
  CLI::App app{"Maps of the object loaded on a device, as bpftool map does for the kernel "
               "(docs/cli/map.md).",
               "ebpf-fpga map"};
  app.require_subcommand(1);
  std::string uri = "sim:", name;
  bool json = false;
  LoadArgs args;
  std::vector<std::string> words;
  auto common = [&](CLI::App* s) {
    s->add_option("--device", uri, kDeviceHelp)->capture_default_str();
    add_load_options(*s, args, false);
  };
  CLI::App* list = app.add_subcommand("list", "the object's maps");
  list->alias("show");
  list->add_flag("--json", json, "one JSON array");
  common(list);
  CLI::App* dump = app.add_subcommand("dump", "every entry of a map");
  dump->add_option("NAME", name, "map name")->required();
  dump->add_flag("--json", json, "one JSON array");
  common(dump);
  CLI::App* lookup = app.add_subcommand("lookup", "one entry: lookup NAME key BYTES");
  CLI::App* update = app.add_subcommand(
      "update", "write an entry: update NAME key BYTES value BYTES [any|exist|noexist]");
  CLI::App* del = app.add_subcommand("delete", "remove an entry: delete NAME key BYTES");
  for (CLI::App* s : {lookup, update, del}) {
    s->add_option("NAME", name, "map name")->required();
    s->add_option("ARGS", words, "key BYTES [value BYTES] [any|exist|noexist]")->required();
    s->add_flag("--json", json, "JSON output");
    common(s);
  }
  if (auto rc = parse_args(app, argc, argv)) return *rc;
  const std::string cmd = app.get_subcommands().front()->get_name();
  try {
    KeyValue kv;
    if (lookup->parsed()) kv = parse_key_value(words, false, false, "lookup");
    if (update->parsed()) kv = parse_key_value(words, true, true, "update");
    if (del->parsed()) kv = parse_key_value(words, false, false, "delete");
    Device dev = Device::open(uri);
    OffloadObject off = open_or_load(dev, args);
    const uint32_t cores = off.manifest().cores;
    if (list->parsed()) {
      std::string s = "[";
      for (OffloadMap& m : off.maps()) {
        const ManifestMap& mm = m.spec();
        if (json) {
          s += std::string(s.size() > 1 ? ", " : "") + "{\"id\": " + std::to_string(mm.index) +
               ", \"name\": " + json_quote(mm.name) + ", \"type\": " +
               json_quote(map_type_name(mm.type)) + ", \"key\": " +
               std::to_string(mm.key_size) + ", \"value\": " + std::to_string(mm.value_size) +
               ", \"max_entries\": " + std::to_string(mm.max_entries) + ", \"flags\": " +
               std::to_string(mm.flags) + "}";
        } else {
          std::printf("%u: %s  name %s  flags 0x%x\n\tkey %uB  value %uB  max_entries %u\n",
                      mm.index, map_type_name(mm.type).c_str(), mm.name.c_str(), mm.flags,
                      mm.key_size, mm.value_size, mm.max_entries);
        }
      }
      if (json) std::printf("%s]\n", s.c_str());
      return kExitOk;
    }
    OffloadMap& m = off.map(name);
    if (dump->parsed()) {
      const std::vector<MapEntry> entries = m.entries();
      if (json) {
        std::string s = "[";
        for (size_t i = 0; i < entries.size(); ++i) {
          s += std::string(i ? ", " : "") + "{\"key\": \"" + hex_compact(entries[i].first) +
               "\", \"value\": \"" + hex_compact(entries[i].second) + "\"}";
        }
        std::printf("%s]\n", s.c_str());
      } else {
        for (const MapEntry& e : entries) print_entry(m, e.first, e.second, cores);
        std::printf("Found %zu element%s\n", entries.size(), entries.size() == 1 ? "" : "s");
      }
      return kExitOk;
    }
    if (lookup->parsed()) {
      const auto v = m.lookup(kv.key);
      if (!v) {
        throw Error("map '" + name + "': no entry for key " + hex_spaced(kv.key) +
                    " (lookup: ENOENT)");
      }
      if (json) {
        std::printf("{\"key\": \"%s\", \"value\": \"%s\"}\n", hex_compact(kv.key).c_str(),
                    hex_compact(*v).c_str());
      } else {
        print_entry(m, kv.key, *v, cores);
      }
      return kExitOk;
    }
    if (update->parsed()) {
      const int rc = m.update(kv.key, kv.value, kv.flags);
      if (rc != 0) {
        throw Error("map '" + name + "': update of key " + hex_spaced(kv.key) + " failed: " +
                    errno_text(rc));
      }
      return kExitOk;
    }
    const int rc = m.remove(kv.key);
    if (rc != 0) {
      throw Error("map '" + name + "': delete of key " + hex_spaced(kv.key) + " failed: " +
                  errno_text(rc));
    }
    return kExitOk;
  } catch (const std::exception& e) {
    if (json) std::printf("{\"error\": %s}\n", json_quote(e.what()).c_str());
    std::cerr << "ebpf-fpga map " << cmd << ": error: " << e.what() << "\n";
    return kExitFail;
  }
}

}  // namespace ebpf::cli
