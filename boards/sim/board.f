// The simulated board (ebpf-fpga-sim serve --mac): ebpf_fpga_core at its GMII pins.
// synth-top: sim_board_top
-f boards/common/rtl/fpga_core.f
boards/sim/sim_board_top.sv
