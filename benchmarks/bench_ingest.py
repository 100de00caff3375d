"""Benchmark: ingest a 1,000,000-row GB18030 feedback CSV with Chinese headers end to end.

Compares, in the same run, the full pipeline (land the bytes, decode
GB18030, find the header, map it, normalise, validate, upsert by key into
the warehouse, ingest log, commit) with a bare ``CREATE TABLE AS SELECT *
FROM read_csv(...)`` of the same rows saved as UTF-8 into a database file.

The warehouse is a copy of the scale-1 demo warehouse (plus the sites the
rows cite) in which a share of the file's keys is already stored (an
earlier version of the same rows, loaded untimed): ``--existing 0,0.01,1``
measures 0 %, 1 % and 100 % of the keys replaced. Each measurement runs in a
fresh child process (fresh warehouse copy, fresh landing folder) so peak
memory can be read per run; the report gives, per share, the medians of
``--runs`` runs side by side, the ratio (target <= 3x; goal 1.5x) and the
peak RSS (target < 2 GB).

    .venv/bin/python benchmarks/bench_ingest.py [--rows 1000000] [--runs 3] [--existing 0,0.01,1]
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
    """Write the warehouse (scale-1 demo + the bench's sites) and the rows as GB18030 and UTF-8.

    Also writes ``previous-gb18030.csv``: the same keys with other values
    (an earlier version), from which the stored share of keys is loaded.
    """
    from etl.demo import build_demo
    from etl.warehouse import connect

    db = folder / "warehouse.duckdb"
    build_demo(db, scale=1.0)
    con = connect(db)
    codes = [r[0] for r in con.execute("select code from standard order by code").fetchall()][:200]
    n_sites = -(-rows // (len(codes) * 4))
    sites = [f"B{i:05d}" for i in range(n_sites)]
    con.execute("insert into pilot_program (program_id, name) values ('PBENCH', '基准测试试点')")
    con.execute(
        "insert into pilot_site (site_id, program_id, name) select unnest(?), 'PBENCH', '单位'",
        [sites],
    )
    con.execute("checkpoint")
    con.close()
    paths = {"db": str(db)}
    for name, seed in (("", 20240508), ("previous-", 20231107)):
        frame = _rows(rows, codes, sites, seed)
        utf8 = folder / f"{name}feedback-utf8.csv"
        frame.write_csv(utf8)
        gb = folder / f"{name}反馈-1m-gb18030.csv"
        gb.write_bytes(utf8.read_text("utf-8").encode("gb18030"))
        paths[f"{name}utf8"] = str(utf8)
        paths[f"{name}gb18030"] = str(gb)
    return paths


def _rows(rows: int, codes: list[str], sites: list[str], seed: int):  # noqa: ANN202 - polars frame
    import numpy as np
    import polars as pl

    n_sites = len(sites)
    rng = np.random.default_rng(seed)
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
    return frame


def child_prepare(db: str, previous_utf8: str, share: str, target: str) -> dict:
    """Copy ``db`` to ``target`` and load (untimed) the first ``share`` of the earlier version."""
    import polars as pl

    from etl.uploads import ingest_bytes
    from etl.warehouse import connect

    shutil.copyfile(db, target)
    frame = pl.read_csv(previous_utf8, infer_schema=False)
    n = round(float(share) * frame.height)
    if n == 0:
        return {"stored": 0}
    data = frame.head(n).write_csv().encode("gb18030")
    con = connect(target)
    result = ingest_bytes(con, "feedback", data, file_name="previous.csv")
    con.execute("checkpoint")
    con.close()
    return {"stored": result.rows_accepted}


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
    before = con.execute("select count(*) from feedback").fetchone()[0]
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
    after = con.execute("select count(*) from feedback").fetchone()[0]
    con.close()
    return {
        "seconds": seconds,
        "status": result.status,
        "replaced": result.rows_replaced,
        "added": after - before,
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
    parser.add_argument(
        "--existing", default="0,0.01,1", help="shares of the file's keys already stored"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    shares = [float(x) for x in args.existing.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="stdeval-bench-"))
    try:
        t = time.perf_counter()
        paths = make_data(folder, args.rows)
        size = Path(paths["gb18030"]).stat().st_size / 1e6
        print(
            f"generated the scale-1 demo warehouse and {args.rows:,} rows "
            f"({size:.0f} MB GB18030) in {time.perf_counter() - t:.1f} s"
        )
        table = []
        for share in shares:
            prepared = str(folder / f"prepared-{share}.duckdb")
            stored = run_child(
                "prepare", [paths["db"], paths["previous-utf8"], str(share), prepared]
            )["stored"]
            bare, full, peaks = [], [], []
            for run in range(1, args.runs + 1):
                work = Path(tempfile.mkdtemp(dir=folder))
                b = run_child("baseline", [paths["utf8"], str(work)])
                p = run_child("pipeline", [prepared, paths["gb18030"], str(work)])
                assert p["status"] == "loaded" and p["accepted"] == args.rows, p
                assert p["replaced"] == stored and p["added"] == args.rows - stored, p
                peaks.append(p["peak_mb"])
                bare.append(b["seconds"])
                full.append(p["seconds"])
                print(
                    f"{share:>5.0%} stored, run {run}: bare CTAS {b['seconds']:.2f} s | "
                    f"pipeline {p['seconds']:.2f} s (ratio {p['seconds'] / b['seconds']:.2f}x, "
                    f"peak {p['peak_mb']:.0f} MB) stages {p['stages']}"
                )
                shutil.rmtree(work, ignore_errors=True)
            Path(prepared).unlink(missing_ok=True)
            table.append(
                (share, stored, statistics.median(bare), statistics.median(full), max(peaks))
            )
        print()
        print(
            f"{'keys stored':>12}{'rows':>10}{'bare CTAS s':>13}{'stdeval s':>11}"
            f"{'ratio':>8}{'peak MB':>9}  target <= 3x, < 2048 MB"
        )
        for share, stored, mb, mf, peak in table:
            ok = "OK" if mf / mb <= 3 and peak < 2048 else "ABOVE TARGET"
            print(
                f"{share:>12.0%}{stored:>10,}{mb:>13.2f}{mf:>11.2f}{mf / mb:>7.2f}x{peak:>9.0f}  {ok}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"files kept in {folder}")


if __name__ == "__main__":
    main()
