"""The signed session cookie and the short-lived ticket that sets it.

A Streamlit script cannot set a cookie, so sign-in goes: the page opens a
session and sends the browser to ``/stdeval/session?ticket=...`` (a route of
:mod:`app.auth.routes`); the route turns the ticket, valid for
:data:`TICKET_SECONDS`, into an HttpOnly cookie and sends the browser back.
Both are signed with itsdangerous under a secret that lives in the data
folder (``STDEVAL_COOKIE_SECRET_FILE``, mode 0600, generated on first use)
and is never committed.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from datasets.messages import BilingualError, Message
from etl.settings import data_dir, read_setting

COOKIE_NAME = "stdeval_session"
TICKET_SECONDS = 60
_COOKIE_SALT = "stdeval.session-cookie"
_TICKET_SALT = "stdeval.sign-in-ticket"


def secret_path() -> Path:
    """The file that holds the signing secret (relative settings are below the data folder)."""
    path = read_setting("STDEVAL_COOKIE_SECRET_FILE")
    return path if path.is_absolute() else data_dir() / path


def signing_secret() -> str:
    """Return the signing secret, generating it (mode 0600) the first time."""
    path = secret_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two processes starting at once agree on one secret
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(48))
    secret = path.read_text("utf-8").strip()
    if len(secret) < 32:
        msg = Message(
            f"会话密钥文件 {path} 太短或为空，请删除它以重新生成",
            f"the session secret file {path} is empty or too short; delete it to generate a new one",
        )
        raise BilingualError(msg)
    return secret


def session_lifetime() -> timedelta:
    """How long a sign-in lasts (``STDEVAL_SESSION_HOURS``).

    Raises
    ------
    etl.settings.SettingError
        The variable holds something other than a positive number of hours.
    """
    return timedelta(hours=read_setting("STDEVAL_SESSION_HOURS"))


def _serializer(salt: str, secret: str | None = None) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret or signing_secret(), salt=salt)


def make_ticket(token: str, *, secret: str | None = None) -> str:
    """Sign a session token as a ticket for the cookie route."""
    return _serializer(_TICKET_SALT, secret).dumps(token)


def read_ticket(ticket: str, *, secret: str | None = None) -> str | None:
    """Return the token of a ticket signed less than :data:`TICKET_SECONDS` ago, else ``None``."""
    return _loads(_serializer(_TICKET_SALT, secret), ticket, TICKET_SECONDS)


def make_cookie(token: str, *, secret: str | None = None) -> str:
    """Sign a session token as the cookie's value."""
    return _serializer(_COOKIE_SALT, secret).dumps(token)


def read_cookie(value: str | None, *, secret: str | None = None) -> str | None:
    """Return the token of a well-signed, unexpired cookie value, else ``None`` (tampered, old).

    Examples
    --------
    >>> key = "k" * 40
    >>> read_cookie(make_cookie("tok", secret=key), secret=key)
    'tok'
    >>> read_cookie(make_cookie("tok", secret=key) + "x", secret=key) is None
    True
    """
    if not value:
        return None
    seconds = int(session_lifetime().total_seconds())
    return _loads(_serializer(_COOKIE_SALT, secret), value, seconds)


def _loads(serializer: URLSafeTimedSerializer, value: str, max_age: int) -> str | None:
    try:
        token = serializer.loads(value, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    return token if isinstance(token, str) else None
