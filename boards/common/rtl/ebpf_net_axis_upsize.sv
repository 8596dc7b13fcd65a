/**
 * AXI-Stream width converter, bytes to Bytes-wide beats
 *
 * Packs consecutive bytes into one beat, lane 0 first (tdata[7:0] is the earliest byte). A
 * frame's last beat may be partial: tkeep marks its low lanes in use. tuser travels with
 * tlast.
 */
module ebpf_net_axis_upsize #(
  parameter int unsigned Bytes = 4   // output width in bytes (>= 2)
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic [7:0]         s_axis_tdata_i,
  input  logic               s_axis_tvalid_i,
  output logic               s_axis_tready_o,
  input  logic               s_axis_tlast_i,
  input  logic               s_axis_tuser_i,

  output logic [8*Bytes-1:0] m_axis_tdata_o,
  output logic [Bytes-1:0]   m_axis_tkeep_o,
  output logic               m_axis_tvalid_o,
  input  logic               m_axis_tready_i,
  output logic               m_axis_tlast_o,
  output logic               m_axis_tuser_o
);

  localparam int unsigned Cw = $clog2(Bytes);

  if (Bytes < 2) begin : gen_bytes_check
    $error("ebpf_net_axis_upsize: Bytes (%0d) must be >= 2 (instance %m)", Bytes);
  end

  logic [Bytes-1:0][7:0] acc_q, acc_d;
  logic [Cw-1:0]         cnt_q;
  logic                  accept, flush;

  assign s_axis_tready_o = !m_axis_tvalid_o || m_axis_tready_i;
  assign accept          = s_axis_tvalid_i && s_axis_tready_o;
  assign flush           = accept && (s_axis_tlast_i || 32'(cnt_q) == Bytes - 1);

  always_comb begin
    acc_d        = acc_q;
    acc_d[cnt_q] = s_axis_tdata_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q           <= '0;
      cnt_q           <= '0;
      m_axis_tdata_o  <= '0;
      m_axis_tkeep_o  <= '0;
      m_axis_tvalid_o <= 1'b0;
      m_axis_tlast_o  <= 1'b0;
      m_axis_tuser_o  <= 1'b0;
    end else begin
      if (m_axis_tready_i) begin
        m_axis_tvalid_o <= 1'b0;
      end
      if (accept) begin
        acc_q <= acc_d;
        cnt_q <= flush ? '0 : cnt_q + 1'b1;
      end
      if (flush) begin
        m_axis_tdata_o  <= acc_d;
        m_axis_tkeep_o  <= Bytes'((2 * (1 << cnt_q)) - 1);
        m_axis_tvalid_o <= 1'b1;
        m_axis_tlast_o  <= s_axis_tlast_i;
        m_axis_tuser_o  <= s_axis_tlast_i && s_axis_tuser_i;
      end
    end
  end

endmodule
