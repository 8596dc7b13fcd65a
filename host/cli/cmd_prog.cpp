// ebpf-fpga prog { load OBJ | show | unload | attach | detach } [--device URI]   (bpftool prog)
//
// load: checks the object against the device's capability block, loads every program (the
// entry chosen by --program or --section), configures the maps, applies --map-init and
// records what it loaded in the device's OBJINFO window, so that later invocations (prog
// show, map ..., stats) find it by name. On sim: and interp: the state ends with the
// process (docs/cli/prog.md).
#include <cstdio>
#include <ctime>
#include <iostream>

#include "commands.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/map_init.h"

namespace ebpf::cli {

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string hex_spaced(std::span<const uint8_t> bytes) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x", bytes[i]);
    if (i) s += ' ';
    s += buf;
  }
  return s;
}

void add_load_options(CLI::App& app, LoadArgs& args, bool positional) {
  if (positional) {
    app.add_option("OBJ", args.object, "XDP object built by clang -target bpf")->required();
  } else {
    app.add_option("--object", args.object,
                   "load this object first, in this process (for sim: and interp:, which keep "
                   "nothing between invocations)");
  }
  auto* prog = app.add_option("--program", args.program, "entry program by function name");
  app.add_option("--section", args.section, "entry program by ELF section")->excludes(prog);
  app.add_option("--map-init", args.map_init, "initial map entries (JSON, docs/cli/run.md)");
  app.add_option("--cores", args.cores, "PERCPU copies of the maps (default 1)")
      ->check(CLI::Range(1u, 64u));
}

OffloadObject open_or_load(Device& dev, const LoadArgs& args) {
  if (args.object.empty()) return OffloadObject::open_loaded(dev);
  const Object obj = Object::open_file(args.object);
  OffloadLoadOptions o;
  if (!args.program.empty()) o.program = args.program;
  if (!args.section.empty()) o.section = args.section;
  o.maps.cores = args.cores;
  if (!args.map_init.empty()) {
    // Parse and apply to the reference map model first, so that a bad file (unknown map,
    // wrong sizes, too many entries) leaves the device as it was.
    const MapInit init = read_map_init_file(args.map_init);
    MapStore dry;
    dry.configure(obj.maps(), o.maps);
    apply_map_init(dry, init, args.map_init);
    OffloadObject off = OffloadObject::load(dev, obj, o);
    apply_map_init(off.map_access(), init, args.map_init);
    return off;
  }
  return OffloadObject::load(dev, obj, o);
}

namespace {

std::string time_text(uint64_t t) {
  const auto tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string tag_text(uint64_t tag) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(tag));
  return buf;
}

void print_show(OffloadObject& off, bool json) {
  const Manifest& m = off.manifest();
  const bool attached = off.attached();
  if (json) {
    std::string s = "{\"device\": " + json_quote(off.device().uri()) +
                    ", \"object\": " + json_quote(m.object) + ", \"loaded_at\": " +
                    json_quote(time_text(m.load_time)) + ", \"attached\": " +
                    (attached ? "true" : "false") + ", \"cores\": " + std::to_string(m.cores) +
                    ", \"programs\": [";
    for (size_t i = 0; i < m.programs.size(); ++i) {
      const ManifestProgram& p = m.programs[i];
      s += std::string(i ? ", " : "") + "{\"id\": " + std::to_string(i) + ", \"name\": " +
           json_quote(p.name) + ", \"section\": " + json_quote(p.section) + ", \"tag\": \"" +
           tag_text(p.tag) + "\", \"insns\": " + std::to_string(p.insns) + ", \"first\": " +
           std::to_string(p.first) + ", \"entry\": " + (i == m.entry ? "true" : "false") + "}";
    }
    s += "], \"maps\": [";
    for (size_t i = 0; i < m.maps.size(); ++i) {
      const ManifestMap& mm = m.maps[i];
      s += std::string(i ? ", " : "") + "{\"id\": " + std::to_string(mm.index) + ", \"name\": " +
           json_quote(mm.name) + ", \"type\": " + json_quote(map_type_name(mm.type)) +
           ", \"key\": " + std::to_string(mm.key_size) + ", \"value\": " +
           std::to_string(mm.value_size) + ", \"max_entries\": " +
           std::to_string(mm.max_entries) + "}";
    }
    s += "]}\n";
    std::fputs(s.c_str(), stdout);
    return;
  }
  for (size_t i = 0; i < m.programs.size(); ++i) {
    const ManifestProgram& p = m.programs[i];
    std::printf("%zu: %s  name %s  tag %s%s\n", i, p.section.c_str(), p.name.c_str(),
                tag_text(p.tag).c_str(), i == m.entry ? "  entry" : "");
    std::printf("\tloaded_at %s  insns %u  xlated %uB  %s\n", time_text(m.load_time).c_str(),
                p.insns, p.insns * 8, i == m.entry ? (attached ? "attached" : "not attached") : "");
  }
  std::string maps;
  for (const ManifestMap& mm : m.maps) maps += (maps.empty() ? "" : ",") + mm.name;
  std::printf("object %s on %s  maps %s\n", m.object.c_str(), off.device().uri().c_str(),
              maps.empty() ? "-" : maps.c_str());
}

}  // namespace

int cmd_prog(int argc, const char* const* argv) {
  CLI::App app{"Programs on a device, as bpftool prog shows them for the kernel "
               "(docs/cli/prog.md).",
               "ebpf-fpga prog"};
  app.require_subcommand(1);
  std::string uri = "sim:";
  bool json = false, attach = false;
  LoadArgs args;
  auto device_opt = [&](CLI::App* s) {
    s->add_option("--device", uri, kDeviceHelp)->capture_default_str();
  };
  CLI::App* load = app.add_subcommand("load", "load an object onto the device");
  add_load_options(*load, args, true);
  load->add_flag("--attach", attach, "attach it too (frames flow through the entry program)");
  load->add_flag("--json", json, "print what was loaded as JSON");
  device_opt(load);
  CLI::App* show = app.add_subcommand("show", "list what is loaded");
  show->alias("list");
  show->add_flag("--json", json, "one JSON object");
  device_opt(show);
  CLI::App* unload = app.add_subcommand("unload", "remove the programs, maps and object info");
  device_opt(unload);
  CLI::App* att = app.add_subcommand("attach", "frames flow through the entry program");
  device_opt(att);
  CLI::App* det = app.add_subcommand("detach", "stop processing frames");
  device_opt(det);
  if (auto rc = parse_args(app, argc, argv)) return *rc;

  const std::string cmd = app.get_subcommands().front()->get_name();
  try {
    Device dev = Device::open(uri);
    if (load->parsed()) {
      OffloadObject off = open_or_load(dev, args);
      if (attach) off.attach();
      print_show(off, json);
      if (!dev.bus() || dev.uri().starts_with("sim:")) {
        std::cerr << "ebpf-fpga prog load: note: " << dev.uri()
                  << " lives inside this process: what was loaded ends with it (udp://, "
                     "pcie:// and pcie-socket:// devices keep it)\n";
      }
      return kExitOk;
    }
    OffloadObject off = OffloadObject::open_loaded(dev);
    if (show->parsed()) {
      print_show(off, json);
    } else if (unload->parsed()) {
      const std::string what = off.manifest().object;
      off.unload();
      std::printf("unloaded %s from %s\n", what.c_str(), dev.uri().c_str());
    } else if (att->parsed()) {
      off.attach();
    } else if (det->parsed()) {
      off.detach();
    }
    return kExitOk;
  } catch (const std::exception& e) {
    if (json) {
      std::printf("{\"error\": %s}\n", json_quote(e.what()).c_str());
    }
    std::cerr << "ebpf-fpga prog " << cmd << ": error: " << e.what() << "\n";
    return kExitFail;
  }
}

}  // namespace ebpf::cli
