"""Full-width folding, standard codes, code lists and free text."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.normalise.codes import category_kind, normalise_code, normalise_codes
from datasets.normalise.text import normalise_code_list, normalise_text
from datasets.normalise.width import half_width
from datasets.reference_data import standards


def test_full_width_letters_digits_slash_and_space_become_ascii() -> None:
    assert half_width("ＧＢ／Ｔ　２２２３９－２０１９") == "GB/T 22239-2019"
    assert half_width("（万元）") == "(万元)"
    assert half_width(None) is None


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("GB/T22239-2019", "GB/T 22239-2019"),
        ("gb/t 22239—2019", "GB/T 22239-2019"),
        ("ＧＢ／Ｔ　２２２３９－２０１９", "GB/T 22239-2019"),
        ("GB/T 22239–2019", "GB/T 22239-2019"),
        ("GB/T 22239 - 2019", "GB/T 22239-2019"),
        ("  GB / T 22239-2019 ", "GB/T 22239-2019"),
        ("gb 40050-2021", "GB 40050-2021"),
        ("GB/Z20986-2007", "GB/Z 20986-2007"),
        ("yd/t 2038-2009", "YD/T 2038-2009"),
        ("GB/T 15843.1-2017", "GB/T 15843.1-2017"),
        ("DB11/T 1234-2020", "DB11/T 1234-2020"),
        ("db 11 / t 1234—2020", "DB11/T 1234-2020"),
    ],
)
def test_code_spellings_normalise_to_the_canonical_code(typed: str, canonical: str) -> None:
    assert normalise_code(typed) == canonical


@pytest.mark.parametrize(
    "bad", ["22239-2019", "GB/T 22239", "ISO/IEC 27001:2013", "GB/T", "标准", "GB/X 1-2019"]
)
def test_unreadable_codes_are_none_and_flagged(bad: str) -> None:
    assert normalise_code(bad) is None
    assert normalise_codes(pl.Series([bad])).invalid.to_list() == [True]


def test_blank_code_is_null_but_not_invalid() -> None:
    parsed = normalise_codes(pl.Series(["", "　", None]))
    assert parsed.values.to_list() == [None, None, None]
    assert parsed.invalid.to_list() == [False, False, False]


CATALOGUE_CODES = sorted(standards()["code"].to_list())
_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_DASHES = ["-", "—", "–", "－", "‐", "−"]


@st.composite
def respelled_codes(draw: st.DrawFn) -> tuple[str, str]:
    """A real catalogue code and a messy spelling of it."""
    code = draw(st.sampled_from(CATALOGUE_CODES))
    prefix, rest = code.split(" ", 1)
    number, year = rest.rsplit("-", 1)
    spaces = st.sampled_from(["", " ", "  ", "\u3000"])
    text = "".join(
        [
            draw(spaces),
            prefix.replace("/", draw(spaces) + "/" + draw(spaces)),
            draw(spaces),
            number,
            draw(spaces),
            draw(st.sampled_from(_DASHES)),
            draw(spaces),
            year,
            draw(spaces),
        ]
    )
    chars = [(_FULL_WIDTH.get(ch, ch) if draw(st.booleans()) else ch) for ch in text]
    chars = [ch.lower() if draw(st.booleans()) else ch for ch in chars]
    return code, "".join(chars)


@settings(deadline=None, max_examples=50)
@given(st.lists(respelled_codes(), min_size=1, max_size=20))
def test_any_catalogue_code_respelled_normalises_to_itself(cases: list[tuple[str, str]]) -> None:
    codes = [code for code, _ in cases]
    parsed = normalise_codes(pl.Series([spelling for _, spelling in cases]))
    assert parsed.values.to_list() == codes, cases


def test_canonical_codes_are_fixed_points() -> None:
    codes = standards()["code"]
    assert normalise_codes(codes).values.to_list() == codes.to_list()


def test_category_kinds() -> None:
    assert [category_kind(c) for c in ("GB", "GB/T", "GB/Z", "SJ/T", "DB44/T")] == [
        "mandatory", "recommended", "guidance", "industry", "local",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("GB/T 22239-2019;GB/T 35273-2020", "GB/T 22239-2019; GB/T 35273-2020"),
        ("GB/T 22239-2019；GB/T 35273-2020", "GB/T 22239-2019; GB/T 35273-2020"),
        ("GB/T 22239-2019, GB/T 35273-2020", "GB/T 22239-2019; GB/T 35273-2020"),
        ("GB/T 22239-2019、gb/t35273—2020", "GB/T 22239-2019; GB/T 35273-2020"),
        ("GB/T 22239-2019;", "GB/T 22239-2019"),
        ("GB/T 22239-2019; GB/T 22239-2019", "GB/T 22239-2019"),
    ],
)
def test_code_lists_accept_every_separator(typed: str, canonical: str) -> None:
    assert normalise_code_list(typed) == canonical


def test_code_list_with_one_bad_code_is_unreadable_as_a_whole() -> None:
    assert normalise_code_list("GB/T 22239-2019; GB 22239") is None
    assert normalise_code_list("；") is None


def test_free_text_keeps_formulas_and_inner_spacing() -> None:
    assert normalise_text(' =HYPERLINK("http://evil","x") ') == '=HYPERLINK("http://evil","x")'
    assert normalise_text("+1 cmd|' /C calc'!A0") == "+1 cmd|' /C calc'!A0"
    assert normalise_text("两  个空格") == "两  个空格"
    assert normalise_text("   ") is None
