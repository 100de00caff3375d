"""What happened to one file: the result of an ingest, as the command line prints it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

#: ``progress(stage, done, total)``: stage is ``read``, ``validate`` or ``load``.
Progress = Callable[[str, int, int], None]

#: What can happen to a file (``queued`` is added by the command line when
#: the warehouse stayed busy: the file then waits in the inbox).
STATUSES = ("loaded", "duplicate", "refused", "dry_run")


@dataclass
class IngestResult:
    """What happened to one file (one JSON line of ``stdeval ingest --json``).

    ``errors`` holds one ``{row, column, value, rule, message}`` per problem,
    the message in the user's language (both languages stay in the
    warehouse's ``rejected_row``). ``reason`` is the one-line reason of a
    refused or duplicate file. ``warning_details`` lists the warnings
    (``warnings`` counts them), shaped like ``errors``.
    """

    source: str
    file: str
    sha256: str | None
    status: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_replaced: int = 0
    warnings: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    warning_details: list[dict[str, Any]] = field(default_factory=list)
    ingest_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict (the ``--json`` line).

        Examples
        --------
        >>> IngestResult("feedback", "a.csv", "ab", "duplicate").to_json()["status"]
        'duplicate'
        """
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IngestResult:
        """Rebuild a result from :meth:`to_json` output (results files of the inbox)."""
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def failed(self) -> bool:
        """True when the file was refused whole (exit status 1)."""
        return self.status == "refused"


def messages(frame: pl.DataFrame, lang: str, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Turn an error or warning frame into ``{row, column, value, rule, message}`` dicts."""
    if frame is None or frame.height == 0:
        return []
    message = "message_zh" if lang == "zh" else "message_en"
    out = frame.select(
        pl.col("row").cast(pl.Int64),
        pl.col("column").cast(pl.Utf8).replace(labels)
        if labels
        else pl.col("column").cast(pl.Utf8),
        pl.col("value").cast(pl.Utf8),
        pl.col("rule").cast(pl.Utf8),
        pl.col(message).cast(pl.Utf8).alias("message"),
    )
    return out.to_dicts()
