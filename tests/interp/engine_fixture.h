// Runs assembler snippets on one engine, parametrized over every engine built.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/engine.h"

namespace ebpf::testing {

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { engine_ = make_engine(GetParam()); }

  // Assembles and runs `text` with `packet` as conformance memory (r1 = data, r2 = len).
  RunResult run_asm(const std::string& text, std::vector<uint8_t> packet = {},
                    RunOptions ro = {}, LoadOptions lo = {}) {
    engine_->load(assemble(text), lo);
    mem_ = conformance_memory(packet);
    return engine_->run(mem_, ro);
  }
  // Same with an XDP context (r1 = ctx).
  RunResult run_xdp(const std::string& text, std::vector<uint8_t> packet) {
    engine_->load(assemble(text));
    mem_ = MemoryImage{};
    mem_.set_packet(packet);
    mem_.has_ctx = true;
    mem_.ingress_ifindex = 7;
    mem_.rx_queue_index = 3;
    return engine_->run(mem_);
  }

  std::unique_ptr<Engine> engine_;
  MemoryImage mem_;
};

inline std::string engine_param_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace ebpf::testing
