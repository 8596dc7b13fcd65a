// File list of the network stack (verilator -f / yosys read_slang -f), packages first.
// synth-top: ebpf_net_stack
// Needs rtl/pkg/ebpf_csr_pkg.sv (the CSR map) before it. For ECP5 replace the two generic
// DDR models with boards/prim_ecp5/ (prim_ecp5.f).
rtl/pkg/ebpf_csr_pkg.sv
boards/common/rtl/ebpf_net_pkg.sv
boards/common/rtl/ebpf_prim_sync_2ff.sv
boards/common/rtl/ebpf_prim_cdc_count.sv
boards/common/rtl/ebpf_prim_fifo_sync.sv
boards/common/rtl/ebpf_prim_fifo_async.sv
boards/common/rtl/ebpf_prim_iddr.sv
boards/common/rtl/ebpf_prim_oddr.sv
boards/common/rtl/ebpf_net_rgmii_phy_if.sv
boards/common/rtl/ebpf_net_gmii_rx.sv
boards/common/rtl/ebpf_net_gmii_tx.sv
boards/common/rtl/ebpf_net_rx_steer.sv
boards/common/rtl/ebpf_net_axis_upsize.sv
boards/common/rtl/ebpf_net_axis_downsize.sv
boards/common/rtl/ebpf_net_axis_arb.sv
boards/common/rtl/ebpf_net_axis_reg.sv
boards/common/rtl/ebpf_net_arp.sv
boards/common/rtl/ebpf_net_ipv4_udp_rx.sv
boards/common/rtl/ebpf_net_ipv4_udp_tx.sv
boards/common/rtl/ebpf_net_etherbone.sv
boards/common/rtl/ebpf_net_regs.sv
boards/common/rtl/ebpf_net_stack.sv
boards/common/rtl/ebpf_net_mac_port.sv
