"""Why a whole file is refused: one bilingual, one-line reason.

A refused file loads nothing (DATA_MODEL.md, Operational records). The
command line prints the reason in the user's language on one line, never a
traceback, and exits with status 1.
"""

from __future__ import annotations

from datasets.messages import BilingualError, Message


class FileRefused(BilingualError):
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
    >>> err.text("en"), err.rule
    ('the file is empty', 'empty')
    >>> err.message
    Message(zh='文件为空', en='the file is empty')
    """

    def __init__(self, reason_zh: str, reason_en: str, *, rule: str = "refused") -> None:
        super().__init__(Message(reason_zh, reason_en))
        self.rule = rule

    @property
    def reason_zh(self) -> str:
        """The reason in Simplified Chinese."""
        return self.message.zh

    @property
    def reason_en(self) -> str:
        """The reason in English."""
        return self.message.en
