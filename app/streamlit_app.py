"""stdeval dashboard entry point: it only routes (``st.navigation``)."""

from __future__ import annotations

import duckdb
import streamlit as st

from app.auth.roles import ROLE_TITLE_KEYS
from app.auth.session import current_user, sign_out
from app.connection import wait_for_warehouse, warehouse_path
from app.live import following_new_data
from app.nav import SIGN_IN, PageSpec, pages_for
from app.session import language_switch, translator
from etl.warehouse import NotAWarehouse, warehouse_exists

st.set_page_config(page_title="stdeval", layout="wide")
language_switch()
t = translator()
st.set_page_config(page_title=f"{t('app.name')} · stdeval")
st.sidebar.caption(t("app.tagline"))


def _halt(key: str, *, busy: bool = False, **values: object) -> None:
    """Explain why the warehouse cannot be shown (message ``key``) and end this run."""
    st.title(t("app.name"))
    message = t(key, path=str(warehouse_path()), **values)
    if busy:  # it will pass: offer to try again
        st.warning(message)
        st.button(t("app.retry"))
    else:
        st.error(message)
    st.stop()


if not warehouse_exists(warehouse_path()):
    _halt("app.no_warehouse")
try:
    with st.spinner(t("app.warehouse_busy_wait")):
        ready = wait_for_warehouse()
except NotAWarehouse:
    _halt("app.not_a_warehouse")
except duckdb.Error as exc:  # a damaged file: say so, never a traceback
    _halt("app.warehouse_error", detail=str(exc))
if not ready:
    # Another process (an import or a scoring run from the command line) holds
    # the warehouse; no lock error reaches the user.
    _halt("app.warehouse_busy", busy=True)


def _page(spec: PageSpec) -> st.Page:
    return st.Page(spec.path, title=t(spec.title_key), url_path=spec.key, default=spec.default)


# Only the pages of the signed-in user's role are registered: a page that is
# not registered answers "page not found", even to someone who knows its URL.
user = current_user()
if user is None:
    st.navigation([_page(SIGN_IN)]).run()
else:
    # One process-wide change check reruns the open pages where they are when
    # rows are loaded or a score run is stored, once their run has ended
    # (app/live.py): no per-session polling, and no action cut short.
    with following_new_data():
        st.sidebar.caption(
            t("auth.signed_in_as", name=user.display_name, role=t(ROLE_TITLE_KEYS[user.role]))
        )
        if st.sidebar.button(t("auth.sign_out"), key="sidebar_sign_out"):
            sign_out()  # the browser goes through the sign-out route back to sign-in
            st.success(t("auth.signed_out"))
            st.stop()
        st.navigation([_page(spec) for spec in pages_for(user.role)]).run()
