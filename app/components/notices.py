"""Notices shown on every page: synthetic demo data, a missing warehouse."""

from __future__ import annotations

import streamlit as st

from app.i18n import Translator


def demo_banner(is_demo: bool, t: Translator) -> None:
    """Say plainly that the figures are synthetic demo data, when they are."""
    if is_demo:
        st.warning(t("common.demo_notice"))
