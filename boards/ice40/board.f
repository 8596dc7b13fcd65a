// iCE40: the soft-CPU with UART control (see boards/common/flatten_filelist.py).
// synth-top: ice40_top
-f rtl/ebpf.f
boards/common/rtl/ebpf_uart_csr.sv
boards/ice40/rtl/ice40_top.sv
