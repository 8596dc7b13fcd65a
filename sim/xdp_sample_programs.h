// Small XDP programs in the assembler's syntax that the packet I/O tests and the benches share
// (tests/rtl/io/test_xdp_top.cpp, bench/rtl/packet_io_bench.cpp,
// bench/board/board_line_rate.cpp), so that a number in one is the same program as in the
// other.
#pragma once

namespace ebpf::sim::samples {

inline constexpr const char* kDrop = "mov %r0, 1\nexit\n";
inline constexpr const char* kPass = "mov %r0, 2\nexit\n";

// Swaps the Ethernet addresses and sends the frame back (XDP_TX); frames under 12 bytes are
// dropped. 16 cycles, 15 instructions on a 64-byte frame.
inline constexpr const char* kMacSwap = R"(
  ldxw %r2, [%r1+0]
  ldxw %r3, [%r1+4]
  mov %r4, %r2
  add %r4, 12
  jgt %r4, %r3, drop
  ldxw %r5, [%r2+0]
  ldxh %r6, [%r2+4]
  ldxw %r7, [%r2+6]
  ldxh %r8, [%r2+10]
  stxw [%r2+0], %r7
  stxh [%r2+4], %r8
  stxw [%r2+6], %r5
  stxh [%r2+10], %r6
  mov %r0, 3
  exit
drop:
  mov %r0, 1
  exit
)";

}  // namespace ebpf::sim::samples
