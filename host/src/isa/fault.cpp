// Stable names of fault codes (the "code" string of the run JSON).
#include "ebpf_fpga/engine.h"

namespace ebpf {

std::string_view fault_name(FaultCode code) {
  switch (code) {
    case FaultCode::kNone: return "none";
    case FaultCode::kLoadOutOfBounds: return "load_out_of_bounds";
    case FaultCode::kStoreOutOfBounds: return "store_out_of_bounds";
    case FaultCode::kReadOnlyWrite: return "read_only_write";
    case FaultCode::kMisalignedAtomic: return "misaligned_atomic";
    case FaultCode::kBudgetExceeded: return "budget_exceeded";
    case FaultCode::kUnknownHelper: return "unknown_helper";
    case FaultCode::kCallDepthExceeded: return "call_depth_exceeded";
    case FaultCode::kInvalidInstruction: return "invalid_instruction";
    case FaultCode::kInvalidCtxAccess: return "invalid_ctx_access";
    case FaultCode::kInvalidAction: return "invalid_action";
    case FaultCode::kHelperFault: return "helper_fault";
  }
  return "unknown";
}

}  // namespace ebpf
