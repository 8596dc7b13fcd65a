// The rtl engine: the Verilator model of the soft-CPU behind the Engine interface.
#pragma once

#include <memory>
#include <string>

#include "ebpf_fpga/engine.h"

namespace ebpf {

struct RtlEngineOptions {
  std::string trace_path;  // non-empty: write waveforms (FST) of every run to this file
};

std::unique_ptr<Engine> make_rtl_engine(const RtlEngineOptions& opts = {});

}  // namespace ebpf
