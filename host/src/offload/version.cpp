// The version of the installed host library (libebpf_fpga.so).
#include "ebpf_fpga/offload.h"

namespace ebpf {
const char* library_version() { return EBPF_FPGA_VERSION; }
}  // namespace ebpf
