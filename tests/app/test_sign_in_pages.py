"""Sign-in, roles and pages with AppTest: each role sees exactly its pages, and no other."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app.auth.accounts import sign_in as check_sign_in
from app.i18n import catalogue
from app.nav import PAGES, pages_for
from tests.app.signing import APP, REAL_PASSWORD, add_user, on_sign_in_page, sign_in

ZH, EN = catalogue("zh"), catalogue("en")
VIEWS = Path(APP).parent / "views"

#: The issue's matrix: which pages each role may open (a page is never
#: registered for any other role).
DASHBOARD = {"overview", "standards", "areas", "regions", "funding", "awards", "lifecycle",
             "methodology"}  # fmt: skip
EXPECTED = {
    "ministry": DASHBOARD | {"account"},
    "evaluator": DASHBOARD | {"workspace", "approvals", "account"},
    "admin": DASHBOARD | {"audit", "settings", "account"},
    "pilot_site": {"portal", "own", "account"},
}
DEMO_USER = {"ministry": "ministry", "evaluator": "evaluator", "admin": "admin",
             "pilot_site": "site-s00001"}  # fmt: skip
TITLES = {key: f"{key}.title" for key in DASHBOARD} | {
    "audit": "audit.title",
    "workspace": "workspace.title",
    "approvals": "approvals.title",
    "settings": "approvals.settings_title",
    "account": "auth.account_title",
    "portal": "portal.title",
    "own": "own.title",
}


def _open(monkeypatch: pytest.MonkeyPatch, db: Path, lang: str = "zh") -> AppTest:
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", lang)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_page_table_gives_each_role_exactly_its_pages() -> None:
    for role, keys in EXPECTED.items():
        assert {p.key for p in pages_for(role)} == keys, role
    assert {p.key for p in PAGES} == set().union(*EXPECTED.values())


def test_before_sign_in_only_the_sign_in_page_exists(monkeypatch, demo_warehouse: Path) -> None:
    at = _open(monkeypatch, demo_warehouse)
    assert on_sign_in_page(at)
    assert at.title[0].value == ZH["auth.sign_in_title"]
    for spec in PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"views/{spec.file}")


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_exactly_its_pages(monkeypatch, demo_warehouse: Path, role: str) -> None:
    at = sign_in(_open(monkeypatch, demo_warehouse), DEMO_USER[role])
    assert not on_sign_in_page(at)
    for spec in PAGES:
        if spec.key in EXPECTED[role]:
            at.switch_page(f"views/{spec.file}").run()
            assert not at.exception, (role, spec.key, at.exception)
            assert not at.error, (role, spec.key, [e.value for e in at.error])
            assert at.title[0].value == ZH[TITLES[spec.key]], (role, spec.key)
        else:  # not registered: not reachable by URL either
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"views/{spec.file}")


def _token(db: Path, username: str, password: str = "demo") -> str:
    con = duckdb.connect(str(db))
    try:
        outcome = check_sign_in(con, username, password, lifetime=timedelta(hours=1))
    finally:
        con.close()
    assert outcome.token
    return outcome.token


@pytest.mark.parametrize(("page", "username"), [("audit_log.py", "ministry"),
                                                ("audit_log.py", None),
                                                ("overview.py", "site-s00001"),
                                                ("approvals.py", "ministry"),
                                                ("approvals.py", "site-s00001"),
                                                ("approvals.py", "admin"),
                                                ("settings.py", "evaluator"),
                                                ("portal.py", "ministry"),
                                                ("own.py", "evaluator"),
                                                ("own.py", None)])  # fmt: skip
def test_every_page_checks_the_role_again(
    monkeypatch, demo_warehouse: Path, page: str, username: str | None
) -> None:
    monkeypatch.setenv("STDEVAL_DB", str(demo_warehouse))
    at = AppTest.from_file(str(VIEWS / page), default_timeout=60)
    if username:
        at.session_state["auth_token"] = _token(demo_warehouse, username)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [ZH["auth.forbidden"]]
    assert not at.title and not at.dataframe


def test_the_demo_accounts_are_listed_on_a_demo_warehouse(monkeypatch, demo_warehouse) -> None:
    at = _open(monkeypatch, demo_warehouse, lang="en")
    assert any(EN["auth.demo_accounts"] in i.value for i in at.info)
    listed = at.dataframe[0].value
    names = set(listed[EN["auth.username"]])
    assert {"ministry", "evaluator", "admin"} <= names
    assert any(", " in s for s in listed[EN["auth.sites"]])  # one account has two sites


def test_a_real_warehouse_lists_no_account(monkeypatch, real_db: Path) -> None:
    at = _open(monkeypatch, real_db, lang="en")
    assert not at.dataframe
    assert any("stdeval users add" in i.value for i in at.info)  # how to make the first admin
    add_user(real_db, "boss", "admin")
    at = _open(monkeypatch, real_db, lang="en")
    assert not at.dataframe and not at.info
    sign_in(at, "boss", REAL_PASSWORD)
    assert at.title[0].value == EN["overview.title"]


def test_a_wrong_password_is_refused_and_five_lock_the_account(monkeypatch, real_db) -> None:
    add_user(real_db, "lin", "evaluator")
    at = _open(monkeypatch, real_db, lang="en")
    for _ in range(4):
        sign_in(at, "lin", "not the password")
        assert [e.value for e in at.error] == [EN["auth.bad_credentials"]]
    sign_in(at, "lin", "not the password")
    assert at.error and "locked until" in at.error[0].value
    sign_in(at, "lin", REAL_PASSWORD)  # the right one, too late
    assert at.error and "locked until" in at.error[0].value and on_sign_in_page(at)


def test_sign_out_returns_to_the_sign_in_page_and_ends_the_session(
    monkeypatch, demo_warehouse: Path
) -> None:
    at = sign_in(_open(monkeypatch, demo_warehouse), "evaluator")
    token = at.session_state["auth_token"]
    at.sidebar.button(key="sidebar_sign_out").click().run()
    assert [s.value for s in at.success] == [ZH["auth.signed_out"]]
    at.run()  # the browser's reload after the sign-out route
    assert not at.exception and on_sign_in_page(at)
    con = duckdb.connect(str(demo_warehouse))
    try:
        from app.auth.sessions import session_user

        assert session_user(con, token) is None
    finally:
        con.close()


def test_the_admin_browses_and_filters_the_audit_log(monkeypatch, real_db: Path) -> None:
    add_user(real_db, "boss", "admin")
    at = _open(monkeypatch, real_db, lang="en")
    sign_in(at, "boss", "wrong password")  # a failure, audited too
    sign_in(at, "boss", REAL_PASSWORD)
    at.switch_page("views/audit_log.py").run()
    assert not at.exception and at.title[0].value == EN["audit.title"]
    shown = at.dataframe[0].value
    assert list(shown["action"])[:3] == ["sign_in", "sign_in_failed", "user_created"]
    assert set(shown["actor"]) == {"boss", "tests"}
    at.multiselect(key="audit_actions").select("sign_in_failed").run()
    shown = at.dataframe[0].value
    assert list(shown["action"]) == ["sign_in_failed"] and list(shown["target"]) == ["boss"]
    assert at.markdown and any(EN["audit.count"].format(n=1) == m.value for m in at.markdown)


def test_each_run_asks_the_warehouse_once_and_a_session_ended_elsewhere_ends_at_the_next_run(
    monkeypatch, demo_warehouse: Path
) -> None:
    from app.auth import sessions

    at = sign_in(_open(monkeypatch, demo_warehouse), "ministry")
    at.switch_page("views/standards.py").run()
    asked: list[str] = []
    real = sessions.session_user

    def counting(cur, token, **kwargs):  # noqa: ANN001, ANN202 - the spied function's own signature
        asked.append(token)
        return real(cur, token, **kwargs)

    monkeypatch.setattr(sessions, "session_user", counting)
    for runs in (1, 2):
        at.run()
        assert not at.exception and not on_sign_in_page(at)
        assert len(asked) == runs  # entry point, role check and scope share one answer
    # Another browser of the same account signs out everything (a password reset).
    con = duckdb.connect(str(demo_warehouse))
    try:
        from app.auth.store import utc_now

        sessions.revoke_all(con, "ministry", now=utc_now())
    finally:
        con.close()
    at.run()
    assert not at.exception and on_sign_in_page(at)
