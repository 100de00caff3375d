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

__all__ = ["SCORING_MODULES", "code_version", "data_fingerprint"]


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


#: The modules whose code decides a score (other metrics modules do not count).
SCORING_MODULES: tuple[str, ...] = (
    "ahp",
    "blas_threads",
    "bootstrap",
    "composite",
    "config",
    "config_reading",
    "config_sections",
    "feedback_model",
    "fingerprint",
    "indicators",
    "intervals",
    "matrices",
    "measures",
    "numbers",
    "queries",
    "ranking",
    "reliability",
    "request",
    "scope",
    "scores",
    "shrinkage",
    "weighting",
    "weights",
)


@cache
def code_version() -> str:
    """The stdeval version plus a hash of the scoring code, its SQL and default config.

    Covers :data:`SCORING_MODULES`, the ``scope_*`` and ``score_*`` SQL files and
    the shipped indicator config, and names the DuckDB version (whose row
    hash the data fingerprint uses).

    Examples
    --------
    >>> code_version().startswith("stdeval ")
    True
    """
    try:
        version = metadata.version("stdeval")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare tree
        version = "unknown"
    root = resources.files("metrics")
    entries = [root / f"{name}.py" for name in SCORING_MODULES]
    entries += [e for e in (root / "sql").iterdir() if e.name.startswith(("scope_", "score_"))]
    entries += [e for e in (root / "indicator_config").iterdir() if e.name.endswith(".toml")]
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.name):
        digest.update(entry.name.encode("utf-8") + b"\0" + entry.read_bytes())
    return f"stdeval {version} metrics {digest.hexdigest()[:12]} duckdb {duckdb.__version__}"
