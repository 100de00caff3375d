"""The table component: what a reader sees of missing values, and what the download keeps."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import polars as pl

    from app.components.tables import table
    from app.i18n import Translator

    frame = pl.DataFrame({"site_id": ["S1", "S2"], "reason": [None, "late"], "score": [None, 71.5]})
    table(frame, "t", Translator("en"))


def test_a_missing_text_shows_blank_and_a_missing_number_stays_missing() -> None:
    at = AppTest.from_function(_script, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = at.dataframe[0].value
    assert list(shown.iloc[:, 1]) == ["", "late"]  # not a grey "None"
    scores = list(shown.iloc[:, 2])
    assert scores[1] == 71.5 and scores[0] != scores[0]  # NaN: still a number column
