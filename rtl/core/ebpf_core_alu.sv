/**
 * ALU
 *
 * The single-cycle operations of the ALU and ALU64 classes, plus mov/movsx, neg, the byte
 * swaps and lddw (a mov of the 64-bit immediate). 32-bit forms compute on the low halves
 * and zero-extend the result; shift amounts are masked to the operand width (RFC 9669).
 * To stay small it has one adder (add, sub and neg: x + ~y + 1) and one shifter: right
 * shifts pre-extend operand a (zero or sign, 32 or 64 bits); left shifts reverse the bits
 * before and after. Purely combinational.
 */
module ebpf_core_alu
  import ebpf_pkg::*;
(
  input  alu_fn_e     fn_i,
  input  logic        is64_i,
  input  logic [3:0]  ext_bytes_i,   // MOVSX/TRUNC/BSWAP width in bytes (1, 2, 4, 8)
  input  logic [63:0] a_i,           // dst register
  input  logic [63:0] b_i,           // src register or immediate
  output logic [63:0] result_o
);

  function automatic logic [63:0] reverse64(logic [63:0] v);
    logic [63:0] r;
    for (int unsigned k = 0; k < 64; k++) begin
      r[k] = v[63-k];
    end
    return r;
  endfunction

  // Adder: a + b, a - b = a + ~b + 1, -a = 0 + ~a + 1.
  logic        is_sub, is_neg;
  logic [63:0] add_x, add_y, sum;

  assign is_sub = fn_i == AF_SUB;
  assign is_neg = fn_i == AF_NEG;
  assign add_x  = is_neg ? 64'd0 : a_i;
  assign add_y  = is_neg ? ~a_i : (is_sub ? ~b_i : b_i);
  assign sum    = add_x + add_y + {63'd0, is_sub | is_neg};

  // Shifter.
  logic [5:0]  shamt;
  logic        is_lsh, arith;
  logic [63:0] sh_in, sh_rev_in, sh_out;

  assign shamt  = is64_i ? b_i[5:0] : {1'b0, b_i[4:0]};
  assign is_lsh = fn_i == AF_LSH;
  assign arith  = fn_i == AF_ARSH;

  // A 32-bit right shift sees the low half, zero- or sign-extended; the upper half of a
  // 32-bit left shift never reaches the result.
  always_comb begin
    if (is64_i || is_lsh) begin
      sh_in = a_i;
    end else begin
      sh_in = {{32{arith & a_i[31]}}, a_i[31:0]};
    end
  end
  assign sh_rev_in = is_lsh ? reverse64(sh_in) : sh_in;

  logic [63:0] sh_right;
  assign sh_right = 64'($signed({arith & sh_rev_in[63], sh_rev_in}) >>> shamt);
  assign sh_out   = is_lsh ? reverse64(sh_right) : sh_right;

  // Bitwise operations: per bit one function of a, b and the operation.
  logic [63:0] logic_res;
  always_comb begin
    unique case (fn_i)
      AF_OR:   logic_res = a_i | b_i;
      AF_AND:  logic_res = a_i & b_i;
      default: logic_res = a_i ^ b_i;
    endcase
  end

  // Moves: mov is movsx from 8 bytes (the decoder sets ext_bytes), so they share a path.
  logic [63:0] movsx;
  always_comb begin
    unique case (ext_bytes_i)
      4'd1:    movsx = {{56{b_i[7]}}, b_i[7:0]};
      4'd2:    movsx = {{48{b_i[15]}}, b_i[15:0]};
      4'd4:    movsx = {{32{b_i[31]}}, b_i[31:0]};
      default: movsx = b_i;
    endcase
  end

  // Byte order: le truncates, be/bswap reverse the low ext_bytes bytes.
  logic [63:0] swapped, endian;
  assign swapped = {a_i[7:0], a_i[15:8], a_i[23:16], a_i[31:24],
                    a_i[39:32], a_i[47:40], a_i[55:48], a_i[63:56]};
  always_comb begin
    unique case (ext_bytes_i)
      4'd2:    endian = (fn_i == AF_BSWAP) ? {48'd0, swapped[63:48]} : {48'd0, a_i[15:0]};
      4'd4:    endian = (fn_i == AF_BSWAP) ? {32'd0, swapped[63:32]} : {32'd0, a_i[31:0]};
      default: endian = (fn_i == AF_BSWAP) ? swapped : a_i;
    endcase
  end

  logic [63:0] res;

  always_comb begin
    unique case (fn_i)
      AF_ADD, AF_SUB, AF_NEG:  res = sum;
      AF_OR, AF_AND, AF_XOR:   res = logic_res;
      AF_LSH, AF_RSH, AF_ARSH: res = sh_out;
      AF_TRUNC, AF_BSWAP:      res = endian;
      default:                 res = movsx;   // AF_MOV, AF_MOVSX
    endcase
  end

  // Byte-swap results have their own width; everything else follows the class.
  assign result_o = (is64_i || fn_i == AF_TRUNC || fn_i == AF_BSWAP) ? res
                                                                      : {32'd0, res[31:0]};

endmodule
