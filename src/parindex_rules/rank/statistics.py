"""Group statistics over ranked units: count, mean, median, min and max, computed exactly.

The mean of indices is an exact fraction when the division does not terminate; values are
rounded once, when shown, with the ruleset's places and mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex_rules.numbers import (
    Number,
    RoundingMode,
    add,
    div,
    format_rounded,
    total,
)


@dataclass(frozen=True)
class Summary:
    """Mean, median, min and max of a list of exact values (None for an empty list)."""

    count: int
    mean: Number | None
    median: Number | None
    min: Number | None
    max: Number | None

    @classmethod
    def of(cls, values: Sequence[Number]) -> Summary:
        if not values:
            return cls(0, None, None, None, None)
        ordered = sorted(values)  # decimals and fractions compare exactly with each other
        n = len(ordered)
        mid = n // 2
        median = ordered[mid] if n % 2 else div(add(ordered[mid - 1], ordered[mid]), Decimal(2))
        return cls(n, div(total(list(ordered)), Decimal(n)), median, ordered[0], ordered[-1])

    def to_json(self, places: int, mode: RoundingMode) -> dict[str, str | None]:
        def show(value: Number | None) -> str | None:
            return None if value is None else format_rounded(value, places, mode)

        return {
            "mean": show(self.mean),
            "median": show(self.median),
            "min": show(self.min),
            "max": show(self.max),
        }


@dataclass(frozen=True)
class GroupStatistics:
    """One ranking group: how many units were ranked, and summaries of their indices."""

    group: str
    count: int
    index: Summary
    fields: dict[str, Summary] = field(default_factory=dict)

    def to_json(self, places: int, mode: RoundingMode) -> dict[str, Any]:
        return {
            "count": self.count,
            "index": self.index.to_json(places, mode),
            "fields": {k: v.to_json(places, mode) for k, v in self.fields.items()},
        }


def group_statistics(
    group: str,
    indices: Sequence[Number],
    field_indices: dict[str, list[Number]],
) -> GroupStatistics:
    """`indices`: the ranked units' overall indices; `field_indices`: per field, the indices of
    the units that have one (a field wholly not applicable to a unit has none)."""
    return GroupStatistics(
        group=group,
        count=len(indices),
        index=Summary.of(indices),
        fields={k: Summary.of(v) for k, v in field_indices.items()},
    )
