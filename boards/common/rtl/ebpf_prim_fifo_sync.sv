/**
 * Synchronous FIFO with an optional frame (store-and-forward) mode
 *
 * Beats {tdata, tlast, tuser} in one clock domain, with a registered read (block-RAM
 * friendly). In FrameMode a frame becomes visible only at its tlast, and a frame whose tlast
 * carries tuser = 1 is discarded; a frame larger than the whole FIFO is discarded too (the
 * writer never waits forever). Otherwise every beat is visible at once and tuser passes
 * through. s_drop_o pulses for each discarded frame.
 */
module ebpf_prim_fifo_sync #(
  parameter int unsigned DataW     = 8,      // tdata width in bits
  parameter int unsigned Depth     = 16,     // capacity in beats, a power of two >= 2
  parameter bit          FrameMode = 1'b0    // store and forward whole frames
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic [DataW-1:0] s_axis_tdata_i,
  input  logic             s_axis_tvalid_i,
  output logic             s_axis_tready_o,
  input  logic             s_axis_tlast_i,
  input  logic             s_axis_tuser_i,
  output logic             s_drop_o,

  output logic [DataW-1:0] m_axis_tdata_o,
  output logic             m_axis_tvalid_o,
  input  logic             m_axis_tready_i,
  output logic             m_axis_tlast_o,
  output logic             m_axis_tuser_o
);

  localparam int unsigned Aw   = $clog2(Depth);
  localparam int unsigned EntW = DataW + 2;

  if (Depth < 2 || (Depth & (Depth - 1)) != 0) begin : gen_depth_check
    $error("ebpf_prim_fifo_sync: Depth (%0d) must be a power of two >= 2 (instance %m)",
           Depth);
  end

  logic [EntW-1:0] mem_q [Depth];
  logic [Aw:0]     wr_ptr_q, wr_ptr_d, commit_q, commit_d, rd_ptr_q, visible;
  logic            drop_q, drop_d, full, too_big, accept, store, dropping;

  assign full    = (wr_ptr_q[Aw] != rd_ptr_q[Aw]) && (wr_ptr_q[Aw-1:0] == rd_ptr_q[Aw-1:0]);
  assign too_big = FrameMode && full && (commit_q == rd_ptr_q);
  assign s_axis_tready_o = !full || drop_q || too_big;
  assign accept   = s_axis_tvalid_i && s_axis_tready_o;
  assign dropping = drop_q || too_big;
  assign store    = accept && !dropping && !full;

  always_comb begin
    wr_ptr_d = wr_ptr_q;
    commit_d = commit_q;
    drop_d   = drop_q;
    s_drop_o = 1'b0;
    if (accept) begin
      if (!FrameMode) begin
        wr_ptr_d = wr_ptr_q + 1'b1;
        commit_d = wr_ptr_d;
      end else if (s_axis_tlast_i) begin
        if (dropping || s_axis_tuser_i) begin
          wr_ptr_d = commit_q;
          drop_d   = 1'b0;
          s_drop_o = 1'b1;
        end else begin
          wr_ptr_d = wr_ptr_q + 1'b1;
          commit_d = wr_ptr_d;
        end
      end else if (dropping) begin
        drop_d = 1'b1;
      end else begin
        wr_ptr_d = wr_ptr_q + 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (store) begin
      mem_q[wr_ptr_q[Aw-1:0]] <= {s_axis_tuser_i, s_axis_tlast_i, s_axis_tdata_i};
    end
  end

  // Read side: a registered output stage, loaded whenever it is empty or being taken.
  logic [EntW-1:0] out_q;
  logic            out_valid_q, empty, load;

  assign visible = commit_q;
  assign empty   = rd_ptr_q == visible;
  assign load    = !empty && (!out_valid_q || m_axis_tready_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_ptr_q    <= '0;
      commit_q    <= '0;
      drop_q      <= 1'b0;
      rd_ptr_q    <= '0;
      out_valid_q <= 1'b0;
    end else begin
      wr_ptr_q <= wr_ptr_d;
      commit_q <= commit_d;
      drop_q   <= drop_d;
      if (load) begin
        rd_ptr_q    <= rd_ptr_q + 1'b1;
        out_valid_q <= 1'b1;
      end else if (m_axis_tready_i) begin
        out_valid_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (load) begin
      out_q <= mem_q[rd_ptr_q[Aw-1:0]];
    end
  end

  assign m_axis_tvalid_o = out_valid_q;
  assign m_axis_tdata_o  = out_q[DataW-1:0];
  assign m_axis_tlast_o  = out_q[DataW];
  assign m_axis_tuser_o  = FrameMode ? 1'b0 : out_q[DataW+1];

endmodule
