"""Two HTTP routes beside Streamlit's (``st.App(routes=...)``): set and clear the cookie.

``GET /stdeval/session?ticket=...`` turns a sign-in ticket into the signed,
HttpOnly session cookie; ``GET /stdeval/sign-out`` deletes it (and the
identity cookie of an OIDC sign-in). Both answer
with a redirect to the app. They never touch the warehouse: whether a
session is live is decided by the app on every run.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route
from streamlit.web.server.server_util import AUTH_COOKIE_NAME, TOKENS_COOKIE_NAME

from app.auth.cookies import COOKIE_NAME, make_cookie, read_ticket, session_lifetime

SESSION_PATH = "/stdeval/session"
SIGN_OUT_PATH = "/stdeval/sign-out"


def _home(request: Request) -> str:
    return request.scope.get("root_path", "") + "/"


def _no_store(response: RedirectResponse) -> RedirectResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


async def set_session_cookie(request: Request) -> RedirectResponse:
    """Set the cookie for a valid ticket (a bad or old ticket sets nothing) and go home."""
    response = _no_store(RedirectResponse(_home(request), status_code=303))
    token = read_ticket(request.query_params.get("ticket", ""))
    if token is not None:
        response.set_cookie(
            COOKIE_NAME,
            make_cookie(token),
            max_age=int(session_lifetime().total_seconds()),
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


async def clear_session_cookie(request: Request) -> RedirectResponse:
    """Delete the cookie and go home (the session itself was revoked by the app)."""
    response = _no_store(RedirectResponse(_home(request), status_code=303))
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax")
    # And the identity an OIDC sign-in left (st.login): else the sign-in page
    # would map it to the account again at once.
    for name in (AUTH_COOKIE_NAME, TOKENS_COOKIE_NAME):
        response.delete_cookie(name, path="/")
    return response


def auth_routes() -> list[Route]:
    """The routes to hand to ``st.App``."""
    return [
        Route(SESSION_PATH, set_session_cookie, methods=["GET"]),
        Route(SIGN_OUT_PATH, clear_session_cookie, methods=["GET"]),
    ]
