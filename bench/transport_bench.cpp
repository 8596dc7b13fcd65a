// Host transports against the simulated board: CSR operations per second (one per round
// trip, and batched), the load time of a 4,096-instruction program and runs per second, with
// the host process's CPU time per operation.
// Then the offload API (ebpf_fpga/offload.h) on the real map unit: map updates and lookups
// per second on a firmware object's hash map, and the load time of a whole firmware object
// (capability check, program table, maps, OBJINFO manifest).
// Starts `ebpf-fpga-sim serve` on 127.0.0.1 itself. Prints Markdown tables (docs/perf.md).
//
//   build/bench/transport_bench [--quick]
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/device.h"
#include "ebpf_fpga/error.h"
#include "ebpf_fpga/offload.h"

namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The simulated board as a child process.
struct Server {
  pid_t pid = -1;
  std::string udp, pcie, sock;

  Server() {
    sock = "/tmp/ebpf_fpga_bench_" + std::to_string(::getpid()) + ".sock";
    int out[2];
    if (::pipe(out) != 0) std::exit(1);
    pid = ::fork();
    if (pid == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::execl(EBPF_FPGA_SIM, EBPF_FPGA_SIM, "serve", "--listen", "udp://127.0.0.1:0",
              "--pcie-socket", sock.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string text;
    char buf[256];
    while (text.find("ready\n") == std::string::npos) {
      const ssize_t n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) {
        std::fprintf(stderr, "transport_bench: ebpf-fpga-sim did not start\n");
        std::exit(1);
      }
      text.append(buf, static_cast<size_t>(n));
    }
    ::close(out[0]);
    auto uri_after = [&](const char* scheme) {
      const size_t at = text.find(scheme);
      return text.substr(at, text.find('\n', at) - at);
    };
    udp = uri_after("udp://");
    pcie = uri_after("pcie-socket://");
  }
  ~Server() {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
};

struct Measure {
  double per_second = 0;    // operations per second (wall clock)
  double cpu_us_per_op = 0; // host CPU time per operation, this process only
};

// Runs `body` (which performs `ops_per_call` operations) for about `seconds`.
Measure measure(double seconds, size_t ops_per_call, const std::function<void()>& body) {
  body();  // warm up
  const Clock::time_point t0 = Clock::now();
  const double c0 = cpu_seconds();
  size_t calls = 0;
  while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) {
    body();
    ++calls;
  }
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double ops = static_cast<double>(calls * ops_per_call);
  return {ops / wall, (cpu_seconds() - c0) / ops * 1e6};
}

std::string fmt(double v) {
  char buf[32];
  if (v >= 100) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else if (v >= 10) {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ebpf;
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const double secs = quick ? 0.3 : 2.0;
  signal(SIGPIPE, SIG_IGN);
  Server server;

  // A 4,096-slot program: r0 = 0, then 4,094 additions, then exit.
  std::string text = "mov %r0, 0\n";
  for (int i = 0; i < 4094; ++i) text += "add %r0, 1\n";
  text += "exit\n";
  const std::vector<Insn> big = assemble(text);
  const std::vector<Insn> tiny = assemble("mov %r0, 1\nexit\n");

  struct Row {
    std::string transport;
    Measure read1, write1, read_batch, write_block, load, run;
  };
  std::vector<Row> rows;
  const std::pair<const char*, std::string> transports[] = {
      {"sim:", "sim:"}, {"udp://", server.udp}, {"pcie-socket://", server.pcie}};
  for (const auto& [name, uri] : transports) {
    Row row;
    row.transport = name;
    Device dev = Device::open(uri);
    Bus& bus = *dev.bus();
    row.read1 = measure(secs, 1, [&] { (void)bus.read(csr::kStatus); });
    row.write1 = measure(secs, 1, [&] { bus.write(csr::kIfindex, 1); });
    std::vector<uint32_t> addrs(256);
    for (size_t i = 0; i < addrs.size(); ++i) {
      addrs[i] = csr::kWinPacket + 4 * static_cast<uint32_t>(i);
    }
    row.read_batch = measure(secs, addrs.size(), [&] { (void)bus.read_burst(addrs); });
    const std::vector<uint32_t> words(8192, 0x5a5a5a5a);
    row.write_block = measure(secs, words.size(), [&] { bus.write_block(csr::kWinImem, words); });
    // Load: checker + 8,192 instruction words + PROG_LEN; per second = loads per second.
    row.load = measure(secs, 1, [&] { dev.load(big); });
    dev.load(tiny);
    row.run = measure(secs, 1, [&] {
      MemoryImage mem = conformance_memory({});
      (void)dev.test_run(mem);
    });
    rows.push_back(row);
  }

  // Load time of the checker alone, to separate it from the bus traffic.
  const Clock::time_point t0 = Clock::now();
  int n = 0;
  for (; std::chrono::duration<double>(Clock::now() - t0).count() < secs; ++n) {
    Device d = Device::open("interp:");
    d.load(big);
  }
  const double check_ms = std::chrono::duration<double>(Clock::now() - t0).count() * 1e3 / n;

  std::printf("| transport | CSR reads/s (1 per request) | CSR writes/s (1 per request) | "
              "reads/s (bursts of 256) | writes/s (blocks of 8,192) | load 4,096 insns (ms) "
              "| runs/s (2-insn program) |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Row& r : rows) {
    std::printf("| `%s` | %s | %s | %s | %s | %s | %s |\n", r.transport.c_str(),
                fmt(r.read1.per_second).c_str(), fmt(r.write1.per_second).c_str(),
                fmt(r.read_batch.per_second).c_str(), fmt(r.write_block.per_second).c_str(),
                fmt(1e3 / r.load.per_second).c_str(), fmt(r.run.per_second).c_str());
  }
  std::printf("\nHost CPU time per operation (this process only; the server's is not counted), "
              "microseconds:\n\n");
  std::printf("| transport | read (1 per request) | write (1 per request) | read in a burst | "
              "write in a block | load 4,096 insns | run |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Row& r : rows) {
    std::printf("| `%s` | %s | %s | %s | %s | %s | %s |\n", r.transport.c_str(),
                fmt(r.read1.cpu_us_per_op).c_str(), fmt(r.write1.cpu_us_per_op).c_str(),
                fmt(r.read_batch.cpu_us_per_op).c_str(), fmt(r.write_block.cpu_us_per_op).c_str(),
                fmt(r.load.cpu_us_per_op).c_str(), fmt(r.run.cpu_us_per_op).c_str());
  }
  std::printf("\nThe load-time checker alone on 4,096 instructions: %s ms.\n",
              fmt(check_ms).c_str());

  // ---- The offload API on the map unit: firewall.o's `rules` (HASH, 4-byte keys and
  // values, 256 entries), 200 keys updated round robin (BPF_ANY), then looked up.
  const std::string fw = std::string(EBPF_FPGA_FIRMWARE_DIR) + "/firewall.o";
  std::optional<Object> obj;
  try {
    obj.emplace(Object::open_file(fw));
  } catch (const Error& e) {
    std::printf("\n(no offload table: %s)\n", e.what());
    return 0;
  }
  struct OffRow {
    std::string transport;
    bool seq = false;
    Measure load, update, lookup;
  };
  std::vector<OffRow> off_rows;
  const std::pair<const char*, std::string> all[] = {{"interp:", "interp:"},
                                                     {"sim:", "sim:"},
                                                     {"udp://", server.udp},
                                                     {"pcie-socket://", server.pcie}};
  for (const auto& [name, uri] : all) {
    OffRow row;
    row.transport = name;
    Device dev = Device::open(uri);
    row.seq = dev.info().has_feature(DeviceInfo::kFeatMcmdSeq);
    row.load = measure(secs, 1, [&] { (void)OffloadObject::load(dev, *obj); });
    OffloadObject off = OffloadObject::load(dev, *obj);
    OffloadMap& rules = off.map("rules");
    uint32_t i = 0;
    row.update = measure(secs, 1, [&] {
      const uint8_t k[4] = {6, 0, static_cast<uint8_t>(i % 200), 0}, v[4] = {2, 0, 0, 0};
      ++i;
      if (rules.update(k, v, kBpfAny) != 0) std::abort();
    });
    row.lookup = measure(secs, 1, [&] {
      const uint8_t k[4] = {6, 0, static_cast<uint8_t>(i % 200), 0};
      ++i;
      if (!rules.lookup(k)) std::abort();
    });
    off_rows.push_back(row);
  }
  std::printf("\nOffload API on the map unit (%s, %zu instructions, %zu maps):\n\n", fw.c_str(),
              obj->programs()[0].insns.size(), obj->maps().size());
  std::printf("| device | map updates/s | map lookups/s | object load (ms) | host CPU per update "
              "(us) | per lookup (us) | per load (us) | MCMD_SEQ |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (const OffRow& r : off_rows) {
    std::printf("| `%s` | %s | %s | %s | %s | %s | %s | %s |\n", r.transport.c_str(),
                fmt(r.update.per_second).c_str(), fmt(r.lookup.per_second).c_str(),
                fmt(1e3 / r.load.per_second).c_str(), fmt(r.update.cpu_us_per_op).c_str(),
                fmt(r.lookup.cpu_us_per_op).c_str(), fmt(r.load.cpu_us_per_op).c_str(),
                r.seq ? "yes" : "no");
  }
  return 0;
}
