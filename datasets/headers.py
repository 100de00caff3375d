"""Map the headers of an uploaded file to canonical column names.

A header matches a column by its Chinese header, its canonical English
name, an alias or a unit header (``实施成本（万元）`` -> ``cost_cny`` with
scale 10,000). Matching forgives what spreadsheets and input methods do to
headers: a BOM, zero-width characters, surrounding or inner spaces,
full-width letters and parentheses （）, case, ``_`` or ``-`` for a space,
a trailing ``*`` or ``（必填）``/``（选填）`` marker, a trailing note in
brackets that names no unit (``发布时间（年月日）``), ``…时间`` for ``…日期``
in a date column (``立项时间``), and bilingual headers such as
``试点单位编号 / site_id`` or ``试点单位编号\nsite_id`` (either half may
match).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from datasets.normalise.width import INVISIBLE
from datasets.spec import SourceSpec

_MARKERS = re.compile(r"(\*|\((必填|选填|可选|required|optional)\))+$")
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def fold_header(header: str) -> str:
    """Fold a header for matching.

    Examples
    --------
    >>> fold_header("\\ufeff 实施成本（万元） ")
    '实施成本(万元)'
    >>> fold_header("Site_ID*") == fold_header("site id")
    True
    """
    text = unicodedata.normalize("NFKC", header.translate(_INVISIBLE)).lower()
    text = re.sub(r"[\s_\-]+", "", text)
    return _MARKERS.sub("", text)


#: A trailing note in brackets (after folding): ``(日期)``, ``(yyyy-mm-dd)``, ``(1-5分)``.
_NOTE = re.compile(r"\(([^()]*)\)$")
#: A bracket naming a unit or magnitude is never dropped: ``金额(千元)`` is not ``金额``.
_UNIT = re.compile(r"[元十百千万亿%‰]|cny|rmb|usd|yuan|k$", re.I)


def _candidates(header: str) -> list[str]:
    """The whole header first, then each half of a bilingual header, each also without a note.

    A trailing bracket that names no unit (``发布时间（年月日）``) is a note:
    the header is also tried without it.
    """
    parts = [header, *re.split(r"\s*(?:/|\||\n|\r)\s*", header)]
    seen: list[str] = []
    for part in parts:
        folded = fold_header(part)
        note = _NOTE.search(folded)
        bare = folded[: note.start()] if note and not _UNIT.search(note.group(1)) else ""
        for candidate in (folded, bare):
            if candidate and candidate not in seen:
                seen.append(candidate)
    return seen


def display_header(header: str) -> str:
    r"""A header as messages show it: line breaks folded into one space.

    Examples
    --------
    >>> display_header("实施成本\n（元）"), display_header("试点单位编号\r\nsite_id")
    ('实施成本 （元）', '试点单位编号 site_id')
    """
    return re.sub(r"\s*[\r\n]+\s*", " ", header).strip()


def _date_variants(text: str) -> list[str]:
    """``立项日期`` -> ``立项时间``, ``立项`` -> ``立项日期``, ``立项时间``: how users name a date column."""
    if text.isascii():
        return []
    base = text.removesuffix("日期").removesuffix("时间")
    return [base + "日期", base + "时间"] if base else []


@dataclass
class HeaderMapping:
    """How a file's headers map to a source's columns.

    Attributes
    ----------
    columns
        File header (as given) -> canonical column name.
    scale
        Canonical column -> unit factor of its header (10,000 for 万元).
    missing_required
        Required canonical columns that no header names.
    unknown
        File headers that name no column (ignored, reported as a warning).
    duplicate
        File headers naming a column that an earlier header already named.
    """

    columns: dict[str, str] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    missing_required: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)


def header_index(spec: SourceSpec) -> dict[str, tuple[str, float]]:
    """Folded header -> (canonical column, unit factor) for every accepted header of ``spec``.

    Raises
    ------
    ValueError
        If two columns of ``spec`` claim the same folded header (a spec bug).
    """
    index: dict[str, tuple[str, float]] = {}

    def add(text: str, column: str, factor: float) -> None:
        key = fold_header(text)
        if key in index and index[key][0] != column:
            msg = f"source {spec.name}: header {text!r} names both {index[key][0]} and {column}"
            raise ValueError(msg)
        index[key] = (column, factor)

    for col in spec.columns:
        for text in (col.name, col.header_zh, *col.aliases):
            add(text, col.name, 1.0)
    for col in spec.columns:  # variants never displace a header or alias of another column
        if col.kind == "date":
            for text in (col.header_zh, *col.aliases):
                for variant in _date_variants(text):
                    index.setdefault(fold_header(variant), (col.name, 1.0))
        for text, factor in col.unit_headers.items():
            add(text, col.name, factor)
    return index


# A file's header is scored against every candidate row and separator
# (etl.readers), so the index is built once per source, not once per row.
_cached_index = lru_cache(maxsize=32)(header_index)


def map_headers(spec: SourceSpec, headers: Sequence[str]) -> HeaderMapping:
    """Map a file's headers to the canonical columns of ``spec``.

    Parameters
    ----------
    spec
        The source the file is for.
    headers
        The header cells in file order.

    Returns
    -------
    HeaderMapping
        Recognised headers, unit scales, missing required columns, unknown
        and repeated headers. Of two headers naming one column the first
        is used.

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> m = map_headers(get_source("feedback"), ["试点单位编号", " STANDARD_CODE ", "报告期", "实施成本（万元）", "备注"])
    >>> m.columns["实施成本（万元）"], m.scale, m.unknown, m.missing_required
    ('cost_cny', {'cost_cny': 10000.0}, ['备注'], [])
    """
    index = _cached_index(spec)
    mapping = HeaderMapping()
    taken: set[str] = set()
    for header in headers:
        found = next((index[c] for c in _candidates(header) if c in index), None)
        if found is None:
            mapping.unknown.append(header)
            continue
        column, factor = found
        if column in taken:
            mapping.duplicate.append(header)
            continue
        taken.add(column)
        mapping.columns[header] = column
        if factor != 1.0:
            mapping.scale[column] = factor
    mapping.missing_required = [c.name for c in spec.columns if c.required and c.name not in taken]
    return mapping


#: How alike (0–1, :class:`difflib.SequenceMatcher`) an ignored header must be to a known one.
CLOSE_ENOUGH = 0.5


def closest_header(
    spec: SourceSpec, header: str, columns: Iterable[str]
) -> tuple[str, float] | None:
    """The column among ``columns`` whose headers are most like ``header``, and how alike (0–1).

    Compared after folding (:func:`fold_header`), against each column's
    Chinese header, English name and aliases; ``None`` when none is at least
    :data:`CLOSE_ENOUGH` alike.

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> closest_header(get_source("lifecycle"), "立项批准时点", ["approved", "published"])
    ('approved', 0.5)
    """
    wanted = fold_header(header)
    best: tuple[str, float] | None = None
    for name in columns:
        col = spec.column(name)
        for text in (col.header_zh, col.name, *col.aliases):
            ratio = SequenceMatcher(None, wanted, fold_header(text)).ratio()
            if ratio >= CLOSE_ENOUGH and (best is None or ratio > best[1]):
                best = (name, round(ratio, 2))
    return best
