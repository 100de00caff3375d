"""The frame every dashboard page shares: title, filters, their caption, the demo banner."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.auth.session import require_page
from app.components.notices import demo_banner
from app.data.reads import warehouse_is_demo
from app.data.scope import current_scope
from app.filters import filters_caption, sidebar_filters
from app.i18n import Translator
from app.session import translator
from datasets.access import Access
from metrics.filters import Filters


@dataclass(frozen=True)
class PageContext:
    """What a page needs to draw itself: language, the reader's filters and scope."""

    t: Translator
    filters: Filters
    scope: Access


def page_start(section: str) -> PageContext:
    """Check the reader's role, then draw the page's title, subtitle, filter caption and banner.

    ``section`` is both the page's key in ``app/nav.py`` (the role check:
    a page is never registered for a role that may not see it, and this is
    the second lock) and the message section of its title and subtitle.
    """
    t = translator()
    require_page(section, t)
    scope = current_scope()
    filters = sidebar_filters(t, scope=scope)
    st.title(t(f"{section}.title"))
    st.caption(t(f"{section}.subtitle"))
    st.caption(filters_caption(filters, t, scope=scope))
    demo_banner(warehouse_is_demo(), t)
    return PageContext(t=t, filters=filters, scope=scope)
