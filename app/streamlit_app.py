"""stdeval dashboard entry point: it only routes (``st.navigation``)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.connection import warehouse_path
from app.session import language_switch, translator

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="stdeval", layout="wide")
language_switch()
t = translator()
st.sidebar.caption(t("app.tagline"))

if not warehouse_path().exists():
    st.title(t("app.name"))
    st.error(t("app.no_warehouse", path=str(warehouse_path())))
    st.stop()

pages = [
    st.Page(VIEWS / "overview.py", title=t("nav.overview"), url_path="overview",
            default=True),
]
st.navigation(pages).run()
