// The packet I/O register page of ebpf_xdp_top for C++ (mirror of rtl/io/ebpf_io_pkg.sv,
// documented in docs/packet_io.md and docs/register-map.md "Packet I/O page"): the host
// library (offload, CLI), the simulated board and the Verilator drivers (sim/xdp_pipeline.h)
// use these. tests/offload (IoMap.MatchesEbpfIoPkg) checks every value against the package.
#pragma once

#include <cstdint>

#include "ebpf_csr_map.h"

namespace ebpf::io_csr {

inline constexpr uint32_t kBase = csr::kPageIo;  // IoCsrBase
inline constexpr uint32_t kPageBits = 12;        // IoCsrPageBits
inline constexpr uint32_t kIdValue = 0x5844'494f;  // IoId: "XDIO"

// Registers (IO_*): kBase + offset.
inline constexpr uint32_t kId = kBase + 0x000;
inline constexpr uint32_t kCtrl = kBase + 0x004;
inline constexpr uint32_t kStatus = kBase + 0x008;
inline constexpr uint32_t kParams = kBase + 0x00c;
inline constexpr uint32_t kLastVerdict = kBase + 0x010;
inline constexpr uint32_t kLastOut = kBase + 0x014;
inline constexpr uint32_t kLastInfo = kBase + 0x018;
inline constexpr uint32_t kLastLen = kBase + 0x01c;
inline constexpr uint32_t kCntAction = kBase + 0x100;  // + 4a
inline constexpr uint32_t kCntFault = kBase + 0x140;   // + 4f
inline constexpr uint32_t kCntOversize = kBase + 0x180;
inline constexpr uint32_t kCntMalformed = kBase + 0x184;
inline constexpr uint32_t kCntRedirBad = kBase + 0x188;
inline constexpr uint32_t kCntEmpty = kBase + 0x18c;
inline constexpr uint32_t kCntHostDrop = kBase + 0x190;
inline constexpr uint32_t kCntRx = kBase + 0x200;  // + 4p
inline constexpr uint32_t kCntTx = kBase + 0x300;  // + 4p

// IO_CTRL (IoCtrl*), IO_STATUS (IoStatus*) bits.
inline constexpr uint32_t kCtrlEnable = 1u << 0;
inline constexpr uint32_t kCtrlClear = 1u << 1;
inline constexpr uint32_t kStatusBusy = 1u << 0;
inline constexpr uint32_t kStatusRxFrame = 1u << 1;
inline constexpr uint32_t kStatusTxBusy = 1u << 2;
inline constexpr uint32_t kStatusEnabled = 1u << 3;
inline constexpr uint32_t kStatusStateLsb = 8;
// IO_LAST_INFO fields (IoInfo*).
inline constexpr uint32_t kInfoActionLsb = 0;
inline constexpr uint32_t kInfoSent = 1u << 3;
inline constexpr uint32_t kInfoFaultLsb = 8;
inline constexpr uint32_t kInfoInPortLsb = 16;
inline constexpr uint32_t kInfoOutPortLsb = 24;
inline constexpr uint32_t kNumFaults = 16;  // IoNumFaults: IO_CNT_FAULT + 4f, f < 16
inline constexpr uint32_t kMaxPorts = 64;   // IoMaxPorts

}  // namespace ebpf::io_csr
