/**
 * Helper unit
 *
 * Answers the core's helper calls: request = helper ID and r1-r5, response = r0 and done
 * (docs/helpers.md; the interpreter's helpers_impl.cpp is the reference). This version
 * implements the helpers that need no memory access:
 *   5   ktime_get_ns            the core's cycle counter times NsPerCycle (the clock period)
 *   7   get_prandom_u32         xorshift64 (13, 7, 17), state seeded by the host, advancing
 *                               across runs; returns the upper 32 bits
 *   8   get_smp_processor_id    0 (one core)
 *   23  redirect                records the target ifindex (flags must be 0)
 *   188 xdp_get_buff_len        data_end - data
 * and answers FAULT_UNKNOWN_HELPER for every other ID. A call with a bad ctx argument is
 * FAULT_HELPER_FAULT, as in the interpreter.
 *
 * Redirect state (Linux struct bpf_redirect_info): cleared when a run starts, read by the
 * host and the packet I/O block after the run.
 */
module ebpf_helper_unit
  import ebpf_pkg::*;
#(
  parameter int unsigned NsPerCycle = 10   // clock period in ns (10: 100 MHz)
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             start_i,        // a run starts (clears the redirect state)
  input  logic [63:0]      cycles_i,       // <- core cycle counter
  input  logic             has_ctx_i,      // XDP run: r1 may be the ctx pointer
  input  logic [31:0]      data_i,         // packet offsets of the run
  input  logic [31:0]      data_end_i,

  // get_prandom_u32 state: the host writes the seed between runs
  input  logic             seed_we_i,
  input  logic [63:0]      seed_i,
  output logic [63:0]      prandom_state_o,

  // Helper port <- / -> the core
  input  logic             req_i,          // held until done_o
  input  logic [63:0]      id_i,
  input  logic [4:0][63:0] args_i,         // r5..r1
  output logic             done_o,         // one-cycle pulse
  output logic             fault_o,
  output fault_e           fault_code_o,
  output logic [63:0]      r0_o,
  output logic             keep_r0_o,      // with done: r0 stays as it is
  output logic             tail_o,         // with done: tail call to tail_prog_o
  output logic [ProgW-1:0] tail_prog_o,
  output logic [7:0]       tail_calls_o,   // tail calls taken in this run

  // Redirect state
  output logic [31:0]      redir_tgt_o,    // ifindex, or the DEVMAP key after redirect_map
  output logic             redir_has_map_o,
  output logic [31:0]      redir_map_o,
  output logic [31:0]      redir_ifindex_o,
  output logic [63:0]      redir_flags_o
);

  localparam logic [63:0] PrandomZero   = 64'h9E37_79B9_7F4A_7C15;
  localparam logic [63:0] XdpAborted    = 64'd0;
  localparam logic [63:0] XdpRedirect   = 64'd4;

  logic [63:0] r1, r2;
  assign r1 = args_i[0];
  assign r2 = args_i[1];

  logic is_ctx;
  assign is_ctx = has_ctx_i && r1 == CtxBase;

  logic [63:0] prandom_q, prandom_d, xs1, xs2, xs3;
  assign xs1       = prandom_q ^ (prandom_q << 13);
  assign xs2       = xs1 ^ (xs1 >> 7);
  assign xs3       = xs2 ^ (xs2 << 17);

  logic        done_q, fault_q;
  fault_e      fault_code_q;
  logic [63:0] r0_q;
  logic [31:0] tgt_q, map_q, ifindex_q;
  logic        has_map_q;
  logic [63:0] flags_q;

  logic        call;
  assign call = req_i && !done_q;

  always_comb begin
    prandom_d = prandom_q;
    if (seed_we_i) begin
      prandom_d = (seed_i == 64'd0) ? PrandomZero : seed_i;
    end else if (call && id_i == HelperGetPrandomU32) begin
      prandom_d = xs3;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      done_q       <= 1'b0;
      fault_q      <= 1'b0;
      fault_code_q <= FAULT_NONE;
      r0_q         <= '0;
      prandom_q    <= PrandomZero;
      tgt_q        <= '0;
      has_map_q    <= 1'b0;
      map_q        <= '0;
      ifindex_q    <= '0;
      flags_q      <= '0;
    end else begin
      // A request is answered once: the core drops it in the cycle after done.
      done_q       <= call;
      fault_q      <= 1'b0;
      fault_code_q <= FAULT_NONE;
      r0_q         <= '0;
      prandom_q    <= prandom_d;
      if (start_i) begin
        tgt_q     <= '0;
        has_map_q <= 1'b0;
        map_q     <= '0;
        ifindex_q <= '0;
        flags_q   <= '0;
      end
      if (call) begin
        unique case (id_i)
          HelperKtimeGetNs:        r0_q <= cycles_i * 64'(NsPerCycle);
          HelperGetPrandomU32:     r0_q <= {32'd0, xs3[63:32]};
          HelperGetSmpProcessorId: r0_q <= '0;
          HelperRedirect: begin
            if (r2 != 64'd0) begin
              r0_q <= XdpAborted;
            end else begin
              r0_q      <= XdpRedirect;
              tgt_q     <= r1[31:0];
              has_map_q <= 1'b0;
            end
          end
          HelperXdpGetBuffLen: begin
            if (is_ctx) begin
              r0_q <= {32'd0, data_end_i - data_i};
            end else begin
              fault_q      <= 1'b1;
              fault_code_q <= FAULT_HELPER_FAULT;
            end
          end
          default: begin
            fault_q      <= 1'b1;
            fault_code_q <= FAULT_UNKNOWN_HELPER;
          end
        endcase
      end
    end
  end

  assign done_o          = done_q;
  assign fault_o         = fault_q;
  assign fault_code_o    = fault_code_q;
  assign r0_o            = r0_q;
  assign keep_r0_o       = 1'b0;
  assign tail_o          = 1'b0;
  assign tail_prog_o     = '0;
  assign tail_calls_o    = '0;
  assign prandom_state_o = prandom_q;
  assign redir_tgt_o     = tgt_q;
  assign redir_has_map_o = has_map_q;
  assign redir_map_o     = map_q;
  assign redir_ifindex_o = ifindex_q;
  assign redir_flags_o   = flags_q;

  logic unused_args;
  assign unused_args = ^{args_i[4:2], r1[63:32]};

endmodule
