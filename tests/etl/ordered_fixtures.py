"""Versions of the same feedback keys, and checks that the warehouse holds them in receipt order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A, CODE_B, SITES

ROOT = Path(__file__).resolve().parents[2]
HEAD = nasty.FEEDBACK_HEADERS_ZH
PERIODS = [f"{y}-Q{q}" for y in range(2016, 2100) for q in range(1, 5)]


def version_bytes(version: int, keys: range) -> bytes:
    """One file of the rows ``keys`` (site × code × period), marked ``v<version>`` in 修改建议."""
    rows = []
    for i in keys:
        values = dict.fromkeys(HEAD, "")
        values.update(
            {
                "试点单位编号": SITES[i % len(SITES)],
                "标准编号": (CODE_A, CODE_B)[(i // len(SITES)) % 2],
                "报告期": PERIODS[i // (2 * len(SITES))],
                "实施状态": "实施中",
                "适用性": str(1 + version % 5),
                "修改建议": f"v{version}",
            }
        )
        rows.append([values[h] for h in HEAD])
    return nasty.csv_bytes([HEAD, *rows], encoding="gb18030")


def ingest_command(files: list[Path], db: Path, *extra: str) -> list[str]:
    """The ``stdeval ingest`` command line sending ``files`` to ``db`` (JSON lines out)."""
    return [
        sys.executable,
        "-m",
        "app.cli",
        "ingest",
        "feedback",
        *map(str, files),
        "--db",
        str(db),
        "--json",
        "--lang",
        "en",
        *extra,
    ]


def env_for(data_dir: Path) -> dict[str, str]:
    """The environment of a helper process: this checkout first on the path, its data folder."""
    return dict(os.environ, PYTHONPATH=str(ROOT), STDEVAL_DATA_DIR=str(data_dir))


def run_ingest(files: list[Path], db: Path, data_dir: Path) -> subprocess.CompletedProcess:
    """Send ``files`` with ``stdeval ingest`` and wait for it."""
    return subprocess.run(
        ingest_command(files, db),
        cwd=ROOT,
        env=env_for(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )


def table_state(db: Path) -> list[tuple]:
    """The feedback rows as a comparable list (without load timestamps)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select * exclude (loaded_at) from feedback order by site_id, standard_code, period"
        ).fetchall()
    finally:
        con.close()


def check_log_matches_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Each loaded file is all or nothing, and the ingest log and the tables tell the same story.

    A loaded file's accepted rows are either still in ``feedback`` or were
    replaced later (``row_replacement.old_sha256``); no row comes from a
    file the log does not call loaded; files loaded later were received
    later (receipt sequence in load order).
    """
    loaded = con.execute(
        "select sha256, rows_accepted, receipt_seq from ingest_log where source = 'feedback'"
        " and status = 'loaded' order by ingest_id"
    ).fetchall()
    for sha, accepted, _seq in loaded:
        present = con.execute(
            "select count(*) from feedback where source_sha256 = ?", [sha]
        ).fetchone()[0]
        replaced = con.execute(
            "select count(*) from row_replacement where source = 'feedback' and old_sha256 = ?"
            " and new_sha256 <> old_sha256",
            [sha],
        ).fetchone()[0]
        assert present + replaced == accepted, (sha, present, replaced, accepted)
    orphans = con.execute(
        "select count(*) from feedback f where not exists (select 1 from ingest_log l"
        " where l.sha256 = f.source_sha256 and l.status = 'loaded')"
    ).fetchone()[0]
    assert orphans == 0
    seqs = [seq for _sha, _n, seq in loaded if seq is not None]
    assert seqs == sorted(seqs), "a file received earlier was loaded after a later one"
