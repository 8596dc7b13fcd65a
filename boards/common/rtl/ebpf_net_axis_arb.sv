/**
 * Frame arbiter, two byte streams into one
 *
 * Grants whole frames (from the first byte to tlast), alternating between the inputs when
 * both wait, so neither can starve the other.
 */
module ebpf_net_axis_arb (
  input  logic       clk_i,
  input  logic       rst_ni,

  input  logic [7:0] s0_axis_tdata_i,
  input  logic       s0_axis_tvalid_i,
  output logic       s0_axis_tready_o,
  input  logic       s0_axis_tlast_i,
  input  logic       s0_axis_tuser_i,

  input  logic [7:0] s1_axis_tdata_i,
  input  logic       s1_axis_tvalid_i,
  output logic       s1_axis_tready_o,
  input  logic       s1_axis_tlast_i,
  input  logic       s1_axis_tuser_i,

  output logic [7:0] m_axis_tdata_o,
  output logic       m_axis_tvalid_o,
  input  logic       m_axis_tready_i,
  output logic       m_axis_tlast_o,
  output logic       m_axis_tuser_o
);

  logic busy_q, sel_q, last_sel_q;    // a frame is in progress from input sel_q
  logic sel;

  // Between frames, pick a waiting input, the one not served last if both wait.
  always_comb begin
    if (busy_q) begin
      sel = sel_q;
    end else if (s0_axis_tvalid_i && s1_axis_tvalid_i) begin
      sel = !last_sel_q;
    end else begin
      sel = s1_axis_tvalid_i;
    end
  end

  assign m_axis_tdata_o   = sel ? s1_axis_tdata_i  : s0_axis_tdata_i;
  assign m_axis_tvalid_o  = sel ? s1_axis_tvalid_i : s0_axis_tvalid_i;
  assign m_axis_tlast_o   = sel ? s1_axis_tlast_i  : s0_axis_tlast_i;
  assign m_axis_tuser_o   = sel ? s1_axis_tuser_i  : s0_axis_tuser_i;
  assign s0_axis_tready_o = !sel && m_axis_tready_i;
  assign s1_axis_tready_o = sel && m_axis_tready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q     <= 1'b0;
      sel_q      <= 1'b0;
      last_sel_q <= 1'b1;
    end else if (m_axis_tvalid_o && m_axis_tready_i) begin
      busy_q <= !m_axis_tlast_o;
      sel_q  <= sel;
      if (m_axis_tlast_o) begin
        last_sel_q <= sel;
      end
    end
  end

endmodule
