/**
 * Instruction fetch stage
 *
 * Owns the program counter. Each cycle it presents one slot address to the word-pair
 * instruction memory, which returns that slot and the next one a cycle later (so lddw needs
 * one fetch). A pre-decoder on the memory output picks the next address without a bubble:
 * ja / ja32 go straight to their target, lddw skips its second slot, everything else falls
 * through (the jump target comes from the decoder, which computes it for EX anyway). Taken
 * conditional branches, calls and returns are resolved in EX and redirect the fetch (one
 * bubble). The ID stage sees {slot pc+1, slot pc} with its pc.
 *
 * The memory address is kept beside the pc as a register of its own (the absolute slot,
 * pc + the running program's first slot, ImemAw bits): the fall-through and ja paths only add
 * 1, 2 or the jump offset to it. A redirect brings its absolute slot with it (EX selects it
 * among targets prepared earlier: branch and call targets from here, return slots from the
 * call stack, a tail call's first slot), so no adder and no program-table lookup follows
 * EX's branch decision. The decoder's bounds checks of the pc (pc and pc + 1 against the
 * program length) are registered here; for a redirect they come with it too. A halt only
 * clears the valid bit: the next address never waits for EX's fault checks, and the memory
 * reads while a run is in progress (a read after the halt is harmless).
 */
module ebpf_core_if_stage
  import ebpf_pkg::*;
#(
  parameter int unsigned ImemAw = 12   // instruction memory address width (slots)
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // <- from the controller
  input  logic              start_i,        // fetch slot 0 of the entry program
  input  logic [ImemAw-1:0] start_base_i,   // its first slot
  input  logic [31:0]       start_len_i,    // its length
  input  logic [31:0]       len_i,          // length of the running program
  input  logic              halt_i,         // the run ends: stop fetching

  // <- from EX: the redirect target as pc, absolute slot and bounds flags
  input  logic              redirect_i,
  input  logic [31:0]       redirect_pc_i,
  input  logic [ImemAw-1:0] redirect_addr_i,
  input  logic              redirect_oob_i,   // redirect_pc_i >= its program's length
  input  logic              redirect_oob1_i,  // redirect_pc_i + 1 >= its program's length

  // <- from ID: hold the current instruction; target of the jump in ID
  input  logic              stall_i,
  input  logic [31:0]       jump_target_i,

  // Instruction memory
  output logic              imem_req_o,
  output logic [ImemAw-1:0] imem_addr_o,
  input  logic [127:0]      imem_rdata_i,   // {slot addr+1, slot addr}, a cycle later

  // -> to ID
  output logic              id_valid_o,
  output logic [31:0]       id_pc_o,
  output logic              id_pc_oob_o,    // id_pc_o >= its program's length
  output logic              id_pc1_oob_o,   // id_pc_o + 1 >= its program's length
  output logic [127:0]      id_insn_o,
  output logic [ImemAw-1:0] id_addr1_o,     // absolute slot of id_pc_o + 1
  output logic [ImemAw-1:0] id_target_addr_o // absolute slot of the jump / call target
);

  logic              valid_q, valid_d;
  logic [31:0]       pc_q, pc_d;
  logic [ImemAw-1:0] addr_q, addr_d, addr1_q;   // absolute slot of pc_q, and that + 1
  logic              pc_oob_q, pc1_oob_q;        // registered bounds checks of pc_q
  logic              pc_oob_d, pc1_oob_d;

  // Pre-decode of the slot in ID: where the next fetch goes when nothing else intervenes.
  logic [7:0]        opcode;
  logic [31:0]       pc_seq;
  logic [ImemAw-1:0] addr_seq, target_delta, target_addr;
  logic              is_jump, is_lddw;

  assign opcode  = imem_rdata_i[7:0];
  assign is_jump = opcode == OpcJa || opcode == OpcJa32;
  assign is_lddw = opcode == OpcLddw;
  assign pc_seq  = is_jump ? jump_target_i : pc_q + {30'd0, is_lddw, !is_lddw};
  // The decoder's target (pc + 1 + imm for ja32 and local calls, pc + 1 + off otherwise) as
  // an absolute slot: where a ja / ja32 goes next, and EX's redirect of a taken branch or a
  // call. Only the low ImemAw bits reach the address; the 16-bit offset is sign-extended
  // first, for instruction memories above 64 Ki slots.
  assign target_delta = (opcode == OpcJa32 || opcode == OpcCallLocal)
                        ? imem_rdata_i[32 +: ImemAw] : ImemAw'($signed(imem_rdata_i[31:16]));
  assign target_addr  = addr1_q + target_delta;
  assign addr_seq     = is_jump ? target_addr : addr1_q + ImemAw'(is_lddw);
  assign id_target_addr_o = target_addr;
  assign id_addr1_o       = addr1_q;

  always_comb begin
    valid_d   = valid_q;
    pc_d      = pc_q;
    addr_d    = addr_q;
    pc_oob_d  = pc_oob_q;
    pc1_oob_d = pc1_oob_q;
    if (halt_i) begin
      valid_d = 1'b0;
    end else if (redirect_i) begin
      valid_d = 1'b1;
    end
    if (start_i) begin
      valid_d   = 1'b1;
      pc_d      = 32'd0;
      addr_d    = start_base_i;
      pc_oob_d  = start_len_i == 32'd0;
      pc1_oob_d = start_len_i <= 32'd1;
    end else if (redirect_i) begin
      pc_d      = redirect_pc_i;
      addr_d    = redirect_addr_i;
      pc_oob_d  = redirect_oob_i;
      pc1_oob_d = redirect_oob1_i;
    end else if (stall_i) begin
      // Re-read the same slot so the memory output stays the instruction in ID.
    end else if (valid_q) begin
      pc_d      = pc_seq;
      addr_d    = addr_seq;
      pc_oob_d  = pc_seq >= len_i;
      pc1_oob_d = pc_seq + 32'd1 >= len_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      pc_q    <= '0;
      addr_q    <= '0;
      addr1_q   <= ImemAw'(1);
      pc_oob_q  <= 1'b0;
      pc1_oob_q <= 1'b0;
    end else begin
      valid_q <= valid_d;
      pc_q    <= pc_d;
      addr_q  <= addr_d;
      addr1_q <= addr_d + ImemAw'(1);
      pc_oob_q  <= pc_oob_d;
      pc1_oob_q <= pc1_oob_d;
    end
  end

  // A redirect comes from an instruction in EX, so only while valid_q (asserted below).
  assign imem_req_o  = start_i || valid_q;
  assign imem_addr_o = addr_d;

  assign id_valid_o = valid_q;
  assign id_pc_o    = pc_q;
  assign id_pc_oob_o  = pc_oob_q;
  assign id_pc1_oob_o = pc1_oob_q;
  assign id_insn_o  = imem_rdata_i;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (redirect_i) begin
      assert (valid_q) else $error("%m: redirect while no run is fetching");
    end
  end
`endif

endmodule
