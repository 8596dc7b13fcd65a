/**
 * Instruction fetch stage
 *
 * Owns the program counter. Each cycle it presents one slot address to the word-pair
 * instruction memory, which returns that slot and the next one a cycle later (so lddw needs
 * one fetch). A pre-decoder on the memory output picks the next address without a bubble:
 * ja / ja32 go straight to their target, lddw skips its second slot, everything else falls
 * through. Taken conditional branches, calls and returns are resolved in EX and redirect
 * the fetch (one bubble). The ID stage sees {slot pc+1, slot pc} with its pc.
 */
module ebpf_core_if_stage
  import ebpf_pkg::*;
#(
  parameter int unsigned ImemAw = 12   // instruction memory address width (slots)
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // <- from the controller
  input  logic              start_i,        // fetch slot 0
  input  logic              halt_i,         // the run ends: stop fetching

  // <- from EX
  input  logic              redirect_i,
  input  logic [31:0]       redirect_pc_i,

  // <- from ID: hold the current instruction
  input  logic              stall_i,

  // Instruction memory
  output logic              imem_req_o,
  output logic [ImemAw-1:0] imem_addr_o,
  input  logic [127:0]      imem_rdata_i,   // {slot addr+1, slot addr}, a cycle later

  // -> to ID
  output logic              id_valid_o,
  output logic [31:0]       id_pc_o,
  output logic [127:0]      id_insn_o
);

  logic        valid_q, valid_d;
  logic [31:0] pc_q, pc_d;

  // Pre-decode of the slot in ID: where the next fetch goes when nothing else intervenes.
  logic [7:0]  opcode;
  logic [15:0] off;
  logic [31:0] imm;
  logic [31:0] pc_seq;

  assign opcode = imem_rdata_i[7:0];
  assign off    = imem_rdata_i[31:16];
  assign imm    = imem_rdata_i[63:32];

  always_comb begin
    unique case (opcode)
      OpcJa:   pc_seq = pc_q + 32'd1 + {{16{off[15]}}, off};
      OpcJa32: pc_seq = pc_q + 32'd1 + imm;
      OpcLddw: pc_seq = pc_q + 32'd2;
      default: pc_seq = pc_q + 32'd1;
    endcase
  end

  always_comb begin
    valid_d = valid_q;
    pc_d    = pc_q;
    if (start_i) begin
      valid_d = 1'b1;
      pc_d    = 32'd0;
    end else if (halt_i) begin
      valid_d = 1'b0;
    end else if (redirect_i) begin
      valid_d = 1'b1;
      pc_d    = redirect_pc_i;
    end else if (stall_i) begin
      // Re-read the same slot so the memory output stays the instruction in ID.
      pc_d    = pc_q;
    end else if (valid_q) begin
      pc_d    = pc_seq;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      pc_q    <= '0;
    end else begin
      valid_q <= valid_d;
      pc_q    <= pc_d;
    end
  end

  assign imem_req_o  = valid_d;
  assign imem_addr_o = pc_d[ImemAw-1:0];

  assign id_valid_o = valid_q;
  assign id_pc_o    = pc_q;
  assign id_insn_o  = imem_rdata_i;

endmodule
