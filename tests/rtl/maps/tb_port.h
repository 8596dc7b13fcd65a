// MapUnitPort over the Verilated test bench (tb_map_unit.sv): one clock per tick.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "Vtb_map_unit.h"
#include "ebpf_fpga/error.h"
#include "map_unit_driver.h"
#include "verilated.h"

namespace ebpf {

class TbMapPort final : public MapUnitPort {
 public:
  TbMapPort() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(2);
    m_ = std::make_unique<Vtb_map_unit>(ctx_.get());
    // Inputs start random under randReset(2): drive every one.
    m_->cmd_valid_i = 0;
    m_->cmd_op_i = 0;
    m_->cmd_map_i = 0;
    m_->cmd_flags_i = 0;
    m_->cmd_prog_i = 0;
    m_->cmd_cpu_i = 0;
    m_->cmd_null_key_i = 0;
    m_->kbuf_req_i = 0;
    m_->kbuf_we_i = 0;
    m_->kbuf_addr_i = 0;
    m_->kbuf_wdata_i = 0;
    m_->kbuf_wmask_i = 0;
    m_->vbuf_req_i = 0;
    m_->vbuf_we_i = 0;
    m_->vbuf_addr_i = 0;
    m_->vbuf_wdata_i = 0;
    m_->vbuf_wmask_i = 0;
    m_->desc_we_i = 0;
    m_->desc_addr_i = 0;
    m_->desc_wdata_i = 0;
    m_->tvm_req_i = 0;
    m_->tvm_we_i = 0;
    m_->tvm_addr_i = 0;
    m_->tvm_wdata_i = 0;
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->eval();
    tick();
    tick();
    m_->rst_ni = 1;
    tick();
  }
  ~TbMapPort() override { m_->final(); }

  void tick() {
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
    ++cycles_;
  }
  uint64_t cycles() const { return cycles_; }

  void write_desc(uint32_t index, uint32_t value) override {
    m_->desc_we_i = 1;
    m_->desc_addr_i = static_cast<uint16_t>(index);
    m_->desc_wdata_i = value;
    tick();
    m_->desc_we_i = 0;
  }
  void write_kbuf(uint32_t word, uint64_t data, uint8_t mask) override {
    m_->kbuf_req_i = 1;
    m_->kbuf_we_i = 1;
    m_->kbuf_addr_i = static_cast<uint8_t>(word);
    m_->kbuf_wdata_i = data;
    m_->kbuf_wmask_i = mask;
    tick();
    m_->kbuf_req_i = 0;
    m_->kbuf_we_i = 0;
  }
  uint64_t read_kbuf(uint32_t word) override {
    m_->kbuf_req_i = 1;
    m_->kbuf_we_i = 0;
    m_->kbuf_addr_i = static_cast<uint8_t>(word);
    tick();
    m_->kbuf_req_i = 0;
    return m_->kbuf_rdata_o;
  }
  void write_vbuf(uint32_t word, uint64_t data, uint8_t mask) override {
    m_->vbuf_req_i = 1;
    m_->vbuf_we_i = 1;
    m_->vbuf_addr_i = static_cast<uint8_t>(word);
    m_->vbuf_wdata_i = data;
    m_->vbuf_wmask_i = mask;
    tick();
    m_->vbuf_req_i = 0;
    m_->vbuf_we_i = 0;
  }
  uint64_t read_vbuf(uint32_t word) override {
    m_->vbuf_req_i = 1;
    m_->vbuf_we_i = 0;
    m_->vbuf_addr_i = static_cast<uint8_t>(word);
    tick();
    m_->vbuf_req_i = 0;
    return m_->vbuf_rdata_o;
  }
  // Value memory word, through the test port (unit idle).
  uint64_t read_value_word(uint32_t word) {
    m_->tvm_req_i = 1;
    m_->tvm_we_i = 0;
    m_->tvm_addr_i = static_cast<uint16_t>(word);
    tick();
    m_->tvm_req_i = 0;
    return m_->tvm_rdata_o;
  }
  Vtb_map_unit& model() { return *m_; }

  Result command(MapOp op, uint32_t map, uint64_t flags, bool prog, uint32_t cpu,
                 bool null_key) override {
    m_->cmd_valid_i = 1;
    m_->cmd_op_i = static_cast<uint8_t>(op);
    m_->cmd_map_i = map;
    m_->cmd_flags_i = flags;
    m_->cmd_prog_i = prog;
    m_->cmd_cpu_i = static_cast<uint8_t>(cpu);
    m_->cmd_null_key_i = null_key;
    Result r;
    for (uint64_t n = 1;; ++n) {
      tick();
      if (m_->cmd_done_o) {
        r.status = static_cast<int32_t>(m_->cmd_status_o);
        r.offset = m_->cmd_offset_o;
        r.word = m_->cmd_word_o;
        r.cycles = n;
        break;
      }
      if (n > kTimeout) {
        m_->cmd_valid_i = 0;
        std::string msg = "map unit: command ";
        msg += std::to_string(static_cast<int>(op));
        msg += " on map ";
        msg += std::to_string(map);
        msg += " did not finish in ";
        msg += std::to_string(kTimeout);
        msg += " cycles";
        throw Error(msg);
      }
    }
    m_->cmd_valid_i = 0;
    return r;
  }

  static constexpr uint64_t kTimeout = 10'000'000;

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtb_map_unit> m_;
  uint64_t cycles_ = 0;
};

}  // namespace ebpf
