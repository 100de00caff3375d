"""The signed session cookie: set by its route, HttpOnly, refused when tampered or old."""

from __future__ import annotations

import asyncio
import stat
import time
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from app.auth import cookies
from app.auth.cookies import COOKIE_NAME, make_cookie, make_ticket, read_cookie, read_ticket
from app.auth.routes import SESSION_PATH, SIGN_OUT_PATH, auth_routes
from etl.settings import SettingError


def _get(path: str, query: dict[str, str] | None = None, scheme: str = "http"):
    handler = next(r.endpoint for r in auth_routes() if r.path == path)
    scope = {
        "type": "http", "method": "GET", "path": path, "root_path": "", "scheme": scheme,
        "query_string": urlencode(query or {}).encode(), "headers": [],
        "server": ("127.0.0.1", 8501),
    }  # fmt: skip
    return asyncio.run(handler(Request(scope)))


def test_the_secret_is_generated_once_into_the_data_folder_readable_by_its_owner_only() -> None:
    first = cookies.signing_secret()
    path = cookies.secret_path()
    assert path.parent == cookies.data_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32 and cookies.signing_secret() == first


def test_a_ticket_becomes_an_httponly_cookie_and_a_redirect_home() -> None:
    response = _get(SESSION_PATH, {"ticket": make_ticket("tok-1")})
    assert response.status_code == 303 and response.headers["location"] == "/"
    header = response.headers["set-cookie"]
    assert header.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in header and "SameSite=lax" in header and "Path=/" in header
    assert "Max-Age=28800" in header  # STDEVAL_SESSION_HOURS, 8 by default
    value = header.split(";")[0].split("=", 1)[1].strip('"')
    assert read_cookie(value) == "tok-1"


def test_the_cookie_is_secure_over_https() -> None:
    response = _get(SESSION_PATH, {"ticket": make_ticket("tok")}, scheme="https")
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize("kind", ["empty", "garbage", "other secret", "a cookie value"])
def test_a_bad_ticket_sets_no_cookie(kind: str) -> None:
    ticket = {
        "empty": "",
        "garbage": "garbage",
        "other secret": make_ticket("tok", secret="x" * 40),
        "a cookie value": make_cookie("tok"),
    }[kind]
    response = _get(SESSION_PATH, {"ticket": ticket})
    assert response.status_code == 303 and "set-cookie" not in response.headers


def test_a_cookie_value_is_not_a_ticket_nor_the_other_way_round() -> None:
    assert read_ticket(make_cookie("tok")) is None
    assert read_cookie(make_ticket("tok")) is None


def test_sign_out_route_deletes_the_cookie() -> None:
    response = _get(SIGN_OUT_PATH)
    header = response.headers["set-cookie"]
    assert header.startswith(f'{COOKIE_NAME}=""') and "Max-Age=0" in header


def test_sign_out_route_also_deletes_the_identity_of_an_oidc_sign_in() -> None:
    # else the sign-in page would map st.user to the account again at once
    headers = [v.decode() for k, v in _get(SIGN_OUT_PATH).raw_headers if k == b"set-cookie"]
    deleted = [h.split("=", 1)[0] for h in headers if "Max-Age=0" in h]
    assert deleted == [COOKIE_NAME, "_streamlit_user", "_streamlit_user_tokens"]


def test_a_tampered_cookie_is_refused() -> None:
    good = make_cookie("tok-2")
    payload, rest = good.split(".", 1)
    forged = make_cookie("someone-else").split(".", 1)[0] + "." + rest
    assert read_cookie(good) == "tok-2"
    assert read_cookie(forged) is None
    # A middle character of the signature: the last one may carry only padding
    # bits, so changing it can leave the signature's bytes as they were.
    at = len(good) - 5
    assert read_cookie(good[:at] + ("A" if good[at] != "A" else "B") + good[at + 1 :]) is None
    assert read_cookie(make_cookie("tok-2", secret="another secret of forty chars....")) is None
    assert read_cookie("") is None and read_cookie(None) is None


def test_a_cookie_older_than_the_session_lifetime_is_refused(monkeypatch) -> None:
    value = make_cookie("tok-3")
    monkeypatch.setenv("STDEVAL_SESSION_HOURS", str(0.4 / 3600))  # 0.4 s: rounds down to 0 s
    time.sleep(1.1)
    assert read_cookie(value) is None


def test_the_session_lifetime_is_a_setting(monkeypatch) -> None:
    monkeypatch.setenv("STDEVAL_SESSION_HOURS", "2")
    assert cookies.session_lifetime().total_seconds() == 7200
    monkeypatch.setenv("STDEVAL_SESSION_HOURS", "soon")
    with pytest.raises(SettingError, match="STDEVAL_SESSION_HOURS"):
        cookies.session_lifetime()
