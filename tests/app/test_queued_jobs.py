"""Jobs share the files' queue: whichever process is the writer runs them, in receipt order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from app.job_kinds import SCORE
from etl.inbox import pending, submit_job
from etl.outbox import read_result
from tests.etl.fixtures.warehouse import build

ROOT = Path(__file__).resolve().parents[2]


def test_a_scoring_job_left_in_the_queue_is_run_by_the_next_ingest_before_its_file(
    tmp_path: Path,
) -> None:
    db = build(tmp_path / "w.duckdb")
    data_dir = tmp_path / "var"
    landing = data_dir / "landing"
    # A `stdeval score` queued its run, then was interrupted before any writer came.
    job = submit_job(
        SCORE, {"replicates": 0, "by": "tester"}, landing=landing, warehouse=db, lang="en"
    )
    upload = tmp_path / "f.csv"
    upload.write_bytes(
        "试点单位编号,标准编号,报告期\r\nS001,GB/T 22239-2019,2024-Q1\r\n".encode("gbk")
    )
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", "feedback", str(upload), "--db", str(db)]
        + ["--json"],
        cwd=ROOT,
        env=dict(os.environ, STDEVAL_DATA_DIR=str(data_dir)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["status"] == "loaded"
    result = read_result(job.request_id, landing)
    assert result is not None and result["status"] == "done"
    assert pending(landing) == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        (run_id, created_by) = con.execute("select run_id, created_by from score_run").fetchone()
        assert (run_id, created_by) == (result["summary"]["run_id"], "tester")
        # Receipt order: the run (received first) was stored before the file was loaded.
        (stored_first,) = con.execute(
            "select r.created_at < l.finished_at from score_run r, ingest_log l"
            " where l.file_name = 'f.csv'"
        ).fetchone()
        assert stored_first is True
    finally:
        con.close()
