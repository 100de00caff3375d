"""Everything an AppTest page shows, as text: to check what a reader can and cannot see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.protobuf.text_format import MessageToString
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe


def _nodes(node: Any) -> Iterator[Any]:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)
    else:
        yield node


def page_texts(at: AppTest) -> list[str]:
    """The text of every element of the last run: each table's cells and columns, every
    message, and every chart's figure JSON (its traces, labels, hover texts)."""
    texts = []
    elements = [e for block in (at.main, at.sidebar) for e in _nodes(block)]
    for element in elements:
        if isinstance(element, Dataframe):
            texts.append(element.value.to_csv())
        elif getattr(element, "proto", None) is not None:
            texts.append(MessageToString(element.proto, as_utf8=True))
    return texts
