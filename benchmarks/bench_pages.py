"""Every dashboard page's full server-side run (AppTest): cold and warm cache medians.

Issue 12 targets, demo warehouse at ``--scale 10`` with a stored score run:
median warm < 0.5 s and cold < 2 s per page on this machine. "Cold" is a
run after ``st.cache_data``, the shared run results and the shared built
figures are cleared (the
warehouse connection stays open, as in a running server); "warm" is the same session run again.
Both are measured side by side in one process, page after page, each in a
session signed in (through the sign-in form, not timed) as a demo account
whose role may see the page.

Usage::

    .venv/bin/python benchmarks/bench_pages.py                # scale 10, 5 rounds
    .venv/bin/python benchmarks/bench_pages.py --scale 1 --rounds 3
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
STDEVAL = ROOT / ".venv" / "bin" / "stdeval"
APP = str(ROOT / "app" / "streamlit_app.py")


def warehouse(scale: float) -> Path:
    """The benchmark's demo warehouse at ``scale`` with one score run (built once)."""
    db = ROOT / "var" / f"bench-pages-{scale:g}.duckdb"
    if not db.exists():
        db.parent.mkdir(exist_ok=True)
        env = {**os.environ, "STDEVAL_DATA_DIR": str(db.parent / "bench-data")}
        subprocess.run([str(STDEVAL), "demo", "--db", str(db), "--scale", str(scale)], check=True,
                       capture_output=True, env=env)  # fmt: skip
        subprocess.run([str(STDEVAL), "score", "--db", str(db)], check=True, capture_output=True,
                       env=env)  # fmt: skip
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    db = warehouse(args.scale)
    os.environ["STDEVAL_DB"] = str(db)
    os.environ.setdefault("STDEVAL_LANG", "zh")
    import streamlit as st
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")
    logging.disable(logging.WARNING)  # no "bare mode" warnings from every AppTest

    from app.components import figure_cache
    from app.data.rankings import run_results
    from app.nav import PAGES

    def run(at: AppTest) -> float:
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            msg = f"page failed: {at.exception[0].value}"
            raise SystemExit(msg)
        return seconds

    def signed_in(role: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
        at.text_input(key="sign_in_username").input(role)
        at.text_input(key="sign_in_password").input("demo")
        at.button(key="sign_in_submit").click().run()
        run(at)  # back from the cookie route, as a browser comes
        if any(w.key == "sign_in_username" for w in at.text_input):
            msg = f"the demo account {role!r} did not sign in (is the warehouse a demo?)"
            raise SystemExit(msg)
        return at

    # The demo account of each role; a pilot site's pages as its first demo account.
    con = duckdb.connect(str(db))  # closed before the app opens the warehouse
    try:
        site_account = con.execute(
            "select min(username) from app_user where role = 'pilot_site' and active"
        ).fetchone()[0]
    finally:
        con.close()
    accounts = {"ministry": "ministry", "evaluator": "evaluator", "admin": "admin",
                "pilot_site": site_account}  # fmt: skip
    signed_in("ministry")  # open the connection and import everything once
    print(f"demo --scale {args.scale:g}, {args.rounds} rounds; seconds (median [min–max])")
    print(f"{'page':<12} {'cold':>22} {'warm':>22}")
    for spec in PAGES:
        cold, warm = [], []
        for _ in range(args.rounds):
            at = signed_in(next(accounts[r] for r in accounts if r in spec.roles))
            st.cache_data.clear()
            run_results.clear()  # the stored run, shared between sessions
            figure_cache.clear()  # built figures, shared between sessions
            if not spec.default:
                at.switch_page(f"views/{spec.file}")
            cold.append(run(at))
            warm.append(run(at))

        def show(xs: list[float]) -> str:
            return f"{statistics.median(xs):.3f} [{min(xs):.3f}–{max(xs):.3f}]"

        print(f"{spec.key:<12} {show(cold):>22} {show(warm):>22}", flush=True)


if __name__ == "__main__":
    main()
