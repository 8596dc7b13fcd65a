/**
 * Branch condition unit
 *
 * Evaluates the condition of a JMP (64-bit) or JMP32 (low halves) instruction on operands
 * a (dst) and b (src register or sign-extended immediate). Purely combinational.
 */
module ebpf_core_branch
  import ebpf_pkg::*;
(
  input  jmp_op_e     op_i,
  input  logic        is64_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic        taken_o
);

  // One unsigned comparator on the operand width; the signed order follows from it and the
  // sign bits.
  logic [63:0] ua, ub;
  logic        sign_a, sign_b;
  logic        eq, ltu, lts, any_set;

  always_comb begin
    if (is64_i) begin
      ua     = a_i;
      ub     = b_i;
      sign_a = a_i[63];
      sign_b = b_i[63];
    end else begin
      ua     = {32'd0, a_i[31:0]};
      ub     = {32'd0, b_i[31:0]};
      sign_a = a_i[31];
      sign_b = b_i[31];
    end
  end

  assign eq      = ua == ub;
  assign ltu     = ua < ub;
  assign lts     = (sign_a != sign_b) ? sign_a : ltu;
  assign any_set = (ua & ub) != 64'd0;

  always_comb begin
    unique case (op_i)
      JMP_EQ:  taken_o = eq;
      JMP_NE:  taken_o = !eq;
      JMP_GT:  taken_o = !ltu && !eq;
      JMP_GE:  taken_o = !ltu;
      JMP_LT:  taken_o = ltu;
      JMP_LE:  taken_o = ltu || eq;
      JMP_SGT: taken_o = !lts && !eq;
      JMP_SGE: taken_o = !lts;
      JMP_SLT: taken_o = lts;
      JMP_SLE: taken_o = lts || eq;
      JMP_SET: taken_o = any_set;
      default: taken_o = 1'b0;
    endcase
  end

endmodule
