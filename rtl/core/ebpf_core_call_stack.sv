/**
 * Call stack: the hardware frames of bpf-to-bpf calls
 *
 * Owns the call depth and, per nested call, the return slot (as pc, as absolute instruction
 * memory slot and its bounds flags, so a return redirects the fetch without an adder), the
 * caller's program (a tail call in the callee may replace the program it runs) and the
 * caller's r6-r9. r10 is
 * not saved: in frame k it is always StackBase + StackFrameSize * (k + 1), derived from the
 * depth. Depth 0 is the entry program; a call at depth MaxFrames - 1 faults (checked by the
 * EX stage), so MaxFrames - 1 frames are stored. Frames live in a small RAM with an
 * asynchronous read of the top entry (LUT RAM on FPGAs).
 *
 * The frame is written in the cycle after the call completes, from the register file
 * itself: by then the instruction that was in WB beside the call has written back and
 * nothing younger has (the call's redirect left a bubble), so the registers are exactly
 * those at the call, without forwarding. A return can use the frame two cycles after the
 * call at the earliest.
 */
module ebpf_core_call_stack
  import ebpf_pkg::*;
#(
  parameter int unsigned Frames = MaxFrames,   // call depth limit, entry program included
  parameter int unsigned ImemAw = 12,          // instruction memory address width (slots)
  localparam int unsigned Dw    = $clog2(Frames)
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             clear_i,          // start of a run: depth 0

  // <- from the EX stage
  input  logic             push_i,           // call local
  input  logic [31:0]      push_ret_pc_i,
  input  logic [ImemAw-1:0] push_ret_addr_i,  // absolute slot of push_ret_pc_i
  input  logic             push_ret_oob_i,   // push_ret_pc_i >= the caller's length
  input  logic             push_ret_oob1_i,  // push_ret_pc_i + 1 >= the caller's length
  input  logic [ProgW-1:0] push_prog_i,      // program of the call
  input  logic             pop_i,            // exit at depth > 0

  // <- from the register file, the cycle after push_i
  input  logic [3:0][63:0] regs_i,           // r9, r8, r7, r6

  output logic [Dw-1:0]    depth_o,
  output logic [31:0]      top_ret_pc_o,     // frame popped by exit
  output logic [ImemAw-1:0] top_ret_addr_o,
  output logic             top_ret_oob_o,
  output logic             top_ret_oob1_o,
  output logic [ProgW-1:0] top_prog_o,
  output logic [3:0][63:0] top_regs_o
);

  localparam int unsigned Entries = Frames - 1;
  localparam int unsigned Ew      = (Entries > 1) ? $clog2(Entries) : 1;
  localparam int unsigned FrameW  = ProgW + 32 + ImemAw + 2 + 4 * 64;

  logic [Dw-1:0]     depth_q, depth_d;
  logic [FrameW-1:0] frames_q [Entries];
  logic [Ew-1:0]     top_idx, push_idx_q;
  logic [31:0]       push_ret_pc_q;
  logic [ImemAw-1:0] push_ret_addr_q;
  logic              push_ret_oob_q, push_ret_oob1_q;
  logic [ProgW-1:0]  push_prog_q;
  logic              push_q;

  assign top_idx = (depth_q == '0) ? '0 : Ew'(depth_q - Dw'(1));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      push_q <= 1'b0;
    end else begin
      push_q <= push_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (push_i) begin
      push_idx_q    <= Ew'(depth_q);
      push_ret_pc_q <= push_ret_pc_i;
      push_ret_addr_q <= push_ret_addr_i;
      push_ret_oob_q  <= push_ret_oob_i;
      push_ret_oob1_q <= push_ret_oob1_i;
      push_prog_q   <= push_prog_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (push_q) begin
      frames_q[push_idx_q] <= {push_prog_q, push_ret_pc_q, push_ret_addr_q, push_ret_oob_q,
                               push_ret_oob1_q, regs_i};
    end
  end

  assign {top_prog_o, top_ret_pc_o, top_ret_addr_o, top_ret_oob_o, top_ret_oob1_o,
          top_regs_o} = frames_q[top_idx];

  always_comb begin
    depth_d = depth_q;
    if (clear_i) begin
      depth_d = '0;
    end else if (push_i) begin
      depth_d = depth_q + Dw'(1);
    end else if (pop_i) begin
      depth_d = depth_q - Dw'(1);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      depth_q <= '0;
    end else begin
      depth_q <= depth_d;
    end
  end

  assign depth_o = depth_q;

`ifndef SYNTHESIS
  // The EX stage refuses a call at the last frame and an exit-pop at depth 0.
  always_ff @(posedge clk_i) begin
    if (push_i) begin
      assert (32'(depth_q) < Entries) else $error("%m: push beyond %0d frames", Frames);
    end
    if (pop_i) begin
      assert (depth_q != '0) else $error("%m: pop at depth 0");
      assert (!push_q) else $error("%m: pop before the frame was written");
    end
  end
`endif

endmodule
