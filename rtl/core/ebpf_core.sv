/**
 * eBPF core
 *
 * A four-stage in-order pipeline (wiring only; see docs/architecture.md):
 *   IF  ebpf_core_if_stage    pc, word-pair instruction fetch, ja/lddw pre-decode
 *   ID  ebpf_core_id_stage    decode + legality, register read with forwarding, load-use
 *   EX  ebpf_core_ex_block    ALU, branches, LSU, mul/div, calls, helpers; commit point
 *   WB  ebpf_core_wb_stage    register write of EX results and load data
 * with ebpf_core_regfile_ff (r0-r9), ebpf_core_call_stack (frames, depth -> r10) and
 * ebpf_core_controller (run state, budget, faults, counters). The instruction and data
 * memories, the context fields and the helper unit are outside (ebpf_top).
 */
module ebpf_core
  import ebpf_pkg::*;
#(
  parameter int unsigned ImemAw = 12,   // instruction memory address width (slots)
  parameter int unsigned DmemAw = 11,   // data memory address width (64-bit words)
  parameter int unsigned MapSlots = 32,  // map descriptors (value regions 0x1000 + i)
  localparam int unsigned MapW    = (MapSlots > 1) ? $clog2(MapSlots) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  // Control and status <- / -> the CSR block
  input  logic               start_i,
  // Program table entries (read ports of ebpf_top's table): a program occupies slots
  // [first, first + len) of the instruction memory, its length already bounded by the
  // memory's end. A run starts with the entry program; cur_len_i is the length of prog_o,
  // tail_*_i those of the tail-call target helper_tail_prog_i.
  input  logic [ProgW-1:0]   entry_i,
  input  logic [ImemAw-1:0]  entry_first_i,
  input  logic [31:0]        entry_len_i,
  input  logic [31:0]        cur_len_i,
  input  logic [ImemAw-1:0]  tail_first_i,
  input  logic [31:0]        tail_len_i,
  output logic [ProgW-1:0]   prog_o,             // program running (after a run: the last)
  input  logic [63:0]        budget_i,
  output logic               active_o,           // owns the memories (busy or starting)
  output logic               busy_o,
  output logic               done_o,
  output fault_e             fault_code_o,
  output logic [31:0]        fault_pc_o,
  output logic [63:0]        cycles_o,
  output logic [63:0]        instret_o,
  output logic [63:0]        stall_load_use_o,
  output logic [63:0]        stall_branch_o,
  output logic [63:0]        stall_multi_o,
  output logic [63:0]        stall_helper_o,

  // Register access from the host (writes only while not busy)
  input  logic               host_reg_we_i,
  input  logic [3:0]         host_reg_addr_i,
  input  logic [63:0]        host_reg_wdata_i,
  output logic [63:0]        host_reg_rdata_o,   // register host_reg_addr_i, while not busy
  output logic [63:0]        r0_o,               // r0 as it is (the run's return value once done)

  // Context (struct xdp_md) and packet bounds
  input  logic               has_ctx_i,
  input  logic [31:0]        pkt_data_meta_i,
  input  logic [31:0]        pkt_data_i,
  input  logic [31:0]        pkt_data_end_i,
  input  logic [31:0]        ifindex_i,
  input  logic [31:0]        rx_queue_i,

  // Map value regions (from the map unit)
  input  logic [MapSlots-1:0]       map_valid_i,
  output logic [MapW-1:0]           map_idx_o,     // the map an access's region names ...
  input  logic [31:0]               map_base_i,    // ... its value base and limit (table read port)
  input  logic [31:0]               map_limit_i,
  input  logic [MapSlots-1:0]       map_ro_i,
  output logic [31:0]        stack_limit_o,      // stack bytes the current frame may reach

  // Instruction memory (word pairs, read a cycle after the request)
  output logic               imem_req_o,
  output logic [ImemAw-1:0]  imem_addr_o,
  input  logic [127:0]       imem_rdata_i,

  // Data memory (stack or packet, word pairs)
  output logic               dmem_req_o,
  output dmem_sel_e          dmem_sel_o,
  output logic               dmem_we_o,
  output logic [DmemAw-1:0]  dmem_addr_o,
  output logic [127:0]       dmem_wdata_o,
  output logic [15:0]        dmem_wmask_o,
  input  logic [127:0]       dmem_rdata_i,

  // Helper port
  output logic               helper_req_o,
  output logic [63:0]        helper_id_o,
  output logic [4:0][63:0]   helper_args_o,      // r5..r1
  input  logic               helper_done_i,
  input  logic               helper_fault_i,
  input  fault_e             helper_fault_code_i,
  input  logic [63:0]        helper_r0_i,
  input  logic               helper_keep_r0_i,
  input  logic               helper_tail_i,      // with done: tail call to helper_tail_prog_i
  input  logic [ProgW-1:0]   helper_tail_prog_i
);

  localparam int unsigned DepthW = $clog2(MaxFrames);

  // Controller
  logic start, halt, stall, budget_hit;

  // IF -> ID
  logic         id_valid;
  logic [31:0]  id_pc;
  logic         id_pc_oob, id_pc1_oob;
  logic [127:0] id_insn;
  logic [ImemAw-1:0] id_addr1, id_target_addr;

  // ID outputs
  ctrl_t        id_ctrl;
  logic [63:0]  id_op_a, id_op_b;
  logic [63:0]  id_mem_addr;
  logic [31:0]  id_target;
  logic         id_target_ok;
  logic         load_use;

  // ID/EX register
  logic         ex_valid_q;
  ctrl_t        ex_ctrl_q;
  logic [31:0]  ex_pc_q;
  logic [63:0]  ex_op_a_q, ex_op_b_q;
  logic [63:0]  ex_mem_addr_q;   // operand a + off: a load's, store's or atomic's address
  logic [31:0]  ex_target_q;
  logic         ex_target_ok_q;
  logic [ImemAw-1:0] ex_addr1_q, ex_target_addr_q;   // absolute slots of pc + 1, target
  logic         ex_target_last_q;                    // target + 1 >= program length

  // EX outcome
  logic         ex_fire, ex_stall, ex_stall_helper, ex_fault, ex_redirect, ex_finish;
  fault_e       ex_fault_code;
  logic [31:0]  ex_redirect_pc;
  logic [ImemAw-1:0] ex_redirect_addr;
  logic         ex_redirect_oob, ex_redirect_oob1;
  logic [63:0]  ex_result, load_data;
  logic         ex_late, ex_result_mem;

  // WB
  logic         wb_we;
  logic [3:0]   wb_rd;
  logic [63:0]  wb_data;

  // Register file and call stack
  logic [NumRegs-2:0][63:0] regs;
  logic [DepthW-1:0]        depth;
  logic                     push, pop;
  logic [31:0]              push_ret_pc, frame_ret_pc;
  logic [ProgW-1:0]         frame_prog;
  logic [ImemAw-1:0]        frame_ret_addr;
  logic                     frame_ret_oob, frame_ret_oob1, push_ret_oob, push_ret_oob1;

  // Program: the pc is relative to the running program; IF keeps the absolute slot beside
  // it. The program changes with a tail call and with a return to a frame of another
  // program, in the cycle of the redirect, whose absolute slot (the tail program's first
  // slot, or the return slot the call stack kept) comes with it.
  logic                     ex_tail;
  logic [ProgW-1:0]         prog_q, prog_d;
  logic [31:0]              cur_len;
  logic [3:0][63:0]         frame_regs;

  ////////
  // IF //
  ////////

  ebpf_core_if_stage #(
    .ImemAw (ImemAw)
  ) u_if_stage (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (start),
    .start_base_i  (entry_first_i),
    .start_len_i   (entry_len_i),
    .len_i         (cur_len),
    .halt_i        (halt),
    .redirect_i    (ex_redirect),
    .redirect_pc_i (ex_redirect_pc),
    .redirect_addr_i (ex_redirect_addr),
    .redirect_oob_i  (ex_redirect_oob),
    .redirect_oob1_i (ex_redirect_oob1),
    .stall_i       (stall),
    .jump_target_i (id_target),
    .imem_req_o    (imem_req_o),
    .imem_addr_o   (imem_addr_o),
    .imem_rdata_i  (imem_rdata_i),
    .id_valid_o    (id_valid),
    .id_pc_o       (id_pc),
    .id_pc_oob_o   (id_pc_oob),
    .id_pc1_oob_o  (id_pc1_oob),
    .id_insn_o     (id_insn),
    .id_addr1_o    (id_addr1),
    .id_target_addr_o (id_target_addr)
  );

  ////////
  // ID //
  ////////

  ebpf_core_id_stage #(
    .DepthW (DepthW)
  ) u_id_stage (
    .valid_i     (id_valid),
    .pc_i        (id_pc),
    .insn_i      (id_insn),
    .prog_len_i  (cur_len),
    .pc_oob_i    (id_pc_oob),
    .pc1_oob_i   (id_pc1_oob),
    .regs_i      (regs),
    .depth_i     (depth),
    .ex_valid_i  (ex_valid_q),
    .ex_wr_i     (ex_ctrl_q.wr_en),
    .ex_rd_i     (ex_ctrl_q.rd),
    .ex_late_i   (ex_late),
    .ex_result_i (ex_result),
    .wb_we_i     (wb_we),
    .wb_rd_i     (wb_rd),
    .wb_data_i   (wb_data),
    .ctrl_o      (id_ctrl),
    .op_a_o      (id_op_a),
    .op_b_o      (id_op_b),
    .mem_addr_o  (id_mem_addr),
    .target_o    (id_target),
    .target_ok_o (id_target_ok),
    .load_use_o  (load_use),
    .host_read_i (!busy_o),
    .host_addr_i (host_reg_addr_i),
    .host_rdata_o(host_reg_rdata_o)
  );

  // ID/EX pipeline register: holds while EX stalls; a bubble enters on a redirect (the
  // instruction in ID was fetched down the wrong path) or a load-use stall.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ex_valid_q <= 1'b0;
    end else if (start || halt) begin
      ex_valid_q <= 1'b0;
    end else if (!ex_stall) begin
      ex_valid_q <= id_valid && !ex_redirect && !load_use;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!ex_stall) begin
      ex_ctrl_q      <= id_ctrl;
      ex_pc_q        <= id_pc;
      ex_op_a_q      <= id_op_a;
      ex_op_b_q      <= id_op_b;
      // The memory address is added in ID, a cycle before the LSU checks it (timing: the
      // region checks and the data memory address no longer follow a 64-bit adder in EX).
      ex_mem_addr_q  <= id_mem_addr;
      ex_target_q    <= id_target;
      ex_target_ok_q <= id_target_ok;
      ex_addr1_q       <= id_addr1;
      ex_target_addr_q <= id_target_addr;
      // with target_ok (target < length): target + 1 >= length is target == length - 1
      ex_target_last_q <= id_target == cur_len - 32'd1;
    end
  end

  ////////
  // EX //
  ////////

  ebpf_core_ex_block #(
    .DepthW   (DepthW),
    .ImemAw   (ImemAw),
    .DmemAw   (DmemAw),
    .MapSlots (MapSlots)
  ) u_ex_block (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .valid_i             (ex_valid_q),
    .ctrl_i              (ex_ctrl_q),
    .pc_i                (ex_pc_q),
    .op_a_i              (ex_op_a_q),
    .op_b_i              (ex_op_b_q),
    .mem_addr_i          (ex_mem_addr_q),
    .target_i            (ex_target_q),
    .target_ok_i         (ex_target_ok_q),
    .target_addr_i       (ex_target_addr_q),
    .target_last_i       (ex_target_last_q),
    .budget_hit_i        (budget_hit),
    .regs_i              (regs),
    .wb_we_i             (wb_we),
    .depth_i             (depth),
    .frame_ret_pc_i      (frame_ret_pc),
    .frame_ret_addr_i    (frame_ret_addr),
    .frame_ret_oob_i     (frame_ret_oob),
    .frame_ret_oob1_i    (frame_ret_oob1),
    .push_o              (push),
    .push_ret_pc_o       (push_ret_pc),
    .pop_o               (pop),
    .fire_o              (ex_fire),
    .stall_o             (ex_stall),
    .stall_helper_o      (ex_stall_helper),
    .fault_o             (ex_fault),
    .fault_code_o        (ex_fault_code),
    .redirect_o          (ex_redirect),
    .redirect_pc_o       (ex_redirect_pc),
    .redirect_addr_o     (ex_redirect_addr),
    .redirect_oob_o      (ex_redirect_oob),
    .redirect_oob1_o     (ex_redirect_oob1),
    .finish_o            (ex_finish),
    .result_o            (ex_result),
    .late_o              (ex_late),
    .result_mem_o        (ex_result_mem),
    .helper_req_o        (helper_req_o),
    .helper_id_o         (helper_id_o),
    .helper_args_o       (helper_args_o),
    .helper_done_i       (helper_done_i),
    .helper_fault_i      (helper_fault_i),
    .helper_fault_code_i (helper_fault_code_i),
    .helper_r0_i         (helper_r0_i),
    .helper_keep_r0_i    (helper_keep_r0_i),
    .helper_tail_i       (helper_tail_i),
    .tail_addr_i         (tail_first_i),
    .tail_oob_i          (tail_len_i == 32'd0),
    .tail_oob1_i         (tail_len_i <= 32'd1),
    .tail_o              (ex_tail),
    .has_ctx_i           (has_ctx_i),
    .pkt_data_meta_i     (pkt_data_meta_i),
    .pkt_data_i          (pkt_data_i),
    .pkt_data_end_i      (pkt_data_end_i),
    .ifindex_i           (ifindex_i),
    .rx_queue_i          (rx_queue_i),
    .map_valid_i         (map_valid_i),
    .map_idx_o         (map_idx_o),
    .map_base_i          (map_base_i),
    .map_limit_i         (map_limit_i),
    .map_ro_i            (map_ro_i),
    .dmem_req_o          (dmem_req_o),
    .dmem_sel_o          (dmem_sel_o),
    .dmem_we_o           (dmem_we_o),
    .dmem_addr_o         (dmem_addr_o),
    .dmem_wdata_o        (dmem_wdata_o),
    .dmem_wmask_o        (dmem_wmask_o),
    .dmem_rdata_i        (dmem_rdata_i),
    .load_data_o         (load_data)
  );

  ////////
  // WB //
  ////////

  ebpf_core_wb_stage u_wb_stage (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .flush_i         (start),
    .ex_fire_i       (ex_fire),
    .ex_wr_i         (ex_ctrl_q.wr_en),
    .ex_rd_i         (ex_ctrl_q.rd),
    .ex_result_i     (ex_result),
    .ex_result_mem_i (ex_result_mem),
    .load_data_i     (load_data),
    .we_o            (wb_we),
    .rd_o            (wb_rd),
    .data_o          (wb_data)
  );

  ///////////////////////////////
  // Register file, call stack //
  ///////////////////////////////

  // Between runs the host writes registers through the writeback port.
  logic        rf_we;
  logic [3:0]  rf_waddr;
  logic [63:0] rf_wdata;
  logic        host_we;

  assign host_we  = host_reg_we_i && !busy_o;
  assign rf_we    = wb_we || host_we;
  assign rf_waddr = wb_we ? wb_rd : host_reg_addr_i;
  assign rf_wdata = wb_we ? wb_data : host_reg_wdata_i;

  ebpf_core_regfile_ff u_regfile (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .we_i           (rf_we),
    .waddr_i        (rf_waddr),
    .wdata_i        (rf_wdata),
    .restore_i      (pop),
    .restore_data_i (frame_regs),
    .regs_o         (regs)
  );

  // The return slot's bounds flags against the caller's program, kept with the frame
  // (the program table does not change during a run).
  assign push_ret_oob  = ex_pc_q + 32'd1 >= cur_len;
  assign push_ret_oob1 = ex_pc_q + 32'd2 >= cur_len;

  ebpf_core_call_stack #(
    .ImemAw (ImemAw)
  ) u_call_stack (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .clear_i       (start),
    .push_i        (push),
    .push_ret_pc_i (push_ret_pc),
    .push_ret_addr_i (ex_addr1_q),
    .push_ret_oob_i  (push_ret_oob),
    .push_ret_oob1_i (push_ret_oob1),
    .push_prog_i   (prog_q),
    .pop_i         (pop),
    .regs_i        (regs[9:6]),
    .depth_o       (depth),
    .top_ret_pc_o  (frame_ret_pc),
    .top_ret_addr_o (frame_ret_addr),
    .top_ret_oob_o  (frame_ret_oob),
    .top_ret_oob1_o (frame_ret_oob1),
    .top_prog_o    (frame_prog),
    .top_regs_o    (frame_regs)
  );

  assign r0_o     = regs[0];
  assign active_o = busy_o || start;

  /////////////
  // Program //
  /////////////

  always_comb begin
    prog_d = prog_q;
    if (start) begin
      prog_d = entry_i;
    end else if (ex_tail) begin
      prog_d = helper_tail_prog_i;
    end else if (pop) begin
      prog_d = frame_prog;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prog_q <= '0;
    end else begin
      prog_q <= prog_d;
    end
  end

  assign cur_len     = cur_len_i;
  assign prog_o      = prog_q;
  assign stack_limit_o = 32'(StackFrameSize) * (32'(depth) + 32'd1);

  ////////////////
  // Controller //
  ////////////////

  ebpf_core_controller u_controller (
    .clk_i             (clk_i),
    .rst_ni            (rst_ni),
    .start_i           (start_i),
    .budget_i          (budget_i),
    .ex_fire_i         (ex_fire),
    .ex_stall_i        (ex_stall),
    .ex_stall_helper_i (ex_stall_helper),
    .ex_fault_i        (ex_fault),
    .ex_fault_code_i   (ex_fault_code),
    .ex_pc_i           (ex_pc_q),
    .ex_redirect_i     (ex_redirect),
    .ex_finish_i       (ex_finish),
    .load_use_i        (load_use),
    .start_o           (start),
    .halt_o            (halt),
    .stall_o           (stall),
    .budget_hit_o      (budget_hit),
    .busy_o            (busy_o),
    .done_o            (done_o),
    .fault_code_o      (fault_code_o),
    .fault_pc_o        (fault_pc_o),
    .cycles_o          (cycles_o),
    .instret_o         (instret_o),
    .stall_load_use_o  (stall_load_use_o),
    .stall_branch_o    (stall_branch_o),
    .stall_multi_o     (stall_multi_o),
    .stall_helper_o    (stall_helper_o)
  );

endmodule
