/**
 * Region check of one memory access: the address map of contracts.md section 2
 *
 * Shared by the LSU (loads, stores, atomics of up to 8 bytes) and the helper unit (pointer
 * arguments of any size), so both check exactly what the interpreter's translate() checks:
 *   stack      (tag 1):          off + size <= stack_limit (the frame top of the call depth)
 *   packet     (tag 3):          off >= pkt_lo and off + size <= pkt_hi
 *   map values (tag 0x1000 + i): map i configured; a write to a read-only map is refused
 *                                before the bounds (ro_write_o); then off + size <= limit_i,
 *                                and the access goes to value memory byte base_i + off
 *   ctx        (tag 2):          reported (is_ctx_o); a write there is ro_write_o
 * Everything else is not ok. Sizes are unsigned; the end is computed without overflow.
 */
module ebpf_core_region
  import ebpf_pkg::*;
#(
  parameter int unsigned SizeW   = 4,     // width of the access size
  parameter int unsigned MapSlots = 32,   // map descriptors (regions 0x1000 .. + MapSlots - 1)
  localparam int unsigned MapW    = (MapSlots > 1) ? $clog2(MapSlots) : 1
) (
  input  logic [63:0]               addr_i,
  input  logic [SizeW-1:0]          size_i,
  input  logic                      write_i,

  input  logic [31:0]               stack_limit_i,   // bytes of stack the access may reach
  input  logic [31:0]               pkt_lo_i,        // data_meta
  input  logic [31:0]               pkt_hi_i,        // data_end

  input  logic [MapSlots-1:0]       map_valid_i,
  output logic [MapW-1:0]           map_idx_o,       // map i of a region 0x1000 + i ...
  input  logic [31:0]               map_base_i,      // ... its value base and limit, from the
  input  logic [31:0]               map_limit_i,     // caller's read port of the region table
  input  logic [MapSlots-1:0]       map_ro_i,

  output logic                      ok_o,          // the access may go to memory
  output dmem_sel_e                 sel_o,         // ... to this memory
  output logic [31:0]               mem_off_o,     // ... at this byte offset
  output logic                      is_ctx_o,
  output logic                      ro_write_o     // write to ctx or a read-only map
);

  localparam int unsigned EndW = ((SizeW > 32) ? SizeW : 32) + 1;

  logic [31:0]     region, offset, map_rel;
  logic [EndW-1:0] acc_end;
  logic            is_map;
  logic [MapW-1:0] map_idx;

  assign region  = addr_i[63:32];
  assign offset  = addr_i[31:0];
  assign acc_end = EndW'(offset) + EndW'(size_i);
  assign map_rel = region - RegionMapValue;
  assign is_map  = map_rel < MapSlots && map_valid_i[MapW'(map_rel)];
  assign map_idx = MapW'(map_rel);
  assign map_idx_o = map_idx;

  logic in_stack, in_packet, in_map, map_ro;

  assign in_stack  = region == RegionStack && acc_end <= EndW'(stack_limit_i);
  assign in_packet = region == RegionPacket && offset >= pkt_lo_i &&
                     acc_end <= EndW'(pkt_hi_i);
  assign map_ro    = is_map && map_ro_i[map_idx];
  assign in_map    = is_map && !(write_i && map_ro) && acc_end <= EndW'(map_limit_i);

  assign is_ctx_o   = region == RegionCtx;
  assign ro_write_o = write_i && (is_ctx_o || map_ro);
  assign ok_o       = in_stack || in_packet || in_map;

  always_comb begin
    sel_o     = DMEM_STACK;
    mem_off_o = offset;
    if (in_packet) begin
      sel_o = DMEM_PACKET;
    end else if (region != RegionStack) begin
      sel_o     = DMEM_MAPVAL;
      mem_off_o = map_base_i + offset;
    end
  end

endmodule
