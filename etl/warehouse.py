"""The DuckDB warehouse: open it, bring its schema up to date, load the reference data.

The schema lives in numbered SQL files under ``etl/sql/migrations/``. Each file
is applied once, in order, inside a transaction, and recorded in
``schema_version``; an older warehouse file therefore upgrades in place the
next time any command opens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from datasets import reference_data
from datasets.messages import BilingualError, Message

_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One forward migration: its version number, name and SQL text."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Return every migration shipped with stdeval, in version order.

    Examples
    --------
    >>> [m.version for m in migrations()][:2]
    [1, 2]
    """
    folder = resources.files("etl") / "sql" / "migrations"
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    # Parallel branches are given numbers ahead of time, so a branch may ship
    # 010 before 007 exists; only a number used twice is a mistake.
    if len(set(versions)) != len(versions) or (versions and versions[0] != 1):
        msg = f"migrations must have distinct numbers starting at 001, found {versions}"
        raise RuntimeError(msg)
    return found


def latest_version() -> int:
    """Return the schema version that the shipped migrations bring a warehouse to."""
    return migrations()[-1].version


#: Bytes 8–11 of every DuckDB database file.
_DUCKDB_MAGIC = b"DUCK"


class NotAWarehouse(BilingualError, ValueError):
    """The file at a warehouse path is not a stdeval warehouse.

    ``str()`` of the error is one line in Chinese and English; ``text(lang)``
    gives one language.
    """

    def __init__(self, path: Path, why_zh: str, why_en: str) -> None:
        self.path = path
        super().__init__(
            Message(
                f"{path} 不是 stdeval 数据仓库（{why_zh}）；请检查 --db 或 STDEVAL_DB",
                f"{path} is not a stdeval warehouse ({why_en}); check --db or STDEVAL_DB",
            )
        )


def warehouse_exists(path: str | Path) -> bool:
    """True when ``path`` holds something (a warehouse, or what must be refused as not one).

    A zero-byte file, as ``touch`` or an interrupted copy leaves, counts as
    missing: DuckDB cannot open it, and creating a warehouse replaces it.
    """
    path = Path(path)
    return path.is_dir() or (path.exists() and path.stat().st_size > 0)


def _replace_empty_file(path: Path) -> None:
    """Remove a zero-byte file where a new warehouse is to be created (it holds nothing)."""
    if path.is_file() and path.stat().st_size == 0:
        path.unlink()


def check_warehouse_file(path: str | Path) -> None:
    """Refuse a path that exists but cannot be a warehouse, before DuckDB opens it.

    DuckDB would open a CSV or Parquet file as a read-only view (and answer
    every write in memory, losing it) and fails obscurely on other files;
    a missing or empty file is fine (it becomes a new warehouse).

    Raises
    ------
    NotAWarehouse
        A folder, or a file that is not a DuckDB database.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> csv = pathlib.Path(tempfile.mkdtemp()) / "feedback.csv"
    >>> _ = csv.write_text("site_id,period\\nS1,2024-Q1\\n")
    >>> check_warehouse_file(csv)
    Traceback (most recent call last):
    ...
    etl.warehouse.NotAWarehouse: ... is not a stdeval warehouse (not a DuckDB database file); ...
    """
    path = Path(path)
    if path.is_dir():
        raise NotAWarehouse(path, "这是一个文件夹", "it is a folder")
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        head = handle.read(12)
    if head[8:12] != _DUCKDB_MAGIC:
        raise NotAWarehouse(path, "不是 DuckDB 数据库文件", "not a DuckDB database file")


def _check_tables(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a DuckDB database of another application (tables, but no schema version)."""
    names = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
    }
    if names and "schema_version" not in names:
        con.close()
        raise NotAWarehouse(
            path,
            "这是另一个应用的 DuckDB 数据库，没有 schema_version 表",
            "a DuckDB database of another application: it has no schema_version table",
        )


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file at ``path`` (creating its folder when writing).

    A read-write connection also brings the schema up to date, so every
    command works on a warehouse written by an older stdeval.

    Raises
    ------
    NotAWarehouse
        ``path`` holds something else (see :func:`check_warehouse_file`),
        or a DuckDB database with tables but no ``schema_version``.
    """
    con = _open(Path(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def _open(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open ``path`` once it is known to be (or to become) a warehouse; no migration."""
    check_warehouse_file(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace_empty_file(path)
    con = duckdb.connect(str(path), read_only=read_only)
    _check_tables(con, path)
    return con


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
    """Return the single value of a one-row query, fetching the result to its end."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version of the warehouse behind ``con`` (0 for an empty file)."""
    exists = _scalar(
        con, "select count(*) from information_schema.tables where table_name = 'schema_version'"
    )
    if not exists:
        return 0
    return int(_scalar(con, "select coalesce(max(version), 0) from schema_version"))  # type: ignore[arg-type]


def migrate(con: duckdb.DuckDBPyConnection, *, target: int | None = None) -> list[int]:
    """Apply every migration newer than the warehouse's version, up to ``target``.

    Returns the versions applied (empty when the warehouse was up to date).
    Each migration runs in its own transaction together with its
    ``schema_version`` row, so a failure leaves the earlier version intact.
    A migration missing from ``schema_version`` is applied even when a
    higher one already is (branches merged in another order than numbered).
    """
    con.execute(
        "create table if not exists schema_version ("
        " version integer primary key, name varchar not null,"
        " applied_at timestamp not null default current_timestamp)"
    )
    done = {int(r[0]) for r in con.execute("select version from schema_version").fetchall()}
    applied: list[int] = []
    for migration in migrations():
        if migration.version in done or (target is not None and migration.version > target):
            continue
        con.execute("begin transaction")
        try:
            con.execute(migration.sql)
            con.execute(
                "insert into schema_version (version, name) values (?, ?)",
                [migration.version, migration.name],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(migration.version)
    return applied


def _upsert_reference(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, *, sha256: str
) -> int:
    """Bring ``table`` to the rows of ``frame`` (by key) with their provenance; return rows written.

    ``sha256`` is the hash of the shipped CSV's bytes; ``loaded_at`` is the
    start of the caller's transaction (``localtimestamp``), the same for
    every reference table of one ``init``. A row whose values and file are
    already stored is left as it is, ``loaded_at`` included, so loading the
    same file again changes nothing.
    """
    key = _REFERENCE_KEYS.get(table)
    if key is None:
        msg = f"{table!r} is not a reference table"
        raise ValueError(msg)
    if key not in frame.columns or not all(re.fullmatch(r"[a-z_]+", c) for c in frame.columns):
        msg = f"reference rows of {table!r} need the key {key!r} and plain column names"
        raise ValueError(msg)
    data = [c for c in frame.columns if c != key]
    changed = " or ".join(
        f"{table}.{c} is distinct from excluded.{c}" for c in [*data, "source_sha256"]
    )
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*data, "source_sha256", "loaded_at"])
    columns = ", ".join(frame.columns)
    con.register("_reference_rows", frame.to_arrow())
    try:
        rows = con.execute(
            f"insert into {table} ({columns}, source_sha256, loaded_at)"
            f" select {columns}, $sha256, localtimestamp from _reference_rows"
            f" on conflict ({key}) do update set {updates} where {changed}",
            {"sha256": sha256},
        ).fetchall()
    finally:
        con.unregister("_reference_rows")
    return int(rows[0][0]) if rows else 0


#: The reference tables ``init`` brings to the shipped CSVs, and their keys.
_REFERENCE_KEYS = {"priority_area": "id", "region": "code", "org_type": "id"}


@dataclass(frozen=True)
class InitSummary:
    """What ``init_warehouse`` found or wrote."""

    path: str
    schema_version: int
    migrations_applied: tuple[int, ...]
    priority_areas: int
    regions: int
    org_types: int
    standards: int
    standards_added: int


def init_warehouse(path: str | Path) -> InitSummary:
    """Create or upgrade the warehouse at ``path`` and load the reference data.

    Idempotent: running it twice changes nothing. The reference tables are
    brought to the shipped content, each row with the sha256 of its shipped
    CSV and the time it was loaded (kept while neither changes); catalogue
    rows are only added when their code is missing, so updates ingested
    later (a new status, say) are kept.
    """
    con = _open(Path(path))
    try:
        applied = tuple(migrate(con))
        return load_reference_data(con, path=str(path), applied=applied)
    finally:
        con.close()


def load_reference_data(
    con: duckdb.DuckDBPyConnection, *, path: str, applied: tuple[int, ...] = ()
) -> InitSummary:
    """Bring the reference tables of an open, migrated warehouse to the shipped content.

    The second half of :func:`init_warehouse`, in one transaction; also the
    ``init`` job a dashboard holding the warehouse runs for ``stdeval init``.
    ``applied`` are the migrations the caller applied on opening it.
    """
    import hashlib

    rows = {
        "priority_area": reference_data.priority_areas(),
        "region": reference_data.regions(),
        "org_type": reference_data.org_types(),
    }
    con.execute("begin transaction")
    try:
        for table in _REFERENCE_KEYS:
            shipped = resources.files("datasets").joinpath("reference", f"{table}.csv")
            sha256 = hashlib.sha256(shipped.read_bytes()).hexdigest()
            _upsert_reference(con, table, rows[table], sha256=sha256)
        added = _add_missing_standards(con, reference_data.standards())
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    counts = {
        t: int(_scalar(con, f"select count(*) from {t}"))  # type: ignore[arg-type]
        for t in ("priority_area", "region", "org_type", "standard")
    }
    return InitSummary(
        path=path,
        schema_version=schema_version(con),
        migrations_applied=applied,
        priority_areas=counts["priority_area"],
        regions=counts["region"],
        org_types=counts["org_type"],
        standards=counts["standard"],
        standards_added=added,
    )


def _add_missing_standards(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> int:
    """Insert the catalogue rows whose code is not in the warehouse yet; return how many."""
    columns = ", ".join(frame.columns)
    before = int(_scalar(con, "select count(*) from standard"))  # type: ignore[arg-type]
    con.register("_catalogue_rows", frame.to_arrow())
    try:
        con.execute(
            f"insert into standard ({columns}) select {columns} from _catalogue_rows c"
            " where not exists (select 1 from standard s where s.code = c.code)"
        )
    finally:
        con.unregister("_catalogue_rows")
    after = int(_scalar(con, "select count(*) from standard"))  # type: ignore[arg-type]
    return after - before
