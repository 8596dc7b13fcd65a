#!/usr/bin/env python3
"""Tests of boards/common/router_watch.py: the rule on router2 count sequences from real
ECPIX-5 runs, and the live watcher stopping (or leaving alone) a process that writes a log."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import router_watch  # noqa: E402  (the module under test)

WATCH = os.path.join(os.path.dirname(HERE), "router_watch.py")

# Router2's overused-wire counts of two real ECPIX-5 runs (docs/boards.md),
# every iteration as nextpnr logged it.
# Session 9, seed 1: routed at iteration 113 after 35 iterations at 1-8 overused wires.
ROUTED = [57849, 36525, 23778, 15714, 11204, 8005, 6328, 4722, 3506, 2866, 2310, 1804,
          1510, 1211, 1040, 905, 728, 617, 526, 476, 424, 347, 338, 277, 275, 263, 229,
          202, 188, 141, 123, 126, 114, 106, 98, 125, 86, 67, 68, 74, 66, 60, 58, 52,
          58, 48, 61, 47, 47, 48, 40, 35, 48, 32, 31, 26, 27, 25, 21, 18, 19, 18, 16,
          15, 11, 18, 14, 12, 14, 14, 8, 4, 3, 6, 5, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
          1, 2, 4, 4, 6, 8, 5, 4, 3, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 1, 1, 2, 2, 0]
# Session 10, seed 3: minimum 69 at iteration 73, then rising to 11,471 at 115.
DIVERGED = [57121, 34800, 22444, 14961, 10710, 8088, 6247, 4881, 4060, 3338, 2715, 2272,
            1884, 1590, 1456, 1228, 1017, 890, 764, 610, 528, 472, 414, 380, 319, 305,
            293, 251, 262, 233, 240, 235, 235, 205, 179, 155, 159, 138, 146, 135, 112,
            109, 116, 103, 105, 95, 108, 104, 96, 93, 74, 90, 70, 94, 89, 110, 103, 94,
            112, 106, 99, 88, 82, 80, 82, 75, 87, 83, 85, 88, 70, 71, 69, 81, 86, 100,
            97, 112, 132, 135, 133, 143, 150, 173, 191, 199, 226, 240, 256, 255, 281,
            337, 335, 369, 412, 458, 485, 603, 763, 888, 945, 1129, 1287, 1453, 1886,
            2374, 2881, 3469, 4190, 5136, 6271, 7531, 8705, 10122, 11471]


def numbered(counts):
    return [(i + 1, n) for i, n in enumerate(counts)]


def first_stop(counts, stall=15):
    seq = numbered(counts)
    for i in range(1, len(seq) + 1):
        hit = router_watch.stalled(seq[:i], stall)
        if hit:
            return hit
    return None


def log_text(counts):
    return "".join(f"Info:     iter={i} wires=700000 overused={n} overuse={n + 5} archfail=NA\n"
                   for i, n in numbered(counts))


class Rule(unittest.TestCase):
    def test_a_run_that_routes_is_never_stopped(self):
        self.assertEqual(len(ROUTED), 113)
        self.assertIsNone(first_stop(ROUTED))

    def test_a_diverging_run_stops_fifteen_iterations_after_its_minimum(self):
        self.assertEqual(DIVERGED.index(69) + 1, 73)
        best, best_iter, last_iter, last = first_stop(DIVERGED)
        self.assertEqual((best, best_iter), (69, 73))
        # 1.25 * 69 + 100 = 186.25: the first count at or above it, 15 or more iterations on
        self.assertEqual((last_iter, last), (88, 240))

    def test_stall_length_is_honoured(self):
        self.assertEqual(first_stop(DIVERGED, stall=25)[2], 98)
        self.assertIsNone(first_stop(DIVERGED[:90], stall=25))

    def test_a_rise_of_less_than_the_margin_is_not_a_stall(self):
        counts = [5000, 400] + [400 + 99 + 100] * 30   # 499 < 1.25 * 400 + 100 = 600
        self.assertIsNone(first_stop(counts))
        self.assertIsNotNone(first_stop([5000, 400] + [600] * 30))

    def test_log_lines_are_parsed(self):
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
            f.write("Info: Routing with router2\n" + log_text(DIVERGED[:5]))
        try:
            self.assertEqual(router_watch.read_counts(f.name), numbered(DIVERGED[:5]))
        finally:
            os.unlink(f.name)
        self.assertEqual(router_watch.read_counts("/nonexistent/nextpnr.log"), [])

    def test_check_mode_on_a_finished_log(self):
        with tempfile.TemporaryDirectory() as d:
            for counts, rc, text in ((DIVERGED, 0, "minimum 69 overused wires at iteration 73"),
                                     (ROUTED, 1, "rule not met")):
                log = os.path.join(d, "nextpnr.log")
                with open(log, "w") as f:
                    f.write(log_text(counts))
                r = subprocess.run([sys.executable, WATCH, "--check", "--log", log],
                                   capture_output=True, text=True)
                self.assertEqual(r.returncode, rc, r.stdout + r.stderr)
                self.assertIn(text, r.stdout)


WRITER = """
import sys, time
counts = [int(x) for x in sys.argv[2].split(',')]
with open(sys.argv[1], 'a') as f:
    for i, n in enumerate(counts):
        f.write(f'Info:     iter={i + 1} wires=1 overused={n} overuse={n} archfail=NA\\n')
        f.flush()
        time.sleep(0.01)
time.sleep(float(sys.argv[3]))
"""


class Live(unittest.TestCase):
    def run_watched(self, counts, linger):
        with tempfile.TemporaryDirectory() as d:
            log, verdict = os.path.join(d, "nextpnr.log"), os.path.join(d, "stall.txt")
            # the "nextpnr": its own process group, as build_board.sh starts it
            proc = subprocess.Popen([sys.executable, "-c", WRITER, log,
                                     ",".join(map(str, counts)), str(linger)],
                                    start_new_session=True)
            watch = subprocess.Popen([sys.executable, WATCH, "--log", log, "--pid",
                                      str(proc.pid), "--verdict", verdict, "--poll", "0.05"])
            try:
                rc = proc.wait(timeout=60)
                self.assertEqual(watch.wait(timeout=30), 0)
            finally:
                for p in (proc, watch):
                    if p.poll() is None:
                        os.killpg(proc.pid, signal.SIGKILL) if p is proc else p.kill()
                        p.wait()
            text = ""
            if os.path.exists(verdict):
                with open(verdict) as f:
                    text = f.read()
            return rc, text

    def test_a_stalled_router_is_stopped_and_the_verdict_written(self):
        t0 = time.monotonic()
        rc, text = self.run_watched(DIVERGED, linger=600)
        self.assertEqual(rc, -signal.SIGTERM)
        self.assertLess(time.monotonic() - t0, 60)
        self.assertIn("minimum 69 overused wires at iteration 73", text)

    def test_a_converging_router_is_left_to_finish(self):
        rc, text = self.run_watched(ROUTED, linger=0.5)
        self.assertEqual(rc, 0)
        self.assertEqual(text, "")


if __name__ == "__main__":
    unittest.main()
