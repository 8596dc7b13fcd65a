// A CSR slave as ebpf_top answers: one request per cycle, a read answers the next cycle.
// Reads return a function of the address; addresses in `silent` never answer (to test
// timeouts). Every access is recorded.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

struct CsrAccess {
  bool we;
  uint32_t addr;
  uint32_t wdata;
};

struct CsrSlave {
  std::vector<CsrAccess> log;
  std::set<uint32_t> silent;
  bool pend = false;
  uint32_t pend_addr = 0;

  static uint32_t value_of(uint32_t addr) { return (addr * 0x9e3779b1u) ^ 0x5a5a0000u; }

  // Call after the clock edge with the model's request outputs; returns {rvalid, rdata} to
  // present before the next edge.
  template <typename M>
  void step(M& m) {
    m.csr_rvalid_i = 0;
    m.csr_rdata_i = 0;
    if (pend) {
      m.csr_rvalid_i = 1;
      m.csr_rdata_i = value_of(pend_addr);
      pend = false;
    }
  }
  template <typename M>
  void sample(M& m) {
    if (m.csr_req_o) {
      log.push_back({m.csr_we_o != 0, static_cast<uint32_t>(m.csr_addr_o),
                     static_cast<uint32_t>(m.csr_wdata_o)});
      if (!m.csr_we_o && !silent.count(static_cast<uint32_t>(m.csr_addr_o))) {
        pend = true;
        pend_addr = static_cast<uint32_t>(m.csr_addr_o);
      }
    }
  }
};
