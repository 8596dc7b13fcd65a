// Black-box declarations of the ECP5 cells our RTL instantiates, for the read_slang
// frontend (the parameters must be declared for slang to pass them to the cell; Yosys'
// own +/ecp5/cells_bb.v is Verilog that read_slang does not see). Ports and parameter
// names as in Lattice's ECP5 library (FPGA-TN-02032, sysCLOCK PLL) and Yosys' cell list.
// Board builds read this with --empty-blackboxes; never simulated (Verilator only lints it).

/* verilator lint_off DECLFILENAME */
/* verilator lint_off UNUSEDPARAM */
/* verilator lint_off UNUSEDSIGNAL */
/* verilator lint_off UNDRIVEN */

(* blackbox *)
module EHXPLLL #(
  parameter CLKI_DIV = 1, parameter CLKFB_DIV = 1,
  parameter CLKOP_DIV = 8, parameter CLKOS_DIV = 8, parameter CLKOS2_DIV = 8,
  parameter CLKOS3_DIV = 8,
  parameter CLKOP_ENABLE = "ENABLED", parameter CLKOS_ENABLE = "DISABLED",
  parameter CLKOS2_ENABLE = "DISABLED", parameter CLKOS3_ENABLE = "DISABLED",
  parameter CLKOP_CPHASE = 0, parameter CLKOS_CPHASE = 0, parameter CLKOS2_CPHASE = 0,
  parameter CLKOS3_CPHASE = 0,
  parameter CLKOP_FPHASE = 0, parameter CLKOS_FPHASE = 0, parameter CLKOS2_FPHASE = 0,
  parameter CLKOS3_FPHASE = 0,
  parameter FEEDBK_PATH = "CLKOP", parameter CLKOP_TRIM_POL = "RISING",
  parameter CLKOP_TRIM_DELAY = 0, parameter CLKOS_TRIM_POL = "RISING",
  parameter CLKOS_TRIM_DELAY = 0, parameter OUTDIVIDER_MUXA = "DIVA",
  parameter OUTDIVIDER_MUXB = "DIVB", parameter OUTDIVIDER_MUXC = "DIVC",
  parameter OUTDIVIDER_MUXD = "DIVD", parameter PLL_LOCK_MODE = 0,
  parameter PLL_LOCK_DELAY = 200, parameter STDBY_ENABLE = "DISABLED",
  parameter REFIN_RESET = "DISABLED", parameter SYNC_ENABLE = "DISABLED",
  parameter INT_LOCK_STICKY = "ENABLED", parameter DPHASE_SOURCE = "DISABLED",
  parameter PLLRST_ENA = "DISABLED", parameter INTFB_WAKE = "DISABLED"
) (
  input  CLKI, input CLKFB, input PHASESEL1, input PHASESEL0, input PHASEDIR,
  input  PHASESTEP, input PHASELOADREG, input STDBY, input PLLWAKESYNC, input RST,
  input  ENCLKOP, input ENCLKOS, input ENCLKOS2, input ENCLKOS3,
  output CLKOP, output CLKOS, output CLKOS2, output CLKOS3, output LOCK, output INTLOCK,
  output REFCLK, output CLKINTFB
);
endmodule

(* blackbox *)
module IDDRX1F #(parameter GSR = "ENABLED") (
  input D, input SCLK, input RST, output Q0, output Q1
);
endmodule

(* blackbox *)
module ODDRX1F #(parameter GSR = "ENABLED") (
  input SCLK, input RST, input D0, input D1, output Q
);
endmodule
