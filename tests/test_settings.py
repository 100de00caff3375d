"""Settings are data, read from the environment and documented in the README."""

from __future__ import annotations

from pathlib import Path

from etl.settings import SETTINGS, db_path, default_language, get_setting

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text("utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, f"{setting.name} is missing from README.md"
        assert setting.default in text, f"the default of {setting.name} is missing from README.md"


def test_settings_have_the_documented_defaults() -> None:
    assert get_setting("STDEVAL_DB", environ={}) == "var/stdeval.duckdb"
    assert get_setting("STDEVAL_DATA_DIR", environ={}) == "var/"
    assert get_setting("STDEVAL_LANG", environ={}) == "zh"


def test_environment_overrides_defaults_and_db_option_overrides_both(monkeypatch) -> None:
    monkeypatch.setenv("STDEVAL_DB", "/tmp/elsewhere.duckdb")
    assert db_path(None) == Path("/tmp/elsewhere.duckdb")
    assert db_path("/tmp/option.duckdb") == Path("/tmp/option.duckdb")


def test_unknown_language_falls_back_to_chinese(monkeypatch) -> None:
    monkeypatch.setenv("STDEVAL_LANG", "fr")
    assert default_language() == "zh"
    monkeypatch.setenv("STDEVAL_LANG", "EN")
    assert default_language() == "en"
