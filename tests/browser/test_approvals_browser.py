"""As the demo evaluator in chromium: open Approvals, approve a submission, see its status change."""

from __future__ import annotations

import pytest

from app.i18n import catalogue
from tests.browser.conftest import SCREENSHOTS, ServedApp, sign_in

pytestmark = pytest.mark.browser
ZH = catalogue("zh")


def _open(page, app: ServedApp) -> None:
    page.goto(f"{app.url}/approvals", wait_until="domcontentloaded")
    page.get_by_role("heading", name=ZH["approvals.title"]).wait_for(timeout=60_000)


def _counts(page) -> dict[str, int]:
    """The status counts at the top of the page, by status.

    Streamlit renders the metrics one by one, so each is awaited by its label:
    reading them as soon as the first appears can miss the later ones.
    """
    counts = {}
    for status in ("submitted", "approved", "returned"):
        label = ZH[f"approvals.status_{status}"]
        metric = page.get_by_test_id("stMetric").filter(
            has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
        )
        metric.wait_for(timeout=60_000)
        value = metric.get_by_test_id("stMetricValue").inner_text().strip()
        counts[status] = int(value.replace(",", ""))
    return counts


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
    option = page.get_by_role("option").first
    key = option.inner_text().strip()
    option.click()
    page.get_by_role("button", name=ZH["approvals.do_approve"], exact=True).wait_for(timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "approvals-selected.png"), full_page=True)
    page.get_by_role("button", name=ZH["approvals.do_approve"], exact=True).click()
    site, period = key.split(" ")
    done = page.get_by_text(ZH["approvals.done_approve"].format(site=site, period=period))
    try:
        done.wait_for(timeout=60_000)
        # The approval changes the data version, which wakes every live session
        # (app/live.py); that rerun keeps the evaluator on this page.
        page.wait_for_timeout(2500)
        page.get_by_role("heading", name=ZH["approvals.title"]).wait_for(timeout=10_000)
        done.wait_for(timeout=10_000)  # the notice is still there after that rerun
    finally:
        page.screenshot(path=str(SCREENSHOTS / "approvals-approved.png"), full_page=True)
    expected = {**before, "submitted": before["submitted"] - 1, "approved": before["approved"] + 1}
    after = _counts(page)
    for _ in range(30):  # the metrics may still show the last run's values for a moment
        if after == expected:
            break
        page.wait_for_timeout(1000)
        after = _counts(page)
    assert after == expected
    # The approved submission left the waiting list and shows as approved in its own filter.
    page.get_by_role("combobox", name=ZH["approvals.pick"]).click()
    waiting = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    assert key not in waiting
    page.keyboard.press("Escape")
    page.screenshot(path=str(SCREENSHOTS / "approvals-after.png"), full_page=True)
