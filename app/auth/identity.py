"""The signed-in user as a value: no Streamlit, no database."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.roles import READERS, ROLES, may
from datasets.access import Access


@dataclass(frozen=True)
class User:
    """A signed-in account.

    Parameters
    ----------
    username
        The sign-in name (lower case).
    display_name
        The name shown on screen.
    role
        One of :data:`app.auth.roles.ROLES`.
    sites
        The pilot sites of a ``pilot_site`` account (empty for the others).

    Examples
    --------
    >>> User("site-a", "A", "pilot_site", ("S2", "S1")).access().site_ids
    ('S1', 'S2')
    >>> User("ministry", "M", "ministry").access().sees_everything
    True
    """

    username: str
    display_name: str
    role: str
    sites: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            msg = f"unknown role {self.role!r}; use one of {', '.join(ROLES)}"
            raise ValueError(msg)
        object.__setattr__(self, "sites", tuple(sorted(set(self.sites))))

    def access(self) -> Access:
        """The rows this user may read: everything, or only the account's sites."""
        if self.role in READERS:
            return Access.everything()
        return Access.for_sites(self.sites)

    def may(self, action: str) -> bool:
        """Whether this user's role allows ``action`` (see :data:`app.auth.roles.PERMISSIONS`)."""
        return may(self.role, action)
