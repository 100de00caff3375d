"""Sign in through the real sign-in page of an AppTest, as a person would."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.auth.accounts import add_account
from etl.warehouse import connect
from metrics.overview import is_demo

APP = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")
DEMO_PASSWORD = "demo"
#: The password of accounts that tests add to warehouses that are not demos.
REAL_PASSWORD = "correct horse battery"


def on_sign_in_page(at: AppTest) -> bool:
    """Whether the run shows the sign-in form."""
    return any(w.key == "sign_in_username" for w in at.text_input)


def sign_in(at: AppTest, username: str, password: str = DEMO_PASSWORD) -> AppTest:
    """Fill in the sign-in form of ``at`` and submit it."""
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    at.button(key="sign_in_submit").click().run()
    assert not at.exception, at.exception
    if at.success:  # signed in: a browser would now come back through the cookie route
        at.run()
        assert not at.exception, at.exception
    return at


def add_user(db: Path, username: str, role: str, *, sites: tuple[str, ...] = ()) -> None:
    """Add an account with :data:`REAL_PASSWORD` to the warehouse ``db``."""
    con = connect(db)
    try:
        add_account(con, username=username, role=role, sites=sites, password=REAL_PASSWORD,
                    actor="tests", demo=False)  # fmt: skip
    finally:
        con.close()


def password_of(db: Path) -> str:
    """The password of the ministry account of ``db``: the demo one on a demo warehouse."""
    # Read-write like the app's own cached connection: DuckDB refuses a second
    # connection of another configuration to the same file in one process.
    con = connect(db)
    try:
        demo = is_demo(con)
    finally:
        con.close()
    return DEMO_PASSWORD if demo else REAL_PASSWORD
