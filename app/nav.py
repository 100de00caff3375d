"""The page table as data: which file, which title, which roles.

The entry point gives ``st.navigation`` only the pages of the signed-in
user's role (a page not registered in a run cannot be opened by URL), and
each page checks the role again. Adding a page is adding a row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.auth.roles import PERMISSIONS, READERS, ROLES

VIEWS = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class PageSpec:
    """One page of the app.

    Parameters
    ----------
    key
        Stable name, also the URL path (``/standards``).
    file
        The view file under ``app/views/``.
    title_key
        Message key of the page title (``nav.<key>``).
    roles
        The roles that may see the page.
    default
        Whether it is the landing page.
    """

    key: str
    file: str
    title_key: str
    roles: frozenset[str]
    default: bool = False

    @property
    def path(self) -> Path:
        """The page file."""
        return VIEWS / self.file


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "overview.py", "nav.overview", READERS, default=True),
    PageSpec("standards", "standards.py", "pages.standards", READERS),
    PageSpec("areas", "areas.py", "pages.areas", READERS),
    PageSpec("regions", "regions.py", "pages.regions", READERS),
    PageSpec("funding", "funding.py", "pages.funding", READERS),
    PageSpec("awards", "awards.py", "pages.awards", READERS),
    PageSpec("lifecycle", "lifecycle.py", "pages.lifecycle", READERS),
    PageSpec("methodology", "methodology.py", "pages.methodology", READERS),
    PageSpec("workspace", "workspace.py", "workspace.nav", PERMISSIONS["run_scoring"]),
    PageSpec("approvals", "approvals.py", "approvals.nav", PERMISSIONS["approve"]),
    PageSpec("audit", "audit_log.py", "audit.nav", PERMISSIONS["view_audit"]),
    PageSpec("settings", "settings.py", "approvals.settings_nav", PERMISSIONS["manage_settings"]),
    # The pilot-site portal: the first of a pilot site's pages is its landing page.
    PageSpec("portal", "portal.py", "portal.nav", PERMISSIONS["upload"]),
    PageSpec("own", "own.py", "own.nav", PERMISSIONS["read_own_sites"]),
    PageSpec("account", "account.py", "auth.nav_account", frozenset(ROLES)),
)

#: The only page registered before sign-in (for no role: nobody signed in).
SIGN_IN = PageSpec("sign-in", "sign_in.py", "auth.nav_sign_in", frozenset(), default=True)


def pages_for(role: str) -> tuple[PageSpec, ...]:
    """Return the pages a role may see, in menu order.

    Examples
    --------
    >>> [p.key for p in pages_for("ministry")][:3]
    ['overview', 'standards', 'areas']
    """
    return tuple(p for p in PAGES if role in p.roles)


def page_spec(key: str) -> PageSpec:
    """Return the page ``key`` (the sign-in page included); ``KeyError`` if there is none."""
    for spec in (*PAGES, SIGN_IN):
        if spec.key == key:
            return spec
    msg = f"no page {key!r} in app/nav.py"
    raise KeyError(msg)
