// File list of the soft-CPU, packages first (verilator -f / yosys read_slang -f).
rtl/pkg/ebpf_pkg.sv
rtl/pkg/ebpf_csr_pkg.sv
rtl/maps/ebpf_map_pkg.sv
rtl/prim/ebpf_prim_ram_1p.sv
rtl/prim/ebpf_prim_ram_pair.sv
rtl/core/ebpf_core_decoder.sv
rtl/core/ebpf_core_if_stage.sv
rtl/core/ebpf_core_id_stage.sv
rtl/core/ebpf_core_alu.sv
rtl/core/ebpf_core_branch.sv
rtl/core/ebpf_core_muldiv.sv
rtl/core/ebpf_core_region.sv
rtl/core/ebpf_core_lsu.sv
rtl/core/ebpf_core_ex_block.sv
rtl/core/ebpf_core_wb_stage.sv
rtl/core/ebpf_core_regfile_ff.sv
rtl/core/ebpf_core_call_stack.sv
rtl/core/ebpf_core_controller.sv
rtl/core/ebpf_core.sv
rtl/maps/ebpf_map_ram.sv
rtl/maps/ebpf_map_unit.sv
rtl/helpers/ebpf_helper_copy.sv
rtl/helpers/ebpf_helper_csum.sv
rtl/helpers/ebpf_helper_events.sv
rtl/helpers/ebpf_helper_unit.sv
rtl/top/ebpf_top.sv
// synth-top: ebpf_top   (scripts/synth/synth.sh and the synth_core target read this line)
