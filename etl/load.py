"""Load validated rows into the warehouse: upsert by key, record replacements and rejections.

Every function here runs inside the caller's transaction (one per file, see
:mod:`etl.pipeline`) and is vectorised: frames are registered as Arrow and
moved with set-based SQL, never row by row in Python.

Identifiers (table and column names) come only from the source's spec and
are checked against the warehouse's own columns; every value is a bound
parameter. Fixed-text statements live in ``etl/sql/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from etl.queries import query

if TYPE_CHECKING:
    from datasets.spec import SourceSpec

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

#: Sources whose files update only the cells they fill, a blank meaning
#: "unchanged": a catalogue update may list just code and status (issue 3,
#: item 8). Every other source replaces the whole row, as the data model says.
PATCH_SOURCES = frozenset({"standard"})


@dataclass(frozen=True)
class LoadOutcome:
    """What one upsert did: rows written and rows that replaced an earlier row."""

    written: int
    replaced: int


def _quote(name: str, allowed: Sequence[str]) -> str:
    """Return ``name`` as a quoted identifier after checking it against the whitelist."""
    if name not in allowed or not _IDENTIFIER.match(name):
        msg = f"identifier {name!r} is not one of the allowed names {sorted(allowed)}"
        raise ValueError(msg)
    return f'"{name}"'


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Return the columns of ``table`` in the warehouse, in order (empty if no such table)."""
    rows = con.execute(
        "select column_name from information_schema.columns"
        " where table_name = ? and table_schema = 'main' order by ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def rows_from(con: duckdb.DuckDBPyConnection, table: str, sha256: str) -> int:
    """Count the rows of ``table`` that the file ``sha256`` wrote and no later file replaced.

    Every source table keeps ``source_sha256`` (the loader refuses one without it).
    """
    quoted = _quote(table, [table])
    rows = con.execute(
        f"select count(*) from {quoted} where source_sha256 = $sha256",  # noqa: S608
        {"sha256": sha256},
    ).fetchall()
    return int(rows[0][0])


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """Register ``frame`` as the view ``name`` for the duration of the block."""
    con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        # After a failed statement the transaction is aborted and unregistering
        # fails too; the original error is the one worth reporting.
        with suppress(duckdb.Error):
            con.unregister(name)


@dataclass(frozen=True)
class _Target:
    """The whitelisted identifiers of one upsert."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]  # data columns written (key included), all quoted
    patch: bool
    stored: tuple[str, ...] = ()  # every column of the table, bare (what a replaced row keeps)
    history: str = ""  # replaced_<table>: the typed copies of replaced rows (migration 013)


def _target(con: duckdb.DuckDBPyConnection, spec: SourceSpec, frame: pl.DataFrame) -> _Target:
    in_table = table_columns(con, spec.table)
    if not in_table:
        msg = f"the warehouse has no table {spec.table!r}; run `stdeval init` first"
        raise RuntimeError(msg)
    for needed in ("source_sha256", "loaded_at"):
        if needed not in in_table:
            msg = f"table {spec.table!r} lacks the provenance column {needed!r}"
            raise RuntimeError(msg)
    allowed = [c for c in spec.column_names() if c in in_table and c in frame.columns]
    patch = spec.name in PATCH_SOURCES
    missing_key = [k for k in spec.key if k not in allowed]
    if missing_key:
        msg = f"key columns {missing_key} of {spec.name!r} are missing from the frame"
        raise ValueError(msg)
    table = _quote(spec.table, [spec.table])
    return _Target(
        table=table,
        key=tuple(_quote(k, allowed) for k in spec.key),
        columns=tuple(_quote(c, allowed) for c in allowed),
        patch=patch,
        stored=tuple(in_table),
        history=f"replaced_{spec.table}",
    )


def _key_json(alias: str, key: Sequence[str]) -> str:
    parts = ", ".join(f"cast({alias}.{k} as varchar)" for k in key)
    return f"to_json([{parts}])"


def _join(key: Sequence[str], left: str, right: str) -> str:
    return " and ".join(f"{left}.{k} = {right}.{k}" for k in key)


def upsert_rows(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    frame: pl.DataFrame,
    *,
    sha256: str,
    loaded_at: datetime,
    superseded: pl.DataFrame | None = None,
) -> LoadOutcome:
    """Insert ``frame`` (typed canonical rows) into the source's table, replacing by key.

    Must run inside the caller's transaction. A row whose key exists
    replaces the earlier row; the earlier row is copied, typed, to
    ``replaced_<table>`` (shown by the ``row_replacement`` view) and counted.
    Set operations throughout: find the stored rows of the file's keys once
    (by row id), copy them to the history, delete them, insert every
    incoming row. Keys must be unique within ``frame`` (validation keeps
    the last valid row of a repeated key and passes the earlier valid ones
    as ``superseded``, recorded and counted as replaced too): a repeated
    key raises :class:`ValueError` before anything is written, since the
    bulk tables have no primary-key index to refuse it (migration 016).
    For the catalogue (``standard``)
    a blank cell (or a column the file lacks) leaves the stored value
    unchanged, and every added or changed field goes to ``standard_history``; for ``pilot_program``
    the links in ``pilot_program_standard`` are brought up to date.

    Parameters
    ----------
    con
        Connection or cursor, inside an open transaction.
    spec
        The source's spec: its table and key are the only identifiers used.
    frame
        Accepted rows with canonical columns (extra columns are ignored).
    sha256
        The file the rows come from (provenance).
    loaded_at
        The load's timestamp, written on every row.
    superseded
        Rows of the same file dropped because a later valid row has the
        same key (``duplicate_in_file``): recorded as replaced within the
        file, but only when a row of ``frame`` has that key.

    Returns
    -------
    LoadOutcome
        Rows written and rows that replaced an earlier one.
    """
    target = _target(con, spec, frame)
    bare = [c.strip('"') for c in target.columns]
    data = frame.select(bare)
    dropped = (
        superseded.select([c for c in bare if c in superseded.columns])
        if superseded is not None
        else data.clear()
    )
    replaced = 0
    params = {"source": spec.name, "sha256": sha256, "loaded_at": loaded_at}
    if data.height == 0:
        return LoadOutcome(written=0, replaced=0)
    if data.select(list(spec.key)).is_duplicated().any():
        msg = f"rows of {spec.name!r} repeat a key; validation keeps one row per key"
        raise ValueError(msg)
    cols = ", ".join(target.columns)
    with registered(con, "_stdeval_incoming", data), _temporaries(con):
        if dropped.height:
            # Only a row whose key IS loaded from this file was replaced: a
            # dropped row without one would be a replacement that never happened.
            with registered(con, "_stdeval_dropped", dropped):
                row = con.execute(
                    "insert into row_replacement_logged"
                    " (source, row_key, old_sha256, new_sha256, replaced_at, old_values)"
                    f" select $source, {_key_json('d', target.key)}, $sha256, $sha256,"
                    " $loaded_at, to_json(d) from _stdeval_dropped d"
                    f" semi join _stdeval_incoming i on {_join(target.key, 'd', 'i')}",
                    params,
                ).fetchall()
                replaced += int(row[0][0]) if row else 0
        # The stored rows of the file's keys, found once by a semi join and
        # kept as row ids in DuckDB (never copied into Python). They are
        # copied, typed, to the history, deleted by row id, and every incoming
        # row is appended: set operations on the staged rows, no per-row
        # key lookup (the bulk tables have no primary-key index, migration 016).
        stored = _find_stored_rows(con, target)
        replaced += stored
        if stored:
            _record_replaced(con, target, params)
        if spec.name == "standard":
            _record_standard_history(con, target, sha256=sha256, loaded_at=loaded_at)
        select = f"select {cols}, $sha256, $loaded_at from _stdeval_incoming"
        insert = f"insert into {target.table} ({cols}, source_sha256, loaded_at) {select}"
        values = {"sha256": sha256, "loaded_at": loaded_at}
        if target.patch:
            updates = ", ".join(
                f"{c} = coalesce(excluded.{c}, {target.table}.{c})"
                for c in target.columns
                if c not in target.key
            )
            updates = ", ".join(
                filter(
                    None,
                    [
                        updates,
                        "source_sha256 = excluded.source_sha256",
                        "loaded_at = excluded.loaded_at",
                    ],
                )
            )
            conflict = ", ".join(target.key)
            con.execute(f"{insert} on conflict ({conflict}) do update set {updates}", values)
        else:
            if stored:
                # Whole rows are replaced: a column the file lacks becomes
                # null (or its default), as for a row written anew.
                con.execute(
                    f"delete from {target.table} t using _stdeval_stored_rows s"
                    " where t.rowid = s.rid"
                )
            con.execute(insert, values)
        if spec.name == "pilot_program" and "standards" in bare:
            programs = data.select("program_id", "standards")
            with registered(con, "_stdeval_programs", programs):
                con.execute(query("delete_program_links"))
                con.execute(query("insert_program_links"))
    return LoadOutcome(written=data.height, replaced=replaced)


def _find_stored_rows(con: duckdb.DuckDBPyConnection, target: _Target) -> int:
    """Keep the row ids of the stored rows the file replaces in ``_stdeval_stored_rows``; count them.

    Row ids are stable within the caller's transaction (nothing else writes
    the warehouse: one writer), so the copy to the history and the delete
    join on one integer instead of the key's columns.
    """
    con.execute(
        "create or replace temp table _stdeval_stored_rows as select t.rowid as rid"
        f" from {target.table} t semi join _stdeval_incoming i on {_join(target.key, 't', 'i')}"
    )
    row = con.execute("select count(*) from _stdeval_stored_rows").fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _temporaries(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Drop the temp table and view of one upsert at the end of the block."""
    try:
        yield
    finally:
        # After a failed statement the transaction is aborted (and rolls the
        # temp objects back); the original error is the one worth reporting.
        with suppress(duckdb.Error):
            con.execute("drop table if exists _stdeval_stored_rows")


def _record_replaced(
    con: duckdb.DuckDBPyConnection, target: _Target, params: dict[str, Any]
) -> None:
    """Copy the stored rows the file replaces, typed, to ``replaced_<table>`` (one insert by row id).

    The ``row_replacement`` view shows them as before (key and old values
    as JSON, rendered when read): building the JSON of every replaced row
    while loading cost most of a bulk re-send.
    """
    kept = [c for c in table_columns(con, target.history) if c in target.stored]
    if not kept:
        msg = f"the warehouse has no history table {target.history!r}; run `stdeval init`"
        raise RuntimeError(msg)
    names = ", ".join(_quote(c, kept) for c in kept)
    con.execute(
        f"insert into {_quote(target.history, [target.history])} (replaced_by_sha256, replaced_at, {names})"
        f" select $sha256, $loaded_at, {', '.join(f't.{_quote(c, kept)}' for c in kept)}"
        f" from {target.table} t semi join _stdeval_stored_rows s on t.rowid = s.rid",
        {"sha256": params["sha256"], "loaded_at": params["loaded_at"]},
    )


def forget_replacements(con: duckdb.DuckDBPyConnection, sha256s: Sequence[str]) -> None:
    """Delete the recorded replacements made by the files ``sha256s`` (``row_replacement``'s rows).

    Runs in the caller's transaction: both the JSON rows
    (``row_replacement_logged``) and the typed copies (``replaced_<table>``).
    """
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
            " and table_type = 'BASE TABLE' and table_name like 'replaced\\_%' escape '\\'"
        ).fetchall()
    ]
    con.execute(
        "delete from row_replacement_logged where list_contains(?, new_sha256)", [list(sha256s)]
    )
    for table in tables:
        con.execute(
            f"delete from {_quote(table, tables)} where list_contains(?, replaced_by_sha256)",
            [list(sha256s)],
        )


def _record_standard_history(
    con: duckdb.DuckDBPyConnection, target: _Target, *, sha256: str, loaded_at: datetime
) -> None:
    """Write one ``standard_history`` row per field a catalogue file adds or changes."""
    fields = [c for c in target.columns if c not in target.key]
    if not fields:
        return
    code = target.key[0]
    parts = [
        f"select i.{code}, '{c.strip(chr(34))}', cast(s.{c} as varchar), cast(i.{c} as varchar)"
        f" from _stdeval_incoming i left join {target.table} s on s.{code} = i.{code}"
        f" where i.{c} is not null and s.{c} is distinct from i.{c}"
        for c in fields
    ]
    con.execute(
        "insert into standard_history (code, field, old_value, new_value, changed_at, source_sha256)"
        f" select *, $loaded_at, $sha256 from ({' union all '.join(parts)})",
        {"sha256": sha256, "loaded_at": loaded_at},
    )


def count_replacements(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, frame: pl.DataFrame
) -> int:
    """Return how many rows of ``frame`` would replace a stored row (for ``--dry-run``)."""
    target = _target(con, spec, frame)
    if frame.height == 0:
        return 0
    with registered(con, "_stdeval_probe", frame.select(list(spec.key))):
        row = con.execute(
            f"select count(*) from {target.table} t semi join _stdeval_probe i"
            f" on {_join(target.key, 't', 'i')}"
        ).fetchall()
    return int(row[0][0]) if row else 0
