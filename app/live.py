"""New data reaches open pages without each session polling the warehouse.

One watcher thread per server process checks :func:`app.connection.data_version`
(two tiny aggregates) every :data:`CHECK_SECONDS`. Pages read the version
it last saw (no query per rerun), and when it changes the watcher asks
every session that registered to rerun, through Streamlit's runtime. An
idle session therefore costs nothing: no fragment timer, no script run, no
garbage collection, however many readers have the dashboard open.

A woken session reruns *where it is*: the page, the query string (the
filters) and the browser context of its last run, with its widgets' values
and no button or download firing again (an empty widget-state update resets
the triggers). A session whose script is running when the data changes is
not interrupted (a score run or an upload under way would be cut short);
it reruns once that run has ended. The decision and the request are made on
the server's event loop, where Streamlit handles the browser's messages, so
a click can never slip in between them.

Under AppTest (no server runtime) the watcher still keeps the version; it
has no sessions to wake.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app.connection import cursor_on, data_version, warehouse_path

if TYPE_CHECKING:
    from streamlit.runtime.scriptrunner import ScriptRunContext

#: Seconds between two checks of the data version (one per process).
CHECK_SECONDS = 1.0


class ChangeWatcher:
    """The process-wide data version and the sessions to wake when it changes."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()
        # Session id -> where its latest run ended (page, query string, browser):
        # a small client state, not the run's context (which holds its runner).
        self._where: dict[str, ClientState] = {}
        # Session id -> how many of its runs are under way (two overlap briefly
        # when a click stops a run and starts the next), and the latest one.
        self._running: dict[str, int] = {}
        self._latest: dict[str, int] = {}
        # Sessions woken while a run was under way: rerun them when it has ended.
        self._pending: set[str] = set()
        self._version = self._read()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="stdeval-change-watch", daemon=True)
        self._thread.start()
        # Out of DuckDB before the interpreter goes: a daemon thread killed
        # inside a query aborts the process ("exception not rethrown").
        atexit.register(self.stop)

    def stop(self) -> None:
        """End the checks (at exit): wait for a check under way to finish."""
        self._stop.set()
        self._thread.join(timeout=10)

    def _read(self) -> str:
        # The path is part of the token: cached reads of two warehouses
        # (tests, a changed STDEVAL_DB) never share entries.
        cur = cursor_on(self._path)
        try:
            return f"{self._path}|{data_version(cur)}"
        finally:
            cur.close()

    @property
    def version(self) -> str:
        """The data version seen by the last check."""
        return self._version

    def run_started(self, ctx: ScriptRunContext) -> None:
        """A run of ``ctx``'s session begins: from now on, data changes wake the session."""
        with self._lock:
            self._running[ctx.session_id] = self._running.get(ctx.session_id, 0) + 1
            self._latest[ctx.session_id] = id(ctx)

    def run_ended(self, ctx: ScriptRunContext) -> None:
        """A run of ``ctx``'s session has ended (normally, stopped or failed): note where."""
        session_id = ctx.session_id
        with self._lock:
            left = self._running.pop(session_id, 0) - 1
            if left > 0:
                self._running[session_id] = left
            if self._latest.get(session_id) == id(ctx):  # not a run a later one replaced
                self._where[session_id] = same_place(ctx)

    def check(self) -> bool:
        """Read the version now; on a change wake every live session. Return whether it changed."""
        try:
            version = self._read()
        except Exception:  # noqa: BLE001 - a busy or closing warehouse: try again later
            return False
        if version == self._version:
            return False
        self._version = version
        self._wake()
        return True

    def tick(self) -> None:
        """One round of the watcher: check the version, then wake the sessions a run kept busy."""
        if self.check():  # every session was just woken, the busy ones with them
            return
        if self._pending:  # only sessions that were busy: idle ones cost nothing
            with self._lock:
                pending = set(self._pending)
            self._wake(pending)

    def _forget(self, session_id: str) -> None:
        with self._lock:
            self._where.pop(session_id, None)
            self._running.pop(session_id, None)
            self._latest.pop(session_id, None)
            self._pending.discard(session_id)

    def _wake(self, session_ids: set[str] | None = None) -> None:
        """Rerun every registered session (or those of ``session_ids``) where it is."""
        if not Runtime.exists():
            return
        runtime = Runtime.instance()
        try:
            # The runtime's loop, on which every session handles its browser's messages.
            loop = runtime.stopped.get_loop()  # type: ignore[attr-defined]
            loop.call_soon_threadsafe(self._rerun_in_place, runtime, session_ids)
        except RuntimeError:  # not started, or its loop is closed: the server is going
            return

    def _rerun_in_place(self, runtime: Runtime, session_ids: set[str] | None) -> None:
        # On the runtime's event loop: no browser message is handled meanwhile.
        with self._lock:
            known = set(self._where) | set(self._running)
            sessions = list(known if session_ids is None else session_ids)
        for session_id in sessions:
            session = runtime.get_app_session(session_id)
            with self._lock:
                where = self._where.get(session_id)
                busy = self._running.get(session_id, 0) > 0
                if session is not None and busy:
                    self._pending.add(session_id)  # let the run end first
                    continue
                self._pending.discard(session_id)
            if session is None or where is None:  # closed: forget it
                self._forget(session_id)
                continue
            rerun = ClientState()
            rerun.CopyFrom(where)  # Streamlit keeps what it is given
            session.request_rerun(rerun)

    def _loop(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            self.tick()


def same_place(ctx: ScriptRunContext) -> ClientState:
    """The client state that reruns a session's latest run where it ended.

    The page, the query string (as the run left it) and the browser context
    are kept; the widget states are an empty update, so every widget keeps
    its value and every trigger (a button, a download) is reset rather than
    fired again; no fragment, no auto-rerun. This is what Streamlit itself
    saves of a finished run, without the widget states of the last click.

    Parameters
    ----------
    ctx
        The script run context of the session's latest run (or any object
        with its ``page_script_hash``, ``query_string`` and ``context_info``).

    Returns
    -------
    ClientState
        A new client state for ``AppSession.request_rerun``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> last = SimpleNamespace(page_script_hash="abc", query_string="area=x", context_info=None)
    >>> again = same_place(last)
    >>> (again.page_script_hash, again.query_string, again.fragment_id, again.is_auto_rerun)
    ('abc', 'area=x', '', False)
    >>> again.HasField("widget_states"), len(again.widget_states.widgets)
    (True, 0)
    """
    state = ClientState(page_script_hash=ctx.page_script_hash, query_string=ctx.query_string)
    state.widget_states.SetInParent()
    if ctx.context_info is not None:
        state.context_info.CopyFrom(ctx.context_info)
    return state


@st.cache_resource(show_spinner=False)
def _watcher(path: str) -> ChangeWatcher:
    return ChangeWatcher(path)


def watcher() -> ChangeWatcher:
    """The change watcher of this process's warehouse."""
    return _watcher(str(warehouse_path()))


@contextmanager
def following_new_data() -> Iterator[None]:
    """Around a run's pages: rerun this session where it is when rows are loaded or a run is stored.

    While the block runs, the session counts as busy (a change waits for the
    run to end rather than cutting it short).
    """
    ctx = get_script_run_ctx()
    if ctx is None:  # a bare script run (no session)
        yield
        return
    changes = watcher()
    changes.run_started(ctx)
    try:
        yield
    finally:
        changes.run_ended(ctx)


def current_version() -> str:
    """The data version that keys every cached read (no query: the watcher's value)."""
    return watcher().version
