"""Mapping a file's headers to canonical columns."""

from __future__ import annotations

import pytest

from datasets.headers import fold_header, header_index, map_headers
from datasets.sources import SOURCES, get_source

FEEDBACK = get_source("feedback")
REQUIRED = ["site_id", "standard_code", "period"]


def test_chinese_headers_map_to_canonical_names() -> None:
    headers = [c.header_zh for c in FEEDBACK.columns]
    mapping = map_headers(FEEDBACK, headers)
    assert list(mapping.columns.values()) == FEEDBACK.column_names()
    assert mapping.missing_required == mapping.unknown == mapping.duplicate == []
    assert mapping.scale == {}


def test_canonical_english_names_in_any_case_and_order() -> None:
    headers = ["PERIOD", "Site ID", "standard-code", "Applicability"]
    mapping = map_headers(FEEDBACK, headers)
    assert mapping.columns == {
        "PERIOD": "period", "Site ID": "site_id", "standard-code": "standard_code",
        "Applicability": "applicability",
    }  # fmt: skip
    assert mapping.missing_required == []


def test_spaces_bom_full_width_and_parentheses_are_forgiven() -> None:
    headers = [
        "\ufeff试点单位编号",
        "  标准编号 ",
        "报告期\u3000",
        "实施成本(元)",
        "ｓａｔｉｓｆａｃｔｉｏｎ",
    ]
    mapping = map_headers(FEEDBACK, headers)
    assert list(mapping.columns.values()) == [
        "site_id",
        "standard_code",
        "period",
        "cost_cny",
        "satisfaction",
    ]


def test_unit_header_gives_the_scale() -> None:
    for header in ("实施成本（万元）", "实施成本(万元)", " 实施成本 （万元） ", "cost (10k CNY)"):
        mapping = map_headers(FEEDBACK, [*REQUIRED, header])
        assert mapping.columns[header] == "cost_cny"
        assert mapping.scale == {"cost_cny": 10000.0}
    funding = map_headers(get_source("funding"), ["金额（万元）"])
    assert funding.scale == {"amount_cny": 10000.0}


def test_missing_required_columns_are_listed() -> None:
    mapping = map_headers(FEEDBACK, ["试点单位编号", "适用性"])
    assert mapping.missing_required == ["standard_code", "period"]


def test_unknown_and_repeated_headers_are_reported_first_one_wins() -> None:
    mapping = map_headers(FEEDBACK, ["site_id", "试点单位编号", "备注", "standard_code", "period"])
    assert mapping.columns == {
        "site_id": "site_id",
        "standard_code": "standard_code",
        "period": "period",
    }
    assert mapping.duplicate == ["试点单位编号"]
    assert mapping.unknown == ["备注"]


def test_bilingual_and_marked_template_headers() -> None:
    headers = ["试点单位编号 / site_id", "标准编号\nstandard_code", "报告期*", "适用性（选填）"]
    mapping = map_headers(FEEDBACK, headers)
    assert list(mapping.columns.values()) == ["site_id", "standard_code", "period", "applicability"]


def test_aliases_are_accepted() -> None:
    mapping = map_headers(FEEDBACK, ["标准号", "单位编号", "季度", "建议"])
    assert list(mapping.columns.values()) == ["standard_code", "site_id", "period", "suggestions"]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_has_unambiguous_headers(name: str) -> None:
    spec = get_source(name)
    index = header_index(spec)
    for col in spec.columns:
        assert index[fold_header(col.header_zh)][0] == col.name
        assert index[fold_header(col.name)][0] == col.name
    mapping = map_headers(spec, [c.header_zh for c in spec.columns])
    assert mapping.missing_required == []
