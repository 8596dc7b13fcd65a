/**
 * Checksum accumulator of bpf_csum_diff (x86-64 csum_partial, as helpers.cpp computes it)
 *
 * The buffer is read as little-endian 32-bit words (a short tail zero-padded) and added to
 * a 32-bit seed; the sum is folded with end-around carry. Bytes arrive one at a time with
 * their index in the buffer.
 */
module ebpf_helper_csum (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic        load_i,       // start a buffer: sum = seed_i
  input  logic [31:0] seed_i,
  input  logic        byte_valid_i,
  input  logic [7:0]  byte_i,
  input  logic [1:0]  idx_i,        // byte index in the buffer, mod 4
  output logic [31:0] sum_o         // the folded partial sum so far
);

  logic [63:0] sum_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sum_q <= '0;
    end else if (load_i) begin
      sum_q <= 64'(seed_i);
    end else if (byte_valid_i) begin
      sum_q <= sum_q + (64'(byte_i) << {idx_i, 3'b000});
    end
  end

  // End-around carry: 0 only for a zero sum, else (sum - 1) mod (2^32 - 1) + 1.
  logic [32:0] fold1;
  logic [31:0] fold2;
  assign fold1 = 33'(sum_q[31:0]) + 33'(sum_q[63:32]);
  assign fold2 = fold1[31:0] + 32'(fold1[32]);
  assign sum_o = fold2;

endmodule
