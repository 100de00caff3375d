"""Each demo role signs in in chromium, sees its pages, keeps its session over a reload, signs out."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from app.i18n import catalogue
from app.nav import PAGES, pages_for
from tests.browser.conftest import SCREENSHOTS, sign_in, wait_for_run

pytestmark = pytest.mark.browser
ZH = catalogue("zh")
ROLES = {"ministry": "ministry", "evaluator": "evaluator", "admin": "admin",
         "site-s00001": "pilot_site"}  # fmt: skip


def _session_cookies(page) -> list[dict]:
    return [c for c in page.context.cookies() if c["name"] == "stdeval_session"]


def _sign_in_form(page):
    return page.get_by_label(ZH["auth.username"])


def _not_found(page, url: str, path: str, screenshot: str) -> None:
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    page.get_by_text("Page not found").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / screenshot), full_page=True)
    page.keyboard.press("Escape")


def test_a_visitor_who_is_not_signed_in_reaches_no_page(served_app, page) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    _not_found(page, served_app.url, "overview", "not-found-signed-out.png")
    _sign_in_form(page).wait_for(timeout=30_000)
    page.get_by_text(ZH["auth.demo_accounts"].split("；")[0]).wait_for(timeout=30_000)
    wait_for_run(page)
    page.screenshot(path=str(SCREENSHOTS / "sign-in-zh.png"), full_page=True)
    expect(page.get_by_role("heading", name=ZH["overview.title"])).to_have_count(0)


@pytest.mark.parametrize("username", list(ROLES))
def test_each_demo_role_signs_in_reloads_and_signs_out(served_app, page, browser, username) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    role = ROLES[username]
    url = served_app.url
    sign_in(page, url, username)
    mine = pages_for(role)
    links = page.locator('[data-testid="stSidebarNavLink"]')
    wait_for_run(page)
    if len(mine) > 1:  # Streamlit shows no menu for a single page
        links.nth(len(mine) - 1).wait_for(timeout=60_000)
        expect(links).to_have_text([ZH[p.title_key] for p in mine])
    else:
        expect(links).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / f"signed-in-{role}.png"), full_page=True)
    (cookie,) = _session_cookies(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    page.reload(wait_until="domcontentloaded")  # a new Streamlit session: the cookie signs it in
    page.get_by_role("button", name=ZH["auth.sign_out"]).first.wait_for(timeout=60_000)
    wait_for_run(page)
    expect(_sign_in_form(page)).to_have_count(0)

    others = [p.key for p in PAGES if p not in mine] or ["no-such-page"]
    # A page of another role is not registered at all: not even its URL opens it.
    _not_found(page, url, others[0], f"not-found-{role}.png")

    page.get_by_role("button", name=ZH["auth.sign_out"]).first.click(timeout=30_000)
    _sign_in_form(page).wait_for(timeout=60_000)
    deadline = time.monotonic() + 60
    while _session_cookies(page) and time.monotonic() < deadline:
        time.sleep(0.2)  # the browser is on its way through the sign-out route
    assert _session_cookies(page) == []
    page.reload(wait_until="domcontentloaded")
    _sign_in_form(page).wait_for(timeout=60_000)

    # A copy of the old cookie, kept by a thief, no longer signs anyone in.
    thief = browser.new_context()
    try:
        thief.add_cookies([cookie])
        stolen = thief.new_page()
        stolen.goto(url, wait_until="domcontentloaded")
        _sign_in_form(stolen).wait_for(timeout=60_000)
        wait_for_run(stolen)
        expect(stolen.get_by_role("button", name=ZH["auth.sign_out"])).to_have_count(0)
    finally:
        thief.close()


def test_a_tampered_cookie_signs_nobody_in(served_app, browser) -> None:
    context = browser.new_context()
    try:
        context.add_cookies([{"name": "stdeval_session", "value": "InRvayI.aw9FLw.forged",
                              "url": served_app.url}])  # fmt: skip
        page = context.new_page()
        page.goto(served_app.url, wait_until="domcontentloaded")
        _sign_in_form(page).wait_for(timeout=60_000)
    finally:
        context.close()
