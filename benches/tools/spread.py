#!/usr/bin/env python3
"""Runs criterion benches several times and prints each figure's median and spread.

    python3 benches/tools/spread.py RUNS BENCH [BENCH...]      e.g. 3 lookup set
    python3 benches/tools/spread.py --from target/criterion/spread.json   (the last run again)

Each run is `cargo bench --bench BENCH`; after it, every `target/criterion/GROUP/ID/new/
estimates.json` gives that run's median. The table shows, per figure, the median of the runs'
medians and the lowest and highest, and, for the lookup groups, the ratio of each jar figure to
the floor of the same run (median and range of the per-run ratios)."""
import json
import os
import statistics
import subprocess
import sys
import time

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
crit = os.path.join(root, "target", "criterion")


def medians(since):
    """Every figure criterion wrote after `since` (older directories are earlier benches')."""
    out = {}
    for dirpath, _dirs, files in os.walk(crit):
        if "estimates.json" in files and dirpath.endswith(os.path.join("", "new")):
            path = os.path.join(dirpath, "estimates.json")
            if os.path.getmtime(path) < since:
                continue
            rel = os.path.relpath(os.path.dirname(dirpath), crit)
            with open(path) as f:
                out[rel] = json.load(f)["median"]["point_estimate"]
    return out


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns" if ns >= 100 else f"{ns:.1f} ns"


def main():
    if sys.argv[1] == "--from":
        # Print the tables of an earlier run again from its saved figures.
        with open(sys.argv[2]) as f:
            per_run = json.load(f)
        report(per_run, save=False)
        return
    runs = int(sys.argv[1])
    benches = sys.argv[2:]
    per_run = []
    for r in range(runs):
        since = time.time()
        for b in benches:
            subprocess.run(["cargo", "bench", "-q", "--bench", b], cwd=root, check=True,
                           stdout=subprocess.DEVNULL)
        per_run.append(medians(since))
        print(f"run {r + 1} of {runs} done", file=sys.stderr)
    report(per_run, save=True)


def report(per_run, save):
    keys = sorted(set().union(*per_run))
    print("| figure | median of runs | lowest | highest |")
    print("|---|---:|---:|---:|")
    for k in keys:
        v = [m[k] for m in per_run if k in m]
        print(f"| `{k}` | {fmt(statistics.median(v))} | {fmt(min(v))} | {fmt(max(v))} |")
    print()
    print("| ratio to the floor (same run) | median | lowest | highest |")
    print("|---|---:|---:|---:|")
    for k in keys:
        parts = k.split(os.sep)
        if len(parts) != 3 or not parts[0].startswith("lookup") or parts[1] == "floor":
            continue
        floor = os.sep.join([parts[0], "floor", parts[2]])
        v = [m[k] / m[floor] for m in per_run if k in m and floor in m]
        if v:
            print(f"| `{k}` / floor | {statistics.median(v):.2f}× | {min(v):.2f}× | {max(v):.2f}× |")
    if save:
        with open(os.path.join(crit, "spread.json"), "w") as f:
            json.dump(per_run, f, indent=1)


if __name__ == "__main__":
    main()
