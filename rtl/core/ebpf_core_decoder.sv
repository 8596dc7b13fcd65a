/**
 * Instruction decoder
 *
 * Turns one fetched slot pair (the slot at pc and the next one, for lddw) into the control
 * word of the EX stage and the immediate operand (which registers an instruction reads is
 * the ID stage's opcode_reads(), from the opcode alone). It also
 * owns legality: everything the load-time checker would refuse (ebpf_pkg::classify() names
 * no form, a reserved field is set, a register above r10, a write to r10, a fetch into r10,
 * a map index out of range, a bad lddw second slot, a pc outside the program) decodes to
 * EX_INVALID, which faults when it reaches EX. A ja whose target is outside the program
 * decodes to EX_NOP like any ja and faults in EX (target_ok_o is registered there). Purely
 * combinational.
 */
module ebpf_core_decoder
  import ebpf_pkg::*;
(
  input  logic [31:0]  pc_i,
  input  logic [127:0] insn_i,       // {slot pc+1, slot pc}
  input  logic [31:0]  prog_len_i,   // program length in slots
  input  logic         pc_oob_i,     // pc_i >= prog_len_i (registered by IF)
  input  logic         pc1_oob_i,    // pc_i + 1 >= prog_len_i (registered by IF)

  output ctrl_t        ctrl_o,       // -> EX pipeline register
  output logic         b_is_imm_o,   // operand b is imm_o, not register rb
  output logic [63:0]  imm_o,
  output logic [31:0]  target_o,     // jump / local call target slot (wrapped to 32 bits)
  output logic         target_ok_o   // target_o is inside the program
);

  ////////////
  // Fields //
  ////////////

  logic [7:0]  opcode;
  logic [3:0]  dst, src;
  logic [15:0] off;
  logic [31:0] imm;
  logic [63:0] hi_slot;
  logic [63:0] imm_sext;

  assign opcode   = insn_i[7:0];
  assign dst      = insn_i[11:8];
  assign src      = insn_i[15:12];
  assign off      = insn_i[31:16];
  assign imm      = insn_i[63:32];
  assign hi_slot  = insn_i[127:64];
  assign imm_sext = {{32{imm[31]}}, imm};

  insn_class_e cls;
  mem_size_e   msize;
  mem_mode_e   mmode;
  alu_op_e     alu_op;
  jmp_op_e     jmp_op;

  assign cls    = insn_class_e'(opcode[2:0]);
  assign msize  = mem_size_e'(opcode[4:3]);
  assign mmode  = mem_mode_e'(opcode[7:5]);
  assign alu_op = alu_op_e'(opcode[7:4]);
  assign jmp_op = jmp_op_e'(opcode[7:4]);

  form_e   form;
  format_e fmt;

  assign form = classify(opcode, src, off, imm);
  assign fmt  = form_format(form);

  /////////////
  // Targets //
  /////////////

  logic [31:0] next_pc;

  // Chosen on the opcode alone: the fetch stage follows ja / ja32 with this target.
  assign next_pc  = pc_i + 32'd1;
  assign target_o = (opcode == OpcJa32 || opcode == OpcCallLocal) ? next_pc + imm
                                                                  : next_pc + {{16{off[15]}}, off};
  assign target_ok_o = target_o < prog_len_i;

  //////////////
  // Legality //
  //////////////

  logic [3:0] zero;
  logic       bad_reserved, bad_reg, bad_r10, bad_fetch_r10, bad_map, bad_lddw, bad_pc;
  logic       is_lddw, is_cmpxchg, invalid;

  assign zero          = form_zero_fields(form);
  assign bad_reserved  = ((zero & ZeroDst) != 0 && dst != 4'd0) ||
                         ((zero & ZeroSrc) != 0 && src != 4'd0) ||
                         ((zero & ZeroOff) != 0 && off != 16'd0) ||
                         ((zero & ZeroImm) != 0 && imm != 32'd0);
  // src holds a discriminator for call and lddw, always <= 2 there, so one rule serves all.
  assign bad_reg       = dst > MaxReg || src > MaxReg;
  assign bad_r10       = form_writes_dst(form) && dst == RegFp;
  assign is_cmpxchg    = form == FORM_ATOMIC32_CMPXCHG || form == FORM_ATOMIC64_CMPXCHG;
  assign bad_fetch_r10 = fmt == FMT_ATOMIC && (imm & AtomicFetch) != 0 && src == RegFp &&
                         !is_cmpxchg;
  assign bad_map       = (fmt == FMT_LDDW_MAP || fmt == FMT_LDDW_MAP_VALUE) &&
                         imm >= 32'(MaxMaps);
  assign is_lddw       = fmt == FMT_LDDW || fmt == FMT_LDDW_MAP || fmt == FMT_LDDW_MAP_VALUE;
  assign bad_lddw      = is_lddw && (pc1_oob_i || hi_slot[31:0] != 32'd0);
  assign bad_pc        = pc_oob_i;
  // ja is followed by the fetch stage; a target outside the program faults at the ja itself,
  // in EX (EX_NOP with target_ok clear), so the target compare stays out of this decode.
  assign invalid       = form == FORM_INVALID || bad_reserved || bad_reg || bad_r10 ||
                         bad_fetch_r10 || bad_map || bad_lddw || bad_pc;

  ////////////
  // Decode //
  ////////////

  logic [3:0] size_bytes;

  always_comb begin
    unique case (msize)
      SIZE_B:  size_bytes = 4'd1;
      SIZE_H:  size_bytes = 4'd2;
      SIZE_W:  size_bytes = 4'd4;
      SIZE_DW: size_bytes = 4'd8;
      default: size_bytes = 4'd8;
    endcase
  end

  always_comb begin
    ctrl_o            = '0;
    ctrl_o.unit       = EX_INVALID;
    ctrl_o.alu_fn     = AF_MOV;
    ctrl_o.md_op      = MD_MUL;
    ctrl_o.amo_fn     = AMO_ADD;
    ctrl_o.jmp_op     = jmp_op;
    ctrl_o.is64       = cls == CLS_ALU64 || cls == CLS_JMP;
    ctrl_o.ext_bytes  = 4'd8;
    ctrl_o.mem_bytes  = size_bytes;
    ctrl_o.mem_signed = mmode == MODE_MEMSX;
    ctrl_o.rd         = dst;
    b_is_imm_o        = 1'b1;
    imm_o             = imm_sext;

    unique case (fmt)
      FMT_ALU_IMM, FMT_ALU_REG, FMT_ALU_UNARY, FMT_ENDIAN: begin
        ctrl_o.unit  = EX_ALU;
        ctrl_o.wr_en = 1'b1;
        if (fmt == FMT_ALU_REG) begin
          b_is_imm_o = 1'b0;
        end
        unique case (alu_op)
          ALU_ADD:  ctrl_o.alu_fn = AF_ADD;
          ALU_SUB:  ctrl_o.alu_fn = AF_SUB;
          ALU_OR:   ctrl_o.alu_fn = AF_OR;
          ALU_AND:  ctrl_o.alu_fn = AF_AND;
          ALU_XOR:  ctrl_o.alu_fn = AF_XOR;
          ALU_LSH:  ctrl_o.alu_fn = AF_LSH;
          ALU_RSH:  ctrl_o.alu_fn = AF_RSH;
          ALU_ARSH: ctrl_o.alu_fn = AF_ARSH;
          ALU_NEG:  ctrl_o.alu_fn = AF_NEG;
          ALU_MOV: begin
            // off 0: mov (movsx from 8 bytes); off 8/16/32: movsx from that many bits.
            ctrl_o.alu_fn    = (off == 16'd0) ? AF_MOV : AF_MOVSX;
            ctrl_o.ext_bytes = (off == 16'd0) ? 4'd8 : off[6:3];
          end
          ALU_MUL, ALU_DIV, ALU_MOD: begin
            ctrl_o.unit = EX_MULDIV;
            if (alu_op == ALU_MUL) begin
              ctrl_o.md_op = MD_MUL;
            end else if (alu_op == ALU_DIV) begin
              ctrl_o.md_op = (off == 16'd1) ? MD_SDIV : MD_DIV;
            end else begin
              ctrl_o.md_op = (off == 16'd1) ? MD_SMOD : MD_MOD;
            end
          end
          ALU_END: begin
            // le: truncate; be and bswap (ALU64 class): reverse bytes. Width from imm.
            ctrl_o.alu_fn    = (cls == CLS_ALU && opcode[3] == SrcK) ? AF_TRUNC : AF_BSWAP;
            ctrl_o.ext_bytes = imm[6:3];
          end
          default: ctrl_o.unit = EX_INVALID;
        endcase
      end

      FMT_JA, FMT_JA32: ctrl_o.unit = EX_NOP;

      FMT_JMP_IMM, FMT_JMP_REG: begin
        ctrl_o.unit = EX_BRANCH;
        if (fmt == FMT_JMP_REG) begin
          b_is_imm_o = 1'b0;
        end
      end

      FMT_CALL_HELPER, FMT_CALLX: begin
        // Helper ID in operand b: the immediate, or (callx) the dst register.
        ctrl_o.unit  = EX_CALL_HELP;
        ctrl_o.wr_en = 1'b1;
        ctrl_o.rd    = 4'd0;
        if (fmt == FMT_CALLX) begin
          b_is_imm_o = 1'b0;
        end
      end

      FMT_CALL_LOCAL: ctrl_o.unit = EX_CALL_LOCAL;
      FMT_EXIT:       ctrl_o.unit = EX_EXIT;

      FMT_LDDW, FMT_LDDW_MAP, FMT_LDDW_MAP_VALUE: begin
        ctrl_o.unit   = EX_ALU;
        ctrl_o.alu_fn = AF_MOV;
        ctrl_o.is64   = 1'b1;
        ctrl_o.wr_en  = 1'b1;
        if (fmt == FMT_LDDW) begin
          imm_o = {hi_slot[63:32], imm};
        end else if (fmt == FMT_LDDW_MAP) begin
          imm_o = {MapHandleBase[63:32], imm};   // the base has a zero low half
        end else begin
          imm_o = {MapValueBase[63:32] + imm, hi_slot[63:32]};
        end
      end

      FMT_LDX: begin
        ctrl_o.unit  = EX_LOAD;
        ctrl_o.wr_en = 1'b1;
      end

      FMT_ST: begin
        ctrl_o.unit = EX_STORE;
      end

      FMT_STX: begin
        ctrl_o.unit = EX_STORE;
        b_is_imm_o  = 1'b0;
      end

      FMT_ATOMIC: begin
        ctrl_o.unit      = EX_ATOMIC;
        ctrl_o.is64      = msize == SIZE_DW;
        ctrl_o.amo_fetch = (imm & AtomicFetch) != 0;
        b_is_imm_o       = 1'b0;
        // Fetch forms write the old value to src; cmpxchg writes it to r0.
        ctrl_o.wr_en     = ctrl_o.amo_fetch;
        ctrl_o.rd        = is_cmpxchg ? 4'd0 : src;
        unique case (imm)
          AtomicAdd, AtomicFetchAdd: ctrl_o.amo_fn = AMO_ADD;
          AtomicOr, AtomicFetchOr:   ctrl_o.amo_fn = AMO_OR;
          AtomicAnd, AtomicFetchAnd: ctrl_o.amo_fn = AMO_AND;
          AtomicXor, AtomicFetchXor: ctrl_o.amo_fn = AMO_XOR;
          AtomicXchg:                ctrl_o.amo_fn = AMO_XCHG;
          AtomicCmpxchg:             ctrl_o.amo_fn = AMO_CMPXCHG;
          default:                   ctrl_o.amo_fn = AMO_ADD;
        endcase
      end

      default: ctrl_o.unit = EX_INVALID;
    endcase

    if (invalid) begin
      // Nothing is read or written: the instruction only faults.
      ctrl_o.unit  = EX_INVALID;
      ctrl_o.wr_en = 1'b0;
    end
  end

endmodule
