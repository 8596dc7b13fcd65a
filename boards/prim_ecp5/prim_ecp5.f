// ECP5 versions of the network primitives: list after boards/common/rtl/net.f with the
// generic ebpf_prim_iddr.sv / ebpf_prim_oddr.sv left out.
boards/prim_ecp5/ebpf_prim_iddr.sv
boards/prim_ecp5/ebpf_prim_oddr.sv
