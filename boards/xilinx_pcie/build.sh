#!/usr/bin/env bash
# Xilinx PCIe card: Yosys synth_xilinx (xc7) resource estimate of our part of the design
# (ebpf_pcie_core: AXI-Lite -> CSR bridge, ebpf_top, packet FIFO; not the XDMA IP).
# The bitstream needs Vivado: boards/xilinx_pcie/vivado/create_project.tcl (not built here).
#   boards/xilinx_pcie/build.sh [--param ImemSlots=N] [--out DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/../common/build_board.sh" --board xilinx_pcie --family xilinx \
  --filelist boards/xilinx_pcie/board.f --synth-only "$@"
