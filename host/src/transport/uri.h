// Device URIs (docs/host.md): "scheme:" or "scheme://rest", then an optional "?k=v&k=v"
// query holding transport options. Internal to the transport library.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ebpf_fpga/bus.h"

namespace ebpf::transport {

struct Uri {
  std::string text;    // as given
  std::string scheme;  // "sim", "udp", "pcie", "pcie-socket", "interp"
  std::string rest;    // after "scheme://" or "scheme:", before '?'
  std::vector<std::pair<std::string, std::string>> query;
};

// Throws BusError(-EINVAL) naming the URI when it has no scheme or a malformed query.
Uri parse_uri(std::string_view text);

// Applies the query options named in `allowed` to `opts`; throws BusError(-EINVAL) for an
// unknown option (listing the known ones) or a bad value.
void apply_query(const Uri& uri, const std::vector<std::string_view>& allowed, BusOpts& opts);

// "udp://HOST:PORT" parts; HOST may be a name, an IPv4 address or [IPv6]. Throws
// BusError(-EINVAL) for a missing or out-of-range port.
struct HostPort {
  std::string host;
  uint16_t port = 0;
};
HostPort parse_host_port(const Uri& uri, bool allow_port_zero);

}  // namespace ebpf::transport
