"""Sign-in (登录): username and password; OIDC (st.login) where configured; on a demo warehouse, the demo accounts."""

from __future__ import annotations

from datetime import UTC

import streamlit as st
from streamlit import config

from app.auth.accounts import list_accounts
from app.auth.oidc_config import authlib_installed, oidc_problems, read_auth_section
from app.auth.roles import ROLE_TITLE_KEYS
from app.auth.session import sign_in, sign_in_oidc
from app.connection import cursor
from app.session import translator
from etl.settings import read_setting
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

provider = read_setting("STDEVAL_OIDC_PROVIDER")
if provider:  # single sign-on beside the form (README "Accounts and sign-in")
    st.subheader(t("auth.oidc_heading"))
    problems = oidc_problems(
        provider,
        read_auth_section(),
        port=int(config.get_option("server.port")),
        authlib=authlib_installed(),
    )
    if problems:
        st.warning(t("auth.oidc_not_ready"))
        for problem in problems:
            st.error(problem.text(t.lang))
    elif st.user.to_dict().get("is_logged_in") is True:  # back from the provider: whose account?
        reason = st.session_state.get("oidc_refused")  # one attempt (and audit row) per visit
        if reason is None:
            outcome = sign_in_oidc(provider)
            if outcome.user is not None:
                st.success(t("auth.signing_in", name=outcome.user.display_name))
                st.stop()
            reason = st.session_state["oidc_refused"] = outcome.reason
        st.error(t("auth.disabled" if reason == "disabled" else f"auth.oidc_{reason}"))
        st.button(t("auth.oidc_other"), on_click=st.logout, key="oidc_sign_out")
    else:
        st.button(t("auth.oidc_sign_in"), on_click=st.login, args=(provider,), key="oidc_sign_in")

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
