"""The seeded synthetic demo warehouse (合成演示数据): ``stdeval demo``.

:func:`build_demo` fills a warehouse with pilot programmes and sites,
quarterly feedback 2019–2025, yearly adoption surveys, funding, award
nominations and reviews, and standard-project lifecycles, all about the
real standards of the catalogue. The numbers carry a planted signal (each
standard's latent quality per scoring dimension, regional and org-type
effects, adoption that grows after publication, late projects...) which is
recorded in ``demo_truth`` so that tests can check the scoring recovers it.
Same seed and scale, same data.

Every row goes through the upload path (:func:`etl.pipeline.ingest_frame`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from etl.demo.approvals import review_demo
from etl.demo.awards import build_awards
from etl.demo.feedback import build_feedback
from etl.demo.funding import build_funding
from etl.demo.lifecycle import build_lifecycle
from etl.demo.programs import build_programs
from etl.demo.survey import build_survey
from etl.demo.truth import build_truth
from etl.demo.world import World, build_world
from etl.demo.writer import (
    SOURCES,
    UPLOADER,
    conform,
    demo_sha256,
    file_name,
    refuse_real_warehouse,
    remove_earlier_demo,
    write_truth,
)

__all__ = ["STEPS", "DemoFrames", "DemoProgress", "DemoSummary", "build_demo", "generate"]

#: The steps reported to a :class:`DemoProgress`, in order.
STEPS: tuple[str, ...] = ("generate", *SOURCES, "demo_truth")
_GENERATORS = 6  # programs, feedback, survey, funding, awards, lifecycle


class DemoProgress(Protocol):
    """Receives progress: ``start`` a step with its total units, ``advance`` it, ``finish`` it.

    ``generate`` counts generators; a source counts its rows (the first half
    when they are validated, the rest when loaded); ``demo_truth`` its rows.
    """

    def start(self, step: str, total: int) -> None: ...

    def advance(self, step: str, n: int) -> None: ...

    def finish(self, step: str) -> None: ...


@dataclass(frozen=True)
class DemoFrames:
    """The generated frames (canonical typed, by source) and the truth."""

    world: World
    frames: dict[str, pl.DataFrame]
    truth: pl.DataFrame


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` wrote: rows accepted and rejected per table, and timings."""

    path: str
    seed: int
    scale: float
    rows: dict[str, int]
    rejected: dict[str, int]
    seconds: dict[str, float]
    results: dict[str, Any] = field(default_factory=dict, repr=False)
    #: Submissions per status after the demo evaluator's review.
    review: dict[str, int] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        """Wall-clock seconds of the whole build."""
        return sum(self.seconds.values())


def generate(world: World, progress: DemoProgress | None = None) -> DemoFrames:
    """Draw every source's rows from ``world``; return canonical typed frames and the truth.

    No database is touched, so the frames can be checked on their own.
    """
    if progress:
        progress.start("generate", _GENERATORS)

    def step() -> None:
        if progress:
            progress.advance("generate", 1)

    programs = build_programs(world)
    step()
    feedback = build_feedback(world, programs)
    step()
    survey = build_survey(world)
    step()
    funding, overspend = build_funding(world, programs)
    step()
    nomination, review, award_truth = build_awards(world, programs)
    step()
    lifecycle, late = build_lifecycle(world)
    step()
    raw = {
        "pilot_program": programs.program,
        "pilot_site": programs.site,
        "feedback": feedback,
        "survey": survey,
        "funding": funding,
        "award_nomination": nomination,
        "award_review": review,
        "lifecycle": lifecycle,
    }
    frames = {source: conform(source, raw[source]) for source in SOURCES}
    truth = build_truth(world, programs.pairs, overspend, award_truth, late)
    if progress:
        progress.finish("generate")
    return DemoFrames(world=world, frames=frames, truth=truth)


def build_demo(
    path: str | Path,
    *,
    scale: float = 1.0,
    seed: int = 2016,
    progress: DemoProgress | None = None,
) -> DemoSummary:
    """Build the synthetic demo warehouse at ``path``.

    Parameters
    ----------
    path
        The warehouse file; created (``init_warehouse``) when missing. An
        earlier demo in it is replaced; a warehouse holding real uploads is
        refused.
    scale
        Row counts relative to the default (about 50k feedback and 100k
        survey rows at 1.0).
    seed
        The random seed: the same seed and scale give the same data.
    progress
        Optional receiver of step progress (the command line's bars).

    Returns
    -------
    DemoSummary
        Rows accepted and rejected per table, seconds per step.

    Raises
    ------
    ValueError
        If ``scale`` is not positive, or the warehouse holds non-demo data.
    """
    from etl.pipeline import ingest_frame
    from etl.warehouse import connect, init_warehouse

    scale = float(scale)
    if not scale > 0:
        msg = f"--scale 必须大于 0 / --scale must be above 0, got {scale}"
        raise ValueError(msg)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    init_warehouse(path)
    con = connect(path)
    # The caller draws its own progress; DuckDB's bar would write over it.
    con.execute("set enable_progress_bar = false")
    try:
        refuse_real_warehouse(con, str(path))
        world = build_world(con, seed=seed, scale=scale)
        demo = generate(world, progress)
        seconds["generate"] = time.perf_counter() - clock
        remove_earlier_demo(con)
        rows: dict[str, int] = {}
        rejected: dict[str, int] = {}
        results: dict[str, Any] = {}
        for source in SOURCES:
            clock = time.perf_counter()
            frame = demo.frames[source]
            result = ingest_frame(
                con,
                source,
                frame,
                file_name=file_name(source),
                sha256=demo_sha256(source, seed, scale),
                uploader=UPLOADER,
                progress=_relay(progress, source, frame.height),
            )
            if progress:
                progress.finish(source)
            rows[source] = result.rows_accepted
            rejected[source] = result.rows_rejected
            results[source] = result
            seconds[source] = time.perf_counter() - clock
        clock = time.perf_counter()
        review = review_demo(con, seed=seed)
        seconds["review"] = time.perf_counter() - clock
        clock = time.perf_counter()
        if progress:
            progress.start("demo_truth", demo.truth.height)
        rows["demo_truth"] = write_truth(con, demo.truth)
        if progress:
            progress.advance("demo_truth", demo.truth.height)
            progress.finish("demo_truth")
        seconds["demo_truth"] = time.perf_counter() - clock
    finally:
        con.close()
    return DemoSummary(
        path=str(path), seed=seed, scale=scale, rows=rows, rejected=rejected,
        seconds=seconds, results=results, review=review,
    )  # fmt: skip


def _relay(progress: DemoProgress | None, source: str, rows: int):  # noqa: ANN202
    """Turn ingest_frame's ``(stage, done, total)`` calls into this step's progress."""
    if progress is None:
        return None
    progress.start(source, rows)
    half = rows // 2

    def relay(stage: str, done: int, total: int) -> None:
        # Validation is the first half of the bar, loading the second.
        if done and done == total:
            progress.advance(source, half if stage == "validate" else rows - half)

    return relay
