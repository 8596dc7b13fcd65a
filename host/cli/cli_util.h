// Helpers shared by the ebpf-fpga commands and ebpf-fpga-plugin: file I/O, hex input,
// option values. Every failure throws ebpf::Error with a message ready to print.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ebpf::cli {

// Exit codes of every tool: 0 success, 1 failure (bad input, failing tests, a fault),
// 2 usage error (unknown command or option, bad option value).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitUsage = 2;

// The whole file, or throws "PATH: cannot open: reason". "-" reads standard input.
std::vector<uint8_t> read_file(const std::string& path);
std::string read_text_file(const std::string& path);
// Writes (creating or truncating) the file; "-" writes standard output.
void write_file(const std::string& path, const std::vector<uint8_t>& bytes);

// Hex bytes separated by any whitespace ("b7  00 00", "b70000" also works: every token is
// an even number of hex digits). `what` names the input in messages ("program on stdin").
std::vector<uint8_t> parse_hex_bytes(std::string_view text, std::string_view what);

// "v1".."v4" (or "1".."4") to 1..4; throws for anything else.
uint8_t parse_cpu_version(std::string_view text);

}  // namespace ebpf::cli
