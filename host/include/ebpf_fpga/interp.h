// The reference interpreter: the golden model every other engine is compared against.
#pragma once

#include <memory>

#include "ebpf_fpga/engine.h"

namespace ebpf {

std::unique_ptr<Engine> make_interpreter();

}  // namespace ebpf
