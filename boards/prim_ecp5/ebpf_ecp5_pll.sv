/**
 * ECP5 PLL (EHXPLLL) with three outputs, feedback from CLKOP
 *
 *   f_clkop = f_clki * ClkfbDiv / ClkiDiv; VCO = f_clkop * ClkopDiv (400-800 MHz)
 *   f_clkos = VCO / ClkosDiv, f_clkos2 = VCO / Clkos2Div
 *   phase: *_CPHASE in VCO cycles, *_FPHASE in eighths of one, as the Trellis PLL
 *   calculator `ecppll` computes them (the board tops give the numbers)
 *
 * The divider values of each board come from `yowasp-ecppll` (Project Trellis) and are
 * written next to the instance in the board top.
 */
module ebpf_ecp5_pll #(
  parameter int unsigned ClkiDiv      = 1,
  parameter int unsigned ClkfbDiv     = 5,
  parameter int unsigned ClkopDiv     = 5,
  parameter int unsigned ClkopCphase  = 2,
  parameter int unsigned ClkosDiv     = 5,
  parameter int unsigned ClkosCphase  = 3,
  parameter int unsigned ClkosFphase  = 2,
  parameter int unsigned Clkos2Div    = 25,
  parameter int unsigned Clkos2Cphase = 2
) (
  input  logic clk_i,
  output logic clkop_o,
  output logic clkos_o,
  output logic clkos2_o,
  output logic locked_o
);

  logic unused_clkos3, unused_clkintfb, unused_intlock, unused_refclk, unused_ok;
  assign unused_ok = ^{unused_clkos3, unused_clkintfb, unused_intlock, unused_refclk};

  // Loop filter settings as ecppll writes them. nextpnr derives the output clocks' timing
  // constraints from the input's FREQUENCY (LPF) and the dividers.
  (* ICP_CURRENT = "12", LPF_RESISTOR = "8", MFG_ENABLE_FILTEROPAMP = "1",
     MFG_GMCREF_SEL = "2" *)
  EHXPLLL #(
    .PLLRST_ENA       ("DISABLED"),
    .INTFB_WAKE       ("DISABLED"),
    .STDBY_ENABLE     ("DISABLED"),
    .DPHASE_SOURCE    ("DISABLED"),
    .OUTDIVIDER_MUXA  ("DIVA"),
    .OUTDIVIDER_MUXB  ("DIVB"),
    .OUTDIVIDER_MUXC  ("DIVC"),
    .OUTDIVIDER_MUXD  ("DIVD"),
    .CLKI_DIV         (ClkiDiv),
    .CLKOP_ENABLE     ("ENABLED"),
    .CLKOP_DIV        (ClkopDiv),
    .CLKOP_CPHASE     (ClkopCphase),
    .CLKOP_FPHASE     (0),
    .CLKOS_ENABLE     ("ENABLED"),
    .CLKOS_DIV        (ClkosDiv),
    .CLKOS_CPHASE     (ClkosCphase),
    .CLKOS_FPHASE     (ClkosFphase),
    .CLKOS2_ENABLE    ("ENABLED"),
    .CLKOS2_DIV       (Clkos2Div),
    .CLKOS2_CPHASE    (Clkos2Cphase),
    .CLKOS2_FPHASE    (0),
    .FEEDBK_PATH      ("CLKOP"),
    .CLKFB_DIV        (ClkfbDiv)
  ) u_pll (
    .RST          (1'b0),
    .STDBY        (1'b0),
    .CLKI         (clk_i),
    .CLKOP        (clkop_o),
    .CLKOS        (clkos_o),
    .CLKOS2       (clkos2_o),
    .CLKOS3       (unused_clkos3),
    .CLKFB        (clkop_o),
    .CLKINTFB     (unused_clkintfb),
    .PHASESEL0    (1'b0),
    .PHASESEL1    (1'b0),
    .PHASEDIR     (1'b1),
    .PHASESTEP    (1'b1),
    .PHASELOADREG (1'b1),
    .PLLWAKESYNC  (1'b0),
    .ENCLKOP      (1'b0),
    .ENCLKOS      (1'b0),
    .ENCLKOS2     (1'b0),
    .ENCLKOS3     (1'b0),
    .LOCK         (locked_o),
    .INTLOCK      (unused_intlock),
    .REFCLK       (unused_refclk)
  );

endmodule
