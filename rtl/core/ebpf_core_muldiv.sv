/**
 * Multiply / divide unit
 *
 * Owns the multi-cycle ALU operations of eBPF (RFC 9669): MUL, DIV, SDIV, MOD and SMOD in
 * their 64-bit and 32-bit (ALU32) forms, with the ISA's results for the corner cases:
 *   - DIV  / SDIV by zero give 0; MOD / SMOD by zero give the dividend unchanged;
 *   - SDIV INT_MIN / -1 gives INT_MIN; SMOD x % -1 gives 0;
 *   - signed division truncates towards zero, the remainder takes the dividend's sign;
 *   - 32-bit forms use the low 32 bits of both operands (as int32 for SDIV/SMOD) and
 *     zero-extend their 32-bit result.
 *
 * Multiply: pipelined, a new MUL may start every cycle, result 3 cycles after start_i.
 *   The low 64 bits of the 64x64 product are summed from ten 16x16 partial products (the
 *   ones with weight below 2^64), so each maps onto one MULT18X18D / DSP48 slice:
 *     stage 1 (start edge): partial products of the (masked) operands
 *     stage 2: column sums of equal weight
 *     stage 3: final 64-bit sum -> result_o, valid_o
 * Divide / modulo: iterative restoring division, two quotient bits per cycle on the
 *   magnitudes, sign fix-up at the end. 64-bit: 1 + 32 + 1 = 34 cycles; 32-bit forms start
 *   with the dividend in the upper half and finish early: 1 + 16 + 1 = 18 cycles.
 *
 * Handshake: start_i is taken when busy_o is low. busy_o is high while a divide is in
 * flight (until the cycle before its valid_o), so a new operation may start in the very
 * cycle valid_o pulses. Multiplies never raise busy_o. A multiply or divide may start while
 * multiplies are in flight; results leave in start order because a divide never finishes
 * sooner than a multiply started before it. valid_o pulses for one cycle per operation;
 * result_o holds the last result until the next one.
 */
module ebpf_core_muldiv (
  input  logic                 clk_i,
  // Async reset for the flops; the assertions also use it (disable iff), which Verilator
  // reports as SYNCASYNCNET although no synchronous logic sees it.
  /* verilator lint_off SYNCASYNCNET */
  input  logic                 rst_ni,
  /* verilator lint_on SYNCASYNCNET */

  // Operation request <- from the EX stage, taken when start_i && !busy_o
  input  logic                 start_i,
  input  ebpf_pkg::md_op_e     op_i,
  input  logic                 is32_i,    // ALU32 form: low halves in, zero-extended out
  input  logic [63:0]          a_i,       // dst operand (dividend / multiplicand)
  input  logic [63:0]          b_i,       // src operand (divisor / multiplier)

  // Result -> to the EX stage / writeback
  output logic                 busy_o,    // a divide is in flight: start_i is not taken
  output logic                 valid_o,   // one-cycle pulse, result_o is valid
  output logic [63:0]          result_o
);

  ////////////////
  // Operations //
  ////////////////

  logic op_is_mul;
  logic op_signed;
  logic op_wants_rem;

  always_comb begin
    op_is_mul    = 1'b0;
    op_signed    = 1'b0;
    op_wants_rem = 1'b0;
    unique case (op_i)
      ebpf_pkg::MD_MUL:  op_is_mul = 1'b1;
      ebpf_pkg::MD_DIV:  ;
      ebpf_pkg::MD_SDIV: op_signed = 1'b1;
      ebpf_pkg::MD_MOD:  op_wants_rem = 1'b1;
      ebpf_pkg::MD_SMOD: begin
        op_signed    = 1'b1;
        op_wants_rem = 1'b1;
      end
      default: ;
    endcase
  end

  logic mul_start;
  logic div_start;

  assign mul_start = start_i & ~busy_o & op_is_mul;
  assign div_start = start_i & ~busy_o & ~op_is_mul;

  // The ALU32 forms see only the low halves; zero-extending them here lets the 64-bit
  // datapaths serve both widths.
  logic [63:0] a_ext;
  logic [63:0] b_ext;

  assign a_ext = is32_i ? {32'b0, a_i[31:0]} : a_i;
  assign b_ext = is32_i ? {32'b0, b_i[31:0]} : b_i;

  //////////////
  // Multiply //
  //////////////

  // 16-bit limbs: a = sum of a_limb<i> * 2^(16 i). Product terms with i + j > 3 only touch bits
  // at or above 2^64 and are never formed.
  logic [15:0] a_limb0, a_limb1, a_limb2, a_limb3;
  logic [15:0] b_limb0, b_limb1, b_limb2, b_limb3;

  assign {a_limb3, a_limb2, a_limb1, a_limb0} = a_ext;
  assign {b_limb3, b_limb2, b_limb1, b_limb0} = b_ext;

  // Stage 1: partial products, named pp_<i><j> after the limbs they multiply (weight
  // 2^(16 (i + j))). Weight-48 terms only need their low 16 bits.
  logic [31:0] pp00_q, pp01_q, pp10_q, pp02_q, pp11_q, pp20_q;
  logic [15:0] pp03_q, pp12_q, pp21_q, pp30_q;
  logic        mul_is32_s1_q;
  logic        mul_valid_s1_q;

  always_ff @(posedge clk_i) begin
    if (mul_start) begin
      pp00_q <= 32'(a_limb0) * 32'(b_limb0);
      pp01_q <= 32'(a_limb0) * 32'(b_limb1);
      pp10_q <= 32'(a_limb1) * 32'(b_limb0);
      pp02_q <= 32'(a_limb0) * 32'(b_limb2);
      pp11_q <= 32'(a_limb1) * 32'(b_limb1);
      pp20_q <= 32'(a_limb2) * 32'(b_limb0);
      pp03_q <= a_limb0 * b_limb3;
      pp12_q <= a_limb1 * b_limb2;
      pp21_q <= a_limb2 * b_limb1;
      pp30_q <= a_limb3 * b_limb0;
      mul_is32_s1_q <= is32_i;
    end
  end

  // Stage 2: one sum per weight. Bits that would land at or above 2^64 are dropped.
  logic [31:0] col0_q;  // weight 2^0
  logic [32:0] col16_q; // weight 2^16
  logic [31:0] col32_q; // weight 2^32
  logic [15:0] col48_q; // weight 2^48
  logic        mul_is32_s2_q;
  logic        mul_valid_s2_q;

  always_ff @(posedge clk_i) begin
    if (mul_valid_s1_q) begin
      col0_q        <= pp00_q;
      col16_q       <= 33'(pp01_q) + 33'(pp10_q);
      col32_q       <= pp02_q + pp11_q + pp20_q;
      col48_q       <= pp03_q + pp12_q + pp21_q + pp30_q;
      mul_is32_s2_q <= mul_is32_s1_q;
    end
  end

  // Stage 3 (combinational here, registered in the shared result flop).
  logic [63:0] mul_sum;
  logic [63:0] mul_result;

  assign mul_sum    = 64'(col0_q) + {15'b0, col16_q, 16'b0} + {col32_q, 32'b0} +
                      {col48_q, 48'b0};
  assign mul_result = mul_is32_s2_q ? {32'b0, mul_sum[31:0]} : mul_sum;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mul_valid_s1_q <= 1'b0;
      mul_valid_s2_q <= 1'b0;
    end else begin
      mul_valid_s1_q <= mul_start;
      mul_valid_s2_q <= mul_valid_s1_q;
    end
  end

  ////////////
  // Divide //
  ////////////

  typedef enum logic [1:0] {
    DivIdle,   // no divide in flight
    DivIter,   // two quotient bits per cycle
    DivFinish  // sign fix-up and result select
  } div_state_e;

  div_state_e  div_state_q, div_state_d;
  logic [4:0]  div_cnt_q,   div_cnt_d;   // iterations left after this one

  logic [63:0] rem_q;     // partial remainder, always < divisor
  logic [63:0] quo_q;     // dividend bits shift out at the top, quotient bits in at the bottom
  logic [63:0] dvs_q;     // divisor magnitude
  logic        div_rem_q;  // result is the remainder, not the quotient
  logic        div_neg_q;  // negate the magnitude result
  logic        div_zero_q; // DIV/SDIV by zero: result is 0
  logic        div_is32_q;

  // Magnitudes of the operands, in the operation's width.
  logic        a_neg;
  logic        b_neg;
  logic [63:0] a_mag;
  logic [63:0] b_mag;

  assign a_neg = op_signed & (is32_i ? a_i[31] : a_i[63]);
  assign b_neg = op_signed & (is32_i ? b_i[31] : b_i[63]);
  // -a of a zero-extended 32-bit value, cut back to 32 bits, is its int32 magnitude; this
  // holds for INT_MIN too (magnitude 2^31 / 2^63 as an unsigned number).
  assign a_mag = (a_neg ? 64'd0 - a_ext : a_ext) & {{32{~is32_i}}, 32'hffff_ffff};
  assign b_mag = (b_neg ? 64'd0 - b_ext : b_ext) & {{32{~is32_i}}, 32'hffff_ffff};

  // One restoring step: shift the next dividend bit into the remainder and subtract the
  // divisor if it fits. rem < dvs holds before and after, so rem fits in 64 bits; the
  // shifted value may not, and its bit 64 alone already means "fits".
  function automatic logic [127:0] div_step(input logic [63:0] rem, input logic [63:0] quo,
                                            input logic [63:0] dvs);
    logic [64:0] shifted;
    logic [64:0] diff;  // {no borrow, shifted[63:0] - dvs}
    logic        fits;
    shifted = {rem, quo[63]};
    diff    = {1'b0, shifted[63:0]} + {1'b0, ~dvs} + 65'd1;
    fits    = shifted[64] | diff[64];
    div_step = {fits ? diff[63:0] : shifted[63:0], quo[62:0], fits};
  endfunction

  logic [127:0] step1;
  logic [127:0] step2;

  assign step1 = div_step(rem_q, quo_q, dvs_q);
  assign step2 = div_step(step1[127:64], step1[63:0], dvs_q);

  always_comb begin
    div_state_d = div_state_q;
    div_cnt_d   = div_cnt_q;
    unique case (div_state_q)
      DivIdle: begin
        if (div_start) begin
          div_state_d = DivIter;
          div_cnt_d   = is32_i ? 5'd15 : 5'd31;
        end
      end
      DivIter: begin
        div_cnt_d = div_cnt_q - 5'd1;
        if (div_cnt_q == 5'd0) begin
          div_state_d = DivFinish;
        end
      end
      DivFinish: div_state_d = DivIdle;
      default:   div_state_d = DivIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      div_state_q <= DivIdle;
      div_cnt_q   <= 5'd0;
    end else begin
      div_state_q <= div_state_d;
      div_cnt_q   <= div_cnt_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (div_start) begin
      rem_q      <= 64'd0;
      quo_q      <= is32_i ? {a_mag[31:0], 32'd0} : a_mag;
      dvs_q      <= b_mag;
      div_rem_q  <= op_wants_rem;
      div_neg_q  <= op_wants_rem ? a_neg : (a_neg ^ b_neg);
      div_zero_q <= ~op_wants_rem & (b_ext == 64'd0);
      div_is32_q <= is32_i;
    end else if (div_state_q == DivIter) begin
      rem_q <= step2[127:64];
      quo_q <= step2[63:0];
    end
  end

  // Fix-up. Division by zero needs no special case for MOD/SMOD: the restoring loop leaves
  // the dividend's magnitude in the remainder, and the sign fix-up restores the dividend.
  logic [63:0] div_mag;
  logic [63:0] div_signed;
  logic [63:0] div_result;

  assign div_mag    = div_rem_q ? rem_q : quo_q;
  assign div_signed = div_neg_q ? 64'd0 - div_mag : div_mag;
  assign div_result = div_zero_q ? 64'd0 :
                      div_is32_q ? {32'b0, div_signed[31:0]} : div_signed;

  ////////////
  // Result //
  ////////////

  logic        div_done;
  logic        valid_q;
  logic [63:0] result_q;

  assign div_done = (div_state_q == DivFinish);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q  <= 1'b0;
      result_q <= 64'd0;
    end else begin
      valid_q <= mul_valid_s2_q | div_done;
      if (mul_valid_s2_q) begin
        result_q <= mul_result;
      end else if (div_done) begin
        result_q <= div_result;
      end
    end
  end

  assign busy_o   = (div_state_q != DivIdle);
  assign valid_o  = valid_q;
  assign result_o = result_q;

  ////////////////
  // Assertions //
  ////////////////

`ifndef SYNTHESIS
  // The caller must wait for busy_o to drop; a start while busy would be lost.
  StartWhileBusy: assert property (@(posedge clk_i) disable iff (!rst_ni) !(start_i && busy_o))
    else $error("%m: start_i while busy_o (divide in flight)");
  // A multiply result and a divide result never compete for the result flop.
  OneResultPerCycle: assert property (@(posedge clk_i) disable iff (!rst_ni)
                                      !(mul_valid_s2_q && div_done))
    else $error("%m: multiply and divide finished in the same cycle");
`endif

endmodule
