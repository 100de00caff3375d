"""The evaluator workspace with AppTest: live CR refusal, a run started, two runs compared."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app.auth.roles import may
from app.i18n import catalogue
from app.nav import pages_for
from tests.app.signing import APP, on_sign_in_page, sign_in

ZH = catalogue("zh")


@pytest.fixture
def scored(scored_demo_warehouse: Path, tmp_path: Path) -> Path:
    path = tmp_path / "scored.duckdb"
    shutil.copyfile(scored_demo_warehouse, path)
    return path


def _workspace(monkeypatch: pytest.MonkeyPatch, db: Path) -> AppTest:
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", "zh")
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert on_sign_in_page(at)
    sign_in(at, "evaluator")
    at.switch_page("views/workspace.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == ZH["workspace.title"]
    return at


def _runs(db: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db))
    try:
        return con.execute(
            "select run_id, created_by from score_run order by created_at, run_id"
        ).fetchall()
    finally:
        con.close()


def test_a_ministry_user_cannot_run_scoring_and_has_no_workspace_page() -> None:
    assert not may("ministry", "run_scoring") and not may("ministry", "export")
    assert "workspace" not in {p.key for p in pages_for("ministry")}
    assert "workspace" not in {p.key for p in pages_for("pilot_site")}
    assert "workspace" in {p.key for p in pages_for("evaluator")}


def test_inconsistent_judgements_are_refused_live_and_the_run_button_is_disabled(
    monkeypatch: pytest.MonkeyPatch, scored: Path
) -> None:
    at = _workspace(monkeypatch, scored)
    assert not at.error
    assert not at.button(key="ws_run").disabled
    # A ≫ B, B ≫ C but C ≫ A: contradictory judgements
    at.number_input(key="ws_ahp_A_B").set_value(9.0)
    at.number_input(key="ws_ahp_B_C").set_value(9.0)
    at.number_input(key="ws_ahp_A_C").set_value(1 / 9).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("未通过一致性检验" in e.value for e in at.error), [e.value for e in at.error]
    assert at.button(key="ws_run").disabled
    cr = next(m.value for m in at.markdown if "CR =" in m.value)
    assert float(cr.split("CR = ")[1]) >= 0.10


def test_an_evaluator_runs_scoring_and_compares_the_two_runs(
    monkeypatch: pytest.MonkeyPatch, scored: Path
) -> None:
    before = _runs(scored)
    at = _workspace(monkeypatch, scored)
    at.selectbox(key="ws_method").set_value("equal")
    at.number_input(key="ws_replicates").set_value(0)
    at.button(key="ws_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    after = _runs(scored)
    assert len(after) == len(before) + 1
    new_run, by = after[-1]
    assert by == "evaluator"
    assert any(new_run in s.value for s in at.success)
    con = duckdb.connect(str(scored))
    try:
        audited = con.execute(
            "select count(*) from audit_log where action = 'score_run' and actor = 'evaluator'"
            " and detail like ?",
            [f"%{new_run}%"],
        ).fetchone()[0]
    finally:
        con.close()
    assert audited == 1
    at.selectbox(key="ws_run_a").set_value(before[-1][0])
    at.selectbox(key="ws_run_b").set_value(new_run).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [m.value for m in at.markdown]
    assert any(ZH["workspace.why_weights"] in x for x in texts), texts
    assert not any(ZH["workspace.why_data"] in x for x in texts), texts  # same data
    table = at.dataframe[-1].value  # the comparison (the run tab shows no matrix for equal)
    assert {"standard_code", "score_a", "score_b", "delta", "rank_shift"} <= set(table.columns)
    assert (table["delta"].abs() > 0).any()
