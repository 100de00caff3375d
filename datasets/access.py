"""Who may see which rows: the access scope of a signed-in user.

ARCHITECTURE.md: every query that returns rows takes the user's scope, with
no default meaning "everything". A ministry, evaluator or admin reads the
whole programme (:meth:`Access.everything`); a pilot-site user reads only
the rows of the sites bound to the account (:meth:`Access.for_sites`).
The value lives in ``datasets/`` because both ``etl`` (which sites an
upload may write) and ``metrics`` (which rows a page may read) use it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Access"]


@dataclass(frozen=True)
class Access:
    """The rows a user may read or write.

    Parameters
    ----------
    site_ids
        The pilot sites whose rows are visible, or ``None`` for the whole
        programme. Build it with :meth:`everything` or :meth:`for_sites`;
        an empty tuple (a pilot-site account bound to no site) sees nothing.

    Examples
    --------
    >>> Access.everything().allows_site("S001")
    True
    >>> scope = Access.for_sites(["S002", "S001"])
    >>> scope.site_ids, scope.allows_site("S003")
    (('S001', 'S002'), False)
    >>> Access.for_sites([]).sees_everything
    False
    """

    site_ids: tuple[str, ...] | None

    def __post_init__(self) -> None:
        if self.site_ids is not None:
            if isinstance(self.site_ids, str):
                msg = (
                    f"Access.site_ids must be a tuple of site ids, not one string {self.site_ids!r}"
                )
                raise TypeError(msg)
            object.__setattr__(self, "site_ids", tuple(sorted(set(self.site_ids))))

    @classmethod
    def everything(cls) -> Access:
        """The whole programme (ministry, evaluator and admin accounts)."""
        return cls(site_ids=None)

    @classmethod
    def for_sites(cls, site_ids: tuple[str, ...] | list[str]) -> Access:
        """Only the rows of these pilot sites (a pilot-site account)."""
        return cls(site_ids=tuple(site_ids))

    @property
    def sees_everything(self) -> bool:
        """Whether this scope is unrestricted."""
        return self.site_ids is None

    def allows_site(self, site_id: str) -> bool:
        """Whether a row of ``site_id`` is inside this scope."""
        return self.site_ids is None or site_id in self.site_ids

    def to_params(self) -> dict[str, list[str] | None]:
        """Bound parameters for SQL (``$site_ids``: a ``varchar[]`` or NULL for all)."""
        return {"site_ids": None if self.site_ids is None else list(self.site_ids)}
