"""As the demo evaluator in chromium: open Approvals, approve a submission, see its status change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.i18n import catalogue
from tests.browser.conftest import SCREENSHOTS, ServedApp, metric_value, sign_in, wait_for_run

pytestmark = pytest.mark.browser
ZH = catalogue("zh")


def _open(page, app: ServedApp) -> None:
    page.goto(f"{app.url}/approvals", wait_until="domcontentloaded")
    page.get_by_role("heading", name=ZH["approvals.title"]).wait_for(timeout=60_000)


def _counts(page) -> dict[str, int]:
    """The status counts at the top of the page, by status."""
    statuses = ("submitted", "approved", "returned")
    return {s: metric_value(page, ZH[f"approvals.status_{s}"]) for s in statuses}


def test_an_evaluator_approves_a_submission_and_sees_its_status_change(
    own_app: ServedApp, page
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, own_app.url, "evaluator")
    _open(page, own_app)
    before = _counts(page)
    assert before["submitted"] > 0
    pick = page.get_by_role("combobox", name=ZH["approvals.pick"])
    pick.click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=60_000)
    key = options.first.inner_text().strip()
    other = options.nth(1).inner_text().strip() if before["submitted"] > 1 else None
    options.first.click()
    approve = page.get_by_role("button", name=ZH["approvals.do_approve"], exact=True)
    approve.wait_for(timeout=60_000)
    wait_for_run(page)
    page.screenshot(path=str(SCREENSHOTS / "approvals-selected.png"), full_page=True)
    approve.click()
    site, period = key.split(" ")
    done = page.get_by_text(ZH["approvals.done_approve"].format(site=site, period=period))
    expected = {**before, "submitted": before["submitted"] - 1, "approved": before["approved"] + 1}
    try:
        done.first.wait_for(timeout=60_000)
        # The approval changes the data version, which wakes every live session
        # (app/live.py); the metrics show the new counts and the rerun keeps
        # the evaluator on this page.
        after = _counts(page)
        for _ in range(60):  # the metrics may still show an older run's values for a moment
            if after == expected:
                break
            page.wait_for_timeout(1000)
            after = _counts(page)
        wait_for_run(page)
        after = _counts(page)
    finally:
        page.screenshot(path=str(SCREENSHOTS / "approvals-approved.png"), full_page=True)
    assert after == expected
    expect(page.get_by_role("heading", name=ZH["approvals.title"])).to_be_visible()
    # The list under the default filter (waiting submissions) shows one fewer.
    shown = re.escape(ZH["approvals.count"].split("{n}")[0]) + re.escape(
        f"{expected['submitted']:,}"
    )
    expect(page.get_by_text(re.compile(shown))).to_be_visible(timeout=60_000)
    # The approved submission left the list to pick from; another waiting one is still there.
    # Searching by its key finds it whatever the list's length (the list is virtualised).
    page.get_by_role("combobox", name=ZH["approvals.pick"]).click()
    page.get_by_role("listbox").wait_for(timeout=30_000)
    if other is not None:
        page.keyboard.type(other)
        expect(page.get_by_role("option", name=other, exact=True)).to_have_count(1, timeout=30_000)
        page.keyboard.press("Control+A")
    page.keyboard.type(key)
    expect(page.get_by_role("option", name=key, exact=True)).to_have_count(0, timeout=30_000)
    page.keyboard.press("Escape")
    page.screenshot(path=str(SCREENSHOTS / "approvals-after.png"), full_page=True)
