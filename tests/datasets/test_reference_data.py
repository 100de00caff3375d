"""Reference data shipped in datasets/reference: areas, regions, org types, the catalogue."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from datasets import reference_data
from datasets.catalogue import complete_catalogue

SHARED_CATALOGUE = Path(__file__).resolve().parents[3] / "shared" / "data" / "standards.csv"

#: A clone of the project has no ``shared/`` folder beside it: the checks
#: against the programme's shared catalogue run only where it exists.
needs_shared = pytest.mark.skipif(
    not SHARED_CATALOGUE.exists(),
    reason=f"the shared catalogue {SHARED_CATALOGUE} is absent (a clone without shared/ beside it)",
)


def _shared_rows() -> list[dict[str, str]]:
    with SHARED_CATALOGUE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_thirteen_priority_areas_in_the_order_of_section_7() -> None:
    areas = reference_data.priority_areas()
    assert areas["id"].to_list() == [
        "CII", "REVIEW", "IDENTITY", "KEYPROD", "SECRECY", "ICS", "BIGDATA",
        "PI", "SMARTCITY", "IOT", "NEXTGEN", "IPTV", "SHARING",
    ]  # fmt: skip
    assert areas["ord"].to_list() == list(range(1, 14))
    assert areas.schema["ord"] == pl.Int8
    assert areas.filter(pl.col("id") == "CII")["name_zh"].item() == "关键信息基础设施保护"
    assert areas["name_en"].str.len_chars().min() > 5


def test_thirty_four_regions_with_gb2260_codes() -> None:
    regions = reference_data.regions()
    assert regions.height == 34
    assert regions["code"].n_unique() == 34
    assert regions["code"].str.contains(r"^\d{2}$").all()
    names = dict(zip(regions["code"], regions["name_zh"], strict=True))
    assert names["11"] == "北京市"
    assert names["15"] == "内蒙古自治区"
    assert names["45"] == "广西壮族自治区"
    assert names["50"] == "重庆市"
    assert names["65"] == "新疆维吾尔自治区"
    assert names["71"] == "台湾省"
    assert names["81"] == "香港特别行政区"
    assert names["82"] == "澳门特别行政区"


def test_six_org_types_of_sections_8_and_13() -> None:
    types = reference_data.org_types()
    assert dict(zip(types["id"], types["name_zh"], strict=True)) == {
        "enterprise": "企业", "university": "高校", "research_institute": "科研院所",
        "testing_body": "检测认证机构", "user": "用户单位", "government": "政府部门",
    }  # fmt: skip


@needs_shared
def test_catalogue_keeps_every_row_of_the_shared_csv_with_its_source() -> None:
    shared = _shared_rows()
    catalogue = reference_data.standards()
    assert catalogue.height == len(shared)
    assert catalogue["source"].to_list() == [r["source"] for r in shared]
    assert catalogue["code"].n_unique() == catalogue.height


@needs_shared
def test_shipped_copy_is_byte_identical_to_the_shared_catalogue() -> None:
    shipped = Path(reference_data.__file__).parent / "reference" / "standard.csv"
    assert shipped.read_bytes() == SHARED_CATALOGUE.read_bytes()


def test_catalogue_has_exactly_the_warehouse_columns_and_types() -> None:
    catalogue = reference_data.standards()
    assert catalogue.schema == pl.Schema(
        {
            "code": pl.Utf8, "title_zh": pl.Utf8, "title_en": pl.Utf8, "category": pl.Utf8,
            "published": pl.Date, "effective": pl.Date, "status": pl.Utf8, "replaces": pl.Utf8,
            "priority_area": pl.Utf8, "code_year": pl.Int16, "source": pl.Utf8,
        }
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "category", "year"),
    [
        ("GB 40050-2021", "GB", 2021),
        ("GB/T 22239-2019", "GB/T", 2019),
        ("GB/Z 41288-2022", "GB/Z", 2022),
        ("YD/T 2038-2009", "YD/T", 2009),
        ("SJ/T 11836-2022", "SJ/T", 2022),
        ("GB/T 15843.1-2017", "GB/T", 2017),
    ],
)
def test_category_and_code_year_come_from_the_code(code: str, category: str, year: int) -> None:
    row = reference_data.standards().filter(pl.col("code") == code)
    assert row.select("category", "code_year").row(0) == (category, year)


def test_catalogue_statuses_follow_the_documented_rule() -> None:
    status = dict(
        reference_data.standards(today=date(2026, 11, 25)).select("code", "status").iter_rows()
    )
    assert status["GB/T 22239-2019"] == "current"  # 现行
    assert status["GB/T 47469-2026"] == "upcoming"  # 即将实施
    assert status["GB/T 22239-2008"] == "superseded"  # 废止, replaced by the 2019 edition
    assert status["GB/T 18336.1-2015"] == "withdrawn"  # 废止, nothing replaces it
    assert status["GB 46864-2025"] == "upcoming"  # blank, effective 2027-01-01
    assert status["GB/T 19713-2005"] == "superseded"  # blank, later edition in the catalogue
    assert status["GB 17859-1999"] == "current"  # blank, nothing known against it


def test_blank_status_old_edition_stays_current_until_the_new_one_takes_effect() -> None:
    raw = pl.DataFrame(
        {
            "code": ["GB/T 1-2010", "GB/T 1-2025"],
            "effective": [None, "2026-02-01"],
            "source": ["a", "b"],
        }
    )
    before = complete_catalogue(raw, today=date(2026, 1, 1))["status"].to_list()
    after = complete_catalogue(raw, today=date(2026, 3, 1))["status"].to_list()
    assert before == ["current", "upcoming"]
    assert after == ["superseded", "current"]


def test_withdrawn_code_listed_in_replaces_is_superseded_and_replaces_is_normalised() -> None:
    raw = pl.DataFrame(
        {
            "code": ["gb/t 9-2001", "GB/T 10-2020"],
            "status": ["废止", "现行"],
            "replaces": [None, "GB/T9—2001"],
            "source": ["a", "b"],
        }
    )
    out = complete_catalogue(raw, today=date(2024, 1, 1))
    assert out["code"].to_list() == ["GB/T 9-2001", "GB/T 10-2020"]
    assert out["status"].to_list() == ["superseded", "current"]
    assert out["replaces"].to_list() == [None, "GB/T 9-2001"]


def test_unreadable_catalogue_code_is_refused() -> None:
    raw = pl.DataFrame({"code": ["not a code"], "source": ["x"]})
    with pytest.raises(ValueError, match="not a code"):
        complete_catalogue(raw)


def test_unknown_catalogue_status_is_refused() -> None:
    raw = pl.DataFrame({"code": ["GB/T 1-2020"], "status": ["有效吧"], "source": ["x"]})
    with pytest.raises(ValueError, match="有效吧"):
        complete_catalogue(raw)


def test_catalogue_maps_priority_areas_to_known_ids() -> None:
    catalogue = reference_data.standards()
    ids = set(reference_data.priority_areas()["id"].to_list())
    mapped = catalogue["priority_area"].drop_nulls()
    assert set(mapped.to_list()) <= ids
    assert catalogue.filter(pl.col("code") == "GB/T 39204-2022")["priority_area"].item() == "CII"
