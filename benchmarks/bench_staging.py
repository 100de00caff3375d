"""The dashboard's staging as CTEs in front of each query, or as DuckDB table macros.

``metrics/sql/in_view.sql`` defines the rows within a reader's filters and
scope once; the dashboard puts its CTEs in front of every ``board_*.sql``
(``metrics.queries.in_view_sql``). The same definitions can be DuckDB table
macros (``create macro feedback_in_view(...) as table ...``) called with
the bound parameters. This runs the board queries both ways side by side
on the benchmark's demo warehouse, checks that they return the same frame,
and prints the medians, unfiltered and with a year range and two regions.

Usage::

    .venv/bin/python benchmarks/bench_staging.py [--scale 10] [--rounds 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_pages import warehouse  # noqa: E402
from datasets.access import Access  # noqa: E402
from metrics.filters import Filters  # noqa: E402
from metrics.queries import in_view_sql, sql_text  # noqa: E402

PARAMS = ("year_from", "year_to", "priority_area", "region_codes", "org_types", "program_ids",
          "site_ids")  # fmt: skip
QUERIES = ("board_headline_by_year", "board_by_area", "board_by_region",
           "board_feedback_by_period", "board_funding_rows", "board_silent_programs")  # fmt: skip


def staging_ctes() -> dict[str, str]:
    """The staging's CTEs of in_view.sql: name -> body."""
    return dict(re.findall(r"^(\w+) as \(\n(.*?)\n\)", sql_text("in_view"), flags=re.S | re.M))


def create_macros(con: duckdb.DuckDBPyConnection, ctes: dict[str, str]) -> None:
    """The same staging as temporary table macros (``<name>_m``) taking the parameters."""
    args = ", ".join(PARAMS)
    for name, body in ctes.items():
        body = re.sub(r"\$(\w+)", r"\1", body)
        body = body.replace("from all_feedback", "from all_feedback_m()")
        body = body.replace("join sites_in_view st", f"join sites_in_view_m({args}) st")
        params = "" if name == "all_feedback" else args
        con.execute(f"create or replace temp macro {name}_m({params}) as table {body}")


def macro_sql(name: str, ctes: dict[str, str]) -> str:
    """``board_<name>.sql`` reading the macros instead of the staging CTEs."""
    call = ", ".join(f"${p}" for p in PARAMS)
    sql = sql_text(name)
    for cte in ctes:
        target = "all_feedback_m()" if cte == "all_feedback" else f"{cte}_m({call})"
        sql = re.sub(rf"\b{cte}\b", target, sql)
    return sql


def bound(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if f"${k}" in sql}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    con = duckdb.connect(str(warehouse(args.scale)), read_only=True)
    ctes = staging_ctes()
    create_macros(con, ctes)
    everything = Access.everything().to_params()
    cases = {
        "unfiltered": {**Filters().to_params(), **everything},
        "years+regions": {
            **Filters(year_from=2022, year_to=2024, region_codes=("11", "44")).to_params(),
            **everything,
        },
    }
    print(f"demo --scale {args.scale:g}, {args.rounds} rounds, medians in ms (cte | macro)")
    for name in QUERIES:
        variants = {"cte": in_view_sql(name), "macro": macro_sql(name, ctes)}
        for label, params in cases.items():
            times: dict[str, list[float]] = {k: [] for k in variants}
            frames = {}
            for _ in range(args.rounds):
                for kind, sql in variants.items():
                    started = time.perf_counter()
                    frames[kind] = con.sql(sql, params=bound(sql, params)).pl()
                    times[kind].append(time.perf_counter() - started)
            if not frames["cte"].equals(frames["macro"]):
                msg = f"{name} ({label}): the macro staging returned other rows"
                raise SystemExit(msg)
            cte, macro = (statistics.median(times[k]) * 1000 for k in variants)
            print(f"{name:<26} {label:<14} {cte:7.0f} | {macro:7.0f}", flush=True)


if __name__ == "__main__":
    main()
