#!/usr/bin/env bash
# The main job on the default engine (rtl: the cycle-accurate model of the soft-CPU):
# assemble firmware/asm/dns_filter.s and run it on a DNS query, on the same frame with a
# different UDP port and on the same frame with a corrupted IPv4 checksum, printing the
# verdict, instructions and cycles of each. ENGINE=interp runs the reference interpreter.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
CLI="$BUILD_DIR/host/cli/ebpf-fpga"
ENGINE="${ENGINE:-rtl}"
[ -x "$CLI" ] || { echo "run_sample: $CLI not built; run scripts/setup.sh first" >&2; exit 1; }

prog="$ROOT/firmware/asm/dns_filter.s"
frame="$(cat "$ROOT/firmware/asm/dns_query.hex")"
# Same frame, UDP destination port 54 (byte 37) / IPv4 checksum byte 25 flipped.
other_port="$(echo "$frame" | awk '{ $37 = "36"; print }')"
bad_csum="$(echo "$frame" | awk '{ $25 = "ff"; print }')"

"$CLI" asm "$prog" -o "$BUILD_DIR/dns_filter.bin"
"$CLI" disasm "$BUILD_DIR/dns_filter.bin" | head -5
echo "..."
verdict() { case "$1" in 0) echo XDP_ABORTED;; 1) echo XDP_DROP;; 2) echo XDP_PASS;; *) echo "?";; esac; }
printf '\n%-28s %-12s %13s %8s\n' "input ($ENGINE engine)" verdict instructions cycles
status=0
for case in "DNS query:$frame:1" "UDP to port 54:$other_port:2" "bad IPv4 checksum:$bad_csum:0"; do
  IFS=: read -r name bytes want <<<"$case"
  out="$("$CLI" exec "$BUILD_DIR/dns_filter.bin" --engine "$ENGINE" --mem "$bytes" --json)"
  r0="$(sed -E 's/.*"r0": ([0-9]+).*/\1/' <<<"$out")"
  insns="$(sed -E 's/.*"instructions": ([0-9]+).*/\1/' <<<"$out")"
  cycles="$(sed -E 's/.*"cycles": ([0-9a-z]+).*/\1/' <<<"$out")"
  printf '%-28s %-12s %13s %8s\n' "$name" "$(verdict "$r0")" "$insns" "$cycles"
  if [ "$r0" != "$want" ]; then
    echo "run_sample: expected $(verdict "$want") for '$name'" >&2
    status=1
  fi
done
exit $status
