/**
 * AXI-Stream width converter, Bytes-wide beats to bytes
 *
 * Sends the lanes of each beat in order, lane 0 first, skipping the lanes tkeep leaves out
 * at the top of a frame's last beat (tkeep must mark contiguous low lanes, never none).
 * tuser travels with tlast.
 */
module ebpf_net_axis_downsize #(
  parameter int unsigned Bytes = 4   // input width in bytes (>= 2)
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic [8*Bytes-1:0] s_axis_tdata_i,
  input  logic [Bytes-1:0]   s_axis_tkeep_i,
  input  logic               s_axis_tvalid_i,
  output logic               s_axis_tready_o,
  input  logic               s_axis_tlast_i,
  input  logic               s_axis_tuser_i,

  output logic [7:0]         m_axis_tdata_o,
  output logic               m_axis_tvalid_o,
  input  logic               m_axis_tready_i,
  output logic               m_axis_tlast_o,
  output logic               m_axis_tuser_o
);

  localparam int unsigned Cw = $clog2(Bytes);

  if (Bytes < 2) begin : gen_bytes_check
    $error("ebpf_net_axis_downsize: Bytes (%0d) must be >= 2 (instance %m)", Bytes);
  end

  logic [Bytes-1:0][7:0] beat_q;
  logic [Bytes-1:0]      keep_q;
  logic                  valid_q, last_q, user_q;
  logic [Cw-1:0]         idx_q;
  logic                  beat_end;

  assign beat_end = 32'(idx_q) == Bytes - 1 || !keep_q[idx_q + 1'b1];

  assign m_axis_tdata_o  = beat_q[idx_q];
  assign m_axis_tvalid_o = valid_q;
  assign m_axis_tlast_o  = last_q && beat_end;
  assign m_axis_tuser_o  = user_q && beat_end;
  assign s_axis_tready_o = !valid_q || (m_axis_tready_i && beat_end);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      beat_q  <= '0;
      keep_q  <= '0;
      valid_q <= 1'b0;
      last_q  <= 1'b0;
      user_q  <= 1'b0;
      idx_q   <= '0;
    end else begin
      if (s_axis_tvalid_i && s_axis_tready_o) begin
        beat_q  <= s_axis_tdata_i;
        keep_q  <= s_axis_tkeep_i;
        valid_q <= 1'b1;
        last_q  <= s_axis_tlast_i;
        user_q  <= s_axis_tuser_i;
        idx_q   <= '0;
      end else if (valid_q && m_axis_tready_i) begin
        if (beat_end) begin
          valid_q <= 1'b0;
        end else begin
          idx_q <= idx_q + 1'b1;
        end
      end
    end
  end

endmodule
