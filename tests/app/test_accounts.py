"""Accounts: creation rules, argon2id hashes, sign-in, lockout after 5 failures, the audit rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from app.auth import accounts, sessions
from app.auth.accounts import AccountError, add_account, sign_in
from app.auth.passwords import MIN_LENGTH, WeakPassword

PASSWORD = "correct horse battery"
HOUR = timedelta(hours=1)
T0 = datetime(2026, 3, 1, 9, 0, 0)


def _add(con: duckdb.DuckDBPyConnection, username: str = "lin", role: str = "evaluator",
         **kw: object) -> accounts.Account:  # fmt: skip
    return add_account(con, username=username, role=role, password=PASSWORD, actor="admin",
                       demo=False, **kw)  # fmt: skip


def _audit(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("select actor, action, target from audit_log order by audit_id").fetchall()


def test_an_account_is_stored_with_an_argon2id_hash_and_never_the_password(con) -> None:
    account = _add(con, "Lin", display_name="林评价")
    assert (account.username, account.display_name, account.role) == ("lin", "林评价", "evaluator")
    (stored,) = con.execute("select password_hash from app_user").fetchone()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert _audit(con) == [("admin", "user_created", "lin")]


def test_passwords_shorter_than_ten_characters_are_refused_outside_demo_warehouses(con) -> None:
    with pytest.raises(WeakPassword, match="10"):
        add_account(con, username="a1", role="admin", password="x" * (MIN_LENGTH - 1),
                    actor="t", demo=False)  # fmt: skip
    add_account(con, username="a2", role="admin", password="demo", actor="t", demo=True)
    assert [a.username for a in accounts.list_accounts(con)] == ["a2"]


@pytest.mark.parametrize(
    ("role", "sites", "needle"),
    [
        ("king", (), "role 'king' is not valid"),
        ("pilot_site", (), "needs at least one --site"),
        ("ministry", ("S1",), "takes no --site"),
        ("pilot_site", ("S1", "S9"), "pilot site S9 is not registered"),
    ],
)
def test_account_rules_are_explained_in_both_languages(con, role, sites, needle) -> None:
    with pytest.raises(AccountError) as err:
        _add(con, role=role, sites=sites)
    assert needle in str(err.value) and " / " in str(err.value)
    assert err.value.message.zh and not accounts.list_accounts(con)


def test_a_username_is_unique_whatever_its_case(con) -> None:
    _add(con, "lin")
    with pytest.raises(AccountError, match="already exists"):
        _add(con, "LIN")


def test_a_pilot_site_account_sees_only_its_sites(con) -> None:
    account = _add(con, "site-a", "pilot_site", sites=("S2", "S1"))
    assert account.sites == ("S1", "S2")
    assert account.user().access().site_ids == ("S1", "S2")
    assert _add(con, "mof", "ministry").user().access().sees_everything


def test_a_correct_password_signs_in_and_opens_a_session(con) -> None:
    _add(con)
    outcome = sign_in(con, " Lin ", PASSWORD, lifetime=HOUR, now=T0)
    assert outcome.user is not None and outcome.user.username == "lin" and outcome.token
    assert sessions.session_user(con, outcome.token, now=T0 + timedelta(minutes=5)) == outcome.user
    assert _audit(con)[-1] == ("lin", "sign_in", "lin")


def test_a_wrong_password_and_an_unknown_name_fail_alike_and_are_audited(con) -> None:
    _add(con)
    wrong = sign_in(con, "lin", "not it at all", lifetime=HOUR, now=T0)
    nobody = sign_in(con, "nobody", PASSWORD, lifetime=HOUR, now=T0)
    assert wrong.reason == nobody.reason == "bad_credentials"
    assert wrong.user is None and nobody.token is None
    assert _audit(con)[-2:] == [
        ("lin", "sign_in_failed", "lin"),
        ("nobody", "sign_in_failed", "nobody"),
    ]
    assert con.execute("select count(*) from app_session").fetchone() == (0,)


def test_five_failures_lock_the_account_for_fifteen_minutes(con) -> None:
    _add(con)
    for i in range(4):
        assert sign_in(
            con, "lin", "wrong", lifetime=HOUR, now=T0 + timedelta(seconds=i)
        ).reason == ("bad_credentials")
    fifth = sign_in(con, "lin", "wrong", lifetime=HOUR, now=T0 + timedelta(seconds=4))
    assert fifth.reason == "locked"
    assert fifth.locked_until == T0 + timedelta(seconds=4, minutes=15)
    # Locked: even the right password is refused, and nothing is verified or counted.
    during = sign_in(con, "lin", PASSWORD, lifetime=HOUR, now=T0 + timedelta(minutes=14))
    assert during.reason == "locked" and during.user is None
    after = sign_in(con, "lin", PASSWORD, lifetime=HOUR, now=T0 + timedelta(minutes=16))
    assert after.user is not None
    account = accounts.get_account(con, "lin")
    assert account.failed_attempts == 0 and account.locked_until is None


def test_a_success_resets_the_count_of_failures(con) -> None:
    _add(con)
    for _ in range(4):
        sign_in(con, "lin", "wrong", lifetime=HOUR, now=T0)
    assert sign_in(con, "lin", PASSWORD, lifetime=HOUR, now=T0).user is not None
    for _ in range(4):
        assert sign_in(con, "lin", "wrong", lifetime=HOUR, now=T0).reason == "bad_credentials"


def test_a_reset_password_lifts_the_lockout_and_ends_open_sessions(con) -> None:
    _add(con)
    token = sign_in(con, "lin", PASSWORD, lifetime=HOUR).token
    for _ in range(5):
        sign_in(con, "lin", "wrong", lifetime=HOUR)
    assert sign_in(con, "lin", PASSWORD, lifetime=HOUR).reason == "locked"
    accounts.reset_password(con, "lin", "a new long password", actor="admin", demo=False)
    assert sessions.session_user(con, token) is None
    assert sign_in(con, "lin", "a new long password", lifetime=HOUR).user is not None
    assert ("admin", "password_reset", "lin") in _audit(con)


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(con) -> None:
    _add(con)
    token = sign_in(con, "lin", PASSWORD, lifetime=HOUR).token
    accounts.set_active(con, "lin", active=False, actor="admin")
    assert sessions.session_user(con, token) is None
    assert sign_in(con, "lin", PASSWORD, lifetime=HOUR).reason == "disabled"
    accounts.set_active(con, "lin", active=True, actor="admin")
    assert sign_in(con, "lin", PASSWORD, lifetime=HOUR).user is not None


def test_sign_out_revokes_the_session_and_is_audited(con) -> None:
    _add(con)
    token = sign_in(con, "lin", PASSWORD, lifetime=HOUR).token
    assert sessions.end_session(con, token) is True
    assert sessions.session_user(con, token) is None
    assert sessions.end_session(con, token) is False  # once
    assert [a for _, a, _ in _audit(con)].count("sign_out") == 1


def test_an_expired_session_is_refused(con) -> None:
    _add(con)
    token = sign_in(con, "lin", PASSWORD, lifetime=HOUR, now=T0).token
    assert sessions.session_user(con, token, now=T0 + HOUR - timedelta(seconds=1)) is not None
    assert sessions.session_user(con, token, now=T0 + HOUR) is None


def test_only_a_digest_of_the_session_token_is_stored(con) -> None:
    _add(con)
    token = sign_in(con, "lin", PASSWORD, lifetime=HOUR).token
    (stored,) = con.execute("select token_sha256 from app_session").fetchone()
    assert token not in stored and len(stored) == 64


def test_a_failing_sign_in_leaves_neither_session_nor_audit_row(con, monkeypatch) -> None:
    _add(con)
    before = _audit(con)

    def broken(*args: object, **kwargs: object) -> str:
        msg = "disk full"
        raise RuntimeError(msg)

    monkeypatch.setattr(sessions, "open_session", broken)
    with pytest.raises(RuntimeError):
        sign_in(con, "lin", PASSWORD, lifetime=HOUR)
    assert _audit(con) == before  # the audit row went with the failed action
    assert con.execute("select count(*) from app_session").fetchone() == (0,)


def test_a_failing_audit_row_undoes_the_account_change(con, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        msg = "audit unavailable"
        raise RuntimeError(msg)

    monkeypatch.setattr(accounts, "record", broken)
    with pytest.raises(RuntimeError):
        _add(con)
    assert accounts.list_accounts(con) == []
