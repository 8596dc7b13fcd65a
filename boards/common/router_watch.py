#!/usr/bin/env python3
"""Stop nextpnr's router2 once it has stopped converging.

router2 never gives up on a placement it cannot route: its count of overused wires falls to a
minimum and then climbs for hours (the ECPIX-5 at most seeds, docs/boards.md). This watcher
follows nextpnr's log and, when the count has not reached a new minimum for STALL iterations
and stands at least 25% (plus 100 wires) above that minimum, kills the process group of PID
and writes one line naming the minimum and the last count to VERDICT. build_board.sh then
tries its next seed. A run that is still closing in (the routed ECPIX-5 netlist of session 9
spent 35 iterations at 1-8 overused wires before reaching 0) is never stopped: the margin of
100 wires keeps the rule away from the last few wires.

  router_watch.py --log nextpnr.log --pid PID --verdict FILE [--stall 15] [--poll 10]
"""
import argparse
import os
import re
import signal
import sys
import time

ITER_RE = re.compile(r"iter=(\d+)\s.*?overused=(\d+)")


def stalled(counts, stall):
    """counts: [(iteration, overused)] in log order. Returns (min, min_iter, last) when the
    rule holds, else None."""
    if not counts:
        return None
    best_iter, best = counts[0]
    for it, n in counts:
        if n < best:
            best, best_iter = n, it
    last_iter, last = counts[-1]
    if last_iter - best_iter >= stall and last >= 1.25 * best + 100:
        return best, best_iter, last_iter, last
    return None


def read_counts(path):
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return [(int(m.group(1)), int(m.group(2))) for m in ITER_RE.finditer(text)]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe(hit):
    best, best_iter, last_iter, last = hit
    return (f"router2 stopped converging: minimum {best} overused wires at iteration "
            f"{best_iter}, {last} at iteration {last_iter}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log", required=True, help="nextpnr's log (-l)")
    ap.add_argument("--pid", type=int, help="process group leader to stop")
    ap.add_argument("--verdict", help="file written when the watcher stops it")
    ap.add_argument("--stall", type=int, default=15, help="iterations without a new minimum")
    ap.add_argument("--poll", type=float, default=10.0, help="seconds between looks at the log")
    ap.add_argument("--check", action="store_true",
                    help="apply the rule once to --log (a finished run): print where it would "
                         "have stopped and exit 0, or exit 1 if it would not have")
    args = ap.parse_args()
    if args.stall <= 0:
        sys.exit("router_watch.py: --stall must be positive")
    if args.check:
        counts = read_counts(args.log)
        for i in range(1, len(counts) + 1):
            hit = stalled(counts[:i], args.stall)
            if hit:
                print(describe(hit))
                return 0
        print(f"router_watch.py: {args.log}: {len(counts)} router2 iterations, rule not met")
        return 1
    if args.pid is None or args.verdict is None:
        sys.exit("router_watch.py: --pid and --verdict are required (or --check)")
    while alive(args.pid):
        hit = stalled(read_counts(args.log), args.stall)
        if hit:
            with open(args.verdict, "w") as f:
                f.write(describe(hit) + "\n")
            try:
                os.killpg(args.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            return 0
        time.sleep(args.poll)
    return 0


if __name__ == "__main__":
    sys.exit(main())
