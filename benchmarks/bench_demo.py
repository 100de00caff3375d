"""Building the demo warehouse at scale 1 and scale 10: rows, time and peak memory.

Issue 2 targets: the default demo (about 50k feedback and 100k survey rows)
is built in under a minute, and ``--scale 10`` works. Each build runs the
real command (``stdeval demo``) in a fresh process, so the peak resident
memory (ru_maxrss of the child) is that build's own. Scale 1 is repeated
and its median quoted; the scale-10 build is quoted beside it with the
ratio of the two, measured in the same run.

Usage::

    .venv/bin/python benchmarks/bench_demo.py                 # scale 1 ×3 and scale 10 ×1
    .venv/bin/python benchmarks/bench_demo.py --repeat 5 --large 5
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
STDEVAL = ROOT / ".venv" / "bin" / "stdeval"


def build(db: Path, scale: float, seed: int) -> dict[str, float]:
    """Run ``stdeval demo`` in a child process; return seconds, peak MB and row counts."""
    db.unlink(missing_ok=True)
    env = {**os.environ, "STDEVAL_DATA_DIR": str(db.parent / "data")}
    started = time.perf_counter()
    subprocess.run(
        [str(STDEVAL), "demo", "--db", str(db), "--scale", str(scale), "--seed", str(seed)],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    con = duckdb.connect(str(db), read_only=True)
    feedback, survey = con.execute(
        "select (select count(*) from feedback), (select count(*) from survey)"
    ).fetchall()[0]
    rejected = con.execute("select coalesce(sum(rows_rejected), 0) from ingest_log").fetchall()[0][
        0
    ]
    con.close()
    # ru_maxrss of children is that of the largest child so far (see main()).
    return {
        "seconds": seconds,
        "peak_mb": peak / 1024,
        "feedback": feedback,
        "survey": survey,
        "rejected": rejected,
    }


def main() -> None:
    """Build the demo warehouses and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds at scale 1")
    parser.add_argument("--large", type=float, default=10.0, help="the large scale")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        small = [build(Path(folder) / "s1.duckdb", 1.0, args.seed) for _ in range(args.repeat)]
        # The large build runs last, so the children's peak memory is its own.
        large = build(Path(folder) / "large.duckdb", args.large, args.seed)
    median = statistics.median(r["seconds"] for r in small)
    first = small[0]
    print(
        f"scale 1: {first['feedback']:,} feedback / {first['survey']:,} survey rows, "
        f"{first['rejected']} rejected; median {median:.1f} s over {args.repeat} builds "
        f"(target < 60 s); peak {max(r['peak_mb'] for r in small):.0f} MB"
    )
    print(
        f"scale {args.large:g}: {large['feedback']:,} feedback / {large['survey']:,} survey rows, "
        f"{large['rejected']} rejected; {large['seconds']:.1f} s "
        f"({large['seconds'] / median:.1f}× scale 1); peak {large['peak_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
