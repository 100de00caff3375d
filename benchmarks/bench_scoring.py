"""Full scoring with and without bootstrap intervals over a demo warehouse: time and memory.

Issue 4 target: full scoring (every standard, every year and overall, 1,000
replicates) over the ``--scale 10`` demo warehouse (about 500k feedback and
1M survey rows) in under 30 s on the 2-core machine. Each measurement runs
in a fresh Python process so that its peak resident memory (ru_maxrss) is
its own; the first, cold run (the warehouse file not yet in the OS cache)
is reported apart from the median of the warm ones.

Usage::

    .venv/bin/python benchmarks/bench_scoring.py                # scale 10, 1,000 replicates
    .venv/bin/python benchmarks/bench_scoring.py --scale 1 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(db: Path, replicates: int) -> dict[str, float]:
    """One scoring in this process: seconds and peak memory."""
    import duckdb

    from metrics.request import ScoreRequest
    from metrics.scope import Scope
    from metrics.scores import compute_scores

    con = duckdb.connect(str(db), read_only=True)
    started = time.perf_counter()
    outcome = compute_scores(con, ScoreRequest(scope=Scope.everything(), replicates=replicates))
    seconds = time.perf_counter() - started
    con.close()
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cells": outcome.results.filter(outcome.results["item"] == "score").height,
        **outcome.summary(),
    }


def child(db: Path, replicates: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--db", str(db), "--replicates", str(replicates)],
        check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_demo(db: Path, scale: float) -> None:
    if db.exists():
        return
    from etl.demo import build_demo

    print(f"building the demo warehouse at scale {scale} in {db} …", flush=True)
    started = time.perf_counter()
    summary = build_demo(db, scale=scale)
    print(f"  built in {time.perf_counter() - started:.0f} s: "
          f"{summary.rows['feedback']:,} feedback, {summary.rows['survey']:,} survey rows")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument(
        "--db", type=Path, default=None, help="warehouse (default var/bench/demo-scale<S>.duckdb)"
    )
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per mode")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    db = args.db or ROOT / "var" / "bench" / f"demo-scale{args.scale:g}.duckdb"
    if args.child:
        print(json.dumps(measure(db, args.replicates)))
        return

    db.parent.mkdir(parents=True, exist_ok=True)
    ensure_demo(db, args.scale)
    print(f"warehouse {db}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    rows = []
    for label, replicates in (
        ("without intervals", 0),
        (f"{args.replicates} replicates", args.replicates),
    ):
        cold = child(db, replicates)
        warm = [child(db, replicates) for _ in range(args.repeat)]
        seconds = [w["seconds"] for w in warm]
        rows.append(
            (label, cold["seconds"], statistics.median(seconds), min(seconds), max(seconds),
             max(w["peak_mb"] for w in [cold, *warm]), warm[0])
        )  # fmt: skip
    print(f"\n{'mode':<20} {'first run':>10} {'median':>8} {'min':>7} {'max':>7} {'peak RSS':>10}")
    for label, cold, median, low, high, peak, _ in rows:
        print(
            f"{label:<20} {cold:>9.1f}s {median:>7.1f}s {low:>6.1f}s {high:>6.1f}s {peak:>8.0f} MB"
        )
    info = rows[-1][-1]
    print(f"\ncells scored {info['cells']}, standards {info['n_standards']}, scored {info['n_scored']}, "
          f"insufficient {info['n_insufficient']}")  # fmt: skip
    verdict = "met" if rows[-1][2] < 30 else "NOT met"
    print(f"target < 30 s with {args.replicates} replicates (median): {verdict}")


if __name__ == "__main__":
    main()
