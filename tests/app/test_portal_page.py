"""The pilot-site portal with AppTest: a messy GBK file checked, confirmed, receipted, in the history."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import fastexcel
import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import catalogue
from datasets.csv_template import build_csv_template
from datasets.headers import map_headers
from datasets.sources import get_source
from datasets.templates import build_template
from etl.warehouse import connect
from tests.app.portal_files import (
    BAD_VALUE_ROW,
    GOOD_ROWS,
    MESSY_HEADER,
    OTHER_SITE_ROW,
    messy_feedback,
)
from tests.app.signing import APP, sign_in

ZH, EN = catalogue("zh"), catalogue("en")
SITE, OTHER = "S00001", "S00002"  # site-s00001 is bound to S00001 only


@pytest.fixture
def db(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the demo warehouse for this test (its writer serves this test's landing folder)."""
    path = tmp_path / "portal.duckdb"
    shutil.copyfile(demo_warehouse, path)
    return path


def _portal(monkeypatch: pytest.MonkeyPatch, db: Path, lang: str = "zh") -> AppTest:
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", lang)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    sign_in(at, "site-s00001")
    assert not at.exception, at.exception
    messages = ZH if lang == "zh" else EN
    assert at.title[0].value == messages["portal.title"]  # a pilot site's landing page
    return at


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _count(db: Path, sql: str, params: list[object] | None = None) -> int:
    con = connect(db)
    try:
        return int(con.execute(sql, params or []).fetchall()[0][0])
    finally:
        con.close()


def _frame(at: AppTest, column: str):
    """The first table shown with ``column`` (AppTest gives tables no key)."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, [list(d.value.columns) for d in at.dataframe]
    return frames[0]


def _problems(at: AppTest, lang: str = "zh") -> list[dict]:
    return _frame(at, (ZH if lang == "zh" else EN)["portal.col_rule"]).to_dict("records")


def test_a_messy_gbk_file_is_checked_row_by_row_then_loaded_with_a_receipt_and_a_history_row(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    data = messy_feedback(SITE, OTHER)
    logged = _count(db, "select count(*) from ingest_log")
    feedback = _count(db, "select count(*) from feedback")
    at = _upload(_portal(monkeypatch, db), "反馈表.csv", data)

    problems = _problems(at)
    by_rule = {p[ZH["portal.col_rule"]]: p for p in problems}
    assert by_rule["site_not_allowed"][ZH["portal.col_row"]] == OTHER_SITE_ROW
    assert by_rule["site_not_allowed"][ZH["portal.col_value"]] == OTHER
    assert by_rule["site_not_allowed"][ZH["portal.col_column"]] == "试点单位代码"  # as in the file
    assert "只能上传本单位试点单位的数据" in by_rule["site_not_allowed"][ZH["portal.col_message"]]
    assert by_rule["likert_range"][ZH["portal.col_row"]] == BAD_VALUE_ROW
    assert by_rule["likert_range"][ZH["portal.col_value"]] == "9"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[ZH["portal.count_read"]] == "4"
    assert metrics[ZH["portal.count_valid"]] == str(GOOD_ROWS)
    assert metrics[ZH["portal.count_rejected"]] == "2"
    assert at.download_button(key="portal_problems_csv")  # the problems as CSV
    # The dry run wrote nothing, not even an ingest-log row.
    assert _count(db, "select count(*) from ingest_log") == logged
    assert _count(db, "select count(*) from feedback") == feedback

    at.button(key="portal_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [ZH["portal.loaded"].format(n=GOOD_ROWS, rejected=2)]
    receipt = dict(_frame(at, ZH["portal.receipt_what"]).itertuples(index=False))
    sha = hashlib.sha256(data).hexdigest()
    assert receipt[ZH["portal.receipt_sha256"]] == sha
    assert receipt[ZH["portal.receipt_file"]] == "反馈表.csv"
    assert receipt[ZH["portal.receipt_status"]] == ZH["portal.status_loaded"]  # not "duplicate"
    assert receipt[ZH["portal.count_loaded"]] == str(GOOD_ROWS)
    assert receipt[ZH["portal.count_rejected"]] == "2"
    assert int(receipt[ZH["portal.receipt_seq"]]) >= 1
    assert at.download_button(key="portal_receipt_txt") and at.download_button(
        key="portal_receipt_csv"
    )
    history = _frame(at, ZH["portal.col_received"])
    assert list(history[ZH["portal.receipt_file"]]) == ["反馈表.csv"]
    assert list(history[ZH["portal.receipt_sha256"]]) == [sha]
    assert list(history[ZH["portal.receipt_status"]]) == [ZH["portal.status_loaded"]]
    # In the warehouse: the good rows, of this site only, uploaded by the account.
    assert _count(db, "select count(*) from feedback where source_sha256 = ?", [sha]) == GOOD_ROWS
    assert _count(db, "select count(*) from feedback where source_sha256 = ? and site_id <> ?",
                  [sha, SITE]) == 0  # fmt: skip
    assert _count(db, "select count(*) from ingest_log where sha256 = ? and uploader = ?"
                  " and status = 'loaded'", [sha, "site-s00001"]) == 1  # fmt: skip
    assert not at.file_uploader[0].value  # a fresh, empty file field for the next form


def test_the_report_speaks_english_when_the_interface_does(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _upload(_portal(monkeypatch, db, lang="en"), "feedback.csv", messy_feedback(SITE, OTHER))
    by_rule = {p[EN["portal.col_rule"]]: p for p in _problems(at, "en")}
    assert by_rule["site_not_allowed"][EN["portal.col_message"]].startswith(
        "your account may only send rows for its own pilot sites"
    )
    assert "Likert" in by_rule["likert_range"][EN["portal.col_message"]]
    assert by_rule["likert_range"][EN["portal.col_kind"]] == EN["portal.kind_error"]


def test_cancel_loads_nothing_and_the_same_bytes_can_be_checked_again(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    feedback = _count(db, "select count(*) from feedback")
    at = _upload(_portal(monkeypatch, db), "f.csv", messy_feedback(SITE, OTHER))
    at.button(key="portal_cancel").click().run()
    assert ZH["portal.cancelled"] in [i.value for i in at.info]
    assert not at.file_uploader[0].value
    assert "portal_confirm" not in {b.key for b in at.button}
    assert _count(db, "select count(*) from feedback") == feedback
    at = _upload(at, "f.csv", messy_feedback(SITE, OTHER))
    assert not at.button(key="portal_confirm").disabled


@pytest.mark.parametrize(
    ("name", "data", "zh_part", "en_part"),
    [
        (
            "photo.csv",
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
            "这不是 CSV 或 Excel 文件",
            "this is not a CSV or Excel file",
        ),
        (
            "short.csv",
            "试点单位编号,满意度\r\nS00001,5\r\n".encode("gbk"),
            "缺少必填列",
            "required column(s) missing",
        ),
        ("empty.csv", b"", "文件为空", "the file is empty"),
    ],
)
def test_a_file_refused_whole_gets_its_reason_in_the_users_language_and_no_confirm(
    monkeypatch: pytest.MonkeyPatch, db: Path, name: str, data: bytes, zh_part: str, en_part: str
) -> None:
    for lang, part in (("zh", zh_part), ("en", en_part)):
        at = _upload(_portal(monkeypatch, db, lang=lang), name, data)
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and part in errors[0], errors
        assert at.button(key="portal_confirm").disabled


def test_bytes_already_loaded_are_named_a_duplicate_by_the_check(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    data = messy_feedback(SITE, OTHER)
    at = _upload(_portal(monkeypatch, db), "f.csv", data)
    at.button(key="portal_confirm").click().run()
    at = _upload(at, "again.csv", data)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "未重复导入" in errors[0] and "f.csv" in errors[0]
    assert at.button(key="portal_confirm").disabled


def test_the_template_downloads_are_offered_and_open_with_the_users_headers(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _portal(monkeypatch, db)
    assert at.download_button(key="portal_template_xlsx").label == ZH["portal.template_xlsx"]
    assert at.download_button(key="portal_template_csv").label == ZH["portal.template_csv"]
    spec = get_source("feedback")
    for lang in ("zh", "en"):
        sheet = fastexcel.read_excel(build_template(spec, lang=lang)).load_sheet(0)
        headers = list(sheet.to_polars().columns)
        expected = [c.header_zh if lang == "zh" else c.name for c in spec.columns]
        assert headers == expected
        text = build_csv_template(spec, lang=lang).decode("utf-8-sig")
        assert text.rstrip("\r\n").split(",") == expected
        assert set(map_headers(spec, expected).columns.values()) == set(spec.column_names())


def test_only_pilot_sites_may_upload_and_have_the_portal() -> None:
    from app.auth.roles import ROLES, may
    from app.nav import pages_for

    for role in ROLES:
        assert may(role, "upload") == (role == "pilot_site")
        assert ("portal" in {p.key for p in pages_for(role)}) == (role == "pilot_site")


def test_another_sites_account_sees_none_of_these_files_whatever_the_url_asks(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _upload(_portal(monkeypatch, db), "mine.csv", messy_feedback(SITE, OTHER))
    at.button(key="portal_confirm").click().run()
    assert list(_frame(at, ZH["portal.col_received"])[ZH["portal.receipt_file"]]) == ["mine.csv"]
    other = AppTest.from_file(APP, default_timeout=120)
    other.query_params["site"] = SITE
    other.query_params["uploader"] = "site-s00001"
    other.run()
    sign_in(other, "site-s00002")
    assert not other.exception
    assert ZH["portal.history_empty"] in [i.value for i in other.info]
    assert not [d for d in other.dataframe if ZH["portal.col_received"] in d.value.columns]


def test_a_load_whose_wait_a_rerun_cut_short_is_waited_for_again_and_receipted(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    from app.auth.identity import User
    from app.portal.upload import queue
    from etl.settings import landing_dir

    at = _portal(monkeypatch, db)
    data = messy_feedback(SITE, OTHER)
    # A rerun (new data wakes every page) stopped the page after it queued the load.
    entry = queue(data, "cut.csv", source="feedback", user=User("site-s00001", "s", "pilot_site",
                  (SITE,)), lang="zh", dry_run=False, warehouse=db,
                  landing=landing_dir().resolve())  # fmt: skip
    at.session_state["portal_loading"] = entry
    at.run()
    assert not at.exception
    receipt = dict(_frame(at, ZH["portal.receipt_what"]).itertuples(index=False))
    assert receipt[ZH["portal.receipt_sha256"]] == hashlib.sha256(data).hexdigest()
    assert receipt[ZH["portal.receipt_status"]] == ZH["portal.status_loaded"]
    assert "portal_loading" not in at.session_state


def test_a_filled_in_xlsx_template_in_english_loads_through_the_portal(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    rows = [
        {"site_id": SITE, "standard_code": "GB/T 22239-2019", "period": "2025-Q4",
         "satisfaction": "5", "applicability": "4"},
        {"site_id": OTHER, "standard_code": "GB/T 22239-2019", "period": "2025-Q4",
         "satisfaction": "3"},
    ]  # fmt: skip
    data = build_template(get_source("feedback"), lang="en", rows=rows)
    at = _portal(monkeypatch, db, lang="en")
    at.file_uploader[0].set_value(
        ("filled.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    assert not at.exception
    assert [p[EN["portal.col_rule"]] for p in _problems(at, "en")] == ["site_not_allowed"]
    at.button(key="portal_confirm").click().run()
    assert [s.value for s in at.success] == [EN["portal.loaded"].format(n=1, rejected=1)]
    sha = hashlib.sha256(data).hexdigest()
    assert _count(db, "select count(*) from feedback where source_sha256 = ? and site_id = ?",
                  [sha, SITE]) == 1  # fmt: skip


def test_the_review_status_of_each_sent_period_is_listed_for_the_sites_own_submissions(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _upload(_portal(monkeypatch, db), "反馈表.csv", messy_feedback(SITE, OTHER))
    at.button(key="portal_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    review = _frame(at, ZH["approvals.col_period"])
    assert set(review[ZH["approvals.col_site_id"]]) == {SITE}  # never another site's
    shown = dict(zip(review[ZH["approvals.col_period"]], review[ZH["approvals.col_status"]],
                     strict=True))  # fmt: skip
    # The two good rows made two submissions, waiting for an evaluator.
    assert shown["2026-Q1"] == shown["2026-Q3"] == ZH["approvals.status_submitted"]
    expected = _count(db, "select count(*) from submission where site_id = ?", [SITE])
    assert len(review) == expected


def test_a_form_for_a_period_already_approved_is_refused_with_the_reason_and_cannot_be_confirmed(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    con = connect(db)
    try:
        period = con.execute(
            "select max(period) from submission where site_id = ? and status = 'approved'", [SITE]
        ).fetchall()[0][0]
    finally:
        con.close()
    assert period is not None
    data = (MESSY_HEADER + f"{SITE},GB/T 22239-2019,{period},4,4,80,\r\n").encode("gbk")
    at = _upload(_portal(monkeypatch, db), "again.csv", data)
    shown = " ".join(e.value for e in at.error)
    assert SITE in shown and period in shown and "重新开放" in shown
    assert at.button(key="portal_confirm").disabled  # nothing to confirm
