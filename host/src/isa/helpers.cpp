// The helper table (Linux IDs). Engines implement each listed helper; the checker refuses
// any other ID at load time.
#include "ebpf_fpga/helpers.h"

#include <algorithm>
#include <iterator>

namespace ebpf {
namespace {

constexpr HelperInfo kHelpers[] = {
    {helper_id::kKtimeGetNs, "ktime_get_ns"},
};

}  // namespace

std::span<const HelperInfo> helpers() { return kHelpers; }

std::optional<HelperInfo> find_helper(int32_t id) {
  auto it = std::find_if(std::begin(kHelpers), std::end(kHelpers),
                         [id](const HelperInfo& h) { return h.id == id; });
  if (it == std::end(kHelpers)) return std::nullopt;
  return *it;
}

}  // namespace ebpf
