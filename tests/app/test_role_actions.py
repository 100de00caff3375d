"""The role × action half of the issue's matrix (the pages are in test_sign_in_pages.py)."""

from __future__ import annotations

import pytest

from app.auth.identity import User
from app.auth.roles import PERMISSIONS, ROLES, may

#: What each role may do, written out by hand from the issue.
EXPECTED: dict[str, set[str]] = {
    "ministry": {"read_programme"},
    "evaluator": {"read_programme", "run_scoring", "approve", "export"},
    "admin": {"read_programme", "manage_users", "manage_settings", "view_audit"},
    "pilot_site": {"read_own_sites", "upload"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_its_actions(role: str) -> None:
    assert {action for action in PERMISSIONS if may(role, action)} == EXPECTED[role]


def test_a_pilot_site_user_reads_and_writes_only_its_own_sites() -> None:
    user = User("site-a", "A", "pilot_site", ("S1", "S3"))
    scope = user.access()
    assert not scope.sees_everything
    assert [s for s in ("S1", "S2", "S3", "S999") if scope.allows_site(s)] == ["S1", "S3"]
    assert scope.to_params() == {"site_ids": ["S1", "S3"]}
    assert User("ministry", "M", "ministry").access().sees_everything
