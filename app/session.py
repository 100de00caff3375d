"""Per-browser-session choices: the interface language (also kept in the URL)."""

from __future__ import annotations

import streamlit as st

from app.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from etl.settings import default_language

_LANG_KEY = "lang"


def current_language() -> str:
    """Return the language chosen in this session (default: ``STDEVAL_LANG``, else zh)."""
    lang = st.session_state.get(_LANG_KEY)
    return lang if lang in LANGUAGES else default_language()


def translator() -> Translator:
    """Return a translator in this session's language."""
    return Translator(current_language())


def language_switch() -> None:
    """Show the zh/en switch in the sidebar; the choice holds for the session."""
    if _LANG_KEY not in st.session_state:
        st.session_state[_LANG_KEY] = default_language()
    st.sidebar.radio(
        "语言 / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=_LANG_KEY,
        horizontal=True,
        # In the URL too, so a copied link opens the same view in the same
        # language (the filters' URL values are the labels shown).
        bind="query-params",
    )
