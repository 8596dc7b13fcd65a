// The board-independent core: the soft-CPU (rtl/ebpf.f) and the network stack (net.f).
// synth-top: ebpf_fpga_core
-f rtl/ebpf.f
-f rtl/io/io.f
-f boards/common/rtl/net.f
boards/common/rtl/ebpf_fpga_core.sv
