"""After new data, the reads readers had open are computed again before a page asks."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import streamlit as st

from app.data import reads
from datasets.access import Access
from metrics.filters import Filters


def test_reads_of_the_old_version_are_computed_ahead_under_the_new_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version = ["v1"]
    computed: list[tuple[str, int | None]] = []
    done = threading.Event()

    def fake(cur: Any, *, filters: Filters, scope: Access) -> str:
        computed.append((version[0], filters.year_from))
        if len(computed) == 4:
            done.set()
        return f"{version[0]}:{filters.year_from}"

    monkeypatch.setitem(reads.READS, "fake_read", fake)
    monkeypatch.setattr(reads, "REFRESH_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(reads, "current_version", lambda: version[0])
    monkeypatch.setattr(
        reads, "watcher", lambda: type("W", (), {"version": property(lambda self: version[0])})()
    )
    monkeypatch.setattr(reads, "warehouse_path", lambda: "warehouse")
    monkeypatch.setattr(reads, "cursor", lambda: type("Cur", (), {"close": lambda self: None})())
    st.cache_data.clear()
    everything = Access.everything()
    assert reads.read("fake_read", filters=Filters(year_from=2023), scope=everything) == "v1:2023"
    assert reads.read("fake_read", filters=Filters(year_from=2024), scope=everything) == "v1:2024"

    version[0] = "v2"  # a load finished: a reader opens one view
    assert reads.read("fake_read", filters=Filters(year_from=2024), scope=everything) == "v2:2024"
    assert done.wait(10), computed
    time.sleep(0.2)  # nothing is computed twice
    assert sorted(computed) == [("v1", 2023), ("v1", 2024), ("v2", 2023), ("v2", 2024)]
    # The other view is there already, for the reader who comes back to it.
    before = len(computed)
    assert reads.read("fake_read", filters=Filters(year_from=2023), scope=everything) == "v2:2023"
    assert len(computed) == before


def test_no_refresh_runs_once_the_app_shows_another_warehouse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version, path = ["v1"], ["first"]
    computed: list[str] = []

    def fake(cur: Any, *, filters: Filters, scope: Access) -> str:
        computed.append(f"{version[0]}:{filters.year_from}")
        return computed[-1]

    monkeypatch.setitem(reads.READS, "fake_other", fake)
    # Long enough that a loaded machine cannot end it before the switch below.
    monkeypatch.setattr(reads, "REFRESH_DELAY_SECONDS", 1.5)
    monkeypatch.setattr(reads, "current_version", lambda: version[0])
    monkeypatch.setattr(
        reads, "watcher", lambda: type("W", (), {"version": property(lambda self: version[0])})()
    )
    monkeypatch.setattr(reads, "warehouse_path", lambda: path[0])
    monkeypatch.setattr(reads, "cursor", lambda: type("Cur", (), {"close": lambda self: None})())
    st.cache_data.clear()
    everything = Access.everything()
    reads.read("fake_other", filters=Filters(year_from=2020), scope=everything)
    version[0] = "v2"
    reads.read("fake_other", filters=Filters(year_from=2021), scope=everything)
    path[0] = "second"  # before the refresh's delay is over
    time.sleep(2.5)
    assert computed == ["v1:2020", "v2:2021"]
