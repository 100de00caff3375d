"""Stopping ``stdeval serve`` stops the dashboard and releases the warehouse."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from etl.warehouse import connect
from tests.browser.conftest import _free_port, _wait_healthy


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_terminating_serve_leaves_no_dashboard_behind(demo_warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "served.duckdb"
    shutil.copyfile(demo_warehouse, db)
    port = _free_port()
    env = dict(os.environ, STDEVAL_DATA_DIR=str(tmp_path / "data"))
    command = [sys.executable, "-m", "app.cli", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _answers(url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _answers(url), "the dashboard outlived `stdeval serve`"
    connect(db).close()  # and nothing holds the warehouse
