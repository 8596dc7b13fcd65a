/**
 * Execute stage
 *
 * Hosts the ALU, the branch unit, the load/store unit and the multiply/divide unit, runs
 * helper calls over the helper port and bpf-to-bpf calls and returns through the call stack.
 * EX is the commit point: an instruction either completes here (fire_o: it retires and its
 * result goes to WB), needs more cycles (stall_o: mul/div, the atomic read phase, waiting
 * for a helper), or faults (fault_o: it writes nothing and the run ends). The checks follow
 * the reference interpreter's order: the instruction budget first, then decode legality,
 * then the instruction's own checks (jump and call targets, call depth, memory access).
 *
 * Operands a/b were read in ID. Implicit operands are read here straight from the register
 * file, at a moment when nothing older is still in WB: r0 of cmpxchg in the atomic's write
 * phase (the read phase left WB empty), r1-r5 of a helper call when WB holds no write (the
 * request waits a cycle otherwise), r6-r9 of a call by the call stack a cycle later.
 */
module ebpf_core_ex_block
  import ebpf_pkg::*;
#(
  parameter int unsigned DepthW = 3,
  parameter int unsigned ImemAw = 12,
  parameter int unsigned DmemAw = 11,
  parameter int unsigned MapSlots = 32,
  localparam int unsigned MapW    = (MapSlots > 1) ? $clog2(MapSlots) : 1
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,

  // <- from the ID/EX register
  input  logic                     valid_i,
  input  ctrl_t                    ctrl_i,
  input  logic [31:0]              pc_i,
  input  logic [63:0]              op_a_i,
  input  logic [63:0]              op_b_i,
  input  logic [63:0]              mem_addr_i,      // op_a_i + off (added in ID)
  input  logic [31:0]              target_i,
  input  logic                     target_ok_i,
  input  logic [ImemAw-1:0]        target_addr_i,   // absolute slot of target_i
  input  logic                     target_last_i,   // target_i + 1 >= program length

  // <- from the controller
  input  logic                     budget_hit_i,    // no instruction may retire any more

  // Register file (implicit operands) and WB's write enable
  input  logic [NumRegs-2:0][63:0] regs_i,
  input  logic                     wb_we_i,

  // Call stack
  input  logic [DepthW-1:0]        depth_i,
  input  logic [31:0]              frame_ret_pc_i,
  input  logic [ImemAw-1:0]        frame_ret_addr_i,  // its absolute slot
  input  logic                     frame_ret_oob_i,   // its bounds flags (pc, pc + 1)
  input  logic                     frame_ret_oob1_i,
  output logic                     push_o,
  output logic [31:0]              push_ret_pc_o,
  output logic                     pop_o,

  // Outcome -> to the controller, IF, ID and WB
  output logic                     fire_o,          // completes this cycle
  output logic                     stall_o,         // needs more cycles
  output logic                     stall_helper_o,  // ... waiting for the helper unit
  output logic                     fault_o,
  output fault_e                   fault_code_o,
  output logic                     redirect_o,
  output logic [31:0]              redirect_pc_o,
  output logic [ImemAw-1:0]        redirect_addr_o, // absolute slot of redirect_pc_o
  output logic                     redirect_oob_o,  // redirect_pc_o >= program length
  output logic                     redirect_oob1_o, // redirect_pc_o + 1 >= program length
  output logic                     finish_o,        // exit at depth 0
  output logic [63:0]              result_o,        // rd value (not for late results)
  output logic                     late_o,          // result comes from memory, in WB
  output logic                     result_mem_o,    // WB takes the LSU load data

  // Helper port -> to the helper unit
  output logic                     helper_req_o,
  output logic [63:0]              helper_id_o,
  output logic [4:0][63:0]         helper_args_o,   // r5..r1
  input  logic                     helper_done_i,
  input  logic                     helper_fault_i,
  input  fault_e                   helper_fault_code_i,
  input  logic [63:0]              helper_r0_i,
  input  logic                     helper_keep_r0_i, // r0 unchanged (e.g. a failed tail call)
  input  logic                     helper_tail_i,    // tail call: restart at slot 0
  input  logic [ImemAw-1:0]        tail_addr_i,      // ... of this absolute slot
  input  logic                     tail_oob_i,       // ... bounds flags of its slot 0
  input  logic                     tail_oob1_i,
  output logic                     tail_o,           // ... taken now

  // Context <- from the top
  input  logic                     has_ctx_i,
  input  logic [31:0]              pkt_data_meta_i,
  input  logic [31:0]              pkt_data_i,
  input  logic [31:0]              pkt_data_end_i,
  input  logic [31:0]              ifindex_i,
  input  logic [31:0]              rx_queue_i,
  input  logic [MapSlots-1:0]       map_valid_i,
  output logic [MapW-1:0]           map_idx_o,     // the map an access's region names ...
  input  logic [31:0]               map_base_i,    // ... its value base and limit (table read port)
  input  logic [31:0]               map_limit_i,
  input  logic [MapSlots-1:0]       map_ro_i,

  // Data memory
  output logic                     dmem_req_o,
  output dmem_sel_e                dmem_sel_o,
  output logic                     dmem_we_o,
  output logic [DmemAw-1:0]        dmem_addr_o,
  output logic [127:0]             dmem_wdata_o,
  output logic [15:0]              dmem_wmask_o,
  input  logic [127:0]             dmem_rdata_i,
  output logic [63:0]              load_data_o      // -> WB: the load issued last cycle
);

  ////////////////////////////////
  // Implicit register operands //
  ////////////////////////////////

  logic [63:0] r0_val;
  assign r0_val = regs_i[0];

  always_comb begin
    for (int unsigned k = 0; k < 5; k++) begin
      helper_args_o[k] = regs_i[k + 1];
    end
  end

  /////////
  // ALU //
  /////////

  logic [63:0] alu_result;

  ebpf_core_alu u_alu (
    .fn_i        (ctrl_i.alu_fn),
    .is64_i      (ctrl_i.is64),
    .ext_bytes_i (ctrl_i.ext_bytes),
    .a_i         (op_a_i),
    .b_i         (op_b_i),
    .result_o    (alu_result)
  );

  logic taken;

  ebpf_core_branch u_branch (
    .op_i    (ctrl_i.jmp_op),
    .is64_i  (ctrl_i.is64),
    .a_i     (op_a_i),
    .b_i     (op_b_i),
    .taken_o (taken)
  );

  //////////////////////
  // Multiply/divide  //
  //////////////////////

  logic        md_pending_q, md_pending_d;
  logic        md_start, md_busy, md_valid;
  logic [63:0] md_result;

  assign md_start = valid_i && ctrl_i.unit == EX_MULDIV && !budget_hit_i && !md_pending_q;

  ebpf_core_muldiv u_muldiv (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .start_i  (md_start),
    .op_i     (ctrl_i.md_op),
    .is32_i   (!ctrl_i.is64),
    .a_i      (op_a_i),
    .b_i      (op_b_i),
    .busy_o   (md_busy),
    .valid_o  (md_valid),
    .result_o (md_result)
  );

  always_comb begin
    md_pending_d = md_pending_q;
    if (md_start && !md_busy) begin
      md_pending_d = 1'b1;
    end
    if (md_valid) begin
      md_pending_d = 1'b0;
    end
  end

  /////////
  // LSU //
  /////////

  logic       amo_phase_q, amo_phase_d;
  logic       lsu_req, lsu_fault, ctx_load;
  fault_e     lsu_fault_code;
  logic [63:0] ctx_value, amo_old;

  assign lsu_req = valid_i && !budget_hit_i &&
                   (ctrl_i.unit == EX_LOAD || ctrl_i.unit == EX_STORE ||
                    ctrl_i.unit == EX_ATOMIC);

  ebpf_core_lsu #(
    .DepthW   (DepthW),
    .DmemAw   (DmemAw),
    .MapSlots (MapSlots)
  ) u_lsu (
    .clk_i           (clk_i),
    .req_i           (lsu_req),
    .unit_i          (ctrl_i.unit),
    .amo_phase_i     (amo_phase_q),
    .amo_fn_i        (ctrl_i.amo_fn),
    .is64_i          (ctrl_i.is64),
    .bytes_i         (ctrl_i.mem_bytes),
    .signed_i        (ctrl_i.mem_signed),
    .addr_i          (mem_addr_i),
    .data_i          (op_b_i),
    .cmp_i           (r0_val),
    .depth_i         (depth_i),
    .has_ctx_i       (has_ctx_i),
    .pkt_data_meta_i (pkt_data_meta_i),
    .pkt_data_i      (pkt_data_i),
    .pkt_data_end_i  (pkt_data_end_i),
    .ifindex_i       (ifindex_i),
    .rx_queue_i      (rx_queue_i),
    .map_valid_i     (map_valid_i),
    .map_idx_o     (map_idx_o),
    .map_base_i      (map_base_i),
    .map_limit_i     (map_limit_i),
    .map_ro_i        (map_ro_i),
    .fault_o         (lsu_fault),
    .fault_code_o    (lsu_fault_code),
    .ctx_load_o      (ctx_load),
    .ctx_value_o     (ctx_value),
    .amo_old_o       (amo_old),
    .dmem_req_o      (dmem_req_o),
    .dmem_sel_o      (dmem_sel_o),
    .dmem_we_o       (dmem_we_o),
    .dmem_addr_o     (dmem_addr_o),
    .dmem_wdata_o    (dmem_wdata_o),
    .dmem_wmask_o    (dmem_wmask_o),
    .dmem_rdata_i    (dmem_rdata_i),
    .load_data_o     (load_data_o)
  );

  /////////////
  // Helpers //
  /////////////

  // r1-r5 are current once WB holds no write.
  assign helper_req_o = valid_i && ctrl_i.unit == EX_CALL_HELP && !budget_hit_i && !wb_we_i;
  assign helper_id_o  = op_b_i;

  /////////////
  // Outcome //
  /////////////

  logic last_frame;
  assign last_frame = 32'(depth_i) == MaxFrames - 1;

  always_comb begin
    fire_o         = 1'b0;
    stall_o        = 1'b0;
    stall_helper_o = 1'b0;
    fault_o        = 1'b0;
    fault_code_o   = FAULT_NONE;
    redirect_o     = 1'b0;
    // A taken branch or a call goes to its target, which EX checked against the program
    // (target_ok_i), so its pc is inside it; the absolute slot and the flags of each kind of
    // redirect were prepared before this cycle, so EX's decision only selects.
    redirect_pc_o   = target_i;
    redirect_addr_o = target_addr_i;
    redirect_oob_o  = 1'b0;
    redirect_oob1_o = target_last_i;
    tail_o         = 1'b0;
    finish_o       = 1'b0;
    push_o         = 1'b0;
    pop_o          = 1'b0;
    result_o       = alu_result;
    late_o         = 1'b0;
    result_mem_o   = 1'b0;
    amo_phase_d    = 1'b0;

    if (valid_i) begin
      if (budget_hit_i) begin
        fault_o      = 1'b1;
        fault_code_o = FAULT_BUDGET_EXCEEDED;
      end else begin
        unique case (ctrl_i.unit)
          EX_ALU: fire_o = 1'b1;

          // ja / ja32 (the fetch stage already followed them): a target outside the
          // program makes the ja an invalid instruction, as the checker would.
          EX_NOP: begin
            if (!target_ok_i) begin
              fault_o      = 1'b1;
              fault_code_o = FAULT_INVALID_INSTRUCTION;
            end else begin
              fire_o = 1'b1;
            end
          end

          EX_MULDIV: begin
            result_o = md_result;
            fire_o   = md_valid;
            stall_o  = !md_valid;
          end

          EX_BRANCH: begin
            if (taken && !target_ok_i) begin
              fault_o      = 1'b1;
              fault_code_o = FAULT_INVALID_INSTRUCTION;
            end else begin
              fire_o     = 1'b1;
              redirect_o = taken;
            end
          end

          EX_LOAD: begin
            late_o       = 1'b1;
            result_o     = ctx_value;
            result_mem_o = !ctx_load;
            fault_o      = lsu_fault;
            fault_code_o = lsu_fault_code;
            fire_o       = !lsu_fault;
          end

          EX_STORE: begin
            fault_o      = lsu_fault;
            fault_code_o = lsu_fault_code;
            fire_o       = !lsu_fault;
          end

          EX_ATOMIC: begin
            late_o       = 1'b1;
            result_o     = amo_old;
            fault_o      = lsu_fault;
            fault_code_o = lsu_fault_code;
            // The read phase stalls whether or not the access faults (a fault halts the
            // run, which outranks the stall everywhere), so the stall, and with it the next
            // fetch address, does not wait for the LSU's checks.
            stall_o      = !amo_phase_q;
            if (!lsu_fault) begin
              fire_o      = amo_phase_q;
              amo_phase_d = !amo_phase_q;
            end
          end

          EX_CALL_HELP: begin
            result_o = helper_keep_r0_i ? r0_val : helper_r0_i;
            if (helper_done_i) begin
              fault_o      = helper_fault_i;
              fault_code_o = helper_fault_code_i;
              fire_o       = !helper_fault_i;
              if (!helper_fault_i && helper_tail_i) begin
                tail_o          = 1'b1;
                redirect_o      = 1'b1;
                redirect_pc_o   = 32'd0;
                redirect_addr_o = tail_addr_i;
                redirect_oob_o  = tail_oob_i;
                redirect_oob1_o = tail_oob1_i;
              end
            end else begin
              stall_o        = 1'b1;
              stall_helper_o = 1'b1;
            end
          end

          EX_CALL_LOCAL: begin
            if (!target_ok_i) begin
              fault_o      = 1'b1;
              fault_code_o = FAULT_INVALID_INSTRUCTION;
            end else if (last_frame) begin
              fault_o      = 1'b1;
              fault_code_o = FAULT_CALL_DEPTH_EXCEEDED;
            end else begin
              fire_o     = 1'b1;
              push_o     = 1'b1;
              redirect_o = 1'b1;
            end
          end

          EX_EXIT: begin
            fire_o = 1'b1;
            if (depth_i == '0) begin
              finish_o = 1'b1;
            end else begin
              pop_o           = 1'b1;
              redirect_o      = 1'b1;
              redirect_pc_o   = frame_ret_pc_i;
              redirect_addr_o = frame_ret_addr_i;
              redirect_oob_o  = frame_ret_oob_i;
              redirect_oob1_o = frame_ret_oob1_i;
            end
          end

          EX_INVALID: begin
            fault_o      = 1'b1;
            fault_code_o = FAULT_INVALID_INSTRUCTION;
          end

          default: begin
            fault_o      = 1'b1;
            fault_code_o = FAULT_INVALID_INSTRUCTION;
          end
        endcase
      end
    end
  end

  assign push_ret_pc_o = pc_i + 32'd1;

  // The destination (wr_en, rd, amo_fetch) matters to WB and forwarding, not here.
  logic unused_ctrl;
  assign unused_ctrl = ^{ctrl_i.wr_en, ctrl_i.rd, ctrl_i.amo_fetch};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      md_pending_q <= 1'b0;
      amo_phase_q  <= 1'b0;
    end else begin
      md_pending_q <= md_pending_d;
      amo_phase_q  <= amo_phase_d;
    end
  end

`ifndef SYNTHESIS
  // The pipeline waits for each mul/div, so the unit is never busy when one starts.
  always_ff @(posedge clk_i) begin
    if (md_start) begin
      assert (!md_busy) else $error("%m: mul/div started while the unit is busy");
    end
  end
`endif

endmodule
