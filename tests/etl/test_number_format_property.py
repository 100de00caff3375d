"""Property: no value read from an XLSX differs from what its cell displays, for common number formats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.normalise.numbers import normalise_float, normalise_money, normalise_percent
from etl.readers import read_table
from tests.etl.fixtures import nasty, office


def shown(value: Decimal, places: int, scale: int = 0) -> Decimal:
    """What Excel displays: the number times 10**scale, rounded half away from zero."""
    return value.scaleb(scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


#: format code -> (the displayed number as a function of the stored one, the reader of the text).
FORMATS = {
    "General": (lambda v: v, normalise_float),
    "0": (lambda v: shown(v, 0), normalise_float),
    "0.0": (lambda v: shown(v, 1), normalise_float),
    "0.00": (lambda v: shown(v, 2), normalise_float),
    "#,##0": (lambda v: shown(v, 0), normalise_money),
    "#,##0.00": (lambda v: shown(v, 2), normalise_money),
    "#,##0.00;[Red]-#,##0.00": (lambda v: shown(v, 2), normalise_money),
    "0!.0000": (lambda v: shown(shown(v, 0), 4, -4), normalise_float),
    '0"."0000': (lambda v: shown(shown(v, 0), 4, -4), normalise_float),
    "#,##0,": (lambda v: shown(v, 0, -3), normalise_money),
    "0.0,": (lambda v: shown(v, 1, -3), normalise_float),
    "0%": (lambda v: shown(v, 0, 2), normalise_percent),
    "0.00%": (lambda v: shown(v, 2, 2), normalise_percent),
}

amounts = st.decimals(min_value=-10_000_000, max_value=10_000_000, places=4, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(amounts, st.sampled_from(sorted(FORMATS))), min_size=1, max_size=12))
def test_every_number_is_read_as_its_format_displays_it(cells: list[tuple[Decimal, str]]) -> None:
    head = ["编号", "值"]
    rows = [
        head,
        *[[f"R{i}", nasty.Formatted(float(v), code)] for i, (v, code) in enumerate(cells)],
    ]
    table = read_table(office.workbook(office.Sheet("数据", rows)), score=lambda c: 2 * (c == head))
    read = dict(zip(table.frame["c0"], table.frame["c1"], strict=True))
    for i, (value, code) in enumerate(cells):
        expected, reader = FORMATS[code]
        got = reader(read[f"R{i}"])
        assert got is not None, (value, code, read[f"R{i}"])
        assert Decimal(str(got)) == expected(Decimal(f"{float(value):.15g}")), (
            value,
            code,
            read[f"R{i}"],
        )
