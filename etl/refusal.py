"""Why a whole file is refused: one bilingual, one-line reason.

A refused file loads nothing (DATA_MODEL.md, Operational records). The
command line prints the reason in the user's language on one line, never a
traceback, and exits with status 1.
"""

from __future__ import annotations


class FileRefused(Exception):
    """A file that cannot be ingested at all (unreadable, empty, a required column missing...).

    Parameters
    ----------
    reason_zh, reason_en
        One line each: what is wrong and what to do.
    rule
        A short machine-readable code (``empty``, ``encoding``, ``not_tabular``...).

    Examples
    --------
    >>> err = FileRefused("文件为空", "the file is empty", rule="empty")
    >>> err.reason("en")
    'the file is empty'
    """

    def __init__(self, reason_zh: str, reason_en: str, *, rule: str = "refused") -> None:
        super().__init__(reason_en)
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        self.rule = rule

    def reason(self, lang: str) -> str:
        """Return the reason in ``lang`` (``zh`` or ``en``)."""
        return self.reason_zh if lang == "zh" else self.reason_en
