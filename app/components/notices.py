"""Notices: synthetic demo data, a missing warehouse, the outcome of a change just made."""

from __future__ import annotations

import time

import streamlit as st

from app.i18n import Translator


def demo_banner(is_demo: bool, t: Translator) -> None:
    """Say plainly that the figures are synthetic demo data, when they are."""
    if is_demo:
        st.warning(t("common.demo_notice"))


#: Seconds a change's notice stays: it outlives the live rerun the change causes (app/live.py).
FLASH_SECONDS = 15.0


def keep_notice(key: str, text: str) -> None:
    """Keep ``text`` to show as a success notice on the next runs of this page (see show_notice)."""
    st.session_state[key] = (text, time.monotonic())


def show_notice(key: str) -> None:
    """Show the notice kept under ``key`` while it is younger than :data:`FLASH_SECONDS`."""
    kept = st.session_state.get(key)
    if kept and time.monotonic() - kept[1] < FLASH_SECONDS:
        st.success(kept[0])
