"""An upload from the command line while the dashboard runs shows up on screen within seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from app.i18n import catalogue
from tests.browser.conftest import SCREENSHOTS, metric_value, sign_in, wait_for_run

pytestmark = pytest.mark.browser


def _feedback_metric(page) -> int:
    return metric_value(page, catalogue("zh")["home.feedback_total"])


def _new_feedback_rows(demo_warehouse: Path, count: int) -> list[tuple[str, str]]:
    """Site × standard pairs with no 2026-Q1 feedback yet in the demo warehouse."""
    con = duckdb.connect(str(demo_warehouse))
    rows = con.execute(
        "select s.site_id, st.code from pilot_site s cross join standard st"
        " where st.code in (select distinct standard_code from feedback)"
        " and not exists (select 1 from feedback f where f.site_id = s.site_id"
        "   and f.standard_code = st.code and f.period = '2026-Q1')"
        " order by 1, 2 limit ?",
        [count],
    ).fetchall()
    con.close()
    return [(str(a), str(b)) for a, b in rows]


def test_cli_upload_while_serving_appears_on_the_overview(
    served_app, demo_warehouse: Path, page, tmp_path: Path
) -> None:
    sign_in(page, served_app.url, "ministry")
    page.get_by_role("heading", name=catalogue("zh")["overview.title"]).first.wait_for(
        timeout=60_000
    )
    wait_for_run(page)
    before = _feedback_metric(page)

    pairs = _new_feedback_rows(demo_warehouse, 3)
    assert len(pairs) == 3
    lines = [
        "试点单位编号,标准编号,报告期,实施状态,实施覆盖率,适用性,可操作性,清晰度,实施效益,满意度"
    ]
    lines += [
        f"{site},{code},2026年第一季度,实施中,85%,满意,4,4,3,非常满意" for site, code in pairs
    ]
    upload = tmp_path / "反馈表.csv"
    upload.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))

    env = dict(os.environ, STDEVAL_DATA_DIR=str(served_app.data_dir))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "ingest",
            "feedback",
            str(upload),
            "--db",
            str(served_app.db),
            "--json",
            "--wait",
            "60",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "loaded"
    assert result["rows_accepted"] == 3

    # Loaded, but unapproved feedback does not count: an evaluator approves it,
    # from the command line too (a job of the dashboard's queue).
    for site in sorted({site for site, _ in pairs}):
        approved = subprocess.run(
            [sys.executable, "-m", "app.cli", "approvals", "approve", site, "2026-Q1",
             "--db", str(served_app.db)],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert approved.returncode == 0, approved.stderr

    # The page follows new data by itself: no reload, no click.
    page.wait_for_function(
        """([label, expected]) => [...document.querySelectorAll('[data-testid="stMetric"]')]
            .some(m => m.innerText.includes(label)
                 && m.querySelector('[data-testid="stMetricValue"]').innerText
                      .replace(/[^0-9]/g, '') === String(expected))""",
        arg=[catalogue("zh")["home.feedback_total"], before + 3],
        timeout=60_000,  # the 10 s target is measured by benchmarks/bench_readers.py
    )
    assert _feedback_metric(page) == before + 3
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-after-upload.png"))
