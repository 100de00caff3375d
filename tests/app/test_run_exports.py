"""Exports of a run and of the data tables: bytes, sheets, scope and audit (issue 13, point 7)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import duckdb
import fastexcel
import polars as pl
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.exports.export import export_bytes, export_file_name
from app.exports.run_tables import SHEETS
from datasets.access import Access
from datasets.messages import RefusedValue
from metrics.runs import list_runs
from tests.app.signing import add_user

runner = CliRunner()
LOADED = "2026-01-02 03:04:05"


def _feedback(db: Path, rows: list[tuple]) -> None:
    con = duckdb.connect(str(db))
    try:
        con.executemany(
            "insert into feedback (site_id, standard_code, period, incidents_before,"
            " coverage_pct, problems, loaded_at) values (?, ?, ?, ?, ?, ?, ?)",
            [(*row, LOADED) for row in rows],
        )
    finally:
        con.close()


def _export(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["export", *args, "--db", str(db)])
    return result.exit_code, result.output


def test_a_feedback_csv_is_formula_safe_byte_for_byte_and_keeps_negative_numbers(
    real_db: Path, tmp_path: Path
) -> None:
    _feedback(
        real_db,
        [
            ("S1", "GB/T 1", "2025H1", -3, -1.5, "=HYPERLINK(1)"),
            ("S1", "GB/T 2", "2025H1", 2, 0.0, "+1"),
            ("S1", "GB/T 3", "2025H1", 0, None, "-x"),
            ("S1", "GB/T 4", "2025H1", 1, 10.0, "@SUM"),
            ("S2", "GB/T 1", "2025H1", 1, 20.0, "\tTab"),
            ("S2", "GB/T 2", "2025H1", 1, 30.0, "\rCR"),
            ("S2", "GB/T 3", "2025H1", 1, 40.0, "缺少配套指南"),
        ],
    )
    out = tmp_path / "f.csv"
    code, output = _export(real_db, "feedback", "-o", str(out))
    assert code == 0, output
    stamp = "2026-01-02T03:04:05"
    # site, standard, period, status, coverage, 5 ratings, incidents before/after, cost,
    # problems, suggestions, sha256, loaded_at
    expected = (
        "\ufeffsite_id,standard_code,period,status,coverage_pct,applicability,operability,"
        "clarity,benefit,satisfaction,incidents_before,incidents_after,cost_cny,problems,"
        "suggestions,source_sha256,loaded_at\r\n"
        f"S1,GB/T 1,2025H1,,-1.5,,,,,,-3,,,'=HYPERLINK(1),,,{stamp}\r\n"
        f"S1,GB/T 2,2025H1,,0.0,,,,,,2,,,'+1,,,{stamp}\r\n"
        f"S1,GB/T 3,2025H1,,,,,,,,0,,,'-x,,,{stamp}\r\n"
        f"S1,GB/T 4,2025H1,,10.0,,,,,,1,,,'@SUM,,,{stamp}\r\n"
        f"S2,GB/T 1,2025H1,,20.0,,,,,,1,,,'\tTab,,,{stamp}\r\n"
        f'S2,GB/T 2,2025H1,,30.0,,,,,,1,,,"\'\rCR",,,{stamp}\r\n'
        f"S2,GB/T 3,2025H1,,40.0,,,,,,1,,,缺少配套指南,,,{stamp}\r\n"
    ).encode()
    assert out.read_bytes() == expected
    app_download = duckdb.connect(str(real_db))
    try:  # the app's download of the same request is the same bytes
        same = export_bytes(
            app_download, kind="feedback", run_id=None, fmt="csv", access=Access.everything()
        )
    finally:
        app_download.close()
    assert same == expected


def test_export_as_a_pilot_site_user_holds_only_their_sites_rows_and_is_audited(
    real_db: Path, tmp_path: Path
) -> None:
    _feedback(
        real_db,
        [
            ("S1", "GB/T 1", "2025H1", 1, 1.0, "a"),
            ("S2", "GB/T 1", "2025H1", 1, 1.0, "b"),
            ("S3", "GB/T 1", "2025H1", 1, 1.0, "c"),
        ],
    )
    add_user(real_db, "site-13", "pilot_site", sites=("S1", "S3"))
    out = tmp_path / "mine.parquet"
    code, output = _export(
        real_db, "feedback", "--as", "site-13", "--format", "parquet", "-o", str(out)
    )
    assert code == 0, output
    assert sorted(pl.read_parquet(out)["site_id"].to_list()) == ["S1", "S3"]
    funding = tmp_path / "funding.csv"
    assert _export(real_db, "funding", "--as", "site-13", "-o", str(funding))[0] == 0
    assert funding.read_bytes().count(b"\r\n") == 1  # the header only: programme-wide records
    code, output = _export(real_db, "scores", "--as", "site-13", "-o", str(tmp_path / "s.csv"))
    assert code == 2
    assert "无权导出评价结果" in output
    con = duckdb.connect(str(real_db))
    try:
        rows = con.execute(
            "select actor, target, detail from audit_log where action = 'export' order by audit_id"
        ).fetchall()
    finally:
        con.close()
    assert [(actor, target) for actor, target, _ in rows] == [
        ("site-13", "feedback"),
        ("site-13", "funding"),
    ]
    first = json.loads(rows[0][2])
    assert (first["rows"], first["sites"], first["format"]) == (2, ["S1", "S3"], "parquet")


def test_a_ministry_account_cannot_export_scores(real_db: Path, tmp_path: Path) -> None:
    add_user(real_db, "reader", "ministry")
    code, output = _export(real_db, "scores", "--run", "x", "--as", "reader", "-o", "x.csv")
    assert code == 2
    assert "may not export scores" in output


@pytest.fixture(scope="module")
def scored(scored_demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "scored.duckdb"
    shutil.copyfile(scored_demo_warehouse, path)
    return path


def test_the_run_workbook_holds_every_sheet_with_the_right_row_counts(scored: Path) -> None:
    con = duckdb.connect(str(scored))
    try:
        run_id = str(list_runs(con)["run_id"][0])
        data = export_bytes(
            con, kind="scores", run_id=run_id, fmt="xlsx", access=Access.everything()
        )
        counts = dict(
            con.execute(
                "select level, count(*) from score_result where run_id = ? group by level",
                [run_id],
            ).fetchall()
        )
        years = con.execute(
            "select count(distinct year) from score_result where run_id = ?", [run_id]
        ).fetchone()[0]
        weights = json.loads(
            con.execute("select weights from score_run where run_id = ?", [run_id]).fetchone()[0]
        )
    finally:
        con.close()
    book = fastexcel.read_excel(data)
    assert book.sheet_names == list(SHEETS)
    sheets = {name: book.load_sheet(name).to_polars() for name in SHEETS}
    assert sheets["scores"].height == counts["composite"]
    assert sheets["indicators"].height == counts["indicator"]
    assert sheets["dimensions"].height == counts["dimension"]
    assert sheets["weights"].height == len(weights) == 4
    assert sheets["data coverage"].height == years
    meta = dict(sheets["run metadata"].select("key", "value").rows())
    assert meta["run_id"] == run_id
    for frame in sheets.values():  # the run id in every sheet
        assert frame["run_id"].unique().to_list() == [run_id]


def test_a_run_exported_twice_gives_identical_bytes_and_the_cli_writes_them_too(
    scored: Path, tmp_path: Path
) -> None:
    con = duckdb.connect(str(scored))
    try:
        run_id = str(list_runs(con)["run_id"][0])
        first = {
            fmt: export_bytes(
                con, kind="scores", run_id=run_id, fmt=fmt, access=Access.everything()
            )
            for fmt in ("csv", "xlsx", "parquet")
        }
        again = {
            fmt: export_bytes(
                con, kind="scores", run_id=run_id, fmt=fmt, access=Access.everything()
            )
            for fmt in ("csv", "xlsx", "parquet")
        }
    finally:
        con.close()
    assert first == again
    out = tmp_path / export_file_name("scores", run_id, "xlsx")
    assert run_id in out.name
    code, output = _export(scored, "scores", "--format", "xlsx", "-o", str(out))  # newest run
    assert code == 0, output
    assert out.read_bytes() == first["xlsx"]
    table = pl.read_parquet(io.BytesIO(first["parquet"]))
    assert table["run_id"].unique().to_list() == [run_id]
    assert pl.read_parquet_metadata(io.BytesIO(first["parquet"]))["stdeval_run_id"] == run_id
    assert first["csv"].count(b"\r\n") == table.height + 1  # every row, no cap


def test_a_run_id_for_a_data_table_and_scores_for_a_pilot_site_scope_are_refused(
    real_db: Path,
) -> None:
    con = duckdb.connect(str(real_db))
    try:
        with pytest.raises(RefusedValue, match="takes no --run"):
            export_bytes(con, kind="survey", run_id="run-x", fmt="csv", access=Access.everything())
        with pytest.raises(RefusedValue, match="试点单位账户不能导出评价结果"):
            export_bytes(
                con, kind="scores", run_id="run-x", fmt="csv", access=Access.for_sites(["S1"])
            )
    finally:
        con.close()


def test_export_works_while_another_process_holds_the_warehouse(
    real_db: Path, tmp_path: Path
) -> None:
    """The export is a job of the one writer: the holder makes the file, the command gets it."""
    import subprocess
    import sys

    from etl.receive import serve_queue
    from etl.warehouse import connect

    holder = connect(real_db)  # this process plays the dashboard: it holds the warehouse
    landing = tmp_path / "data"
    from app.job_kinds import register_app_kinds

    register_app_kinds()
    worker = serve_queue(holder, warehouse=real_db, landing=(landing / "landing").resolve())
    try:
        out = tmp_path / "held.csv"
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", "export", "feedback", "-o", str(out),
             "--db", str(real_db)],
            capture_output=True, text=True, timeout=300,
            env={**__import__("os").environ, "STDEVAL_DATA_DIR": str(landing)},
        )  # fmt: skip
    finally:
        worker.stop()
        holder.close()
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith("\ufeff".encode())
    assert "lock" not in (done.stdout + done.stderr).lower()
