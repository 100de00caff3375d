"""The rows the current reader may see: the signed-in user's access scope."""

from __future__ import annotations

from app.auth.session import current_user
from datasets.access import Access


def current_scope() -> Access:
    """Return the access scope of this session's reader.

    A ministry, evaluator or admin account reads the whole programme; a
    pilot-site account only its own sites (``User.access``). Nobody signed
    in sees nothing: every page has checked the role before it reads.
    """
    user = current_user()
    return Access.for_sites([]) if user is None else user.access()
