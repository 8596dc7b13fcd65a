// Xilinx PCIe card: the part of the design that is ours (no XDMA IP), for Yosys synth_xilinx
// resource estimates and Verilator lint. The Vivado project adds the XDMA IP and the top.
// synth-top: ebpf_pcie_core
-f rtl/ebpf.f
boards/common/rtl/ebpf_prim_fifo_sync.sv
boards/xilinx_pcie/rtl/ebpf_axil_csr.sv
boards/xilinx_pcie/rtl/ebpf_pcie_core.sv
