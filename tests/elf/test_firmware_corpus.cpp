// The firmware packet corpora (build/firmware/pcap/, from ebpf-fpga-gen-pcaps) against the
// actions their .expect.tsv files state:
//  - on the Linux kernel (label `kernel`): each firmware object is loaded with libbpf, its
//    maps are filled from <program>.map-init.json, and every frame goes through
//    BPF_PROG_TEST_RUN in order. This checks that the programs pass the kernel verifier and
//    that the expectations are right. Skips, saying why, without the bpf() syscall.
//  - on the interpreter: the programs that call no helper run from our loader's output.
#include <gtest/gtest.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "ebpf_fpga/engine.h"
#include "ebpf_fpga/helpers.h"
#include "ebpf_fpga/object.h"
#include "elf_test_util.h"
#include "pcap_frames.h"

namespace {

using Bytes = std::vector<uint8_t>;

struct Expect {
  int action;
  std::string what;
};

std::string pcap_dir() { return elftest::firmware_dir() + "/pcap"; }

std::vector<Expect> read_expect(const std::string& path) {
  std::ifstream in(path);
  std::vector<Expect> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string index, action, what;
    std::getline(fields, index, '\t');
    std::getline(fields, action, '\t');
    std::getline(fields, what);
    out.push_back({std::stoi(action), what});
  }
  return out;
}

Bytes unhex(const std::string& s) {
  Bytes b;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    b.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  }
  return b;
}

// The map-init files are written by ebpf-fpga-gen-pcaps in one fixed layout:
// {"map": [{"key": "..", "value": ".."}, ...], ...}; this reads exactly that layout.
std::map<std::string, std::vector<std::pair<Bytes, Bytes>>> read_map_init(const std::string& path) {
  std::map<std::string, std::vector<std::pair<Bytes, Bytes>>> maps;
  std::ifstream in(path);
  if (!in) return maps;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The next quoted string at or after pos; pos moves past it.
  auto quoted = [&](size_t& pos) {
    const size_t open = text.find('"', pos), close = text.find('"', open + 1);
    if (open == std::string::npos || close == std::string::npos) {
      throw std::runtime_error(path + ": malformed");
    }
    pos = close + 1;
    return text.substr(open + 1, close - open - 1);
  };
  size_t pos = 0;
  while (true) {
    const size_t name_at = text.find('"', pos);
    if (name_at == std::string::npos) break;
    pos = name_at;
    auto& entries = maps[quoted(pos)];
    const size_t end = text.find(']', pos);
    while (true) {
      const size_t entry = text.find('{', pos);
      if (entry == std::string::npos || entry > end) break;
      pos = entry;
      quoted(pos);  // "key"
      Bytes key = unhex(quoted(pos));
      quoted(pos);  // "value"
      Bytes value = unhex(quoted(pos));
      entries.emplace_back(std::move(key), std::move(value));
    }
    pos = end + 1;
  }
  return maps;
}

struct Corpus {
  std::string program;  // object name
  std::string entry;    // entry function
};
const std::vector<Corpus> kCorpora = {
    {"xdp_pass", "xdp_pass"},       {"xdp_drop", "xdp_drop"}, {"mac_swap", "mac_swap"},
    {"proto_count", "proto_count"}, {"dns_filter", "dns_filter"}, {"firewall", "firewall"},
    {"router", "router"},           {"tail_chain", "tail_entry"},
};
void PrintTo(const Corpus& c, std::ostream* os) { *os << c.program; }

class FirmwareCorpus : public ::testing::TestWithParam<Corpus> {
 protected:
  void SetUp() override {
    object_ = elftest::firmware_object(GetParam().program);
    const std::string base = pcap_dir() + "/" + GetParam().program;
    if (object_.empty() || !std::ifstream(base + ".pcap")) {
      GTEST_SKIP() << "firmware object or corpus not built (clang or libpcap missing?)";
    }
    frames_ = elftest::read_pcap(base + ".pcap");
    expect_ = read_expect(base + ".expect.tsv");
    maps_ = read_map_init(base + ".map-init.json");
    ASSERT_EQ(frames_.size(), expect_.size());
    ASSERT_FALSE(frames_.empty());
  }
  std::string object_;
  std::vector<Bytes> frames_;
  std::vector<Expect> expect_;
  std::map<std::string, std::vector<std::pair<Bytes, Bytes>>> maps_;
};

struct ObjectCloser {
  void operator()(bpf_object* o) const { bpf_object__close(o); }
};

TEST_P(FirmwareCorpus, KernelAgreesWithTheExpectations) {
  std::unique_ptr<bpf_object, ObjectCloser> obj(bpf_object__open_file(object_.c_str(), nullptr));
  ASSERT_TRUE(obj) << "libbpf cannot open " << object_ << ": " << std::strerror(errno);
  if (int err = bpf_object__load(obj.get()); err != 0) {
    if (err == -EPERM || err == -ENOSYS || err == -EACCES) {
      GTEST_SKIP() << "kernel oracle unavailable: loading BPF programs fails with "
                   << std::strerror(-err);
    }
    FAIL() << "the kernel refuses " << object_ << ": " << std::strerror(-err);
  }
  for (const auto& [name, entries] : maps_) {
    bpf_map* map = bpf_object__find_map_by_name(obj.get(), name.c_str());
    ASSERT_TRUE(map) << name;
    for (const auto& [key, value] : entries) {
      ASSERT_EQ(bpf_map__update_elem(map, key.data(), key.size(), value.data(), value.size(),
                                     BPF_ANY),
                0)
          << name << ": " << std::strerror(errno);
    }
  }
  bpf_program* prog = bpf_object__find_program_by_name(obj.get(), GetParam().entry.c_str());
  ASSERT_TRUE(prog);
  const int fd = bpf_program__fd(prog);
  size_t ran = 0;
  for (size_t i = 0; i < frames_.size(); ++i) {
    if (frames_[i].size() < 14) continue;  // BPF_PROG_TEST_RUN needs an Ethernet header
    Bytes out(frames_[i].size() + 512);
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frames_[i].data(),
                .data_out = out.data(),
                .data_size_in = static_cast<__u32>(frames_[i].size()),
                .data_size_out = static_cast<__u32>(out.size()), .repeat = 1);
    ASSERT_EQ(bpf_prog_test_run_opts(fd, &opts), 0) << "frame " << i << ": " << std::strerror(errno);
    EXPECT_EQ(static_cast<int>(opts.retval), expect_[i].action)
        << GetParam().program << " frame " << i << ": " << expect_[i].what;
    ++ran;
  }
  RecordProperty("frames_run", std::to_string(ran));
}

// Programs without helper calls and maps run on the interpreter from the ELF loader's output;
// the others wait for the helper and map support of issue 4.
TEST_P(FirmwareCorpus, InterpreterAgreesWithTheExpectations) {
  const ebpf::Object obj = ebpf::Object::open_file(object_);
  const ebpf::ProgramSpec& prog = obj.select_program(GetParam().entry, std::nullopt);
  for (const ebpf::Insn& insn : prog.insns) {
    if (insn.opcode == 0x85 && insn.src() == 0 && !ebpf::find_helper(insn.imm)) {
      GTEST_SKIP() << "calls helper " << insn.imm << ", which the interpreter lacks";
    }
    if (insn.opcode == 0x18 && insn.src() != 0) GTEST_SKIP() << "uses maps";
  }
  auto engine = ebpf::make_engine("interp");
  engine->load(prog.insns);
  for (size_t i = 0; i < frames_.size(); ++i) {
    ebpf::MemoryImage mem;
    mem.has_ctx = true;
    mem.set_packet(frames_[i]);
    const auto r = engine->run(mem);
    EXPECT_EQ(r.fault, ebpf::FaultCode::kNone) << "frame " << i;
    EXPECT_EQ(static_cast<int>(r.r0), expect_[i].action)
        << GetParam().program << " frame " << i << ": " << expect_[i].what;
  }
}

std::string name_of(const ::testing::TestParamInfo<Corpus>& info) { return info.param.program; }
INSTANTIATE_TEST_SUITE_P(All, FirmwareCorpus, ::testing::ValuesIn(kCorpora), name_of);

}  // namespace
