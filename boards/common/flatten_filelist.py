#!/usr/bin/env python3
"""Flatten a board file list (one source per line, `//` comments, `-f other.f` includes,
paths relative to the repository root) into the list of sources, in order.

A later file with the same base name replaces an earlier one in its place: a board lists
`-f boards/common/rtl/fpga_core.f` and then `boards/prim_ecp5/ebpf_prim_iddr.sv`, and the
ECP5 primitive takes the generic model's place. A package listed twice is kept once.
Prints one absolute path per line; exits 1 naming the file list and line of a missing file.
"""
import os
import sys


def walk(path, root, seen_lists, out):
    real = os.path.realpath(path)
    if real in seen_lists:
        sys.exit(f"flatten_filelist: {path}: included twice (loop?)")
    seen_lists.add(real)
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        sys.exit(f"flatten_filelist: cannot read {path}: {e.strerror}")
    for n, raw in enumerate(lines, 1):
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-f ") or line.startswith("-F "):
            inc = line[3:].strip()
            walk(inc if os.path.isabs(inc) else os.path.join(root, inc), root, seen_lists, out)
            continue
        if line.startswith("+") or line.startswith("-"):
            sys.exit(f"flatten_filelist: {path}:{n}: option '{line}' not supported here")
        src = line if os.path.isabs(line) else os.path.join(root, line)
        if not os.path.isfile(src):
            sys.exit(f"flatten_filelist: {path}:{n}: no such file: {line}")
        out.append(src)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: flatten_filelist.py ROOT FILELIST")
    root, top = sys.argv[1], sys.argv[2]
    srcs = []
    walk(top, root, set(), srcs)
    result = []
    index = {}
    for s in srcs:
        base = os.path.basename(s)
        if base in index:
            result[index[base]] = s       # replaced in place (or the same file again)
        else:
            index[base] = len(result)
            result.append(s)
    for s in result:
        print(s)


if __name__ == "__main__":
    main()
