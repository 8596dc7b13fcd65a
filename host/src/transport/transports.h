// The transports behind Bus::open (internal to the transport library).
#pragma once

#include <memory>

#include "ebpf_fpga/bus.h"
#include "uri.h"

namespace ebpf::transport {

std::unique_ptr<Bus> open_sim(const Uri& uri, const BusOpts& opts);
std::unique_ptr<Bus> open_udp(const Uri& uri, const BusOpts& opts);
std::unique_ptr<Bus> open_pcie(const Uri& uri, const BusOpts& opts);
std::unique_ptr<Bus> open_pcie_socket(const Uri& uri, const BusOpts& opts);

// "0x0000000c"
std::string hex32(uint32_t v);

}  // namespace ebpf::transport
