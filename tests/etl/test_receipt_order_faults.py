"""Successive versions of the same keys, loaders killed at random: the warehouse keeps receipt order.

The scenario of issue 9: twenty versions of the same feedback keys, each
``stdeval ingest`` (and, half of the time, the dashboard's worker holding
the warehouse) killed with ``kill -9`` at a random moment, then the last
version sent once more cleanly.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.inbox import pending
from etl.landing import sha256_hex
from tests.etl.fixtures.warehouse import build, copy_of
from tests.etl.ordered_fixtures import (
    ROOT,
    check_log_matches_tables,
    env_for,
    ingest_command,
    run_ingest,
    version_bytes,
)

pytestmark = pytest.mark.slow

VERSIONS = 20
KEYS = range(1500)

# The dashboard's worker, in a process of its own (so the test can kill -9 it).
WORKER = """
import pathlib, sys, time
from app.job_kinds import register_app_kinds
from etl.receive import serve_queue
from etl.warehouse import connect
register_app_kinds()
db = pathlib.Path(sys.argv[1])
serve_queue(connect(db), warehouse=db.resolve())
pathlib.Path(sys.argv[2]).write_text("ready")
time.sleep(600)
"""


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


def test_versions_killed_at_random_leave_the_last_received_version(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    db = copy_of(build(tmp_path_factory.mktemp("faults") / "t.duckdb"), tmp_path / "w.duckdb")
    data_dir = tmp_path / "var"
    landing = data_dir / "landing"
    rng = random.Random(20261201)
    files: list[Path] = []
    killed = 0
    for version in range(1, VERSIONS + 1):
        path = tmp_path / f"v{version:02d}.csv"
        path.write_bytes(version_bytes(version, KEYS))
        files.append(path)
        holder = None
        if version % 2 == 0:  # this time the dashboard's worker is the writer
            ready = tmp_path / f"ready-{version}"
            holder = subprocess.Popen(
                [sys.executable, "-c", WORKER, str(db), str(ready)],
                cwd=ROOT,
                env=env_for(data_dir),
                stderr=subprocess.DEVNULL,
            )
            _wait_for(ready, holder)
        sender = subprocess.Popen(
            ingest_command([path], db),
            cwd=ROOT,
            env=env_for(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if rng.random() < 0.8:  # mostly once the bytes are received, while they load
            _wait_for(landing / f"{sha256_hex(path.read_bytes())}.csv", sender)
            time.sleep(rng.uniform(0.0, 1.5))
        else:
            time.sleep(rng.uniform(0.2, 2.5))
        victim = holder if holder is not None and rng.random() < 0.5 else sender
        if victim.poll() is None:
            os.kill(victim.pid, signal.SIGKILL)
            killed += 1
        for proc in (sender, holder):
            if proc is not None:
                if proc.poll() is None:
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)

    clean = run_ingest([files[-1]], db, data_dir)
    assert clean.returncode == 0, clean.stderr
    (answer,) = (json.loads(line) for line in clean.stdout.splitlines())
    assert answer["status"] in {"loaded", "duplicate"}
    assert pending(landing) == []
    assert killed >= VERSIONS // 2  # the loop did interrupt loads

    con = duckdb.connect(str(db), read_only=True)
    try:
        marks = con.execute("select distinct suggestions from feedback").fetchall()
        assert marks == [(f"v{VERSIONS}",)]
        assert con.execute("select count(*) from feedback").fetchone() == (len(KEYS),)
        check_log_matches_tables(con)
        # row_replacement shows the versions in the order they were received.
        chain = con.execute(
            "select distinct r.new_sha256, l.receipt_seq from row_replacement r"
            " join ingest_log l on l.sha256 = r.new_sha256 and l.status = 'loaded'"
            " where r.source = 'feedback' order by l.receipt_seq"
        ).fetchall()
        order = {sha256_hex(f.read_bytes()): n for n, f in enumerate(files)}
        versions = [order[sha] for sha, _seq in chain]
        assert versions == sorted(versions)
        statuses = dict(
            con.execute(
                "select status, count(*) from ingest_log where source = 'feedback' group by 1"
            ).fetchall()
        )
        received = {
            r[0]
            for r in con.execute(
                "select sha256 from ingest_log where source = 'feedback'"
            ).fetchall()
        }
        rules = con.execute(
            "select json_extract_string(error_summary, '$.rule'), count(*) from ingest_log"
            " where status = 'refused' group by 1"
        ).fetchall()
    finally:
        con.close()
    # The landing folder holds the bytes of every file that was received (a sender
    # killed while Python was still starting never received its file at all).
    assert sha256_hex(files[-1].read_bytes()) in received
    for path in files:
        sha = sha256_hex(path.read_bytes())
        if sha in received:
            assert (landing / f"{sha}.csv").read_bytes() == path.read_bytes()
    print(
        f"\nfault loop: {VERSIONS} versions x {len(KEYS)} keys, {killed} processes killed, "
        f"{len(received)} files received, ingest log {statuses}, refused by rule {rules}"
    )
