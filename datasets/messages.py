"""One shape for everything stdeval says to a person: a bilingual message.

A refusal, a command-line message, a config error or a row error is built
once with its Simplified Chinese and English text and carries both until
it is shown: the command line, the dashboard and the JSON results choose
the language at the last moment (``message.text(lang)``), so a result
computed in one process can be shown in another language elsewhere. The
type lives in ``datasets/`` because every layer speaks (datasets, etl,
metrics and app all import it; it imports nothing of theirs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["LANGUAGES", "BilingualError", "Message", "NotFound", "RefusedValue"]

#: The languages of the interface; Simplified Chinese first, the default.
LANGUAGES: tuple[str, ...] = ("zh", "en")


@dataclass(frozen=True)
class Message:
    """A text in Simplified Chinese and English.

    Parameters
    ----------
    zh, en
        The same message in each language: what is wrong, where, and what
        to do.

    Examples
    --------
    >>> m = Message("文件为空", "the file is empty")
    >>> m.text("en"), m.text("zh")
    ('the file is empty', '文件为空')
    >>> m.both()
    '文件为空 / the file is empty'
    >>> Message.from_json(m.to_json()) == m
    True
    """

    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``zh``, or ``en``; anything else reads as ``zh``)."""
        return self.en if lang == "en" else self.zh

    def both(self, sep: str = " / ") -> str:
        """Both languages on one line, Chinese first (where no language was chosen)."""
        return f"{self.zh}{sep}{self.en}"

    def to_json(self) -> dict[str, str]:
        """``{"zh": ..., "en": ...}``, as results files and JSON lines carry it."""
        return {"zh": self.zh, "en": self.en}

    @classmethod
    def from_json(cls, value: Any) -> Message | None:
        """Rebuild a message from :meth:`to_json` (``None`` stays ``None``).

        A plain string (written before messages carried both languages)
        stands for itself in both languages.

        Examples
        --------
        >>> Message.from_json("old reason")
        Message(zh='old reason', en='old reason')
        >>> Message.from_json(None) is None
        True
        """
        if value is None or isinstance(value, Message):
            return value
        if isinstance(value, dict):
            return cls(str(value.get("zh", value.get("en", ""))), str(value.get("en", "")))
        return cls(str(value), str(value))


class BilingualError(Exception):
    """An error whose message a person reads, in either language.

    ``str()`` gives both languages on one line (for logs and tracebacks);
    callers that know the user's language show ``err.text(lang)``.

    Examples
    --------
    >>> err = BilingualError(Message("数据仓库被占用", "the warehouse is busy"))
    >>> str(err), err.text("en")
    ('数据仓库被占用 / the warehouse is busy', 'the warehouse is busy')
    """

    def __init__(self, message: Message) -> None:
        super().__init__(message.both())
        self.message = message

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return self.message.text(lang)


class RefusedValue(BilingualError, ValueError):
    """A value a person gave (a weight, an option, a setting) that cannot be used."""


class NotFound(BilingualError, LookupError):
    """Something a person named (a run, an account) that the warehouse does not hold."""
