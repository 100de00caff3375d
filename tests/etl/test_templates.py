"""Upload templates: generated from the spec, and a filled template round-trips through ingest."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import polars as pl
import pytest

from datasets.sources import SOURCES, get_source
from datasets.templates import build_template, example_value, header_text
from datasets.validation import ValidationContext, validate_raw
from etl.demo.writer import SOURCES as LOAD_ORDER
from etl.readers import read_table
from etl.uploads import ingest_bytes
from etl.warehouse import connect
from tests.etl.fixtures.warehouse import CODE_A, CODE_B, copy_of

#: Sources in the order their references need (a review scores a known nomination):
#: the catalogue first, then the demo generator's load order.
ORDER = ("standard", *LOAD_ORDER)

#: Values that must point at what the test warehouse holds.
REFERENCES = {
    ("pilot_site", "program_id"): "P1",
    ("feedback", "site_id"): "S001",
    ("funding", "program_id"): "P1",
    ("award_review", "nomination_id"): "NOMINATION-001-1",
    ("standard", "replaces"): None,
}


def filled_row(source: str, lang: str, n: int = 1) -> dict:
    spec = get_source(source)
    row = {c.name: example_value(spec, c, lang) for c in spec.columns}
    for (src, column), value in REFERENCES.items():
        if src == source:
            row[column] = value
    for key in spec.key:
        if spec.column(key).kind in {"text", "id"} and (source, key) not in REFERENCES:
            row[key] = f"{row[key]}-{n}"
    if source == "feedback":
        row["standard_code"] = CODE_A if n == 1 else CODE_B
    return row


def sheets(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_templates_of_every_source_round_trip_without_errors(
    built: Path, tmp_path: Path, lang: str
) -> None:
    assert set(ORDER) == set(SOURCES)
    con = connect(copy_of(built, tmp_path / "w.duckdb"))
    try:
        for source in ORDER:
            rows = [filled_row(source, lang, 1), filled_row(source, lang, 2)]
            if get_source(source).key == ("code",):
                rows = rows[:1]
            data = build_template(get_source(source), lang=lang, rows=rows)
            result = ingest_bytes(con, source, data, file_name=f"{source}.xlsx")
            assert result.errors == [], (source, result.errors)
            assert (result.status, result.rows_accepted) == ("loaded", len(rows)), source
            assert not [w for w in result.warning_details if w["rule"] == "unknown_column"], source
    finally:
        con.close()


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_example_row_is_valid(source: str, lang: str) -> None:
    spec = get_source(source)
    example = {c.name: example_value(spec, c, lang) for c in spec.columns}
    raw = pl.DataFrame(
        {k: [None if v is None else str(v)] for k, v in example.items()},
        schema=dict.fromkeys(example, pl.Utf8),
    )
    context = ValidationContext(
        standard_codes=frozenset({CODE_A, CODE_B}),
        site_ids=frozenset({example.get("site_id")}),
        program_ids=frozenset({example.get("program_id")}),
        nomination_ids=frozenset({example.get("nomination_id")}),
    )
    result = validate_raw(spec, raw, context=context)
    assert result.errors.height == 0, result.errors.to_dicts()


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_template_has_notes_drop_downs_example_and_guide(source: str) -> None:
    spec = get_source(source)
    data = build_template(spec, lang="zh")
    assert data == build_template(spec, lang="zh"), "templates are reproducible byte for byte"
    parts = sheets(data)
    data_sheet = parts["xl/worksheets/sheet1.xml"]
    enums = [c for c in spec.columns if c.kind in {"enum", "region", "org_type", "bool", "likert"}]
    assert len(re.findall(r"<dataValidation ", data_sheet)) >= len(enums)
    comments = next(v for k, v in parts.items() if k.startswith("xl/comments"))
    for col in spec.columns:
        assert col.name in comments and col.header_zh in comments
    table = read_table(build_template(spec, lang="zh", rows=[filled_row(source, "zh")]))
    assert table.headers == [header_text(c, "zh") for c in spec.columns]
    workbook = parts["xl/workbook.xml"]
    assert "示例" in workbook and "填写说明" in workbook


def test_empty_template_is_refused_as_header_only(built: Path, tmp_path: Path) -> None:
    con = connect(copy_of(built, tmp_path / "w.duckdb"))
    try:
        result = ingest_bytes(
            con, "feedback", build_template(get_source("feedback")), file_name="t.xlsx"
        )
        assert result.status == "refused" and "表头" in result.reason.zh
    finally:
        con.close()


def test_template_command_writes_the_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import cli

    target = tmp_path / "out" / "反馈模板.xlsx"
    run = CliRunner().invoke(cli, ["template", "feedback", "--lang", "en", "-o", str(target)])
    assert run.exit_code == 0, run.output
    assert "<t>site_id</t>" in sheets(target.read_bytes())["xl/sharedStrings.xml"]
    bad = CliRunner().invoke(cli, ["template", "nosuch"])
    assert bad.exit_code == 2
