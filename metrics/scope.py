"""What part of the warehouse a computation reads: the caller's scope.

ARCHITECTURE.md: every query that returns rows takes the user's scope, with
no default of "everything". Every public function of ``metrics`` that reads
the warehouse therefore takes ``scope=`` as a required keyword; a caller who
means the whole programme says so with ``Scope.everything()``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Scope"]


@dataclass(frozen=True)
class Scope:
    """A filter on the rows a computation reads; ``None`` means "not restricted".

    Parameters
    ----------
    year
        One year: feedback periods of that year, the survey of that
        ``survey_year``, the funding ``fiscal_year``, the ``award_year``,
        lifecycle projects approved that year. ``None``: every year (scores
        are then given per year and over all years, ``'overall'``).
    standard_codes
        Only these standards (normalised codes, e.g. ``"GB/T 22239-2019"``).
    priority_area
        Only standards of this priority area of §7 (e.g. ``"CII"``).
    region_codes
        Only feedback from pilot sites in these provinces (GB/T 2260 codes)
        and survey responses and funding records from them.

    Examples
    --------
    >>> Scope(year=2024, standard_codes=("GB/T 22239-2019",)).to_params()["year"]
    2024
    >>> Scope.everything() == Scope()
    True
    """

    year: int | None = None
    standard_codes: tuple[str, ...] | None = None
    priority_area: str | None = None
    region_codes: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # A list given by mistake would make the dataclass unhashable and
        # the JSON record ambiguous; keep tuples.
        for name in ("standard_codes", "region_codes"):
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, str):
                    msg = f"Scope.{name} must be a tuple of codes, not one string {value!r}"
                    raise TypeError(msg)
                object.__setattr__(self, name, tuple(value))
        if self.year is not None and (
            isinstance(self.year, bool) or not isinstance(self.year, int)
        ):
            msg = f"Scope.year must be a whole year or None, got {self.year!r}"
            raise TypeError(msg)

    @classmethod
    def everything(cls) -> Scope:
        """The whole programme: every year, standard, area and region."""
        return cls()

    def to_params(self) -> dict[str, Any]:
        """Bound parameters for the SQL files (lists for DuckDB ``varchar[]``)."""
        return {
            "year": self.year,
            "standard_codes": None if self.standard_codes is None else list(self.standard_codes),
            "priority_area": self.priority_area,
            "region_codes": None if self.region_codes is None else list(self.region_codes),
        }

    def to_json(self) -> str:
        """The scope as canonical JSON, as stored with a run."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Scope:
        """Rebuild a scope stored by :meth:`to_json`."""
        data = json.loads(text)
        for name in ("standard_codes", "region_codes"):
            if data.get(name) is not None:
                data[name] = tuple(data[name])
        return cls(**data)
