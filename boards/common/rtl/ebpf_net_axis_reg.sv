/**
 * AXI-Stream register slice (skid buffer)
 *
 * Registers both directions of a stream: m_axis_* come from flops, and s_axis_tready_o is a
 * flop too, so that no combinational path crosses the slice. A second (skid) register takes
 * the beat that arrives in the cycle the output stalls. One cycle of latency, one beat per
 * cycle of throughput (a stream that is valid on every cycle stays so on the output).
 * Used in front of the GMII TX MAC (125 MHz): it cuts the path from the width converter and
 * the TX arbiter to the MAC's output register.
 */
module ebpf_net_axis_reg #(
  parameter int unsigned DataW = 8   // tdata width in bits
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic [DataW-1:0] s_axis_tdata_i,
  input  logic             s_axis_tvalid_i,
  output logic             s_axis_tready_o,
  input  logic             s_axis_tlast_i,
  input  logic             s_axis_tuser_i,

  output logic [DataW-1:0] m_axis_tdata_o,
  output logic             m_axis_tvalid_o,
  input  logic             m_axis_tready_i,
  output logic             m_axis_tlast_o,
  output logic             m_axis_tuser_o
);

  localparam int unsigned EntW = DataW + 2;

  logic [EntW-1:0] main_q, skid_q;
  logic            main_valid_q, skid_valid_q;
  logic            take_main;   // the output register is free or drains this cycle

  assign take_main       = !main_valid_q || m_axis_tready_i;
  assign s_axis_tready_o = !skid_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      main_valid_q <= 1'b0;
      skid_valid_q <= 1'b0;
    end else if (take_main) begin
      // The skid beat is older than anything on the input: it goes first.
      main_valid_q <= skid_valid_q || s_axis_tvalid_i;
      skid_valid_q <= 1'b0;
    end else if (s_axis_tvalid_i && !skid_valid_q) begin
      skid_valid_q <= 1'b1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (take_main) begin
      main_q <= skid_valid_q ? skid_q
                             : {s_axis_tuser_i, s_axis_tlast_i, s_axis_tdata_i};
    end
    if (!take_main && s_axis_tvalid_i && !skid_valid_q) begin
      skid_q <= {s_axis_tuser_i, s_axis_tlast_i, s_axis_tdata_i};
    end
  end

  assign m_axis_tvalid_o = main_valid_q;
  assign m_axis_tdata_o  = main_q[DataW-1:0];
  assign m_axis_tlast_o  = main_q[DataW];
  assign m_axis_tuser_o  = main_q[DataW + 1];

endmodule
