#!/usr/bin/env bash
# Colorlight 5A-75B v8.x: synthesis, place and route, bitstream and report in one command.
#   boards/colorlight_5a75b/build.sh [--synth-only] [--seed N] [--out DIR]
# Writes build/boards/colorlight_5a75b/{colorlight_5a75b.bit,report.txt}.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/../common/build_board.sh" --board colorlight_5a75b --family ecp5 \
  --filelist boards/colorlight_5a75b/board.f --constraints boards/colorlight_5a75b/colorlight_5a75b.lpf \
  --device 25k --package CABGA256 --speed 6 "$@"
