"""Sign-in (登录): username and password; on a demo warehouse, the demo accounts."""

from __future__ import annotations

from datetime import UTC

import streamlit as st

from app.auth.accounts import list_accounts
from app.auth.roles import ROLE_TITLE_KEYS
from app.auth.session import sign_in
from app.connection import cursor
from app.session import translator
from metrics.overview import is_demo

t = translator()
st.title(t("auth.sign_in_title"))

with st.form("sign_in"):
    username = st.text_input(t("auth.username"), key="sign_in_username")
    password = st.text_input(t("auth.password"), type="password", key="sign_in_password")
    submitted = st.form_submit_button(t("auth.sign_in"), key="sign_in_submit")

if submitted:
    outcome = sign_in(username, password)
    if outcome.user is not None:
        # No rerun here: it would drop the browser's redirect to the cookie
        # route; the browser comes back to a fresh, signed-in page by itself.
        st.success(t("auth.signing_in", name=outcome.user.display_name))
        st.stop()
    elif outcome.reason == "locked" and outcome.locked_until is not None:
        until = outcome.locked_until.replace(tzinfo=UTC).strftime("%H:%M UTC")
        st.error(t("auth.locked", until=until))
    elif outcome.reason == "disabled":
        st.error(t("auth.disabled"))
    else:
        st.error(t("auth.bad_credentials"))

cur = cursor()
if is_demo(cur):
    # Only a demo warehouse lists its accounts: its data and people are synthetic.
    st.info(t("auth.demo_accounts"))
    st.dataframe(
        [
            {
                t("auth.username"): a.username,
                t("auth.role"): t(ROLE_TITLE_KEYS[a.role]),
                t("auth.sites"): ", ".join(a.sites),
            }
            for a in list_accounts(cur)
            if a.active
        ],
        hide_index=True,
    )
elif not list_accounts(cur):
    st.info(t("auth.no_accounts"))
