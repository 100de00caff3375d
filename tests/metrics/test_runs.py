"""Scoring runs: stored, read back identically, reproducible, refused when weights are bad."""

from __future__ import annotations

import json
import shutil
import tomllib
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from metrics.config import load_config
from metrics.funding import funding_per_standard
from metrics.request import ScoreRequest
from metrics.runs import list_runs, read_run, read_run_meta, read_run_reliability, run_scoring
from metrics.scope import Scope
from metrics.scores import compute_scores
from metrics.weights import SAATY_RI, InconsistentJudgementsError, entropy_weights
from tests.metrics.tiny_warehouse import CODES, V, X, build_tiny_warehouse

SCOPE = Scope(standard_codes=CODES)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_warehouse(tmp_path_factory.mktemp("tiny_runs") / "tiny.duckdb")


@pytest.fixture
def con(pristine: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    copy = tmp_path / "tiny.duckdb"
    shutil.copy(pristine, copy)
    connection = duckdb.connect(str(copy))
    yield connection
    connection.close()


def test_read_run_gives_back_exactly_the_computed_numbers(con: duckdb.DuckDBPyConnection) -> None:
    outcome = compute_scores(con, ScoreRequest(scope=SCOPE, replicates=200))
    run_id = run_scoring(con, ScoreRequest(scope=SCOPE, replicates=200), created_by="tester")
    stored = read_run(con, run_id)
    assert stored.get_column("run_id").unique().to_list() == [run_id]
    assert stored.drop("run_id").equals(outcome.results)
    # cells: X 2023, 2024, overall; Y 2024, overall; Z 2023, 2024, overall; V 2024, overall
    # → 10 cells × (score, score_raw, score_shrunk + 4 dimensions + 13 indicators) = 200 rows
    assert stored.height == 10 * 20


def test_the_run_record_has_everything_needed_to_explain_it(con: duckdb.DuckDBPyConnection) -> None:
    run_id = run_scoring(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=50, seed=5), created_by="评价员"
    )
    meta = read_run_meta(con, run_id)
    assert meta["method"] == "equal"
    assert meta["weights"] == {"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25}
    assert meta["config"]["version"] == load_config().version
    assert meta["ri_table"] == list(SAATY_RI)
    assert meta["seed"] == 5
    assert len(meta["fingerprint"]) == 64
    assert meta["code_version"].startswith("stdeval ")
    assert meta["created_by"] == "评价员" and meta["created_at"] is not None
    assert meta["scope"]["standard_codes"] == list(CODES)
    assert meta["params"]["replicates"] == 50 and meta["params"]["primary_year"] == "overall"
    assert (meta["primary_year"], meta["replicates"], meta["level"]) == ("overall", 50, 0.95)
    assert meta["config_version"] == load_config().version
    assert list_runs(con).get_column("run_id").to_list() == [run_id]
    # The tiny warehouse's own setup wrote submission and approval rows before.
    audit = con.execute(
        "select actor, action from audit_log where action not in ('submission', 'approval')"
    ).fetchall()
    assert audit == [("评价员", "score_run")]


def test_two_runs_on_unchanged_data_agree(con: duckdb.DuckDBPyConnection) -> None:
    first = run_scoring(con, ScoreRequest(scope=SCOPE, replicates=200), created_by="a")
    second = run_scoring(con, ScoreRequest(scope=SCOPE, replicates=200), created_by="b")
    assert first != second
    assert read_run_meta(con, first)["fingerprint"] == read_run_meta(con, second)["fingerprint"]
    assert read_run(con, first).drop("run_id").equals(read_run(con, second).drop("run_id"))


def test_a_run_is_reproduced_from_its_own_record(con: duckdb.DuckDBPyConnection) -> None:
    run_id = run_scoring(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=100, seed=9), created_by="a"
    )
    meta = read_run_meta(con, run_id)
    again = compute_scores(
        con,
        ScoreRequest(
            scope=Scope.from_json(con.execute("select scope from score_run").fetchall()[0][0]),
            method=meta["method"],
            config=meta["config"],
            seed=meta["seed"],
            replicates=meta["params"]["replicates"],
        ),
    )
    assert again.fingerprint == meta["fingerprint"]
    assert again.results.equals(read_run(con, run_id).drop("run_id"))


def test_a_changed_row_changes_the_fingerprint(con: duckdb.DuckDBPyConnection) -> None:
    before = compute_scores(con, ScoreRequest(scope=SCOPE, replicates=0)).fingerprint
    con.execute("update feedback set loaded_at = loaded_at + interval 1 day")  # re-load, same rows
    assert compute_scores(con, ScoreRequest(scope=SCOPE, replicates=0)).fingerprint == before
    con.execute("update feedback set clarity = 1 where site_id = 'S2' and standard_code = ?", [X])
    changed = compute_scores(con, ScoreRequest(scope=SCOPE, replicates=0)).fingerprint
    assert changed != before
    con.execute("update feedback set clarity = 1 where site_id = 'S2' and standard_code = ?", [X])
    assert compute_scores(con, ScoreRequest(scope=SCOPE, replicates=0)).fingerprint == changed
    con.execute("delete from survey where response_id = 'R3'")
    assert compute_scores(con, ScoreRequest(scope=SCOPE, replicates=0)).fingerprint not in (
        before,
        changed,
    )


def test_the_fingerprint_covers_only_the_scope(con: duckdb.DuckDBPyConnection) -> None:
    only_v = Scope(standard_codes=(V,))
    before = compute_scores(con, ScoreRequest(scope=only_v, replicates=0)).fingerprint
    con.execute("update feedback set clarity = 1 where standard_code = ?", [X])
    assert compute_scores(con, ScoreRequest(scope=only_v, replicates=0)).fingerprint == before


def _default_raw() -> dict:
    return tomllib.loads(
        (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
    )


def _overall(results: pl.DataFrame, code: str) -> dict[str, float]:
    """Dimension values and the composite of ``code`` overall, by item."""
    rows = results.filter(
        (pl.col("standard_code") == code)
        & (pl.col("year") == "overall")
        & pl.col("level").is_in(["dimension", "composite"])
    )
    return dict(zip(rows["item"], rows["value"], strict=True))


def test_an_ahp_run_stores_the_principal_eigenvector_of_the_config_matrix(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The default method. Expected weights straight from the TOML, by numpy's
    # eigen-decomposition: the eigenvector of the largest eigenvalue, normalised
    # to sum 1, named by weights.ahp.order.
    ahp_raw = _default_raw()["weights"]["ahp"]
    eigenvalues, eigenvectors = np.linalg.eig(np.array(ahp_raw["matrix"], dtype=float))
    principal = np.abs(eigenvectors[:, int(np.argmax(eigenvalues.real))].real)
    expected = dict(zip(ahp_raw["order"], principal / principal.sum(), strict=True))
    # Cross-check by the row geometric means, by hand: A and B (1·1·½·2)^¼ = 1,
    # C (2·2·1·3)^¼ = 12^¼, D (½·½·⅓·1)^¼ = 12^-¼; near the eigenvector since CR ≈ 0.004.
    geometric = np.array([1, 1, 12**0.25, 12**-0.25])
    assert list(expected.values()) == pytest.approx(list(geometric / geometric.sum()), abs=5e-3)

    request = ScoreRequest(scope=SCOPE, replicates=0, shrinkage=False)
    run_id = run_scoring(con, request, created_by="a")
    meta = read_run_meta(con, run_id)
    assert meta["method"] == "ahp"
    assert list(meta["weights"]) == ["A", "B", "C", "D"]
    assert meta["weights"] == pytest.approx(expected, abs=1e-12)
    # X overall has all four dimensions: composite = 100 · Σ w_d · D_d.
    x = _overall(read_run(con, run_id), X)
    assert x["score"] == pytest.approx(100 * sum(expected[d] * x[d] for d in "ABCD"), abs=1e-9)
    assert x["score"] != pytest.approx(100 * sum(x[d] for d in "ABCD") / 4, abs=1e-3)


def test_ahp_weights_follow_the_dimension_names_not_the_matrix_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # A config listing its judgements in the order D, C, A, B. A consistent matrix
    # a_ij = w_i / w_j has w itself as principal eigenvector (by hand: A w = n w),
    # so the stored weights must be exactly A .1, B .2, C .3, D .4: a run that
    # kept the matrix order would store A .4, B .3, C .1, D .2.
    w = {"A": 0.1, "B": 0.2, "C": 0.3, "D": 0.4}
    order = ["D", "C", "A", "B"]
    raw = _default_raw()
    raw["weights"]["ahp"] = {
        "order": order,
        "matrix": [[w[i] / w[j] for j in order] for i in order],
    }
    request = ScoreRequest(scope=SCOPE, replicates=0, config=raw, shrinkage=False)
    run_id = run_scoring(con, request, created_by="a")
    meta = read_run_meta(con, run_id)
    assert meta["weights"] == pytest.approx(w, abs=1e-12)
    assert meta["config"]["weights"]["ahp"]["order"] == order  # the config is stored as given
    for code in (X, V):
        dims = _overall(read_run(con, run_id), code)
        assert dims["score"] == pytest.approx(100 * sum(w[d] * dims[d] for d in w), abs=1e-9)
    # V is perfect on every dimension: 100 whatever the weights.
    assert _overall(read_run(con, run_id), V)["score"] == pytest.approx(100.0)


def test_inconsistent_ahp_judgements_are_refused_and_nothing_is_stored(
    con: duckdb.DuckDBPyConnection,
) -> None:
    matrix = [[1, 9, 1 / 9, 1], [1 / 9, 1, 9, 1], [9, 1 / 9, 1, 1], [1, 1, 1, 1]]
    with pytest.raises(InconsistentJudgementsError, match="CR"):
        run_scoring(
            con,
            ScoreRequest(scope=SCOPE, method="ahp", weights=matrix, replicates=0),
            created_by="a",
        )
    assert con.execute("select count(*) from score_run").fetchall() == [(0,)]
    assert con.execute("select count(*) from score_result").fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("method", "weights", "message"),
    [
        ("manual", {"A": 0.5, "B": 0.3, "C": 0.1, "D": 0.05}, "sum to 1"),
        ("manual", {"A": 0.5, "B": 0.5}, "missing dimensions"),
        ("manual", {"A": True, "B": 0, "C": 0, "D": 0}, "must be numbers, got A=true"),
        ("manual", {"A": None, "B": 0.5, "C": 0.3, "D": 0.2}, "must be numbers, got A=null"),
        ("ahp", [[1, "2", 1, 1], [0.5, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], "numbers only"),
        ("manual", None, "every dimension"),
        ("equal", {"A": 1.0}, "takes no weights"),
        ("topsis", None, "unknown weighting method"),
        ("entropy", None, "at least 2 standards"),
    ],
)
def test_bad_weights_are_refused(
    con: duckdb.DuckDBPyConnection, method: str, weights: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        run_scoring(
            con,
            ScoreRequest(scope=SCOPE, method=method, weights=weights, replicates=0),
            created_by="a",
        )


def test_entropy_weights_come_from_the_standards_times_dimensions_matrix(
    con: duckdb.DuckDBPyConnection,
) -> None:
    raw = tomllib.loads(
        (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
    )
    raw["evidence"] = {"min_sites": 1, "min_responses": 1}
    equal = compute_scores(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=0, config=raw)
    ).results
    dims = (
        equal.filter((pl.col("year") == "overall") & (pl.col("level") == "dimension"))
        .pivot(on="item", index="standard_code", values="value")
        .drop_nulls()
        .sort("standard_code")
    )
    # Only X and V have all four dimensions overall (Y lacks B and C, Z lacks C).
    assert dims.get_column("standard_code").to_list() == [X, V]
    expected = entropy_weights(dims.select("A", "B", "C", "D"), normalise="minmax")
    outcome = compute_scores(
        con, ScoreRequest(scope=SCOPE, method="entropy", replicates=0, config=raw)
    )
    assert outcome.weights.vector(outcome.config) == pytest.approx(expected)
    # By hand: V is perfect (every dimension 1) and X below it on every dimension,
    # so min-max turns each column into (0, 1): p = (0, 1), e = −(1/ln 2)(0 + 1·ln 1)
    # = 0, d = 1 for all four dimensions → equal weights 1/4.
    assert dims.filter(pl.col("standard_code") == V).select("A", "B", "C", "D").row(0) == (
        1.0,
        1.0,
        1.0,
        1.0,
    )
    assert outcome.weights.vector(outcome.config) == pytest.approx([0.25] * 4, abs=1e-12)
    assert outcome.weights.details["normalise"] == "minmax"
    assert outcome.weights.details["rows"] == [X, V]


def test_reading_an_unknown_run_says_so(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(LookupError, match="没有评价运行"):
        read_run(con, "run-nope")
    with pytest.raises(ValueError, match="created_by"):
        run_scoring(con, ScoreRequest(scope=SCOPE, replicates=0), created_by=" ")


def test_a_warehouse_without_evidence_gives_an_empty_run(tmp_path: Path) -> None:
    from etl.warehouse import init_warehouse

    init_warehouse(tmp_path / "empty.duckdb")
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    try:
        run_id = run_scoring(
            con,
            ScoreRequest(scope=Scope.everything(), replicates=100, shrinkage=True),
            created_by="t",
        )
        assert read_run(con, run_id).height == 0
        assert read_run_meta(con, run_id)["params"]["reliability"] == []
    finally:
        con.close()


# Survey reliability of the tiny warehouse, by hand (listwise: only respondents
# who answered all six q_* items count).
# 2023: R4 answered q_satisfied only → 0 complete respondents: α undefined, warning.
# 2024: R1 (5, 4, 4, 3, 4, 5) and R6 (5, 5, 5, 5, 5, 5) are complete (R2, R3, R5
# skipped items). With two respondents each sample variance is d²/2, d the
# difference: items d = (0, 1, 1, 2, 1, 0) → Σ var_i = (0 + 1 + 1 + 4 + 1 + 0)/2
# = 3.5; totals 25 and 30 → var_total = 25/2 = 12.5;
# α = 6/5 · (1 − 3.5/12.5) = 1.2 · 0.72 = 0.864 ≥ 0.7: no warning.
TINY_RELIABILITY = [
    {"survey_year": 2023, "n_respondents": 0, "alpha": None, "warning": True},
    {"survey_year": 2024, "n_respondents": 2, "alpha": pytest.approx(0.864), "warning": False},
]


def test_a_runs_survey_reliability_is_stored_and_read_back(con: duckdb.DuckDBPyConnection) -> None:
    run_id = run_scoring(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=0), created_by="a"
    )
    stored = read_run_reliability(con, run_id)
    assert stored.columns == ["survey_year", "n_respondents", "alpha", "warning"]
    assert stored.to_dicts() == TINY_RELIABILITY
    meta = read_run_meta(con, run_id)
    assert meta["reliability"] == TINY_RELIABILITY
    assert meta["params"]["reliability"] == TINY_RELIABILITY  # the JSON copy is kept too
    # Two runs keep their own rows: (run_id, survey_year) is the key.
    other = run_scoring(con, ScoreRequest(scope=Scope(year=2024, standard_codes=CODES), method="equal", replicates=0), created_by="b")  # fmt: skip
    assert read_run_reliability(con, other).to_dicts() == TINY_RELIABILITY[1:]
    assert read_run_meta(con, other)["primary_year"] == "2024"
    assert read_run_reliability(con, run_id).to_dicts() == TINY_RELIABILITY
    with pytest.raises(LookupError, match="run-nope"):
        read_run_reliability(con, "run-nope")


def test_a_warehouse_at_version_3_upgrades_with_its_runs(tmp_path: Path) -> None:
    from etl.warehouse import migrate, migrations, schema_version

    con = duckdb.connect(str(tmp_path / "v3.duckdb"))
    try:
        assert migrate(con, target=3) == [1, 2, 3]
        # A run as stdeval stored it before migration 004: settings only in params JSON.
        params = {
            "primary_year": "2024",
            "replicates": 200,
            "level": 0.9,
            "config_version": "2025.1",
            "reliability": [
                {"survey_year": 2023, "n_respondents": 0, "alpha": None, "warning": True},
                {"survey_year": 2024, "n_respondents": 2, "alpha": 0.864, "warning": False},
            ],
        }
        con.execute(
            "insert into score_run (run_id, method, weights, config, fingerprint, code_version,"
            " params, created_by) values ('run-old', 'equal', '{}', '{}', 'f', 'c', ?, 'a')",
            [json.dumps(params)],
        )
        con.execute(
            "insert into score_run (run_id, method, weights, config, fingerprint, code_version,"
            " created_by) values ('run-bare', 'equal', '{}', '{}', 'f', 'c', 'a')"
        )
        con.execute(
            "insert into score_result (run_id, standard_code, year, level, item, value)"
            " values ('run-old', ?, '2024', 'composite', 'score', 61.5),"
            " ('run-old', ?, 'overall', 'composite', 'score', 70.0)",
            [X, X],
        )
        con.execute(
            "insert into funding (record_id, fiscal_year, source_type, funder, recipient, purpose,"
            " flow, amount_cny, standard_code) values"
            " ('F1', 2024, 'central_fiscal', 'A', 'B', 'pilot', 'committed', 100, ?)",
            [X],
        )

        assert migrate(con, target=4) == [4]
        assert schema_version(con) == 4
        meta = read_run_meta(con, "run-old")
        assert (meta["primary_year"], meta["replicates"], meta["level"]) == ("2024", 200, 0.9)
        assert meta["config_version"] == "2025.1"
        assert meta["reliability"] == params["reliability"]
        bare = read_run_meta(con, "run-bare")  # no params: columns stay null, no reliability
        assert (bare["primary_year"], bare["replicates"], bare["reliability"]) == (None, None, [])
        # The funding and award SQL now take the primary year from the column: 2024, not overall.
        money = funding_per_standard(con, scope=Scope.everything(), run_id="run-old")
        assert money.select("standard_code", "score").rows() == [(X, 61.5)]
        assert migrate(con, target=4) == []  # applied once
        assert migrate(con) == [m.version for m in migrations() if m.version >= 5]
    finally:
        con.close()
