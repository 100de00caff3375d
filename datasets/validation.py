"""The single validation path of every upload and of the demo generator.

``validate_typed`` takes a typed canonical frame (the dtypes of
``SourceSpec.polars_schema``) and returns the accepted rows, the row errors
and the warnings. It runs, all vectorised:

1. the source's pandera schema (collected, ``lazy=True``): required cells,
   value rules per column, cross-column rules;
2. the cross-table rules of :mod:`datasets.references` (unknown site,
   standard, programme or nomination; a site outside the user's own);
3. repeated keys within the frame, among the rows without errors (reading
   errors of ``validate_raw`` included; :mod:`datasets.duplicates`): the
   last valid occurrence wins, earlier valid ones become
   ``duplicate_in_file`` warnings, and a rejected row's messages name the
   row of its key that was loaded instead;
4. warnings on the accepted rows (§6 local standards, disbursed above
   committed, §9 cycle over two years);
5. the columns a source derives from others (``SourceSpec.complete``: the
   catalogue's category and code year from the code) on the accepted rows.

``validate_raw`` first turns the text cells of an upload into that typed
frame with :func:`datasets.casting.normalise_raw` (re-exported here), so
uploads and the demo generator share steps 1-4.

A row with any error is rejected whole. Every error and warning names the
user's row number (``_row``, header = row 1), the canonical column (the
caller maps it back to the file's header), the value, a stable rule id and
a Chinese and an English message saying what is wrong and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from datasets.casting import normalise_raw
from datasets.duplicates import duplicate_warnings, rejected_duplicates
from datasets.pandera_schema import run_schema
from datasets.problems import ERROR_COLUMNS, ROW, empty_errors, failures_to_rows
from datasets.references import local_standard_rules, reference_rules
from datasets.rules import ERROR, WARNING, Rule, all_rules
from datasets.spec import SourceSpec

__all__ = [
    "ERROR_COLUMNS",
    "ValidationContext",
    "ValidationResult",
    "normalise_raw",
    "validate_raw",
    "validate_typed",
]


_FAILURES = {"index": pl.UInt32(), "key": pl.Utf8()}


@dataclass(frozen=True)
class ValidationContext:
    """Registered keys the rows may refer to, read from the warehouse by the caller.

    An empty set means nothing is registered, so every reference to it is
    an error. ``allowed_site_ids`` restricts a pilot-site user to its own
    sites; ``None`` means no restriction.
    """

    standard_codes: frozenset[str] = frozenset()
    site_ids: frozenset[str] = frozenset()
    program_ids: frozenset[str] = frozenset()
    nomination_ids: frozenset[str] = frozenset()
    allowed_site_ids: frozenset[str] | None = None


@dataclass
class ValidationResult:
    """What validation found.

    Attributes
    ----------
    accepted
        Typed canonical columns in SPEC order plus ``_row`` (Int64).
    errors
        :data:`ERROR_COLUMNS`; each row listed here is rejected.
    warnings
        :data:`ERROR_COLUMNS`; the rows stay accepted, except
        ``duplicate_in_file`` rows, which were replaced by a later valid row.
    typed
        Every row that was validated (typed canonical + ``_row``), accepted
        or not; lets the caller record the rows a later duplicate replaced.
    """

    accepted: pl.DataFrame
    errors: pl.DataFrame
    warnings: pl.DataFrame
    typed: pl.DataFrame | None = None

    @property
    def rejected_rows(self) -> list[int]:
        """The user's row numbers that were rejected, ascending."""
        return sorted(set(self.errors["row"].to_list()))


def with_row_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``_row`` = 2..n+1 (the header is row 1) when the frame has none."""
    if ROW in frame.columns:
        return frame.with_columns(pl.col(ROW).cast(pl.Int64))
    return frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(ROW))


def _check_shape(spec: SourceSpec, frame: pl.DataFrame) -> None:
    expected = spec.polars_schema()
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected and c != ROW]
    wrong = {
        c: f"{frame.schema[c]} (expected {dtype})"
        for c, dtype in expected.items()
        if c in frame.columns and frame.schema[c] != dtype
    }
    if missing or extra or wrong:
        msg = (
            f"validate_typed needs the typed canonical {spec.name} frame: "
            f"missing columns {missing}, unknown columns {extra}, wrong dtypes {wrong}; "
            "use normalise_raw for uploaded text"
        )
        raise TypeError(msg)


def evaluate_rules(frame: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Evaluate rules directly; return failing ``index`` (UInt32) and rule ``key``.

    A null result passes (a blank optional cell is not a failure).
    """
    if not rules or frame.height == 0:
        return pl.DataFrame(schema=_FAILURES)
    failed = frame.select((~r.valid.fill_null(True)).alias(f"{i}") for i, r in enumerate(rules))
    parts = [
        pl.DataFrame(
            {"index": failed[f"{i}"].arg_true().cast(pl.UInt32), "key": r.key},
            schema=_FAILURES,
        )
        for i, r in enumerate(rules)
        if failed[f"{i}"].any()
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=_FAILURES)


def _duplicate_rows(spec: SourceSpec, frame: pl.DataFrame, dups: pl.DataFrame) -> pl.DataFrame:
    key_text = pl.concat_str(
        [pl.col(k).cast(pl.Utf8).fill_null("") for k in spec.key], separator=" / "
    )
    key_zh = "、".join(f"“{spec.column(k).header_zh}”" for k in spec.key)
    # Only the dropped rows' keys are spelled out (usually none, never the whole file).
    values = frame[dups["index"]].select(key_text.alias("value"))["value"]
    kept = dups["kept_row"].cast(pl.Utf8)
    return pl.DataFrame(
        {
            "row": dups[ROW],
            "column": spec.key[0],
            "value": values,
            "rule": "duplicate_in_file",
            "message_zh": "本文件第 "
            + kept
            + f" 行的{key_zh}与此行相同，以最后一行为准，此行不导入",
            "message_en": "row " + kept + f" of this file has the same {', '.join(spec.key)}; "
            "the last row counts and this row is not loaded",
        }
    ).cast(ERROR_COLUMNS)


def _fill_defaults(spec: SourceSpec, frame: pl.DataFrame) -> pl.DataFrame:
    fills = [
        pl.col(c.name).fill_null(pl.lit(c.default, dtype=c.dtype))
        for c in spec.columns
        if c.default is not None
    ]
    return frame.with_columns(fills) if fills else frame


def validate_typed(
    spec: SourceSpec, frame: pl.DataFrame, *, context: ValidationContext
) -> ValidationResult:
    """Validate a typed canonical frame of ``spec``.

    Parameters
    ----------
    spec
        The source, e.g. ``get_source("feedback")``.
    frame
        Columns of ``spec.polars_schema()`` (all of them, those dtypes) and
        optionally ``_row`` (Int64, the user's row number; default 2..n+1).
        A column with a ``default`` has its nulls filled first.
    context
        Registered keys from the warehouse (see :class:`ValidationContext`).

    Returns
    -------
    ValidationResult
        Accepted rows (SPEC order + ``_row``), errors and warnings.

    Raises
    ------
    TypeError
        If ``frame`` lacks a column, has an unknown one, or a wrong dtype.

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> spec = get_source("award_review")
    >>> frame = pl.DataFrame(
    ...     {"nomination_id": ["N1", "N1"], "judge_id": ["J1", "J2"],
    ...      "criterion": ["effect", "effect"], "score": [88.0, 120.0],
    ...      "conflict_of_interest": [False, None]},
    ...     schema=spec.polars_schema())
    >>> result = validate_typed(spec, frame, context=ValidationContext(nomination_ids=frozenset({"N1"})))
    >>> result.accepted["judge_id"].to_list(), result.errors.select("row", "rule").rows()
    (['J1'], [(3, 'value_range')])
    """
    frame = with_row_numbers(frame)
    _check_shape(spec, frame)
    return _validate(spec, frame, context=context, cast_errors=empty_errors())


def _at(n: int, index: pl.Series) -> pl.Series:
    """Boolean mask of length ``n``, true at the positions ``index``."""
    return pl.int_range(0, n, dtype=pl.UInt32, eager=True).is_in(index.implode())


def _merge_cast_errors(
    spec: SourceSpec, cast_errors: pl.DataFrame, errors: pl.DataFrame
) -> pl.DataFrame:
    """A cell is reported once: its reading error, not also the rule its blank then breaks."""
    if cast_errors.height == 0:
        return errors
    later = errors.join(cast_errors.select("row", "column"), on=["row", "column"], how="anti")
    return (
        pl.concat([cast_errors, later])
        .with_columns(
            pl.col("column")
            .replace_strict({n: i for i, n in enumerate(spec.column_names())}, default=-1)
            .alias("_ord")
        )
        .sort("row", "_ord", maintain_order=True)
        .drop("_ord")
    )


def _note_loaded_duplicates(
    spec: SourceSpec, errors: pl.DataFrame, pairs: pl.DataFrame
) -> pl.DataFrame:
    """Tell the user, on each error of a rejected row, which row of the same key was loaded."""
    if pairs.height == 0:
        return errors
    key_zh = "、".join(f"“{spec.column(k).header_zh}”" for k in spec.key)
    key_en = ", ".join(spec.key)
    kept = pl.col("kept_row").cast(pl.Utf8)
    # The rejected row came after the loaded one: the user meant it to count.
    later = pl.col("row") > pl.col("kept_row")
    note_zh = (
        pl.when(later)
        .then(
            "（本文件第 "
            + kept
            + f" 行的{key_zh}与此行相同，已导入的是第 "
            + kept
            + " 行；如应以此行为准，请改正此行后重新上传）"
        )
        .otherwise("（本文件后面第 " + kept + f" 行的{key_zh}与此行相同，已导入该行）")
    )
    note_en = (
        pl.when(later)
        .then(
            " (row " + kept + f" of this file has the same {key_en} and was loaded instead;"
            " if this row should count, correct it and upload it again)"
        )
        .otherwise(
            " (the later row " + kept + f" of this file has the same {key_en} and was loaded)"
        )
    )
    paired = pl.col("kept_row").is_not_null()
    return (
        errors.join(pairs.rename({ROW: "row"}), on="row", how="left", maintain_order="left")
        .with_columns(
            pl.when(paired).then(pl.col(name) + note).otherwise(pl.col(name)).alias(name)
            for name, note in (("message_zh", note_zh), ("message_en", note_en))
        )
        .select(list(ERROR_COLUMNS))
    )


def _validate(
    spec: SourceSpec,
    frame: pl.DataFrame,
    *,
    context: ValidationContext,
    cast_errors: pl.DataFrame,
) -> ValidationResult:
    """Validate a checked typed frame; ``cast_errors`` are the cells the reader could not read."""
    frame = _fill_defaults(spec, frame.select(*spec.column_names(), ROW))

    rules = all_rules(spec)
    error_rules = [r for r in rules if r.severity == ERROR]
    ref_rules = reference_rules(spec, context)
    failures = pl.concat([run_schema(spec, frame), evaluate_rules(frame, ref_rules)])
    errors = _merge_cast_errors(
        spec, cast_errors, failures_to_rows(spec, frame, failures, [*error_rules, *ref_rules])
    )

    # Repeated keys are resolved among the valid rows only, once every error
    # (reading errors included) is known: a rejected row never displaces a valid one.
    rejected = _at(frame.height, failures["index"])
    if cast_errors.height:
        rejected = rejected | frame[ROW].is_in(cast_errors["row"].unique().implode())
    dups = duplicate_warnings(spec, frame, valid=~rejected)
    dropped = rejected | _at(frame.height, dups["index"]) if dups.height else rejected
    accepted = frame.filter(~dropped) if dropped.any() else frame  # else no copy of every column
    if errors.height:
        pairs = rejected_duplicates(spec, frame, rejected=rejected, kept=~dropped)
        errors = _note_loaded_duplicates(spec, errors, pairs)

    warning_rules = [r for r in rules if r.severity == WARNING] + local_standard_rules(spec)
    warnings = pl.concat(
        [
            _duplicate_rows(spec, frame, dups),
            failures_to_rows(
                spec, accepted, evaluate_rules(accepted, warning_rules), warning_rules
            ),
        ]
    ).sort("row", maintain_order=True)
    if spec.complete is not None:
        accepted = spec.complete(accepted)
    return ValidationResult(accepted=accepted, errors=errors, warnings=warnings, typed=frame)


def validate_raw(
    spec: SourceSpec,
    raw: pl.DataFrame,
    *,
    context: ValidationContext,
    scale: dict[str, float] | None = None,
) -> ValidationResult:
    """Normalise the text cells of an upload, then validate them.

    Parameters
    ----------
    spec
        The source.
    raw
        Text cells under canonical column names (+ ``_row``); see
        :func:`normalise_raw`.
    context
        Registered keys from the warehouse.
    scale
        Canonical column -> unit factor from the header mapping.

    Returns
    -------
    ValidationResult
        As :func:`validate_typed`; a row with an unreadable cell is rejected
        whole, and a cell is reported once (its reading error, not also a
        ``required`` or range error for the resulting blank).

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> raw = pl.DataFrame({"site_id": ["S1", "S1"], "standard_code": ["gb/t22239—2019", "GB/T 22239-2019"],
    ...                     "period": ["2024年第二季度", "2024-Q3"], "applicability": ["非常同意", "很好"]})
    >>> ctx = ValidationContext(standard_codes=frozenset({"GB/T 22239-2019"}), site_ids=frozenset({"S1"}))
    >>> result = validate_raw(get_source("feedback"), raw, context=ctx)
    >>> result.accepted.select("standard_code", "period", "applicability").rows()
    [('GB/T 22239-2019', '2024-Q2', 5)]
    >>> result.errors.select("row", "column", "value", "rule").rows()
    [(3, 'applicability', '很好', 'likert_range')]
    """
    typed, cast_errors = normalise_raw(spec, raw, scale=scale)
    return _validate(spec, typed, context=context, cast_errors=cast_errors)
