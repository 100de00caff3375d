"""Many readers at once: idle cost, new data reaching open pages, reloads under load.

A light load client drives Streamlit's own websocket protocol (one
connection per session: it sends ``rerun_script`` and times the
``script_finished`` answer), because browsers cannot be the load generator
on this 2-core machine. One ``stdeval serve`` process runs over the demo
warehouse at ``--scale 10`` with a stored score run; every session carries
the signed cookie of one ``ministry`` sign-in (the pages are behind
sign-in). Measured side by side in one run, for each source tree asked for
(``--trees``: ``.`` is this working tree, any other value a git revision
served from an exported copy, e.g. ``main``) and each ``runner.postScriptGC``
setting, ``--rounds`` times interleaved, reporting the median of each figure:

- single: one session going through every page twice, warm (median and p95);
- idle: CPU of the server process with N sessions open and nobody acting
  (target < 10 % of a core);
- upload: with N sessions open, ``stdeval ingest`` of a small file, and the
  seconds until every open session has rerun with the new rows (< 10 s);
- reload: N sessions reloading pages at a reader's pace (one page every
  ``--think`` seconds each, from random starts): p95 against the single
  session's median (target ≤ 3×) and errors (target none).

Usage::

    .venv/bin/python benchmarks/bench_readers.py                 # 30 sessions, GC on and off
    .venv/bin/python benchmarks/bench_readers.py --sessions 10 --gc false
    .venv/bin/python benchmarks/bench_readers.py --trees main . --gc false --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import duckdb
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_pages import warehouse  # noqa: E402

PAGES = ("", "standards", "areas", "regions", "funding", "awards", "lifecycle", "methodology")


class Reader:
    """One browser session, as far as the server can tell."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws
        self.finished: list[float] = []  # monotonic times of finished script runs
        self.errors = 0
        self._done = asyncio.Event()
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                # Charts and tables arrive as large frames; parsing them in this
                # one client process would make the client, not the server, the
                # bottleneck. Run ends and exceptions are small.
                if len(frame) > 20_000:
                    continue
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.new_element.WhichOneof("type") == "exception":
                    self.errors += 1
                if kind == "script_finished" and msg.script_finished in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                ):
                    self.finished.append(time.monotonic())
                    self._done.set()
        except websockets.ConnectionClosed:
            pass

    async def run(self, page: str = "") -> float:
        """Ask for a run of ``page``; return the seconds until it finished."""
        self._done.clear()
        msg = BackMsg(rerun_script=ClientState(query_string="", page_name=page))
        started = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._done.wait(), timeout=300)
        return time.monotonic() - started

    async def close(self) -> None:
        await self.ws.close()
        self._task.cancel()


async def open_reader(port: int, cookie: str) -> Reader:
    ws = await websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        additional_headers={"Cookie": cookie},
        # A server busy past the client's keepalive must show as slow runs,
        # not as a connection this client closed.
        ping_interval=None,
    )
    return Reader(ws)


def signed_cookie(db: Path, data: Path) -> str:
    """The cookie header of one sign-in of the demo ``ministry`` account (before serving)."""
    os.environ["STDEVAL_DATA_DIR"] = str(data)  # where the server finds the same secret
    from app.auth.accounts import sign_in
    from app.auth.cookies import COOKIE_NAME, make_cookie
    from etl.warehouse import connect

    con = connect(db)
    try:
        outcome = sign_in(con, "ministry", "demo", lifetime=timedelta(hours=4))
    finally:
        con.close()
    if outcome.token is None:
        msg = "the demo ministry account did not sign in (is the warehouse a demo?)"
        raise SystemExit(msg)
    return f"{COOKIE_NAME}={make_cookie(outcome.token)}"


def source_tree(tree: str, scratch: Path) -> Path:
    """The folder to serve from: this working tree (``.``) or an export of a git revision."""
    if tree == ".":
        return ROOT
    folder = scratch / tree.replace("/", "_")
    if not folder.exists():
        folder.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", tree], check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def stdeval() -> list[str]:
    """The command line of ``stdeval`` (its packages from PYTHONPATH, see tree_env; this venv)."""
    return [str(ROOT / ".venv/bin/python"), "-c", "from app.cli import main; main()"]


def tree_env(tree: Path, data: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "STDEVAL_DATA_DIR": str(data), **extra}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else xs[0]


def small_feedback_file(db: Path, folder: Path, tag: int) -> Path:
    """Fifty feedback rows of a new quarter, from existing sites and standards."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select distinct on (site_id, standard_code) site_id, standard_code, status,"
        " coverage_pct, applicability, operability, clarity, benefit, satisfaction"
        " from feedback order by site_id, standard_code limit 50"
    ).fetchall()
    con.close()
    path = folder / f"new-feedback-{tag}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["site_id", "standard_code", "period", "status", "coverage_pct",
                         "applicability", "operability", "clarity", "benefit", "satisfaction"])  # fmt: skip
        for r in rows:
            # A quarter no earlier run used, so the rows are new (not a resent file).
            writer.writerow([r[0], r[1], f"{2100 + int(time.time()) % 800}-Q{tag % 4 + 1}", *r[2:]])
    return path


def serve(db: Path, port: int, gc: str, data: Path, tree: Path) -> subprocess.Popen[bytes]:
    env = tree_env(tree, data, STREAMLIT_RUNNER_POST_SCRIPT_GC=gc)
    process = subprocess.Popen(
        [*stdeval(), "serve", "--db", str(db), "--port", str(port)],
        env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(180):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    msg = "the dashboard did not start"
    raise SystemExit(msg)


async def scenario(
    db: Path, gc: str, n: int, rounds: int, tag: int, think: float, tree: Path
) -> dict[str, float]:
    rng = random.Random(tag)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = db.parent / f"bench-readers-data-{tag}"
    upload = small_feedback_file(db, db.parent, tag)  # before the server holds the file
    cookie = signed_cookie(db, data)
    process = serve(db, port, gc, data, tree)
    out: dict[str, float] = {}
    try:
        one = await open_reader(port, cookie)
        for page in PAGES:  # warm: connection, imports, caches of every page
            await one.run(page)
        single = [await one.run(page) for page in PAGES * 2]
        out["single_median"], out["single_p95"] = statistics.median(single), p95(single)
        readers = [one] + [await open_reader(port, cookie) for _ in range(n - 1)]
        await asyncio.gather(*(r.run(PAGES[i % len(PAGES)]) for i, r in enumerate(readers[1:])))
        await asyncio.sleep(3)
        before, t0 = cpu_seconds(process.pid), time.monotonic()
        await asyncio.sleep(20)
        out["idle_cpu_share"] = (cpu_seconds(process.pid) - before) / (time.monotonic() - t0)

        marks = [len(r.finished) for r in readers]
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            *stdeval(), "ingest", "feedback", str(upload), "--db", str(db), "--wait", "120",
            env=tree_env(tree, data), cwd=tree,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await proc.wait()
        out["ingest_seconds"] = time.monotonic() - started
        deadline = started + 120
        while time.monotonic() < deadline and any(
            len(r.finished) <= m for r, m in zip(readers, marks, strict=True)
        ):
            await asyncio.sleep(0.1)
        seen = [
            r.finished[m] - started
            for r, m in zip(readers, marks, strict=True)
            if len(r.finished) > m
        ]
        out["upload_sessions_updated"] = len(seen)
        out["upload_visible_max"] = max(seen) if seen else float("nan")
        out["upload_visible_min"] = min(seen) if seen else float("nan")

        async def reload(i: int, r: Reader) -> list[float]:
            # Readers at a human pace: a page every `think` seconds (± half), from a random start.
            await asyncio.sleep(rng.uniform(0, think))
            times = []
            for k in range(rounds):
                times.append(await r.run(PAGES[(i + k) % len(PAGES)]))
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            return times

        errors = sum(r.errors for r in readers)
        times = [
            x
            for xs in await asyncio.gather(*(reload(i, r) for i, r in enumerate(readers)))
            for x in xs
        ]
        out["reload_p95"], out["reload_median"] = p95(times), statistics.median(times)
        out["reload_errors"] = sum(r.errors for r in readers) - errors
        for r in readers:
            await r.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--reloads", type=int, default=3, help="reloads per session")
    parser.add_argument("--rounds", type=int, default=1, help="scenarios per variant (medians)")
    parser.add_argument(
        "--think", type=float, default=10.0, help="seconds between a reader's reloads"
    )
    parser.add_argument(
        "--gc", nargs="+", default=["true", "false"], help="runner.postScriptGC values"
    )
    parser.add_argument(
        "--trees", nargs="+", default=["."], help="'.' (this working tree) or git revisions"
    )
    args = parser.parse_args()
    db = warehouse(args.scale)
    print(
        f"demo --scale {args.scale:g}, {args.sessions} sessions, {args.reloads} reloads each,"
        f" one every {args.think:g} s (± half), {args.rounds} round(s) per variant, medians;"
        f" times are seconds from request to script_finished; load average"
        f" {os.getloadavg()[0]:.1f} at the start"
    )
    variants = [(tree, gc) for tree in args.trees for gc in args.gc]
    results: dict[tuple[str, str], list[dict[str, float]]] = {v: [] for v in variants}
    tag = 0
    with tempfile.TemporaryDirectory(prefix="bench-readers-") as scratch:
        trees = {tree: source_tree(tree, Path(scratch)) for tree in args.trees}
        for _ in range(args.rounds):
            for tree, gc in variants:  # interleaved: a change of machine load hits every variant
                r = asyncio.run(
                    scenario(db, gc, args.sessions, args.reloads, tag, args.think, trees[tree])
                )
                tag += 1
                results[tree, gc].append(r)
                print(f"  {tree} gc={gc}: {line(r, args.sessions)}", flush=True)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"medians over {args.rounds} round(s), load average {os.getloadavg()[0]:.1f} at the end:")
    for tree, gc in variants:
        runs = results[tree, gc]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{tree} postScriptGC={gc}: {line(med, args.sessions)}", flush=True)


def line(r: dict[str, float], sessions: int) -> str:
    """One scenario's figures (or their medians) as one line."""
    return (
        f"single median {r['single_median']:.3f} s p95 {r['single_p95']:.3f} s;"
        f" idle {r['idle_cpu_share']:.1%} of a core; ingest {r['ingest_seconds']:.1f} s,"
        f" visible in {r['upload_sessions_updated']:.0f}/{sessions} sessions within"
        f" {r['upload_visible_min']:.1f}–{r['upload_visible_max']:.1f} s;"
        f" reload p95 {r['reload_p95']:.3f} s (median {r['reload_median']:.3f} s,"
        f" {r['reload_p95'] / r['single_median']:.1f}× single), errors {r['reload_errors']:.0f}"
    )


if __name__ == "__main__":
    main()
