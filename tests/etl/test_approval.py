"""Approval of submissions: transitions, history and audit together, the lock on approved periods."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

import etl.submissions as submissions
from datasets.access import Access
from etl.audit import read_audit
from etl.drain import process_inbox
from etl.inbox import submit
from etl.landing import landed_path
from etl.stored_settings import SettingError, counts_unapproved, set_counts_unapproved
from etl.submissions import SubmissionError, approve, reopen, return_submissions
from etl.warehouse import connect
from etl.writer import take_result
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A, CODE_B, copy_of

HEAD = nasty.FEEDBACK_HEADERS_ZH


def feedback_csv(rows: list[tuple[str, str, str, int]]) -> bytes:
    """A feedback upload: (site, standard, period, satisfaction) per row."""
    body = [
        [site, code, period, "实施中", "50", "3", "3", "3", "3", str(sat), "", "", "", "", ""]
        for site, code, period, sat in rows
    ]
    return nasty.csv_bytes([HEAD, *body])


@pytest.fixture
def setup(built: Path, tmp_path: Path) -> dict:
    db = copy_of(built, tmp_path / "w.duckdb")
    return {"db": db, "landing": tmp_path / "var" / "landing"}


def send(setup: dict, data: bytes, name: str, *, lang: str = "zh", uploader: str = "site-1"):
    """Queue ``data`` as a feedback upload and let the writer apply it; return its result."""
    entry = submit(
        data, source="feedback", file_name=name, landing=setup["landing"], warehouse=setup["db"],
        lang=lang, uploader=uploader,
    )  # fmt: skip
    con = connect(setup["db"])
    try:
        process_inbox(con, landing=setup["landing"], warehouse=setup["db"])
    finally:
        con.close()
    return entry, take_result(entry, landing=setup["landing"])


def statuses(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    rows = con.execute("select site_id, period, status from submission").fetchall()
    return {(s, p): status for s, p, status in rows}


FIRST = [
    ("S001", CODE_A, "2025-Q1", 3),
    ("S001", CODE_B, "2025-Q1", 4),
    ("S002", CODE_A, "2025-Q1", 5),
]


def test_a_load_creates_one_submitted_submission_per_site_and_period_with_history_and_audit(
    setup,
) -> None:
    entry, result = send(setup, feedback_csv(FIRST), "q1.csv")
    assert result.status == "loaded" and result.rows_accepted == 3
    con = connect(setup["db"])
    try:
        assert statuses(con) == {("S001", "2025-Q1"): "submitted", ("S002", "2025-Q1"): "submitted"}
        hist = submissions.history(con, "S001", "2025-Q1")
        assert hist.select("from_status", "to_status", "actor", "sha256").rows() == [
            (None, "submitted", "site-1", entry.sha256)
        ]
        audit = read_audit(con, actions=["submission"])
        assert audit.height == 1 and audit["target"][0] == entry.sha256
        assert json.loads(audit["detail"][0]) == {"created": 2, "resubmitted": []}
        listed = submissions.submission_status(con, Access.everything())
        s001 = listed.filter(site_id="S001").row(0, named=True)
        assert (s001["n_rows"], s001["n_standards"], s001["program_id"]) == (2, 2, "P1")
        assert submissions.submission_status(con, Access.for_sites(["S002"]))[
            "site_id"
        ].to_list() == ["S002"]
    finally:
        con.close()


def test_approve_return_and_reopen_follow_the_allowed_transitions_only(setup) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    a, b = ("S001", "2025-Q1"), ("S002", "2025-Q1")
    try:
        assert approve(con, [a], actor="evaluator") == 1
        with pytest.raises(SubmissionError) as twice:
            approve(con, [a], actor="evaluator")
        assert "已通过" in twice.value.text("zh") and "approved" in twice.value.text("en")
        with pytest.raises(SubmissionError) as no_reason:
            return_submissions(con, [b], actor="evaluator", reason="  ")
        assert "原因" in no_reason.value.text("zh") and "reason" in no_reason.value.text("en")
        return_submissions(con, [b], actor="evaluator", reason="满意度列缺失")
        with pytest.raises(SubmissionError) as returned:
            approve(con, [b], actor="evaluator")
        assert "已退回" in returned.value.text("zh") and "returned" in returned.value.text("en")
        with pytest.raises(SubmissionError):
            reopen(con, [b], actor="evaluator")  # only an approved one reopens
        with pytest.raises(SubmissionError) as missing:
            approve(con, [("S003", "2025-Q1")], actor="evaluator")
        assert "S003" in missing.value.text("en")
        reopen(con, [a], actor="evaluator", reason="站点要补充数据")
        assert statuses(con) == {a: "submitted", b: "returned"}
        assert submissions.history(con, *a).select("from_status", "to_status", "reason").rows() == [
            (None, "submitted", None),
            ("submitted", "approved", None),
            ("approved", "submitted", "站点要补充数据"),
        ]
        details = [json.loads(d) for d in read_audit(con, actions=["approval"])["detail"]]
        assert [d["action"] for d in reversed(details)] == ["approve", "return", "reopen"]
        assert details[1]["reason"] == "满意度列缺失" and details[1]["submissions"] == [
            "S002 2025-Q1"
        ]
    finally:
        con.close()


def test_a_failing_audit_row_rolls_the_transition_back(
    setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")

    def broken(*_args, **_kwargs):
        msg = "audit log unavailable"
        raise RuntimeError(msg)

    monkeypatch.setattr(submissions, "record", broken)
    con = connect(setup["db"])
    try:
        with pytest.raises(RuntimeError, match="audit log unavailable"):
            approve(con, [("S001", "2025-Q1")], actor="evaluator")
        assert statuses(con)[("S001", "2025-Q1")] == "submitted"
        assert submissions.history(con, "S001", "2025-Q1").height == 1  # only the load's row
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_upload_touching_an_approved_period_is_refused_whole_and_its_bytes_are_kept(
    setup, lang: str
) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    try:
        approve(con, [("S001", "2025-Q1")], actor="evaluator")
        before = con.execute("select * from feedback order by all").fetchall()
    finally:
        con.close()
    # One row into the approved S001 2025-Q1, one into a fresh period: the file is refused whole.
    data = feedback_csv([("S001", CODE_A, "2025-Q1", 1), ("S001", CODE_A, "2025-Q2", 2)])
    entry, result = send(setup, data, "again.csv", lang=lang)
    assert result.status == "refused" and result.rows_accepted == 0
    text = result.reason_text(lang)
    assert "S001 2025-Q1" in text and "2025-Q2" not in text
    if lang == "zh":
        assert "已审核通过并锁定" in text and "重新开放" in text
    else:
        assert "approved and locked" in text and "reopen" in text
    assert landed_path(entry.sha256, "again.csv", landing=setup["landing"]).read_bytes() == data
    con = connect(setup["db"])
    try:
        assert con.execute("select * from feedback order by all").fetchall() == before
        assert ("S001", "2025-Q2") not in statuses(con)
        status, summary = con.execute(
            "select status, error_summary from ingest_log where sha256 = ?", [entry.sha256]
        ).fetchall()[0]
        assert status == "refused"
        assert json.loads(summary)["rule"] == "period_locked"
        assert json.loads(summary)["locked"] == ["S001 2025-Q1"]
    finally:
        con.close()


def test_a_dry_run_says_beforehand_that_a_locked_period_would_be_refused(setup) -> None:
    from etl.uploads import ingest_bytes

    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    try:
        approve(con, [("S002", "2025-Q1")], actor="evaluator")
        data = feedback_csv([("S002", CODE_B, "2025-Q1", 2)])
        result = ingest_bytes(con, "feedback", data, file_name="d.csv", dry_run=True)
        assert result.status == "refused" and "S002 2025-Q1" in result.reason_text("en")
        assert con.execute(
            "select count(*) from ingest_log where file_name = 'd.csv'"
        ).fetchall() == [(0,)]
    finally:
        con.close()


def test_after_a_reopen_the_same_upload_loads_and_needs_approving_again(setup) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    try:
        approve(con, [("S001", "2025-Q1")], actor="evaluator")
    finally:
        con.close()
    data = feedback_csv([("S001", CODE_A, "2025-Q1", 1)])
    _, refused = send(setup, data, "fix.csv")
    assert refused.status == "refused"
    con = connect(setup["db"])
    try:
        reopen(con, [("S001", "2025-Q1")], actor="evaluator", reason="允许更正")
    finally:
        con.close()
    _, loaded = send(setup, data, "fix.csv")  # the very file refused before
    assert loaded.status == "loaded" and loaded.rows_replaced == 1
    con = connect(setup["db"])
    try:
        assert statuses(con)[("S001", "2025-Q1")] == "submitted"
        sat = con.execute(
            "select satisfaction from feedback where site_id = 'S001' and standard_code = ?"
            " and period = '2025-Q1'",
            [CODE_A],
        ).fetchall()
        assert sat == [(1,)]
    finally:
        con.close()


def test_a_returned_submission_resubmitted_by_an_upload_is_submitted_again_and_recorded(
    setup,
) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    try:
        return_submissions(con, [("S002", "2025-Q1")], actor="evaluator", reason="覆盖率不对")
    finally:
        con.close()
    entry, result = send(setup, feedback_csv([("S002", CODE_A, "2025-Q1", 4)]), "resend.csv")
    assert result.status == "loaded"
    con = connect(setup["db"])
    try:
        assert statuses(con)[("S002", "2025-Q1")] == "submitted"
        last = submissions.history(con, "S002", "2025-Q1").row(-1, named=True)
        assert (last["from_status"], last["to_status"], last["actor"], last["sha256"]) == (
            "returned", "submitted", "site-1", entry.sha256,
        )  # fmt: skip
        audit = read_audit(con, actions=["submission"])
        assert json.loads(audit["detail"][0]) == {"created": 0, "resubmitted": ["S002 2025-Q1"]}
        listed = submissions.submission_status(con, Access.everything()).filter(site_id="S002")
        assert listed["reason"].to_list() == [None]
    finally:
        con.close()


def test_counted_feedback_holds_approved_rows_unless_the_setting_counts_unapproved(setup) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    try:
        assert not counts_unapproved(con)
        assert con.execute("select count(*) from counted_feedback").fetchall() == [(0,)]
        approve(con, [("S001", "2025-Q1")], actor="evaluator")
        assert con.execute("select count(*) from counted_feedback").fetchall() == [(2,)]
        assert set_counts_unapproved(con, True, actor="admin") is False
        assert counts_unapproved(con)
        assert con.execute("select count(*) from counted_feedback").fetchall() == [(3,)]
        audit = read_audit(con, actions=["setting_changed"]).row(0, named=True)
        assert (audit["actor"], audit["target"]) == ("admin", "count_unapproved")
        assert json.loads(audit["detail"]) == {"from": False, "to": True}
        with pytest.raises(SettingError):
            set_counts_unapproved(con, "no", actor="admin")  # type: ignore[arg-type]
    finally:
        con.close()


def test_an_upgraded_warehouse_records_earlier_feedback_as_approved_by_the_system(
    tmp_path: Path,
) -> None:
    from etl.warehouse import latest_version, migrate, migrations

    before = max(m.version for m in migrations() if m.version < 11)
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        migrate(con, target=before)
        con.execute(
            "insert into feedback (site_id, standard_code, period) values"
            " ('S1', 'A', '2024-Q1'), ('S1', 'B', '2024-Q1'), ('S2', 'A', '2024-Q2')"
        )
        migrate(con)
        assert con.execute("select max(version) from schema_version").fetchall() == [
            (latest_version(),)
        ]
        assert statuses(con) == {("S1", "2024-Q1"): "approved", ("S2", "2024-Q2"): "approved"}
        hist = submissions.history(con, "S1", "2024-Q1")
        assert hist.select("from_status", "to_status", "actor").rows() == [
            (None, "approved", "system")
        ]
        assert "loaded before the approval workflow" in hist["reason"][0]
        assert con.execute("select count(*) from counted_feedback").fetchall() == [(3,)]
        audit = read_audit(con, actions=["approval"]).row(0, named=True)
        assert (audit["actor"], json.loads(audit["detail"])) == (
            "system",
            {"approved_on_upgrade": 2},
        )
    finally:
        con.close()


def test_an_approval_racing_a_load_of_the_same_submission_is_refused_not_lost(setup) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    loading, approving = con.cursor(), con.cursor()
    try:
        loading.execute("begin transaction")  # a load under way into S001 2025-Q1
        keys = loading.sql("select 'S001' as site_id, '2025-Q1' as period").pl()
        submissions.record_loaded(loading, keys, actor="site-1", sha256="racing")
        with pytest.raises(SubmissionError) as raced:
            approve(approving, [("S001", "2025-Q1")], actor="evaluator")
        assert "reload and try again" in raced.value.text("en") and "重试" in raced.value.text("zh")
        loading.execute("commit")
        assert statuses(con)[("S001", "2025-Q1")] == "submitted"
        assert read_audit(con, actions=["approval"]).is_empty()
        assert approve(approving, [("S001", "2025-Q1")], actor="evaluator") == 1  # then it works
    finally:
        loading.close()
        approving.close()
        con.close()


def test_a_load_that_checked_the_lock_before_an_approval_committed_conflicts_and_is_retried(
    setup,
) -> None:
    send(setup, feedback_csv(FIRST), "q1.csv")
    con = connect(setup["db"])
    loading, approving = con.cursor(), con.cursor()
    keys = pl.DataFrame({"site_id": ["S001"], "period": ["2025-Q1"]})
    try:
        loading.execute("begin transaction")
        assert submissions.locked(loading, keys) == []  # not approved when the load looked
        approve(approving, [("S001", "2025-Q1")], actor="evaluator")  # committed meanwhile
        with pytest.raises(duckdb.TransactionException, match="(?i)conflict"):
            submissions.record_loaded(loading, keys, actor="site-1", sha256="late")
        loading.execute("rollback")  # the writer leaves the file queued and retries it
        assert submissions.locked(loading, keys) == [("S001", "2025-Q1")]
    finally:
        loading.close()
        approving.close()
        con.close()
