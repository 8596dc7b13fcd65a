// The one exception type of the library: its message names what was wrong and where
// (file, line, column, instruction index or byte offset), ready to print as-is.
#pragma once

#include <stdexcept>
#include <string>

namespace ebpf {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ebpf
