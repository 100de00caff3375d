"""The message catalogue: zh and en hold the same keys and placeholders."""

from __future__ import annotations

import ast
import re
import string
import tomllib

import pytest

from app.i18n import Translator, catalogue, translate

APP_SOURCES = __import__("pathlib").Path(__file__).resolve().parents[2] / "app"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_zh_and_en_have_the_same_keys() -> None:
    assert set(catalogue("zh")) == set(catalogue("en"))


def test_zh_and_en_messages_take_the_same_placeholders() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    for key in zh:
        assert _placeholders(zh[key]) == _placeholders(en[key]), key


def test_chinese_messages_are_chinese_and_english_ones_are_not() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    for key, text in catalogue("zh").items():
        assert han.search(text), f"zh message {key} has no Chinese"
    for key, text in catalogue("en").items():
        assert not han.search(text), f"en message {key} contains Chinese"


#: A message key as code writes it: ``section.key`` (no file names such as ``overview.py``).
KEY = re.compile(r"^([a-z_]+)\.([a-z_][a-z_0-9]*)$")
#: The fixed start of keys built at run time: ``t(f"awards.cat_{category}")``.
PREFIX = re.compile(r"^([a-z_]+)\.([a-z_][a-z_0-9]*_)$")
NOT_KEYS = {"py", "toml", "sql", "csv", "md", "json", "xlsx", "duckdb"}


def message_keys_in(source: str, sections: set[str]) -> set[str]:
    """Every string constant of ``source`` shaped like a key of one of ``sections``.

    Keys reach the translator directly (``t("nav.overview")``), through
    helpers (``_halt("app.no_warehouse")``) or through data (the page
    table's ``"nav.overview"``); reading every string constant sees them all.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = KEY.match(node.value)
            if match and match[1] in sections and match[2] not in NOT_KEYS:
                found.add(node.value)
    return found


def missing_keys(used: set[str], known: set[str]) -> list[str]:
    """Used keys the catalogue lacks; a prefix (``awards.cat_``) needs one key that starts with it."""
    return sorted(
        key
        for key in used
        if key not in known and not (PREFIX.match(key) and any(k.startswith(key) for k in known))
    )


def test_a_prefix_counts_only_when_some_key_starts_with_it() -> None:
    known = {"awards.cat_standard", "nav.overview"}
    assert missing_keys({"awards.cat_", "nav.overview"}, known) == []
    assert missing_keys({"awards.kind_", "nav.gone"}, known) == ["awards.kind_", "nav.gone"]


def test_the_key_scan_sees_keys_passed_through_helpers_and_data() -> None:
    source = (
        'def _halt(key): ...\n_halt("app.gone")\nPAGES = [("x.py", "nav.gone")]\n'
        't("overview.title")\nopen("overview.py")\n'
    )
    assert message_keys_in(source, {"app", "nav", "overview"}) == {
        "app.gone",
        "nav.gone",
        "overview.title",
    }


def test_every_key_used_in_the_app_exists() -> None:
    known = set(catalogue("zh"))
    sections = {key.split(".", 1)[0] for key in known}
    used: set[str] = set()
    for path in APP_SOURCES.rglob("*.py"):
        used |= message_keys_in(path.read_text("utf-8"), sections)
    assert {"app.no_warehouse", "nav.overview"} <= used, "the scan misses helper and table keys"
    assert missing_keys(used, known) == []


def test_translate_fills_placeholders_and_refuses_unknown() -> None:
    assert "12" in translate("en", "overview.standards_help", mapped=12)
    with pytest.raises(KeyError):
        translate("zh", "no.such_key")
    with pytest.raises(ValueError):
        Translator("fr")


def _locale_file(lang: str) -> dict[str, object]:
    """The locale file as TOML, read here without the code under test."""
    return tomllib.loads((APP_SOURCES / "locales" / f"{lang}.toml").read_text("utf-8"))


@pytest.mark.parametrize(("lang", "title"), [("zh", "总览"), ("en", "Overview")])
def test_translator_reads_the_locale_file_of_its_language(lang: str, title: str) -> None:
    t = Translator(lang)
    assert t("nav.overview") == title
    messages = _locale_file(lang)["overview"]
    assert isinstance(messages, dict)
    assert t("overview.subtitle") == messages["subtitle"]
    assert t("overview.standards_help", mapped=7) == messages["standards_help"].format(mapped=7)
