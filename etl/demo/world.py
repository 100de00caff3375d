"""The latent truth of the demo: standards' qualities, regional and org-type effects.

Everything the generators draw from is decided here, once, from the seed, so
that ``demo_truth`` can record it and tests can check that the scoring
recovers it.

Scales (documented in ``demo_truth`` kind ``meta``):

- A standard's quality per dimension (A technical content, B implementation,
  C benefit, D satisfaction) is on the 0–1 scale of SCORING.md's normalised
  Likert value (x − 1) / 4: a standard with quality 0.7 in A is answered, on
  average over respondents with zero effects, about 1 + 4 × 0.7 = 3.8 on its
  A items. ``overall`` is the plain mean of the four.
- Region and org-type effects: ``likert`` is added to that 0–1 latent of every
  Likert answer given by a site or respondent there; ``awareness`` and
  ``adoption`` shift the logit of knowing the standard and the latent of
  adopting it.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import duckdb
import numpy as np
import polars as pl

from etl.demo.names import EAST, PROVINCE_SHORT, PROVINCE_WEIGHT

FIRST_YEAR = 2019
LAST_YEAR = 2025
PERIODS: tuple[str, ...] = tuple(
    f"{y}-Q{q}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)
)
N_PERIODS = len(PERIODS)
SURVEY_YEARS: tuple[int, ...] = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
# The demo's "today": open lifecycle projects are judged at this date, never at
# the wall clock, so the same seed always gives the same warehouse.
HORIZON = dt.date(LAST_YEAR, 12, 31)

# Planted org-type effects: (likert on the 0–1 scale, awareness logit, adoption latent).
# Testing bodies and research institutes know the standards best and judge
# them most critically; government bodies are the most lenient.
ORG_TYPE_EFFECTS: dict[str, tuple[float, float, float]] = {
    "enterprise": (0.00, 0.0, 0.15),
    "university": (-0.03, -0.3, -0.35),
    "research_institute": (-0.05, 0.5, -0.1),
    "testing_body": (-0.07, 1.0, 0.25),
    "user": (0.04, -0.6, -0.2),
    "government": (0.07, 0.3, 0.3),
}
# Shares of org types among pilot sites and among survey respondents.
ORG_TYPE_SITE_SHARE: dict[str, float] = {
    "enterprise": 0.45, "university": 0.07, "research_institute": 0.08,
    "testing_body": 0.07, "user": 0.25, "government": 0.08,
}  # fmt: skip
ORG_TYPE_SURVEY_SHARE: dict[str, float] = {
    "enterprise": 0.50, "university": 0.08, "research_institute": 0.07,
    "testing_body": 0.05, "user": 0.22, "government": 0.08,
}  # fmt: skip

DIMENSIONS: tuple[str, ...] = ("A", "B", "C", "D")


def period_start(index: int) -> dt.date:
    """Return the first day of period ``index`` (0 is 2019-Q1).

    Examples
    --------
    >>> period_start(5)
    datetime.date(2020, 4, 1)
    """
    return dt.date(FIRST_YEAR + index // 4, (index % 4) * 3 + 1, 1)


def first_period_after(day: dt.date | None) -> int:
    """Return the index of the first period that starts after ``day`` (N_PERIODS if none)."""
    if day is None:
        return N_PERIODS
    for i in range(N_PERIODS):
        if period_start(i) > day:
            return i
    return N_PERIODS


@dataclass(frozen=True)
class World:
    """The seed, the scale and the latent truth every generator draws from.

    ``standards`` has one row per catalogue standard: code, priority_area,
    category, title_zh, pub_date (publication, or 1 July of the code year),
    avail (publication, or 31 December of the code year), first_q / last_q
    (the periods in which it may get evidence), prominence, qA…qD, overall
    and sparse (planted to have too little evidence).
    """

    seed: int
    scale: float
    standards: pl.DataFrame
    regions: pl.DataFrame
    org_types: pl.DataFrame

    def rng(self, stream: str) -> np.random.Generator:
        """Return a generator for one named stream, independent of every other stream."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode("utf-8"))])

    def count(self, base: float, *, minimum: int = 1) -> int:
        """Return ``base`` rows scaled by the demo's scale, at least ``minimum``."""
        return max(minimum, round(base * self.scale))

    def published_before(self, year: int) -> np.ndarray:
        """Mask over ``standards``: published before ``year`` began and not yet replaced."""
        q = 4 * (year - FIRST_YEAR)
        std = self.standards
        ok = (std["avail"] < dt.date(year, 1, 1)) & (std["last_q"] >= q)
        return ok.fill_null(False).to_numpy()

    @property
    def evidence_standards(self) -> pl.DataFrame:
        """Standards that may get feedback and survey rows in some period, not sparse."""
        return self.standards.filter((pl.col("first_q") <= pl.col("last_q")) & ~pl.col("sparse"))


def _catalogue(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    # A cursor of its own: the caller's connection may hold an unfinished result.
    return (
        con.cursor()
        .sql(
            "select code, title_zh, category, published, code_year, priority_area, replaces"
            " from standard order by code"
        )
        .pl()
    )


def _availability(cat: pl.DataFrame) -> pl.DataFrame:
    """Add pub_date, first_q and last_q: when a standard may get evidence.

    A standard gets rows only for periods that start after it was published
    (or after the end of its code year, when the publication date is not
    known). An edition that a later one replaces stops getting rows one year
    after the new edition's publication (a transition year).
    """
    known = dict(zip(cat["code"], cat["published"], strict=True))
    end_by_code: dict[str, dt.date] = {}
    for published, replaces in zip(cat["published"], cat["replaces"], strict=True):
        if published is None or not replaces:
            continue
        for old in str(replaces).replace("；", ";").split(";"):
            old = old.strip()
            if old in known:
                end = published + dt.timedelta(days=365)
                end_by_code[old] = min(end, end_by_code.get(old, end))
    first_q, last_q, pub_dates, avails = [], [], [], []
    for code, published, code_year in zip(
        cat["code"], cat["published"], cat["code_year"], strict=True
    ):
        if published is not None:
            avail: dt.date | None = published
            pub_dates.append(published)
        elif code_year is not None:
            avail = dt.date(int(code_year), 12, 31)
            pub_dates.append(dt.date(int(code_year), 7, 1))
        else:
            avail = None
            pub_dates.append(None)
        avails.append(avail)
        first_q.append(first_period_after(avail))
        end = end_by_code.get(code)
        last_q.append(N_PERIODS - 1 if end is None else first_period_after(end) - 1)
    return cat.with_columns(
        pl.Series("pub_date", pub_dates, dtype=pl.Date),
        pl.Series("avail", avails, dtype=pl.Date),
        pl.Series("first_q", first_q, dtype=pl.Int32),
        pl.Series("last_q", last_q, dtype=pl.Int32),
    )


def _qualities(cat: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Draw each standard's latent quality per dimension, prominence and sparsity."""
    n = cat.height
    common = rng.normal(size=n)
    specific = rng.normal(size=(n, 4))
    # One common factor (a good standard tends to be good throughout) plus a
    # dimension-specific part, so that the dimensions can rank differently.
    q = np.clip(0.60 + 0.11 * common[:, None] + 0.07 * specific, 0.15, 0.95)
    mandatory = (cat["category"] == "GB").to_numpy()
    # Mandatory standards are implemented more (B): compliance is required.
    q[:, 1] = np.clip(q[:, 1] + 0.05 * mandatory, 0.15, 0.95)
    prominence = rng.lognormal(0.0, 0.7, size=n) * np.where(mandatory, 3.0, 1.0)
    year = np.array([d.year if d is not None else 1990 for d in cat["pub_date"]])
    prominence *= np.where(year < 2012, 0.5, 1.0)

    frame = cat.with_columns(
        pl.Series("prominence", prominence),
        *(pl.Series(f"q{d}", q[:, i]) for i, d in enumerate(DIMENSIONS)),
        pl.Series("overall", q.mean(axis=1)),
    )
    # About one standard in ten that could have evidence gets very little of
    # it (fewer than 5 sites and fewer than 30 survey responses), so that the
    # insufficient-evidence flag of SCORING.md §3 is exercised.
    eligible = np.flatnonzero(
        (frame["first_q"] <= frame["last_q"]).to_numpy() & (frame["first_q"] < 20).to_numpy()
    )
    n_sparse = min(len(eligible), max(3, round(0.1 * len(eligible))))
    sparse = np.zeros(n, dtype=bool)
    sparse[rng.choice(eligible, size=n_sparse, replace=False)] = True
    return frame.with_columns(pl.Series("sparse", sparse))


def _regions(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> pl.DataFrame:
    known = dict(con.execute("select code, name_zh from region").fetchall())
    codes = [c for c in PROVINCE_SHORT if c in known]
    if not codes:
        msg = "the region table holds no mainland province: run init_warehouse first"
        raise RuntimeError(msg)
    east = np.array([c in EAST for c in codes])
    likert = 0.035 * rng.normal(size=len(codes)) + 0.02 * east
    awareness = 0.3 * rng.normal(size=len(codes)) + 0.4 * east
    return pl.DataFrame(
        {
            "code": codes,
            "short": [PROVINCE_SHORT[c] for c in codes],
            "name_zh": [known[c] for c in codes],
            "weight": [PROVINCE_WEIGHT[c] for c in codes],
            "likert": np.round(likert - likert.mean(), 4),
            "awareness": np.round(awareness - awareness.mean(), 4),
        }
    )


def _org_types(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    known = {r[0] for r in con.execute("select id from org_type").fetchall()}
    ids = [i for i in ORG_TYPE_EFFECTS if i in known]
    missing = set(ORG_TYPE_EFFECTS) - known
    if missing:
        msg = f"the org_type table lacks {sorted(missing)}: run init_warehouse first"
        raise RuntimeError(msg)
    return pl.DataFrame(
        {
            "id": ids,
            "likert": [ORG_TYPE_EFFECTS[i][0] for i in ids],
            "awareness": [ORG_TYPE_EFFECTS[i][1] for i in ids],
            "adoption": [ORG_TYPE_EFFECTS[i][2] for i in ids],
            "site_share": [ORG_TYPE_SITE_SHARE[i] for i in ids],
            "survey_share": [ORG_TYPE_SURVEY_SHARE[i] for i in ids],
        }
    )


def build_world(con: duckdb.DuckDBPyConnection, *, seed: int, scale: float) -> World:
    """Read the reference data behind ``con`` and draw the latent truth from ``seed``."""
    cat = _catalogue(con)
    if cat.height == 0:
        msg = "the standard catalogue is empty: run init_warehouse first"
        raise RuntimeError(msg)
    probe = World(seed, scale, cat, pl.DataFrame(), pl.DataFrame())
    standards = _qualities(_availability(cat), probe.rng("standards"))
    return World(
        seed=seed,
        scale=scale,
        standards=standards,
        regions=_regions(con, probe.rng("regions")),
        org_types=_org_types(con),
    )
