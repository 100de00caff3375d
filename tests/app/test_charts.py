"""The Overview charts label every bar in the user's language."""

from __future__ import annotations

import polars as pl
import pytest

from app.components import charts
from app.i18n import Translator, catalogue

AREAS = pl.DataFrame(
    {
        "area_id": ["DATA", None],
        "name_zh": ["数据安全", None],
        "name_en": ["Data security", None],
        "ord": [1, 99],
        "standards": [12, 5],
        "feedback_rows": [300, 0],
        "survey_rows": [40, 0],
    }
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_priority_area_chart_names_the_unmapped_row_in_the_users_language(lang: str) -> None:
    fig = charts.by_priority_area(AREAS, Translator(lang))
    labels = list(fig.data[0].y)
    expected_area = "数据安全" if lang == "zh" else "Data security"
    assert sorted(labels) == sorted([expected_area, catalogue(lang)["overview.unmapped"]])
    assert list(fig.data[0].x) == [5, 12] and list(fig.data[1].x) == [0, 300]


def test_funding_years_run_in_order_even_when_the_first_source_lacks_some() -> None:
    import polars as pl

    from app.components.charts_board import funding_by_year
    from app.i18n import Translator

    frame = pl.DataFrame(
        {
            "fiscal_year": [2019, 2024, 2018, 2023, 2024],
            "source_type": [
                "central_fiscal",
                "central_fiscal",
                "enterprise",
                "enterprise",
                "enterprise",
            ],
            "committed_cny": [1e5, 2e5, 3e5, 4e5, 5e5],
            "disbursed_cny": [1e5, 1e5, 1e5, 1e5, 1e5],
        }
    )
    fig = funding_by_year(frame, Translator("en"))
    assert list(fig.layout.xaxis.categoryarray) == [2018, 2019, 2023, 2024]
    assert fig.layout.xaxis.categoryorder == "array"


def test_sankey_bands_carry_the_money_in_their_source_colour() -> None:
    from app.components.charts_board import sankey

    frame = pl.DataFrame(
        {
            "source_type": ["central_fiscal", "central_fiscal", "enterprise"],
            "purpose": ["pilot", "training", "pilot"],
            "priority_area": ["DATA", None, "DATA"],
            "disbursed_cny": [3e4, 1e4, 2e4],
        }
    )
    t = Translator("zh")
    fig = sankey(frame, t, {"DATA": "数据安全"})
    trace = fig.data[0]
    labels = list(trace.node.label)
    flows = {
        (labels[a], labels[b]): v
        for a, b, v in zip(trace.link.source, trace.link.target, trace.link.value, strict=True)
    }
    central, pilot = t("funding.source_central_fiscal"), t("funding.purpose_pilot")
    assert flows[(central, pilot)] == 3.0  # 10,000 CNY
    assert flows[(pilot, "数据安全")] == 5.0
    assert flows[(t("funding.purpose_training"), t("overview.unmapped"))] == 1.0
    for source, colour in zip(trace.link.source, trace.link.color, strict=True):
        node = trace.node.color[source].lstrip("#")
        rgb = ", ".join(str(int(node[i : i + 2], 16)) for i in (0, 2, 4))
        assert colour == f"rgba({rgb}, 0.35)"
