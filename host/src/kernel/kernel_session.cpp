// The kernel XDP session: see kernel_session.h and docs/kernel.md.
#include "kernel_session.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "ebpf_fpga/error.h"

namespace ebpf {
namespace kernel {
namespace {

constexpr const char* kLogBegin = "-- BEGIN PROG LOAD LOG --";
constexpr const char* kLogEnd = "-- END PROG LOAD LOG --";
constexpr size_t kVerifierLines = 12;  // verifier log lines quoted in a refusal
// Room for the packet after the program: adjust_head/adjust_meta can grow it by the
// headroom (256 bytes) and adjust_tail by up to a page.
constexpr size_t kOutputSlack = 8192;

std::string errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    case E2BIG: return "E2BIG";
    case ENOSPC: return "ENOSPC";
    case ENOENT: return "ENOENT";
    case ENODEV: return "ENODEV";
    case ENOMEM: return "ENOMEM";
    case EBADF: return "EBADF";
    default: return "errno " + std::to_string(e);
  }
}
std::string errno_text(int e) { return errno_name(e) + " (" + std::strerror(e) + ")"; }

// libbpf reports through one process-wide print callback; a load captures it under a lock.
std::mutex g_print_mutex;
std::string* g_capture = nullptr;

int capture_print(enum libbpf_print_level level, const char* fmt, va_list args) {
  // Warnings carry the verifier log and every failure; debug messages are progress notes.
  if (g_capture == nullptr || level == LIBBPF_DEBUG) return 0;
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return 0;
  std::string text(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(text.data(), text.size(), fmt, args);
  text.resize(static_cast<size_t>(n));
  g_capture->append(text);
  return n;
}

// Runs `fn` with libbpf's messages captured into `log` (not printed).
template <typename Fn>
auto with_libbpf_log(std::string& log, Fn&& fn) {
  std::lock_guard<std::mutex> lock(g_print_mutex);
  g_capture = &log;
  const libbpf_print_fn_t old = libbpf_set_print(capture_print);
  struct Restore {
    libbpf_print_fn_t old;
    ~Restore() {
      libbpf_set_print(old);
      g_capture = nullptr;
    }
  } restore{old};
  return fn();
}

std::vector<std::string> nonempty_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    if (!l.empty()) lines.push_back(l);
  }
  return lines;
}

// The verifier's reason from libbpf's output: the last lines of the (last) program load log
// before its statistics, else libbpf's own last messages.
std::string refusal_excerpt(const std::string& libbpf_log) {
  const size_t begin = libbpf_log.rfind(kLogBegin);
  std::vector<std::string> lines;
  if (begin != std::string::npos) {
    const size_t start = begin + std::strlen(kLogBegin);
    const size_t end = libbpf_log.find(kLogEnd, start);
    lines = nonempty_lines(
        libbpf_log.substr(start, end == std::string::npos ? std::string::npos : end - start));
    const auto stats = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
      return l.rfind("processed ", 0) == 0;
    });
    lines.erase(stats, lines.end());
  } else {
    lines = nonempty_lines(libbpf_log);
  }
  if (lines.empty()) return " (no verifier log)";
  const size_t first = lines.size() > kVerifierLines ? lines.size() - kVerifierLines : 0;
  std::string out;
  for (size_t i = first; i < lines.size(); ++i) out += "\n  " + lines[i];
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Pins the calling thread to CPU 0 for the duration of a test run, so that PERCPU values and
// bpf_get_smp_processor_id() match the interpreter's core 0; restores the old mask after.
class PinCpu0 {
 public:
  PinCpu0() {
    if (sched_getaffinity(0, sizeof old_, &old_) != 0) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    pinned_ = sched_setaffinity(0, sizeof one, &one) == 0;
  }
  ~PinCpu0() {
    if (pinned_) sched_setaffinity(0, sizeof old_, &old_);
  }
  PinCpu0(const PinCpu0&) = delete;
  PinCpu0& operator=(const PinCpu0&) = delete;

 private:
  cpu_set_t old_{};
  bool pinned_ = false;
};

uint32_t rx_queues_of(const char* ifname) {
  std::error_code ec;
  uint32_t n = 0;
  const std::filesystem::path dir = std::filesystem::path("/sys/class/net") / ifname / "queues";
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().filename().string().rfind("rx-", 0) == 0) ++n;
  }
  return n == 0 ? 1 : n;
}

struct ObjectCloser {
  void operator()(bpf_object* o) const { bpf_object__close(o); }
};

}  // namespace

uint32_t possible_cpus() {
  const int n = libbpf_num_possible_cpus();
  return n > 0 ? static_cast<uint32_t>(n) : 1u;
}

KernelCtx map_ctx(uint32_t ingress_ifindex, uint32_t rx_queue_index) {
  KernelCtx ctx;
  char name[IF_NAMESIZE] = {};
  if (ingress_ifindex != 0 && if_indextoname(ingress_ifindex, name) != nullptr) {
    ctx.ingress_ifindex = ingress_ifindex;
  } else {
    ctx.ingress_ifindex = 1;
    if (if_indextoname(1, name) == nullptr) std::strcpy(name, "lo");
  }
  ctx.rx_queue_index = rx_queue_index < rx_queues_of(name) ? rx_queue_index : 0;
  return ctx;
}

struct KernelXdpSession::Impl final : MapAccess {
  XdpSessionOptions opts;
  std::unique_ptr<bpf_object, ObjectCloser> object;
  std::string object_name;
  std::vector<MapSpec> specs;
  std::vector<int> map_fds;
  std::vector<int> prog_fds;       // per Object::programs() index
  std::vector<uint32_t> prog_ids;  // kernel program ids, same order
  int entry_fd = -1;
  uint32_t cpus = possible_cpus();

  void require_loaded() const {
    if (!object) throw Error("kernel session: no object loaded");
  }
  void check_map(uint32_t map) const {
    require_loaded();
    if (map >= specs.size()) {
      throw Error("kernel session: map index " + std::to_string(map) + " out of range (" +
                  std::to_string(specs.size()) + " maps)");
    }
  }
  void check_size(uint32_t map, const char* what, size_t got, size_t want) const {
    if (got != want) {
      throw Error("map '" + specs[map].name + "': " + what + " of " + std::to_string(got) +
                  " bytes, expected " + std::to_string(want));
    }
  }

  // MapAccess
  uint32_t map_count() const override { return static_cast<uint32_t>(specs.size()); }
  const MapSpec& spec(uint32_t map) const override {
    check_map(map);
    return specs[map];
  }
  uint32_t cores() const override { return cpus; }

  int lookup(uint32_t map, std::span<const uint8_t> key, std::span<uint8_t> value) override {
    check_map(map);
    const MapSpec& s = specs[map];
    check_size(map, "key", key.size(), s.key_size);
    check_size(map, "value", value.size(), host_value_size(s, cpus));
    if (s.type == MapType::kProgArray) {
      // The kernel answers a program id; the host view is the index in Object::programs().
      uint32_t id = 0;
      const int err = bpf_map_lookup_elem(map_fds[map], key.data(), &id);
      if (err != 0) return err;
      const auto it = std::find(prog_ids.begin(), prog_ids.end(), id);
      const uint32_t index =
          it == prog_ids.end() ? id : static_cast<uint32_t>(it - prog_ids.begin());
      std::memcpy(value.data(), &index, std::min<size_t>(value.size(), sizeof index));
      return 0;
    }
    return bpf_map_lookup_elem(map_fds[map], key.data(), value.data());
  }

  int update(uint32_t map, std::span<const uint8_t> key, std::span<const uint8_t> value,
             uint64_t flags) override {
    check_map(map);
    const MapSpec& s = specs[map];
    check_size(map, "key", key.size(), s.key_size);
    check_size(map, "value", value.size(), host_value_size(s, cpus));
    if (s.type == MapType::kProgArray) {
      uint32_t index = 0;
      std::memcpy(&index, value.data(), std::min<size_t>(value.size(), sizeof index));
      if (index >= prog_fds.size()) return -EBADF;  // no such program: the kernel's bad fd
      const int fd = prog_fds[index];
      return bpf_map_update_elem(map_fds[map], key.data(), &fd, flags);
    }
    return bpf_map_update_elem(map_fds[map], key.data(), value.data(), flags);
  }

  int remove(uint32_t map, std::span<const uint8_t> key) override {
    check_map(map);
    check_size(map, "key", key.size(), specs[map].key_size);
    return bpf_map_delete_elem(map_fds[map], key.data());
  }

  int get_next_key(uint32_t map, std::optional<std::span<const uint8_t>> key,
                   std::span<uint8_t> next_key) override {
    check_map(map);
    if (key) check_size(map, "key", key->size(), specs[map].key_size);
    check_size(map, "next key", next_key.size(), specs[map].key_size);
    return bpf_map_get_next_key(map_fds[map], key ? key->data() : nullptr, next_key.data());
  }

  // One BPF_PROG_TEST_RUN of the entry program.
  struct TestRun {
    uint32_t retval = 0;
    uint32_t duration = 0;
    std::vector<uint8_t> out;  // data_meta .. data_end
    uint32_t meta_len = 0;
  };
  TestRun test_run(const XdpPacketIn& packet, uint32_t repeat) {
    require_loaded();
    if (packet.bytes.size() < kMinPacketBytes) {
      throw Error("packet of " + std::to_string(packet.bytes.size()) +
                  " bytes: the kernel's BPF_PROG_TEST_RUN needs at least " +
                  std::to_string(kMinPacketBytes) + " (an Ethernet header)");
    }
    if (packet.bytes.size() > UINT32_MAX - kOutputSlack) throw Error("packet too large");
    const KernelCtx kctx = map_ctx(packet.ingress_ifindex, packet.rx_queue_index);
    xdp_md ctx_in{};
    ctx_in.data = 0;
    ctx_in.data_meta = 0;
    ctx_in.data_end = static_cast<uint32_t>(packet.bytes.size());
    ctx_in.ingress_ifindex = kctx.ingress_ifindex;
    ctx_in.rx_queue_index = kctx.rx_queue_index;
    xdp_md ctx_out{};
    TestRun r;
    r.out.resize(packet.bytes.size() + kOutputSlack);

    bpf_test_run_opts ro;
    std::memset(&ro, 0, sizeof ro);
    ro.sz = sizeof ro;
    ro.data_in = packet.bytes.data();
    ro.data_size_in = static_cast<uint32_t>(packet.bytes.size());
    ro.data_out = r.out.data();
    ro.data_size_out = static_cast<uint32_t>(r.out.size());
    ro.ctx_in = &ctx_in;
    ro.ctx_size_in = sizeof ctx_in;
    ro.ctx_out = &ctx_out;
    ro.ctx_size_out = sizeof ctx_out;
    ro.repeat = repeat;
    int err = 0;
    {
      PinCpu0 pin;
      err = bpf_prog_test_run_opts(entry_fd, &ro);
    }
    if (err != 0) {
      const int e = -err;
      std::string why;
      if (e == EINVAL) why = ": the kernel refused the packet or its ctx (size or rx queue)";
      if (e == ENODEV)
        why = ": no device with ingress_ifindex " + std::to_string(kctx.ingress_ifindex);
      throw Error(object_name + ": BPF_PROG_TEST_RUN of a " + std::to_string(packet.bytes.size()) +
                  "-byte packet failed: " + errno_text(e) + why);
    }
    r.retval = ro.retval;
    r.duration = ro.duration;
    r.out.resize(std::min<size_t>(ro.data_size_out, r.out.size()));
    r.meta_len = std::min<uint32_t>(ctx_out.data, static_cast<uint32_t>(r.out.size()));
    return r;
  }

  void load(const Object& obj, const ProgramSpec& entry);
};

void KernelXdpSession::Impl::load(const Object& obj, const ProgramSpec& entry) {
  object.reset();
  specs.clear();
  map_fds.clear();
  prog_fds.clear();
  prog_ids.clear();
  entry_fd = -1;
  object_name = obj.name();

  if (const auto why = kernel_unavailable_reason()) {
    throw Error(obj.name() + ": the kernel engine is unavailable: " + *why);
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(obj.name(), ec)) {
    throw Error(obj.name() +
                ": the kernel engine loads the object file itself with libbpf, "
                "and there is no such file");
  }

  std::string log;
  bpf_object* raw =
      with_libbpf_log(log, [&] { return bpf_object__open_file(obj.name().c_str(), nullptr); });
  if (raw == nullptr) {
    const int e = errno;
    throw Error(obj.name() + ": libbpf cannot open the object: " + errno_text(e) +
                refusal_excerpt(log));
  }
  std::unique_ptr<bpf_object, ObjectCloser> o(raw);

  // Every program runs as XDP (tail-call targets must share the caller's type), also those
  // in sections libbpf does not know.
  bpf_program* p = nullptr;
  bpf_object__for_each_program(p, o.get()) {
    if (bpf_program__type(p) != BPF_PROG_TYPE_XDP) bpf_program__set_type(p, BPF_PROG_TYPE_XDP);
  }
  log.clear();
  const int err = with_libbpf_log(log, [&] { return bpf_object__load(o.get()); });
  if (err != 0) {
    // bpf() itself is permitted (checked above), so EACCES/EPERM here are the verifier's.
    const int e = -err;
    // libbpf names the program: "prog 'NAME': -- BEGIN PROG LOAD LOG --".
    std::string prog;
    if (const size_t at = log.rfind(kLogBegin); at != std::string::npos) {
      const size_t open = log.rfind("prog '", at);
      const size_t close = open == std::string::npos ? open : log.find('\'', open + 6);
      if (close != std::string::npos && close < at) {
        prog = " program '" + log.substr(open + 6, close - open - 6) + "'";
      }
    }
    const bool verifier = log.find(kLogBegin) != std::string::npos;
    throw Error(obj.name() + ": the kernel refused" + (prog.empty() ? " the object" : prog) + " (" +
                errno_text(e) + "); " + (verifier ? "verifier log, last lines:" : "libbpf says:") +
                refusal_excerpt(log));
  }

  // Maps in Object::maps() order. Global data maps are libbpf's internal maps, named
  // "<object prefix>.bss" and so on: matched by their section name.
  std::vector<const bpf_map*> used;
  for (const MapSpec& s : obj.maps()) {
    bpf_map* found = nullptr;
    if (s.origin == MapOrigin::kBtf) {
      found = bpf_object__find_map_by_name(o.get(), s.name.c_str());
    } else {
      bpf_map* m = nullptr;
      bpf_object__for_each_map(m, o.get()) {
        if (!bpf_map__is_internal(m) || std::find(used.begin(), used.end(), m) != used.end()) {
          continue;
        }
        const std::string_view name = bpf_map__name(m);
        const std::string truncated = s.name.substr(0, BPF_OBJ_NAME_LEN - 1);
        if (name == truncated || ends_with(name, s.name)) {
          found = m;
          break;
        }
      }
    }
    if (found == nullptr) {
      throw Error(obj.name() + ": map '" + s.name + "' is not among the maps libbpf created");
    }
    used.push_back(found);
    const auto type = static_cast<uint32_t>(bpf_map__type(found));
    if (type != static_cast<uint32_t>(s.type) || bpf_map__key_size(found) != s.key_size ||
        bpf_map__value_size(found) != s.value_size) {
      throw Error(obj.name() + ": map '" + s.name + "': libbpf created type " +
                  map_type_name(type) + " key " + std::to_string(bpf_map__key_size(found)) +
                  " value " + std::to_string(bpf_map__value_size(found)) +
                  ", our loader read type " + map_type_name(static_cast<uint32_t>(s.type)) +
                  " key " + std::to_string(s.key_size) + " value " + std::to_string(s.value_size));
    }
    specs.push_back(s);
    map_fds.push_back(bpf_map__fd(found));
  }

  for (const ProgramSpec& ps : obj.programs()) {
    bpf_program* bp = bpf_object__find_program_by_name(o.get(), ps.name.c_str());
    if (bp == nullptr) {
      throw Error(obj.name() + ": program '" + ps.name + "' is not among libbpf's programs");
    }
    const int fd = bpf_program__fd(bp);
    bpf_prog_info info;
    std::memset(&info, 0, sizeof info);
    uint32_t len = sizeof info;
    if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) != 0) {
      throw Error(obj.name() + ": program '" + ps.name + "' has no kernel id after loading");
    }
    prog_fds.push_back(fd);
    prog_ids.push_back(info.id);
    if (ps.name == entry.name) entry_fd = fd;
  }
  if (entry_fd < 0) {
    throw Error(obj.name() + ": entry program '" + entry.name + "' is not in the object");
  }
  object = std::move(o);

  // PROG_ARRAY initial values. libbpf 1.x fills them from the .maps initializers itself;
  // a slot it left empty or set otherwise is written here, so every engine starts alike.
  for (uint32_t m = 0; m < specs.size(); ++m) {
    for (const auto& [slot, name] : specs[m].prog_array_init) {
      const auto it = std::find_if(obj.programs().begin(), obj.programs().end(),
                                   [&](const ProgramSpec& q) { return q.name == name; });
      if (it == obj.programs().end()) {
        throw Error("map '" + specs[m].name + "': slot " + std::to_string(slot) +
                    " names program '" + name + "', which is not loaded");
      }
      const auto index = static_cast<uint32_t>(it - obj.programs().begin());
      uint32_t id = 0;
      if (bpf_map_lookup_elem(map_fds[m], &slot, &id) == 0 && id == prog_ids[index]) continue;
      const int fd = prog_fds[index];
      if (const int e = bpf_map_update_elem(map_fds[m], &slot, &fd, BPF_ANY); e != 0) {
        throw Error("map '" + specs[m].name + "': slot " + std::to_string(slot) + ": " +
                    errno_text(-e));
      }
    }
  }
}

KernelXdpSession::KernelXdpSession(const XdpSessionOptions& opts)
    : impl_(std::make_unique<Impl>()) {
  impl_->opts = opts;
}

KernelXdpSession::~KernelXdpSession() = default;

void KernelXdpSession::load(const Object& obj, const ProgramSpec& entry) {
  impl_->load(obj, entry);
}

MapAccess& KernelXdpSession::maps() { return *impl_; }

XdpPacketOut KernelXdpSession::run(const XdpPacketIn& packet) {
  const Impl::TestRun r = impl_->test_run(packet, 1);
  XdpPacketOut out;
  if (r.retval <= kXdpRedirect) {
    out.action = r.retval;
  } else {
    out.action = kXdpAborted;
    out.fault = FaultCode::kInvalidAction;
  }
  out.meta.assign(r.out.begin(), r.out.begin() + r.meta_len);
  out.data.assign(r.out.begin() + r.meta_len, r.out.end());
  return out;
}

uint64_t KernelXdpSession::time_packet(const XdpPacketIn& packet, uint32_t repeat) {
  return impl_->test_run(packet, repeat == 0 ? 1 : repeat).duration;
}

std::optional<int> KernelXdpSession::jit_enabled() {
  std::ifstream in("/proc/sys/net/core/bpf_jit_enable");
  int v = 0;
  if (in >> v) return v;
  return std::nullopt;
}

}  // namespace kernel

std::unique_ptr<XdpSession> make_kernel_xdp_session(const XdpSessionOptions& opts) {
  if (const auto why = kernel_unavailable_reason()) {
    throw Error("engine kernel is unavailable: " + *why);
  }
  return std::make_unique<kernel::KernelXdpSession>(opts);
}

std::optional<std::string> kernel_unavailable_reason() {
  static const std::optional<std::string> reason = kernel::probe_unavailable_reason();
  return reason;
}

std::optional<std::string> kernel::probe_unavailable_reason() {
  {
    // mov r0, XDP_PASS; exit
    const bpf_insn prog[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    bpf_prog_load_opts lo;
    std::memset(&lo, 0, sizeof lo);
    lo.sz = sizeof lo;
    std::string log;
    const int fd = kernel::with_libbpf_log(
        log, [&] { return bpf_prog_load(BPF_PROG_TYPE_XDP, "probe", "GPL", prog, 2, &lo); });
    if (fd < 0) {
      const int e = -fd;
      if (e == ENOSYS) return "the bpf() syscall is not available here: ENOSYS";
      if (e == EPERM || e == EACCES) {
        return "bpf() not permitted: " + kernel::errno_name(e) +
               " (needs root or CAP_BPF and CAP_NET_ADMIN)";
      }
      return "cannot load a trivial XDP program: " + kernel::errno_text(e);
    }
    uint8_t packet[kernel::kMinPacketBytes] = {};
    bpf_test_run_opts ro;
    std::memset(&ro, 0, sizeof ro);
    ro.sz = sizeof ro;
    ro.data_in = packet;
    ro.data_size_in = sizeof packet;
    ro.repeat = 1;
    const int err = bpf_prog_test_run_opts(fd, &ro);
    close(fd);
    if (err != 0) {
      return "BPF_PROG_TEST_RUN of an XDP program fails: " + kernel::errno_text(-err);
    }
    if (ro.retval != XDP_PASS) {
      return "BPF_PROG_TEST_RUN returned " + std::to_string(ro.retval) +
             " for a program returning XDP_PASS";
    }
    return std::nullopt;
  }
}

}  // namespace ebpf
