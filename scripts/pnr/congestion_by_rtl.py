#!/usr/bin/env python3
"""Which RTL the routing congestion of a nextpnr-ecp5 run sits on.

Inputs: a placed design written by nextpnr (`--no-route --write placed.json`) and a router2
congestion map of the same placement (`--json placed.json --top top --no-place
--router2-heatmap PREFIX` writes PREFIX_congestion_by_coordinate_N.csv per iteration).

Yosys' autonamed nets and LUTs are no guide to where logic came from: their names are paths
through neighbouring cells and cross flip-flops and module boundaries freely. So each cell is
attributed through the netlist instead. Flip-flops carry the RTL line that inferred them in
their `src` attribute; block RAMs and DSPs their instance name. Every combinational cell
(LUT, carry) takes the attribution of the nearest such sink it feeds, by a breadth-first walk
backwards from all sinks at once. Each tile's overuse is then shared among the cells placed
in it, in proportion.

usage: congestion_by_rtl.py PLACED_JSON CONGESTION_CSV [--detail FILE_STEM] [--top N]
  --detail  split this RTL file's share by source line (e.g. ebpf_top)
"""
import argparse
import collections
import csv
import json
import re
import sys

SINKS = ("TRELLIS_FF", "DP16KD", "MULT18X18D", "ALU54B", "TRELLIS_RAMW", "TRELLIS_IO",
         "IOLOGIC", "SIOLOGIC")
COMB = ("TRELLIS_COMB", "LUT4", "CCU2C", "PFUMX", "L6MUX21")


def sink_label(name, cell, detail):
    """RTL file (and line, for the detailed file) of a sequential or hard cell, or None."""
    first = cell["attributes"].get("src", "").split("|")[0]
    m = re.search(r"([A-Za-z0-9_]+)\.sv:(\d+)", first)
    if m and "/share/" not in first:
        return m.group(1) + (f":{m.group(2)}" if m.group(1) == detail else "")
    if cell["type"] in ("DP16KD", "MULT18X18D", "ALU54B", "TRELLIS_RAMW"):
        # Memories and DSPs are named after their instance (not autonamed).
        inst = [p for p in name.split(".")[:-2] if p.startswith("u_")]
        return "hard:" + ".".join(inst[-2:])
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("placed", help="placed design (nextpnr --no-route --write)")
    ap.add_argument("congestion_csv", help="router2 PREFIX_congestion_by_coordinate_N.csv")
    ap.add_argument("--detail", default="", help="split this RTL file stem by source line")
    ap.add_argument("--top", type=int, default=25, help="rows to print")
    a = ap.parse_args()

    try:
        design = json.load(open(a.placed))
        grid = [[int(v) for v in row if v != ""] for row in csv.reader(open(a.congestion_csv))]
    except (OSError, ValueError) as e:
        sys.exit(f"congestion_by_rtl.py: error: {e}")
    cells = next(iter(design["modules"].values()))["cells"]

    driver = {}
    for name, c in cells.items():
        for port, d in c.get("port_directions", {}).items():
            if d == "output":
                for bit in c["connections"].get(port, []):
                    driver[bit] = name
    label, queue = {}, collections.deque()
    for name, c in cells.items():
        if c["type"] in SINKS:
            lab = sink_label(name, c, a.detail)
            if lab:
                label[name] = lab
                queue.append(name)
    while queue:
        name = queue.popleft()
        c = cells[name]
        for port, d in c.get("port_directions", {}).items():
            if d != "input":
                continue
            for bit in c["connections"].get(port, []):
                drv = driver.get(bit)
                if drv and drv not in label and cells[drv]["type"] in COMB:
                    label[drv] = label[name]
                    queue.append(drv)

    per_tile = collections.defaultdict(collections.Counter)
    comb = collections.Counter()
    for name, c in cells.items():
        m = re.match(r"X(\d+)/Y(\d+)/", c["attributes"].get("NEXTPNR_BEL", ""))
        if not m:
            continue
        lab = label.get(name, "(unattributed)")
        per_tile[(int(m.group(1)), int(m.group(2)))][lab] += 1
        if c["type"] in COMB:
            comb[lab] += 1
    # The CSV has one row per column X of the device and one entry per row Y.
    share = collections.Counter()
    for x, row in enumerate(grid):
        for y, over in enumerate(row):
            tile = per_tile.get((x, y))
            if over and tile:
                n = sum(tile.values())
                for lab, k in tile.items():
                    share[lab] += over * k / n
    total_share, total_comb = sum(share.values()) or 1, sum(comb.values()) or 1
    print(f"{'RTL (file of the sinks a cell feeds)':44s} {'LUT cells':>9s} {'% cells':>7s} "
          f"{'overuse':>8s} {'% overuse':>9s}")
    for lab, v in share.most_common(a.top):
        print(f"{lab:44s} {comb[lab]:9d} {100 * comb[lab] / total_comb:7.1f} {v:8.0f} "
              f"{100 * v / total_share:9.1f}")


if __name__ == "__main__":
    main()
