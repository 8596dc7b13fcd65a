// An emulation of the exactly-once command unit (ebpf_fpga/cmd_channel.h, docs/host.md) on
// the simulated board, for testing the host side before the map unit implements the protocol
// in RTL. Test opcodes: NOP (0), ADD (1: acc[ARG0 & 255] += ARG1, RDATA0 = the new value),
// GET (2: RDATA0 = acc[ARG0 & 255]); any other opcode completes with RESULT = -EINVAL.
// ADD is deliberately not idempotent: executing a command twice shows in the sums.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

#include "ebpf_fpga/cmd_channel.h"

namespace ebpf::simserve {

class CmdUnit {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr uint32_t kOpAdd = 1, kOpGet = 2;
  static constexpr uint32_t kArgWords = 64;

  // `latency`: how long an accepted command stays BUSY before it completes.
  CmdUnit(uint32_t base, std::chrono::microseconds latency) : base_(base), latency_(latency) {}

  bool contains(uint32_t addr) const { return addr - base_ < cmd_reg::kBlockSize; }
  uint32_t read(uint32_t addr);
  void write(uint32_t addr, uint32_t value);

  // Completes the command in flight when its time has come; true while one is pending.
  bool advance();
  bool busy() const { return busy_; }
  Clock::time_point due() const { return due_; }
  uint64_t executed() const { return executed_; }

 private:
  void complete();

  uint32_t base_;
  std::chrono::microseconds latency_;
  uint32_t stage_ = 0, op_ = 0, last_seq_ = 0, done_seq_ = 0, done_op_ = 0;
  int32_t result_ = 0;
  bool busy_ = false;
  Clock::time_point due_{};
  uint32_t executed_ = 0;
  std::array<uint32_t, kArgWords> args_{};
  std::array<uint32_t, 256> rdata_{};
  std::array<uint32_t, 256> acc_{};
};

}  // namespace ebpf::simserve
