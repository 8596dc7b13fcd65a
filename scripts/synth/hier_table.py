#!/usr/bin/env python3
"""Per-module resource table (Markdown) from a hierarchical Yosys `stat -json` (synth_ecp5
-noflatten after read_slang --best-effort-hierarchy, e.g. boards/common/build_board.sh --hier).

    scripts/synth/hier_table.py STAT.json '\\TOP' [DEPTH]

Each row counts the module with everything below it; the last column is the logic of the
module itself (LUT4 + 2 x CCU2C, the slots nextpnr counts). Three or more instances of one
module under a parent are shown as one row.
"""
import json,sys
st=json.load(open(sys.argv[1])); mods=st["modules"]
top=sys.argv[2]; depth=int(sys.argv[3]) if len(sys.argv) > 3 else 2
def cells(m): return mods[m].get("num_cells_by_type",{})
def own(m):
    c=cells(m)
    return dict(lut=c.get("LUT4",0),ccu=c.get("CCU2C",0),ff=sum(v for k,v in c.items() if k.startswith("TRELLIS_FF")),
                bram=c.get("DP16KD",0),lutram=c.get("TRELLIS_DPR16X4",0),dsp=c.get("MULT18X18D",0))
def children(m): return [("\\"+k,v) for k,v in cells(m).items() if "\\"+k in mods]
memo={}
def total(m):
    if m in memo: return memo[m]
    t=own(m)
    for k,v in children(m):
        for x,y in total(k).items(): t[x]+=v*y
    memo[m]=t; return t
def w(t): return t["lut"]+2*t["ccu"]
print("| module (instance) | LUT4 | CCU2C | LUT4 + 2 x CCU2C | FF | DPR16X4 | DP16KD | MULT18X18D | of which in the module itself |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
def walk(group, d):
    # group: list of module names (same type), shown as one row with count
    n=len(group); m=group[0]
    t={k:0 for k in total(m)}; o={k:0 for k in own(m)}
    for g in group:
        for k,v in total(g).items(): t[k]+=v
        for k,v in own(g).items(): o[k]+=v
    modname=m.split("$")[0].lstrip("\\")
    inst=m.split("$")[-1].split(".")[-1] if "$" in m else m.lstrip("\\")
    label=f"{modname} (`{inst}`)" if n==1 else f"{n} x {modname}"
    print(f"| {'. '*d}{label} | {t['lut']:,} | {t['ccu']:,} | {w(t):,} | {t['ff']:,} | {t['lutram']} | {t['bram']} | {t['dsp']} | {w(o):,} |")
    if d<depth:
        kids={}
        for g in group:
            for k,v in children(g):
                key=(k.split("$")[0], k.split("$")[-1].split(".")[-1]) if n==1 else (k.split("$")[0],)
                kids.setdefault(key,[]).append(k)
        # merge identical module types with 3+ instances
        merged={}
        for key,lst in kids.items():
            mk=key[0]
            merged.setdefault(mk,[]).append(lst)
        rows=[]
        for mk,lsts in merged.items():
            if len(lsts)>=3 or n>1: rows.append(sum(lsts,[]))
            else: rows.extend(lsts)
        for r in sorted(rows,key=lambda r:-sum(w(total(x)) for x in r)):
            walk(r,d+1)
walk([top],0)
