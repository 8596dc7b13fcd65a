// See switch_baseline.h: a decode-every-step switch interpreter, for comparison only.
#include "switch_baseline.h"

#include <cstring>

namespace bench {

using ebpf::Insn;
namespace addr = ebpf::addr;

BaselineResult switch_baseline_run(std::span<const Insn> prog, ebpf::MemoryImage& mem,
                                   uint64_t budget) {
  BaselineResult res;
  uint64_t reg[11] = {};
  reg[1] = addr::kPacketBase + mem.data;
  reg[2] = mem.data_end - mem.data;
  reg[10] = addr::kFramePointer;
  const uint64_t n = prog.size();
  uint64_t pc = 0;
  uint64_t count = 0;

  auto mem_ptr = [&](uint64_t a, uint64_t size) -> uint8_t* {
    const uint64_t off = addr::offset_of(a);
    switch (addr::region_of(a)) {
      case addr::kRegionStack:
        return off + size <= addr::kStackFrameSize ? mem.stack.data() + off : nullptr;
      case addr::kRegionPacket:
        return off >= mem.data_meta && off + size <= mem.data_end ? mem.packet.data() + off
                                                                   : nullptr;
      default:
        return nullptr;
    }
  };

  while (pc < n && count < budget) {
    const Insn insn = prog[pc++];
    ++count;
    const uint8_t dst = insn.dst(), src = insn.src();
    const uint64_t imm = static_cast<uint64_t>(static_cast<int64_t>(insn.imm));
    const uint32_t imm32 = static_cast<uint32_t>(insn.imm);
    const int64_t off = insn.off;
    switch (insn.opcode) {
      case 0x07: reg[dst] += imm; break;
      case 0x0f: reg[dst] += reg[src]; break;
      case 0x17: reg[dst] -= imm; break;
      case 0x1f: reg[dst] -= reg[src]; break;
      case 0x27: reg[dst] *= imm; break;
      case 0x2f: reg[dst] *= reg[src]; break;
      case 0x37: reg[dst] = imm ? reg[dst] / imm : 0; break;
      case 0x3f: reg[dst] = reg[src] ? reg[dst] / reg[src] : 0; break;
      case 0x47: reg[dst] |= imm; break;
      case 0x4f: reg[dst] |= reg[src]; break;
      case 0x57: reg[dst] &= imm; break;
      case 0x5f: reg[dst] &= reg[src]; break;
      case 0x67: reg[dst] <<= (imm & 63); break;
      case 0x6f: reg[dst] <<= (reg[src] & 63); break;
      case 0x77: reg[dst] >>= (imm & 63); break;
      case 0x7f: reg[dst] >>= (reg[src] & 63); break;
      case 0x97: reg[dst] = imm ? reg[dst] % imm : reg[dst]; break;
      case 0xa7: reg[dst] ^= imm; break;
      case 0xaf: reg[dst] ^= reg[src]; break;
      case 0xb7: reg[dst] = imm; break;
      case 0xbf: reg[dst] = reg[src]; break;
      case 0x04: reg[dst] = static_cast<uint32_t>(reg[dst] + imm32); break;
      case 0x0c: reg[dst] = static_cast<uint32_t>(reg[dst] + reg[src]); break;
      case 0x54: reg[dst] = static_cast<uint32_t>(reg[dst] & imm32); break;
      case 0x64: reg[dst] = static_cast<uint32_t>(reg[dst] << (imm32 & 31)); break;
      case 0x74: reg[dst] = static_cast<uint32_t>(reg[dst]) >> (imm32 & 31); break;
      case 0xb4: reg[dst] = imm32; break;
      case 0xbc: reg[dst] = static_cast<uint32_t>(reg[src]); break;
      case 0x05: pc += off; break;
      case 0x15: if (reg[dst] == imm) pc += off; break;
      case 0x1d: if (reg[dst] == reg[src]) pc += off; break;
      case 0x25: if (reg[dst] > imm) pc += off; break;
      case 0x2d: if (reg[dst] > reg[src]) pc += off; break;
      case 0x35: if (reg[dst] >= imm) pc += off; break;
      case 0x3d: if (reg[dst] >= reg[src]) pc += off; break;
      case 0x55: if (reg[dst] != imm) pc += off; break;
      case 0x5d: if (reg[dst] != reg[src]) pc += off; break;
      case 0xa5: if (reg[dst] < imm) pc += off; break;
      case 0xad: if (reg[dst] < reg[src]) pc += off; break;
      case 0xb5: if (reg[dst] <= imm) pc += off; break;
      case 0xbd: if (reg[dst] <= reg[src]) pc += off; break;
      case 0x71: case 0x69: case 0x61: case 0x79: {
        const uint64_t size = insn.opcode == 0x71 ? 1 : insn.opcode == 0x69 ? 2
                              : insn.opcode == 0x61 ? 4 : 8;
        const uint8_t* p = mem_ptr(reg[src] + off, size);
        if (!p) return res;
        uint64_t v = 0;
        std::memcpy(&v, p, size);
        reg[dst] = v;
        break;
      }
      case 0x73: case 0x6b: case 0x63: case 0x7b: {
        const uint64_t size = insn.opcode == 0x73 ? 1 : insn.opcode == 0x6b ? 2
                              : insn.opcode == 0x63 ? 4 : 8;
        uint8_t* p = mem_ptr(reg[dst] + off, size);
        if (!p) return res;
        std::memcpy(p, &reg[src], size);
        break;
      }
      case 0x18:
        reg[dst] = imm32 | (static_cast<uint64_t>(static_cast<uint32_t>(prog[pc].imm)) << 32);
        ++pc;
        break;
      case 0x95:
        res.ok = true;
        res.r0 = reg[0];
        res.instructions = count;
        return res;
      default:
        return res;  // outside the benchmark subset
    }
  }
  return res;
}

}  // namespace bench
