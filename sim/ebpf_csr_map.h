// The CSR register map of ebpf_top for C++ (mirror of rtl/pkg/ebpf_csr_pkg.sv, documented in
// docs/register-map.md). tests/rtl/core checks every value against the SystemVerilog package.
#pragma once

#include <cstdint>

namespace ebpf::csr {

inline constexpr uint32_t kCoreId = 0x6542'5046;  // "eBPF"
inline constexpr uint32_t kCoreVersion = 0x0001'0000;

inline constexpr uint32_t kId = 0x0'0000;
inline constexpr uint32_t kVersion = 0x0'0004;
inline constexpr uint32_t kCtrl = 0x0'0008;
inline constexpr uint32_t kStatus = 0x0'000c;
inline constexpr uint32_t kFaultPc = 0x0'0010;
inline constexpr uint32_t kProgLen = 0x0'0014;
inline constexpr uint32_t kConfig = 0x0'0018;
inline constexpr uint32_t kImemSlots = 0x0'001c;
inline constexpr uint32_t kBudgetLo = 0x0'0020;
inline constexpr uint32_t kBudgetHi = 0x0'0024;
inline constexpr uint32_t kR0Lo = 0x0'0028;
inline constexpr uint32_t kR0Hi = 0x0'002c;
inline constexpr uint32_t kDataMeta = 0x0'0030;
inline constexpr uint32_t kData = 0x0'0034;
inline constexpr uint32_t kDataEnd = 0x0'0038;
inline constexpr uint32_t kIfindex = 0x0'003c;
inline constexpr uint32_t kRxQueue = 0x0'0040;
inline constexpr uint32_t kStackWlo = 0x0'0048;
inline constexpr uint32_t kStackWhi = 0x0'004c;
inline constexpr uint32_t kPktWlo = 0x0'0050;
inline constexpr uint32_t kPktWhi = 0x0'0054;
inline constexpr uint32_t kRedirIfindex = 0x0'0058;
inline constexpr uint32_t kRedirKey = 0x0'005c;
inline constexpr uint32_t kRedirMap = 0x0'0060;
inline constexpr uint32_t kRedirStatus = 0x0'0064;
inline constexpr uint32_t kRedirFlagsLo = 0x0'0068;
inline constexpr uint32_t kRedirFlagsHi = 0x0'006c;
inline constexpr uint32_t kAction = 0x0'0070;
inline constexpr uint32_t kEntry = 0x0'0074;
inline constexpr uint32_t kProg = 0x0'0078;
inline constexpr uint32_t kTailCalls = 0x0'007c;
inline constexpr uint32_t kSeedLo = 0x0'00b0;
inline constexpr uint32_t kSeedHi = 0x0'00b4;
inline constexpr uint32_t kEvtBytes = 0x0'00b8;
inline constexpr uint32_t kEvtCount = 0x0'00bc;
inline constexpr uint32_t kMapSlots = 0x0'00c0;
inline constexpr uint32_t kMcmd = 0x0'00c4;
inline constexpr uint32_t kMcmdMap = 0x0'00c8;
inline constexpr uint32_t kMcmdCpu = 0x0'00cc;
inline constexpr uint32_t kMcmdFlagsLo = 0x0'00d0;
inline constexpr uint32_t kMcmdFlagsHi = 0x0'00d4;
inline constexpr uint32_t kMcmdStatus = 0x0'00d8;
inline constexpr uint32_t kMcmdOffset = 0x0'00dc;
inline constexpr uint32_t kMcmdWordLo = 0x0'00e0;
inline constexpr uint32_t kMcmdWordHi = 0x0'00e4;
inline constexpr uint32_t kRunCpu = 0x0'00e8;
inline constexpr uint32_t kMaxPrograms = 0x0'00ec;
inline constexpr uint32_t kMapKeyWords = 0x0'00f0;
inline constexpr uint32_t kMapBuckets = 0x0'00f4;
inline constexpr uint32_t kMapPoolSlots = 0x0'00f8;
inline constexpr uint32_t kMapValueWords = 0x0'00fc;
// Capability block (RO).
inline constexpr uint32_t kCapCores = 0x0'0160;
inline constexpr uint32_t kCapStackBytes = 0x0'0164;
inline constexpr uint32_t kCapPacketBytes = 0x0'0168;
inline constexpr uint32_t kCapMapvalBytes = 0x0'016c;
inline constexpr uint32_t kCapEvtBytes = 0x0'0170;
inline constexpr uint32_t kCapMapTypes = 0x0'0174;
inline constexpr uint32_t kCapFeatures = 0x0'0178;
inline constexpr uint32_t kObjinfoBytes = 0x0'017c;
inline constexpr uint32_t kCapHelpers = 0x0'0180;  // word i: helper ids 32i .. 32i + 31
inline constexpr uint32_t kCapHelpersEnd = 0x0'01a0;
// Exactly-once sequencing.
inline constexpr uint32_t kRunSeq = 0x0'01a0;
inline constexpr uint32_t kLastRunSeq = 0x0'01a4;
inline constexpr uint32_t kMcmdStage = 0x0'01a8;
inline constexpr uint32_t kMcmdLastSeq = 0x0'01ac;
inline constexpr uint32_t kMcmdDoneSeq = 0x0'01b0;
inline constexpr uint32_t kMcmdExecuted = 0x0'01b4;
// Events while frames flow (CAP_FEATURES bit 3): EVT_CTRL bit 0 HOLD keeps the event FIFO
// across run starts; EVT_ACK W bytes consumed (== EVT_BYTES empties), R acknowledgements
// that emptied it; EVT_LOST events refused for lack of room while HOLD.
inline constexpr uint32_t kEvtCtrl = 0x0'01b8;
inline constexpr uint32_t kEvtAck = 0x0'01bc;
inline constexpr uint32_t kEvtLost = 0x0'01c0;
inline constexpr uint32_t kMcmdSeqStatus = 0x0'01c4;
inline constexpr uint32_t kCyclesLo = 0x0'0080;
inline constexpr uint32_t kCyclesHi = 0x0'0084;
inline constexpr uint32_t kInstretLo = 0x0'0088;
inline constexpr uint32_t kInstretHi = 0x0'008c;
inline constexpr uint32_t kStallLuLo = 0x0'0090;
inline constexpr uint32_t kStallLuHi = 0x0'0094;
inline constexpr uint32_t kStallBrLo = 0x0'0098;
inline constexpr uint32_t kStallBrHi = 0x0'009c;
inline constexpr uint32_t kStallMcLo = 0x0'00a0;
inline constexpr uint32_t kStallMcHi = 0x0'00a4;
inline constexpr uint32_t kStallHlpLo = 0x0'00a8;
inline constexpr uint32_t kStallHlpHi = 0x0'00ac;
inline constexpr uint32_t kRegs = 0x0'0100;  // r(k): kRegs + 8k (low half), + 4 (high half)
inline constexpr uint32_t kRegsEnd = 0x0'0158;
inline constexpr uint32_t kProgs = 0x0'0200;  // program k: first slot at + 8k, length at + 4
inline constexpr uint32_t kProgsEnd = 0x0'0280;
inline constexpr uint32_t kMinfo = 0x0'0800;  // map i: + 16i: type/valid, key, value, max
inline constexpr uint32_t kWinKbuf = 0x0'2000;
inline constexpr uint32_t kWinVbuf = 0x0'2400;
inline constexpr uint32_t kWinMapDesc = 0x0'4000;
inline constexpr uint32_t kWinObjinfo = 0x0'1000;  // 4 KiB of host RAM (object manifest)
inline constexpr uint32_t kObjinfoSize = 4096;
// Reserved 4 KiB pages (unmapped in ebpf_top, answered by the blocks around it): the network
// stack's NET page and the packet I/O page (rtl/io/ebpf_io_pkg.sv, docs/packet_io.md).
inline constexpr unsigned kPageBits = 12;
inline constexpr uint32_t kPageNet = 0x0'e000;
inline constexpr uint32_t kPageIo = 0x0'f000;

inline constexpr uint32_t kWinStack = 0x1'0000;
inline constexpr uint32_t kWinPacket = 0x2'0000;
inline constexpr uint32_t kWinEvents = 0x4'0000;
inline constexpr uint32_t kWinMapval = 0x6'0000;
inline constexpr uint32_t kWinImem = 0x8'0000;

inline constexpr uint32_t kCtrlStart = 1u << 0;
inline constexpr uint32_t kConfigHasCtx = 1u << 0;
inline constexpr uint32_t kStatusBusy = 1u << 0;
inline constexpr uint32_t kStatusDone = 1u << 1;
inline constexpr uint32_t kStatusFault = 1u << 2;
inline constexpr unsigned kStatusFaultLsb = 8;
inline constexpr uint32_t kRedirValid = 1u << 0;
inline constexpr uint32_t kRedirHasMap = 1u << 1;
inline constexpr uint32_t kMinfoValid = 1u << 31;
inline constexpr uint32_t kMcmdNullKey = 1u << 8;
inline constexpr uint32_t kMcmdProg = 1u << 9;
inline constexpr uint32_t kMcmdSeqDisturbed = 1u << 0;
inline constexpr uint32_t kMcmdSeqStageOk = 1u << 1;
inline constexpr uint32_t kFeatRunSeq = 1u << 0;
inline constexpr uint32_t kFeatMcmdSeq = 1u << 1;
inline constexpr uint32_t kFeatObjinfo = 1u << 2;
inline constexpr uint32_t kFeatEvtHold = 1u << 3;

constexpr uint32_t prog_first(unsigned k) { return kProgs + 8 * k; }
constexpr uint32_t prog_len(unsigned k) { return kProgs + 8 * k + 4; }
constexpr uint32_t reg_lo(unsigned k) { return kRegs + 8 * k; }
constexpr uint32_t reg_hi(unsigned k) { return kRegs + 8 * k + 4; }

}  // namespace ebpf::csr
