"""Classification bands on the index: "≥ 90 % group A, 80 % to under 90 % group B", or
Tốt / Khá / Trung bình / Yếu.

Bands are written as decisions word them (từ/trên/đến/dưới, see :mod:`parindex_rules.intervals`).
A unit whose index falls in no band has no class. The index is judged as ranking judges it
(rounded to the declared places by default), so a published 90.00 is in group A.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parindex_rules.intervals import BoundsLike, Interval
from parindex_rules.numbers import Number


@dataclass(frozen=True)
class ClassBand:
    label: str
    interval: Interval

    def words(self) -> str:
        return f"{self.label}: {self.interval.words('%')}"


@dataclass(frozen=True)
class Classifier:
    """The ruleset's bands, in declared order; the first band holding the value gives the class."""

    bands: tuple[ClassBand, ...] = ()

    @classmethod
    def from_bounds(cls, bands: Sequence[tuple[str, BoundsLike]]) -> Classifier:
        return cls(tuple(ClassBand(label, Interval.from_bounds(b)) for label, b in bands))

    def __bool__(self) -> bool:
        return bool(self.bands)

    def classify(self, value: Number | None) -> str | None:
        if value is None:
            return None
        for band in self.bands:
            if band.interval.contains(value):
                return band.label
        return None
