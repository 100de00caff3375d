"""A bomb never blocks the queue: refused by the reader in seconds, the clean file after it loads.

Issue 10, point 9. The reader refuses a decompression bomb as ``too_large``
before any part is parsed (etl/zip_guard.py), so no loader dies on it; the
quarantine of an entry that fails or dies twice belongs to the ordered
inbox queue (issue 9) and is not needed for these tests to pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.etl.fixtures import nasty
from tests.etl.fixtures.bombs import bomb_xlsx
from tests.etl.fixtures.warehouse import CODE_A

HEAD = ["试点单位编号", "标准编号", "报告期", "满意度"]
CLEAN = [
    HEAD,
    *[[f"S00{i % 3 + 1}", CODE_A, f"2024-Q{i // 3 + 1}", str(i % 5 + 1)] for i in range(6)],
]


@pytest.fixture(autouse=True)
def files(env: dict) -> None:
    """A 3.5 GB bomb (declaring small sizes) and a clean six-row file, next to the warehouse."""
    (env["dir"] / "bomb.xlsx").write_bytes(bomb_xlsx(3_500_000_000, lie=True))
    (env["dir"] / "clean.csv").write_bytes(nasty.csv_bytes(CLEAN))


def stored(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select site_id, period, satisfaction from feedback order by 1, 2"
        ).fetchall()
    finally:
        con.close()


def expected() -> list[tuple]:
    return sorted((r[0], r[2], int(r[3])) for r in CLEAN[1:])


def refusal_rules(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select error_summary from ingest_log where status = 'refused' order by ingest_id"
        ).fetchall()
    finally:
        con.close()
    return [json.loads(r[0])["rule"] for r in rows]


def test_a_bomb_then_a_clean_six_row_file_in_one_command_loads_the_clean_file(env) -> None:
    out = CliRunner().invoke(
        cli,
        [
            "ingest",
            "feedback",
            "--json",
            str(env["dir"] / "bomb.xlsx"),
            str(env["dir"] / "clean.csv"),
        ],
    )
    results = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert out.exit_code == 1
    assert [(Path(r["file"]).name, r["status"]) for r in results] == [
        ("bomb.xlsx", "refused"),
        ("clean.csv", "loaded"),
    ]
    assert results[1]["rows_accepted"] == 6
    assert stored(env["db"]) == expected()
    assert refusal_rules(env["db"]) == ["too_large"]


def test_a_bomb_left_in_the_inbox_by_a_killed_loader_does_not_block_the_next_ingest(env) -> None:
    from etl.inbox import submit
    from etl.settings import landing_dir

    # What a loader killed mid-bomb leaves behind: the entry, still waiting.
    submit(
        (env["dir"] / "bomb.xlsx").read_bytes(),
        source="feedback",
        file_name="bomb.xlsx",
        landing=landing_dir(),
        warehouse=env["db"],
    )
    out = CliRunner().invoke(cli, ["ingest", "feedback", "--json", str(env["dir"] / "clean.csv")])
    results = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert (out.exit_code, [r["status"] for r in results]) == (0, ["loaded"]), out.output
    assert stored(env["db"]) == expected()
    assert refusal_rules(env["db"]) == ["too_large"]
