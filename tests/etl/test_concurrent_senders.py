"""Twelve senders at once (processes, then threads) give exactly the serial result, in about its time.

Ten files of disjoint keys, two of them sent twice, and two more updating
the keys of two others: whatever order the senders' bytes were received
in (their receipt sequence), the warehouse ends as if the same files had
been sent one after another in that order, every caller gets its own
answer (a resent file ``duplicate`` or joined, never a long wait) and no
lock error reaches anyone.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl.inbox import pending
from etl.landing import sha256_hex
from etl.receive import ReceiveOptions, receive
from tests.etl.fixtures.warehouse import build, copy_of
from tests.etl.ordered_fixtures import (
    ROOT,
    check_log_matches_tables,
    env_for,
    ingest_command,
    run_ingest,
    table_state,
    version_bytes,
)

pytestmark = pytest.mark.slow

ROWS = 250  # 10 files x 250 keys: within the fixture's 2,688 site x code x period keys
#: A loose bound that still catches the storm of issue 9 (4.5x the serial time, callers waiting
#: 600 s): this is a correctness test on a shared machine whose load changes between the two
#: runs; the figures themselves come from benchmarks/bench_concurrent.py (side by side, medians).
STORM_FACTOR = 2.0
SLACK_SECONDS = 30.0


def _files(folder: Path) -> list[Path]:
    """12 sends: files 0-9 disjoint, 10-11 = 0-1 again, plus 2 updates of files 2-3's keys."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(10):
        path = folder / f"f{n}.csv"
        path.write_bytes(version_bytes(1, range(n * ROWS, (n + 1) * ROWS)))
        files.append(path)
    files += [files[0], files[1]]
    for n in (2, 3):
        path = folder / f"update{n}.csv"
        path.write_bytes(version_bytes(2, range(n * ROWS, (n + 1) * ROWS)))
        files.append(path)
    return files


def _receipt_order(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select sha256 from ingest_log where receipt_seq is not null"
            " and status in ('loaded', 'duplicate') order by receipt_seq"
        ).fetchall()
    finally:
        con.close()
    seen: list[str] = []
    for (sha,) in rows:
        if sha not in seen:
            seen.append(sha)
    return seen


def _serial(
    built: Path, folder: Path, files: list[Path], order: list[str], *, processes: bool
) -> tuple[list, float]:
    """Send ``files`` one after another in the receipt order observed; return state and time.

    With ``processes`` each file is one ``stdeval ingest`` (as the concurrent
    senders were); else one :func:`etl.receive.receive` call in this process.
    """
    db = copy_of(built, folder / "serial.duckdb")
    by_sha = {sha256_hex(f.read_bytes()): f for f in files}
    start = time.monotonic()
    for sha in order:
        path = by_sha[sha]
        if processes:
            done = run_ingest([path], db, folder / "var-serial")
            assert done.returncode == 0, done.stderr
        else:
            receive(
                [(path.name, path.read_bytes())],
                ReceiveOptions("feedback", lang="en"),
                warehouse=db,
                landing=folder / "var-serial" / "landing",
            )
    return table_state(db), time.monotonic() - start


def _check(db: Path, answers: list[dict], files: list[Path]) -> None:
    # A resent file is answered at once: joined to its waiting twin (loaded) or duplicate.
    assert {a["status"] for a in answers} <= {"loaded", "duplicate"}
    assert len(answers) == len(files)
    con = duckdb.connect(str(db), read_only=True)
    try:
        check_log_matches_tables(con)
        loaded = con.execute(
            "select count(*), count(distinct sha256) from ingest_log where status = 'loaded'"
            " and receipt_seq is not null"
        ).fetchone()
        assert loaded == (12, 12)  # 12 distinct files, each loaded once
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("concurrent") / "t.duckdb")


def test_twelve_processes_at_once_give_the_serial_result_within_its_time(
    built: Path, tmp_path: Path
) -> None:
    files = _files(tmp_path / "files")
    db = copy_of(built, tmp_path / "w.duckdb")
    data_dir = tmp_path / "var"
    start = time.monotonic()
    senders = [
        subprocess.Popen(
            ingest_command([f], db),
            cwd=ROOT,
            env=env_for(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outputs = [s.communicate(timeout=600) for s in senders]
    concurrent = time.monotonic() - start
    for sender, (out, err) in zip(senders, outputs, strict=True):
        assert sender.returncode == 0, err
        assert "lock" not in (out + err).lower() and "Traceback" not in err
    answers = [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
    _check(db, answers, files)
    assert pending(data_dir / "landing") == []

    serial_state, serial = _serial(built, tmp_path, files, _receipt_order(db), processes=True)
    assert table_state(db) == serial_state
    print(
        f"12 processes at once: {concurrent:.1f} s; the same files one after another: {serial:.1f} s"
    )
    assert concurrent <= STORM_FACTOR * serial + SLACK_SECONDS


def test_twelve_threads_at_once_give_the_serial_result(built: Path, tmp_path: Path) -> None:
    files = _files(tmp_path / "files")
    db = copy_of(built, tmp_path / "w.duckdb")
    landing = tmp_path / "var" / "landing"
    answers: list[dict] = []
    failures: list[BaseException] = []
    gate = threading.Barrier(len(files))

    def send(path: Path) -> None:
        try:
            gate.wait()
            ((_entry, result),) = receive(
                [(path.name, path.read_bytes())],
                ReceiveOptions("feedback", lang="en"),
                warehouse=db,
                landing=landing,
                timeout=300,
            )
            answers.append(result.to_json())
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=send, args=(f,)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert failures == []
    assert len(answers) == len(files)
    _check(db, answers, files)
    assert pending(landing) == []
    serial_state, _seconds = _serial(built, tmp_path, files, _receipt_order(db), processes=False)
    assert table_state(db) == serial_state
