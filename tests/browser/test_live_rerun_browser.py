"""New data wakes an open page where it is: same page, same filters in the URL, same widgets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from playwright.sync_api import expect

from app.i18n import catalogue
from tests.browser.conftest import SCREENSHOTS, ServedApp, sign_in, wait_for_run

pytestmark = pytest.mark.browser
ZH = catalogue("zh")
RUN_SHOWN = ZH["standards.run_caption"].split("{run}")[0]  # "评价运行 "


def _busiest_area(db: Path) -> str:
    """The Chinese name of the priority area with the most standards (its ranking is not empty).

    A bound select box carries its shown label in the URL (``?area=个人信息保护``).
    """
    # Read-write like the other tests of this process (DuckDB refuses a second
    # configuration of one file in a process); nothing is written.
    con = duckdb.connect(str(db))
    try:
        row = con.execute(
            "select a.name_zh from standard s join priority_area a on a.id = s.priority_area"
            " where s.code in (select distinct standard_code from feedback)"
            " group by 1 order by count(*) desc, 1 limit 1"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0])


def _score_from_outside(app: ServedApp) -> str:
    """``stdeval score`` from the command line (queued to the dashboard); return the run id."""
    env = dict(os.environ, STDEVAL_DATA_DIR=str(app.data_dir))
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "score", "--replicates", "0", "--json"]
        + ["--db", str(app.db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout.strip().splitlines()[-1])["run_id"])


def test_a_score_run_from_outside_reruns_the_open_page_with_its_filters_and_widgets(
    own_app: ServedApp, demo_warehouse: Path, page
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    area = _busiest_area(demo_warehouse)
    first = _score_from_outside(own_app)  # the page has a ranking to show
    sign_in(page, own_app.url, "evaluator")
    page.goto(f"{own_app.url}/standards?area={area}", wait_until="domcontentloaded")
    page.get_by_text(re.compile(re.escape(RUN_SHOWN + first))).wait_for(timeout=60_000)
    chosen = page.get_by_text(
        ZH["filters.on"].format(parts=ZH["filters.on_area"].format(name=area))
    )
    chosen.wait_for(timeout=60_000)
    search = page.get_by_label(ZH["standards.search"])
    search.fill("GB/T")
    search.press("Enter")
    page.wait_for_timeout(500)  # the rerun of the typed value starts
    wait_for_run(page)  # and ends

    second = _score_from_outside(own_app)
    # The watcher wakes the page (within seconds, no click): it must rerun the
    # standards page, not land on the overview with the filters dropped.
    moved = page.get_by_text(re.compile(re.escape(RUN_SHOWN + second)))
    overview = page.get_by_role("heading", name=ZH["overview.title"])
    try:
        moved.or_(overview).first.wait_for(timeout=60_000)
        wait_for_run(page)  # the rerun has ended: nothing on the page is from before it
    finally:
        page.screenshot(path=str(SCREENSHOTS / "live-rerun-standards.png"), full_page=True)
    assert overview.count() == 0, f"the live rerun left the page for the overview: {page.url}"
    url = urlparse(page.url)
    assert url.path.rstrip("/").endswith("/standards")
    assert parse_qs(url.query).get("area") == [area]
    expect(page.get_by_label(ZH["standards.search"])).to_have_value("GB/T")
    expect(chosen).to_have_count(1)  # the filter still applies, not only in the URL
