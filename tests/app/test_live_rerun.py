"""The change watcher reruns a session where it is, and never cuts a running script short."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo

import app.live as live
from app.connection import cursor_on
from metrics.request import ScoreRequest
from metrics.runs import run_scoring
from metrics.scope import Scope


class _Loop:
    """An event loop that runs a callback at once (the test is its only thread)."""

    def __init__(self) -> None:
        self.closed = False

    def call_soon_threadsafe(self, callback, *args) -> None:
        if self.closed:
            msg = "Event loop is closed"
            raise RuntimeError(msg)
        callback(*args)


class _Session:
    """The one part of ``AppSession`` the watcher uses."""

    def __init__(self) -> None:
        self.reruns: list[ClientState | None] = []

    def request_rerun(self, client_state: ClientState | None) -> None:
        self.reruns.append(client_state)


class _Runtime:
    def __init__(self, sessions: dict[str, _Session]) -> None:
        self.sessions = sessions
        self.loop = _Loop()
        self.stopped = SimpleNamespace(get_loop=lambda: self.loop)

    def get_app_session(self, session_id: str) -> _Session | None:
        return self.sessions.get(session_id)


def _ctx(session_id: str, page: str, query: str = "", timezone: str | None = None):
    """A script run context as the run left it (only the fields the watcher reads)."""
    info = ContextInfo(timezone=timezone) if timezone else None
    return SimpleNamespace(
        session_id=session_id, page_script_hash=page, query_string=query, context_info=info
    )


@pytest.fixture()
def watched(demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A watcher over a copy of the demo warehouse, a fake runtime, and a way to change data."""
    monkeypatch.setattr(live, "CHECK_SECONDS", 3600.0)  # only the explicit ticks below
    path = tmp_path / "watched.duckdb"
    shutil.copyfile(demo_warehouse, path)
    runtime = _Runtime({"reader": _Session(), "evaluator": _Session()})
    fake = SimpleNamespace(exists=lambda: True, instance=lambda: runtime)
    monkeypatch.setattr(live, "Runtime", fake)
    watcher = live.ChangeWatcher(str(path))

    def change() -> None:  # a score run is stored: the data version moves
        cur = cursor_on(str(path))
        try:
            request = ScoreRequest(scope=Scope(year=2024), replicates=0)
            run_scoring(cur, request, created_by="tests")
        finally:
            cur.close()

    yield watcher, runtime, change
    watcher.stop()


def _ran(watcher: live.ChangeWatcher, ctx) -> None:
    """One whole run of ``ctx``'s session (started and ended)."""
    watcher.run_started(ctx)
    watcher.run_ended(ctx)


def test_an_idle_session_reruns_its_page_with_its_query_string_and_no_trigger(watched) -> None:
    watcher, runtime, change = watched
    _ran(watcher, _ctx("reader", "standards-hash", "area=%E7%89%A9", "Asia/Shanghai"))
    watcher.tick()
    assert runtime.sessions["reader"].reruns == []  # nothing changed: nobody woken
    change()
    watcher.tick()
    (state,) = runtime.sessions["reader"].reruns
    assert state is not None  # None would land on the default page
    assert state.page_script_hash == "standards-hash"
    assert state.query_string == "area=%E7%89%A9"
    assert state.context_info.timezone == "Asia/Shanghai"
    # an empty update, not the last click's widgets: values kept, triggers reset
    assert state.HasField("widget_states") and len(state.widget_states.widgets) == 0
    assert state.fragment_id == "" and not state.is_auto_rerun
    assert runtime.sessions["evaluator"].reruns == []  # never ran a page: not registered


def test_a_running_script_is_not_cut_short_and_reruns_once_it_has_ended(watched) -> None:
    watcher, runtime, change = watched
    _ran(watcher, _ctx("reader", "overview-hash"))
    busy = _ctx("evaluator", "workspace-hash")
    watcher.run_started(busy)  # a score run is under way
    change()
    watcher.tick()
    assert runtime.sessions["evaluator"].reruns == []
    assert len(runtime.sessions["reader"].reruns) == 1
    watcher.tick()
    assert runtime.sessions["evaluator"].reruns == []  # still running: still waiting
    watcher.run_ended(busy)
    watcher.tick()
    (state,) = runtime.sessions["evaluator"].reruns
    assert state.page_script_hash == "workspace-hash"
    watcher.tick()
    assert len(runtime.sessions["evaluator"].reruns) == 1  # once, not at every tick
    assert len(runtime.sessions["reader"].reruns) == 1


def test_overlapping_runs_keep_the_session_busy_until_the_last_has_ended(watched) -> None:
    watcher, runtime, change = watched
    # a click stops a run and starts the next one before the first has unwound
    stopped, latest = (
        _ctx("evaluator", "overview-hash"),
        _ctx("evaluator", "workspace-hash", "tab=2"),
    )
    watcher.run_started(stopped)
    watcher.run_started(latest)
    watcher.run_ended(latest)
    change()
    watcher.tick()
    assert runtime.sessions["evaluator"].reruns == []  # the stopped one still unwinds
    watcher.run_ended(stopped)  # last to end, but not where the session is
    watcher.tick()
    (state,) = runtime.sessions["evaluator"].reruns
    assert (state.page_script_hash, state.query_string) == ("workspace-hash", "tab=2")


def test_closed_sessions_are_forgotten_and_a_closed_loop_wakes_nobody(watched) -> None:
    watcher, runtime, change = watched
    _ran(watcher, _ctx("reader", "overview-hash"))
    _ran(watcher, _ctx("evaluator", "workspace-hash"))
    reader = runtime.sessions.pop("reader")  # the tab was closed
    change()
    watcher.tick()
    assert reader.reruns == []
    assert len(runtime.sessions["evaluator"].reruns) == 1
    runtime.sessions["reader"] = reader  # a session of that id again: it must run first
    runtime.loop.closed = True  # the server is going
    change()
    watcher.tick()  # does not raise
    assert reader.reruns == []
    assert len(runtime.sessions["evaluator"].reruns) == 1
