/**
 * Small RAM with one write port and NumRead asynchronous read ports, reading 0 until written
 *
 * For tables that several units read at once (program table, map table, map value bounds):
 * synthesis gives every read port its own copy of the array in LUT RAM (TRELLIS_DPR16X4 on
 * ECP5, 16 x 4 bits per cell), which is smaller and routes more locally than flip-flops
 * behind a Depth-way mux per reader. LUT RAM has no reset, so a flip-flop per entry records
 * whether the entry was written since reset; an entry never written reads 0, exactly as a
 * reset flip-flop array would. A read of the entry being written returns the old contents.
 * An address at or beyond Depth (when Depth is not a power of two) is not written and reads 0.
 * clear_i empties every entry in one cycle, as a synchronous clear of the flip-flops would (a
 * write in the same cycle still lands).
 */
module ebpf_prim_lutram_flagged #(
  parameter int unsigned Width   = 32,
  parameter int unsigned Depth   = 16,
  parameter int unsigned NumRead = 1,
  localparam int unsigned Aw     = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  input  logic                            clear_i,   // every entry reads 0 from the next cycle

  input  logic                            we_i,
  input  logic [Aw-1:0]                   waddr_i,
  input  logic [Width-1:0]                wdata_i,

  input  logic [NumRead-1:0][Aw-1:0]      raddr_i,
  output logic [NumRead-1:0][Width-1:0]   rdata_o
);

  logic [Width-1:0] mem [Depth];
  logic [Depth-1:0] written_q;
  logic             wen;

  assign wen = we_i && (32'(waddr_i) < Depth);

  always_ff @(posedge clk_i) begin
    if (wen) begin
      mem[waddr_i] <= wdata_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      written_q <= '0;
    end else begin
      if (clear_i) begin
        written_q <= '0;
      end
      if (wen) begin
        written_q[waddr_i] <= 1'b1;
      end
    end
  end

  for (genvar r = 0; r < int'(NumRead); r++) begin : g_read
    assign rdata_o[r] = (32'(raddr_i[r]) < Depth && written_q[raddr_i[r]]) ? mem[raddr_i[r]] : '0;
  end

endmodule
