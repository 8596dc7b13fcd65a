/**
 * Place-and-route harness of ebpf_core (out of context): the core with a real word-pair
 * instruction memory and data memory (so the memory-output -> decode paths are measured as
 * on a board), every other input from 32 interleaved shift registers fed by 32 pins (short
 * chains: Yosys' recursive topological sort overflows the WebAssembly stack on a chain of
 * 3,000 flip-flops), every output
 * registered and then XOR-folded into one pin. Only register-to-register paths inside the
 * core (and to/from the memories) set the Fmax. Used by scripts/pnr/pnr_ecp5.sh --top
 * pnr_core (docs/synthesis.md, "Core Fmax").
 */
module pnr_core #(
  parameter int unsigned ImemAw   = 13,
  parameter int unsigned DmemAw   = 11,
  parameter int unsigned MapSlots = 32
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic [31:0] din_i,
  output logic dout_o
);
  import ebpf_pkg::*;

  localparam int unsigned FaultW = $bits(fault_e);
  localparam int unsigned InBits = 1 + (2 + 32 + ProgW) + ProgW + 64 + (1 + 4 + 64) +
                                (1 + 4 * 32) + MapSlots * 66 +
                                (1 + 1 + FaultW + 64 + 1 + 1 + ProgW) + (1 + 128 + 16);
  localparam int unsigned InW = (InBits + 31) / 32 * 32;
  logic [InW-1:0] in_q;
  always_ff @(posedge clk_i) in_q <= {in_q[InW-33:0], din_i};

  // Input fields, in order from bit 0.
  localparam int unsigned PStart  = 0;
  localparam int unsigned PProg   = PStart + 1;
  localparam int unsigned PEntry  = PProg + 2 + 32 + ProgW;
  localparam int unsigned PBudget = PEntry + ProgW;
  localparam int unsigned PHost   = PBudget + 64;
  localparam int unsigned PCtx    = PHost + 1 + 4 + 64;
  localparam int unsigned PMap    = PCtx + 1 + 4 * 32;
  localparam int unsigned PHelper = PMap + MapSlots * 66;
  localparam int unsigned PImemW  = PHelper + 1 + 1 + FaultW + 64 + 1 + 1 + ProgW;

  logic [MapSlots-1:0]          map_valid, map_ro;
  logic [MapSlots-1:0][31:0]    map_base, map_limit;
  logic [((MapSlots > 1) ? $clog2(MapSlots) : 1)-1:0] map_idx;
  always_comb begin
    for (int unsigned i = 0; i < MapSlots; i++) begin
      map_valid[i] = in_q[PMap + 66 * i];
      map_ro[i]    = in_q[PMap + 66 * i + 1];
      map_base[i]  = in_q[PMap + 66 * i + 2 +: 32];
      map_limit[i] = in_q[PMap + 66 * i + 34 +: 32];
    end
  end

  logic               active, busy, done, imem_req, dmem_req, dmem_we, helper_req;
  logic [ProgW-1:0]   prog;
  fault_e             fault_code;
  logic [31:0]        fault_pc, stack_limit;
  logic [63:0]        cycles, instret, st_lu, st_br, st_mu, st_he, host_rdata, helper_id, r0;
  logic [ImemAw-1:0]  imem_addr;
  logic [127:0]       imem_rdata, dmem_wdata, dmem_rdata;
  dmem_sel_e          dmem_sel;
  logic [DmemAw-1:0]  dmem_addr;
  logic [15:0]        dmem_wmask;
  logic [4:0][63:0]   helper_args;

  // The program table as in ebpf_top (LUT RAM read ports), written from the inputs.
  localparam int unsigned LenW = ImemAw + 1;
  logic [ImemAw-1:0] pt_entry_first, pt_tail_first;
  logic [LenW-1:0]   pt_entry_len, pt_cur_len, pt_tail_len, pt_check_len, pt_host_len;
  logic [31:0]       pt_host_first;
  ebpf_prog_table #(
    .MaxPrograms (MaxPrograms),
    .ImemSlots   (2 ** ImemAw)
  ) u_prog_table (
    .clk_i, .rst_ni,
    .we_i          (in_q[PProg]),
    .we_len_i      (in_q[PProg + 1]),
    .wdata_i       (in_q[PProg + 2 +: 32]),
    .host_idx_i    (in_q[PProg + 34 +: ProgW]),
    .host_first_o  (pt_host_first),
    .host_len_o    (pt_host_len),
    .entry_idx_i   (in_q[PEntry +: ProgW]),
    .entry_first_o (pt_entry_first),
    .entry_len_o   (pt_entry_len),
    .cur_idx_i     (prog),
    .cur_len_o     (pt_cur_len),
    .tail_idx_i    (in_q[PHelper + 68 + FaultW +: ProgW]),
    .tail_first_o  (pt_tail_first),
    .tail_len_o    (pt_tail_len),
    .check_idx_i   ('0),
    .check_len_o   (pt_check_len)
  );

  ebpf_core #(
    .ImemAw   (ImemAw),
    .DmemAw   (DmemAw),
    .MapSlots (MapSlots)
  ) u_core (
    .clk_i, .rst_ni,
    .start_i             (in_q[PStart]),
    .entry_i             (in_q[PEntry +: ProgW]),
    .entry_first_i       (pt_entry_first),
    .entry_len_i         (32'(pt_entry_len)),
    .cur_len_i           (32'(pt_cur_len)),
    .tail_first_i        (pt_tail_first),
    .tail_len_i          (32'(pt_tail_len)),
    .prog_o              (prog),
    .budget_i            (in_q[PBudget +: 64]),
    .active_o            (active),
    .busy_o              (busy),
    .done_o              (done),
    .fault_code_o        (fault_code),
    .fault_pc_o          (fault_pc),
    .cycles_o            (cycles),
    .instret_o           (instret),
    .stall_load_use_o    (st_lu),
    .stall_branch_o      (st_br),
    .stall_multi_o       (st_mu),
    .stall_helper_o      (st_he),
    .host_reg_we_i       (in_q[PHost]),
    .host_reg_addr_i     (in_q[PHost + 1 +: 4]),
    .host_reg_wdata_i    (in_q[PHost + 5 +: 64]),
    .host_reg_rdata_o    (host_rdata),
    .r0_o                (r0),
    .has_ctx_i           (in_q[PCtx]),
    .pkt_data_meta_i     (in_q[PCtx + 1 +: 32]),
    .pkt_data_i          (in_q[PCtx + 33 +: 32]),
    .pkt_data_end_i      (in_q[PCtx + 65 +: 32]),
    .ifindex_i           (in_q[PCtx + 97 +: 32]),
    .rx_queue_i          (32'd0),
    .map_valid_i         (map_valid),
    .map_idx_o           (map_idx),
    .map_base_i          (map_base[map_idx]),    // the map unit's read port, here a mux
    .map_limit_i         (map_limit[map_idx]),
    .map_ro_i            (map_ro),
    .stack_limit_o       (stack_limit),
    .imem_req_o          (imem_req),
    .imem_addr_o         (imem_addr),
    .imem_rdata_i        (imem_rdata),
    .dmem_req_o          (dmem_req),
    .dmem_sel_o          (dmem_sel),
    .dmem_we_o           (dmem_we),
    .dmem_addr_o         (dmem_addr),
    .dmem_wdata_o        (dmem_wdata),
    .dmem_wmask_o        (dmem_wmask),
    .dmem_rdata_i        (dmem_rdata),
    .helper_req_o        (helper_req),
    .helper_id_o         (helper_id),
    .helper_args_o       (helper_args),
    .helper_done_i       (in_q[PHelper]),
    .helper_fault_i      (in_q[PHelper + 1]),
    .helper_fault_code_i (fault_e'(in_q[PHelper + 2 +: FaultW])),
    .helper_r0_i         (in_q[PHelper + 2 + FaultW +: 64]),
    .helper_keep_r0_i    (in_q[PHelper + 66 + FaultW]),
    .helper_tail_i       (in_q[PHelper + 67 + FaultW]),
    .helper_tail_prog_i  (in_q[PHelper + 68 + FaultW +: ProgW])
  );

  // Instruction memory as in ebpf_top: the core reads while active, the host writes between runs.
  ebpf_prim_ram_pair #(
    .Width (64),
    .Words (2 ** ImemAw)
  ) u_imem (
    .clk_i   (clk_i),
    .req_i   (active ? imem_req : in_q[PImemW]),
    .we_i    (!active),
    .addr_i  (active ? imem_addr : in_q[PImemW + 1 +: ImemAw]),
    .wdata_i (in_q[PImemW + 1 +: 128]),
    .wmask_i (in_q[PImemW + 129 +: 16]),
    .rdata_o (imem_rdata)
  );

  ebpf_prim_ram_pair #(
    .Width (64),
    .Words (2 ** DmemAw)
  ) u_dmem (
    .clk_i   (clk_i),
    .req_i   (dmem_req),
    .we_i    (dmem_we),
    .addr_i  (dmem_addr),
    .wdata_i (dmem_wdata),
    .wmask_i (dmem_wmask),
    .rdata_o (dmem_rdata)
  );

  // Outputs: registered, then folded.
  localparam int unsigned OutW = 3 + ProgW + FaultW + 32 + 32 + 6 * 64 + 1 + 64 + 5 * 64 +
                                 1 + ImemAw + 1 + $bits(dmem_sel_e) + 1 + DmemAw + 128 + 16 + 64 +
                                 32 + 2 * LenW + 64;
  logic [OutW-1:0] out_q;
  logic            dout_q;
  always_ff @(posedge clk_i) begin
    out_q  <= {active, busy, done, prog, fault_code, fault_pc, stack_limit, cycles, instret,
               st_lu, st_br, st_mu, st_he, helper_req, helper_id, helper_args, imem_req,
               imem_addr, dmem_req, dmem_sel, dmem_we, dmem_addr, dmem_wdata, dmem_wmask,
               host_rdata, pt_host_first, pt_host_len, pt_check_len, r0};
    dout_q <= ^out_q;
  end
  assign dout_o = dout_q;
endmodule
