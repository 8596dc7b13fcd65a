/**
 * Helper byte-copy engine
 *
 * Moves len bytes from a data memory (stack, packet or map values, selected like the LSU)
 * or from zeros, one byte every two cycles (a read cycle, then a write cycle on the same
 * single port), into a data memory and/or out as a byte stream (the event FIFO, the map
 * unit's key and value buffers, the checksum). Overlapping copies are memmove: backward_i
 * walks from the last byte down. With stop_nul_i the copy ends after the first zero byte
 * (trace_printk's format), and nul_o says whether one was seen.
 *
 * Offsets are memory byte offsets (map values: base + offset); the caller has checked them.
 */
module ebpf_helper_copy
  import ebpf_pkg::*;
#(
  parameter int unsigned DmemAw = 14    // data memory word-address width
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  input  logic              start_i,
  input  logic              src_zero_i,   // copy zeros (no reads)
  input  dmem_sel_e         src_sel_i,
  input  logic [31:0]       src_off_i,
  input  logic              dst_mem_i,    // write the bytes to memory
  input  dmem_sel_e         dst_sel_i,
  input  logic [31:0]       dst_off_i,
  input  logic [31:0]       len_i,        // 0: done at once
  input  logic              backward_i,
  input  logic              stop_nul_i,
  output logic              busy_o,
  output logic              done_o,       // one-cycle pulse
  output logic              nul_o,        // a zero byte ended the copy
  output logic [31:0]       count_o,      // bytes streamed (with the zero byte)

  // Byte stream, one per write cycle
  output logic              out_valid_o,
  output logic [7:0]        out_byte_o,
  output logic [31:0]       out_idx_o,    // position in the source, 0 = first byte

  // Data memory master (one 64-bit word of the pair; read data the next cycle)
  output logic              mem_req_o,
  output logic              mem_we_o,
  output dmem_sel_e         mem_sel_o,
  output logic [DmemAw-1:0] mem_addr_o,
  output logic [63:0]       mem_wdata_o,
  output logic [7:0]        mem_wmask_o,
  input  logic [63:0]       mem_rdata_i
);

  typedef enum logic [1:0] {
    C_IDLE,
    C_RD,
    C_WR,
    C_DONE
  } cstate_e;

  cstate_e     state_q, state_d;
  logic        zero_q, dst_mem_q, back_q, stop_q, nul_q, nul_d;
  dmem_sel_e   src_sel_q, dst_sel_q;
  logic [31:0] src_q, dst_q, len_q, i_q, i_d;

  // Position of the current byte.
  logic [31:0] pos, src_b, dst_b;
  assign pos   = back_q ? (len_q - 32'd1 - i_q) : i_q;
  assign src_b = src_q + pos;
  assign dst_b = dst_q + pos;

  logic [7:0] byte_v;
  logic [2:0] lane_q;
  assign byte_v = zero_q ? 8'd0 : mem_rdata_i[8*lane_q +: 8];

  always_comb begin
    state_d     = state_q;
    i_d         = i_q;
    nul_d       = nul_q;
    mem_req_o   = 1'b0;
    mem_we_o    = 1'b0;
    mem_sel_o   = src_sel_q;
    mem_addr_o  = src_b[DmemAw+2:3];
    mem_wdata_o = {8{byte_v}};
    mem_wmask_o = 8'd0;
    out_valid_o = 1'b0;
    done_o      = 1'b0;
    unique case (state_q)
      C_IDLE: ;
      C_RD: begin
        mem_req_o = !zero_q;
        state_d   = C_WR;
      end
      C_WR: begin
        out_valid_o = 1'b1;
        if (dst_mem_q) begin
          mem_req_o   = 1'b1;
          mem_we_o    = 1'b1;
          mem_sel_o   = dst_sel_q;
          mem_addr_o  = dst_b[DmemAw+2:3];
          mem_wmask_o = 8'(1) << dst_b[2:0];
        end
        i_d = i_q + 32'd1;
        if (stop_q && byte_v == 8'd0) begin
          nul_d   = 1'b1;
          state_d = C_DONE;
        end else if (i_q + 32'd1 == len_q) begin
          state_d = C_DONE;
        end else begin
          state_d = C_RD;
        end
      end
      C_DONE: begin
        done_o  = 1'b1;
        state_d = C_IDLE;
      end
      default: state_d = C_IDLE;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= C_IDLE;
      i_q       <= '0;
      nul_q     <= 1'b0;
      zero_q    <= 1'b0;
      dst_mem_q <= 1'b0;
      back_q    <= 1'b0;
      stop_q    <= 1'b0;
      src_sel_q <= DMEM_STACK;
      dst_sel_q <= DMEM_STACK;
      src_q     <= '0;
      dst_q     <= '0;
      len_q     <= '0;
      lane_q    <= '0;
    end else begin
      state_q <= state_d;
      i_q     <= i_d;
      nul_q   <= nul_d;
      if (state_q == C_RD) begin
        lane_q <= src_b[2:0];
      end
      if (start_i && (state_q == C_IDLE || state_q == C_DONE)) begin
        state_q   <= (len_i == 32'd0) ? C_DONE : C_RD;
        i_q       <= '0;
        nul_q     <= 1'b0;
        zero_q    <= src_zero_i;
        dst_mem_q <= dst_mem_i;
        back_q    <= backward_i;
        stop_q    <= stop_nul_i;
        src_sel_q <= src_sel_i;
        dst_sel_q <= dst_sel_i;
        src_q     <= src_off_i;
        dst_q     <= dst_off_i;
        len_q     <= len_i;
      end
    end
  end

  assign busy_o     = state_q != C_IDLE;
  assign nul_o      = nul_q;
  assign count_o    = i_q;
  assign out_byte_o = byte_v;
  assign out_idx_o  = pos;

  logic unused_copy;
  assign unused_copy = ^{src_b[31:DmemAw+3], dst_b[31:DmemAw+3]};

endmodule
