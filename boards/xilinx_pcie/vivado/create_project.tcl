# Vivado project for an Artix-7 PCIe card: XDMA IP + our RTL.      NOT BUILT HERE (no Vivado
# on the project's machines); kept in step with the RTL file lists, untested.
#
#   vivado -mode batch -source boards/xilinx_pcie/vivado/create_project.tcl \
#          -tclargs [PART] [OUT_DIR]
#   (from the repository root; default part xc7a100tffg484-2, output build/boards/xilinx_pcie_vivado)
# Then: open the project, or run `launch_runs impl_1 -to_step write_bitstream -jobs 2`.

set part    [expr {[llength $argv] > 0 ? [lindex $argv 0] : "xc7a100tffg484-2"}]
set out_dir [expr {[llength $argv] > 1 ? [lindex $argv 1] : "build/boards/xilinx_pcie_vivado"}]
set root    [file normalize [file join [file dirname [info script]] .. .. ..]]

create_project -force ebpf_pcie $out_dir -part $part
set_property target_language Verilog [current_project]

# Sources: our file lists (one path per line, // comments, -f includes), then the top.
proc read_filelist {root f} {
  set files {}
  set fh [open [file join $root $f] r]
  foreach line [split [read $fh] "\n"] {
    regsub {//.*$} $line "" line
    set line [string trim $line]
    if {$line eq ""} continue
    if {[string match "-f *" $line]} {
      foreach x [read_filelist $root [string trim [string range $line 3 end]]] {
        if {[lsearch -exact $files $x] < 0} { lappend files $x }
      }
    } elseif {[lsearch -exact $files [file join $root $line]] < 0} {
      lappend files [file join $root $line]
    }
  }
  close $fh
  return $files
}
set srcs [read_filelist $root boards/xilinx_pcie/board.f]
lappend srcs [file join $root boards/xilinx_pcie/rtl/xilinx_pcie_top.sv]
add_files -norecurse $srcs
set_property file_type SystemVerilog [get_files *.sv]
add_files -fileset constrs_1 -norecurse [file join $root boards/xilinx_pcie/vivado/pins_ac7100b.xdc]
set_property top xilinx_pcie_top [current_fileset]

# XDMA: Gen2 x1, AXI-Stream, 64-bit at 125 MHz, AXI-Lite master on BAR0 (1 MiB: the CSR map)
create_ip -name xdma -vendor xilinx.com -library ip -module_name xdma_0
set_property -dict [list \
  CONFIG.mode_selection {Advanced} \
  CONFIG.pl_link_cap_max_link_width {X1} \
  CONFIG.pl_link_cap_max_link_speed {5.0_GT/s} \
  CONFIG.axi_data_width {64_bit} \
  CONFIG.axisten_freq {125} \
  CONFIG.xdma_axi_intf_mm {AXI_Stream} \
  CONFIG.axilite_master_en {true} \
  CONFIG.axilite_master_size {1} \
  CONFIG.axilite_master_scale {Megabytes} \
  CONFIG.xdma_rnum_chnl {1} \
  CONFIG.xdma_wnum_chnl {1} \
  CONFIG.pf0_device_id {7021} \
] [get_ips xdma_0]
generate_target all [get_ips xdma_0]
puts "create_project.tcl: project in $out_dir (part $part); not built by the project's CI"
