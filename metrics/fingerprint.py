"""Fingerprints: of the data a run reads, and of the code that scored it.

SCORING.md §4: every run records a fingerprint of the data it read and the
code version, so that "same inputs, same numbers" can be checked.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata, resources

import duckdb

from metrics.queries import sql_text

__all__ = ["code_version", "data_fingerprint"]


def data_fingerprint(cur: duckdb.DuckDBPyConnection) -> str:
    """SHA-256 over the row count and row-hash XOR and sum of each part of the data read.

    ``cur`` is a cursor made by :func:`metrics.indicators.scoring_cursor`, so
    the fingerprint covers exactly the scoped catalogue, feedback and survey
    rows the scores come from (not load times or file hashes: re-loading the
    same rows gives the same fingerprint).
    """
    rows = cur.execute(sql_text("score_fingerprint")).fetchall()
    text = "\n".join(f"{part}:{n}:{xor}:{total}" for part, n, xor, total in rows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def code_version() -> str:
    """The stdeval version plus a hash of the scoring code, SQL and default config.

    Examples
    --------
    >>> code_version().startswith("stdeval ")
    True
    """
    try:
        version = metadata.version("stdeval")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare tree
        version = "unknown"
    digest = hashlib.sha256()
    root = resources.files("metrics")
    entries = []
    for folder in (root, root / "sql", root / "indicator_config"):
        entries += [e for e in folder.iterdir() if e.is_file() and e.name.endswith((".py", ".sql", ".toml"))]
    for entry in sorted(entries, key=lambda e: str(e)):
        digest.update(entry.name.encode("utf-8"))
        digest.update(entry.read_bytes())
    return f"stdeval {version} metrics {digest.hexdigest()[:12]} duckdb {duckdb.__version__}"
