"""Warehouse settings (设置), for administrators: whether unapproved feedback counts."""

from __future__ import annotations

import time

import streamlit as st

from app.auth.session import require_action, require_page
from app.connection import cursor
from app.session import translator
from etl.stored_settings import counts_unapproved, set_counts_unapproved

FLASH_SECONDS = 15.0
t = translator()
user = require_page("settings", t)
require_action(user, "manage_settings", t)
st.title(t("approvals.settings_title"))
st.caption(t("approvals.settings_subtitle"))

cur = cursor()
# The notice of the last change outlives the live rerun that change causes (app/live.py).
flash = st.session_state.get("settings_flash")
if flash and time.monotonic() - flash[1] < FLASH_SECONDS:
    st.success(flash[0])
stored = counts_unapproved(cur)
wanted = st.toggle(t("approvals.setting_count_unapproved"), value=stored, key="settings_count")
st.caption(t("approvals.setting_count_unapproved_help"))
if st.button(t("approvals.settings_save"), key="settings_save", disabled=wanted == stored):
    require_action(user, "manage_settings", t)  # the role again, at the action
    set_counts_unapproved(cur, wanted, actor=user.username)  # audited in its transaction
    saved = t("approvals.settings_saved_on" if wanted else "approvals.settings_saved_off")
    st.session_state["settings_flash"] = (saved, time.monotonic())
    st.rerun()
