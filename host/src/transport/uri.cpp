// Device URI parsing and transport options from the query string.
#include "uri.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>

namespace ebpf::transport {
namespace {

[[noreturn]] void bad(const std::string& uri, const std::string& why) {
  throw BusError(-EINVAL, uri + ": " + why);
}

uint64_t parse_uint(const Uri& uri, const std::string& key, const std::string& value,
                    uint64_t max) {
  uint64_t v = 0;
  const char* end = value.data() + value.size();
  const auto [p, ec] = std::from_chars(value.data(), end, v);
  if (value.empty() || ec != std::errc() || p != end || v > max) {
    bad(uri.text, "option " + key + "=" + value + ": expected a whole number up to " +
                      std::to_string(max));
  }
  return v;
}

}  // namespace

Uri parse_uri(std::string_view text) {
  Uri u;
  u.text = std::string(text);
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    bad(u.text, "not a device URI (expected sim:, interp:, udp://HOST:PORT, pcie://BDF or "
                "pcie-socket://PATH)");
  }
  u.scheme = std::string(text.substr(0, colon));
  std::string_view rest = text.substr(colon + 1);
  if (rest.starts_with("//")) rest.remove_prefix(2);
  const size_t q = rest.find('?');
  u.rest = std::string(rest.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view item = query.substr(0, amp);
      const size_t eq = item.find('=');
      if (item.empty() || eq == 0 || eq == std::string_view::npos) {
        bad(u.text, "malformed option '" + std::string(item) + "' (expected KEY=VALUE)");
      }
      u.query.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  return u;
}

void apply_query(const Uri& uri, const std::vector<std::string_view>& allowed, BusOpts& opts) {
  for (const auto& [key, value] : uri.query) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      bad(uri.text, "unknown option '" + key + "' for " + uri.scheme + ": (known: " +
                        (list.empty() ? "none" : list) + ")");
    }
    if (key == "timeout_ms") {
      opts.timeout = std::chrono::milliseconds(parse_uint(uri, key, value, 600'000));
    } else if (key == "timeout_us") {
      opts.timeout = std::chrono::microseconds(parse_uint(uri, key, value, 600'000'000));
    } else if (key == "max_timeout_ms") {
      opts.max_timeout = std::chrono::milliseconds(parse_uint(uri, key, value, 600'000));
    } else if (key == "retries") {
      opts.retries = static_cast<unsigned>(parse_uint(uri, key, value, 1000));
    } else if (key == "backoff") {
      char* end = nullptr;
      const double b = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(b >= 1.0 && b <= 16.0)) {
        bad(uri.text, "option backoff=" + value + ": expected a factor from 1 to 16");
      }
      opts.backoff = b;
    } else if (key == "mtu") {
      opts.mtu = static_cast<unsigned>(parse_uint(uri, key, value, 65535));
      if (opts.mtu < 576) bad(uri.text, "option mtu=" + value + ": at least 576");
    } else if (key == "max_records") {
      opts.max_records = static_cast<unsigned>(parse_uint(uri, key, value, 255));
    } else if (key == "fence") {
      uint32_t v = 0;
      const char* b = value.data();
      const char* e = b + value.size();
      const bool hex = value.starts_with("0x") || value.starts_with("0X");
      const auto [p, ec] = std::from_chars(hex ? b + 2 : b, e, v, hex ? 16 : 10);
      if (value.empty() || ec != std::errc() || p != e || (v & 3) != 0) {
        bad(uri.text, "option fence=" + value + ": expected a 4-byte aligned address");
      }
      opts.fence_addr = v;
    } else if (key == "probe") {
      if (value != "0" && value != "1") bad(uri.text, "option probe=" + value + ": 0 or 1");
      opts.probe = value == "1";
    } else if (key == "io_timeout_ms") {
      opts.io_timeout = std::chrono::milliseconds(parse_uint(uri, key, value, 600'000));
    } else if (key == "trace") {
      if (value.empty()) bad(uri.text, "option trace= needs a file name");
      opts.trace_path = value;
    } else if (key == "sysfs") {
      opts.sysfs_pci_root = value;
    }
  }
}

HostPort parse_host_port(const Uri& uri, bool allow_port_zero) {
  HostPort hp;
  std::string_view r = uri.rest;
  size_t port_at;
  if (r.starts_with('[')) {
    const size_t close = r.find(']');
    if (close == std::string_view::npos) bad(uri.text, "unterminated [IPv6] address");
    hp.host = std::string(r.substr(1, close - 1));
    if (close + 1 >= r.size() || r[close + 1] != ':') {
      bad(uri.text, "missing :PORT after the address (e.g. " + uri.scheme + "://[::1]:1234)");
    }
    port_at = close + 2;
  } else {
    const size_t colon = r.rfind(':');
    if (colon == std::string_view::npos) {
      bad(uri.text, "missing :PORT (e.g. " + uri.scheme + "://127.0.0.1:1234)");
    }
    hp.host = std::string(r.substr(0, colon));
    port_at = colon + 1;
  }
  if (hp.host.empty()) bad(uri.text, "missing host (e.g. " + uri.scheme + "://127.0.0.1:1234)");
  const std::string port(r.substr(port_at));
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || v > 65535 ||
      (v == 0 && !allow_port_zero)) {
    bad(uri.text, "bad port '" + port + "' (expected " + (allow_port_zero ? "0" : "1") +
                      "..65535)");
  }
  hp.port = static_cast<uint16_t>(v);
  return hp;
}

}  // namespace ebpf::transport
