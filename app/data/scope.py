"""The rows the current reader may see."""

from __future__ import annotations

from datasets.access import Access


def current_scope() -> Access:
    """Return the access scope of this session's reader.

    Until sign-in lands every visitor reads as a ministry (the whole
    programme); the sign-in work makes this return the signed-in user's
    scope, and every page already passes it to every read.
    """
    return Access.everything()
