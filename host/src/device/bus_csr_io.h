// CsrIo over a Bus: the one adapter every bus-driven layer (the device engine, the offload
// library) uses. Writes queue in a batch that the next read flushes; a map command's staging,
// doorbell and read-back go as one datagram on udp:// when they fit.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "csr_protocol.h"
#include "ebpf_fpga/bus.h"

namespace ebpf::device {

class BusCsrIo final : public CsrIo {
 public:
  explicit BusCsrIo(Bus& bus) : bus_(bus), batch_(bus) {}
  void write(uint32_t addr, uint32_t value) override { batch_.write(addr, value); }
  uint32_t read(uint32_t addr) override {
    uint32_t v = 0;
    batch_.read(addr, &v);
    batch_.flush();
    return v;
  }
  std::vector<uint32_t> read_block(uint32_t base, size_t count) override {
    flush();
    return bus_.read_block(base, count);
  }
  void idle() override { bus_.wait(std::chrono::microseconds(1)); }
  // One datagram on udp:// (retried whole) when it fits, else several in order (an atomic
  // batch that does not fit is refused before anything is sent).
  void exchange(std::span<const std::pair<uint32_t, uint32_t>> writes,
                std::span<const uint32_t> reads, uint32_t* out) override {
    flush();
    for (bool atomic : {true, false}) {
      BusBatch b(bus_);
      for (const auto& [a, v] : writes) b.write(a, v);
      for (size_t i = 0; i < reads.size(); ++i) b.read(reads[i], &out[i]);
      try {
        b.flush({.atomic = atomic});
        return;
      } catch (const BusError& e) {
        if (!atomic || e.code() != -EMSGSIZE) throw;
        ++split_exchanges;
      }
    }
  }
  void flush() {
    if (!batch_.empty()) batch_.flush();
  }

  uint64_t split_exchanges = 0;  // exchanges too large for one datagram

 private:
  Bus& bus_;
  BusBatch batch_;
};

}  // namespace ebpf::device
