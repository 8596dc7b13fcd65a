/**
 * ALU
 *
 * The single-cycle operations of the ALU and ALU64 classes, plus mov/movsx, neg, the byte
 * swaps and lddw (a mov of the 64-bit immediate). 32-bit forms compute on the low halves
 * and zero-extend the result; shift amounts are masked to the operand width (RFC 9669).
 * One right shifter serves rsh and arsh of both widths by pre-extending operand a.
 * Purely combinational.
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

  // Shifts.
  logic [5:0]  shamt;
  logic        arith;
  logic [64:0] rsh_in;
  logic [63:0] rsh_out, lsh_out;

  assign shamt = is64_i ? b_i[5:0] : {1'b0, b_i[4:0]};
  assign arith = fn_i == AF_ARSH;
  // A 32-bit right shift sees the low half, zero- or sign-extended.
  always_comb begin
    if (is64_i) begin
      rsh_in = {arith & a_i[63], a_i};
    end else begin
      rsh_in = {{33{arith & a_i[31]}}, a_i[31:0]};
    end
  end
  assign rsh_out = 64'($signed(rsh_in) >>> shamt);
  assign lsh_out = a_i << shamt;

  // Width conversions.
  logic [63:0] movsx, trunc, bswap;

  always_comb begin
    unique case (ext_bytes_i)
      4'd1:    movsx = {{56{b_i[7]}}, b_i[7:0]};
      4'd2:    movsx = {{48{b_i[15]}}, b_i[15:0]};
      4'd4:    movsx = {{32{b_i[31]}}, b_i[31:0]};
      default: movsx = b_i;
    endcase
  end

  always_comb begin
    unique case (ext_bytes_i)
      4'd2: begin
        trunc = {48'd0, a_i[15:0]};
        bswap = {48'd0, a_i[7:0], a_i[15:8]};
      end
      4'd4: begin
        trunc = {32'd0, a_i[31:0]};
        bswap = {32'd0, a_i[7:0], a_i[15:8], a_i[23:16], a_i[31:24]};
      end
      default: begin
        trunc = a_i;
        bswap = {a_i[7:0], a_i[15:8], a_i[23:16], a_i[31:24],
                 a_i[39:32], a_i[47:40], a_i[55:48], a_i[63:56]};
      end
    endcase
  end

  logic [63:0] res;

  always_comb begin
    unique case (fn_i)
      AF_ADD:   res = a_i + b_i;
      AF_SUB:   res = a_i - b_i;
      AF_OR:    res = a_i | b_i;
      AF_AND:   res = a_i & b_i;
      AF_XOR:   res = a_i ^ b_i;
      AF_LSH:   res = lsh_out;
      AF_RSH:   res = rsh_out;
      AF_ARSH:  res = rsh_out;
      AF_NEG:   res = 64'd0 - a_i;
      AF_MOV:   res = b_i;
      AF_MOVSX: res = movsx;
      AF_TRUNC: res = trunc;
      AF_BSWAP: res = bswap;
      default:  res = b_i;
    endcase
  end

  // Byte-swap results have their own width; everything else follows the class.
  assign result_o = (is64_i || fn_i == AF_TRUNC || fn_i == AF_BSWAP) ? res
                                                                      : {32'd0, res[31:0]};

endmodule
