"""The files a pilot site sends in the portal tests: a messy GBK feedback form and its problems."""

from __future__ import annotations

#: A feedback form as a site's office writes it: GBK, Chinese headers with
#: aliases and stray spaces, a period in words, full-width digits, Likert
#: words, percentages. Row 2 is good; row 3 is another site's (rejected
#: ``site_not_allowed``); row 4 has satisfaction 9; row 5 is good.
MESSY_HEADER = " 试点单位代码 ,标准号,报告期间,满意度,适用性,实施覆盖率（%）,存在问题\r\n"


def messy_feedback(own_site: str, other_site: str) -> bytes:
    """The messy form for ``own_site``, with one row of ``other_site`` (GBK bytes)."""
    rows = [
        f"{own_site},GB/T 22239-2019,2026年第一季度,非常满意,４,85%,缺少配套指南",
        f"{other_site},GB/T 22239-2019,2026-Q1,4,4,90,",
        f" {own_site} ,GB/T 22239-2019,2026-Q2,9,3,120%,",
        f"{own_site},GB/T 22239-2019,2026-08,同意,5,70,",
    ]
    return (MESSY_HEADER + "\r\n".join(rows) + "\r\n").encode("gbk")


#: Row numbers (as the user sees them, header = row 1) of the rows that fail.
OTHER_SITE_ROW = 3
BAD_VALUE_ROW = 4
#: Rows of the form that are loaded.
GOOD_ROWS = 2
