"""Every uploaded source (and the catalogue), by name.

Examples
--------
>>> get_source("feedback").key
('site_id', 'standard_code', 'period')
"""

from __future__ import annotations

from datasets.sources import (
    award_nomination,
    award_review,
    feedback,
    funding,
    lifecycle,
    pilot_program,
    pilot_site,
    standard,
    survey,
)
from datasets.spec import SourceSpec

SOURCES: dict[str, SourceSpec] = {
    module.SPEC.name: module.SPEC
    for module in (
        pilot_program,
        pilot_site,
        feedback,
        survey,
        funding,
        award_nomination,
        award_review,
        lifecycle,
        standard,
    )
}


def get_source(name: str) -> SourceSpec:
    """Return the spec of the source called ``name``.

    Raises
    ------
    ValueError
        If there is no such source; the message lists the valid names.
    """
    try:
        return SOURCES[name]
    except KeyError:
        msg = f"unknown source {name!r}; valid sources are: {', '.join(SOURCES)}"
        raise ValueError(msg) from None
