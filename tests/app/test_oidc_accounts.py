"""An OIDC identity (the claims of ``st.user``) signs in to the account an administrator bound it to."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import app.auth.oidc_config as oidc_config
from app.auth import sessions
from app.auth.accounts import AccountError, add_account, set_active
from app.auth.oidc import bind_subject, sign_in_with_claims
from app.cli import cli
from app.i18n import catalogue
from tests.app.signing import APP, REAL_PASSWORD, add_user

HOUR = timedelta(hours=1)
HAN = re.compile(r"[\u4e00-\u9fff]")


def _claims(sub: str | None, **more: object) -> dict[str, object]:
    """What ``st.user.to_dict()`` holds after a provider's sign-in (a fake: no provider here)."""
    claims: dict[str, object] = {"is_logged_in": True, "email": "li@site.example.cn", **more}
    if sub is not None:
        claims["sub"] = sub
    return claims


def _add(
    con: duckdb.DuckDBPyConnection, name: str, role: str, *, sites: tuple[str, ...] = ()
) -> None:
    add_account(con, username=name, role=role, sites=sites, password=REAL_PASSWORD,
                actor="tests", demo=False)  # fmt: skip


def _audit(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    rows = con.execute(
        "select actor, action, target, detail from audit_log order by audit_id"
    ).fetchall()
    return [(a, b, c, json.loads(d) if d else None) for a, b, c, d in rows]


def test_a_bound_identity_signs_in_with_the_role_and_sites_of_its_account(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _add(con, "li", "pilot_site", sites=("S2", "S1"))
    assert bind_subject(con, "li", " 9f1c-77 ", actor="cli:root") == "9f1c-77"
    # the claims carry a role and groups of their own: they count for nothing
    outcome = sign_in_with_claims(
        con, _claims("9f1c-77", role="admin", groups=["admins"]),
        provider="keycloak", lifetime=HOUR,
    )  # fmt: skip
    assert outcome.user is not None and outcome.token is not None
    assert (outcome.user.username, outcome.user.role) == ("li", "pilot_site")
    assert outcome.user.sites == ("S1", "S2")
    assert sessions.session_user(con, outcome.token) == outcome.user
    actor, action, target, detail = _audit(con)[-1]
    assert (actor, action, target) == ("li", "sign_in", "li")
    assert detail == {"via": "oidc", "provider": "keycloak"}
    assert ("cli:root", "oidc_bound", "li") in [a[:3] for a in _audit(con)]


def test_an_identity_with_no_account_is_refused_and_audited(con: duckdb.DuckDBPyConnection) -> None:
    _add(con, "li", "evaluator")
    outcome = sign_in_with_claims(con, _claims("stranger"), provider="keycloak", lifetime=HOUR)
    assert (outcome.user, outcome.token, outcome.reason) == (None, None, "no_account")
    actor, action, target, detail = _audit(con)[-1]
    assert (actor, action, target) == ("oidc:stranger", "sign_in_failed", None)
    assert detail["reason"] == "no_account" and detail["subject"] == "stranger"
    assert detail["email"] == "li@site.example.cn"
    # no subject at all (a provider that sends none, or no sign-in)
    for claims in (_claims(None), _claims(""), {"is_logged_in": False, "sub": "x"}):
        refused = sign_in_with_claims(con, claims, provider="keycloak", lifetime=HOUR)
        assert refused.reason == "no_identity" and refused.token is None
    assert con.execute("select count(*) from app_session").fetchone()[0] == 0


def test_a_disabled_account_is_refused_through_oidc_too(con: duckdb.DuckDBPyConnection) -> None:
    _add(con, "li", "ministry")
    bind_subject(con, "li", "sub-li", actor="tests")
    set_active(con, "li", active=False, actor="tests")
    outcome = sign_in_with_claims(con, _claims("sub-li"), provider="default", lifetime=HOUR)
    assert outcome.reason == "disabled" and outcome.token is None
    assert _audit(con)[-1][:3] == ("li", "sign_in_failed", "li")


def test_one_identity_names_one_account(con: duckdb.DuckDBPyConnection) -> None:
    _add(con, "li", "ministry")
    _add(con, "wang", "ministry")
    bind_subject(con, "li", "same", actor="tests")
    with pytest.raises(AccountError, match="already bound to account li"):
        bind_subject(con, "wang", "same", actor="tests")
    assert bind_subject(con, "li", None, actor="tests") is None  # unbound
    assert bind_subject(con, "wang", "same", actor="tests") == "same"
    outcome = sign_in_with_claims(con, _claims("same"), provider="default", lifetime=HOUR)
    assert outcome.user is not None and outcome.user.username == "wang"


def test_users_bind_on_the_command_line(real_db: Path) -> None:
    add_user(real_db, "li", "evaluator")
    runner = CliRunner()
    done = runner.invoke(
        cli, ["users", "bind", "li", "--oidc-subject", "abc", "--db", str(real_db)]
    )
    assert done.exit_code == 0, done.output
    assert "abc" in done.output
    neither = runner.invoke(cli, ["users", "bind", "li", "--db", str(real_db)])
    assert neither.exit_code == 1 and "--oidc-subject" in neither.output
    unknown = runner.invoke(
        cli, ["users", "bind", "nobody", "--oidc-subject", "x", "--db", str(real_db)]
    )
    assert (
        unknown.exit_code == 1 and "nobody" in unknown.output and "Traceback" not in unknown.output
    )
    cleared = runner.invoke(cli, ["users", "bind", "li", "--clear", "--db", str(real_db)])
    assert cleared.exit_code == 0, cleared.output
    con = duckdb.connect(str(real_db))
    try:
        assert con.execute(
            "select oidc_subject from app_user where username = 'li'"
        ).fetchone() == (None,)
    finally:
        con.close()


def _sign_in_page(monkeypatch, db: Path, secrets: Path, lang: str) -> AppTest:
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", lang)
    monkeypatch.setenv("STDEVAL_OIDC_PROVIDER", "keycloak")
    monkeypatch.setattr(oidc_config, "SECRETS_FILES", (secrets,))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sign_in_page_names_a_configuration_error_and_keeps_the_password_form(
    monkeypatch, real_db: Path, tmp_path: Path, lang: str
) -> None:
    messages = catalogue(lang)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\ncookie_secret = "x"\n')  # partial: no redirect_uri, no provider
    at = _sign_in_page(monkeypatch, real_db, secrets, lang)
    assert [w.value for w in at.warning] == [messages["auth.oidc_not_ready"]]
    errors = [e.value for e in at.error]
    assert any("redirect_uri" in e for e in errors) and any("[auth.keycloak]" in e for e in errors)
    # in the page's language only: Chinese text on the Chinese page, none on the English one
    assert all(bool(HAN.search(e)) == (lang == "zh") for e in errors), errors
    assert not any(b.key == "oidc_sign_in" for b in at.button)
    assert any(w.key == "sign_in_username" for w in at.text_input)  # passwords still work


def test_a_configured_provider_is_offered_beside_the_form(
    monkeypatch, real_db: Path, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "x"\n'
        '[auth.keycloak]\nclient_id = "c"\nclient_secret = "s"\n'
        'server_metadata_url = "https://idp/.well-known/openid-configuration"\n'
    )
    at = _sign_in_page(monkeypatch, real_db, secrets, "zh")
    assert not at.error and not at.warning
    (button,) = [b for b in at.button if b.key == "oidc_sign_in"]
    assert button.label == catalogue("zh")["auth.oidc_sign_in"]
    assert any(w.key == "sign_in_username" for w in at.text_input)
