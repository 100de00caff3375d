"""Build each source's pandera schema from its rules, and read its failures back as row errors.

Every error rule of :mod:`datasets.rules` becomes a pandera check whose
``error`` is the rule key (``column:id``): single-column rules are column
checks, cross-column rules are dataframe-level checks (pandera's
``dataframe_check``). Blank required cells are pandera's ``not_nullable``
failures and are reported as the ``required`` rule.

Pandera caveats heeded here: the frame is validated collected (a LazyFrame
only checks the schema, not values), with ``lazy=True`` so that every
failure is collected, and without ``coerce`` (a value that does not have
its type was already reported by the normaliser and must not be silently
changed).
"""

from __future__ import annotations

import pandera.backends.polars.builtin_checks  # noqa: F401 - see below
import pandera.backends.polars.container  # noqa: F401
import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from datasets.problems import ROW
from datasets.rules import ERROR, Rule, all_rules
from datasets.spec import SourceSpec

# The two pandera.backends imports above load the validator's own modules
# with this one, not during the first validation of each process (about
# 0.2 s, which a command loading one file would pay inside its load).

_CACHE: dict[int, tuple[SourceSpec, pa.DataFrameSchema]] = {}


def _check(rule: Rule) -> pa.Check:
    expr = rule.valid

    def fn(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expr.alias("ok"))

    return pa.Check(fn, name=rule.id, error=rule.key)


def build_schema(spec: SourceSpec) -> pa.DataFrameSchema:
    """Return the pandera schema of the typed canonical frame of ``spec``.

    Parameters
    ----------
    spec
        The source.

    Returns
    -------
    pandera.polars.DataFrameSchema
        Columns with their dtypes and nullability, value checks per column,
        cross-column checks at frame level, and the ``_row`` column.

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> schema = build_schema(get_source("feedback"))
    >>> schema.columns["applicability"].nullable
    True
    """
    rules = [r for r in all_rules(spec) if r.severity == ERROR and r.id != "required"]
    columns = {
        col.name: pa.Column(
            col.dtype,
            nullable=not col.required,
            checks=[_check(r) for r in rules if r.column == col.name and not r.cross_column],
        )
        for col in spec.columns
    }
    columns[ROW] = pa.Column(pl.Int64, nullable=False)
    return pa.DataFrameSchema(
        columns,
        checks=[_check(r) for r in rules if r.cross_column],
        name=spec.name,
        strict=True,
    )


def schema_for(spec: SourceSpec) -> pa.DataFrameSchema:
    """:func:`build_schema`, built once per spec object."""
    cached = _CACHE.get(id(spec))
    if cached is None or cached[0] is not spec:
        cached = (spec, build_schema(spec))
        _CACHE[id(spec)] = cached
    return cached[1]


def run_schema(spec: SourceSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """Validate ``frame`` with the pandera schema; return failing (index, rule key) pairs.

    Parameters
    ----------
    spec
        The source.
    frame
        Typed canonical frame with ``_row`` (checked for dtypes beforehand).

    Returns
    -------
    pl.DataFrame
        ``index`` (UInt32 position in ``frame``) and ``key`` (rule key).

    Raises
    ------
    TypeError
        If pandera reports a failure that is not about a row (a dtype or
        missing column), which means the caller passed an untyped frame.
    """
    try:
        schema_for(spec).validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return pl.DataFrame(schema={"index": pl.UInt32, "key": pl.Utf8})
    not_rows = cases.filter(pl.col("index").is_null())
    if not_rows.height:
        msg = (
            f"the {spec.name} frame is not typed canonical; pandera says: "
            f"{not_rows.select('column', 'check', 'failure_case').rows()}"
        )
        raise TypeError(msg)
    key = (
        pl.when(pl.col("check") == "not_nullable")
        .then(pl.concat_str([pl.col("column"), pl.lit(":required")]))
        .otherwise(pl.col("check"))
    )
    return cases.select(pl.col("index").cast(pl.UInt32), key.alias("key"))
