"""Identifiers (site, programme, response... ids): full-width folded to ASCII, nothing else changed."""

from __future__ import annotations

import polars as pl
import pytest

from datasets.casting import normalise_raw
from datasets.normalise.text import normalise_identifier, normalise_identifiers
from datasets.sources import SOURCES, get_source
from datasets.validation import ValidationContext, validate_raw
from tests.datasets.conftest import CODE

#: Every identifier column of every source (DATA_MODEL.md): NFKC-folded.
ID_COLUMNS = {
    ("pilot_program", "program_id"),
    ("pilot_site", "site_id"),
    ("pilot_site", "program_id"),
    ("feedback", "site_id"),
    ("survey", "response_id"),
    ("funding", "record_id"),
    ("funding", "program_id"),
    ("award_nomination", "nomination_id"),
    ("award_review", "nomination_id"),
    ("award_review", "judge_id"),
    ("lifecycle", "project_id"),
    ("lifecycle", "plan_no"),
}


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Ｓ００１", "S001"),
        ("  Ｓ００１\u3000", "S001"),
        ("ｓ００１", "s001"),  # case is kept: s001 may be another id
        ("Ｐ－２０２４／Ａ", "P-2024/A"),
        ("S\u200b001\ufeff", "S001"),
        ("Ｓ　００１", "S 001"),  # an inner space is kept, folded to ASCII
        ("S—001", "S—001"),  # an em dash is not a full-width form: kept as typed
        ("试点单位Ａ", "试点单位A"),
        ("20230001-T-469", "20230001-T-469"),
    ],
)
def test_identifiers_fold_full_width_forms_and_keep_everything_else(
    typed: str, folded: str
) -> None:
    assert normalise_identifier(typed) == folded


def test_blank_identifiers_are_null_and_never_unreadable() -> None:
    parsed = normalise_identifiers(pl.Series(["", "\u3000", None, "\u200b", "Ｎ１"]))
    assert parsed.values.to_list() == [None, None, None, None, "N1"]
    assert not parsed.invalid.any()


def test_every_identifier_column_folds_and_free_text_does_not() -> None:
    kinds = {(s, c.name) for s, spec in SOURCES.items() for c in spec.columns if c.kind == "id"}
    assert kinds == ID_COLUMNS
    for source, spec in SOURCES.items():
        for col in spec.columns:
            if col.name.endswith("_id") and col.kind not in {"region", "org_type"}:
                assert (source, col.name) in ID_COLUMNS, (source, col.name)


def test_upload_folds_ids_but_leaves_free_text_as_typed() -> None:
    spec = get_source("feedback")
    raw = pl.DataFrame(
        {
            "site_id": ["Ｓ１"],
            "standard_code": [CODE],
            "period": ["2024-Q2"],
            "problems": ["ＡＢＣ　１２３"],
        }
    )
    typed, errors = normalise_raw(spec, raw)
    assert errors.height == 0
    assert typed.select("site_id", "problems").row(0) == ("S1", "ＡＢＣ　１２３")
    context = ValidationContext(standard_codes=frozenset({CODE}), site_ids=frozenset({"S1"}))
    result = validate_raw(spec, raw, context=context)
    assert result.errors.height == 0
    assert result.accepted["site_id"].to_list() == ["S1"]


def test_full_width_keys_of_one_file_are_the_same_key() -> None:
    spec = get_source("award_review")
    raw = pl.DataFrame(
        {
            "nomination_id": ["N1", "Ｎ１"],
            "judge_id": ["J1", "Ｊ１ "],
            "criterion": ["effect", "effect"],
            "score": ["80", "90"],
        }
    )
    context = ValidationContext(nomination_ids=frozenset({"N1"}))
    result = validate_raw(spec, raw, context=context)
    assert result.accepted.select("nomination_id", "judge_id", "score", "_row").rows() == [
        ("N1", "J1", 90.0, 3)
    ]
    assert result.warnings.select("row", "rule").rows() == [(2, "duplicate_in_file")]
