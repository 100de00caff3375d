"""What happened to one file: the result of an ingest, as the command line prints it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from datasets.messages import Message

#: ``progress(stage, done, total)``: stage is ``read``, ``validate`` or ``load``.
Progress = Callable[[str, int, int], None]

#: What can happen to a file (``queued`` is added by the command line when
#: the warehouse stayed busy: the file then waits in the inbox).
STATUSES = ("loaded", "duplicate", "refused", "dry_run")


@dataclass(frozen=True)
class Receipt:
    """Where a file's rows come from: recorded in the ingest log with every load.

    Parameters
    ----------
    file_name, sha256
        The name the user gave the file and the sha256 of its bytes.
    uploader
        Who sent it (``cli:<login>``, an account name, ``demo``).
    received_at
        When its bytes were received.
    receipt_seq
        The inbox's receipt number (``None`` for frames loaded directly).

    Examples
    --------
    >>> from datetime import datetime
    >>> Receipt("a.csv", "ab", "cli", datetime(2026, 1, 1)).receipt_seq is None
    True
    """

    file_name: str
    sha256: str
    uploader: str
    received_at: datetime
    receipt_seq: int | None = None


@dataclass
class IngestResult:
    """What happened to one file (one JSON line of ``stdeval ingest --json``).

    Every text keeps both languages until it is shown: ``reason`` (the
    one-line reason of a refused or duplicate file) is a
    :class:`~datasets.messages.Message`, and each of ``errors`` (one
    ``{row, column, value, rule, message_zh, message_en}`` per problem) and
    ``warning_details`` (``warnings`` counts them, shaped like ``errors``)
    carries both messages. :meth:`to_json` with a language renders them.
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
    reason: Message | None = None
    warning_details: list[dict[str, Any]] = field(default_factory=list)
    ingest_id: int | None = None

    def reason_text(self, lang: str) -> str | None:
        """The reason in ``lang``, or ``None`` when the file was loaded."""
        return None if self.reason is None else self.reason.text(lang)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """Return the result as a JSON-ready dict.

        With ``lang``: the ``--json`` line a user reads, the reason and each
        problem's ``message`` in that language. Without: both languages
        (``reason`` as ``{"zh", "en"}``), as the inbox's results files keep it.

        Examples
        --------
        >>> r = IngestResult("feedback", "a.csv", "ab", "duplicate", reason=Message("重复", "again"))
        >>> r.to_json("en")["reason"], r.to_json()["reason"]
        ('again', {'zh': '重复', 'en': 'again'})
        >>> IngestResult.from_json(r.to_json()) == r
        True
        """
        data = asdict(self)
        if lang is None:
            data["reason"] = None if self.reason is None else self.reason.to_json()
            return data
        data["reason"] = self.reason_text(lang)
        for key in ("errors", "warning_details"):
            data[key] = [_shown(problem, lang) for problem in data[key]]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IngestResult:
        """Rebuild a result from :meth:`to_json` output without a language (results files)."""
        known = set(cls.__dataclass_fields__)
        fields = {k: v for k, v in data.items() if k in known}
        fields["reason"] = Message.from_json(fields.get("reason"))
        return cls(**fields)

    @property
    def failed(self) -> bool:
        """True when the file was refused whole (exit status 1)."""
        return self.status == "refused"


def _shown(problem: dict[str, Any], lang: str) -> dict[str, Any]:
    """One problem as a user reads it: ``message`` in ``lang`` instead of both."""
    message = Message(str(problem.get("message_zh") or ""), str(problem.get("message_en") or ""))
    shown = {k: v for k, v in problem.items() if k not in {"message_zh", "message_en"}}
    shown["message"] = problem.get("message") or message.text(lang)
    return shown


def problems(frame: pl.DataFrame | None, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Turn an error or warning frame into ``{row, column, value, rule, message_zh, message_en}``.

    ``labels`` maps canonical column names to the header the file used.
    """
    if frame is None or frame.height == 0:
        return []
    column = pl.col("column").cast(pl.Utf8)
    out = frame.select(
        pl.col("row").cast(pl.Int64),
        column.replace(labels) if labels else column,
        pl.col("value").cast(pl.Utf8),
        pl.col("rule").cast(pl.Utf8),
        pl.col("message_zh").cast(pl.Utf8),
        pl.col("message_en").cast(pl.Utf8),
    )
    return out.to_dicts()
