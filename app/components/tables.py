"""A table as shown, with its CSV and XLSX downloads (the same rows and columns)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from app.exports.tables import csv_bytes, xlsx_bytes
from app.i18n import Translator, catalogue


def labelled(frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """Keep the ``labels`` columns of ``frame``, in that order, renamed to their labels."""
    present = [c for c in labels if c in frame.columns]
    return frame.select(present).rename({c: labels[c] for c in present})


def column_labels(frame: pl.DataFrame, t: Translator) -> pl.DataFrame:
    """Rename raw column names that have a label (``columns.<name>``) in the language."""
    names = catalogue(t.lang)
    mapping = {c: names[f"columns.{c}"] for c in frame.columns if f"columns.{c}" in names}
    # A label already used by another column is not given twice.
    used = set(frame.columns) - set(mapping)
    unique: dict[str, str] = {}
    for column, label in mapping.items():
        if label not in used:
            unique[column] = label
            used.add(label)
    return frame.rename(unique)


def table(frame: pl.DataFrame, name: str, t: Translator, **dataframe_args: Any) -> Any:
    """Show ``frame`` with download buttons; an empty frame shows a message instead.

    Returns what ``st.dataframe`` returns (the selection when ``on_select`` is given).
    """
    if frame.is_empty():
        st.info(t("tables.no_rows"))
        return None
    frame = column_labels(frame, t)
    # Decimals are shown to two places (the download keeps every digit).
    decimals = {
        name: st.column_config.NumberColumn(format="%.2f")
        for name, dtype in frame.schema.items()
        if dtype in (pl.Float32, pl.Float64)
    }
    config = {**decimals, **dataframe_args.pop("column_config", {})}
    # A missing text is shown blank, as the download writes it (Streamlit would
    # print a grey "None"). As Arrow: Streamlit sends an Arrow table as it is,
    # where a polars frame would go through pandas first.
    blank = [pl.col(c).fill_null("") for c, dtype in frame.schema.items() if dtype == pl.String]
    shown = st.dataframe(
        frame.with_columns(blank).to_arrow() if blank else frame.to_arrow(),
        hide_index=True, width="stretch", column_config=config, **dataframe_args,
    )  # fmt: skip
    row = st.container(horizontal=True)
    row.download_button(
        t("tables.download_csv"),
        data=lambda: csv_bytes(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
    )
    row.download_button(
        t("tables.download_xlsx"),
        data=lambda: xlsx_bytes(frame, sheet=name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{name}",
        on_click="ignore",
    )
    return shown


def chart(figure: Any, caption: str) -> None:
    """Show a plotly figure with the caption saying what it shows and from how much data."""
    st.plotly_chart(figure, width="stretch")
    st.caption(caption)
