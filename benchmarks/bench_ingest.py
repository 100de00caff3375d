"""Benchmark: ingest a 1,000,000-row GB18030 feedback CSV with Chinese headers end to end.

Compares, in the same run, the full pipeline (land the bytes, decode
GB18030, find the header, map it, normalise, validate, upsert by key into
the warehouse, ingest log) with a bare ``CREATE TABLE AS SELECT * FROM
read_csv(...)`` of the same rows saved as UTF-8. Each measurement runs in a
fresh child process (fresh warehouse copy, fresh landing folder) so peak
memory can be read per run; the report gives the medians of ``--runs``
runs side by side, the ratio (target <= 3x) and the peak RSS (target < 2 GB).

    .venv/bin/python benchmarks/bench_ingest.py [--rows 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADERS_ZH = [
    "试点单位编号",
    "标准编号",
    "报告期",
    "实施状态",
    "实施覆盖率",
    "适用性",
    "可操作性",
    "清晰度",
    "实施效益",
    "满意度",
    "实施前安全事件数",
    "实施后安全事件数",
    "实施成本（万元）",
    "存在问题",
    "修改建议",
]


def make_data(folder: Path, rows: int) -> dict[str, str]:
    """Write the warehouse (catalogue + sites) and the same rows as GB18030 and as UTF-8."""
    import numpy as np
    import polars as pl

    from etl.warehouse import connect, init_warehouse

    db = folder / "warehouse.duckdb"
    init_warehouse(db)
    con = connect(db)
    codes = [r[0] for r in con.execute("select code from standard order by code").fetchall()][:200]
    n_sites = -(-rows // (len(codes) * 4))
    sites = [f"S{i:05d}" for i in range(n_sites)]
    con.execute("insert into pilot_program (program_id, name) values ('P1', '基准测试试点')")
    con.execute(
        "insert into pilot_site (site_id, program_id, name) select unnest(?), 'P1', '单位'", [sites]
    )
    con.execute("checkpoint")
    con.close()

    rng = np.random.default_rng(20240508)
    i = np.arange(rows)
    quarter = i // (n_sites * len(codes))
    periods = np.array(
        [["2023-Q1", "2023年第二季度", "2023Q3", "2023年4季度"][q % 4] for q in range(4)]
    )
    likert_words = np.array(["1", "2", "3", "4", "5", "非常满意", "满意", "一般", "不满意", "同意"])
    statuses = np.array(["未启动", "实施中", "已完成"])
    problems = np.array(
        [
            "部分条款难以落地，需要配套指南",
            "测评机构理解不一致",
            "",
            "成本较高",
            "与行业标准存在交叉",
            "",
        ]
    )
    frame = pl.DataFrame(
        {
            "site": np.array(sites)[i % n_sites],
            "code": np.array(codes)[(i // n_sites) % len(codes)],
            "period": periods[quarter % 4],
            "status": statuses[rng.integers(0, 3, rows)],
            "coverage": np.char.add(
                rng.integers(0, 101, rows).astype(str), np.where(rng.random(rows) < 0.5, "%", "")
            ),
            **{f"q{k}": likert_words[rng.integers(0, 10, rows)] for k in range(5)},
            "before": rng.integers(0, 20, rows).astype(str),
            "after": rng.integers(0, 20, rows).astype(str),
            "cost": np.round(rng.random(rows) * 50, 2).astype(str),
            "problems": problems[rng.integers(0, len(problems), rows)],
            "suggestions": problems[rng.integers(0, len(problems), rows)],
        }
    )
    frame.columns = HEADERS_ZH
    utf8 = folder / "feedback-utf8.csv"
    frame.write_csv(utf8)
    gb = folder / "反馈-1m-gb18030.csv"
    gb.write_bytes(utf8.read_text("utf-8").encode("gb18030"))
    return {"db": str(db), "utf8": str(utf8), "gb18030": str(gb)}


def child_baseline(utf8: str, work: str) -> dict:
    import duckdb

    con = duckdb.connect(str(Path(work) / "bare.duckdb"))
    start = time.perf_counter()
    con.execute("create table feedback_raw as select * from read_csv(?)", [utf8])
    con.close()
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_pipeline(db: str, gb18030: str, work: str) -> dict:
    os.environ["STDEVAL_DATA_DIR"] = str(Path(work) / "var")
    # Imports are outside the timing, as ``import duckdb`` is for the baseline.
    import datasets.headers  # noqa: F401
    import datasets.sources  # noqa: F401
    import datasets.validation  # noqa: F401
    from etl.landing import land
    from etl.uploads import ingest_bytes
    from etl.warehouse import connect

    copy = Path(work) / "w.duckdb"
    shutil.copyfile(db, copy)
    con = connect(copy)
    stages: dict[str, float] = {}
    start = time.perf_counter()
    last = [start]

    def progress(stage: str, done: int, total: int) -> None:
        if done == total:
            now = time.perf_counter()
            stages[stage] = round(now - last[0], 3)
            last[0] = now

    data = Path(gb18030).read_bytes()
    landed = land(data, file_name=Path(gb18030).name)
    stages["land"] = round(time.perf_counter() - start, 3)
    last[0] = time.perf_counter()
    result = ingest_bytes(
        con, "feedback", data, file_name=Path(gb18030).name, sha256=landed.sha256, progress=progress
    )
    seconds = time.perf_counter() - start
    con.close()
    return {
        "seconds": seconds,
        "status": result.status,
        "accepted": result.rows_accepted,
        "rejected": result.rows_rejected,
        "stages": stages,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(kind: str, args: list[str]) -> dict:
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r});"
        f"from benchmarks.bench_ingest import child_{kind};"
        f"print(json.dumps(child_{kind}(*sys.argv[1:])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="stdeval-bench-"))
    try:
        t = time.perf_counter()
        paths = make_data(folder, args.rows)
        size = Path(paths["gb18030"]).stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size:.0f} MB GB18030) in {time.perf_counter() - t:.1f} s"
        )
        bare, full = [], []
        peaks: list[float] = []
        for run in range(1, args.runs + 1):
            work = Path(tempfile.mkdtemp(dir=folder))
            b = run_child("baseline", [paths["utf8"], str(work)])
            p = run_child("pipeline", [paths["db"], paths["gb18030"], str(work)])
            peaks.append(p["peak_mb"])
            assert p["status"] == "loaded" and p["accepted"] == args.rows, p
            bare.append(b["seconds"])
            full.append(p["seconds"])
            print(
                f"run {run}: bare CTAS {b['seconds']:.2f} s | pipeline {p['seconds']:.2f} s "
                f"(ratio {p['seconds'] / b['seconds']:.2f}x, peak {p['peak_mb']:.0f} MB) "
                f"stages {p['stages']}"
            )
            shutil.rmtree(work, ignore_errors=True)
        mb, mf = statistics.median(bare), statistics.median(full)
        peak_mb = max(peaks)
        print()
        print(f"{'':28}{'median s':>10}")
        print(f"{'bare CTAS read_csv (UTF-8)':28}{mb:>10.2f}")
        print(f"{'stdeval ingest (GB18030)':28}{mf:>10.2f}")
        print(f"ratio {mf / mb:.2f}x (target <= 3x): {'OK' if mf / mb <= 3 else 'ABOVE TARGET'}")
        print(
            f"peak RSS of the pipeline process {peak_mb:.0f} MB (target < 2048 MB): "
            f"{'OK' if peak_mb < 2048 else 'ABOVE TARGET'}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"files kept in {folder}")


if __name__ == "__main__":
    main()
