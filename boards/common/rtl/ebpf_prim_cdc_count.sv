/**
 * Counter crossing between clock domains
 *
 * Counts pulses of inc_i in the source domain and presents the count in the destination
 * domain, exactly (never a torn value): the count is kept as a Gray code in a source flop,
 * so it changes by one bit per source cycle, and that code crosses through two flops. The
 * destination sees the count a few cycles late; it wraps at 2^Width.
 */
module ebpf_prim_cdc_count #(
  parameter int unsigned Width = 32   // counter bits
) (
  input  logic             src_clk_i,
  input  logic             src_rst_ni,
  input  logic             inc_i,       // one count per source cycle at most

  input  logic             dst_clk_i,
  input  logic             dst_rst_ni,
  output logic [Width-1:0] count_o
);

  logic [Width-1:0] bin_q, gray_q, s1_q, s2_q;

  always_ff @(posedge src_clk_i or negedge src_rst_ni) begin
    if (!src_rst_ni) begin
      bin_q  <= '0;
      gray_q <= '0;
    end else if (inc_i) begin
      bin_q  <= bin_q + 1'b1;
      gray_q <= (bin_q + 1'b1) ^ ((bin_q + 1'b1) >> 1);
    end
  end

  always_ff @(posedge dst_clk_i or negedge dst_rst_ni) begin
    if (!dst_rst_ni) begin
      s1_q <= '0;
      s2_q <= '0;
    end else begin
      s1_q <= gray_q;
      s2_q <= s1_q;
    end
  end

  always_comb begin
    count_o[Width-1] = s2_q[Width-1];
    for (int i = int'(Width) - 2; i >= 0; i--) begin
      count_o[i] = count_o[i+1] ^ s2_q[i];
    end
  end

endmodule
