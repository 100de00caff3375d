"""Ingest while another process holds the warehouse, and survive a loader killed mid-file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.drain import InboxWorker, process_inbox
from etl.inbox import pending, submit
from etl.warehouse import connect
from etl.writer import run_or_wait, take_result
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A, CODE_B, SITES, build, copy_of

ROOT = Path(__file__).resolve().parents[2]
HEAD = nasty.FEEDBACK_HEADERS_ZH

HOLDER = """
import pathlib, sys, time
from etl.drain import InboxWorker
from etl.warehouse import connect
con = connect(sys.argv[1])
worker = InboxWorker(con, interval=0.2)
worker.start()
pathlib.Path(sys.argv[2]).write_text("ready")
stop = pathlib.Path(sys.argv[3])
while not stop.exists():
    time.sleep(0.05)
worker.stop()
con.close()
"""

# Loads the inbox but hangs at a chosen point, so the test can SIGKILL it there.
LOADER = """
import pathlib, sys, time
import etl.drain
import etl.ingest_log
marker = pathlib.Path(sys.argv[2])

def hang(*args, **kwargs):
    marker.write_text("here")
    time.sleep(600)

if sys.argv[3] == "before-commit":
    etl.ingest_log.commit = hang
else:
    etl.drain._finish = hang
from etl.warehouse import connect
etl.drain.process_inbox(connect(sys.argv[1]))
"""


def many_rows(n: int) -> bytes:
    periods = [f"{y}-Q{q}" for y in range(2016, 2100) for q in range(1, 5)]
    rows = [
        [
            SITES[i % len(SITES)],
            (CODE_A, CODE_B)[(i // 4) % 2],
            periods[i // 8],
            "实施中",
            "50",
            "3",
            "3",
            "3",
            "3",
            "3",
            "",
            "",
            "",
            "",
            "",
        ]
        for i in range(n)
    ]
    return nasty.csv_bytes([HEAD, *rows], encoding="gb18030")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("inbox") / "template.duckdb")


@pytest.fixture
def setup(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    db = copy_of(built, tmp_path / "w.duckdb")
    monkeypatch.setenv("STDEVAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return {"db": db, "dir": tmp_path, "landing": tmp_path / "var" / "landing"}


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            msg = f"helper exited early: {proc.stderr.read() if proc.stderr else ''}"
            raise AssertionError(msg)
        if time.monotonic() > deadline:
            msg = f"{path} never appeared"
            raise AssertionError(msg)
        time.sleep(0.05)


def count(db: Path, sha: str) -> tuple[int, int]:
    con = connect(db)
    try:
        rows = con.execute(
            "select count(*) from feedback where source_sha256 = ?", [sha]
        ).fetchall()
        logs = con.execute(
            "select count(*) from ingest_log where sha256 = ? and status = 'loaded'", [sha]
        ).fetchall()
        return rows[0][0], logs[0][0]
    finally:
        con.close()


def test_ingest_completes_through_the_inbox_while_another_process_holds_the_warehouse(
    setup,
) -> None:
    ready, stop = setup["dir"] / "ready", setup["dir"] / "stop"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(setup["db"]), str(ready), str(stop)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(ready, holder)
        good = setup["dir"] / "反馈.csv"
        good.write_bytes(many_rows(40))
        bad = setup["dir"] / "bad.csv"
        bad.write_bytes(nasty.png_bytes())
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "ingest",
                "feedback",
                str(good),
                str(bad),
                "--json",
                "--lang",
                "en",
                "--wait",
                "90",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=os.environ.copy(),
        )
        assert "Traceback" not in proc.stderr and "lock" not in (proc.stdout + proc.stderr).lower()
        assert proc.returncode == 1, proc.stderr
        loaded, refused = (json.loads(line) for line in proc.stdout.splitlines())
        assert (loaded["status"], loaded["rows_accepted"]) == ("loaded", 40)
        assert refused["status"] == "refused" and "PNG" in refused["reason"]
        assert "in use by another process" in proc.stderr
        assert pending(setup["landing"]) == []
    finally:
        stop.write_text("stop")
        holder.wait(timeout=60)
    assert count(setup["db"], loaded["sha256"]) == (40, 1)


def test_waiting_times_out_into_the_inbox_without_losing_the_file(setup) -> None:
    ready, stop = setup["dir"] / "ready", setup["dir"] / "stop"
    # A holder without a worker: nobody will load the entry while it runs.
    holder_code = HOLDER.replace("worker.start()", "pass").replace("worker.stop()", "pass")
    holder = subprocess.Popen(
        [sys.executable, "-c", holder_code, str(setup["db"]), str(ready), str(stop)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(ready, holder)
        good = setup["dir"] / "f.csv"
        good.write_bytes(many_rows(8))
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "ingest",
                "feedback",
                str(good),
                "--json",
                "--wait",
                "1",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=os.environ.copy(),
        )
        assert proc.returncode == 75 and "Traceback" not in proc.stderr
        (line,) = (json.loads(x) for x in proc.stdout.splitlines())
        assert line["status"] == "queued"
        assert [e.sha256 for e in pending(setup["landing"])] == [line["sha256"]]
    finally:
        stop.write_text("stop")
        holder.wait(timeout=60)
    # The next writer (here: any later ingest, or the dashboard's worker) finishes it.
    con = connect(setup["db"])
    try:
        (result,) = process_inbox(con, landing=setup["landing"])
    finally:
        con.close()
    assert result.status == "loaded" and result.rows_accepted == 8


@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_a_loader_killed_mid_file_leaves_all_or_nothing_and_a_rerun_completes(
    setup, moment: str
) -> None:
    data = many_rows(2000)
    entry = submit(data, source="feedback", file_name="big.csv", landing=setup["landing"])
    marker = setup["dir"] / "marker"
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(setup["db"]), str(marker), moment],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(marker, loader)
    finally:
        os.kill(loader.pid, signal.SIGKILL)
        loader.wait(timeout=60)
    rows, logs = count(setup["db"], entry.sha256)
    assert (rows, logs) == ((0, 0) if moment == "before-commit" else (2000, 1))
    assert [e.sha256 for e in pending(setup["landing"])] == [entry.sha256]

    con = connect(setup["db"])
    try:
        (result,) = process_inbox(con, landing=setup["landing"])
        assert (result.status, result.rows_accepted) == ("loaded", 2000)
        assert process_inbox(con, landing=setup["landing"]) == []
    finally:
        con.close()
    assert count(setup["db"], entry.sha256) == (2000, 1)
    assert pending(setup["landing"]) == []
    collected = take_result(entry, landing=setup["landing"])
    assert collected is not None and collected.status == "loaded"
    assert (setup["landing"] / f"{entry.sha256}.csv").read_bytes() == data


def test_worker_thread_processes_entries_and_reports_them(setup) -> None:
    con = connect(setup["db"])
    seen: list = []
    worker = InboxWorker(con, landing=setup["landing"], interval=0.1, on_loaded=seen.extend)
    worker.start()
    try:
        entry = submit(
            many_rows(5), source="feedback", file_name="f.csv", landing=setup["landing"], lang="en"
        )
        deadline = time.monotonic() + 30
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert not worker.is_alive()
    assert [r.status for r in seen] == ["loaded"]
    assert take_result(entry, landing=setup["landing"]).rows_accepted == 5
    assert con.execute("select count(*) from feedback").fetchall() == [(5,)]
    con.close()


def test_submitting_the_same_bytes_twice_while_pending_joins_the_entry(setup) -> None:
    data = many_rows(3)
    first = submit(data, source="feedback", file_name="a.csv", landing=setup["landing"])
    second = submit(data, source="feedback", file_name="a.csv", landing=setup["landing"])
    assert first.request_id == second.request_id
    assert len(pending(setup["landing"])) == 1


def test_same_bytes_with_other_options_get_their_own_entry(setup) -> None:
    data = many_rows(4)
    trial = submit(
        data, source="feedback", file_name="a.csv", landing=setup["landing"], dry_run=True
    )
    real = submit(data, source="feedback", file_name="a.csv", landing=setup["landing"])
    assert trial.entry_id != real.entry_id and trial.sha256 == real.sha256
    con = connect(setup["db"])
    try:
        results = process_inbox(con, landing=setup["landing"])
    finally:
        con.close()
    assert [r.status for r in results] == ["dry_run", "loaded"]
    assert take_result(trial, landing=setup["landing"]).status == "dry_run"
    assert take_result(real, landing=setup["landing"]).rows_accepted == 4
    # Only the queue's own bookkeeping (dot files: lock, receipt counter) stays.
    left = [p.name for p in (setup["landing"] / "inbox").iterdir() if not p.name.startswith(".")]
    assert left == []


def ingest_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def test_an_entry_for_another_warehouse_waits_for_its_own_writer(built, setup) -> None:
    a, b = setup["db"], copy_of(built, setup["dir"] / "b.duckdb")
    landing = setup["landing"]
    data = many_rows(6)
    entry = submit(data, source="feedback", file_name="a.csv", landing=landing, warehouse=a)
    assert json.loads((landing / "inbox" / f"{entry.entry_id}.json").read_text("utf-8"))[
        "warehouse"
    ] == str(a.resolve())

    # process_inbox on B: with B named, and with B found from the connection.
    con = connect(b)
    try:
        assert process_inbox(con, landing=landing, warehouse=b) == []
        assert process_inbox(con, landing=landing) == []
    finally:
        con.close()
    # run_or_wait on B loads B's own entry and leaves A's (no "orphan" sweep across warehouses).
    own = submit(many_rows(2), source="feedback", file_name="b.csv", landing=landing, warehouse=b)
    finished = run_or_wait(b, [own], landing=landing, timeout=60)
    assert finished[own.request_id].rows_accepted == 2
    with pytest.raises(ValueError, match="another warehouse"):
        run_or_wait(b, [entry], landing=landing, timeout=1)
    # The worker inside a dashboard serving B loads B's entries, never A's.
    con = connect(b)
    seen: list = []
    worker = InboxWorker(con, landing=landing, interval=0.05, on_loaded=seen.extend)
    worker.start()
    try:
        later = submit(
            many_rows(3), source="feedback", file_name="c.csv", landing=landing, warehouse=b
        )
        deadline = time.monotonic() + 30
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # a few more rounds, in which A's entry must stay put
    finally:
        worker.stop()
        con.close()
    assert [r.status for r in seen] == ["loaded"]
    assert take_result(later, landing=landing).rows_accepted == 3
    assert count(b, entry.sha256) == (0, 0)
    assert [e.entry_id for e in pending(landing)] == [entry.entry_id]
    assert (landing / "inbox" / f"{entry.sha256}.csv").read_bytes() == data

    # A's writer loads it, once.
    finished = run_or_wait(a, [entry], landing=landing, timeout=60)
    assert (finished[entry.request_id].status, finished[entry.request_id].rows_accepted) == (
        "loaded",
        6,
    )
    assert count(a, entry.sha256) == (6, 1)
    assert count(b, entry.sha256) == (0, 0)
    assert pending(landing) == []


def test_same_bytes_sent_to_two_warehouses_load_once_into_each(built, setup) -> None:
    a, b = setup["db"], copy_of(built, setup["dir"] / "b.duckdb")
    ready, stop = setup["dir"] / "ready", setup["dir"] / "stop"
    good = setup["dir"] / "f.csv"
    good.write_bytes(many_rows(7))
    # A is held by a process without a worker: the command for A times out into the inbox.
    holder_code = HOLDER.replace("worker.start()", "pass").replace("worker.stop()", "pass")
    holder = subprocess.Popen(
        [sys.executable, "-c", holder_code, str(a), str(ready), str(stop)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(ready, holder)
        for_a = ingest_cli("feedback", str(good), "--db", str(a), "--json", "--wait", "1")
        assert for_a.returncode == 75, for_a.stderr
        (queued,) = (json.loads(x) for x in for_a.stdout.splitlines())
        assert queued["status"] == "queued"
        # The same bytes for B: an entry of their own, loaded into B only.
        for_b = ingest_cli("feedback", str(good), "--db", str(b), "--json", "--wait", "30")
        assert for_b.returncode == 0, for_b.stderr
        (loaded,) = (json.loads(x) for x in for_b.stdout.splitlines())
        assert (loaded["status"], loaded["rows_accepted"]) == ("loaded", 7)
        (waiting,) = pending(setup["landing"])
        assert waiting.warehouse == str(a.resolve())
    finally:
        stop.write_text("stop")
        holder.wait(timeout=60)
    assert count(b, queued["sha256"]) == (7, 1)
    assert count(a, queued["sha256"]) == (0, 0)
    # Sent again to A once it is free: joins A's waiting entry and loads it there, once.
    again = ingest_cli("feedback", str(good), "--db", str(a), "--json")
    assert again.returncode == 0, again.stderr
    (line,) = (json.loads(x) for x in again.stdout.splitlines())
    assert (line["status"], line["rows_accepted"]) == ("loaded", 7)
    assert pending(setup["landing"]) == []
    assert count(a, queued["sha256"]) == (7, 1)
    assert count(b, queued["sha256"]) == (7, 1)


def test_a_result_survives_the_same_bytes_being_sent_to_another_warehouse(built, setup) -> None:
    a, b = setup["db"], copy_of(built, setup["dir"] / "b.duckdb")
    data, landing = many_rows(3), setup["landing"]
    for_a = submit(data, source="feedback", file_name="f.csv", landing=landing, warehouse=a)
    con = connect(a)
    try:
        process_inbox(con, landing=landing, warehouse=a)
    finally:
        con.close()
    # Before the command for A collects its result, the same file is sent to B:
    # the entry id is free again and reused, the result of A must stay.
    for_b = submit(data, source="feedback", file_name="f.csv", landing=landing, warehouse=b)
    assert for_b.entry_id == for_a.entry_id and for_b.request_id != for_a.request_id
    result = take_result(for_a, landing=landing)
    assert result is not None and result.status == "loaded" and result.rows_accepted == 3
    assert take_result(for_b, landing=landing) is None  # B's is still to come
    # A second command that joined A's entry reads the same result.
    assert take_result(for_a, landing=landing) == result
