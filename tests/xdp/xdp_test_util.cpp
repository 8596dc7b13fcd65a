#include "xdp_test_util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ebpf_fpga/object.h"

namespace xdptest {

namespace fs = std::filesystem;

namespace {
fs::path test_path() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "xdp";
  std::replace(name.begin(), name.end(), '/', '_');
  return fs::path(EBPF_FPGA_BINARY_DIR) / "tests" / "xdp" / "tmp" / name;
}
}  // namespace

std::string temp_dir() {
  const fs::path dir = test_path();
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

namespace {
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''"; else q += c;
  }
  return q + "'";
}
}  // namespace

CliResult run_cli(const std::vector<std::string>& args) {
  const std::string dir = test_path().string() + "_cli";
  fs::create_directories(dir);
  const std::string out = dir + "/stdout", err = dir + "/stderr";
  std::string cmd = quote(EBPF_FPGA_CLI);
  for (const auto& a : args) {
    cmd += ' ';
    cmd += quote(a);
  }
  cmd += " >";
  cmd += quote(out);
  cmd += " 2>";
  cmd += quote(err);
  cmd += " </dev/null";
  const int raw = std::system(cmd.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

std::string firmware_dir() { return std::string(EBPF_FPGA_BINARY_DIR) + "/firmware"; }

std::string firmware_object(const std::string& name) {
  const std::string p = firmware_dir() + "/" + name + ".o";
  return fs::exists(p) ? p : "";
}

std::string corpus(const std::string& name, const std::string& ext) {
  const std::string p = firmware_dir() + "/pcap/" + name + ext;
  return fs::exists(p) ? p : "";
}

std::string test_object(const std::string& name) {
  const std::string p = std::string(EBPF_FPGA_XDP_TEST_OBJECTS) + "/" + name + ".o";
  return fs::exists(p) ? p : "";
}

namespace {
void put32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}
}  // namespace

Bytes pcap_bytes(const std::vector<Bytes>& frames, uint32_t linktype) {
  Bytes b;
  put32(b, 0xa1b2c3d4);
  put16(b, 2);
  put16(b, 4);
  put32(b, 0);
  put32(b, 0);
  put32(b, 65535);
  put32(b, linktype);
  uint32_t t = 1000;
  for (const Bytes& f : frames) {
    put32(b, t++);
    put32(b, 0);
    put32(b, static_cast<uint32_t>(f.size()));
    put32(b, static_cast<uint32_t>(f.size()));
    b.insert(b.end(), f.begin(), f.end());
  }
  return b;
}

void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Bytes frame(uint16_t ethertype, size_t size, uint8_t first) {
  Bytes f(size);
  for (size_t i = 0; i < size; ++i) f[i] = static_cast<uint8_t>(i * 7 + 3);
  f[0] = first;
  if (size >= 14) {
    f[12] = static_cast<uint8_t>(ethertype >> 8);
    f[13] = static_cast<uint8_t>(ethertype);
  }
  return f;
}

Bytes unhex(const std::string& s) { return ebpf::from_hex(s, "test hex"); }
std::string hex(const Bytes& b) { return ebpf::to_hex(b); }

RefRun reference_run(const std::string& object, const std::string& entry,
                     const std::vector<Bytes>& frames, const std::string& map_init_path,
                     uint64_t budget) {
  const ebpf::Object obj = ebpf::Object::open_file(object);
  const ebpf::ProgramSpec& prog = obj.select_program(entry, std::nullopt);
  std::vector<std::vector<ebpf::Insn>> progs;
  size_t index = 0;
  for (size_t i = 0; i < obj.programs().size(); ++i) {
    progs.push_back(obj.programs()[i].insns);
    if (obj.programs()[i].name == prog.name) index = i;
  }
  auto engine = ebpf::make_engine("interp");
  engine->load_programs(progs, index);
  engine->configure_maps(obj.maps());
  ebpf::MapAccess& maps = *engine->maps();
  ebpf::init_prog_arrays(maps, obj.maps(), obj.programs());
  if (!map_init_path.empty()) {
    // Applied entry by entry with MapAccess::update, independently of apply_map_init.
    for (const auto& m : ebpf::read_map_init_file(map_init_path)) {
      const auto i = obj.find_map(m.name);
      if (!i) throw std::runtime_error("map-init names an unknown map " + m.name);
      for (const auto& e : m.entries) {
        if (maps.update(static_cast<uint32_t>(*i), e.key, e.value, ebpf::kBpfAny) != 0) {
          throw std::runtime_error("map-init update failed for " + m.name);
        }
      }
    }
  }
  RefRun ref;
  for (const auto& f : frames) {
    ebpf::MemoryImage mem;
    mem.has_ctx = true;
    mem.ingress_ifindex = 1;
    mem.set_packet(f);
    RefPacket p;
    p.result = engine->run(mem, {.budget = budget});
    const auto d = mem.packet_data();
    const auto m = mem.packet_meta();
    p.data.assign(d.begin(), d.end());
    p.meta.assign(m.begin(), m.end());
    ref.packets.push_back(std::move(p));
  }
  for (uint32_t i = 0; i < maps.map_count(); ++i) {
    auto entries = ebpf::dump_map(maps, i);
    std::sort(entries.begin(), entries.end());
    ref.maps.push_back(std::move(entries));
    ref.map_names.push_back(maps.spec(i).name);
  }
  return ref;
}

}  // namespace xdptest
