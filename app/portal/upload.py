"""The pilot-site portal's upload, without Streamlit: send a file through the writer's queue, read the answer.

A portal upload is two requests through the writer's queue, as
:func:`etl.receive.receive` makes them (the dashboard's own worker thread is
the warehouse's writer), queued and waited for in two steps so that a page
rerun in between (new data wakes every page) waits again: first a dry
run, whose validation report the user reads row by row; then, on Confirm,
the same bytes loaded. Both carry the uploader's sites
(``allowed_site_ids``), so a row of another site is rejected
(``site_not_allowed``) in the dry run and in the load alike. A dry run
writes nothing, not even an ingest-log row, so the load that follows is
never answered ``duplicate`` because of it (only a *loaded* file makes its
bytes a duplicate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from app.auth.identity import User
from app.i18n import Translator
from datasets.sources import get_source
from etl.inbox import InboxEntry
from etl.receive import ReceiveOptions, await_entry, queue_file
from etl.result import IngestResult, Progress

__all__ = [
    "PORTAL_SOURCES",
    "Sent",
    "problems_frame",
    "receipt_frame",
    "queue",
    "receipt_text",
    "wait",
]

#: The sources a pilot site sends: those whose rows carry the site's id (the
#: site register itself, ``pilot_site``, is kept by the programme office).
PORTAL_SOURCES: tuple[str, ...] = ("feedback",)
#: Seconds the page waits for the writer before saying the file is queued.
WAIT_SECONDS = 300.0


@dataclass(frozen=True)
class Sent:
    """One file sent through the queue: its inbox entry and the writer's result.

    ``result`` is ``None`` when the writer did not answer within the wait:
    the file then stays queued and is applied in its turn.
    """

    entry: InboxEntry
    result: IngestResult | None


def queue(
    data: bytes,
    file_name: str,
    *,
    source: str,
    user: User,
    lang: str,
    dry_run: bool,
    warehouse: Path,
    landing: Path,
) -> InboxEntry:
    """Land ``data`` and queue it for the writer as ``user``, limited to the user's sites.

    Parameters
    ----------
    data, file_name
        The uploaded bytes and the name the user gave the file.
    source
        One of :data:`PORTAL_SOURCES`.
    user
        The signed-in uploader: its name is recorded, its sites bound the rows.
    lang
        The interface language (the inbox entry's language).
    dry_run
        Validate only (nothing written) or load.
    warehouse, landing
        The dashboard's warehouse file and landing folder (those its writer serves).
    """
    options = ReceiveOptions(
        source,
        dry_run=dry_run,
        lang=lang,
        uploader=user.username,
        allowed_site_ids=user.sites,
    )
    return queue_file(data, file_name, options, warehouse=warehouse, landing=landing)


def wait(
    entry: InboxEntry,
    *,
    warehouse: Path,
    landing: Path,
    progress: Progress | None = None,
    on_wait: Callable[[float], None] | None = None,
    timeout: float = WAIT_SECONDS,
) -> Sent:
    """Wait for the writer's answer to ``entry`` (again, after a rerun cut a wait short).

    ``progress`` and ``on_wait`` are called with the writer's progress and
    the seconds waited; the answer is ``None`` past ``timeout``.
    """
    result = await_entry(
        entry, warehouse=warehouse, landing=landing, timeout=timeout, progress=progress,
        on_wait=on_wait,
    )  # fmt: skip
    return Sent(entry=entry, result=result)


def problems_frame(result: IngestResult, t: Translator) -> pl.DataFrame:
    """The row problems of a result as the user reads them, one per row and column.

    Columns (labelled in ``t``'s language): row number, column, value, rule,
    message (in that language), and whether the row is rejected (an error)
    or only warned about.
    """
    rows = [
        {**problem, "kind": kind}
        for kind, problems in (("error", result.errors), ("warning", result.warning_details))
        for problem in problems
    ]
    columns = {  # the message last: it is the long one
        "portal.col_row": ([r.get("row") for r in rows], pl.Int64),
        "portal.col_column": ([r.get("column") for r in rows], pl.String),
        "portal.col_value": ([r.get("value") for r in rows], pl.String),
        "portal.col_rule": ([r.get("rule") for r in rows], pl.String),
        "portal.col_kind": ([t(f"portal.kind_{r['kind']}") for r in rows], pl.String),
        "portal.col_message": (
            [r.get("message_en" if t.lang == "en" else "message_zh") for r in rows],
            pl.String,
        ),
    }
    frame = pl.DataFrame(
        {t(key): values for key, (values, _) in columns.items()},
        schema={t(key): dtype for key, (_, dtype) in columns.items()},
    )
    return frame.sort(t("portal.col_row"), nulls_last=True, maintain_order=True)


def _source_title(source: str, lang: str) -> str:
    spec = get_source(source)
    return spec.title_en if lang == "en" else spec.title_zh


def _received(entry: InboxEntry) -> str:
    return datetime.fromisoformat(entry.received_at).strftime("%Y-%m-%d %H:%M:%S")


def receipt_frame(sent: Sent, t: Translator) -> pl.DataFrame:
    """The receipt of a load as a two-column table (what, value), in ``t``'s language."""
    result = sent.result
    status = t(f"portal.status_{result.status}") if result is not None else t("portal.queued")
    items = [
        ("portal.receipt_file", sent.entry.file_name),
        ("portal.receipt_source", _source_title(sent.entry.source, t.lang)),
        ("portal.receipt_sha256", sent.entry.sha256),
        ("portal.receipt_received", _received(sent.entry)),
        ("portal.receipt_seq", str(sent.entry.seq)),
        ("portal.receipt_uploader", sent.entry.uploader),
        ("portal.receipt_status", status),
    ]
    if result is not None:
        items += [
            ("portal.receipt_ingest_id", "" if result.ingest_id is None else str(result.ingest_id)),
            ("portal.count_read", str(result.rows_read)),
            ("portal.count_loaded", str(result.rows_accepted)),
            ("portal.count_rejected", str(result.rows_rejected)),
            ("portal.count_replaced", str(result.rows_replaced)),
        ]
        if result.reason is not None:
            items.append(("portal.receipt_reason", result.reason.text(t.lang)))
    return pl.DataFrame(
        {
            t("portal.receipt_what"): [t(k) for k, _ in items],
            t("portal.receipt_value"): [v for _, v in items],
        }
    )


def receipt_text(sent: Sent, t: Translator) -> str:
    """The receipt as plain text (a printable download): one ``what: value`` line each."""
    frame = receipt_frame(sent, t)
    lines = [t("portal.receipt_title"), ""]
    lines += [f"{what}: {value}" for what, value in frame.iter_rows()]
    return "\r\n".join(lines) + "\r\n"
