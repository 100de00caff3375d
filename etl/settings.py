"""Settings as data: one table of name, default and help, read from the environment.

Every setting is listed in the README (a test checks it). The command line's
``--db`` option and the Streamlit app read the same table, so
``STDEVAL_DB=... streamlit run app/streamlit_app.py`` shows that warehouse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default value and help text."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("STDEVAL_DB", "var/stdeval.duckdb", "The DuckDB warehouse file."),
    Setting(
        "STDEVAL_DATA_DIR",
        "var/",
        "Data folder: the landing folder (raw bytes of every upload, by sha256) lives below it.",
    ),
    Setting("STDEVAL_LANG", "zh", "Default language of the user interface: `zh` or `en`."),
    Setting("STDEVAL_PORT", "8501", "Port on which `stdeval serve` starts the dashboard."),
    Setting(
        "STDEVAL_MAX_UNPACKED_MB",
        "256",
        "Megabytes an uploaded workbook (XLSX) may unpack to; a larger one is refused as `too_large`.",
    ),
    Setting(
        "STDEVAL_MAX_PACKING_RATIO",
        "200",
        "Highest unpacked/packed size ratio of a workbook part over 8 MB; above it the file is "
        "refused as `too_large` (a ZIP bomb).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get_setting(name: str, *, environ: dict[str, str] | None = None) -> str:
    """Return the value of a setting: the environment variable if set, else its default.

    Parameters
    ----------
    name
        The setting's name, e.g. ``"STDEVAL_DB"``.
    environ
        The environment to read (defaults to ``os.environ``).

    Examples
    --------
    >>> get_setting("STDEVAL_LANG", environ={})
    'zh'
    >>> get_setting("STDEVAL_LANG", environ={"STDEVAL_LANG": "en"})
    'en'
    """
    if name not in _BY_NAME:
        msg = f"unknown setting {name!r}; known settings: {', '.join(_BY_NAME)}"
        raise KeyError(msg)
    env = os.environ if environ is None else environ
    value = env.get(name, "").strip()
    return value or _BY_NAME[name].default


def db_path(override: str | Path | None = None) -> Path:
    """Return the warehouse path: ``override`` when given, else ``STDEVAL_DB``."""
    return Path(override) if override else Path(get_setting("STDEVAL_DB"))


def data_dir() -> Path:
    """Return the data folder (``STDEVAL_DATA_DIR``)."""
    return Path(get_setting("STDEVAL_DATA_DIR"))


def landing_dir() -> Path:
    """Return the landing folder where the raw bytes of every upload are kept."""
    return data_dir() / "landing"


def default_language() -> str:
    """Return the default UI language, ``zh`` unless ``STDEVAL_LANG`` says ``en``."""
    lang = get_setting("STDEVAL_LANG").lower()
    return lang if lang in {"zh", "en"} else "zh"
