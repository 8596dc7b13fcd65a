#!/usr/bin/env bash
# iCE40: the soft-CPU with UART control, smallest configuration; synthesis, place and route,
# bitstream (when it fits) and report.
#   boards/ice40/build.sh [up5k|hx8k] [--synth-only] [--param ImemSlots=N] [--out DIR]
# Writes build/boards/ice40_<device>/report.txt (and the .bin when place and route succeeds).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dev="up5k"
case "${1:-}" in up5k|hx8k) dev="$1"; shift ;; esac
case "$dev" in
  up5k) pkg=sg48;  pcf=boards/ice40/icebreaker.pcf ;;
  hx8k) pkg=ct256; pcf=boards/ice40/hx8k.pcf ;;
esac
exec "$HERE/../common/build_board.sh" --board "ice40_$dev" --family ice40 \
  --filelist boards/ice40/board.f --constraints "$pcf" --device "$dev" --package "$pkg" \
  --freq 12 "$@"
