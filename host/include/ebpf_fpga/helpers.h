// Helper functions by Linux helper ID (include/uapi/linux/bpf.h): one table that the checker
// (is this ID known?) and every engine (what does it do?) share.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ebpf {

struct HelperInfo {
  int32_t id;
  std::string_view name;  // Linux name without the bpf_ prefix
};

// Helpers this build implements, sorted by ID.
std::span<const HelperInfo> helpers();
std::optional<HelperInfo> find_helper(int32_t id);

namespace helper_id {
inline constexpr int32_t kKtimeGetNs = 5;
}  // namespace helper_id

}  // namespace ebpf
