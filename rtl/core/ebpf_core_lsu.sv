/**
 * Load/store unit
 *
 * The only place that checks memory accesses. Every load, store and atomic is checked
 * against its region, exactly as the reference interpreter does (docs/architecture.md):
 *   stack  (tag 1): [0, StackFrameSize * (depth + 1)) of the stack memory
 *   packet (tag 3): [data_meta, data_end) of the packet buffer (data_end <= its size)
 *   map values (tag 0x1000 + i): [0, limit) of configured map i, at its base in the value
 *                   memory; stores and atomics to a read-only map FAULT_READ_ONLY_WRITE
 * (the region rules are ebpf_core_region, shared with the helper unit), and
 *   ctx    (tag 2): 4-byte unsigned loads at offsets 0/4/8 (64-bit data, data_end and
 *                   data_meta pointers) and 12/16 (ifindex, rx queue) in XDP runs only,
 *                   else FAULT_INVALID_CTX_ACCESS; stores and atomics FAULT_READ_ONLY_WRITE
 *   anything else:  FAULT_LOAD_OUT_OF_BOUNDS / FAULT_STORE_OUT_OF_BOUNDS
 * Atomics are checked for bounds first, then for natural alignment (FAULT_MISALIGNED_ATOMIC).
 * A faulting access requests nothing from memory.
 *
 * Memories are word-pair RAMs, so any access of up to 8 bytes at any alignment is one
 * request: byte lanes are shifted here. Loads complete in WB, where this unit formats the
 * returned bytes (load_data_o). An atomic is one indivisible read-modify-write over two EX
 * cycles: phase 0 reads the word, phase 1 computes and writes it back; the EX stage holds
 * the pipeline meanwhile, so nothing else can touch memory in between.
 */
module ebpf_core_lsu
  import ebpf_pkg::*;
#(
  parameter int unsigned DepthW  = 3,
  parameter int unsigned DmemAw  = 11,  // data memory word-address width (64-bit words)
  parameter int unsigned MapSlots = 32,  // map descriptors
  localparam int unsigned MapW    = (MapSlots > 1) ? $clog2(MapSlots) : 1
) (
  input  logic               clk_i,

  // <- from EX
  input  logic               req_i,          // a memory instruction that may execute now
  input  ex_unit_e           unit_i,         // EX_LOAD, EX_STORE or EX_ATOMIC
  input  logic               amo_phase_i,    // atomic: 0 = read, 1 = write
  input  amo_fn_e            amo_fn_i,
  input  logic               is64_i,         // atomic width
  input  logic [3:0]         bytes_i,        // access size: 1, 2, 4, 8
  input  logic               signed_i,       // ldxs*
  input  logic [63:0]        addr_i,         // base register + off (added before EX)
  input  logic [63:0]        data_i,         // store data / atomic operand (src)
  input  logic [63:0]        cmp_i,          // cmpxchg comparand (r0)
  input  logic [DepthW-1:0]  depth_i,

  // Context (struct xdp_md) <- from the top
  input  logic               has_ctx_i,      // XDP run (else ctx loads fault)
  input  logic [31:0]        pkt_data_meta_i,  // packet offsets
  input  logic [31:0]        pkt_data_i,
  input  logic [31:0]        pkt_data_end_i,
  input  logic [31:0]        ifindex_i,
  input  logic [31:0]        rx_queue_i,

  // Map value regions <- from the map unit
  input  logic [MapSlots-1:0]       map_valid_i,
  output logic [MapW-1:0]           map_idx_o,     // the map an access's region names ...
  input  logic [31:0]               map_base_i,    // ... its value base and limit (table read port)
  input  logic [31:0]               map_limit_i,
  input  logic [MapSlots-1:0]       map_ro_i,

  // -> to EX
  output logic               fault_o,
  output fault_e             fault_code_o,
  output logic               ctx_load_o,     // a load served from ctx: value in ctx_value_o
  output logic [63:0]        ctx_value_o,
  output logic [63:0]        amo_old_o,      // phase 1: old memory value, zero-extended

  // Data memory (stack or packet, word pairs)
  output logic               dmem_req_o,
  output dmem_sel_e          dmem_sel_o,
  output logic               dmem_we_o,
  output logic [DmemAw-1:0]  dmem_addr_o,
  output logic [127:0]       dmem_wdata_o,
  output logic [15:0]        dmem_wmask_o,
  input  logic [127:0]       dmem_rdata_i,

  // -> to WB: the load issued last cycle, formatted
  output logic [63:0]        load_data_o
);

  /////////////
  // Address //
  /////////////

  logic [63:0] addr;
  logic [31:0] offset, mem_off;
  logic [2:0]  lane;

  assign addr    = addr_i;
  assign offset  = addr[31:0];
  assign lane    = offset[2:0];

  ////////////
  // Checks //
  ////////////

  logic        in_mem, is_ctx, ro_write, aligned;
  logic        is_load, is_store, is_atomic;
  dmem_sel_e   mem_sel;

  assign is_load     = unit_i == EX_LOAD;
  assign is_store    = unit_i == EX_STORE;
  assign is_atomic   = unit_i == EX_ATOMIC;

  ebpf_core_region #(
    .SizeW    (4),
    .MapSlots (MapSlots)
  ) u_region (
    .addr_i        (addr),
    .size_i        (bytes_i),
    .write_i       (!is_load),
    .stack_limit_i (32'(StackFrameSize) * (32'(depth_i) + 32'd1)),
    .pkt_lo_i      (pkt_data_meta_i),
    .pkt_hi_i      (pkt_data_end_i),
    .map_valid_i   (map_valid_i),
    .map_idx_o   (map_idx_o),
    .map_base_i    (map_base_i),
    .map_limit_i   (map_limit_i),
    .map_ro_i      (map_ro_i),
    .ok_o          (in_mem),
    .sel_o         (mem_sel),
    .mem_off_o     (mem_off),
    .is_ctx_o      (is_ctx),
    .ro_write_o    (ro_write)
  );

  assign aligned     = is64_i ? (lane == 3'd0) : (lane[1:0] == 2'd0);

  // ctx fields: only 4-byte unsigned loads of defined offsets, and only in XDP runs.
  logic ctx_ok;

  always_comb begin
    ctx_ok      = 1'b0;
    ctx_value_o = '0;
    if (has_ctx_i && bytes_i == 4'd4 && !signed_i) begin
      unique case (offset)
        CtxData: begin
          ctx_ok      = 1'b1;
          ctx_value_o = PacketBase + 64'(pkt_data_i);
        end
        CtxDataEnd: begin
          ctx_ok      = 1'b1;
          ctx_value_o = PacketBase + 64'(pkt_data_end_i);
        end
        CtxDataMeta: begin
          ctx_ok      = 1'b1;
          ctx_value_o = PacketBase + 64'(pkt_data_meta_i);
        end
        CtxIngressIfindex: begin
          ctx_ok      = 1'b1;
          ctx_value_o = 64'(ifindex_i);
        end
        CtxRxQueueIndex: begin
          ctx_ok      = 1'b1;
          ctx_value_o = 64'(rx_queue_i);
        end
        default:           ;
      endcase
    end
  end

  always_comb begin
    fault_o      = 1'b0;
    fault_code_o = FAULT_NONE;
    if (is_load) begin
      if (is_ctx) begin
        fault_o      = !ctx_ok;
        fault_code_o = FAULT_INVALID_CTX_ACCESS;
      end else if (!in_mem) begin
        fault_o      = 1'b1;
        fault_code_o = FAULT_LOAD_OUT_OF_BOUNDS;
      end
    end else if (is_store || is_atomic) begin
      if (!in_mem) begin
        fault_o      = 1'b1;
        fault_code_o = ro_write ? FAULT_READ_ONLY_WRITE : FAULT_STORE_OUT_OF_BOUNDS;
      end else if (is_atomic && !aligned) begin
        fault_o      = 1'b1;
        fault_code_o = FAULT_MISALIGNED_ATOMIC;
      end
    end
  end

  assign ctx_load_o = is_load && is_ctx;

  /////////////
  // Atomics //
  /////////////

  logic [63:0] old_val, operand, new_val;
  logic        cmp_equal;

  assign old_val   = is64_i ? dmem_rdata_i[63:0]
                            : {32'd0, lane[2] ? dmem_rdata_i[63:32] : dmem_rdata_i[31:0]};
  assign operand   = is64_i ? data_i : {32'd0, data_i[31:0]};
  assign cmp_equal = old_val == (is64_i ? cmp_i : {32'd0, cmp_i[31:0]});

  always_comb begin
    unique case (amo_fn_i)
      AMO_ADD:     new_val = old_val + operand;
      AMO_OR:      new_val = old_val | operand;
      AMO_AND:     new_val = old_val & operand;
      AMO_XOR:     new_val = old_val ^ operand;
      AMO_XCHG:    new_val = operand;
      AMO_CMPXCHG: new_val = operand;
      default:     new_val = operand;
    endcase
  end

  // A failed cmpxchg leaves memory untouched.
  logic amo_write;
  assign amo_write = amo_fn_i != AMO_CMPXCHG || cmp_equal;
  assign amo_old_o   = old_val;

  /////////////////////
  // Memory request  //
  /////////////////////

  logic [63:0]  store_val;
  logic [15:0]  size_mask;

  assign store_val = is_atomic ? new_val : data_i;
  assign size_mask = 16'((17'd1 << bytes_i) - 17'd1);

  always_comb begin
    dmem_req_o = 1'b0;
    dmem_we_o  = 1'b0;
    if (req_i && in_mem && !fault_o) begin
      if (is_load) begin
        dmem_req_o = 1'b1;
      end else if (is_store) begin
        dmem_req_o = 1'b1;
        dmem_we_o  = 1'b1;
      end else if (is_atomic) begin
        dmem_req_o = !amo_phase_i || amo_write;
        dmem_we_o  = amo_phase_i;
      end
    end
  end

  // Map bases are multiples of 8, so the lane of the memory byte is the lane of the offset.
  assign dmem_sel_o   = mem_sel;
  assign dmem_addr_o  = mem_off[DmemAw+2:3];
  // Rotated by the lane, the value's bytes sit where both words of the pair need them;
  // the byte enables pick which.
  logic [127:0] store_dbl;
  logic [63:0]  store_rot;
  assign store_dbl    = {store_val, store_val} << {lane, 3'b000};
  assign store_rot    = store_dbl[127:64];
  assign dmem_wdata_o = {store_rot, store_rot};
  assign dmem_wmask_o = size_mask << lane;

  ////////////////////////
  // Load data (in WB)  //
  ////////////////////////

  logic [2:0] lane_q;
  logic [3:0] bytes_q;
  logic       signed_q;

  always_ff @(posedge clk_i) begin
    if (dmem_req_o && !dmem_we_o) begin
      lane_q   <= lane;
      bytes_q  <= bytes_i;
      signed_q <= signed_i;
    end
  end

  logic [63:0] raw;
  assign raw = 64'(dmem_rdata_i >> {lane_q, 3'b000});

  always_comb begin
    unique case (bytes_q)
      4'd1:    load_data_o = signed_q ? {{56{raw[7]}}, raw[7:0]}   : {56'd0, raw[7:0]};
      4'd2:    load_data_o = signed_q ? {{48{raw[15]}}, raw[15:0]} : {48'd0, raw[15:0]};
      4'd4:    load_data_o = signed_q ? {{32{raw[31]}}, raw[31:0]} : {32'd0, raw[31:0]};
      default: load_data_o = raw;
    endcase
  end

  logic unused_lsu;
  assign unused_lsu = ^{offset[31:3], mem_off[31:DmemAw+3], mem_off[2:0], store_dbl[63:0]};

`ifndef SYNTHESIS
  // No write ever leaves the region the checks above allowed.
  always_ff @(posedge clk_i) begin
    if (dmem_req_o && dmem_we_o) begin
      assert (in_mem) else $error("%m: write outside every region");
    end
  end
`endif

endmodule
