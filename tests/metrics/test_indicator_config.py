"""The indicator system as a versioned config, validated on load."""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from metrics.config import MEASURES, ConfigError, default_config, load_config


def default_raw() -> dict[str, Any]:
    text = (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_default_config_is_the_tree_of_scoring_md() -> None:
    cfg = default_config()
    assert cfg.version
    assert cfg.dimension_ids == ("A", "B", "C", "D")
    assert cfg.indicator_ids == (
        "A1",
        "A2",
        "A3",
        "A4",
        "A5",
        "B1",
        "B2",
        "B3",
        "B4",
        "B5",
        "C1",
        "C2",
        "D1",
    )
    by_id = {i.id: i for i in cfg.indicators}
    assert by_id["A1"].measures == ("feedback.applicability", "survey.q_useful")
    assert by_id["A3"].measures == ("survey.q_current", "standard.age")
    assert by_id["D1"].measures == ("feedback.satisfaction", "survey.q_satisfied")
    assert cfg.ahp.cr < 0.10 and sum(cfg.ahp.weights) == pytest.approx(1.0)
    assert [(g.grade, g.min) for g in cfg.grades] == [("A", 85), ("B", 70), ("C", 60), ("D", 0)]
    assert (cfg.min_sites, cfg.min_responses, cfg.replicates) == (5, 30, 1000)
    assert [(s.name_zh, s.months) for s in cfg.stages] == [
        ("立项", 3),
        ("起草", 10),
        ("征求意见", 2),
    ]


def test_every_measure_is_used_by_the_default_tree() -> None:
    used = {m for i in default_config().indicators for m in i.measures}
    assert used == set(MEASURES)


def test_grades_at_the_boundaries() -> None:
    cfg = default_config()
    assert [cfg.grade(s) for s in (100, 85, 84.999, 70, 69.9, 60, 59.99, 0)] == list("AABBCCDD")


def test_a_config_file_on_disk_loads(tmp_path: Path) -> None:
    source = resources.files("metrics") / "indicator_config" / "default.toml"
    path = tmp_path / "mine.toml"
    path.write_text(
        source.read_text("utf-8").replace('version = "2026.1"', 'version = "local-1"'), "utf-8"
    )
    assert load_config(path).version == "local-1"
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = [", "utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(bad)


def test_the_stored_json_reloads_to_the_same_config() -> None:
    cfg = default_config()
    assert load_config(json.loads(cfg.to_json())) == cfg


def broken(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(default_raw())
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["dimensions"]["A"]["indicators"].append("A9"), "unknown indicator 'A9'"),
        (lambda r: r["indicators"]["A1"].update(measures=["survey.q_typo"]), "unknown measure"),
        (lambda r: r["dimensions"]["D"].update(indicators=[]), "dimension D has no indicators"),
        (lambda r: r["dimensions"].pop("D"), "D1 belongs to no dimension"),
        (lambda r: r["weights"]["ahp"].update(order=["A", "B", "C"]), "dimension D is missing"),
        (
            lambda r: r["weights"]["ahp"].update(order=["A", "B", "C", "E"]),
            "dimension D is missing",
        ),
        (lambda r: r["weights"]["ahp"]["matrix"][0].__setitem__(1, 3.0), "not reciprocal"),
        (
            lambda r: r["weights"]["ahp"].update(
                matrix=[[1, 9, 1 / 9, 1], [1 / 9, 1, 9, 1], [9, 1 / 9, 1, 1], [1, 1, 1, 1]]
            ),
            "CR =",
        ),
        (lambda r: r["weights"]["ahp"].update(matrix=[[1, 2], [0.5, 1]]), "bad weights"),
        (lambda r: r["weights"]["entropy"].update(normalise="zscore"), "normalise"),
        (lambda r: r["grades"].reverse(), "strictly decrease"),
        (lambda r: r["bootstrap"].update(level=95), "level"),
        (lambda r: r["evidence"].update(min_sites="five"), "whole number"),
        (lambda r: r.update(colour="red"), "unknown top-level"),
        (lambda r: r.pop("version"), "version is required"),
        (lambda r: r["lifecycle"]["stages"][0].update(start="submitted"), "lifecycle stage"),
        # Misshapen values: each is refused naming its key, never an AttributeError/TypeError.
        (lambda r: r.update(grades=[1]), "grades must be a list of tables ([[grades]] in TOML)"),
        (lambda r: r.update(grades={"A": 85}), "grades must be a list of tables"),
        (lambda r: r.update(grades=[]), "[[grades]] must list at least one band"),
        (lambda r: r["grades"][1].update(min=True), "grades[1].min must be a number, got true"),
        (lambda r: r["grades"][0].update(min="85"), 'grades[0].min must be a number, got "85"'),
        (lambda r: r["grades"][0].update(grade=1), "grades[0].grade must be text, got 1"),
        (lambda r: r["lifecycle"].update(stages=[1]), "lifecycle.stages must be a list of tables"),
        (lambda r: r["lifecycle"].update(stages=1), "lifecycle.stages must be a list of tables"),
        (
            lambda r: r["lifecycle"]["stages"][1].update(months=2.5),
            "lifecycle.stages[1].months must be a whole number, got 2.5",
        ),
        (lambda r: r["lifecycle"]["stages"][0].update(stage=["x"]), "lifecycle.stages[0].stage"),
        (lambda r: r.update(lifecycle=[]), "[lifecycle] is missing or not a table"),
        (lambda r: r.update(indicators=[["D1"]]), "[indicators] is missing or not a table"),
        (lambda r: r.update(dimensions=[1]), "[dimensions] is missing or not a table"),
        (
            lambda r: r["dimensions"]["D"].update(indicators=[["D1"]]),
            'dimensions.D.indicators must be a list of ids written as text, e.g. ["A1", "A2"], '
            'got [["D1"]]',
        ),
        (lambda r: r["dimensions"]["D"].update(indicators="D1"), "dimensions.D.indicators"),
        (lambda r: r["dimensions"]["D"].update(indicators=[{"id": "D1"}]), "dimensions.D."),
        (lambda r: r["dimensions"].update(E=1), "bad dimension [dimensions.E]"),
        (lambda r: r["dimensions"]["A"].update(name_zh=1), "dimensions.A.name_zh must be text"),
        (lambda r: r["indicators"].update(D1="satisfaction"), "bad indicator [indicators.D1]"),
        (
            lambda r: r["indicators"]["A1"].update(measures=[["survey.q_useful"]]),
            "indicators.A1.measures must be a list of ids",
        ),
        (lambda r: r.update(weights=1), "[weights] is missing or not a table"),
        (lambda r: r["weights"].update(ahp=[1]), "[weights.ahp] is missing or not a table"),
        (lambda r: r["weights"]["ahp"].update(order="ABCD"), "weights.ahp.order must be a list"),
        (lambda r: r["weights"]["ahp"].update(order=[["A"]]), "weights.ahp.order must be a list"),
        (
            lambda r: r["weights"]["ahp"].update(matrix=4),
            "weights.ahp.matrix must be a list of rows",
        ),
        (lambda r: r["weights"]["ahp"].update(matrix=[1, 2]), "weights.ahp.matrix must be a list"),
        (
            lambda r: r["weights"]["ahp"]["matrix"][0].__setitem__(1, True),
            "weights.ahp.matrix row 1, column 2 is true, not a number",
        ),
        (
            lambda r: r["weights"]["ahp"]["matrix"][2].__setitem__(3, "3"),
            'weights.ahp.matrix row 3, column 4 is "3", not a number',
        ),
        (lambda r: r["weights"].update(entropy=1), "[weights.entropy] is missing or not a table"),
        (
            lambda r: r["weights"]["entropy"].update(normalise=["sum"]),
            "weights.entropy.normalise must be one of ['none', 'minmax', 'sum'], got [\"sum\"]",
        ),
        (lambda r: r.update(evidence=[5, 30]), "[evidence] is missing or not a table"),
        (
            lambda r: r["evidence"].update(min_sites=True),
            "evidence.min_sites must be a whole number",
        ),
        (lambda r: r["age"].update(full_years=None), "age.full_years must be a number, got null"),
        (lambda r: r["bootstrap"].update(seed=2**70), "bootstrap.seed must be a whole number"),
        (lambda r: r.update(schema=True), "schema must be 1, got true"),
        (lambda r: r.update(version=2025), "version must be text, got 2025"),
        (
            lambda r: r["age"].update(reviewed=date(2024, 5, 1)),
            "cannot be stored with a run as JSON",
        ),
    ],
)
def test_invalid_configs_are_refused_with_a_clear_bilingual_message(
    change: Any, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(broken(change))
    assert message in str(caught.value)
    assert "指标配置错误" in str(caught.value)
