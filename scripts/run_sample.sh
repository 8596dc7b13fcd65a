#!/usr/bin/env bash
# The main job on the default engine (rtl: the cycle-accurate model of the soft-CPU): run the
# firmware DNS query-name filter (build/firmware/dns_filter.o, from firmware/xdp/) over its
# packet corpus (build/firmware/pcap/dns_filter.pcap, blocked names from its map-init) with
# `ebpf-fpga run`, print the summary (verdicts, cycles and instructions per packet, faults),
# and check every verdict against the corpus's dns_filter.expect.tsv.
# ENGINE=interp (or kernel) runs another engine; BUILD_DIR selects the build.
# Fails (exit 1) when the run fails, when a packet could not run ("error" in the JSON), or
# when a verdict differs from the expectations.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
CLI="$BUILD_DIR/host/cli/ebpf-fpga"
ENGINE="${ENGINE:-rtl}"
[ -x "$CLI" ] || { echo "run_sample: $CLI not built; run scripts/setup.sh first" >&2; exit 1; }

obj="$BUILD_DIR/firmware/dns_filter.o"
corpus="$BUILD_DIR/firmware/pcap/dns_filter"
for f in "$obj" "$corpus.pcap" "$corpus.map-init.json" "$corpus.expect.tsv"; do
  [ -f "$f" ] || { echo "run_sample: $f not built (clang and libpcap: scripts/setup.sh)" >&2; exit 1; }
done

json="$BUILD_DIR/run_sample.json"
echo "ebpf-fpga run $obj --engine $ENGINE --pcap $corpus.pcap --map-init $corpus.map-init.json"
rm -f "$json"
rc=0
"$CLI" run "$obj" --engine "$ENGINE" --pcap "$corpus.pcap" --map-init "$corpus.map-init.json" \
  --json "$json" || rc=$?
if [ -f "$json" ] && grep -q '"error":' "$json"; then
  echo "run_sample: $(grep -c '"error":' "$json") packet(s) could not run (\"error\" in $json)" >&2
  exit 1
fi
[ $rc -eq 0 ] || exit $rc

# Every verdict against the corpus's expectations (index, action, description).
status=0
mapfile -t got < <(grep -o '"action": [0-9a-z]*' "$json" | awk '{ print $2 }')
while IFS=$'\t' read -r index want what; do
  case "$index" in '#'*|'') continue;; esac
  if [ "${got[$index]:-missing}" != "$want" ]; then
    echo "run_sample: packet $index ($what): expected action $want, got ${got[$index]:-none}" >&2
    status=1
  fi
done <"$corpus.expect.tsv"
[ $status -eq 0 ] && echo "all ${#got[@]} verdicts as $corpus.expect.tsv expects; results in $json"
exit $status
