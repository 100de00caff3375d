"""Who may do what, as data: every role, and the roles allowed each action.

A page a role may not see is never registered (``app/nav.py``); every
action on a page checks :func:`may` again, since hiding a button is not
enforcement.
"""

from __future__ import annotations

#: Every role an account can hold (issue 13, point 1).
ROLES: tuple[str, ...] = ("ministry", "evaluator", "pilot_site", "admin")

#: The roles that read the whole programme (a pilot site reads its own sites).
READERS = frozenset({"ministry", "evaluator", "admin"})

#: The message key of each role's name on screen.
ROLE_TITLE_KEYS: dict[str, str] = {
    "ministry": "auth.role_ministry",
    "evaluator": "auth.role_evaluator",
    "pilot_site": "auth.role_pilot_site",
    "admin": "auth.role_admin",
}

#: Each action and the roles that may perform it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read_programme": READERS,
    "read_own_sites": frozenset({"pilot_site"}),
    "upload": frozenset({"pilot_site"}),
    "run_scoring": frozenset({"evaluator"}),
    "approve": frozenset({"evaluator"}),
    "export": frozenset({"evaluator"}),
    "manage_users": frozenset({"admin"}),
    "manage_settings": frozenset({"admin"}),
    "view_audit": frozenset({"admin"}),
}


def may(role: str, action: str) -> bool:
    """Whether ``role`` may perform ``action``.

    Raises ``KeyError`` for an action that is not in :data:`PERMISSIONS`, so a
    misspelt check fails loudly instead of refusing (or allowing) silently.

    Examples
    --------
    >>> may("admin", "view_audit"), may("ministry", "view_audit")
    (True, False)
    """
    if action not in PERMISSIONS:
        msg = f"unknown action {action!r}; known actions: {', '.join(PERMISSIONS)}"
        raise KeyError(msg)
    return role in PERMISSIONS[action]
