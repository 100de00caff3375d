"""Benchmark: twelve ``stdeval ingest`` processes started at once against the same files one after another.

The scenario of issue 9: ten GB18030 feedback files of 10,000 rows with
disjoint keys, two of them sent twice (twelve senders). Measured side by
side in one run, each in a fresh copy of the warehouse and a fresh data
folder: the ten files sent one after another (one process each, waiting
for the previous), and the twelve senders started at once. Reports the
medians of ``--runs`` runs, their ratio, the longest single caller's wait,
and checks that both end with the same table and every caller got its own
answer (``loaded``, or ``duplicate`` for a resent file) with no lock error.

    .venv/bin/python benchmarks/bench_concurrent.py [--rows 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import HEADERS_ZH  # noqa: E402
from tests.etl.ordered_fixtures import table_state  # noqa: E402

FILES = 10


def make_data(folder: Path, rows: int) -> tuple[Path, list[Path]]:
    """An initialised warehouse with the sites the rows cite, and the ten files."""
    import polars as pl

    from etl.warehouse import connect, init_warehouse

    db = folder / "warehouse.duckdb"
    init_warehouse(db)
    con = connect(db)
    codes = [r[0] for r in con.execute("select code from standard order by code").fetchall()][:200]
    n_sites = -(-FILES * rows // len(codes))
    sites = [f"B{i:05d}" for i in range(n_sites)]
    con.execute("insert into pilot_program (program_id, name) values ('PBENCH', '基准测试试点')")
    con.execute(
        "insert into pilot_site (site_id, program_id, name) select unnest(?), 'PBENCH', '单位'",
        [sites],
    )
    con.close()
    files = []
    for n in range(FILES):
        keys = range(n * rows, (n + 1) * rows)
        frame = pl.DataFrame(
            {
                "site": [sites[i % n_sites] for i in keys],
                "code": [codes[i // n_sites] for i in keys],
                "period": ["2024-Q1"] * rows,
                "status": ["实施中"] * rows,
                **{f"c{k}": [str(1 + (i + k) % 5) for i in keys] for k in range(1, 6)},
            }
        )
        frame.columns = HEADERS_ZH[: frame.width]
        path = folder / f"反馈-{n}.csv"
        path.write_bytes(frame.write_csv().encode("gb18030"))
        files.append(path)
    return db, files


def _send(files: list[Path], db: Path, data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", "feedback", *map(str, files)]
        + ["--db", str(db), "--json", "--lang", "en"],
        cwd=ROOT,
        env=dict(os.environ, STDEVAL_DATA_DIR=str(data_dir)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _answers(proc: subprocess.Popen) -> list[dict]:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    assert "lock" not in (out + err).lower() and "Traceback" not in err, err
    return [json.loads(line) for line in out.splitlines()]


def serial(db: Path, files: list[Path], work: Path) -> tuple[float, list]:
    copy = work / "serial.duckdb"
    shutil.copyfile(db, copy)
    start = time.perf_counter()
    for path in files:
        (answer,) = _answers(_send([path], copy, work / "var-serial"))
        assert answer["status"] == "loaded", answer
    return time.perf_counter() - start, table_state(copy)


def concurrent(db: Path, files: list[Path], work: Path) -> tuple[float, float, list]:
    copy = work / "concurrent.duckdb"
    shutil.copyfile(db, copy)
    senders = [*files, files[0], files[1]]
    start = time.perf_counter()
    procs = [_send([path], copy, work / "var-concurrent") for path in senders]
    waits = []
    answers = []
    for proc in procs:
        answers += _answers(proc)
        waits.append(time.perf_counter() - start)
    seconds = time.perf_counter() - start
    statuses = sorted(a["status"] for a in answers)
    assert set(statuses) <= {"loaded", "duplicate"} and len(statuses) == len(senders), statuses
    return seconds, max(waits), table_state(copy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="stdeval-bench-conc-"))
    try:
        db, files = make_data(folder, args.rows)
        one, many, longest = [], [], []
        for run in range(1, args.runs + 1):
            work = Path(tempfile.mkdtemp(dir=folder))
            s, serial_state = serial(db, files, work)
            c, wait, concurrent_state = concurrent(db, files, work)
            assert concurrent_state == serial_state, (
                "the concurrent result differs from the serial one"
            )
            one.append(s)
            many.append(c)
            longest.append(wait)
            print(
                f"run {run}: serial {s:.1f} s | 12 at once {c:.1f} s (longest caller {wait:.1f} s)"
            )
            shutil.rmtree(work, ignore_errors=True)
        ms, mc = statistics.median(one), statistics.median(many)
        print()
        print(f"{FILES} files x {args.rows:,} rows, medians of {args.runs} runs")
        print(f"  one after another (10 senders)  {ms:8.1f} s")
        print(f"  at once (12 senders, 2 resends) {mc:8.1f} s  ratio {mc / ms:.2f}x")
        print(f"  longest single caller            {statistics.median(longest):8.1f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
