"""A real dashboard process and Debian's chromium, for tests that click through the app."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"the dashboard exited with status {process.returncode}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    msg = f"the dashboard did not answer at {url} within {timeout} s"
    raise RuntimeError(msg)


@dataclass(frozen=True)
class ServedApp:
    """A running dashboard: its URL, the warehouse it holds and its data folder."""

    url: str
    db: Path
    data_dir: Path


@contextmanager
def serve(db: Path, folder: Path) -> Iterator[ServedApp]:
    """Run ``stdeval serve`` on a free port over a copy of ``db`` (in ``folder``)."""
    copy = folder / "served.duckdb"
    shutil.copyfile(db, copy)
    data = folder / "data"
    port = _free_port()
    env = dict(os.environ, STDEVAL_DB=str(copy), STDEVAL_LANG="zh", STDEVAL_DATA_DIR=str(data))
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--db", str(copy), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield ServedApp(url=url, db=copy, data_dir=data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def served_app(
    demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedApp]:
    """Start ``stdeval serve`` on a free port over a copy of the demo warehouse; yield its URL.

    The server gets its own copy because DuckDB lets one process hold a file
    read-write, and this test process may hold the shared demo warehouse.
    """
    with serve(demo_warehouse, tmp_path_factory.mktemp("served")) as app:
        yield app


@pytest.fixture(scope="module")
def own_app(
    demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[ServedApp]:
    """A dashboard of the test module's own: for tests that store data others must not see."""
    name = request.module.__name__.rpartition(".")[2]
    with serve(demo_warehouse, tmp_path_factory.mktemp(name)) as app:
        yield app


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)"
        raise RuntimeError(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh browser page, 1400×1000, in its own context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: object, url: str, username: str, password: str = "demo") -> None:
    """Open ``url`` and sign in through the real form (the demo accounts' password is demo).

    Returns once the browser is back from the cookie route and the app shows
    a signed-in page (the sign-out button in the sidebar).
    """
    from app.i18n import catalogue

    zh = catalogue("zh")
    page.goto(url, wait_until="domcontentloaded")  # type: ignore[attr-defined]
    page.get_by_label(zh["auth.username"]).fill(username, timeout=60_000)  # type: ignore[attr-defined]
    page.get_by_label(zh["auth.password"], exact=True).fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name=zh["auth.sign_in"]).click()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while not any(c["name"] == "stdeval_session" for c in page.context.cookies()):  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            msg = f"signing in as {username} set no session cookie"
            raise AssertionError(msg)
        page.wait_for_timeout(200)  # type: ignore[attr-defined]
    page.wait_for_load_state("domcontentloaded")  # type: ignore[attr-defined]
    page.get_by_role("button", name=zh["auth.sign_out"]).first.wait_for(timeout=60_000)  # type: ignore[attr-defined]


def wait_for_run(page: object, timeout: float = 90_000) -> None:
    """Wait until the app's script run has ended and no element of an older run is left.

    While a run is under way Streamlit keeps the previous run's elements on the
    page, marked stale, until the new run reaches or ends past them; reading the
    page before then can see an old value twice or one that is about to change.
    Call it after waiting for something the expected run draws: just after a
    click the marker can still be the previous run's "not running".
    """
    from playwright.sync_api import expect

    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    page.locator(idle).wait_for(timeout=timeout)  # type: ignore[attr-defined]
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=timeout)  # type: ignore[attr-defined]


def metric_value(page: object, label: str) -> int:
    """The count shown by the metric labelled exactly ``label``, once it has been drawn."""
    metric = page.get_by_test_id("stMetric").filter(  # type: ignore[attr-defined]
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)  # type: ignore[attr-defined]
    )
    metric.wait_for(timeout=60_000)
    value = metric.get_by_test_id("stMetricValue").inner_text()
    return int("".join(ch for ch in value if ch.isdigit()))


def download(page: object, label: str, folder: Path) -> Path:
    """Click the download button ``label`` and save the file under its suggested name."""
    with page.expect_download(timeout=180_000) as started:  # type: ignore[attr-defined]
        page.get_by_role("button", name=label).filter(visible=True).first.click()  # type: ignore[attr-defined]
    path = folder / started.value.suggested_filename
    started.value.save_as(path)
    return path


def run_scoring(page: object, url: str) -> tuple[str, object]:
    """As a signed-in evaluator: open the workspace, run scoring without replicates, wait.

    Returns the stored run's id and the receipt's locator, once the run has
    ended (its progress bar is gone, so the live rerun it causes has come).
    """
    import re

    from playwright.sync_api import expect

    from app.i18n import catalogue

    zh = catalogue("zh")
    page.goto(f"{url}/workspace", wait_until="domcontentloaded")  # type: ignore[attr-defined]
    page.get_by_role("heading", name=zh["workspace.title"]).wait_for(timeout=60_000)  # type: ignore[attr-defined]
    replicates = page.get_by_label(zh["workspace.replicates"])  # type: ignore[attr-defined]
    replicates.fill("0", timeout=60_000)
    replicates.press("Enter")
    expect(replicates).to_have_value("0")
    page.wait_for_timeout(500)  # type: ignore[attr-defined]  # the value's rerun starts
    wait_for_run(page)  # and ends before the click
    page.get_by_role("button", name=zh["workspace.run"], exact=True).click()  # type: ignore[attr-defined]
    done = page.get_by_text(re.compile(r"已保存评价运行 run-\S+"))  # type: ignore[attr-defined]
    try:
        done.first.wait_for(timeout=180_000)
        page.locator("[data-testid='stProgress']").wait_for(state="detached", timeout=60_000)  # type: ignore[attr-defined]
        # The click's run and the live rerun it causes each draw the receipt, in
        # different slots: until the rerun ends the page may hold both.
        expect(done).to_have_count(1, timeout=90_000)
        wait_for_run(page)
    finally:
        page.screenshot(path=str(SCREENSHOTS / "workspace-run.png"), full_page=True)  # type: ignore[attr-defined]
    run_id = re.search(r"run-\S+", done.inner_text()).group(0)
    return run_id, done
