"""The message catalogue: every text of the user interface, in zh and en.

Messages live in ``app/locales/<lang>.toml`` with the same keys in every
language (a test checks it). Simplified Chinese is the default; English is
a switch away.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

LANGUAGES: tuple[str, ...] = ("zh", "en")
LANGUAGE_NAMES: dict[str, str] = {"zh": "中文", "en": "English"}


def _flatten(prefix: str, table: dict[str, object], out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return every message of ``lang`` as a flat ``{"section.key": text}`` mapping."""
    if lang not in LANGUAGES:
        msg = f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    text = (resources.files("app") / "locales" / f"{lang}.toml").read_text("utf-8")
    out: dict[str, str] = {}
    _flatten("", tomllib.loads(text), out)
    return out


def translate(lang: str, key: str, **values: object) -> str:
    """Return the message ``key`` in ``lang``, with ``{placeholders}`` filled in.

    A missing key raises ``KeyError`` rather than showing a raw key to a user.

    Examples
    --------
    >>> translate("en", "overview.title")
    'Overview'
    >>> translate("zh", "overview.title")
    '总览'
    """
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


class Translator:
    """A callable bound to one language: ``t("overview.title")``."""

    def __init__(self, lang: str) -> None:
        catalogue(lang)
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        """Return the message ``key`` in this translator's language."""
        return translate(self.lang, key, **values)
