"""The evaluation report PDF: text extracted with pdftotext (issue 13, point 8)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.exports.report_html import SECTION_KEYS
from app.i18n import translate
from metrics.runs import list_runs

pytestmark = pytest.mark.browser
runner = CliRunner()
#: The four GB/T 20001.8-2023 sections, in their order, then the results (written out here).
CHINESE_TITLES = [
    "评价指标体系", "取值规则", "结果形成规则", "评价的组织实施",
    "评价结果", "漏斗图", "数据覆盖", "调查信度",
]  # fmt: skip
ARTEFACTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots"


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], check=True, capture_output=True
    )
    return out.stdout.decode("utf-8")


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


@pytest.fixture(scope="module")
def scored(scored_demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of its own (an AppTest in this process may hold the shared one open)."""
    path = tmp_path_factory.mktemp("report") / "scored.duckdb"
    shutil.copyfile(scored_demo_warehouse, path)
    return path


@pytest.fixture(scope="module")
def run_id(scored: Path) -> str:
    con = duckdb.connect(str(scored))
    try:
        return str(list_runs(con)["run_id"][0])
    finally:
        con.close()


def test_the_report_holds_the_run_id_on_every_page_and_the_chinese_sections_in_order(
    scored: Path, run_id: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    result = runner.invoke(cli, ["report", "--run", run_id, "-o", str(pdf), "--db", str(scored)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _text(pdf)
    places = [text.find(title) for title in CHINESE_TITLES]
    assert -1 not in places, places
    assert places == sorted(places)
    assert [translate("zh", f"report.section_{k}") for k in SECTION_KEYS] == CHINESE_TITLES
    pages = _pages(pdf)
    assert pages >= 2
    for page in range(1, pages + 1):
        assert run_id in _text(pdf, page), f"page {page} lacks the run id"
    ARTEFACTS.mkdir(exist_ok=True)  # kept for a person to look at, never committed
    shutil.copyfile(pdf, ARTEFACTS / "report-zh.pdf")


def test_the_english_report_and_an_unknown_run_are_handled(
    scored: Path, run_id: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "report-en.pdf"
    db = str(scored)
    result = runner.invoke(
        cli, ["report", "--run", run_id, "-o", str(pdf), "--lang", "en", "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert "Indicator system" in _text(pdf)
    missing = runner.invoke(cli, ["report", "--run", "run-nope", "-o", str(pdf), "--db", db])
    assert missing.exit_code == 2
    assert "no scoring run 'run-nope'" in missing.output
