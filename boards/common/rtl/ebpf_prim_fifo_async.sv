/**
 * Asynchronous AXI-Stream FIFO (clock-domain crossing)
 *
 * Carries beats {tdata, tkeep, tlast, tuser} from s_clk_i to m_clk_i. The read pointer
 * crosses as a Gray code through two flops. In FrameMode the FIFO stores and forwards: a
 * frame becomes visible to the reader only at its tlast, and a frame whose tlast carries
 * tuser = 1 is dropped (its beats are rewound). The committed write pointer jumps by a whole
 * frame at a time, so it crosses with a request/acknowledge handshake instead of a Gray code
 * (a Gray code is only safe for steps of one); commits that happen while a transfer is in
 * flight are published together by the next one. Without FrameMode the write pointer crosses
 * as a Gray code and every beat is visible at once.
 *
 * With DropWhenFull (FrameMode only) the write side never back-pressures (a MAC cannot
 * wait): a frame that meets a full FIFO is dropped whole. Without it the writer waits for
 * room, except that a frame larger than the whole FIFO is dropped so it cannot wedge.
 * Each dropped frame pulses s_drop_bad_o (tuser) or s_drop_full_o (no room), for counters.
 *
 * Timing (the 125 MHz MAC clocks): the read pointer seen by the write side is converted from
 * Gray code into a register, and the block RAM's read register feeds a second output register
 * in the fabric, so that neither the Gray decode nor the RAM's clock-to-out (5.8 ns on an
 * ECP5-6) is in series with the logic on either side; `full` is a register too (below). Both
 * pointer registers cost a cycle before the write side sees freed room (conservative), the
 * output register one cycle of read latency; throughput stays one beat per cycle.
 *
 * Both resets must be asserted together (each synchronised to its own clock).
 */
module ebpf_prim_fifo_async #(
  parameter int unsigned DataW        = 8,      // tdata width in bits, a multiple of 8
  parameter int unsigned Depth        = 2048,   // capacity in beats, a power of two >= 4
  parameter bit          FrameMode    = 1'b1,   // store and forward whole frames
  parameter bit          DropWhenFull = 1'b0    // FrameMode: drop instead of back-pressure
) (
  // Write side (s_clk_i)
  input  logic                 s_clk_i,
  input  logic                 s_rst_ni,
  input  logic [DataW-1:0]     s_axis_tdata_i,
  input  logic [DataW/8-1:0]   s_axis_tkeep_i,
  input  logic                 s_axis_tvalid_i,
  output logic                 s_axis_tready_o,
  input  logic                 s_axis_tlast_i,
  input  logic                 s_axis_tuser_i,
  output logic                 s_drop_bad_o,    // pulse: a frame ended with tuser, dropped
  output logic                 s_drop_full_o,   // pulse: a good frame found no room, dropped

  // Read side (m_clk_i)
  input  logic                 m_clk_i,
  input  logic                 m_rst_ni,
  output logic [DataW-1:0]     m_axis_tdata_o,
  output logic [DataW/8-1:0]   m_axis_tkeep_o,
  output logic                 m_axis_tvalid_o,
  input  logic                 m_axis_tready_i,
  output logic                 m_axis_tlast_o,
  output logic                 m_axis_tuser_o
);

  localparam int unsigned KeepW = DataW / 8;
  localparam int unsigned Aw    = $clog2(Depth);
  localparam int unsigned EntW  = DataW + KeepW + 2;

  if (DataW == 0 || DataW % 8 != 0) begin : gen_width_check
    $error("ebpf_prim_fifo_async: DataW (%0d) must be a multiple of 8 (instance %m)", DataW);
  end
  if (Depth < 4 || (Depth & (Depth - 1)) != 0) begin : gen_depth_check
    $error("ebpf_prim_fifo_async: Depth (%0d) must be a power of two >= 4 (instance %m)",
           Depth);
  end
  if (DropWhenFull && !FrameMode) begin : gen_mode_check
    $error("ebpf_prim_fifo_async: DropWhenFull requires FrameMode (instance %m)");
  end

  function automatic logic [Aw:0] bin2gray(logic [Aw:0] b);
    return b ^ (b >> 1);
  endfunction

  function automatic logic [Aw:0] gray2bin(logic [Aw:0] g);
    logic [Aw:0] b;
    b[Aw] = g[Aw];
    for (int i = int'(Aw) - 1; i >= 0; i--) begin
      b[i] = b[i+1] ^ g[i];
    end
    return b;
  endfunction

  logic [EntW-1:0] mem_q [Depth];
  logic [Aw:0]     rd_ptr_q, rd_gray_q;   // read side, declared here for the write side's sync

  ////////////////
  // Write side //
  ////////////////

  logic [Aw:0] wr_ptr_q, wr_ptr_d, commit_q, commit_d;
  logic [Aw:0] rd_ptr_s_q;               // read pointer as seen by the write side
  logic [Aw:0] rd_gray_s1_q, rd_gray_s2_q;
  logic        drop_q, drop_d;
  logic        full, too_big, overflow, accept, store, dropping;

  // `full` is a register, computed a cycle ahead for each of the three write pointers the
  // next cycle can have (unchanged, one more, rewound to the commit point) against the read
  // pointer of that cycle, which rd_full_q keeps: the pointer compare runs beside the
  // accept/drop decision instead of in series with it. wr_inc_q is always wr_ptr_q + 1.
  function automatic logic full_of(logic [Aw:0] w, logic [Aw:0] r);
    return (w[Aw] != r[Aw]) && (w[Aw-1:0] == r[Aw-1:0]);
  endfunction

  logic [Aw:0] wr_inc_q, wr_inc_d, rd_full_q;
  logic        full_q, full_d;

  assign full     = full_q;
  // The FIFO holds nothing but the frame being written: it can never fit (against the same
  // read pointer as full_q, which is never ahead of the reader).
  assign too_big  = full && (commit_q == rd_full_q);
  assign overflow = FrameMode && full && (DropWhenFull || too_big);

  always_comb begin
    if (!FrameMode) begin
      s_axis_tready_o = !full;
    end else if (DropWhenFull) begin
      s_axis_tready_o = 1'b1;
    end else begin
      s_axis_tready_o = !full || drop_q || too_big;
    end
  end

  assign accept   = s_axis_tvalid_i && s_axis_tready_o;
  assign dropping = drop_q || overflow;
  assign store    = accept && !dropping && !full;

  always_comb begin
    wr_ptr_d      = wr_ptr_q;
    wr_inc_d      = wr_inc_q;
    full_d        = full_of(wr_ptr_q, rd_ptr_s_q);
    commit_d      = commit_q;
    drop_d        = drop_q;
    s_drop_bad_o  = 1'b0;
    s_drop_full_o = 1'b0;
    if (accept) begin
      if (!FrameMode) begin
        wr_ptr_d = wr_inc_q;
        wr_inc_d = wr_inc_q + 1'b1;
        full_d   = full_of(wr_inc_q, rd_ptr_s_q);
        commit_d = wr_inc_q;
      end else if (s_axis_tlast_i) begin
        if (dropping || s_axis_tuser_i) begin
          wr_ptr_d      = commit_q;
          wr_inc_d      = commit_q + 1'b1;
          full_d        = full_of(commit_q, rd_ptr_s_q);
          drop_d        = 1'b0;
          s_drop_bad_o  = s_axis_tuser_i;
          s_drop_full_o = !s_axis_tuser_i;
        end else begin
          wr_ptr_d = wr_inc_q;
          wr_inc_d = wr_inc_q + 1'b1;
          full_d   = full_of(wr_inc_q, rd_ptr_s_q);
          commit_d = wr_inc_q;
        end
      end else if (dropping) begin
        drop_d = 1'b1;
      end else begin
        wr_ptr_d = wr_inc_q;
        wr_inc_d = wr_inc_q + 1'b1;
        full_d   = full_of(wr_inc_q, rd_ptr_s_q);
      end
    end
  end

  always_ff @(posedge s_clk_i or negedge s_rst_ni) begin
    if (!s_rst_ni) begin
      wr_ptr_q     <= '0;
      wr_inc_q     <= (Aw+1)'(1);
      full_q       <= 1'b0;
      rd_full_q    <= '0;
      commit_q     <= '0;
      drop_q       <= 1'b0;
      rd_gray_s1_q <= '0;
      rd_gray_s2_q <= '0;
      rd_ptr_s_q   <= '0;
    end else begin
      wr_ptr_q     <= wr_ptr_d;
      wr_inc_q     <= wr_inc_d;
      full_q       <= full_d;
      rd_full_q    <= rd_ptr_s_q;
      commit_q     <= commit_d;
      drop_q       <= drop_d;
      rd_gray_s1_q <= rd_gray_q;
      rd_gray_s2_q <= rd_gray_s1_q;
      rd_ptr_s_q   <= gray2bin(rd_gray_s2_q);
    end
  end

  always_ff @(posedge s_clk_i) begin
    if (store) begin
      mem_q[wr_ptr_q[Aw-1:0]] <= {s_axis_tuser_i, s_axis_tlast_i, s_axis_tkeep_i,
                                  s_axis_tdata_i};
    end
  end

  /////////////////////////////////
  // Write pointer to read side  //
  /////////////////////////////////

  logic [Aw:0] wr_ptr_m;                 // committed write pointer as seen by the read side

  if (FrameMode) begin : gen_ptr_handshake
    logic [Aw:0] pub_q;                  // value in flight, stable while req_q != ack
    logic        req_q, ack_s1_q, ack_s2_q;
    logic        req_m1_q, req_m2_q, ack_q;
    logic [Aw:0] wr_ptr_m_q;

    always_ff @(posedge s_clk_i or negedge s_rst_ni) begin
      if (!s_rst_ni) begin
        pub_q    <= '0;
        req_q    <= 1'b0;
        ack_s1_q <= 1'b0;
        ack_s2_q <= 1'b0;
      end else begin
        ack_s1_q <= ack_q;
        ack_s2_q <= ack_s1_q;
        if (req_q == ack_s2_q && pub_q != commit_q) begin
          pub_q <= commit_q;
          req_q <= !req_q;
        end
      end
    end

    always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
      if (!m_rst_ni) begin
        req_m1_q   <= 1'b0;
        req_m2_q   <= 1'b0;
        ack_q      <= 1'b0;
        wr_ptr_m_q <= '0;
      end else begin
        req_m1_q <= req_q;
        req_m2_q <= req_m1_q;
        if (req_m2_q != ack_q) begin
          wr_ptr_m_q <= pub_q;
          ack_q      <= req_m2_q;
        end
      end
    end

    assign wr_ptr_m = wr_ptr_m_q;
  end else begin : gen_ptr_gray
    logic [Aw:0] wr_gray_q, wr_gray_m1_q, wr_gray_m2_q, wr_ptr_m_q;

    always_ff @(posedge s_clk_i or negedge s_rst_ni) begin
      if (!s_rst_ni) begin
        wr_gray_q <= '0;
      end else begin
        wr_gray_q <= bin2gray(wr_ptr_d);
      end
    end

    always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
      if (!m_rst_ni) begin
        wr_gray_m1_q <= '0;
        wr_gray_m2_q <= '0;
        wr_ptr_m_q   <= '0;
      end else begin
        wr_gray_m1_q <= wr_gray_q;
        wr_gray_m2_q <= wr_gray_m1_q;
        wr_ptr_m_q   <= gray2bin(wr_gray_m2_q);
      end
    end

    assign wr_ptr_m = wr_ptr_m_q;
  end

  ///////////////
  // Read side //
  ///////////////

  // ram_q: the block RAM's read register; out_q: the output register in the fabric.
  logic [EntW-1:0] ram_q, out_q;
  logic            ram_valid_q, out_valid_q, empty, load_ram, load_out;

  assign empty    = rd_ptr_q == wr_ptr_m;
  assign load_out = ram_valid_q && (!out_valid_q || m_axis_tready_i);
  assign load_ram = !empty && (!ram_valid_q || load_out);

  always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
    if (!m_rst_ni) begin
      rd_ptr_q    <= '0;
      rd_gray_q   <= '0;
      ram_valid_q <= 1'b0;
      out_valid_q <= 1'b0;
    end else begin
      if (load_ram) begin
        rd_ptr_q  <= rd_ptr_q + 1'b1;
        rd_gray_q <= bin2gray(rd_ptr_q + 1'b1);
      end
      if (load_ram) begin
        ram_valid_q <= 1'b1;
      end else if (load_out) begin
        ram_valid_q <= 1'b0;
      end
      if (load_out) begin
        out_valid_q <= 1'b1;
      end else if (m_axis_tready_i) begin
        out_valid_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge m_clk_i) begin
    if (load_ram) begin
      ram_q <= mem_q[rd_ptr_q[Aw-1:0]];
    end
  end

  always_ff @(posedge m_clk_i) begin
    if (load_out) begin
      out_q <= ram_q;
    end
  end

  assign m_axis_tvalid_o = out_valid_q;
  assign m_axis_tdata_o  = out_q[DataW-1:0];
  assign m_axis_tkeep_o  = out_q[DataW +: KeepW];
  assign m_axis_tlast_o  = out_q[DataW + KeepW];
  // Frames that reach the reader in FrameMode were good; tuser passes through otherwise.
  assign m_axis_tuser_o  = FrameMode ? 1'b0 : out_q[DataW + KeepW + 1];

endmodule
