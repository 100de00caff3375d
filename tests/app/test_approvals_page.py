"""The Approvals page with AppTest, as the demo evaluator: approve, return with a reason, reopen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app.auth.roles import may
from app.i18n import catalogue
from app.nav import pages_for
from tests.app.signing import APP, on_sign_in_page, sign_in

ZH, EN = catalogue("zh"), catalogue("en")


@pytest.fixture
def db(demo_warehouse: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse, path)
    return path


def _open(monkeypatch: pytest.MonkeyPatch, db: Path, username: str, lang: str = "zh") -> AppTest:
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", lang)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert on_sign_in_page(at)
    sign_in(at, username)
    return at


def _approvals(monkeypatch: pytest.MonkeyPatch, db: Path, lang: str = "zh") -> AppTest:
    at = _open(monkeypatch, db, "evaluator", lang)
    at.switch_page("views/approvals.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _submitted(db: Path) -> list[str]:
    rows = _query(db, "select site_id, period from submission where status = 'submitted'"
                  " order by period desc, site_id")  # fmt: skip
    return [f"{s} {p}" for s, p in rows]


def _status(db: Path, key: str) -> str:
    site, period = key.split(" ")
    rows = _query(
        db, "select status from submission where site_id = ? and period = ?", [site, period]
    )
    return rows[0][0]


def test_only_evaluators_may_approve_and_only_they_have_the_page() -> None:
    assert may("evaluator", "approve")
    for role in ("ministry", "pilot_site", "admin"):
        assert not may(role, "approve")
        assert "approvals" not in {p.key for p in pages_for(role)}
    assert "approvals" in {p.key for p in pages_for("evaluator")}


def test_the_page_counts_each_status_and_lists_the_waiting_submissions(monkeypatch, db) -> None:
    at = _approvals(monkeypatch, db, lang="en")
    assert at.title[0].value == EN["approvals.title"]
    counts = dict(_query(db, "select status, count(*) from submission group by status"))
    metrics = {m.label: m.value for m in at.metric}
    for status in ("submitted", "approved", "returned"):
        assert metrics[EN[f"approvals.status_{status}"]] == f"{counts.get(status, 0):,}"
    table = at.dataframe[0].value
    assert len(table) == counts["submitted"]  # the default filter: waiting ones
    assert set(table["status"]) == {EN["approvals.status_submitted"]}
    assert any(EN["approvals.counts_approved"] == i.value for i in at.info)


def test_an_evaluator_approves_a_submission_and_it_is_recorded(monkeypatch, db) -> None:
    key = _submitted(db)[0]
    at = _approvals(monkeypatch, db)
    at.selectbox(key="ap_pick").set_value(key).run()
    assert not at.exception
    at.button(key="ap_approve").click().run()
    assert not at.exception, [e.value for e in at.exception]
    site, period = key.split(" ")
    assert [s.value for s in at.success] == [
        ZH["approvals.done_approve"].format(site=site, period=period)
    ]
    assert _status(db, key) == "approved"
    actor, detail = _query(
        db, "select actor, detail from audit_log where action = 'approval' order by audit_id desc"
        " limit 1",
    )[0]  # fmt: skip
    assert actor == "evaluator" and json.loads(detail)["submissions"] == [key]
    waiting = at.dataframe[0].value
    assert key not in set(waiting["site_id"] + " " + waiting["period"])  # no longer waiting


def test_a_return_needs_a_reason_and_keeps_it(monkeypatch, db) -> None:
    key = _submitted(db)[0]
    at = _approvals(monkeypatch, db)
    at.selectbox(key="ap_pick").set_value(key).run()
    at.button(key="ap_return").click().run()
    assert not at.exception
    assert any("退回必须填写原因" in e.value for e in at.error), [e.value for e in at.error]
    assert _status(db, key) == "submitted"
    at.text_area(key="ap_reason").input("满意度与上期矛盾，请核实").run()
    at.button(key="ap_return").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status(db, key) == "returned"
    site, period = key.split(" ")
    assert _query(
        db, "select to_status, reason, actor from submission_history where site_id = ?"
        " and period = ? order by history_id desc limit 1", [site, period],
    ) == [("returned", "满意度与上期矛盾，请核实", "evaluator")]  # fmt: skip


def test_an_evaluator_reopens_an_approved_submission_and_sees_its_history(monkeypatch, db) -> None:
    site, period = _query(db, "select site_id, period from submission where status = 'approved'"
                          " order by period desc, site_id limit 1")[0]  # fmt: skip
    key = f"{site} {period}"
    at = _approvals(monkeypatch, db)
    at.multiselect(key="ap_status").set_value(["approved"]).run()
    at.selectbox(key="ap_pick").set_value(key).run()
    assert not at.exception
    history = at.dataframe[-1].value  # the history tab's table comes last
    assert list(history["to_status"]) == [
        ZH["approvals.status_submitted"],
        ZH["approvals.status_approved"],
    ]
    at.text_area(key="ap_reason").input("试点单位要更正覆盖率").run()
    at.button(key="ap_reopen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status(db, key) == "submitted"
    assert [s.value for s in at.success] == [
        ZH["approvals.done_reopen"].format(site=site, period=period)
    ]


def test_an_administrator_turns_on_counting_unapproved_data_and_it_is_audited(
    monkeypatch, db
) -> None:
    at = _open(monkeypatch, db, "admin")
    at.switch_page("views/settings.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button(key="settings_save").disabled  # nothing changed yet
    at.toggle(key="settings_count").set_value(True).run()
    at.button(key="settings_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _query(
        db, "select value, changed_by from app_setting where name = 'count_unapproved'"
    ) == [("true", "admin")]
    assert _query(db, "select actor, target from audit_log where action = 'setting_changed'") == [
        ("admin", "count_unapproved")
    ]
    assert [s.value for s in at.success] == [ZH["approvals.settings_saved_on"]]
