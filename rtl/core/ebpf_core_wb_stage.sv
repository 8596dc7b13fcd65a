/**
 * Writeback stage
 *
 * Holds the instruction that completed in EX last cycle and writes its result to the
 * register file: the EX result, or for loads the bytes the LSU formats from the memory
 * read issued last cycle. The same value is forwarded to ID and to EX's implicit operands.
 */
module ebpf_core_wb_stage (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic        flush_i,        // start of a run

  // <- from EX
  input  logic        ex_fire_i,
  input  logic        ex_wr_i,
  input  logic [3:0]  ex_rd_i,
  input  logic [63:0] ex_result_i,
  input  logic        ex_result_mem_i,

  // <- from the LSU
  input  logic [63:0] load_data_i,

  // -> to the register file and forwarding
  output logic        we_o,
  output logic [3:0]  rd_o,
  output logic [63:0] data_o
);

  logic        we_q;
  logic [3:0]  rd_q;
  logic [63:0] result_q;
  logic        mem_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      we_q <= 1'b0;
    end else begin
      we_q <= !flush_i && ex_fire_i && ex_wr_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (ex_fire_i) begin
      rd_q     <= ex_rd_i;
      result_q <= ex_result_i;
      mem_q    <= ex_result_mem_i;
    end
  end

  assign we_o   = we_q;
  assign rd_o   = rd_q;
  assign data_o = mem_q ? load_data_i : result_q;

endmodule
