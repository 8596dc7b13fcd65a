// Two ebpf_prim_lutram_flagged instances side by side, written through one port: Depth 5 (not
// a power of two: addresses 5-7 exist on the 3-bit bus but not in the table) and Depth 8.
module tb_prim_lutram (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                clear_i,
  input  logic                we_i,
  input  logic [2:0]          waddr_i,
  input  logic [11:0]         wdata_i,
  input  logic [1:0][2:0]     raddr_i,
  output logic [1:0][11:0]    odd_rdata_o,    // Depth 5
  output logic [1:0][11:0]    even_rdata_o    // Depth 8
);

  ebpf_prim_lutram_flagged #(.Width(12), .Depth(5), .NumRead(2)) u_odd (
    .clk_i, .rst_ni, .clear_i, .we_i, .waddr_i, .wdata_i, .raddr_i, .rdata_o(odd_rdata_o)
  );

  ebpf_prim_lutram_flagged #(.Width(12), .Depth(8), .NumRead(2)) u_even (
    .clk_i, .rst_ni, .clear_i, .we_i, .waddr_i, .wdata_i, .raddr_i, .rdata_o(even_rdata_o)
  );

endmodule
