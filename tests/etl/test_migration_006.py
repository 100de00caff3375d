"""Migration 006 folds identifiers stored before uploads folded them, as uploads now do."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from datasets.normalise.text import normalise_identifier
from datasets.normalise.width import FULL_WIDTH
from datasets.sources import SOURCES, get_source
from etl.uploads import ingest_bytes
from etl.warehouse import connect, init_warehouse, migrate, schema_version
from tests.etl.fixtures import nasty

SQL = (
    resources.files("etl") / "sql" / "migrations" / "006_fold_full_width_identifiers.sql"
).read_text("utf-8")
CODE = "GB/T 22239-2019"


@pytest.fixture
def at_version_5(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    migrate(con, target=5)
    assert schema_version(con) == 5
    yield con
    con.close()


def test_every_identifier_column_of_every_source_is_folded() -> None:
    for name in SOURCES:
        spec = get_source(name)
        for column in (c.name for c in spec.columns if c.kind == "id"):
            statement = rf"update {spec.table} set (?:(?!\nwhere).)*?\b{column} = "
            folded = rf"trim\(translate\({column}, '{re.escape(FULL_WIDTH.replace(chr(39), 2 * chr(39)))}'"
            assert re.search(statement + folded, SQL, re.DOTALL), (spec.table, column)


def test_stored_full_width_identifiers_fold_like_an_upload(at_version_5) -> None:
    con = at_version_5
    typed = ["Ｐ１", "　Ｓ００１", "Ｓ－００２", "S003", "项目①"]
    con.execute("insert into pilot_program (program_id, name) values ('Ｐ１', 'p'), ('项目①', 'q')")
    for site in typed[1:4]:
        con.execute(
            "insert into pilot_site (site_id, program_id, name) values (?, 'Ｐ１', 'n')", [site]
        )
    con.execute(
        "insert into feedback (site_id, standard_code, period) values ('　Ｓ００１', ?, '2024-Q1')",
        [CODE],
    )
    con.execute(
        "insert into funding (record_id, fiscal_year, source_type, funder, recipient, purpose,"
        " flow, amount_cny, program_id) values"
        " ('Ｆ００１', 2024, 'central_fiscal', 'A', 'B', 'pilot', 'committed', 100, 'Ｐ１')"
    )
    assert migrate(con, target=6) == [6]
    programs = sorted(r[0] for r in con.execute("select program_id from pilot_program").fetchall())
    assert programs == sorted(normalise_identifier(v) for v in ("Ｐ１", "项目①")) == ["P1", "项目①"]
    sites = con.execute("select site_id, program_id from pilot_site order by site_id").fetchall()
    assert sites == [
        (normalise_identifier(s), "P1") for s in sorted(typed[1:4], key=normalise_identifier)
    ]
    assert con.execute("select site_id from feedback").fetchall() == [("S001",)]
    assert con.execute("select record_id, program_id from funding").fetchall() == [("F001", "P1")]


def test_rows_that_would_merge_are_left_as_stored(at_version_5) -> None:
    con = at_version_5
    for site in ("Ｓ００１", "S001", "Ｓ００２", "S００2"):
        con.execute(
            "insert into pilot_site (site_id, program_id, name) values (?, 'P1', 'n')", [site]
        )
    con.execute("insert into pilot_site (site_id, program_id, name) values ('Ｓ００３', 'P1', 'n')")
    migrate(con)
    assert sorted(r[0] for r in con.execute("select site_id from pilot_site").fetchall()) == sorted(
        ["Ｓ００１", "S001", "Ｓ００２", "S００2", "S003"]
    )


def test_after_the_upgrade_a_full_width_upload_matches_the_stored_site(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=5)
    con.execute("insert into pilot_program (program_id, name) values ('Ｐ１', 'p')")
    con.execute(
        "insert into pilot_site (site_id, program_id, name) values ('Ｓ００１', 'Ｐ１', 'n')"
    )
    con.close()
    init_warehouse(path)  # upgrades in place and loads the catalogue
    con = connect(path)
    try:
        head = nasty.FEEDBACK_HEADERS_ZH
        row = dict.fromkeys(head, "")
        row.update(
            {"试点单位编号": "Ｓ００１", "标准编号": CODE, "报告期": "2024Q2", "满意度": "4"}
        )
        result = ingest_bytes(
            con,
            "feedback",
            nasty.csv_bytes([head, [row[h] for h in head]], encoding="gbk"),
            file_name="反馈.csv",
        )
        assert result.rows_accepted == 1, result.errors
        assert con.execute("select site_id from feedback").fetchall() == [("S001",)]
    finally:
        con.close()
