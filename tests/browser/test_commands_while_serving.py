"""``stdeval score`` and ``stdeval ingest`` succeed while the dashboard holds the warehouse.

The dashboard (``stdeval serve``, a page open) is the warehouse's one
writer: the commands queue their work and get its result from the
dashboard's worker; they never show a lock error or tell anyone to stop
the dashboard.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.i18n import catalogue
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _command(served_app, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, STDEVAL_DATA_DIR=str(served_app.data_dir))
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args, "--db", str(served_app.db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _no_advice_to_stop(done: subprocess.CompletedProcess) -> None:
    text = done.stdout + done.stderr
    assert "Traceback" not in text and "lock" not in text.lower()
    assert "stop" not in text.lower() and "停止" not in text


def test_score_and_ingest_succeed_while_the_dashboard_holds_the_warehouse(
    served_app, page, tmp_path: Path
) -> None:
    sign_in(page, served_app.url, "ministry")  # a reader has the dashboard open
    page.get_by_role("heading", name=catalogue("zh")["overview.title"]).first.wait_for(
        timeout=60_000
    )

    scored = _command(served_app, "score", "--replicates", "0", "--json")
    assert scored.returncode == 0, scored.stderr
    _no_advice_to_stop(scored)
    summary = json.loads(scored.stdout.strip().splitlines()[-1])
    assert summary["run_id"] and summary["n_scored"] > 0
    assert "the scoring run is queued there" in scored.stderr

    lines = ["试点单位编号,标准编号,报告期,实施状态", "S-NOT-A-SITE,GB/T 22239-2019,2025-Q4,实施中"]
    upload = tmp_path / "一行.csv"
    upload.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    ingested = _command(served_app, "ingest", "feedback", str(upload), "--json", "--lang", "en")
    assert ingested.returncode == 0, ingested.stderr
    _no_advice_to_stop(ingested)
    result = json.loads(ingested.stdout.strip().splitlines()[-1])
    assert result["status"] == "loaded" and result["rows_rejected"] == 1
