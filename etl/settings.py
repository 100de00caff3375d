"""Settings as data: one typed table of name, default, parser and help, read from the environment.

Every setting is listed in the README with its default (a test reads the
README's table and compares it with this one both ways). The command line's
``--db`` option and the Streamlit app read the same table, so
``STDEVAL_DB=... streamlit run app/streamlit_app.py`` shows that warehouse.
A value that its parser refuses stops the program with one bilingual line
naming the variable (:class:`SettingError`), never a traceback deep inside.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasets.messages import BilingualError, Message

__all__ = [
    "SETTINGS",
    "Setting",
    "SettingError",
    "data_dir",
    "db_path",
    "default_language",
    "get_setting",
    "landing_dir",
    "parse_language",
    "parse_path",
    "parse_positive_number",
    "parse_port",
    "read_setting",
]


class SettingError(BilingualError, ValueError):
    """An environment variable holds a value its setting cannot use."""


def parse_path(text: str) -> Path:
    """A file or folder path, as written (relative to the working folder).

    Examples
    --------
    >>> parse_path("var/stdeval.duckdb")
    PosixPath('var/stdeval.duckdb')
    """
    return Path(text)


def parse_language(text: str) -> str:
    """``zh`` or ``en`` (any case); anything else falls back to ``zh``, the default language.

    Examples
    --------
    >>> parse_language("EN"), parse_language("fr")
    ('en', 'zh')
    """
    lang = text.strip().lower()
    return lang if lang in {"zh", "en"} else "zh"


def parse_port(text: str) -> int:
    """A TCP port, 1–65535.

    Examples
    --------
    >>> parse_port("8501")
    8501
    >>> parse_port("web")
    Traceback (most recent call last):
    ...
    ValueError: not a port number (1-65535): 'web'
    """
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        msg = f"not a port number (1-65535): {text!r}"
        raise ValueError(msg)
    return port


def parse_positive_number(text: str) -> float:
    """A number greater than zero (hours, megabytes, ratios).

    Examples
    --------
    >>> parse_positive_number("8"), parse_positive_number("0.5")
    (8.0, 0.5)
    >>> parse_positive_number("-1")
    Traceback (most recent call last):
    ...
    ValueError: not a number greater than 0: '-1'
    """
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        msg = f"not a number greater than 0: {text!r}"
        raise ValueError(msg)
    return value


def parse_provider_name(text: str) -> str:
    """The name of an OIDC provider section in ``[auth]`` of ``.streamlit/secrets.toml``, or ``""``.

    ``""`` (the default) leaves OIDC sign-in off; ``default`` names the
    provider keys written directly in ``[auth]``; any other name, a
    ``[auth.<name>]`` section (lower-case letters, digits and ``-``: Streamlit
    refuses ``_``).

    Examples
    --------
    >>> parse_provider_name(""), parse_provider_name(" Keycloak ")
    ('', 'keycloak')
    >>> parse_provider_name("my_idp")
    Traceback (most recent call last):
    ...
    ValueError: not a provider name (lower-case letters, digits, -): 'my_idp'
    """
    name = text.strip().lower()
    if name and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", name):
        msg = f"not a provider name (lower-case letters, digits, -): {text!r}"
        raise ValueError(msg)
    return name


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default, parser and help text.

    ``default`` is the text a user would write in the environment (and the
    README shows); ``parse`` turns such a text into the typed value and
    raises ``ValueError`` for one it cannot use.
    """

    name: str
    default: str
    help: str
    parse: Callable[[str], Any]

    def read(self, environ: Mapping[str, str] | None = None) -> Any:
        """The typed value: the environment variable if set and not blank, else the default.

        Raises
        ------
        SettingError
            The variable holds a value ``parse`` refuses.
        """
        env = os.environ if environ is None else environ
        text = env.get(self.name, "").strip() or self.default
        try:
            return self.parse(text)
        except ValueError as exc:
            msg = Message(
                f"环境变量 {self.name} 的值 {text!r} 无法使用（{exc}）；请改正或删除它（默认值 {self.default}）",
                f"environment variable {self.name} holds {text!r}, which cannot be used ({exc}); "
                f"correct or unset it (default {self.default})",
            )
            raise SettingError(msg) from None


SETTINGS: tuple[Setting, ...] = (
    Setting("STDEVAL_DB", "var/stdeval.duckdb", "The DuckDB warehouse file.", parse_path),
    Setting(
        "STDEVAL_DATA_DIR",
        "var/",
        "Data folder: the landing folder (raw bytes of every upload, by sha256) lives below it.",
        parse_path,
    ),
    Setting(
        "STDEVAL_LANG",
        "zh",
        "Default language of the user interface: `zh` or `en`.",
        parse_language,
    ),
    Setting(
        "STDEVAL_PORT", "8501", "Port on which `stdeval serve` starts the dashboard.", parse_port
    ),
    Setting(
        "STDEVAL_SESSION_HOURS",
        "8",
        "How long a sign-in lasts, across reloads, before the dashboard asks for the password again.",
        parse_positive_number,
    ),
    Setting(
        "STDEVAL_COOKIE_SECRET_FILE",
        "cookie_secret",
        "File holding the secret that signs session cookies, relative to the data folder;"
        " generated (mode 0600) on first use. Never commit it; replacing it signs everyone out.",
        parse_path,
    ),
    Setting(
        "STDEVAL_OIDC_PROVIDER",
        "",
        "OIDC sign-in (`st.login`) beside the password form: the provider's name in `[auth]` of "
        "`.streamlit/secrets.toml` (`default` for keys directly in `[auth]`); empty: off.",
        parse_provider_name,
    ),
    Setting(
        "STDEVAL_MAX_UNPACKED_MB",
        "256",
        "Megabytes an uploaded workbook (XLSX) may unpack to; a larger one is refused as `too_large`.",
        parse_positive_number,
    ),
    Setting(
        "STDEVAL_MAX_PACKING_RATIO",
        "200",
        "Highest unpacked/packed size ratio of a workbook part over 8 MB; above it the file is "
        "refused as `too_large` (a ZIP bomb).",
        parse_positive_number,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _setting(name: str) -> Setting:
    if name not in _BY_NAME:
        msg = f"unknown setting {name!r}; known settings: {', '.join(_BY_NAME)}"
        raise KeyError(msg)
    return _BY_NAME[name]


def read_setting(name: str, *, environ: Mapping[str, str] | None = None) -> Any:
    """Return the typed value of a setting (its parser applied).

    Parameters
    ----------
    name
        The setting's name, e.g. ``"STDEVAL_PORT"``.
    environ
        The environment to read (defaults to ``os.environ``).

    Examples
    --------
    >>> read_setting("STDEVAL_PORT", environ={})
    8501
    >>> read_setting("STDEVAL_LANG", environ={"STDEVAL_LANG": "en"})
    'en'
    """
    return _setting(name).read(environ)


def get_setting(name: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Return the raw text of a setting: the environment variable if set, else its default.

    Examples
    --------
    >>> get_setting("STDEVAL_LANG", environ={})
    'zh'
    """
    setting = _setting(name)
    env = os.environ if environ is None else environ
    return env.get(name, "").strip() or setting.default


def db_path(override: str | Path | None = None) -> Path:
    """Return the warehouse path: ``override`` when given, else ``STDEVAL_DB``."""
    return Path(override) if override else read_setting("STDEVAL_DB")


def data_dir() -> Path:
    """Return the data folder (``STDEVAL_DATA_DIR``)."""
    return read_setting("STDEVAL_DATA_DIR")


def landing_dir() -> Path:
    """Return the landing folder where the raw bytes of every upload are kept."""
    return data_dir() / "landing"


def default_language() -> str:
    """Return the default UI language, ``zh`` unless ``STDEVAL_LANG`` says ``en``."""
    return read_setting("STDEVAL_LANG")
