"""Column and source specifications: the single description every layer reads.

A :class:`SourceSpec` lists the canonical columns of one uploaded source
(DATA_MODEL.md) with their Chinese headers, accepted aliases, kinds and
value limits. The pandera schema, the header mapper, the normalisers, the
upload templates and the demo generator are all derived from it, so a
column is described once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from datasets.rules import Rule

#: Every kind a column may have, with the polars dtype of its typed value.
#: Money is DECIMAL(18,2) in the warehouse; Likert is TINYINT; years SMALLINT;
#: counts INTEGER (see etl/sql/migrations/001_core.sql).
KIND_DTYPES: dict[str, pl.DataType] = {
    "text": pl.Utf8(),
    "id": pl.Utf8(),
    "int": pl.Int32(),
    "decimal": pl.Decimal(18, 2),
    "float": pl.Float64(),
    "date": pl.Date(),
    "bool": pl.Boolean(),
    "enum": pl.Utf8(),
    "likert": pl.Int8(),
    "standard_code": pl.Utf8(),
    "period": pl.Utf8(),
    "region": pl.Utf8(),
    "org_type": pl.Utf8(),
    "year": pl.Int16(),
    "percent": pl.Float64(),
    "codes": pl.Utf8(),
}


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column of a source.

    Parameters
    ----------
    name
        Canonical snake_case name, equal to the warehouse column.
    header_zh
        The Chinese header of DATA_MODEL.md (what templates print).
    kind
        One of :data:`KIND_DTYPES`; decides the normaliser and the dtype.
    required
        A blank cell is a ``required`` row error.
    aliases
        Extra accepted headers (English variants, common synonyms).
    enum
        Canonical values of an ``enum`` column.
    enum_labels_zh
        Canonical value -> accepted Chinese words (the first is the label
        shown in templates).
    unit_headers
        Header -> factor, e.g. ``{'实施成本（万元）': 10000.0}``: a file using
        that header gives amounts in that unit.
    min_value, max_value
        Inclusive numeric limits (``None`` = unbounded).
    description_zh, description_en
        Help text for templates and documentation.
    default
        Value of a blank cell (``None``: stays null). Used where the
        warehouse column is NOT NULL with a default, e.g. a blank
        ``conflict_of_interest`` means no conflict.

    Examples
    --------
    >>> c = ColumnSpec("q", "问题", "likert", required=True)
    >>> c.dtype
    Int8
    """

    name: str
    header_zh: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()
    enum_labels_zh: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    unit_headers: dict[str, float] = field(default_factory=dict, hash=False)
    min_value: float | None = None
    max_value: float | None = None
    description_zh: str = ""
    description_en: str = ""
    default: object = None

    def __post_init__(self) -> None:
        if self.kind not in KIND_DTYPES:
            msg = f"column {self.name!r}: unknown kind {self.kind!r}; use one of {sorted(KIND_DTYPES)}"
            raise ValueError(msg)
        if self.kind == "enum" and not self.enum:
            msg = f"column {self.name!r}: an enum column needs its canonical values"
            raise ValueError(msg)
        unknown = set(self.enum_labels_zh) - set(self.enum)
        if unknown:
            msg = f"column {self.name!r}: Chinese labels for unknown values {sorted(unknown)}"
            raise ValueError(msg)

    @property
    def dtype(self) -> pl.DataType:
        """The polars dtype of the typed canonical column."""
        return KIND_DTYPES[self.kind]

    def label_zh(self, value: str) -> str:
        """Return the Chinese label of a canonical enum value (the value itself if none).

        Examples
        --------
        >>> ColumnSpec("s", "状态", "enum", enum=("a",), enum_labels_zh={"a": ("甲",)}).label_zh("a")
        '甲'
        """
        labels = self.enum_labels_zh.get(value, ())
        return labels[0] if labels else value


@dataclass(frozen=True)
class SourceSpec:
    """One uploaded source (or the catalogue): its table, key and columns.

    ``rules`` holds the source's own rules (cross-column rules and column
    rules that the column kind cannot express, such as ``amount > 0``); the
    rules that follow from each column's kind are derived by
    :func:`datasets.rules.column_rules`. ``references`` maps a column to the
    set of registered keys it must be in (a field of
    :class:`datasets.validation.ValidationContext`: ``standard_codes``,
    ``site_ids``, ``program_ids``, ``nomination_ids``); a ``codes`` column
    is checked code by code. ``complete`` fills the columns a source derives
    from others on the accepted rows (the catalogue's category and code year
    come from the code), so uploads and generated frames get them alike.

    Examples
    --------
    >>> s = SourceSpec("x", "x", "表", "table", ("id",), (ColumnSpec("id", "编号", "text", required=True),))
    >>> s.column_names()
    ['id']
    >>> s.polars_schema()
    {'id': String}
    """

    name: str
    table: str
    title_zh: str
    title_en: str
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rules: tuple[Rule, ...] = field(default=(), compare=False, hash=False)
    references: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    complete: Callable[[pl.DataFrame], pl.DataFrame] | None = field(
        default=None, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            msg = f"source {self.name!r} lists a column twice: {names}"
            raise ValueError(msg)
        missing = [k for k in (*self.key, *self.references) if k not in names]
        if missing:
            msg = f"source {self.name!r}: key or reference columns {missing} are not columns"
            raise ValueError(msg)
        rule_columns = [r.column for r in self.rules if r.column not in names]
        if rule_columns:
            msg = f"source {self.name!r}: rules name unknown columns {rule_columns}"
            raise ValueError(msg)

    def column(self, name: str) -> ColumnSpec:
        """Return the column called ``name``.

        Raises
        ------
        KeyError
            If the source has no such column.
        """
        for col in self.columns:
            if col.name == name:
                return col
        msg = f"source {self.name!r} has no column {name!r}; columns are {self.column_names()}"
        raise KeyError(msg)

    def column_names(self) -> list[str]:
        """Return the canonical column names in order."""
        return [c.name for c in self.columns]

    def polars_schema(self) -> dict[str, pl.DataType]:
        """Return canonical name -> polars dtype of the typed canonical frame."""
        return {c.name: c.dtype for c in self.columns}
