// The Linux kernel as an ISA oracle: see kernel_isa.h.
#include "kernel_isa.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <sstream>

#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/error.h"

namespace ebpf::kernel {
namespace {

constexpr uint8_t kOpExit = 0x95;        // BPF_JMP | BPF_EXIT
constexpr uint8_t kOpCall = 0x85;        // BPF_JMP | BPF_CALL (src 1: bpf-to-bpf call)
constexpr uint8_t kOpJa32 = 0x06;        // BPF_JMP32 | BPF_JA: offset in imm
constexpr uint8_t kSrcPseudoCall = 1;    // BPF_PSEUDO_CALL
constexpr uint32_t kMinXdpPacket = 14;   // test_run refuses XDP packets shorter than ETH_HLEN
constexpr size_t kLogSize = 1u << 20;

std::string hex64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

std::string errno_text(int e) {
  std::string name;
  switch (e) {
    case EPERM: name = "EPERM"; break;
    case EACCES: name = "EACCES"; break;
    case ENOSYS: name = "ENOSYS"; break;
    case EINVAL: name = "EINVAL"; break;
    case E2BIG: name = "E2BIG"; break;
    case ENOSPC: name = "ENOSPC"; break;
    default: name = "errno " + std::to_string(e); break;
  }
  return name + " (" + std::strerror(e) + ")";
}

bool is_lddw(const Insn& in) { return in.opcode == op::kLddw; }

// How a slot refers to another slot: not at all, through `off` or through `imm`.
enum class Rel { kNone, kOff, kImm };

Rel relation(const Insn& in) {
  const uint8_t cls = op::cls(in.opcode);
  if (cls != op::kClsJmp && cls != op::kClsJmp32) return Rel::kNone;
  if (in.opcode == kOpJa32) return Rel::kImm;
  if (cls == op::kClsJmp32) return Rel::kOff;  // conditional jump32
  switch (in.opcode & 0xf0) {
    case 0x80:  // call: relative only for bpf-to-bpf calls (callx 0x8d has no target)
      return (in.opcode == kOpCall && in.src() == kSrcPseudoCall) ? Rel::kImm : Rel::kNone;
    case 0x90:  // exit
      return Rel::kNone;
    default:  // ja and the conditional jumps
      return Rel::kOff;
  }
}

// Slot indexes that hold an instruction (not the second half of an lddw).
std::vector<bool> instruction_slots(std::span<const Insn> prog) {
  std::vector<bool> is_insn(prog.size(), false);
  for (size_t i = 0; i < prog.size(); ++i) {
    is_insn[i] = true;
    if (is_lddw(prog[i])) ++i;
  }
  return is_insn;
}

std::vector<bpf_insn> to_kernel(std::span<const Insn> prog) {
  // Same layout: code, dst in the low nibble and src in the high nibble of byte 1 (the
  // kernel's bitfields on a little-endian host), off, imm.
  static_assert(sizeof(bpf_insn) == sizeof(Insn));
  std::vector<bpf_insn> out(prog.size());
  if (!prog.empty()) std::memcpy(out.data(), prog.data(), prog.size() * sizeof(Insn));
  return out;
}

}  // namespace

Availability probe() {
  const Insn prog[] = {Insn::make(0xb7, 0, 0, 0, 2), Insn::make(kOpExit, 0, 0, 0, 0)};
  const uint8_t packet[kMinXdpPacket] = {};
  const Run r = load_and_run(prog, packet);
  Availability a;
  if (!r.loaded) {
    const int e = r.load_errno;
    if (e == ENOSYS) {
      a.reason = "the bpf() syscall is not available here (ENOSYS)";
    } else if (e == EPERM || e == EACCES) {
      a.reason = "not permitted to load BPF programs (" + errno_text(e) +
                 "): run as root, or with CAP_BPF and CAP_NET_ADMIN";
    } else {
      a.reason = "cannot load a trivial XDP program: " + errno_text(e);
    }
    return a;
  }
  if (!r.ran) {
    a.reason = "BPF_PROG_TEST_RUN of an XDP program failed: " + errno_text(r.run_errno);
    return a;
  }
  if (r.retval != 2) {
    a.reason = "BPF_PROG_TEST_RUN returned " + std::to_string(r.retval) + " for a program "
               "returning 2";
    return a;
  }
  a.available = true;
  return a;
}

std::vector<Insn> with_prolog(std::span<const Insn> prog, uint32_t mem_len) {
  if (mem_len > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
    throw Error("test memory too large for the kernel prolog");
  }
  const auto len = static_cast<int32_t>(mem_len);
  std::vector<Insn> out = {
      Insn::make(0x61, 2, 1, 4, 0),    // ldxw r2, [r1+4]   r2 = ctx->data_end
      Insn::make(0x61, 1, 1, 0, 0),    // ldxw r1, [r1+0]   r1 = ctx->data
      Insn::make(0x07, 1, 0, 0, len),  // add r1, LEN
      Insn::make(0xbd, 1, 2, 2, 0),    // jle r1, r2, +2    data + LEN <= data_end
      Insn::make(0xb7, 0, 0, 0, 0),    // mov r0, 0         (never taken: the packet is big
      Insn::make(kOpExit, 0, 0, 0, 0), // exit               enough; keeps the verifier happy)
      Insn::make(0x17, 1, 0, 0, len),  // sub r1, LEN       r1 = data, range LEN
      Insn::make(0xb7, 2, 0, 0, len),  // mov r2, LEN
  };
  out.insert(out.end(), prog.begin(), prog.end());
  return out;
}

std::vector<Insn> high_half_variant(std::span<const Insn> prog) {
  const size_t n = prog.size();
  const std::vector<bool> is_insn = instruction_slots(prog);

  // The main program ends where the first subprogram (bpf-to-bpf call target) starts.
  size_t main_end = n;
  for (size_t i = 0; i < n; ++i) {
    if (!is_insn[i] || !(prog[i].opcode == kOpCall && prog[i].src() == kSrcPseudoCall)) continue;
    const int64_t t = static_cast<int64_t>(i) + 1 + prog[i].imm;
    if (t > 0 && t < static_cast<int64_t>(n)) main_end = std::min(main_end, static_cast<size_t>(t));
  }

  // landing[i]: where a jump to slot i lands (the inserted shift, if any); pos[i]: where slot
  // i itself goes.
  std::vector<int64_t> landing(n + 1), pos(n);
  int64_t cur = 0;
  for (size_t i = 0; i < n; ++i) {
    landing[i] = cur;
    if (is_insn[i] && i < main_end && prog[i].opcode == kOpExit) ++cur;
    pos[i] = cur++;
  }
  landing[n] = cur;

  std::vector<Insn> out;
  out.reserve(static_cast<size_t>(cur));
  const Insn shift = Insn::make(0x77, 0, 0, 0, 32);  // rsh r0, 32
  for (size_t i = 0; i < n; ++i) {
    Insn in = prog[i];
    if (is_insn[i]) {
      if (i < main_end && in.opcode == kOpExit) out.push_back(shift);
      const Rel rel = relation(in);
      if (rel != Rel::kNone) {
        const int64_t delta = rel == Rel::kOff ? in.off : in.imm;
        const int64_t target = static_cast<int64_t>(i) + 1 + delta;
        if (target >= 0 && target <= static_cast<int64_t>(n)) {  // else leave it to the verifier
          const int64_t nd = landing[static_cast<size_t>(target)] - (pos[i] + 1);
          if (rel == Rel::kOff) {
            if (nd < std::numeric_limits<int16_t>::min() ||
                nd > std::numeric_limits<int16_t>::max()) {
              throw Error("instruction " + std::to_string(i) +
                          ": jump offset does not fit 16 bits after inserting shifts");
            }
            in.off = static_cast<int16_t>(nd);
          } else {
            in.imm = static_cast<int32_t>(nd);
          }
        }
      }
    }
    out.push_back(in);
  }
  return out;
}

Run load_and_run(std::span<const Insn> prog, std::span<const uint8_t> packet) {
  Run r;
  const std::vector<bpf_insn> insns = to_kernel(prog);

  bpf_prog_load_opts lo;
  std::memset(&lo, 0, sizeof lo);
  lo.sz = sizeof lo;
  errno = 0;
  int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "isa_test", "GPL", insns.data(), insns.size(), &lo);
  if (fd < 0) {
    r.load_errno = errno ? errno : -fd;
    // Load again with a log to say why (kept apart so that a good program never pays for it).
    std::vector<char> log(kLogSize, '\0');
    std::memset(&lo, 0, sizeof lo);
    lo.sz = sizeof lo;
    lo.log_buf = log.data();
    lo.log_size = static_cast<uint32_t>(log.size());
    lo.log_level = 1;
    fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "isa_test", "GPL", insns.data(), insns.size(), &lo);
    if (fd >= 0) {  // accepted on the second try (should not happen): use it
      r.load_errno = 0;
    } else {
      r.verifier_log.assign(log.data(), strnlen(log.data(), log.size()));
      return r;
    }
  }
  r.loaded = true;

  bpf_test_run_opts ro;
  std::memset(&ro, 0, sizeof ro);
  ro.sz = sizeof ro;
  ro.data_in = packet.data();
  ro.data_size_in = static_cast<uint32_t>(packet.size());
  ro.repeat = 1;
  errno = 0;
  const int err = bpf_prog_test_run_opts(fd, &ro);
  if (err != 0) {
    r.run_errno = errno ? errno : -err;
  } else {
    r.ran = true;
    r.retval = ro.retval;
  }
  close(fd);
  return r;
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kAgree: return "agree";
    case Verdict::kDisagree: return "DISAGREE";
    case Verdict::kRefused: return "refused";
    case Verdict::kNoResult: return "no-result";
    case Verdict::kError: return "ERROR";
  }
  return "?";
}

std::string refusal_reason(const std::string& log, size_t max_lines) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string l; std::getline(in, l);) {
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    if (!l.empty()) lines.push_back(l);
  }
  // Statistics come last ("processed N insns ...", "verification time ..."); cut them off.
  size_t end = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("processed ", 0) == 0) {
      end = i;
      break;
    }
  }
  if (end == 0) return lines.empty() ? std::string("(empty verifier log)") : lines.front();
  const size_t begin = end > max_lines ? end - max_lines : 0;
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += " | ";
    out += lines[i];
  }
  return out;
}

FileReport check_file(const std::filesystem::path& path) {
  FileReport rep;
  rep.path = path.string();
  DataTest t;
  try {
    t = parse_data_file(path);
  } catch (const std::exception& e) {
    rep.verdict = Verdict::kError;
    rep.reason = std::string("cannot parse/assemble: ") + e.what();
    return rep;
  }
  rep.expected = t.result;

  std::vector<uint8_t> packet = t.memory;
  if (packet.size() < kMinXdpPacket) packet.resize(kMinXdpPacket, 0);
  const auto mem_len = static_cast<uint32_t>(t.memory.size());

  std::vector<Insn> low_prog, high_prog;
  try {
    low_prog = with_prolog(t.program, mem_len);
    high_prog = with_prolog(high_half_variant(t.program), mem_len);
  } catch (const std::exception& e) {
    rep.verdict = Verdict::kError;
    rep.reason = std::string("cannot build the kernel program: ") + e.what();
    return rep;
  }

  const Run low = load_and_run(low_prog, packet);
  if (!low.loaded) {
    rep.verdict = t.result ? Verdict::kRefused : Verdict::kNoResult;
    rep.reason = errno_text(low.load_errno) + ": " + refusal_reason(low.verifier_log);
    rep.verifier_log = low.verifier_log;
    return rep;
  }
  if (!low.ran) {
    rep.verdict = Verdict::kError;
    rep.reason = "BPF_PROG_TEST_RUN failed: " + errno_text(low.run_errno);
    return rep;
  }
  const Run high = load_and_run(high_prog, packet);
  if (!high.loaded || !high.ran) {
    rep.verdict = Verdict::kError;
    rep.reason = "the upper-half variant failed (" +
                 (high.loaded ? "test_run: " + errno_text(high.run_errno)
                              : "refused: " + refusal_reason(high.verifier_log)) +
                 ") although the program itself loaded";
    rep.verifier_log = high.verifier_log;
    return rep;
  }
  rep.kernel_accepted = true;
  rep.kernel_r0 = (static_cast<uint64_t>(high.retval) << 32) | low.retval;
  if (!t.result) {
    rep.verdict = Verdict::kNoResult;
    rep.reason = "no -- result; the kernel accepted it and returned " + hex64(rep.kernel_r0);
  } else if (*t.result == rep.kernel_r0) {
    rep.verdict = Verdict::kAgree;
  } else {
    rep.verdict = Verdict::kDisagree;
    rep.reason = "kernel " + hex64(rep.kernel_r0) + ", expected " + hex64(*t.result);
  }
  return rep;
}

Summary summarize(std::span<const FileReport> reports) {
  Summary s;
  for (const FileReport& r : reports) {
    switch (r.verdict) {
      case Verdict::kAgree: ++s.agree; break;
      case Verdict::kDisagree: ++s.disagree; break;
      case Verdict::kRefused: ++s.refused; break;
      case Verdict::kNoResult: ++s.no_result; break;
      case Verdict::kError: ++s.error; break;
    }
  }
  return s;
}

}  // namespace ebpf::kernel
