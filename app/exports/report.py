"""The evaluation report as a PDF: :mod:`app.exports.report_html` printed by Debian's chromium.

Playwright drives ``/usr/bin/chromium`` (``STDEVAL_CHROMIUM`` overrides it)
headless, with no network: the page is set from the HTML string, plotly.js
is inlined, Chinese glyphs come from ``fonts-noto-cjk``. Every page has the
run id in its header and the page number in its footer.
"""

from __future__ import annotations

import html
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import duckdb

from app.exports.report_html import report_html
from app.i18n import Translator
from datasets.messages import Message, RefusedValue

__all__ = [
    "CHROMIUM",
    "ReportPage",
    "html_to_pdf",
    "print_report",
    "report_file_name",
    "report_page",
    "report_pdf",
]

#: The browser that prints the report.
CHROMIUM = "/usr/bin/chromium"


def report_file_name(run_id: str, lang: str = "zh") -> str:
    """The report's file name, with the run id in it.

    Examples
    --------
    >>> report_file_name("run-20260101T000000-abcd1234", "en")
    'stdeval-report-run-20260101T000000-abcd1234-en.pdf'
    """
    return f"stdeval-report-{run_id}-{lang}.pdf"


def _print(page_html: str, header: str, footer: str) -> bytes:
    from playwright.sync_api import Error, sync_playwright

    executable = os.environ.get("STDEVAL_CHROMIUM", CHROMIUM)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                page = browser.new_page()
                page.set_content(page_html, wait_until="load")
                page.wait_for_function(
                    "Array.from(document.querySelectorAll('.plotly-graph-div'))"
                    ".every(d => d.querySelector('.main-svg'))",
                    timeout=30_000,
                )
                return page.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    margin={"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                )
            finally:
                browser.close()
    except Error as exc:
        msg = Message(
            f"无法用 {executable} 生成 PDF（{exc.message.splitlines()[0]}）；请确认已安装 chromium（make browser-deps）",
            f"could not print the PDF with {executable} ({exc.message.splitlines()[0]}); "
            "check that chromium is installed (make browser-deps)",
        )
        raise RefusedValue(msg) from None


def html_to_pdf(page_html: str, *, header: str, footer: str) -> bytes:
    """Print ``page_html`` to A4 PDF bytes with header and footer templates.

    Runs the browser in a worker thread, so it works from a Streamlit script
    (whose thread may own an event loop) as from the command line.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, page_html, header, footer).result()


@dataclass(frozen=True)
class ReportPage:
    """The report of one run, ready to print: the page and its header and footer templates."""

    html: str
    header: str
    footer: str


def report_page(cur: duckdb.DuckDBPyConnection, *, run_id: str, lang: str = "zh") -> ReportPage:
    """Read the report of run ``run_id`` in ``lang`` from the warehouse (no browser needed).

    Raises
    ------
    datasets.messages.NotFound
        No run ``run_id``.
    datasets.messages.RefusedValue
        ``lang`` is not zh or en.
    """
    if lang not in ("zh", "en"):
        msg = Message(
            f"报告语言 {lang!r} 无效，请使用 zh 或 en", f"report language {lang!r}: use zh or en"
        )
        raise RefusedValue(msg)
    t = Translator(lang)
    page_html = report_html(cur, run_id=run_id, lang=lang)
    style = "font-size:8px;width:100%;padding:0 14mm;color:#444;font-family:'Noto Sans CJK SC',sans-serif;"
    header = f'<div style="{style}">{html.escape(t("report.title"))} · {html.escape(run_id)}</div>'
    footer = (
        f'<div style="{style}text-align:right;">{html.escape(run_id)} · '
        '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
    )
    return ReportPage(page_html, header, footer)


def print_report(page: ReportPage) -> bytes:
    """Print a :class:`ReportPage` to PDF bytes with chromium."""
    return html_to_pdf(page.html, header=page.header, footer=page.footer)


def report_pdf(cur: duckdb.DuckDBPyConnection, *, run_id: str, lang: str = "zh") -> bytes:
    """The evaluation report of run ``run_id`` in ``lang`` as PDF bytes.

    Raises
    ------
    datasets.messages.NotFound
        No run ``run_id``.
    datasets.messages.RefusedValue
        ``lang`` is not zh or en, or chromium could not print.
    """
    return print_report(report_page(cur, run_id=run_id, lang=lang))
