#!/usr/bin/env python3
"""Worst register-to-register paths of a routed ECP5 design, per endpoint group.

nextpnr prints one critical path per clock pair; to see what else limits Fmax this script
redoes the setup analysis from the SDF that nextpnr writes (--sdf: every cell delay,
clock-to-out and setup time of the placed design and every routed net delay, in ps) and lists
the worst endpoint of each group of endpoints (a register or memory, bit indices dropped), with
its startpoint, delay, logic depth and the hierarchy the path passes through.

    sdf_paths.py --sdf run/top.sdf [--netlist synth/top.json] [--freq 100] [--count 10]

Single clock, posedge only (what ebpf_top has); clock skew is taken from the routed clock net
delays to each clock pin; I/O pads are neither start- nor endpoints. The worst path found must
equal nextpnr's own critical path: the script prints both so that the check is visible.
"""
import argparse
import collections
import json
import re
import sys

TOKEN = re.compile(r'\(|\)|"[^"]*"|[^\s()"]+')
UNESC = re.compile(r"\\(.)")


def unescape(s):
    return UNESC.sub(r"\1", s)


def parse_sexpr(text):
    stack, cur = [], []
    for m in TOKEN.finditer(text):
        t = m.group(0)
        if t == "(":
            stack.append(cur)
            cur = []
        elif t == ")":
            done, cur = cur, stack.pop()
            cur.append(done)
        else:
            cur.append(t)
    return cur[0] if cur else []


def delay_max(triples):
    """[['1:2:3'], ['4:5:6']] -> 6 (ps): the max of the rise and fall maxima."""
    vals = []
    for t in triples:
        if isinstance(t, list) and t and isinstance(t[0], str):
            vals.append(float(t[0].split(":")[-1]))
    return max(vals) if vals else 0.0


def split_pin(s):
    """'cell\\.name/PORT' -> ('cell.name', 'PORT'): the divider is the last unescaped '/'."""
    i = len(s) - 1
    while i >= 0:
        if s[i] == "/" and (i == 0 or s[i - 1] != "\\"):
            return unescape(s[:i]), unescape(s[i + 1:])
        i -= 1
    return unescape(s), ""


def load_sdf(path):
    with open(path) as f:
        tree = parse_sexpr(f.read())
    celltype = {}
    comb = []          # (from_pin, to_pin, ps): cell delays and routed interconnect
    clk2q = []         # (clock_pin, out_pin, ps)
    setup = {}         # data_pin -> (clock_pin, ps)
    clock_ports = collections.defaultdict(set)   # cell -> its clock ports (from the checks)
    iopaths = []
    for cell in tree:
        if not (isinstance(cell, list) and cell and cell[0] == "CELL"):
            continue
        ctype = inst = None
        for item in cell[1:]:
            if not isinstance(item, list) or not item:
                continue
            if item[0] == "CELLTYPE":
                ctype = item[1].strip('"')
            elif item[0] == "INSTANCE":
                inst = unescape(item[1]) if len(item) > 1 else ""
            elif item[0] == "DELAY":
                for absolute in item[1:]:
                    for d in absolute[1:]:
                        if d[0] == "INTERCONNECT":
                            comb.append((split_pin(d[1]), split_pin(d[2]), delay_max(d[3:])))
                        elif d[0] == "IOPATH":
                            iopaths.append((inst, unescape(d[1]), unescape(d[2]), delay_max(d[3:])))
            elif item[0] == "TIMINGCHECK":
                for chk in item[1:]:
                    if chk[0] != "SETUPHOLD":
                        continue
                    data = unescape(chk[1][1])
                    clk = unescape(chk[2][1])
                    if chk[2][0] != "posedge":
                        continue
                    # rise triple = setup, fall triple = hold
                    setup[(inst, data)] = ((inst, clk), float(chk[3][0].split(":")[-1]))
                    clock_ports[inst].add(clk)
        if inst:
            celltype[inst] = ctype
    for inst, a, b, ps in iopaths:
        if a in clock_ports.get(inst, ()) or (a.startswith("CLK") and celltype.get(inst) != "DCCA"):
            clk2q.append(((inst, a), (inst, b), ps))
        else:
            comb.append(((inst, a), (inst, b), ps))
    return celltype, comb, clk2q, setup


def group_of(cell):
    """A readable group for a cell: the RTL name its (Yosys autoname) name starts with."""
    n = re.sub(r"(\.\d+)+$", "", cell)                      # BRAM tiles: mem_q.0.5
    m = re.search(r"_(TRELLIS_FF|TRELLIS_COMB|TRELLIS_RAMW|TRELLIS_DPR16X4|LUT4|CCU2C|PFUMX|"
                  r"L6MUX21|DP16KD|MULT18X18D|ALU54B)", n)
    derived = False
    if m:
        head = n[:m.start()]
        # "x_LUT4_Z_3_D_TRELLIS_FF_Q": a register Yosys named after the logic it feeds
        derived = m.group(1) != "TRELLIS_FF" and "_TRELLIS_FF" in n
        n = head
    n = re.sub(r"\$.*$", "", n)
    n = re.sub(r"\[\d+\]$", "", n)
    return n + ("~" if derived else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdf", required=True)
    ap.add_argument("--netlist", default="")
    ap.add_argument("--freq", type=float, default=100.0)
    ap.add_argument("--count", type=int, default=10)
    args = ap.parse_args()
    period = 1e6 / args.freq   # ps

    src = {}
    if args.netlist:
        try:
            with open(args.netlist) as f:
                design = json.load(f)
            for mod in design["modules"].values():
                if mod.get("attributes", {}).get("top"):
                    for name, c in mod.get("cells", {}).items():
                        s = [p for p in c.get("attributes", {}).get("src", "").split("|")
                             if "/share/" not in p]
                        if s:
                            src[name] = re.sub(r"^.*?/(rtl|boards|scripts|tests)/", r"\1/", s[0])
        except (OSError, ValueError, KeyError):
            pass

    celltype, comb, clk2q, setup = load_sdf(args.sdf)
    clock_pins = {cp for cp, _, _ in clk2q} | {cp for cp, _ in setup.values()}

    # Clock arrival at each clock pin: its routed delay from the clock buffer.
    clk_arr = collections.defaultdict(float)
    succ = collections.defaultdict(list)
    indeg = collections.Counter()
    for a, b, ps in comb:
        if b in clock_pins:
            clk_arr[b] = max(clk_arr[b], ps)
            continue
        succ[a].append((b, ps))
        indeg[b] += 1
    for a, b, ps in clk2q:
        succ[a].append((b, ps))
        indeg[b] += 1

    # Longest arrival from any clocked startpoint (Kahn order over the whole graph).
    arrival, pred = {}, {}
    for cp in clock_pins:
        arrival[cp] = clk_arr[cp]
    nodes = set(succ) | set(indeg)
    ready = [n for n in nodes if indeg[n] == 0]
    seen = 0
    while ready:
        n = ready.pop()
        seen += 1
        an = arrival.get(n)
        for m, ps in succ.get(n, ()):
            if an is not None and (m not in arrival or an + ps > arrival[m]):
                arrival[m] = an + ps
                pred[m] = (n, ps)
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    if seen < len(nodes):
        print(f"warning: {len(nodes) - seen} pins on combinational loops were not analysed")

    ends = []
    for pin, (cp, su) in setup.items():
        if pin not in arrival or pin in clock_pins:
            continue
        required = period + clk_arr[cp] - su
        ends.append((required - arrival[pin], pin, arrival[pin] + su - clk_arr[cp]))
    ends.sort()
    if not ends:
        print("no register-to-register paths")
        return

    def trace(pin):
        path = [pin]
        while path[-1] in pred:
            path.append(pred[path[-1]][0])
        return list(reversed(path))

    def describe(pin):
        p = trace(pin)
        start = p[1] if len(p) > 1 and p[0] in clock_pins else p[0]   # the clock-to-out pin
        cells = []
        for c, _ in p:
            if not cells or cells[-1] != c:
                cells.append(c)
        logic = len(cells) - 2
        # Yosys names each LUT after a net next to it, so the hierarchy of the cell names along
        # the path is a hint of where it runs, not a proof.
        via = []
        for c in cells[1:-1]:
            h = group_of(c).rstrip("~")
            h = ".".join(h.split(".")[:-1]) or "(top)"
            if h not in via:
                via.append(h)
        return start, logic, via

    failing = [e for e in ends if e[0] < 0]
    worst = ends[0]
    print(f"clock period {period / 1000:.3f} ns ({args.freq:g} MHz); {len(ends)} register "
          f"endpoints, {len(failing)} failing")
    print(f"worst path {worst[2] / 1000:.3f} ns -> Fmax {1e6 / worst[2]:.2f} MHz "
          f"(compare nextpnr's report.json)")
    groups = collections.OrderedDict()
    fail_count = collections.Counter(group_of(p[0]) for _, p, _ in failing)
    for slack, pin, delay in ends:
        g = group_of(pin[0])
        if g not in groups:
            groups[g] = (slack, pin, delay)
    print()
    print(f"worst {args.count} endpoint groups (a register or memory; '~' = a register Yosys "
          f"named after the logic it feeds, see its source line):")
    for i, (g, (slack, pin, delay)) in enumerate(groups.items()):
        if i >= args.count:
            break
        start, logic, via = describe(pin)
        print(f"{i + 1:2d}. {delay / 1000:6.2f} ns ({1e6 / delay:6.2f} MHz), slack {slack / 1000:+.2f} ns, "
              f"{fail_count.get(g, 0)} failing endpoints in the group")
        print(f"    to   {pin[0]}.{pin[1]}" + (f"  [{src[pin[0]]}]" if pin[0] in src else ""))
        print(f"    from {start[0]}.{start[1]}" + (f"  [{src[start[0]]}]" if start[0] in src else ""))
        print(f"    {logic} cells between them (LUT, wide mux, carry, DSP); "
              f"cell names on the way: {', '.join(via) if via else '-'}")


if __name__ == "__main__":
    sys.exit(main())
