"""Warehouse settings (设置), for administrators: whether unapproved feedback counts."""

from __future__ import annotations

import streamlit as st

from app.auth.session import require_action, require_page
from app.components.notices import keep_notice, show_notice
from app.connection import cursor
from app.session import translator
from etl.stored_settings import counts_unapproved, set_counts_unapproved

t = translator()
user = require_page("settings", t)
require_action(user, "manage_settings", t)
st.title(t("approvals.settings_title"))
st.caption(t("approvals.settings_subtitle"))

cur = cursor()
show_notice("settings_flash")
stored = counts_unapproved(cur)
wanted = st.toggle(t("approvals.setting_count_unapproved"), value=stored, key="settings_count")
st.caption(t("approvals.setting_count_unapproved_help"))
if st.button(t("approvals.settings_save"), key="settings_save", disabled=wanted == stored):
    require_action(user, "manage_settings", t)  # the role again, at the action
    set_counts_unapproved(cur, wanted, actor=user.username)  # audited in its transaction
    saved = t("approvals.settings_saved_on" if wanted else "approvals.settings_saved_off")
    keep_notice("settings_flash", saved)
    st.rerun()
