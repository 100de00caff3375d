"""Where writers leave what happened to each inbox entry: its result and, meanwhile, its progress.

``landing/results/<request id>.json`` holds the result of one request
(named by the request, not the entry: the same bytes sent again later reuse
an entry id, never a request id); ``<request id>.progress`` the last stage
reported while it runs, so that a caller waiting on another process (the
dashboard's worker, another command) still shows progress. Waiting callers
read these small files, never the database.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

from etl.landing import write_atomic
from etl.settings import landing_dir

RESULTS = "results"
#: Results nobody collected (their command was interrupted) are removed after a day.
RESULT_TTL_SECONDS = 24 * 3600


def results_dir(landing: Path | None = None) -> Path:
    """Return the folder where writers leave the result of each processed entry."""
    return (landing or landing_dir()) / RESULTS


def _result_path(request_id: str, landing: Path | None) -> Path:
    return results_dir(landing) / f"{request_id}.json"


def _progress_path(request_id: str, landing: Path | None) -> Path:
    return results_dir(landing) / f"{request_id}.progress"


def write_result(request_id: str, kind: str, result: dict[str, Any], landing: Path | None) -> None:
    """Leave the JSON ``result`` of ``request_id`` (atomically) and drop its progress."""
    payload = {"request_id": request_id, "kind": kind, "result": result}
    write_atomic(
        _result_path(request_id, landing),
        json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
    )
    _progress_path(request_id, landing).unlink(missing_ok=True)


def read_result(request_id: str, landing: Path | None = None) -> dict[str, Any] | None:
    """Return the JSON result left for ``request_id``, or ``None`` while there is none.

    The result file stays for every caller waiting on the request (a second
    command sending the same bytes joins the entry that is still waiting);
    results are swept after :data:`RESULT_TTL_SECONDS`.
    """
    try:
        payload = json.loads(_result_path(request_id, landing).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("request_id") != request_id:
        return None
    return payload.get("result")


def write_progress(
    request_id: str, stage: str, done: int, total: int, landing: Path | None
) -> None:
    """Record the stage a request has reached (read by callers waiting in other processes)."""
    data = json.dumps({"stage": stage, "done": done, "total": total}).encode("utf-8")
    path = _progress_path(request_id, landing)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)  # progress is advisory: no fsync
        tmp.replace(path)


def read_progress(request_id: str, landing: Path | None = None) -> tuple[str, int, int] | None:
    """Return ``(stage, done, total)`` last recorded for ``request_id``, or ``None``."""
    try:
        data = json.loads(_progress_path(request_id, landing).read_text("utf-8"))
        return str(data["stage"]), int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def sweep_results(landing: Path | None = None) -> None:
    """Remove results (and progress) older than :data:`RESULT_TTL_SECONDS`."""
    folder = results_dir(landing)
    if not folder.exists():
        return
    cutoff = time.time() - RESULT_TTL_SECONDS
    for path in [*folder.glob("*.json"), *folder.glob("*.progress")]:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
