// File list of the packet I/O block and the XDP top, after rtl/ebpf.f (whose files it
// needs): verilator -f rtl/ebpf.f -f rtl/io/io.f / yosys read_slang, in this order.
rtl/io/ebpf_io_pkg.sv
rtl/io/ebpf_axis_rx.sv
rtl/io/ebpf_axis_tx.sv
rtl/io/ebpf_xdp_ctrl.sv
rtl/top/ebpf_xdp_top.sv
// synth-top: ebpf_xdp_top   (synthesize with rtl/ebpf.f + this list concatenated)
