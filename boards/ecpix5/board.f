// ECPIX-5: sources of the board top (see boards/common/flatten_filelist.py).
// synth-top: ecpix5_top
boards/prim_ecp5/ecp5_cells_bb.sv
-f boards/common/rtl/fpga_core.f
boards/prim_ecp5/ebpf_prim_iddr.sv
boards/prim_ecp5/ebpf_prim_oddr.sv
boards/prim_ecp5/ebpf_ecp5_pll.sv
boards/ecpix5/rtl/ecpix5_top.sv
