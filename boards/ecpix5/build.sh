#!/usr/bin/env bash
# ECPIX-5 (LFE5UM5G-85F-8BG554I): synthesis, place and route, bitstream and report.
#   boards/ecpix5/build.sh [--synth-only] [--seed N] [--param ImemSlots=N] [--param CoreClkDiv=N] [--out DIR]
# nextpnr runs router2: router1 did not converge on this design in 2,000 s (docs/boards.md).
# Yosys runs with -nowidelut (LUT4s only): the configuration that routed (docs/boards.md,
# session 9).
# Writes build/boards/ecpix5/{ecpix5.bit,report.txt}.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/../common/build_board.sh" --board ecpix5 --family ecp5 \
  --filelist boards/ecpix5/board.f --constraints boards/ecpix5/ecpix5.lpf \
  --device um5g-85k --package CABGA554 --speed 8 --router router2 --nowidelut "$@"
