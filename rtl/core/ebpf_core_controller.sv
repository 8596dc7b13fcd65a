/**
 * Core controller
 *
 * Owns the run state (idle / busy / done), the fault code and pc of the run, the
 * instruction budget and the performance counters. It turns the EX outcome into the
 * pipeline's stall and halt signals: a fault or an exit at depth 0 halts the run at once
 * (the instruction in WB, which is older, still writes back in that cycle), a multi-cycle
 * EX instruction or a load-use hazard stalls the stages behind it.
 *
 * Counters (CounterW bits, zero-extended to 64; reset by start, counting busy cycles only):
 *   cycles, instret (retired instructions: lddw once, the final exit included),
 *   stall_load_use (ID held for a load or atomic result), stall_branch (bubbles after taken
 *   branches, calls and returns), stall_multi (EX held by mul/div or an atomic),
 *   stall_helper (EX waiting for the helper unit).
 */
module ebpf_core_controller
  import ebpf_pkg::*;
#(
  // Counter width: 48 bits last 32 days at 100 MHz. A budget of 2^CounterW or more is never
  // reached, exactly as a larger counter would not reach it within a feasible run.
  parameter int unsigned CounterW = 48
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // <- from the host (CSR)
  input  logic        start_i,
  input  logic [63:0] budget_i,

  // <- EX outcome
  input  logic        ex_fire_i,
  input  logic        ex_stall_i,
  input  logic        ex_stall_helper_i,
  input  logic        ex_fault_i,
  input  fault_e      ex_fault_code_i,
  input  logic [31:0] ex_pc_i,
  input  logic        ex_redirect_i,
  input  logic        ex_finish_i,

  // <- from ID
  input  logic        load_use_i,

  // Pipeline control
  output logic        start_o,        // a run starts: clear the pipeline
  output logic        halt_o,         // the run ends this cycle
  output logic        stall_o,        // IF and ID hold
  output logic        budget_hit_o,   // instret has reached the budget

  // Status
  output logic        busy_o,
  output logic        done_o,
  output fault_e      fault_code_o,
  output logic [31:0] fault_pc_o,

  // Performance counters
  output logic [63:0] cycles_o,
  output logic [63:0] instret_o,
  output logic [63:0] stall_load_use_o,
  output logic [63:0] stall_branch_o,
  output logic [63:0] stall_multi_o,
  output logic [63:0] stall_helper_o
);

  run_state_e  state_q, state_d;
  fault_e      fault_code_q, fault_code_d;
  logic [31:0] fault_pc_q, fault_pc_d;
  logic        budget_hit_q, budget_hit_d;
  logic [CounterW-1:0] cycles_q, instret_q, load_use_q, branch_q, multi_q, helper_q;
  logic [CounterW-1:0] cycles_d, instret_d, load_use_d, branch_d, multi_d, helper_d;
  logic        busy;

  assign busy    = state_q == RUN_BUSY;
  assign start_o = start_i && !busy;
  assign halt_o  = busy && (ex_fault_i || ex_finish_i);
  assign stall_o = ex_stall_i || load_use_i;

  always_comb begin
    state_d      = state_q;
    fault_code_d = fault_code_q;
    fault_pc_d   = fault_pc_q;
    if (start_o) begin
      state_d      = RUN_BUSY;
      fault_code_d = FAULT_NONE;
      fault_pc_d   = '0;
    end else if (halt_o) begin
      state_d = RUN_DONE;
      if (ex_fault_i) begin
        fault_code_d = ex_fault_code_i;
        fault_pc_d   = ex_pc_i;
      end
    end
  end

  always_comb begin
    cycles_d   = cycles_q;
    instret_d  = instret_q;
    load_use_d = load_use_q;
    branch_d   = branch_q;
    multi_d    = multi_q;
    helper_d   = helper_q;
    if (start_o) begin
      cycles_d   = '0;
      instret_d  = '0;
      load_use_d = '0;
      branch_d   = '0;
      multi_d    = '0;
      helper_d   = '0;
    end else if (busy) begin
      // Each counter's +1 comes from its own register only; the condition (decided late in
      // the cycle, in ID or EX) just picks old or incremented value (timing: it no longer
      // enters the carry chain).
      cycles_d   = cycles_q + CounterW'(1);
      instret_d  = ex_fire_i ? instret_q + CounterW'(1) : instret_q;
      load_use_d = (load_use_i && !ex_stall_i && !halt_o) ? load_use_q + CounterW'(1)
                                                          : load_use_q;
      branch_d   = (ex_fire_i && ex_redirect_i) ? branch_q + CounterW'(1) : branch_q;
      multi_d    = (ex_stall_i && !ex_stall_helper_i && !halt_o) ? multi_q + CounterW'(1)
                                                                 : multi_q;
      helper_d   = (ex_stall_helper_i && !halt_o) ? helper_q + CounterW'(1) : helper_q;
    end
  end

  // Registered so the budget check adds nothing to EX's paths: instret grows by one at a
  // time from 0, so "instret >= budget" is "instret == budget". Both compares (instret and
  // instret + 1 against the budget) come from registers; EX's fire only picks one.
  logic budget_hi_zero, budget_eq_q, budget_eq_inc;
  assign budget_hi_zero = budget_i[63:CounterW] == '0;
  assign budget_eq_q    = instret_q == budget_i[CounterW-1:0];
  assign budget_eq_inc  = instret_q + CounterW'(1) == budget_i[CounterW-1:0];
  always_comb begin
    if (start_o) begin
      budget_hit_d = budget_hi_zero && budget_i[CounterW-1:0] == '0;
    end else if (busy && ex_fire_i) begin
      budget_hit_d = budget_hi_zero && budget_eq_inc;
    end else begin
      budget_hit_d = budget_hi_zero && budget_eq_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= RUN_IDLE;
      fault_code_q <= FAULT_NONE;
      fault_pc_q   <= '0;
      budget_hit_q <= 1'b0;
      cycles_q     <= '0;
      instret_q    <= '0;
      load_use_q   <= '0;
      branch_q     <= '0;
      multi_q      <= '0;
      helper_q     <= '0;
    end else begin
      state_q      <= state_d;
      fault_code_q <= fault_code_d;
      fault_pc_q   <= fault_pc_d;
      budget_hit_q <= budget_hit_d;
      cycles_q     <= cycles_d;
      instret_q    <= instret_d;
      load_use_q   <= load_use_d;
      branch_q     <= branch_d;
      multi_q      <= multi_d;
      helper_q     <= helper_d;
    end
  end

  assign budget_hit_o     = budget_hit_q;
  assign busy_o           = busy;
  assign done_o           = state_q == RUN_DONE;
  assign fault_code_o     = fault_code_q;
  assign fault_pc_o       = fault_pc_q;
  assign cycles_o         = 64'(cycles_q);
  assign instret_o        = 64'(instret_q);
  assign stall_load_use_o = 64'(load_use_q);
  assign stall_branch_o   = 64'(branch_q);
  assign stall_multi_o    = 64'(multi_q);
  assign stall_helper_o   = 64'(helper_q);

endmodule
