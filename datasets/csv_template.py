"""The CSV upload template of a source: its header row in the chosen language.

The XLSX template (:mod:`datasets.templates`) carries notes, drop-downs and
an example; the CSV one is the header row only, for people who fill their
forms in another tool. UTF-8 with a byte-order mark (so Excel reads the
Chinese headers) and CRLF, like every CSV stdeval writes; the same headers
are read back by the upload (:mod:`datasets.headers`).
"""

from __future__ import annotations

import csv
import io

from datasets.spec import SourceSpec
from datasets.templates import header_text

__all__ = ["build_csv_template"]


def build_csv_template(spec: SourceSpec, *, lang: str = "zh") -> bytes:
    """Return the header row of ``spec`` as CSV bytes (UTF-8 with BOM, CRLF).

    Examples
    --------
    >>> from datasets.sources import get_source
    >>> build_csv_template(get_source("feedback"), lang="en")[:31]
    b'\\xef\\xbb\\xbfsite_id,standard_code,period'
    """
    if lang not in {"zh", "en"}:
        msg = f"lang must be 'zh' or 'en', not {lang!r}"
        raise ValueError(msg)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([header_text(c, lang) for c in spec.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
