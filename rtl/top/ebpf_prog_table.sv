/**
 * Program table: MaxPrograms entries of {first slot, length} (docs/xdp_datapath.md).
 *
 * Kept in LUT RAM with one asynchronous read port per reader, not in flip-flops behind
 * 16-way muxes: synthesis gives each read port its own copy of the array (TRELLIS_DPR16X4
 * on ECP5, 16 x 4 bits per cell), which is smaller and routes more locally than the
 * flip-flops and muxes it replaces. LUT RAM has no reset, so a flip-flop per entry and field
 * says whether it was written; an entry never written reads 0, as after reset before.
 *
 * Fields: the first slot as written (32 bits, read back by the host; the low ImemAw bits
 * address the memory), the length as written but clamped to ImemSlots, and the effective
 * length: the run never passes the memory's end (a first slot beyond it leaves an empty
 * program). The effective length is worked out once per write, from the written field and
 * the entry's other field, which the host port reads at the same index.
 */
module ebpf_prog_table #(
  parameter int unsigned MaxPrograms = 16,
  parameter int unsigned ImemSlots   = 4096,
  localparam int unsigned ProgW      = $clog2(MaxPrograms),
  localparam int unsigned ImemAw     = $clog2(ImemSlots),
  localparam int unsigned LenW       = ImemAw + 1   // lengths are at most ImemSlots
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // Host port: writes one field of entry host_idx_i; reads the entry at the same index.
  input  logic              we_i,
  input  logic              we_len_i,      // 1: the length field, 0: the first slot
  input  logic [31:0]       wdata_i,
  input  logic [ProgW-1:0]  host_idx_i,
  output logic [31:0]       host_first_o,
  output logic [LenW-1:0]   host_len_o,    // as written, clamped to ImemSlots

  // Readers of the first slot and the effective length.
  input  logic [ProgW-1:0]  entry_idx_i,   // the program a run starts with
  output logic [ImemAw-1:0] entry_first_o,
  output logic [LenW-1:0]   entry_len_o,
  input  logic [ProgW-1:0]  cur_idx_i,     // the program running
  output logic [LenW-1:0]   cur_len_o,
  input  logic [ProgW-1:0]  tail_idx_i,    // a tail call's target
  output logic [ImemAw-1:0] tail_first_o,
  output logic [LenW-1:0]   tail_len_o,
  input  logic [ProgW-1:0]  check_idx_i,   // a program index a helper checks
  output logic [LenW-1:0]   check_len_o
);

  localparam int unsigned HiW = 32 - ImemAw;

  // One array per field and width, so that each copy holds only what its reader needs.
  logic [ImemAw-1:0] first_lo_mem [MaxPrograms];
  logic [HiW-1:0]    first_hi_mem [MaxPrograms];
  logic [LenW-1:0]   len_mem      [MaxPrograms];
  logic [LenW-1:0]   eff_mem      [MaxPrograms];
  logic [MaxPrograms-1:0] first_ok_q, len_ok_q;   // written since reset

  // Host read port (also the write path's read of the other field).
  assign host_first_o = first_ok_q[host_idx_i] ?
                        {first_hi_mem[host_idx_i], first_lo_mem[host_idx_i]} : 32'd0;
  assign host_len_o   = len_ok_q[host_idx_i] ? len_mem[host_idx_i] : '0;

  logic [31:0] len_clamped, new_first, new_len;
  logic [LenW-1:0] new_eff;
  assign len_clamped = (wdata_i > ImemSlots) ? 32'(ImemSlots) : wdata_i;
  assign new_first   = we_len_i ? host_first_o : wdata_i;
  assign new_len     = we_len_i ? len_clamped : 32'(host_len_o);

  always_comb begin
    if (new_first >= ImemSlots) begin
      new_eff = '0;
    end else if (new_len > ImemSlots - new_first) begin
      new_eff = LenW'(ImemSlots - new_first);
    end else begin
      new_eff = LenW'(new_len);
    end
  end

  always_ff @(posedge clk_i) begin
    if (we_i) begin
      eff_mem[host_idx_i] <= new_eff;
      if (we_len_i) begin
        len_mem[host_idx_i] <= LenW'(len_clamped);
      end else begin
        first_lo_mem[host_idx_i] <= wdata_i[ImemAw-1:0];
        first_hi_mem[host_idx_i] <= wdata_i[31:ImemAw];
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      first_ok_q <= '0;
      len_ok_q   <= '0;
    end else if (we_i) begin
      if (we_len_i) begin
        len_ok_q[host_idx_i] <= 1'b1;
      end else begin
        first_ok_q[host_idx_i] <= 1'b1;
      end
    end
  end

  // Every write sets the effective length, so it is valid once either field was written.
  logic [MaxPrograms-1:0] eff_ok;
  assign eff_ok = first_ok_q | len_ok_q;

  assign entry_first_o = first_ok_q[entry_idx_i] ? first_lo_mem[entry_idx_i] : '0;
  assign entry_len_o   = eff_ok[entry_idx_i] ? eff_mem[entry_idx_i] : '0;
  assign cur_len_o     = eff_ok[cur_idx_i] ? eff_mem[cur_idx_i] : '0;
  assign tail_first_o  = first_ok_q[tail_idx_i] ? first_lo_mem[tail_idx_i] : '0;
  assign tail_len_o    = eff_ok[tail_idx_i] ? eff_mem[tail_idx_i] : '0;
  assign check_len_o   = eff_ok[check_idx_i] ? eff_mem[check_idx_i] : '0;

endmodule
