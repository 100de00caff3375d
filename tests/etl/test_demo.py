"""The synthetic demo warehouse: seeded, well-formed, loaded through validation, with a real signal.

One small demo (scale 0.1) is built once for the module; a second warehouse
first gets another seed and then the same seed again, which checks at once
that a demo is replaced, that another seed gives other data and that the
same seed gives the very same tables.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.demo import build_demo, generate
from etl.demo.world import PERIODS, SURVEY_YEARS, build_world

SEED = 7
SCALE = 0.1
SOURCES = ("pilot_program", "pilot_site", "feedback", "survey", "funding", "award_nomination",
           "award_review", "lifecycle")  # fmt: skip
LIKERT_ITEMS = ("q_useful", "q_usable", "q_current", "q_consistent", "q_testable", "q_satisfied")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    summary = build_demo(path, scale=SCALE, seed=SEED)
    return path, summary


@pytest.fixture(scope="module")
def con(demo) -> duckdb.DuckDBPyConnection:  # noqa: ANN001
    connection = duckdb.connect(str(demo[0]), read_only=True)
    yield connection
    connection.close()


def q(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    return con.cursor().sql(sql, params=params).pl()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):  # noqa: ANN201
    return con.cursor().execute(sql, params or []).fetchall()[0][0]


def table_hashes(path: Path) -> dict[str, str]:
    """md5 of every demo table's canonical content (provenance columns left out)."""
    with duckdb.connect(str(path), read_only=True) as c:
        out = {}
        for table in (*SOURCES, "demo_truth", "pilot_program_standard"):
            body = (
                "select * exclude (source_sha256, loaded_at) from "
                if table in SOURCES
                else ("select * from ")
            )
            out[table] = c.execute(
                "select md5(string_agg(cast(t as varchar), chr(10) order by cast(t as varchar)))"
                f" from ({body}{table}) t"
            ).fetchall()[0][0]
        return out


def spearman(frame: pl.DataFrame, a: str, b: str) -> float:
    return frame.select(pl.corr(a, b, method="spearman")).item()


# --- loading ---------------------------------------------------------------------------------


def test_every_source_is_loaded_through_validation_without_rejections(demo, con) -> None:  # noqa: ANN001
    _, summary = demo
    assert set(summary.rejected) == set(SOURCES)
    assert all(n == 0 for n in summary.rejected.values()), summary.rejected
    log = q(con, "select source, uploader, status, rows_read, rows_accepted, rows_rejected,"
                 " sha256, file_name from ingest_log order by ingest_id")  # fmt: skip
    assert log["source"].to_list() == list(SOURCES)
    # The README's recipe: sha256 of "demo:{source}:{seed}:{scale}", no file bytes.
    assert log.row(2, named=True)["sha256"] == hashlib.sha256(b"demo:feedback:7:0.1").hexdigest()
    assert log.row(2, named=True)["file_name"] == "demo-feedback.parquet"
    assert set(log["uploader"]) == {"demo"}
    assert set(log["status"]) == {"loaded"}
    assert (log["rows_rejected"] == 0).all()
    assert (log["rows_read"] == log["rows_accepted"]).all()
    for source in SOURCES:
        assert summary.rows[source] == one(con, f"select count(*) from {source}") > 0
    assert one(con, "select count(*) from rejected_row") == 0


def test_same_seed_gives_identical_tables_and_another_seed_does_not(demo, tmp_path) -> None:  # noqa: ANN001
    path, _ = demo
    twin = tmp_path / "twin.duckdb"
    build_demo(twin, scale=SCALE, seed=SEED + 1)
    other = table_hashes(twin)
    build_demo(twin, scale=SCALE, seed=SEED)  # replaces the earlier demo in place
    same = table_hashes(twin)
    mine = table_hashes(path)
    assert same == mine
    for table in ("feedback", "survey", "funding", "award_review", "lifecycle", "demo_truth"):
        assert other[table] != mine[table], table
    with duckdb.connect(str(twin), read_only=True) as c:
        assert c.execute("select count(*) from ingest_log").fetchall()[0][0] == len(SOURCES)
        assert c.execute("select count(*) from row_replacement").fetchall()[0][0] == 0


def test_refuses_a_warehouse_holding_real_uploads(tmp_path) -> None:  # noqa: ANN001
    from datasets.sources import get_source
    from etl.pipeline import ingest_frame
    from etl.warehouse import connect, init_warehouse

    path = tmp_path / "real.duckdb"
    init_warehouse(path)
    frame = pl.DataFrame(
        {"program_id": ["P-REAL"], "name": ["真实试点项目"], "lead_department": [None],
         "start_date": [None], "end_date": [None], "standards": [None]},
        schema=get_source("pilot_program").polars_schema(),
    )  # fmt: skip
    with connect(path) as c:
        result = ingest_frame(c, "pilot_program", frame, file_name="real.csv", sha256="ab" * 32,
                              uploader="alice")  # fmt: skip
        assert result.rows_accepted == 1
    with pytest.raises(ValueError, match="真实上传数据") as err:
        build_demo(path, scale=0.02, seed=1)
    assert "already holds uploaded data" in str(err.value)
    with duckdb.connect(str(path), read_only=True) as c:
        assert c.execute("select program_id from pilot_program").fetchall() == [("P-REAL",)]
        assert c.execute("select count(*) from demo_truth").fetchall()[0][0] == 0


# --- shape -----------------------------------------------------------------------------------


def test_row_counts_follow_the_scale(con) -> None:  # noqa: ANN001
    small = generate(build_world(con.cursor(), seed=SEED, scale=0.05)).frames
    large = generate(build_world(con.cursor(), seed=SEED, scale=0.2)).frames
    for source in ("feedback", "survey", "pilot_site", "funding"):
        ratio = large[source].height / small[source].height
        assert 3.0 < ratio < 5.0, (source, ratio)


@pytest.mark.slow
def test_default_scale_is_about_50k_feedback_and_100k_survey_rows(con) -> None:  # noqa: ANN001
    frames = generate(build_world(con.cursor(), seed=2016, scale=1.0)).frames
    assert 40_000 <= frames["feedback"].height <= 60_000
    assert 90_000 <= frames["survey"].height <= 110_000
    assert 300 <= frames["pilot_site"].height <= 900


def test_periods_run_2019_q1_to_2025_q4_and_surveys_every_year(con) -> None:  # noqa: ANN001
    periods = set(q(con, "select distinct period from feedback")["period"])
    assert periods <= set(PERIODS)
    assert {"2019-Q1", "2025-Q4"} <= periods
    assert len(periods) == 28
    years = q(con, "select distinct survey_year from survey order by 1")["survey_year"].to_list()
    assert years == list(SURVEY_YEARS)


def test_evidence_only_for_standards_published_before_the_period(con) -> None:  # noqa: ANN001
    early_feedback = one(
        con,
        """
        select count(*) from feedback f join standard s on s.code = f.standard_code
        where coalesce(s.published, make_date(s.code_year, 12, 31))
              >= make_date(cast(left(f.period, 4) as int), 3 * cast(right(f.period, 1) as int) - 2, 1)
           or (s.published is null and s.code_year is null)""",
    )
    early_survey = one(
        con,
        """
        select count(*) from survey v join standard s on s.code = v.standard_code
        where coalesce(s.published, make_date(s.code_year, 12, 31)) >= make_date(v.survey_year, 1, 1)
           or (s.published is null and s.code_year is null)""",
    )
    assert early_feedback == 0
    assert early_survey == 0


def test_every_reference_resolves(con) -> None:  # noqa: ANN001
    orphans = {
        "feedback.site_id": "select count(*) from feedback where site_id not in (select site_id from pilot_site)",
        "pilot_site.program_id": "select count(*) from pilot_site where program_id not in (select program_id from pilot_program)",
        "pilot_site.region_code": "select count(*) from pilot_site where region_code not in (select code from region)",
        "pilot_site.org_type": "select count(*) from pilot_site where org_type not in (select id from org_type)",
        "survey.region_code": "select count(*) from survey where region_code not in (select code from region)",
        "survey.org_type": "select count(*) from survey where org_type not in (select id from org_type)",
        "funding.program_id": "select count(*) from funding where program_id not in (select program_id from pilot_program)",
        "funding.region_code": "select count(*) from funding where region_code not in (select code from region)",
        "award_review.nomination_id": "select count(*) from award_review where nomination_id not in (select nomination_id from award_nomination)",
        "programme links": "select count(*) from pilot_program_standard where standard_code not in (select code from standard)",
    }  # fmt: skip
    for table, column in (("feedback", "standard_code"), ("survey", "standard_code"),
                          ("funding", "standard_code"), ("award_nomination", "standard_code"),
                          ("lifecycle", "published_code")):  # fmt: skip
        orphans[f"{table}.{column}"] = (
            f"select count(*) from {table} where {column} not in (select code from standard)"
        )
    found = {name: one(con, sql) for name, sql in orphans.items()}
    assert all(n == 0 for n in found.values()), found
    # Every site reports only on standards its programme lists.
    unlisted = one(
        con,
        """
        select count(*) from (select distinct f.site_id, f.standard_code from feedback f) f
        join pilot_site s using (site_id)
        anti join pilot_program_standard l
          on l.program_id = s.program_id and l.standard_code = f.standard_code""",
    )
    assert unlisted == 0


def test_status_only_moves_forward_and_coverage_grows_with_it(con) -> None:  # noqa: ANN001
    steps = q(
        con,
        """
        select site_id, standard_code, period,
               case status when 'not_started' then 0 when 'in_progress' then 1 else 2 end as s,
               coverage_pct
        from feedback order by site_id, standard_code, period""",
    )
    backwards = steps.with_columns(
        prev=pl.col("s").shift().over("site_id", "standard_code")
    ).filter(pl.col("s") < pl.col("prev"))
    assert backwards.height == 0
    by_status = steps.group_by("s").agg(pl.col("coverage_pct").mean()).sort("s")
    assert by_status["s"].to_list() == [0, 1, 2]
    cover = by_status["coverage_pct"].to_list()
    assert cover[0] == 0.0 < cover[1] < cover[2] <= 100.0


def test_funding_has_every_source_both_flows_and_only_the_planted_overspends(con) -> None:  # noqa: ANN001
    sources = set(q(con, "select distinct source_type from funding")["source_type"])
    assert {"central_fiscal", "local_fiscal", "enterprise", "foundation"} <= sources
    assert set(q(con, "select distinct flow from funding")["flow"]) == {"committed", "disbursed"}
    groups = q(
        con,
        """
        select funder, recipient, purpose, fiscal_year,
               sum(amount_cny) filter (where flow = 'committed') as committed,
               coalesce(sum(amount_cny) filter (where flow = 'disbursed'), 0) as disbursed,
               min(record_id) filter (where flow = 'committed') as commitment
        from funding group by all""",
    )
    over = set(groups.filter(pl.col("disbursed") > pl.col("committed"))["commitment"])
    planted = set(q(con, "select key from demo_truth where kind = 'funding_overspend'")["key"])
    assert over == planted
    assert 0 < len(over) < 0.1 * groups.height
    assert one(con, "select count(*) from funding where amount_cny <= 0") == 0


def test_juries_have_5_to_7_judges_and_some_conflicts(con) -> None:  # noqa: ANN001
    juries = q(con, "select nomination_id, count(distinct judge_id) n, count(*) rows"
                    " from award_review group by 1")  # fmt: skip
    assert juries["n"].min() >= 5
    assert juries["n"].max() <= 7
    assert (juries["rows"] == 4 * juries["n"]).all()  # four criteria per judge
    assert one(con, "select count(*) from award_review where conflict_of_interest") > 0
    years = q(con, "select distinct award_year from award_nomination order by 1")["award_year"]
    assert years.to_list() == list(range(2018, 2026))
    nominations = q(con, "select status, level, prize_cny from award_nomination")
    awarded = nominations.filter(pl.col("status") == "awarded")
    assert awarded.height > 0
    assert awarded["level"].null_count() == 0
    assert nominations.filter(pl.col("status") != "awarded")["level"].null_count() == (
        nominations.height - awarded.height
    )


def test_lifecycle_dates_run_forward_and_late_projects_are_the_planted_ones(con) -> None:  # noqa: ANN001
    stages = ["approved", "draft", "consultation", "review", "approval", "published"]
    life = q(con, f"select project_id, published_code, {', '.join(stages)} from lifecycle")
    for earlier, later in zip(stages, stages[1:], strict=False):
        bad = life.filter(pl.col(later) < pl.col(earlier))
        assert bad.height == 0, (earlier, later)
    late = set(
        q(
            con,
            """
        select project_id from lifecycle
        where date_diff('day', approved, coalesce(published, date '2025-12-31')) > 730""",
        )["project_id"]
    )
    planted = set(q(con, "select key from demo_truth where kind = 'late_project'")["key"])
    assert late == planted
    assert len(late) >= 1
    assert life.filter(pl.col("published").is_null()).height > 0  # some still open
    assert life["published_code"].drop_nulls().n_unique() > 10


# --- the planted signal ------------------------------------------------------------------------


def _quality(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return q(con, "select key as code, dimension, value from demo_truth"
                  " where kind = 'standard_quality'").pivot(on="dimension", index="code", values="value")  # fmt: skip


def test_better_standards_get_better_answers(con) -> None:  # noqa: ANN001
    quality = _quality(con)
    feedback = q(
        con,
        """
        select standard_code as code, avg((applicability + operability) / 2.0) as a_items,
               avg(satisfaction) as d_items, count(*) as n
        from feedback group by 1 having count(*) >= 20""",
    ).join(quality, on="code")
    assert feedback.height >= 20
    assert spearman(feedback, "a_items", "A") > 0.5
    assert spearman(feedback, "d_items", "D") > 0.5
    survey = q(
        con,
        """
        select standard_code as code, avg(q_useful) as useful, avg(q_testable) as testable,
               avg(aware::int) as aware, count(*) as n
        from survey group by 1 having count(*) >= 30""",
    ).join(quality, on="code")
    assert survey.height >= 20
    assert spearman(survey, "useful", "A") > 0.5
    assert spearman(survey, "testable", "B") > 0.5
    assert spearman(survey, "aware", "B") > 0.3


def test_incidents_fall_more_once_implementation_is_complete(con) -> None:  # noqa: ANN001
    drop = q(
        con,
        """
        select status, 1 - sum(incidents_after) / sum(incidents_before) as reduction
        from feedback where incidents_before is not null group by 1""",
    )
    by = dict(zip(drop["status"], drop["reduction"], strict=True))
    assert "not_started" not in by  # nothing implemented, nothing to compare
    assert 0 < by["in_progress"] < by["completed"] < 1


def test_adoption_rises_with_years_since_publication(con) -> None:  # noqa: ANN001
    shares = q(
        con,
        """
        with aged as (
            select date_diff('day', coalesce(s.published, make_date(s.code_year, 7, 1)),
                             make_date(v.survey_year, 7, 1)) / 365.25 as years,
                   v.adoption in ('partial', 'full') as adopted
            from survey v join standard s on s.code = v.standard_code)
        select case when years < 2 then 0 when years < 4 then 1 else 2 end as band,
               avg(adopted::int) as share
        from aged group by 1 order by 1""",
    )
    assert shares["band"].to_list() == [0, 1, 2]
    low, mid, high = shares["share"].to_list()
    assert low < mid < high


def _residuals(con: duckdb.DuckDBPyConnection, by: str) -> pl.DataFrame:
    items = " + ".join(LIKERT_ITEMS)
    return q(
        con,
        f"""
        with rated as (
            select {by} as key, standard_code, ({items} - 6) / 24.0 as x from survey where aware),
        per_standard as (select standard_code, avg(x) as m from rated group by 1)
        select key, avg(x - m) as resid from rated join per_standard using (standard_code)
        group by 1""",
    )  # noqa: S608 - ``by`` is a column name from this module


def test_region_and_org_type_effects_are_visible(con) -> None:  # noqa: ANN001
    for kind, by, floor in (
        ("region_effect", "region_code", 0.5),
        ("org_type_effect", "org_type", 0.8),
    ):
        planted = q(
            con, "select key, value from demo_truth where kind = ? and dimension = 'likert'", [kind]
        )
        joined = _residuals(con, by).join(planted, on="key")
        assert joined.height == planted.height
        assert spearman(joined, "resid", "value") > floor, kind


def test_some_standards_have_insufficient_evidence(con) -> None:  # noqa: ANN001
    evidence = q(
        con,
        """
        select t.key as code,
               (select count(distinct site_id) from feedback f where f.standard_code = t.key) as sites,
               (select count(*) from survey v where v.standard_code = t.key) as responses
        from demo_truth t where t.kind = 'sparse_standard'""",
    )
    assert evidence.height >= 3
    assert (evidence["sites"] < 5).all()
    assert (evidence["responses"] < 30).all()
    assert (evidence["responses"] + evidence["sites"] > 0).any()


def test_demo_truth_records_seed_scale_and_every_kind(con) -> None:  # noqa: ANN001
    kinds = set(q(con, "select distinct kind from demo_truth")["kind"])
    assert kinds == {"meta", "standard_quality", "sparse_standard", "region_effect",
                     "org_type_effect", "late_project", "funding_overspend", "award_merit",
                     "award_conflict"}  # fmt: skip
    meta = dict(q(con, "select key, value from demo_truth where kind = 'meta'").iter_rows())
    assert meta["seed"] == SEED
    assert meta["scale"] == SCALE
    assert not any("generated" in k or "time" in k for k in meta)
    quality = _quality(con)
    assert set(quality.columns) == {"code", "A", "B", "C", "D", "overall"}
    # Each dimension is clipped to 0.15–0.95; overall is their plain mean (both rounded to 4 places).
    dims = quality.select("A", "B", "C", "D").to_numpy()
    assert ((dims >= 0.15) & (dims <= 0.95)).all()
    assert abs(quality["overall"].to_numpy() - dims.mean(axis=1)).max() <= 0.0003
    known = set(q(con, "select code from standard")["code"])
    assert set(quality["code"]) <= known


def test_cli_demo_prints_the_synthetic_notice_and_a_summary(tmp_path) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from app.cli import cli

    path = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(cli, ["demo", "--db", str(path), "--scale", "0.02", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "合成演示数据 / synthetic demo data" in result.output
    assert "feedback" in result.output and "total" in result.output
    with duckdb.connect(str(path), read_only=True) as c:
        assert c.execute("select value from demo_truth where kind = 'meta' and key = 'seed'"
                         ).fetchall() == [(3.0,)]  # fmt: skip
