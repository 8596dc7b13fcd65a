/**
 * Instruction decode stage
 *
 * Decodes the slot pair from IF (ebpf_core_decoder), reads the register operands with
 * forwarding and detects the one hazard forwarding cannot cover: an instruction that needs
 * the result of a load or atomic still in EX (load-use, one stall cycle). Operands come, in
 * priority order, from the EX result (ALU, mul/div and helper results, the cycle they
 * complete), the WB stage (everything, loads included), the register file; r10 is derived
 * from the call depth. Outputs go to the ID/EX pipeline register in ebpf_core. Between runs
 * read port a serves the host (register reads over the CSR bus).
 */
module ebpf_core_id_stage
  import ebpf_pkg::*;
#(
  parameter int unsigned DepthW = 3
) (
  // <- from IF
  input  logic                  valid_i,
  input  logic [31:0]           pc_i,
  input  logic [127:0]          insn_i,
  input  logic [31:0]           prog_len_i,
  input  logic                  pc_oob_i,       // pc_i >= prog_len_i
  input  logic                  pc1_oob_i,      // pc_i + 1 >= prog_len_i

  // Register file and call depth
  input  logic [NumRegs-2:0][63:0] regs_i,
  input  logic [DepthW-1:0]     depth_i,

  // Forwarding <- from EX (result valid this cycle unless ex_late_i)
  input  logic                  ex_valid_i,
  input  logic                  ex_wr_i,
  input  logic [3:0]            ex_rd_i,
  input  logic                  ex_late_i,      // load/atomic: result only in WB
  input  logic [63:0]           ex_result_i,

  // Forwarding <- from WB
  input  logic                  wb_we_i,
  input  logic [3:0]            wb_rd_i,
  input  logic [63:0]           wb_data_i,

  // -> to the ID/EX register
  output ctrl_t                 ctrl_o,
  output logic [63:0]           op_a_o,
  output logic [63:0]           op_b_o,
  output logic [63:0]           mem_addr_o,     // base register + off of a load / store / atomic
  output logic [31:0]           target_o,
  output logic                  target_ok_o,

  // -> to the controller
  output logic                  load_use_o,     // stall: an operand is a load result in EX

  // Host register reads (core idle)
  input  logic                  host_read_i,
  input  logic [3:0]            host_addr_i,
  output logic [63:0]           host_rdata_o
);

  logic        b_is_imm;
  logic [63:0] imm;

  // Which register fields an instruction reads, from its opcode alone (the one place that
  // says so: the operand picks, the load-use check and the memory address use it). An
  // invalid slot may read a field it has no use for; it faults in EX and its operands are
  // never used, but it may wait a cycle for a load result first.
  typedef struct packed {
    logic use_a;     // operand a is a register
    logic use_b;     // operand b is a register
    logic a_is_src;  // ... a is the src field (else dst)
    logic b_is_dst;  // ... b is the dst field (else src)
  } reads_t;

  function automatic reads_t opcode_reads(logic [7:0] opc);
    reads_t r;
    logic [3:0] op;
    logic       x;
    op = opc[7:4];
    x  = opc[3] == SrcX;
    r  = '0;
    unique case (insn_class_e'(opc[2:0]))
      CLS_ALU, CLS_ALU64: begin
        r.use_a = op != ALU_MOV;
        r.use_b = x && op != ALU_NEG && op != ALU_END;
      end
      CLS_JMP, CLS_JMP32: begin
        if (op == JMP_CALL) begin
          r.use_b    = x;       // callx: the helper ID is in dst
          r.b_is_dst = 1'b1;
        end else if (op != JMP_JA && op != JMP_EXIT) begin
          r.use_a = 1'b1;
          r.use_b = x;
        end
      end
      CLS_LDX: begin
        r.use_a    = 1'b1;
        r.a_is_src = 1'b1;
      end
      CLS_ST:  r.use_a = 1'b1;
      CLS_STX: begin
        r.use_a = 1'b1;
        r.use_b = 1'b1;
      end
      default: ;                // CLS_LD: lddw reads no register
    endcase
    return r;
  endfunction

  reads_t reads;
  assign reads = opcode_reads(insn_i[7:0]);

  ebpf_core_decoder u_decoder (
    .pc_i        (pc_i),
    .insn_i      (insn_i),
    .prog_len_i  (prog_len_i),
    .pc_oob_i    (pc_oob_i),
    .pc1_oob_i   (pc1_oob_i),
    .ctrl_o      (ctrl_o),
    .b_is_imm_o  (b_is_imm),
    .imm_o       (imm),
    .target_o    (target_o),
    .target_ok_o (target_ok_o)
  );

  // r10 in frame k: the top of that frame.
  logic [63:0] frame_ptr;
  assign frame_ptr = StackBase + 64'(StackFrameSize) * (64'(depth_i) + 64'd1);

  function automatic logic [63:0] read_fwd(
      logic [3:0] r, logic [NumRegs-2:0][63:0] regs, logic [63:0] fp,
      logic ex_hit, logic [3:0] ex_rd, logic [63:0] ex_res,
      logic wb_hit, logic [3:0] wb_rd, logic [63:0] wb_res);
    logic [63:0] v;
    if (r == RegFp) begin
      v = fp;
    end else if (ex_hit && ex_rd == r) begin
      v = ex_res;
    end else if (wb_hit && wb_rd == r) begin
      v = wb_res;
    end else if (r < RegFp) begin
      v = regs[r];
    end else begin
      v = '0;   // r11-r15: the instruction is invalid and never uses the value
    end
    return v;
  endfunction

  logic ex_fwd;
  assign ex_fwd = ex_valid_i && ex_wr_i && !ex_late_i;

  // The operands are always the dst or the src field of the slot (ra: dst, or src for a
  // load; rb: src, or dst for callx). Both fields are read, with forwarding, straight from
  // the instruction bits in parallel with the decoder, and picked by the opcode.
  logic [3:0]  f_dst, f_src;
  logic [63:0] reg_dst, reg_src, reg_a, reg_b;
  assign f_dst   = insn_i[11:8];
  assign f_src   = insn_i[15:12];
  assign reg_dst = read_fwd(f_dst, regs_i, frame_ptr, ex_fwd, ex_rd_i, ex_result_i,
                            wb_we_i, wb_rd_i, wb_data_i);
  assign reg_src = read_fwd(f_src, regs_i, frame_ptr, ex_fwd, ex_rd_i, ex_result_i,
                            wb_we_i, wb_rd_i, wb_data_i);
  assign reg_a   = reads.a_is_src ? reg_src : reg_dst;
  assign reg_b   = reads.b_is_dst ? reg_dst : reg_src;

  assign op_a_o = reg_a;
  assign op_b_o = b_is_imm ? imm : reg_b;

  // Host reads (core idle): a read port of its own, so the CSR read data does not hang off
  // the decoder. Nothing is in EX between runs; a write still in WB is forwarded.
  assign host_rdata_o = read_fwd(host_addr_i, regs_i, frame_ptr, 1'b0, ex_rd_i, ex_result_i,
                                 wb_we_i, wb_rd_i, wb_data_i);
  logic unused_host_read;
  assign unused_host_read = host_read_i;

  // Load-use: the field compares come from the instruction bits too, and the fields read
  // from opcode_reads, so the stall, which steers the next fetch address, does not wait for
  // the decoder's format and legality logic.
  logic   ex_pending, dst_pending, src_pending, a_pending, b_pending;
  assign ex_pending  = ex_valid_i && ex_wr_i && ex_late_i;
  assign dst_pending = f_dst == ex_rd_i;
  assign src_pending = f_src == ex_rd_i;
  assign a_pending   = reads.a_is_src ? src_pending : dst_pending;
  assign b_pending   = reads.b_is_dst ? dst_pending : src_pending;
  assign load_use_o  = valid_i && ex_pending &&
                       ((reads.use_a && a_pending) || (reads.use_b && b_pending));

  // A memory instruction's address (operand a + off), added here so the LSU starts from a
  // register; other instructions never use it.
  assign mem_addr_o = reg_a + {{48{insn_i[31]}}, insn_i[31:16]};

endmodule
