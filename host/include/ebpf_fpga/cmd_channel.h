// Exactly-once commands over any Bus (docs/host.md, "Exactly-once commands").
//
// Reads and plain register writes can be repeated safely, so a transport may retry them. A
// command with a side effect that must happen once (a map update's "go", later the map unit's
// other commands) is sequence-numbered instead: the host stages the command under sequence
// number SEQ and rings the doorbell with SEQ; the device executes a doorbell only when SEQ is
// one past the last sequence number it accepted, and exposes the last accepted and completed
// SEQ and the result. A re-sent, duplicated or late datagram then finds its SEQ already
// accepted and does nothing, so each command takes effect exactly once however the network
// behaves.
//
// Register block, byte offsets from the block's base:
//   0x000 STAGE       RW  sequence number the OP/ARG writes that follow belong to
//   0x004 OP          RW  opcode        } accepted only while STAGE == LAST_SEQ + 1
//   0x008 ARG[i]      RW  argument word } and the unit is not busy
//   0x800 DOORBELL    WO  write SEQ: run the staged command if SEQ == LAST_SEQ + 1 == STAGE
//                          and the unit is not busy; otherwise ignored
//   0x804 LAST_SEQ    RO  last accepted sequence number (0 after reset)
//   0x808 DONE_SEQ    RO  last completed sequence number
//   0x80c RESULT      RO  result of DONE_SEQ: 0 or a negative errno (two's complement)
//   0x810 DONE_OP     RO  opcode of DONE_SEQ
//   0x814 STATUS      RO  bit 0 BUSY (LAST_SEQ accepted, not completed)
//   0x818 ARG_WORDS   RO  capacity of the ARG and RDATA windows in words
//   0x81c EXECUTED    RO  commands executed since reset
//   0xc00 RDATA[i]    RO  result data of DONE_SEQ
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ebpf_fpga/bus.h"

namespace ebpf {

namespace cmd_reg {
inline constexpr uint32_t kStage = 0x000;
inline constexpr uint32_t kOp = 0x004;
inline constexpr uint32_t kArgs = 0x008;
inline constexpr uint32_t kDoorbell = 0x800;
inline constexpr uint32_t kLastSeq = 0x804;
inline constexpr uint32_t kDoneSeq = 0x808;
inline constexpr uint32_t kResult = 0x80c;
inline constexpr uint32_t kDoneOp = 0x810;
inline constexpr uint32_t kStatus = 0x814;
inline constexpr uint32_t kArgWords = 0x818;
inline constexpr uint32_t kExecuted = 0x81c;
inline constexpr uint32_t kRdata = 0xc00;
inline constexpr uint32_t kBlockSize = 0x1000;
inline constexpr uint32_t kMaxArgWords = 254;  // (0x400 - 0x008) / 4: ARG ends below 0x400
inline constexpr uint32_t kStatusBusy = 1u << 0;
inline constexpr uint32_t kOpNop = 0;  // every command unit implements it: no effect, result 0
}  // namespace cmd_reg

struct CommandOpts {
  unsigned max_attempts = 8;                       // re-sends of a command the device ignored
  std::chrono::milliseconds busy_timeout{10'000};  // wait for a long-running command
};

struct CommandResult {
  uint32_t seq = 0;
  int32_t result = 0;           // 0 or a negative errno
  std::vector<uint32_t> data = {};  // RDATA[0 .. result_words)
};

struct CommandStats {
  uint64_t commands = 0;       // completed
  uint64_t resends = 0;        // whole commands sent again because the device ignored them
  uint64_t polls = 0;          // status reads while a command was busy
  uint64_t fences = 0;         // NOPs issued to settle a command whose fate was unknown
  uint64_t late_executions = 0;  // abandoned commands found executed by the fence
};

class CommandChannel {
 public:
  // Reads the unit's LAST_SEQ, DONE_SEQ and ARG_WORDS; the first command gets LAST_SEQ + 1.
  // Throws ebpf::Error when the block does not look like a command unit.
  CommandChannel(Bus& bus, uint32_t base, const CommandOpts& opts = {});

  // Executes one command exactly once and returns its result. Throws BusError when the bus
  // fails (then the command may or may not have been executed: the next execute() settles
  // that first, with a NOP under the same sequence number) and ebpf::Error when the device
  // shows that it was reset or that another host uses the unit.
  CommandResult execute(uint32_t op, std::span<const uint32_t> args, size_t result_words = 0);

  uint32_t next_seq() const { return next_seq_; }
  uint32_t arg_words() const { return arg_words_; }
  const CommandStats& stats() const { return stats_; }

 private:
  struct State {
    uint32_t last_seq, done_seq, status, done_op;
    int32_t result;
  };
  State read_state(std::vector<uint32_t>* data, size_t words);
  void settle();
  [[noreturn]] void lost_sync(const State& s, uint32_t seq) const;

  Bus& bus_;
  uint32_t base_;
  CommandOpts opts_;
  uint32_t next_seq_ = 1;
  uint32_t arg_words_ = 0;
  bool unsettled_ = false;  // the last command failed on the bus: its fate is unknown
  uint32_t unsettled_op_ = 0;
  CommandStats stats_;
};

}  // namespace ebpf
