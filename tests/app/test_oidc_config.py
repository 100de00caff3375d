"""OIDC sign-in is offered only when configured: each configuration error is named, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import app.auth.oidc_config as oidc_config
from app.auth.oidc_config import oidc_problems, read_auth_section
from app.cli import cli

HAN = re.compile(r"[\u4e00-\u9fff]")
PROVIDER = {
    "client_id": "stdeval",
    "client_secret": "s3cret",
    "server_metadata_url": "https://idp.example.cn/.well-known/openid-configuration",
}


def _auth(**changes: object) -> dict[str, object]:
    auth: dict[str, object] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a long random cookie secret",
        "keycloak": dict(PROVIDER),
    }
    for key, value in changes.items():
        if value is None:
            auth.pop(key, None)
        else:
            auth[key] = value
    return auth


def _problems(provider: str = "keycloak", auth=None, *, port: int = 8501, authlib: bool = True):
    found = oidc_problems(provider, auth, port=port, authlib=authlib)
    for message in found:  # every message in both languages, never one for the other
        assert HAN.search(message.zh) and not HAN.search(message.en), message
    return found


def test_a_complete_section_for_the_named_provider_has_no_problem() -> None:
    assert _problems(auth=_auth()) == []
    assert (
        _problems(auth=_auth(redirect_uri="http://localhost:{port}/oauth2callback"), port=9000)
        == []
    )
    flat = {**_auth(keycloak=None), **PROVIDER}  # the keys directly in [auth]
    assert _problems("default", flat) == []


def test_off_means_nothing_is_checked() -> None:
    assert oidc_problems("", None, port=8501, authlib=False) == []


def test_a_missing_auth_section_is_named_with_the_files_to_look_in() -> None:
    (problem,) = _problems(auth=None)
    assert "[auth]" in problem.en and "STDEVAL_OIDC_PROVIDER=keycloak" in problem.en
    assert str(oidc_config.SECRETS_FILES[-1]) in problem.zh


def test_a_partial_auth_section_names_the_missing_keys() -> None:
    (problem,) = _problems(auth=_auth(cookie_secret=None))
    assert "cookie_secret" in problem.en and "cookie_secret" in problem.zh
    partial = _auth(keycloak={"client_id": "stdeval"})
    (problem,) = _problems(auth=partial)
    assert "[auth.keycloak]" in problem.en
    assert "client_secret, server_metadata_url" in problem.en


def test_an_unknown_provider_name_lists_the_known_ones() -> None:
    (problem,) = _problems("okta", _auth())
    assert "[auth.okta]" in problem.en and "keycloak" in problem.en
    assert "okta" in problem.zh


def test_missing_authlib_is_named() -> None:
    (problem,) = _problems(auth=_auth(), authlib=False)
    assert "Authlib" in problem.en and "make install" in problem.zh
    assert oidc_config.authlib_installed()  # the lock installs it


@pytest.mark.parametrize(
    ("uri", "port", "words"),
    [
        ("http://localhost:8501/oauth2callback", 8600, ("port 8501", "port 8600")),
        ("http://localhost/oauth2callback", 8501, ("port 80", "port 8501")),
        ("http://localhost:8501/callback", 8501, ("/oauth2callback",)),
        ("localhost:8501/oauth2callback", 8501, ("absolute",)),
    ],
)
def test_a_redirect_uri_not_matching_the_dashboard_is_refused(uri, port, words) -> None:
    (problem,) = _problems(auth=_auth(redirect_uri=uri), port=port)
    for word in words:
        assert word in problem.en, problem.en


def test_the_secrets_files_merge_as_streamlit_reads_them(tmp_path: Path) -> None:
    user, project, broken = tmp_path / "user.toml", tmp_path / "project.toml", tmp_path / "x.toml"
    user.write_text('[auth]\nredirect_uri = "http://a:1/oauth2callback"\ncookie_secret = "u"\n')
    project.write_text('[auth]\ncookie_secret = "p"\n[auth.keycloak]\nclient_id = "c"\n')
    broken.write_text("[auth\n")
    assert read_auth_section([tmp_path / "none.toml"]) is None
    assert read_auth_section([broken]) is None
    merged = read_auth_section([user, project, broken])
    assert merged == {
        "redirect_uri": "http://a:1/oauth2callback",
        "cookie_secret": "p",
        "keycloak": {"client_id": "c"},
    }


def test_serve_refuses_to_start_with_one_line(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "x"\n'
    )
    monkeypatch.setattr(oidc_config, "SECRETS_FILES", (secrets,))
    monkeypatch.setenv("STDEVAL_OIDC_PROVIDER", "keycloak")
    db = tmp_path / "w.duckdb"
    db.write_bytes(demo_warehouse.read_bytes())
    monkeypatch.setattr("os.execve", lambda *a: pytest.fail("serve started despite the error"))
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "8501"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "[auth.keycloak]" in lines[0] and HAN.search(lines[0])
    # a redirect_uri for another port: the same one-line refusal
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "x"\n'
        '[auth.keycloak]\nclient_id = "c"\nclient_secret = "s"\n'
        'server_metadata_url = "https://idp/.well-known/openid-configuration"\n'
    )
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "8700"])
    assert result.exit_code == 2
    assert "port 8501" in result.stderr and "8700" in result.stderr
