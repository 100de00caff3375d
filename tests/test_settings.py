"""Settings are data: typed, read from the environment, and documented in the README.

The README's settings table is read as a table and compared with
``etl.settings.SETTINGS`` both ways: every setting documented with its
real default, every documented setting real.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl.settings import (
    SETTINGS,
    SettingError,
    db_path,
    default_language,
    read_setting,
)

README = Path(__file__).resolve().parent.parent / "README.md"
ROW = re.compile(r"^\|\s*`(?P<name>STDEVAL_[A-Z0-9_]+)`\s*\|\s*(?P<default>[^|]*?)\s*\|")


def documented_settings(text: str) -> dict[str, str]:
    """The rows of the README's settings table: name -> default as written (backticks removed)."""
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows[match["name"]] = match["default"].strip().strip("`")
    return rows


def test_the_readme_table_reader_sees_rows_and_their_defaults() -> None:
    text = (
        "## Settings\n| setting | default |\n|---|---|\n| `STDEVAL_X` | `a/b` | help |\n## Next\n"
    )
    assert documented_settings(text) == {"STDEVAL_X": "a/b"}


def test_every_setting_is_documented_with_its_real_default() -> None:
    documented = documented_settings(README.read_text("utf-8"))
    actual = {s.name: s.default for s in SETTINGS}
    assert documented == actual


def test_every_default_parses_to_a_typed_value() -> None:
    for setting in SETTINGS:
        assert setting.read({}) == setting.parse(setting.default)


def test_settings_have_typed_values() -> None:
    assert read_setting("STDEVAL_DB", environ={}) == Path("var/stdeval.duckdb")
    assert read_setting("STDEVAL_DATA_DIR", environ={}) == Path("var")
    assert read_setting("STDEVAL_PORT", environ={"STDEVAL_PORT": " 9000 "}) == 9000
    assert read_setting("STDEVAL_LANG", environ={"STDEVAL_LANG": ""}) == "zh"


def test_a_value_the_parser_refuses_names_the_variable_in_both_languages() -> None:
    with pytest.raises(SettingError) as err:
        read_setting("STDEVAL_PORT", environ={"STDEVAL_PORT": "web"})
    assert "STDEVAL_PORT" in err.value.text("zh") and "环境变量" in err.value.text("zh")
    assert "'web'" in err.value.text("en") and "8501" in err.value.text("en")


def test_an_unknown_setting_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        read_setting("STDEVAL_NOPE")


def test_environment_overrides_defaults_and_db_option_overrides_both(monkeypatch) -> None:
    monkeypatch.setenv("STDEVAL_DB", "/tmp/elsewhere.duckdb")
    assert db_path(None) == Path("/tmp/elsewhere.duckdb")
    assert db_path("/tmp/option.duckdb") == Path("/tmp/option.duckdb")


def test_unknown_language_falls_back_to_chinese(monkeypatch) -> None:
    monkeypatch.setenv("STDEVAL_LANG", "fr")
    assert default_language() == "zh"
    monkeypatch.setenv("STDEVAL_LANG", "EN")
    assert default_language() == "en"
