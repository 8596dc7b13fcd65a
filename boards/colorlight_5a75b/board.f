// Colorlight 5A-75B v8.x: sources of the board top (see boards/common/flatten_filelist.py).
// synth-top: colorlight_5a75b_top
boards/prim_ecp5/ecp5_cells_bb.sv
-f boards/common/rtl/fpga_core.f
boards/prim_ecp5/ebpf_prim_iddr.sv
boards/prim_ecp5/ebpf_prim_oddr.sv
boards/prim_ecp5/ebpf_ecp5_pll.sv
boards/colorlight_5a75b/rtl/colorlight_5a75b_top.sv
