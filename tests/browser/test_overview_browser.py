"""Click through the real dashboard in chromium, as a newcomer would."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import catalogue
from tests.browser.conftest import SCREENSHOTS, sign_in, wait_for_run

pytestmark = pytest.mark.browser


def test_newcomer_sees_the_overview_in_chinese_then_english(served_app, page) -> None:
    zh, en = catalogue("zh"), catalogue("en")
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, served_app.url, "ministry")
    page.get_by_role("heading", name=zh["overview.title"]).first.wait_for(timeout=60_000)
    page.get_by_text(zh["common.demo_notice"]).wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=60_000)
    # Streamlit streams elements in, so wait for them rather than counting at once.
    page.get_by_text(zh["overview.feedback_rows"]).first.wait_for(timeout=60_000)
    wait_for_run(page)
    page.screenshot(path=str(SCREENSHOTS / "overview-zh.png"), full_page=True)

    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=en["overview.title"]).first.wait_for(timeout=60_000)
    page.get_by_text(en["common.demo_notice"]).wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=60_000)
    page.get_by_text(en["overview.committed"]).first.wait_for(timeout=60_000)
    # Once the rerun finishes, no Chinese label from the first render is left behind.
    expect(page.get_by_text(zh["overview.committed"])).to_have_count(0, timeout=60_000)
    wait_for_run(page)
    page.screenshot(path=str(SCREENSHOTS / "overview-en.png"), full_page=True)
