// Bus: the operations every transport shares (validation, 64-bit pairs, bursts, batches) and
// the URI dispatch of Bus::open.
#include "ebpf_fpga/bus.h"

#include <cerrno>
#include <cstdio>
#include <thread>

#include "transports.h"
#include "uri.h"

namespace ebpf {

using transport::hex32;

namespace transport {
std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}
}  // namespace transport

namespace {

std::string describe_op(const BusOp& op) {
  if (op.kind == BusOp::Kind::kRead) return "read " + hex32(op.addr);
  return "write " + hex32(op.addr) + " = " + hex32(op.value);
}

}  // namespace

std::string describe_ops(std::span<const BusOp> ops) {
  if (ops.empty()) return "no operations";
  if (ops.size() == 1) return describe_op(ops[0]);
  auto brief = [](const BusOp& op) {
    return std::string(op.kind == BusOp::Kind::kRead ? "read " : "write ") + hex32(op.addr);
  };
  return std::to_string(ops.size()) + " operations (" + brief(ops.front()) + " ... " +
         brief(ops.back()) + ")";
}

std::unique_ptr<Bus> Bus::open(std::string_view text, const BusOpts& opts) {
  const transport::Uri uri = transport::parse_uri(text);
  if (uri.scheme == "sim") return transport::open_sim(uri, opts);
  if (uri.scheme == "udp") return transport::open_udp(uri, opts);
  if (uri.scheme == "pcie") return transport::open_pcie(uri, opts);
  if (uri.scheme == "pcie-socket") return transport::open_pcie_socket(uri, opts);
  if (uri.scheme == "interp") {
    throw BusError(-EINVAL, uri.text + ": the reference interpreter has no register bus "
                                       "(open it as a Device: Device::open(\"interp:\"))");
  }
  throw BusError(-EINVAL, uri.text + ": unknown transport '" + uri.scheme +
                              "' (known: sim:, udp://HOST:PORT, pcie://BDF, "
                              "pcie-socket://PATH)");
}

Bus::~Bus() = default;

void Bus::execute(std::span<BusOp> ops, const FlushOpts& opts) {
  if (ops.empty()) return;
  for (const BusOp& op : ops) {
    if (op.addr & 3) {
      throw BusError(-EINVAL, uri_ + ": " + describe_op(op) + ": address is not 4-byte aligned");
    }
  }
  ++stats_.flushes;
  do_execute(ops, opts);
  for (const BusOp& op : ops) {
    if (op.kind == BusOp::Kind::kRead) ++stats_.reads; else ++stats_.writes;
  }
}

void Bus::wait(std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); }

uint32_t Bus::read(uint32_t addr) {
  BusOp op{BusOp::Kind::kRead, addr, 0};
  execute({&op, 1});
  return op.value;
}

void Bus::write(uint32_t addr, uint32_t value) {
  BusOp op{BusOp::Kind::kWrite, addr, value};
  execute({&op, 1});
}

uint64_t Bus::read64(uint32_t addr_lo) {
  BusOp ops[2] = {{BusOp::Kind::kRead, addr_lo, 0}, {BusOp::Kind::kRead, addr_lo + 4, 0}};
  execute(ops);
  return ops[0].value | static_cast<uint64_t>(ops[1].value) << 32;
}

void Bus::write64(uint32_t addr_lo, uint64_t value) {
  BusOp ops[2] = {{BusOp::Kind::kWrite, addr_lo, static_cast<uint32_t>(value)},
                  {BusOp::Kind::kWrite, addr_lo + 4, static_cast<uint32_t>(value >> 32)}};
  execute(ops);
}

std::vector<uint32_t> Bus::read_burst(std::span<const uint32_t> addrs) {
  std::vector<BusOp> ops;
  ops.reserve(addrs.size());
  for (uint32_t a : addrs) ops.push_back({BusOp::Kind::kRead, a, 0});
  execute(ops);
  std::vector<uint32_t> out(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) out[i] = ops[i].value;
  return out;
}

void Bus::write_burst(std::span<const uint32_t> addrs, std::span<const uint32_t> values) {
  if (addrs.size() != values.size()) {
    throw BusError(-EINVAL, uri_ + ": write burst of " + std::to_string(addrs.size()) +
                                " addresses with " + std::to_string(values.size()) + " values");
  }
  std::vector<BusOp> ops;
  ops.reserve(addrs.size());
  for (size_t i = 0; i < addrs.size(); ++i) {
    ops.push_back({BusOp::Kind::kWrite, addrs[i], values[i]});
  }
  execute(ops);
}

std::vector<uint32_t> Bus::read_block(uint32_t base, size_t count) {
  std::vector<uint32_t> addrs(count);
  for (size_t i = 0; i < count; ++i) addrs[i] = base + static_cast<uint32_t>(4 * i);
  return read_burst(addrs);
}

void Bus::write_block(uint32_t base, std::span<const uint32_t> values) {
  std::vector<BusOp> ops;
  ops.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    ops.push_back({BusOp::Kind::kWrite, base + static_cast<uint32_t>(4 * i), values[i]});
  }
  execute(ops);
}

BusBatch& BusBatch::write(uint32_t addr, uint32_t value) {
  ops_.push_back({BusOp::Kind::kWrite, addr, value});
  return *this;
}

BusBatch& BusBatch::write64(uint32_t addr_lo, uint64_t value) {
  write(addr_lo, static_cast<uint32_t>(value));
  return write(addr_lo + 4, static_cast<uint32_t>(value >> 32));
}

BusBatch& BusBatch::write_block(uint32_t base, std::span<const uint32_t> values) {
  for (size_t i = 0; i < values.size(); ++i) write(base + static_cast<uint32_t>(4 * i), values[i]);
  return *this;
}

BusBatch& BusBatch::read(uint32_t addr, uint32_t* out) {
  if (out) outs_.emplace_back(ops_.size(), out);
  ops_.push_back({BusOp::Kind::kRead, addr, 0});
  return *this;
}

BusBatch& BusBatch::read64(uint32_t addr_lo, uint64_t* out) {
  wides_.push_back({out, ops_.size()});
  read(addr_lo);
  return read(addr_lo + 4);
}

BusBatch& BusBatch::read_block(uint32_t base, size_t count, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) {
    read(base + static_cast<uint32_t>(4 * i), out ? out + i : nullptr);
  }
  return *this;
}

void BusBatch::clear() {
  ops_.clear();
  outs_.clear();
  wides_.clear();
}

std::vector<uint32_t> BusBatch::flush(const FlushOpts& opts) {
  std::vector<BusOp> ops;
  ops.swap(ops_);
  auto outs = std::move(outs_);
  auto wides = std::move(wides_);
  clear();
  bus_.execute(ops, opts);
  for (const auto& [i, out] : outs) *out = ops[i].value;
  for (const Wide& w : wides) {
    *w.out = ops[w.lo].value | static_cast<uint64_t>(ops[w.lo + 1].value) << 32;
  }
  std::vector<uint32_t> values;
  for (const BusOp& op : ops) {
    if (op.kind == BusOp::Kind::kRead) values.push_back(op.value);
  }
  return values;
}

}  // namespace ebpf
