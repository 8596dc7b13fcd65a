#!/usr/bin/env python3
"""Write report.txt / report.json of one board build (boards/common/build_board.sh):
Yosys cell counts (LUT/FF/BRAM/DSP), nextpnr utilisation, and per clock domain the achieved
Fmax against its constraint (nextpnr --report)."""
import argparse
import json
import os
import re
import sys


def cells_of(stat, top):
    if "design" in stat and "num_cells_by_type" in stat["design"]:
        return {k: int(v) for k, v in stat["design"]["num_cells_by_type"].items()}
    for name, mod in stat.get("modules", {}).items():
        if name.lstrip("\\") == top:
            return {k: int(v) for k, v in mod.get("num_cells_by_type", {}).items()}
    return {}


def summary(cells, family):
    def count(pattern):
        return sum(n for t, n in cells.items() if re.fullmatch(pattern, t))
    if family == "ecp5":
        s = {"LUT4": count("LUT4"), "CCU2C": count("CCU2C"), "FF": count("TRELLIS_FF"),
             "LUTRAM": count("TRELLIS_DPR16X4|TRELLIS_RAM16X2"),
             "BRAM": count("DP16KD|PDPW16KD"), "DSP": count("MULT18X18D|ALU54B")}
        s["LUT4_with_carry"] = s["LUT4"] + 2 * s["CCU2C"]
    elif family == "ice40":
        s = {"LUT4": count("SB_LUT4"), "CARRY": count("SB_CARRY"), "FF": count("SB_DFF.*"),
             "BRAM": count("SB_RAM40_4K.*"), "SPRAM": count("SB_SPRAM256KA"),
             "DSP": count("SB_MAC16")}
    else:
        s = {"LUT": count("LUT[1-6]"), "CARRY4": count("CARRY4"), "FF": count("FD[A-Z]*"),
             "LUTRAM": count("RAM(32|64|128|256)[XM].*|SRL.*"),
             "BRAM": count("RAMB(18|36)E1"), "DSP": count("DSP48E1")}
    return s


def main():
    ap = argparse.ArgumentParser()
    for a in ("out", "board", "family", "top", "device", "package", "speed", "seed",
              "rtl-rev", "head", "params", "bit", "blackboxes", "nextpnr-opts", "attempts"):
        ap.add_argument("--" + a, default="")
    for a in ("synth-s", "pnr-s", "pack-s"):
        ap.add_argument("--" + a, type=int, default=0)
    ap.add_argument("--pnr-failed", action="store_true")
    a = ap.parse_args()

    rep = {"board": a.board, "family": a.family, "top": a.top, "device": a.device,
           "package": a.package, "speed": a.speed, "seed": a.seed, "params": a.params,
           "nextpnr_options": a.nextpnr_opts,
           "rtl_commit": a.rtl_rev, "head": a.head, "blackboxes": a.blackboxes.split(),
           "seconds": {"synth": a.synth_s, "pnr": a.pnr_s, "pack": a.pack_s}}
    lines = [f"board {a.board}: top {a.top}, {a.family}"
             + (f" {a.device} {a.package}" if a.device else "")
             + (f" speed {a.speed}" if a.speed else "")
             + (f", parameters {a.params}" if a.params else "")
             + (f", seed {a.seed}" if a.seed else "")
             + (f", nextpnr {a.nextpnr_opts}" if a.nextpnr_opts else ""),
             f"RTL: rtl/ as of commit {a.rtl_rev} (HEAD {a.head}); boards/ from the working tree"]
    abandoned = [ln for ln in a.attempts.splitlines() if ln.strip()]
    rep["abandoned_seeds"] = abandoned
    for ln in abandoned:
        lines.append(f"abandoned {ln}")
    if a.blackboxes:
        lines.append(f"black boxes (not synthesized, not counted): {a.blackboxes}")
    # The synthesis command and top-level parameters as the netlist's own script has them
    # (a --pnr-only run reuses the netlist, whatever its own command line says).
    try:
        with open(os.path.join(a.out, "synth", "synth.ys")) as ys:
            script = ys.read().splitlines()
        cmd = next((ln.strip() for ln in script if ln.startswith("synth_")), "")
        read = next((ln for ln in script if ln.startswith("read_slang")), "")
        netlist_params = " ".join(re.findall(r"-G (\S+)", read))
        if cmd:
            rep["synth_command"] = cmd
            lines.append(f"Yosys command: {cmd}")
        if read and netlist_params != a.params:
            rep["params"] = netlist_params
            lines[0] = lines[0].replace(f", parameters {a.params}", "")
            lines.append(f"netlist parameters: {netlist_params or '(defaults)'}"
                         + (f" (the command line gave '{a.params}')" if a.params else ""))
    except OSError:
        pass
    try:
        stat = json.load(open(os.path.join(a.out, "synth", "stat.json")))
        s = summary(cells_of(stat, a.top), a.family)
        rep["synth"] = s
        lines.append("Yosys: " + ", ".join(f"{k} {v}" for k, v in s.items())
                     + f" ({a.synth_s} s)")
    except (OSError, ValueError) as e:
        lines.append(f"Yosys: no statistics ({e})")

    pr = os.path.join(a.out, "pnr", "report.json")
    if a.pnr_failed:
        rep["pnr"] = "failed"
        lines.append(f"place and route: FAILED after {a.pnr_s} s (see pnr/nextpnr.log)")
        log = os.path.join(a.out, "pnr", "nextpnr.log")
        if os.path.exists(log):
            for l in open(log, errors="replace"):
                if "ERROR" in l or re.search(r"^Info:\s+\w+:\s+\d+/\s*\d+\s+\d+%", l):
                    lines.append("  " + l.rstrip())
    elif os.path.exists(pr):
        r = json.load(open(pr))
        util = {k: v for k, v in r.get("utilization", {}).items() if v.get("used", 0)}
        rep["utilization"] = util
        lines.append(f"place and route ({a.pnr_s} s), utilisation:")
        for k, v in sorted(util.items()):
            pct = 100.0 * v["used"] / v["available"] if v.get("available") else 0.0
            lines.append(f"  {k:<16} {v['used']:>7} / {v['available']:<7} {pct:5.1f}%")
        fm = r.get("fmax", {})
        rep["fmax"] = fm
        ok = True
        lines.append("Fmax per clock domain (achieved vs constraint):")
        for clk, v in sorted(fm.items()):
            met = v["achieved"] >= v["constraint"]
            ok &= met
            lines.append(f"  {clk:<40} {v['achieved']:8.2f} MHz vs {v['constraint']:7.2f} MHz"
                         f"  {'met' if met else 'FAILED'}")
        rep["timing_met"] = ok
        lines.append("timing: " + ("met in every clock domain" if ok else
                                   "NOT met (bitstream written with --timing-allow-fail)"))
    if a.bit and os.path.exists(a.bit):
        rep["bitstream"] = a.bit
        lines.append(f"bitstream: {a.bit} ({os.path.getsize(a.bit)} bytes, {a.pack_s} s)")
    with open(os.path.join(a.out, "report.json"), "w") as f:
        json.dump(rep, f, indent=2)
        f.write("\n")
    with open(os.path.join(a.out, "report.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
