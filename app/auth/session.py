"""The one reader of the signed-in user, and the sign-in, sign-out and role checks of pages.

Every run asks the warehouse whether the session is still live, so a
sign-out, a disabled account or a reset password takes effect at once,
in every browser. Within a browser session the token is kept in
``st.session_state``; after a reload it comes from the signed cookie that
``/stdeval/session`` set (:mod:`app.auth.routes`).
"""

from __future__ import annotations

from urllib.parse import quote

import duckdb
import streamlit as st
from streamlit import config
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app.auth import accounts, oidc, sessions
from app.auth.accounts import SignIn
from app.auth.cookies import COOKIE_NAME, make_ticket, read_cookie, session_lifetime
from app.auth.identity import User
from app.auth.routes import SESSION_PATH, SIGN_OUT_PATH
from app.connection import cursor
from app.i18n import Translator
from app.nav import page_spec

_TOKEN_KEY = "auth_token"
_SIGNED_OUT_KEY = "auth_signed_out"
_RUN_USER_KEY = "auth_run_user"  # (the run, its user): see current_user


def _this_run() -> object | None:
    """An object that stands for the current script run of this session (``None`` outside one).

    Streamlit gives every run a new ``cursors`` dict (``ScriptRunContext.reset``);
    holding it keeps its identity from being reused by a later run.
    """
    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.cursors


def current_user() -> User | None:
    """Return the signed-in user of this browser session, or ``None``.

    The warehouse is asked once per script run (the entry point, the page's
    role check and its access scope all ask); later calls in the same run
    get the same answer.
    """
    run = _this_run()
    checked = st.session_state.get(_RUN_USER_KEY)
    if run is not None and checked is not None and checked[0] is run:
        return checked[1]
    token = st.session_state.get(_TOKEN_KEY)
    if token is None and not st.session_state.get(_SIGNED_OUT_KEY):
        token = read_cookie(st.context.cookies.get(COOKIE_NAME))
    user = sessions.session_user(cursor(), token) if token else None
    if user is None:
        st.session_state.pop(_TOKEN_KEY, None)
    else:
        st.session_state[_TOKEN_KEY] = token
    if run is not None:
        st.session_state[_RUN_USER_KEY] = (run, user)
    return user


def _forget_checked_user() -> None:
    """Sign-in or sign-out changed who this is: the next call asks the warehouse again."""
    st.session_state.pop(_RUN_USER_KEY, None)


def _redirect(path: str) -> None:
    """Send the browser to one of our routes (as ``st.login`` sends it to the provider).

    A script cannot set cookies, so the browser fetches them from the route.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    base = config.get_option("server.baseUrlPath").strip("/")
    message = ForwardMsg()
    message.auth_redirect.url = (f"/{base}" if base else "") + path
    ctx.enqueue(message)


def sign_in(username: str, password: str) -> SignIn:
    """Check the password; on success keep the session here and have the browser store its cookie."""
    try:
        outcome = accounts.sign_in(cursor(), username, password, lifetime=session_lifetime())
    except duckdb.TransactionException:  # two sign-ins of one account at once: try again once
        outcome = accounts.sign_in(cursor(), username, password, lifetime=session_lifetime())
    _keep(outcome)
    return outcome


def sign_in_oidc(provider: str) -> SignIn:
    """Map the ``st.user`` of an OIDC sign-in to its account (app/auth/oidc.py), as :func:`sign_in`."""
    claims = st.user.to_dict()
    outcome = oidc.sign_in_with_claims(
        cursor(), claims, provider=provider, lifetime=session_lifetime()
    )
    _keep(outcome)
    return outcome


def _keep(outcome: SignIn) -> None:
    """A session was opened: keep it here and have the browser store its cookie."""
    if outcome.token is not None:
        _forget_checked_user()
        st.session_state[_TOKEN_KEY] = outcome.token
        st.session_state.pop(_SIGNED_OUT_KEY, None)
        _redirect(f"{SESSION_PATH}?ticket={quote(make_ticket(outcome.token))}")


def sign_out() -> None:
    """End the session on the server (its cookie stops working) and delete the cookie."""
    token = st.session_state.pop(_TOKEN_KEY, None)
    if token is None:
        token = read_cookie(st.context.cookies.get(COOKIE_NAME))
    if token is not None:
        sessions.end_session(cursor(), token)
    st.session_state[_SIGNED_OUT_KEY] = True
    _forget_checked_user()
    _redirect(SIGN_OUT_PATH)


def _refuse(t: Translator) -> None:
    st.error(t("auth.forbidden"))
    st.stop()


def require_page(key: str, t: Translator) -> User:
    """Return the signed-in user if their role may see page ``key``; otherwise stop the page.

    The entry point never registers a page a role may not see; this check is
    the second lock, on every page.
    """
    user = current_user()
    if user is None or user.role not in page_spec(key).roles:
        _refuse(t)
    return user  # type: ignore[return-value]


def require_action(user: User, action: str, t: Translator) -> None:
    """Stop the page unless ``user`` may perform ``action`` (app/auth/roles.py)."""
    if not user.may(action):
        _refuse(t)
