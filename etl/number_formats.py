"""Excel number formats: which ones change what a number means, and the text they display.

A cell stores a number; its number format decides what the user sees. Where
the format changes the meaning, reading the stored number would load a
value the user never typed:

- percent (``0%``): 0.85 is shown ``85%``;
- scaling: ``#,##0,`` shows 123456 as ``123`` (thousands), ``0!.0000`` or
  ``0"."0000`` as ``12.3456`` (万, the literal dot trick of Chinese sheets);
- fixed decimals: ``0`` shows 2.5 as ``3``, ``0.00`` shows 2024.1 as ``2024.10`` (a period typed
  ``2024.10`` is October, not January) and 88.456 as ``88.46``;
- a scale word in the format's text: ``0.00"万元"`` shows ``12.35万元``.

A negative number is rendered with a minus sign whatever its section shows
(``(1,234)`` or a colour): the sign is part of the value.

:func:`display` renders a number as such a format shows it: digits,
decimal point, thousands separators, ``%`` and a minus sign; other literal
text (``"分"``, ``¥``, spaces) is left out unless it names a magnitude
(``十 百 千 万 亿``): the money reader scales by ``万`` and ``亿``, and a cell
shown as ``2.5百万`` is reported as shown rather than read 10⁶ times too small. Formats that do not change the meaning
(General, ``@``), dates and times (read by the cell reader),
scientific and fraction formats, and conditional sections are not
rendered: :func:`parse_format` returns ``None`` and the stored number is
read. Rounding is half away from zero on the number's 15 significant
digits, as Excel does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: Built-in number formats (ECMA-376 §18.8.30) that can change a number's meaning.
BUILTIN = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
}
_TOKEN = re.compile(r'"[^"]*"|\\.|!.|_.|\*.|\[[^\]]*\]|.', re.S)
_DATE_LETTERS = set("yYmMdDhHsSeEbBgG")
#: Bracketed parts that only colour or localise a section.
_HARMLESS = re.compile(
    r"^\[(?:Red|Black|Blue|Cyan|Green|Magenta|White|Yellow|Color\d+|\$[^\]]*)\]$", re.I
)
#: Literal text kept in the display: it changes the magnitude (the money
#: reader scales by 万 and 亿; other words make the cell unreadable, so it is
#: reported as shown rather than read at the wrong magnitude).
_SCALE_WORDS = ("十", "百", "千", "万", "亿")


@dataclass(frozen=True)
class Section:
    """One section of a format: integer placeholders and literals, decimals, scaling."""

    integer: tuple[str, ...]
    decimals: tuple[str, ...]
    grouping: bool
    divide: int
    percent: int
    suffix: str


@dataclass(frozen=True)
class NumberFormat:
    """A format whose display :func:`display` renders (``code`` as in ``styles.xml``)."""

    code: str
    sections: tuple[Section, ...]


def _literal(token: str) -> str:
    if token.startswith('"'):
        return token[1:-1]
    if token[0] in "\\!":
        return token[1:]
    return token


def _section(code: str) -> Section | None:
    tokens = _TOKEN.findall(code)
    integer: list[str] = []
    decimals: list[str] = []
    suffix = ""
    grouping = False
    divide = percent = 0
    in_decimals = False
    for i, token in enumerate(tokens):
        if token.startswith("["):
            if not _HARMLESS.match(token):
                return None  # conditions, [DBNum], elapsed time
            continue
        if token[0] in "_*":
            continue
        if token in {"0", "#", "?"}:
            (decimals if in_decimals else integer).append(token)
        elif token == ".":
            if in_decimals:
                return None
            in_decimals = True
        elif token == ",":
            rest = [t for t in tokens[i + 1 :] if t in {"0", "#", "?", "."}]
            if rest and rest[0] != "." and not in_decimals:
                grouping = True  # between digit placeholders
            else:
                divide += 1  # after the last placeholder of its part: scales by 1,000
        elif token == "%":
            percent += 1
        elif token in {"@", "/"} or (len(token) == 1 and token in _DATE_LETTERS):
            return None  # text, fractions, dates and times, scientific
        else:
            text = _literal(token)
            if text in {".", ","} or (text.isdigit() and not in_decimals):
                (decimals if in_decimals else integer).append("=" + text)
            elif any(word in text for word in _SCALE_WORDS):
                suffix += text
    if not integer and not decimals:
        return None
    return Section(tuple(integer), tuple(decimals), grouping, divide, percent, suffix)


def parse_format(code: str) -> NumberFormat | None:
    """The format ``code`` when it changes what a number means, else ``None``.

    Examples
    --------
    >>> parse_format("0.00") is not None, parse_format("General") is None, parse_format("@") is None
    (True, True, True)
    >>> display(2.5, parse_format("0"))  # no decimals: rounded as shown
    '3'
    >>> parse_format("yyyy-mm-dd") is None, parse_format("0.00E+00") is None
    (True, True)
    """
    if code.strip().lower() in {"", "general", "@"}:
        return None
    parts = code.split(";")
    if len(parts) > 3 and not parts[3].strip("@ "):
        parts = parts[:3]
    sections = []
    for part in parts[:3]:
        section = _section(part)
        if section is None:
            return None
        sections.append(section)
    return NumberFormat(code, tuple(sections))


def _digits(value: Decimal, places: int) -> tuple[str, str]:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    whole, _, fraction = text.partition(".")
    return whole.lstrip("0"), fraction


def _fill_integer(tokens: tuple[str, ...], digits: str, grouping: bool) -> str:
    placeholders = [t for t in tokens if not t.startswith("=")]
    if grouping and len(placeholders) == len(tokens):
        minimum = sum(1 for t in placeholders if t == "0")
        shown = digits.rjust(minimum, "0") if minimum else digits
        return f"{int(shown):,}" if shown else ""
    out: list[str] = []
    pending = list(digits)
    for token in reversed(tokens):
        if token.startswith("="):
            out.append(token[1:])
        elif pending:
            out.append(pending.pop())
        elif token == "0":
            out.append("0")
    out.append("".join(pending))
    return "".join(reversed(out))


def display(value: float, fmt: NumberFormat) -> str:
    """The text Excel shows for ``value`` under ``fmt``.

    Examples
    --------
    >>> [display(v, parse_format("0!.0000")) for v in (123456, 5, 123456.7)]
    ['12.3456', '0.0005', '12.3457']
    >>> display(2024.1, parse_format("0.00")), display(1234567, parse_format("#,##0,"))
    ('2024.10', '1,235')
    >>> display(0.125, parse_format("0.0%")), display(-3.5, parse_format("#,##0.00"))
    ('12.5%', '-3.50')
    >>> display(12.345, parse_format('0.00"万元"')), display(2.5e6, parse_format('0.0,,"百万"'))
    ('12.35万元', '2.5百万')
    """
    number = Decimal(f"{value:.15g}")
    section = fmt.sections[0]
    negative = number < 0
    if negative and len(fmt.sections) > 1:
        section = fmt.sections[1]
    elif number == 0 and len(fmt.sections) > 2:
        section = fmt.sections[2]
    number = abs(number).scaleb(2 * section.percent - 3 * section.divide)
    places = sum(1 for t in section.decimals if not t.startswith("="))
    whole, fraction = _digits(number, places)
    integer = _fill_integer(section.integer, whole, section.grouping)
    decimals = []
    pending = list(fraction)
    for token in section.decimals:
        decimals.append(token[1:] if token.startswith("=") else pending.pop(0))
    # Trailing optional places (# and ?) show no zero.
    for token in reversed(section.decimals):
        if token not in {"#", "?"} or not decimals or decimals[-1] != "0":
            break
        decimals.pop()
    shown_fraction = "".join(decimals)
    text = integer + ("." + shown_fraction if shown_fraction else "")
    if not any(ch.isdigit() for ch in text):
        text = "0"
    # A negative number reads negative, whatever its section shows ("-", "(1,234)", a colour).
    sign = "-" if negative and number != 0 else ""
    return sign + text + "%" * section.percent + section.suffix
