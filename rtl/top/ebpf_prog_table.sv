/**
 * Program table: MaxPrograms entries of {first slot, length} (docs/xdp_datapath.md).
 *
 * Kept in LUT RAM with one asynchronous read port per reader, not in flip-flops behind
 * 16-way muxes (ebpf_prim_lutram_flagged: each read port gets its own copy of the array, and
 * an entry never written reads 0, as after reset).
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

  logic we_first, we_len;
  assign we_first = we_i && !we_len_i;
  assign we_len   = we_i && we_len_i;

  // One table per field and width, so that each read-port copy holds only what its reader
  // needs: the first slot's memory address bits (host, entry, tail call), its upper bits
  // (host only), the length as written (host only) and the effective length (everyone else).
  logic [2:0][ImemAw-1:0] first_lo_rd;
  logic [HiW-1:0]         first_hi_rd;

  ebpf_prim_lutram_flagged #(.Width(ImemAw), .Depth(MaxPrograms), .NumRead(3)) u_first_lo (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i   (we_first),
    .waddr_i(host_idx_i),
    .wdata_i(wdata_i[ImemAw-1:0]),
    .raddr_i({tail_idx_i, entry_idx_i, host_idx_i}),
    .rdata_o(first_lo_rd)
  );

  ebpf_prim_lutram_flagged #(.Width(HiW), .Depth(MaxPrograms), .NumRead(1)) u_first_hi (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i   (we_first),
    .waddr_i(host_idx_i),
    .wdata_i(wdata_i[31:ImemAw]),
    .raddr_i(host_idx_i),
    .rdata_o(first_hi_rd)
  );

  assign host_first_o  = {first_hi_rd, first_lo_rd[0]};
  assign entry_first_o = first_lo_rd[1];
  assign tail_first_o  = first_lo_rd[2];

  // Write path: the new entry is the written field beside the other field as stored.
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

  ebpf_prim_lutram_flagged #(.Width(LenW), .Depth(MaxPrograms), .NumRead(1)) u_len (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i   (we_len),
    .waddr_i(host_idx_i),
    .wdata_i(LenW'(len_clamped)),
    .raddr_i(host_idx_i),
    .rdata_o(host_len_o)
  );

  // Every write updates the effective length, so it reads 0 only while neither field was
  // written.
  logic [3:0][LenW-1:0] eff_rd;

  ebpf_prim_lutram_flagged #(.Width(LenW), .Depth(MaxPrograms), .NumRead(4)) u_eff_len (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i   (we_i),
    .waddr_i(host_idx_i),
    .wdata_i(new_eff),
    .raddr_i({check_idx_i, tail_idx_i, cur_idx_i, entry_idx_i}),
    .rdata_o(eff_rd)
  );

  assign entry_len_o = eff_rd[0];
  assign cur_len_o   = eff_rd[1];
  assign tail_len_o  = eff_rd[2];
  assign check_len_o = eff_rd[3];

endmodule
