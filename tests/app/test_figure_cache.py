"""Built figures are shared between sessions, and rebuilt when their data or language changes."""

from __future__ import annotations

import polars as pl

from app.components import charts
from app.components.figure_cache import figure
from app.i18n import Translator


def _periods(rows: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "period": [f"2024-Q{i + 1}" for i in range(len(rows))],
            "feedback_rows": rows,
            "mean_satisfaction": [4.0] * len(rows),
        }
    )


def test_the_same_data_and_language_give_the_one_figure_already_built() -> None:
    zh = Translator("zh")
    first = figure(charts.feedback_over_time, _periods([3, 5]), zh)
    again = figure(charts.feedback_over_time, _periods([3, 5]), Translator("zh"))
    assert again is first


def test_new_rows_reordered_rows_or_another_language_build_another_figure() -> None:
    zh = Translator("zh")
    first = figure(charts.feedback_over_time, _periods([3, 5]), zh)
    more = figure(charts.feedback_over_time, _periods([3, 6]), zh)
    english = figure(charts.feedback_over_time, _periods([3, 5]), Translator("en"))
    swapped = figure(charts.feedback_over_time, _periods([3, 5]).reverse(), zh)
    assert len({id(first), id(more), id(english), id(swapped)}) == 4
    assert list(more.data[0].y) == [3, 6]
    assert english.layout.title.text != first.layout.title.text
