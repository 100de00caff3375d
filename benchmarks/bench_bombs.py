"""Benchmark: decompression bombs refused by ``stdeval ingest`` (targets: < 10 s, < 1 GB peak).

Builds XLSX bombs of 3–25 MB that unpack to about 3.5 GB (honest sizes;
sizes that lie; rows that differ, so the file is larger) and, side by side
in the same run, an ordinary 20,000-row workbook. Each is ingested by a
fresh ``stdeval ingest`` child process into a fresh warehouse; the report
gives, per file, its size, the status, the median wall time of ``--runs``
runs and the child's peak RSS.

    .venv/bin/python benchmarks/bench_bombs.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.etl.fixtures import nasty  # noqa: E402
from tests.etl.fixtures.bombs import bomb_xlsx  # noqa: E402

PROBE = """
import resource, runpy, sys
sys.argv = ["stdeval", "ingest", "feedback", "--json", sys.argv[1]]
try:
    runpy.run_module("app.cli", run_name="__main__")
finally:
    print("PEAK", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def ordinary(rows: int) -> bytes:
    head = nasty.FEEDBACK_HEADERS_ZH
    body = [
        [f"S00{i % 4 + 1}", "GB/T 22239-2019", "2024-Q2", "已完成", "80", 4, 4, 4, 4, 4]
        for i in range(rows)
    ]
    return nasty.xlsx_bytes([head[:10], *body])


def measure(path: Path, folder: Path) -> tuple[str, float, float]:
    """(status, seconds, peak MB) of one ingest in a fresh child and a fresh warehouse."""
    env = {
        **os.environ,
        "STDEVAL_DB": str(folder / "w.duckdb"),
        "STDEVAL_DATA_DIR": str(folder / "var"),
    }
    for stale in folder.glob("w.duckdb*"):
        stale.unlink()
    subprocess.run(
        [sys.executable, "-m", "app.cli", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    status = json.loads(done.stdout.splitlines()[-1])["status"] if done.stdout else "crashed"
    peak_kib = int(done.stderr.rsplit("PEAK", 1)[1].split()[0])
    return status, seconds, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = {
        "bomb, honest sizes": bomb_xlsx(3_500_000_000),
        "bomb, lying sizes": bomb_xlsx(3_500_000_000, lie=True),
        "bomb, varied rows": bomb_xlsx(3_500_000_000, noise=150),
        "ordinary 20,000 rows": ordinary(20_000),
    }
    print(f"{'file':24} {'MB':>7} {'status':>9} {'median s':>9} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            path = folder / "upload.xlsx"
            path.write_bytes(data)
            runs = [measure(path, folder) for _ in range(args.runs)]
            seconds = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            print(f"{name:24} {len(data) / 1e6:7.1f} {runs[0][0]:>9} {seconds:9.2f} {peak:8.0f}")


if __name__ == "__main__":
    main()
