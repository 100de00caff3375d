"""Ignored columns that look like a known column the file leaves blank: say so, prominently.

A file whose dates sit under headers nobody recognised (``立项时点`` for
``立项日期``) loads its rows with those columns empty; a plain "unknown
column ignored" warning is easy to miss. When an ignored column holds data
and its closest known header (:func:`datasets.headers.closest_header`)
names a column the file leaves entirely blank, the warning becomes
``column_not_recognised`` naming that header, the result's reason says it
on one line, and ``--strict`` refuses the file under the same rule.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from datasets.headers import closest_header, display_header
from datasets.problems import ERROR_COLUMNS, ROW
from etl.refusal import FileRefused

RULE = "column_not_recognised"


def unrecognised_columns(
    spec: Any, mapping: Any, table: Any, raw: pl.DataFrame
) -> list[tuple[str, str]]:
    """(ignored header as in the file, known header) for each ignored column like a blank one.

    ``raw`` holds the recognised columns under their canonical names
    (:func:`etl.uploads.canonical_raw`); a column absent from it, or with
    no value in any row, is blank. Only ignored columns holding data count.
    """
    present = {c for c in raw.columns if c != ROW}
    filled = set()
    if present:
        counts = raw.select(pl.col(sorted(present)).is_not_null().any()).row(0, named=True)
        filled = {name for name, has in counts.items() if has}
    blank = [c.name for c in spec.columns if c.name not in filled and c.default is None]
    unknown = set(getattr(mapping, "unknown", ()) or ())
    found: list[tuple[str, str]] = []
    for i, header in enumerate(table.headers):
        if not header or header not in unknown:
            continue
        if not table.frame.get_column(f"c{i}").is_not_null().any():
            continue
        match = closest_header(spec, header, blank)
        if match is not None:
            found.append((header, spec.column(match[0]).header_zh))
    return found


def warnings_for(found: list[tuple[str, str]], header_row: int) -> pl.DataFrame:
    """One ``column_not_recognised`` warning per pair of :func:`unrecognised_columns`."""
    shown = [(display_header(h), known) for h, known in found]
    return pl.DataFrame(
        {
            "row": [header_row] * len(shown),
            "column": [h for h, _ in shown],
            "value": [h for h, _ in shown],
            "rule": [RULE] * len(shown),
            "message_zh": [
                f"“{h}”不是本表的列，已忽略；而本表的“{k}”列在文件中全部为空：如果这一列就是"
                f"“{k}”，请把表头改为“{k}”后重新上传"
                for h, k in shown
            ],
            "message_en": [
                f"{h!r} is not a column of this source and was ignored, while the column {k!r} "
                f"is blank in the whole file: if this column is {k!r}, rename its header to "
                f"{k!r} and upload again"
                for h, k in shown
            ],
        },
        schema=ERROR_COLUMNS,
    )


def notice(found: list[tuple[str, str]], *, strict: bool) -> FileRefused:
    """The one-line notice (a refusal under ``--strict``) naming each ignored header and its match."""
    pairs_zh = "、".join(f"“{display_header(h)}”（应为“{k}”？）" for h, k in found)
    pairs_en = ", ".join(f"{display_header(h)!r} (meant {k!r}?)" for h, k in found)
    outcome_zh = "按 --strict 未导入任何数据" if strict else "这些列的数据没有导入"
    outcome_en = "nothing was loaded (--strict)" if strict else "their data was not loaded"
    return FileRefused(
        f"注意：以下列未被识别而忽略，而对应的已知列在文件中全部为空：{pairs_zh}；{outcome_zh}，"
        "请改正表头后重新上传",
        f"attention: these columns were not recognised and were ignored while the known columns "
        f"they resemble are blank in the whole file: {pairs_en}; {outcome_en}; correct the "
        "headers and upload again",
        rule=RULE,
    )
