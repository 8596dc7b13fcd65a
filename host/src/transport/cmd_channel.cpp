// Host side of the exactly-once command protocol (ebpf_fpga/cmd_channel.h, docs/host.md).
#include "ebpf_fpga/cmd_channel.h"

#include <thread>

#include "transports.h"

namespace ebpf {

using transport::hex32;
using Clock = std::chrono::steady_clock;

CommandChannel::CommandChannel(Bus& bus, uint32_t base, const CommandOpts& opts)
    : bus_(bus), base_(base), opts_(opts) {
  uint32_t last = 0, words = 0;
  BusBatch b(bus_);
  b.read(base_ + cmd_reg::kLastSeq, &last).read(base_ + cmd_reg::kArgWords, &words);
  b.flush();
  if (words == 0 || words > cmd_reg::kMaxArgWords) {
    throw Error(bus_.uri() + ": no command unit at " + hex32(base_) + " (ARG_WORDS reads " +
                std::to_string(words) + ", expected 1.." + std::to_string(cmd_reg::kMaxArgWords) +
                ")");
  }
  arg_words_ = words;
  next_seq_ = last + 1;
}

CommandChannel::State CommandChannel::read_state(std::vector<uint32_t>* data, size_t words) {
  State s{};
  uint32_t result = 0;
  BusBatch b(bus_);
  b.read(base_ + cmd_reg::kLastSeq, &s.last_seq)
      .read(base_ + cmd_reg::kDoneSeq, &s.done_seq)
      .read(base_ + cmd_reg::kResult, &result)
      .read(base_ + cmd_reg::kDoneOp, &s.done_op)
      .read(base_ + cmd_reg::kStatus, &s.status);
  if (data) {
    data->assign(words, 0);
    b.read_block(base_ + cmd_reg::kRdata, words, data->data());
  }
  b.flush();
  s.result = static_cast<int32_t>(result);
  return s;
}

void CommandChannel::lost_sync(const State& s, uint32_t seq) const {
  throw Error(bus_.uri() + ": command unit at " + hex32(base_) + ": LAST_SEQ reads " +
              std::to_string(s.last_seq) + " and DONE_SEQ " + std::to_string(s.done_seq) +
              " while command " + std::to_string(seq) +
              " was expected next: the device was reset or another host is using the unit");
}

// The previous command failed on the bus, so it may still arrive and run. Settle its fate:
// if the device has not accepted it, take its sequence number with a NOP in one datagram, so
// that a late copy of it can never run.
void CommandChannel::settle() {
  const uint32_t seq = next_seq_;
  State s = read_state(nullptr, 0);
  if (s.last_seq == seq - 1 && s.done_seq == seq - 1) {
    const uint32_t staged[2] = {seq, cmd_reg::kOpNop};
    BusBatch b(bus_);
    b.write_block(base_ + cmd_reg::kStage, staged).write(base_ + cmd_reg::kDoorbell, seq);
    b.flush({.atomic = true});
    ++stats_.fences;
    s = read_state(nullptr, 0);
  }
  const Clock::time_point deadline = Clock::now() + opts_.busy_timeout;
  while (s.last_seq == seq && s.done_seq != seq && Clock::now() < deadline) {
    ++stats_.polls;
    bus_.wait(std::chrono::microseconds(100));
    s = read_state(nullptr, 0);
  }
  if (s.done_seq != seq) {
    next_seq_ = s.last_seq + 1;
    unsettled_ = false;
    lost_sync(s, seq);
  }
  if (s.done_op == unsettled_op_ && unsettled_op_ != cmd_reg::kOpNop) ++stats_.late_executions;
  next_seq_ = seq + 1;
  unsettled_ = false;
}

CommandResult CommandChannel::execute(uint32_t op, std::span<const uint32_t> args,
                                      size_t result_words) {
  if (args.size() > arg_words_) {
    throw Error(bus_.uri() + ": command with " + std::to_string(args.size()) +
                " argument words; the unit at " + hex32(base_) + " takes " +
                std::to_string(arg_words_));
  }
  if (result_words > (cmd_reg::kBlockSize - cmd_reg::kRdata) / 4) {
    throw Error(bus_.uri() + ": " + std::to_string(result_words) +
                " result words asked for; RDATA holds 256");
  }
  if (unsettled_) settle();

  const uint32_t seq = next_seq_;
  std::vector<uint32_t> staged;
  staged.reserve(args.size() + 2);
  staged.push_back(seq);
  staged.push_back(op);
  staged.insert(staged.end(), args.begin(), args.end());

  CommandResult out;
  out.seq = seq;
  try {
    for (unsigned attempt = 0;; ++attempt) {
      // Stage, ring and read the outcome in one go: on udp:// one datagram when it fits.
      uint32_t last = 0, done = 0, result = 0, done_op = 0, status = 0;
      out.data.assign(result_words, 0);
      BusBatch b(bus_);
      b.write_block(base_ + cmd_reg::kStage, staged).write(base_ + cmd_reg::kDoorbell, seq);
      b.read(base_ + cmd_reg::kLastSeq, &last)
          .read(base_ + cmd_reg::kDoneSeq, &done)
          .read(base_ + cmd_reg::kResult, &result)
          .read(base_ + cmd_reg::kDoneOp, &done_op)
          .read(base_ + cmd_reg::kStatus, &status);
      b.read_block(base_ + cmd_reg::kRdata, result_words, out.data.data());
      b.flush();
      State s{last, done, status, done_op, static_cast<int32_t>(result)};

      const Clock::time_point deadline = Clock::now() + opts_.busy_timeout;
      while (s.last_seq == seq && s.done_seq != seq) {
        if (Clock::now() >= deadline) {
          unsettled_ = true;
          unsettled_op_ = op;
          throw Error(bus_.uri() + ": command " + std::to_string(seq) + " (op " +
                      std::to_string(op) + ") is still busy after " +
                      std::to_string(opts_.busy_timeout.count()) + " ms");
        }
        ++stats_.polls;
        bus_.wait(std::chrono::microseconds(20));
        s = read_state(&out.data, result_words);
      }
      if (s.done_seq == seq) {
        if (s.done_op != op) {
          throw Error(bus_.uri() + ": command " + std::to_string(seq) + " completed as op " +
                      std::to_string(s.done_op) + ", not op " + std::to_string(op) +
                      ": another host is using the command unit");
        }
        out.result = s.result;
        break;
      }
      if (s.last_seq != seq - 1 || s.done_seq != seq - 1) {
        next_seq_ = s.last_seq + 1;
        lost_sync(s, seq);
      }
      // Not accepted: a stale datagram disturbed the staging between our datagrams. Again.
      if (attempt + 1 >= opts_.max_attempts) {
        unsettled_ = true;
        unsettled_op_ = op;
        throw Error(bus_.uri() + ": command " + std::to_string(seq) + " (op " +
                    std::to_string(op) + "): the device ignored the doorbell " +
                    std::to_string(attempt + 1) + " times");
      }
      ++stats_.resends;
    }
  } catch (const BusError&) {
    unsettled_ = true;
    unsettled_op_ = op;
    throw;
  }
  next_seq_ = seq + 1;
  ++stats_.commands;
  return out;
}

}  // namespace ebpf
