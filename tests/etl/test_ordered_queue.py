"""The ordered queue: receipt sequence, strict order, attempts and quarantine, options carried through."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

import etl.drain
from etl.drain import process_inbox, should_quarantine
from etl.inbox import pending, sidecar_path, submit
from etl.receive import ReceiveOptions, queue_file
from etl.writer import take_result
from tests.etl.ordered_fixtures import version_bytes

KEYS = range(12)


def _marks(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("select distinct suggestions from feedback").fetchall()]


def test_receipt_numbers_grow_with_each_entry_and_survive_an_empty_inbox(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    first = submit(version_bytes(1, KEYS), source="feedback", file_name="a.csv", landing=landing)
    second = submit(version_bytes(2, KEYS), source="feedback", file_name="b.csv", landing=landing)
    assert second.seq == first.seq + 1
    for entry in (first, second):
        sidecar_path(entry.entry_id, landing).unlink()
    third = submit(version_bytes(3, KEYS), source="feedback", file_name="c.csv", landing=landing)
    assert third.seq == second.seq + 1
    assert json.loads(sidecar_path(third.entry_id, landing).read_text("utf-8"))["seq"] == third.seq


def test_entries_are_applied_in_receipt_order_so_the_later_version_stays(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    for version in (1, 2, 3):
        submit(version_bytes(version, KEYS), source="feedback", file_name="f.csv", landing=landing)
    results = process_inbox(con, landing=landing)
    assert [r.status for r in results] == ["loaded"] * 3
    assert _marks(con) == ["v3"]
    seqs = con.execute(
        "select receipt_seq from ingest_log where source = 'feedback' order by ingest_id"
    ).fetchall()
    assert [s for (s,) in seqs] == sorted(s for (s,) in seqs)


def test_a_failing_entry_blocks_the_queue_until_quarantined_then_the_queue_moves_on(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "landing"
    poison = version_bytes(1, KEYS)
    bad = submit(poison, source="feedback", file_name="poison.csv", landing=landing, lang="en")
    good = submit(version_bytes(2, KEYS), source="feedback", file_name="good.csv", landing=landing)
    real = etl.drain.ingest_bytes
    tries: list[str] = []

    def failing(con, source, data, **kwargs):
        tries.append(kwargs["file_name"])
        if data == poison:
            msg = "reader crashed"
            raise RuntimeError(msg)
        return real(con, source, data, **kwargs)

    monkeypatch.setattr(etl.drain, "ingest_bytes", failing)
    results = process_inbox(con, landing=landing)
    # Tried twice, in order, never passed over: the good file waited behind it.
    assert tries == ["poison.csv", "poison.csv", "good.csv"]
    assert [(r.file, r.status) for r in results] == [
        ("poison.csv", "refused"),
        ("good.csv", "loaded"),
    ]
    assert "quarantined" in results[0].reason.en and "reader crashed" in results[0].reason.en
    (rule,) = con.execute(
        "select json_extract_string(error_summary, '$.rule') from ingest_log where sha256 = ?",
        [bad.sha256],
    ).fetchone()
    assert rule == "quarantined"
    assert (landing / f"{bad.sha256}.csv").read_bytes() == poison
    assert take_result(good, landing=landing).status == "loaded"
    assert pending(landing) == []


def test_a_try_is_counted_in_the_saved_entry_before_it_runs(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a process killed mid-file leaves: the entry, with that try already counted."""
    landing = tmp_path / "landing"
    entry = submit(version_bytes(1, KEYS), source="feedback", file_name="a.csv", landing=landing)
    seen: list[int] = []

    def look(con, source, data, **kwargs):
        seen.append(
            json.loads(sidecar_path(entry.entry_id, landing).read_text("utf-8"))["attempts"]
        )
        raise KeyboardInterrupt  # stands for the kill: nothing after this runs

    monkeypatch.setattr(etl.drain, "ingest_bytes", look)
    for _ in range(2):
        with pytest.raises(KeyboardInterrupt):
            process_inbox(con, landing=landing)
    assert seen == [1, 2]
    (waiting,) = pending(landing)
    assert waiting.attempts == 2 and not should_quarantine(waiting)
    waiting.attempts += 1  # the next try is counted first: it died twice before
    assert should_quarantine(waiting)


def test_the_sites_an_uploader_may_write_travel_in_the_entry_to_validation(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    options = ReceiveOptions("feedback", lang="en", uploader="site:S001", allowed_site_ids={"S001"})
    entry = queue_file(
        version_bytes(1, KEYS), "mine.csv", options, warehouse=tmp_path / "w", landing=landing
    )
    stored = json.loads(sidecar_path(entry.entry_id, landing).read_text("utf-8"))
    assert stored["allowed_site_ids"] == ["S001"] and stored["uploader"] == "site:S001"
    # Sent to no warehouse in particular, so that this test's connection applies it.
    sidecar_path(entry.entry_id, landing).write_text(
        json.dumps({**stored, "warehouse": ""}), "utf-8"
    )
    (result,) = process_inbox(con, landing=landing)
    rules = {e["rule"] for e in result.errors}
    assert rules == {"site_not_allowed"}
    assert result.rows_accepted == len([i for i in KEYS if i % 4 == 0])


def test_a_file_of_stored_and_new_keys_overwrites_the_stored_and_appends_the_new(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    submit(version_bytes(1, range(6)), source="feedback", file_name="a.csv", landing=landing)
    submit(version_bytes(2, range(3, 12)), source="feedback", file_name="b.csv", landing=landing)
    first, second = process_inbox(con, landing=landing)
    assert (first.rows_replaced, second.rows_replaced) == (0, 3)
    marks = con.execute(
        "select suggestions, count(*) from feedback group by 1 order by 1"
    ).fetchall()
    assert marks == [("v1", 3), ("v2", 9)]
    old = con.execute(
        "select count(*), count(distinct row_key) from row_replacement"
        " where old_sha256 = ? and new_sha256 = ?",
        [first.sha256, second.sha256],
    ).fetchone()
    assert old == (3, 3)
