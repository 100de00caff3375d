"""My account (我的账户): who is signed in, with which role and sites; sign out."""

from __future__ import annotations

import streamlit as st

from app.auth.roles import ROLE_TITLE_KEYS
from app.auth.session import require_page, sign_out
from app.session import translator

t = translator()
user = require_page("account", t)
st.title(t("auth.account_title"))
st.write(t("auth.account_name", name=user.display_name, username=user.username))
st.write(t("auth.account_role", role=t(ROLE_TITLE_KEYS[user.role])))
if user.sites:
    st.write(t("auth.account_sites", sites=", ".join(user.sites)))
if st.button(t("auth.sign_out"), key="account_sign_out"):
    sign_out()  # the browser goes through the sign-out route back to sign-in
    st.success(t("auth.signed_out"))
