#!/usr/bin/env python3
"""Summary of scripts/pnr/pnr_ecp5.sh runs: utilisation and Fmax per clock over the seeds.

Reads, for every seed<N>/ folder of the output folder, nextpnr's JSON report (--report:
achieved Fmax per clock, utilisation, one critical path per clock pair) and its log (LUT4
counts before packing, the <async> I/O delays), and writes summary.txt and summary.json.
"""
import argparse
import json
import os
import re
import statistics
import sys


def clock_name(net):
    """'$glbnet$clk_i$TRELLIS_IO_IN' -> 'clk_i'."""
    name = re.sub(r"^(posedge|negedge) ", "", net.strip())
    name = re.sub(r"^\$glbnet\$", "", name)
    return re.sub(r"\$TRELLIS_IO_IN$", "", name)


def parse_log(path):
    info = {"lut4_before_packing": {}, "async": {}, "fmax_log": {}}
    if not os.path.exists(path):
        return info
    with open(path, errors="replace") as f:
        text = f.read()
    # "Info:     Total LUT4s:     11881/83640    14%"
    for key, label in (("total", "Total LUT4s"), ("logic", "logic LUTs"),
                       ("carry", "carry LUTs"), ("ram", "RAM LUTs"), ("ramw", "RAMW LUTs"),
                       ("dff", "Total DFFs")):
        m = re.search(re.escape(label) + r":\s+(\d+)/\s*(\d+)", text)
        if m:
            info["lut4_before_packing"][key] = [int(m.group(1)), int(m.group(2))]
    # The last "Max delay" lines are the post-route ones.
    for m in re.finditer(r"Max delay (.*?)\s*->\s*(.*?)\s*:\s*([\d.]+) ns", text):
        src, dst = m.group(1).strip(), m.group(2).strip()
        src = re.sub(r"posedge |negedge ", "", src)
        dst = re.sub(r"posedge |negedge ", "", dst)
        info["async"][f"{clock_name(src)} -> {clock_name(dst)}"] = float(m.group(3))
    # Pre-route (placement) estimate and post-route Fmax per clock, in log order.
    for m in re.finditer(r"Max frequency for clock '([^']+)': ([\d.]+) MHz", text):
        info["fmax_log"].setdefault(clock_name(m.group(1)), []).append(float(m.group(2)))
    return info


def cell_src(cells, name):
    c = cells.get(name)
    if not c:
        return ""
    src = c.get("attributes", {}).get("src", "")
    # Keep the project's own source locations, shortened to the repository path.
    parts = [p for p in src.split("|") if "/share/" not in p]
    parts = [re.sub(r"^.*?/(rtl|boards|scripts|tests)/", r"\1/", p) for p in parts]
    return ", ".join(parts)


def summarise_path(cp, cells):
    path = cp.get("path", [])
    if not path:
        return None
    total = sum(step.get("delay", 0.0) for step in path)
    logic = sum(s.get("delay", 0.0) for s in path if s.get("type") in ("logic", "clk-to-q", "setup"))
    routing = sum(s.get("delay", 0.0) for s in path if s.get("type") == "routing")
    levels = sum(1 for s in path if s.get("type") == "logic")
    start, end = path[0]["from"], path[-1]["to"]
    return {
        "from_clock": clock_name(cp.get("from", "")), "to_clock": clock_name(cp.get("to", "")),
        "delay_ns": round(total, 3), "logic_ns": round(logic, 3), "routing_ns": round(routing, 3),
        "logic_levels": levels,
        "start": f"{start['cell']}.{start['port']}", "start_src": cell_src(cells, start["cell"]),
        "end": f"{end['cell']}.{end['port']}", "end_src": cell_src(cells, end["cell"]),
    }


def main():
    ap = argparse.ArgumentParser()
    for a in ("out", "top", "part", "device", "package", "speed", "freq", "seeds", "netlist",
              "tool", "synth-tool", "rtl-rev"):
        ap.add_argument("--" + a, default="")
    args = ap.parse_args()

    cells = {}
    try:
        with open(args.netlist) as f:
            design = json.load(f)
        mod = design["modules"].get(args.top) or next(
            m for m in design["modules"].values() if m.get("attributes", {}).get("top"))
        cells = mod.get("cells", {})
    except (OSError, ValueError, StopIteration, KeyError):
        pass

    synth = {}
    synth_report = os.path.join(os.path.dirname(args.netlist), "report.json")
    if os.path.exists(synth_report):
        with open(synth_report) as f:
            synth = json.load(f)

    runs = []
    for seed in [s for s in args.seeds.split(",") if s]:
        d = os.path.join(args.out, f"seed{seed}")
        run = {"seed": int(seed), "ok": False}
        rep_path = os.path.join(d, "report.json")
        if os.path.exists(rep_path):
            with open(rep_path) as f:
                rep = json.load(f)
            run["ok"] = True
            run["fmax"] = {clock_name(k): {"achieved_mhz": round(v["achieved"], 2),
                                           "constraint_mhz": v["constraint"]}
                           for k, v in rep.get("fmax", {}).items()}
            run["utilisation"] = {k: v for k, v in rep.get("utilization", {}).items()
                                  if v.get("used", 0) > 0}
            run["critical_paths"] = [p for p in (summarise_path(cp, cells)
                                                 for cp in rep.get("critical_paths", [])) if p]
        log = parse_log(os.path.join(d, "nextpnr.log"))
        run.update(log)
        sec = os.path.join(d, "seconds.txt")
        if os.path.exists(sec):
            run["seconds"] = float(open(sec).read().strip() or 0)
        paths = os.path.join(d, "paths.txt")
        run["paths_file"] = os.path.relpath(paths, args.out) if os.path.exists(paths) else ""
        runs.append(run)

    ok = [r for r in runs if r["ok"]]
    clocks = sorted({c for r in ok for c in r["fmax"]})
    fmax = {}
    for c in clocks:
        vals = [r["fmax"][c]["achieved_mhz"] for r in ok if c in r["fmax"]]
        fmax[c] = {"min": min(vals), "median": round(statistics.median(vals), 2), "max": max(vals),
                   "per_seed": {r["seed"]: r["fmax"][c]["achieved_mhz"] for r in ok if c in r["fmax"]}}

    summary = {"top": args.top, "part": args.part, "device": args.device, "package": args.package,
               "speed": int(args.speed), "constraint_mhz": float(args.freq), "tool": args.tool,
               "synth_tool": args.synth_tool, "rtl_revision": args.rtl_rev,
               "netlist": args.netlist,
               "synth_cells": synth.get("summary", {}), "fmax_mhz": fmax, "runs": runs}
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    L = []
    L.append(f"{args.top} on {args.part}: out-of-context place and route, {args.freq} MHz constraint")
    L.append(f"RTL: {args.rtl_rev}")
    L.append(f"nextpnr: {args.tool}")
    if args.synth_tool:
        L.append(f"synthesis: {args.synth_tool} (scripts/synth/synth.sh --family ecp5)")
    L.append("")
    if ok:
        u = ok[0]["utilisation"]
        lb = ok[0]["lut4_before_packing"]

        def used(k):
            v = u.get(k)
            return f"{v['used']:,} / {v['available']:,} ({100.0 * v['used'] / v['available']:.0f}%)" if v else "0"
        L.append("Utilisation (nextpnr, identical for every seed):")
        if lb.get("total"):
            t, a = lb["total"]
            L.append(f"  LUT4          {t:,} / {a:,} ({100.0 * t / a:.0f}%)  = "
                     f"{lb.get('logic', [0])[0]:,} logic + {lb.get('carry', [0])[0]:,} carry "
                     f"(CCU2C halves) + {lb.get('ram', [0])[0]:,} LUT RAM + "
                     f"{lb.get('ramw', [0])[0]:,} RAM write port")
        L.append(f"  TRELLIS_COMB  {used('TRELLIS_COMB')}  (LUT4 + carry + wide-mux sites after packing)")
        L.append(f"  FF            {used('TRELLIS_FF')}")
        L.append(f"  DSP           {used('MULT18X18D')} MULT18X18D, {used('ALU54B')} ALU54B")
        L.append(f"  BRAM          {used('DP16KD')} DP16KD")
        L.append(f"  LUT RAM       {used('TRELLIS_RAMW')} TRELLIS_RAMW")
        L.append(f"  I/O           {used('TRELLIS_IO')} TRELLIS_IO, {used('DCCA')} DCCA (global clock)")
        L.append("")
        L.append("Fmax per clock domain (post-route, nextpnr's timing analysis):")
        for c in clocks:
            v = fmax[c]
            per = ", ".join(f"seed {s}: {m:.2f}" for s, m in v["per_seed"].items())
            verdict = "PASS" if v["min"] >= float(args.freq) else "FAIL"
            L.append(f"  {c:12s} min {v['min']:.2f} / median {v['median']:.2f} / max {v['max']:.2f} MHz"
                     f"  [{verdict} at {args.freq} MHz]  ({per})")
        L.append("")
        L.append("I/O paths (not constrained; pins placed by nextpnr, so only indicative):")
        for k in sorted({k for r in ok for k in r["async"]}):
            vals = [r["async"][k] for r in ok if k in r["async"]]
            L.append(f"  {k:24s} max delay {min(vals):.2f} - {max(vals):.2f} ns")
        L.append("")
    for r in runs:
        if not r["ok"]:
            L.append(f"seed {r['seed']}: FAILED (see seed{r['seed']}/nextpnr.log)")
            continue
        est = r["fmax_log"]
        est_txt = ", ".join(f"{c} placed {v[0]:.2f} -> routed {v[-1]:.2f} MHz"
                            for c, v in est.items() if len(v) >= 2)
        took = f"{r['seconds']:.0f} s wall" if "seconds" in r else "time not recorded"
        L.append(f"seed {r['seed']}: {took}; {est_txt}")
        for p in r["critical_paths"]:
            L.append(f"  critical path {p['from_clock']} -> {p['to_clock']}: {p['delay_ns']:.2f} ns "
                     f"({p['logic_ns']:.2f} logic incl. clk-to-q/setup, {p['routing_ns']:.2f} routing, "
                     f"{p['logic_levels']} logic cells)")
            L.append(f"    from {p['start']}" + (f"  [{p['start_src']}]" if p['start_src'] else ""))
            L.append(f"    to   {p['end']}" + (f"  [{p['end_src']}]" if p['end_src'] else ""))
        if r["paths_file"]:
            L.append(f"  worst endpoints: {r['paths_file']}")
    text = "\n".join(L) + "\n"
    with open(os.path.join(args.out, "summary.txt"), "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
