"""New data reaches open pages without each session polling the warehouse.

One watcher thread per server process checks :func:`app.connection.data_version`
(two tiny aggregates) every :data:`CHECK_SECONDS`. Pages read the version
it last saw (no query per rerun), and when it changes the watcher asks
every session that registered to rerun, through Streamlit's runtime. An
idle session therefore costs nothing: no fragment timer, no script run, no
garbage collection, however many readers have the dashboard open.

Under AppTest (no server runtime) the watcher still keeps the version; it
has no sessions to wake.
"""

from __future__ import annotations

import atexit
import threading

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app.connection import cursor_on, data_version, warehouse_path

#: Seconds between two checks of the data version (one per process).
CHECK_SECONDS = 1.0


class ChangeWatcher:
    """The process-wide data version and the sessions to wake when it changes."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._sessions: set[str] = set()
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

    def register(self, session_id: str) -> None:
        """Wake this session when the data changes."""
        with self._lock:
            self._sessions.add(session_id)

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

    def _wake(self) -> None:
        if not Runtime.exists():
            return
        runtime = Runtime.instance()
        with self._lock:
            sessions = list(self._sessions)
        for session_id in sessions:
            session = runtime.get_app_session(session_id)
            if session is None:  # closed: forget it
                with self._lock:
                    self._sessions.discard(session_id)
                continue
            # The session's last client state keeps its page and widgets (as
            # Streamlit's own rerun-on-save does); None would rerun the default
            # page, throwing an evaluator off the Approvals page at each approval.
            session.request_rerun(getattr(session, "_client_state", None))

    def _loop(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            self.check()


@st.cache_resource(show_spinner=False)
def _watcher(path: str) -> ChangeWatcher:
    return ChangeWatcher(path)


def watcher() -> ChangeWatcher:
    """The change watcher of this process's warehouse."""
    return _watcher(str(warehouse_path()))


def follow_new_data() -> None:
    """Register this session to rerun when rows are loaded or a score run is stored."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        watcher().register(ctx.session_id)


def current_version() -> str:
    """The data version that keys every cached read (no query: the watcher's value)."""
    return watcher().version
