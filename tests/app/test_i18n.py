"""The message catalogue: zh and en hold the same keys and placeholders."""

from __future__ import annotations

import re
import string

import pytest

from app.i18n import LANGUAGES, Translator, catalogue, translate

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


def test_every_key_used_in_the_app_exists() -> None:
    used: set[str] = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""")
    for path in APP_SOURCES.rglob("*.py"):
        used.update(pattern.findall(path.read_text("utf-8")))
    assert used, "no translated message found in app/"
    missing = sorted(used - set(catalogue("zh")))
    assert missing == []


def test_translate_fills_placeholders_and_refuses_unknown() -> None:
    assert "12" in translate("en", "overview.standards_help", mapped=12)
    with pytest.raises(KeyError):
        translate("zh", "no.such_key")
    with pytest.raises(ValueError):
        Translator("fr")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translator_is_bound_to_its_language(lang: str) -> None:
    assert Translator(lang)("nav.overview") == catalogue(lang)["nav.overview"]
