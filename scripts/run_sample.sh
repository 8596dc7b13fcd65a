#!/usr/bin/env bash
# The main job on the default engine (rtl: the cycle-accurate model of the soft-CPU): run the
# firmware DNS query-name filter (build/firmware/dns_filter.o, from firmware/xdp/) over its
# packet corpus (build/firmware/pcap/dns_filter.pcap, blocked names from its map-init) with
# `ebpf-fpga run`, print the summary (verdicts, cycles and instructions per packet, faults),
# and check every verdict against the corpus's dns_filter.expect.tsv.
# ENGINE=interp (or kernel) runs another engine; BUILD_DIR selects the build.
#
# While the rtl engine refuses this object's maps ("engine rtl cannot configure the maps: ...":
# before its map unit landed, "has no map unit yet"; now, maps larger than its map memory
# parameters), the script says so, with the reason, and falls back to the older demo: the
# hand-written firmware/asm/dns_filter.s on three frames through `ebpf-fpga exec`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
CLI="$BUILD_DIR/host/cli/ebpf-fpga"
ENGINE="${ENGINE:-rtl}"
[ -x "$CLI" ] || { echo "run_sample: $CLI not built; run scripts/setup.sh first" >&2; exit 1; }

# The older demo (the fallback): assemble firmware/asm/dns_filter.s and run it on a DNS
# query, on the same frame with a different UDP port and on the same frame with a corrupted
# IPv4 checksum, printing the verdict, instructions and cycles of each.
fallback_exec_demo() {
  local prog="$ROOT/firmware/asm/dns_filter.s"
  local frame other_port bad_csum
  frame="$(cat "$ROOT/firmware/asm/dns_query.hex")"
  # Same frame, UDP destination port 54 (byte 37) / IPv4 checksum byte 25 flipped.
  other_port="$(echo "$frame" | awk '{ $37 = "36"; print }')"
  bad_csum="$(echo "$frame" | awk '{ $25 = "ff"; print }')"

  "$CLI" asm "$prog" -o "$BUILD_DIR/dns_filter.bin"
  "$CLI" disasm "$BUILD_DIR/dns_filter.bin" | head -5
  echo "..."
  verdict() { case "$1" in 0) echo XDP_ABORTED;; 1) echo XDP_DROP;; 2) echo XDP_PASS;; *) echo "?";; esac; }
  printf '\n%-28s %-12s %13s %8s\n' "input ($ENGINE engine)" verdict instructions cycles
  local status=0 case name bytes want out r0 insns cycles
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
  return $status
}

obj="$BUILD_DIR/firmware/dns_filter.o"
corpus="$BUILD_DIR/firmware/pcap/dns_filter"
for f in "$obj" "$corpus.pcap" "$corpus.map-init.json" "$corpus.expect.tsv"; do
  [ -f "$f" ] || { echo "run_sample: $f not built (clang and libpcap: scripts/setup.sh)" >&2; exit 1; }
done

json="$BUILD_DIR/run_sample.json"
echo "ebpf-fpga run $obj --engine $ENGINE --pcap $corpus.pcap --map-init $corpus.map-init.json"
set +e
"$CLI" run "$obj" --engine "$ENGINE" --pcap "$corpus.pcap" --map-init "$corpus.map-init.json" \
  --json "$json" 2>"$BUILD_DIR/run_sample.err"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  cat "$BUILD_DIR/run_sample.err" >&2
  if [ "$ENGINE" = rtl ] && grep -q "engine rtl cannot configure the maps" "$BUILD_DIR/run_sample.err"; then
    echo
    echo "run_sample: the rtl engine refuses dns_filter.o's maps (reason above), so it cannot run it."
    echo "run_sample: FALLBACK: the map-free assembler version on three frames (ebpf-fpga exec)."
    echo
    fallback_exec_demo
    exit $?
  fi
  exit $rc
fi

# Every verdict against the corpus's expectations (index, action, description).
status=0
mapfile -t got < <(grep -o '"action": [0-9]*' "$json" | awk '{ print $2 }')
while IFS=$'\t' read -r index want what; do
  case "$index" in '#'*|'') continue;; esac
  if [ "${got[$index]:-missing}" != "$want" ]; then
    echo "run_sample: packet $index ($what): expected action $want, got ${got[$index]:-none}" >&2
    status=1
  fi
done <"$corpus.expect.tsv"
[ $status -eq 0 ] && echo "all ${#got[@]} verdicts as $corpus.expect.tsv expects; results in $json"
exit $status
