#!/usr/bin/env python3
"""Flatten a board file list (one source per line, `//` comments, `-f other.f` includes,
paths relative to the repository root) into the list of sources, in order.

A later file with the same base name replaces an earlier one in its place: a board lists
`-f boards/common/rtl/fpga_core.f` and then `boards/prim_ecp5/ebpf_prim_iddr.sv`, and the
ECP5 primitive takes the generic model's place. A package listed twice is kept once.
Prints one absolute path per line; exits 1 naming the file list and line of a missing file.

With --rtl-from-head DIR, the sources under rtl/ are taken from the last commit (git HEAD)
and written under DIR (their paths printed instead): in a checkout shared with engineers who
are editing rtl/, a board build or lint never sees a half-edited file. The environment
variable EBPF_BOARD_RTL_REV names another commit to take them from.
"""
import os
import subprocess
import sys


HEAD_RTL = False   # --rtl-from-head: rtl/ file lists and sources as committed
RTL_REV = os.environ.get("EBPF_BOARD_RTL_REV", "HEAD")   # the commit they are taken from


def under_rtl(root, path):
    return os.path.relpath(path, root).startswith("rtl" + os.sep)


def git_show(root, path):
    rel = os.path.relpath(path, root)
    try:
        return subprocess.run(["git", "-C", root, "show", f"{RTL_REV}:{rel}"], check=True,
                              capture_output=True).stdout
    except subprocess.CalledProcessError:
        return None


def walk(path, root, seen_lists, out):
    real = os.path.realpath(path)
    if real in seen_lists:
        sys.exit(f"flatten_filelist: {path}: included twice (loop?)")
    seen_lists.add(real)
    if HEAD_RTL and under_rtl(root, path):
        text = git_show(root, path)
        if text is None:
            sys.exit(f"flatten_filelist: {os.path.relpath(path, root)} is not in commit {RTL_REV}")
        lines = text.decode().splitlines()
    else:
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
        if HEAD_RTL and under_rtl(root, src):
            out.append(src)               # checked (and exported) by from_head()
            continue
        if not os.path.isfile(src):
            sys.exit(f"flatten_filelist: {path}:{n}: no such file: {line}")
        out.append(src)


def from_head(root, src, snap):
    rel = os.path.relpath(src, root)
    if not under_rtl(root, src):
        return src
    text = git_show(root, src)
    if text is None:
        sys.exit(f"flatten_filelist: {rel} is not in commit {RTL_REV}")
    dst = os.path.join(snap, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "wb") as f:
        f.write(text)
    return dst


def main():
    args = sys.argv[1:]
    snap = None
    global HEAD_RTL
    if len(args) == 4 and args[0] == "--rtl-from-head":
        snap = os.path.abspath(args[1])
        HEAD_RTL = True
        args = args[2:]
    if len(args) != 2:
        sys.exit("usage: flatten_filelist.py [--rtl-from-head DIR] ROOT FILELIST")
    root, top = os.path.abspath(args[0]), args[1]
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
        print(from_head(root, s, snap) if snap else s)


if __name__ == "__main__":
    main()
