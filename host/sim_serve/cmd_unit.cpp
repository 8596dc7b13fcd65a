// The command unit's register behaviour, exactly as docs/host.md specifies it for the RTL.
#include "cmd_unit.h"

#include <cerrno>

namespace ebpf::simserve {

uint32_t CmdUnit::read(uint32_t addr) {
  const uint32_t off = addr - base_;
  switch (off) {
    case cmd_reg::kStage: return stage_;
    case cmd_reg::kOp: return op_;
    case cmd_reg::kLastSeq: return last_seq_;
    case cmd_reg::kDoneSeq: return done_seq_;
    case cmd_reg::kResult: return static_cast<uint32_t>(result_);
    case cmd_reg::kDoneOp: return done_op_;
    case cmd_reg::kStatus: return busy_ ? cmd_reg::kStatusBusy : 0;
    case cmd_reg::kArgWords: return kArgWords;
    case cmd_reg::kExecuted: return executed_;
    default: break;
  }
  if (off >= cmd_reg::kArgs && off < cmd_reg::kArgs + 4 * kArgWords) {
    return args_[(off - cmd_reg::kArgs) / 4];
  }
  if (off >= cmd_reg::kRdata && off < cmd_reg::kBlockSize) {
    return rdata_[(off - cmd_reg::kRdata) / 4];
  }
  return 0;
}

void CmdUnit::write(uint32_t addr, uint32_t value) {
  const uint32_t off = addr - base_;
  const bool staging = stage_ == last_seq_ + 1 && !busy_;
  if (off == cmd_reg::kStage) {
    stage_ = value;
  } else if (off == cmd_reg::kOp) {
    if (staging) op_ = value;
  } else if (off >= cmd_reg::kArgs && off < cmd_reg::kArgs + 4 * kArgWords) {
    if (staging) args_[(off - cmd_reg::kArgs) / 4] = value;
  } else if (off == cmd_reg::kDoorbell) {
    if (value == last_seq_ + 1 && stage_ == value && !busy_) {
      last_seq_ = value;
      busy_ = true;
      due_ = Clock::now() + latency_;
      if (latency_.count() == 0) complete();
    }
  }
}

bool CmdUnit::advance() {
  if (busy_ && Clock::now() >= due_) complete();
  return busy_;
}

void CmdUnit::complete() {
  result_ = 0;
  switch (op_) {
    case cmd_reg::kOpNop:
      break;
    case kOpAdd:
      acc_[args_[0] & 0xff] += args_[1];
      rdata_[0] = acc_[args_[0] & 0xff];
      break;
    case kOpGet:
      rdata_[0] = acc_[args_[0] & 0xff];
      break;
    default:
      result_ = -EINVAL;
      break;
  }
  done_seq_ = last_seq_;
  done_op_ = op_;
  ++executed_;
  busy_ = false;
}

}  // namespace ebpf::simserve
