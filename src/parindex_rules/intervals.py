"""Intervals written as decisions word them, and checks that a set of them has no gap or overlap.

"từ 80% đến dưới 100%" is ``from: 80, below: 100``, i.e. [80, 100). The words map one to one:
từ = from (included), trên = above (excluded), đến = to (included), dưới = below (excluded).
Used by band scoring and by classification bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from parindex_rules.numbers import Number, compare, format_exact


class BoundsLike(Protocol):
    @property
    def from_(self) -> Decimal | None: ...
    @property
    def above(self) -> Decimal | None: ...
    @property
    def to(self) -> Decimal | None: ...
    @property
    def below(self) -> Decimal | None: ...
    @property
    def equals(self) -> Decimal | None: ...


@dataclass(frozen=True)
class Interval:
    """A real interval; None bounds are infinite."""

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool

    @classmethod
    def from_bounds(cls, bounds: BoundsLike) -> Interval:
        if bounds.equals is not None:
            return cls(bounds.equals, True, bounds.equals, True)
        if bounds.from_ is not None:
            low, low_closed = bounds.from_, True
        elif bounds.above is not None:
            low, low_closed = bounds.above, False
        else:
            low, low_closed = None, False
        if bounds.to is not None:
            high, high_closed = bounds.to, True
        elif bounds.below is not None:
            high, high_closed = bounds.below, False
        else:
            high, high_closed = None, False
        return cls(low, low_closed, high, high_closed)

    def contains(self, value: Number) -> bool:
        if self.low is not None:
            c = compare(value, self.low)
            if c < 0 or (c == 0 and not self.low_closed):
                return False
        if self.high is not None:
            c = compare(value, self.high)
            if c > 0 or (c == 0 and not self.high_closed):
                return False
        return True

    @property
    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        if self.low > self.high:
            return True
        return self.low == self.high and not (self.low_closed and self.high_closed)

    def notation(self, unit: str = "") -> str:
        """Mathematical notation: [80%, 100%)."""
        if self.low is not None and self.low == self.high:
            return f"= {format_exact(self.low)}{unit}"
        left = "-∞" if self.low is None else f"{format_exact(self.low)}{unit}"
        right = "+∞" if self.high is None else f"{format_exact(self.high)}{unit}"
        return f"{'[' if self.low_closed else '('}{left}, {right}{']' if self.high_closed else ')'}"

    def words(self, unit: str = "") -> str:
        """The decision's own way of saying it: "từ 80% đến dưới 100%"."""
        if self.low is not None and self.low == self.high:
            return f"bằng {format_exact(self.low)}{unit}"
        parts = []
        if self.low is not None:
            parts.append(f"{'từ' if self.low_closed else 'trên'} {format_exact(self.low)}{unit}")
        if self.high is not None:
            word = "đến" if self.high_closed else "dưới"
            if self.low is not None and not self.high_closed:
                word = "đến dưới"
            parts.append(f"{word} {format_exact(self.high)}{unit}")
        return " ".join(parts) if parts else "mọi giá trị"


def bound_problems(bounds: BoundsLike) -> list[str]:
    """Contradictions inside one band's bounds (two lower bounds, an empty interval, ...)."""
    problems = []
    if bounds.equals is not None and any(
        b is not None for b in (bounds.from_, bounds.above, bounds.to, bounds.below)
    ):
        problems.append("`equals` cannot be combined with other bounds")
    if bounds.from_ is not None and bounds.above is not None:
        problems.append("a band has one lower bound: `from` (từ) or `above` (trên), not both")
    if bounds.to is not None and bounds.below is not None:
        problems.append("a band has one upper bound: `to` (đến) or `below` (dưới), not both")
    if not problems and Interval.from_bounds(bounds).empty:
        problems.append("the band's bounds leave no value inside it")
    return problems


@dataclass(frozen=True)
class CoverageProblem:
    kind: str  # "gap" or "overlap"
    first: int  # index of the band (in declared order) before the problem
    second: int | None  # index of the band after it (None: at the domain's edge)
    text: str


def _low_key(interval: Interval) -> tuple[int, Decimal, int]:
    if interval.low is None:
        return (0, Decimal(0), 0)
    return (1, interval.low, 0 if interval.low_closed else 1)


def _has_integer(low: Decimal, low_closed: bool, high: Decimal, high_closed: bool) -> bool:
    import math

    start = math.ceil(low)
    if start == low and not low_closed:
        start += 1
    end = math.floor(high)
    if end == high and not high_closed:
        end -= 1
    return start <= end


def _reaches_further(candidate: Interval, current: Interval) -> bool:
    """Whether `candidate` reaches past the upper bound of `current`."""
    if current.high is None:
        return False
    if candidate.high is None:
        return True
    c = compare(candidate.high, current.high)
    return c > 0 or (c == 0 and candidate.high_closed and not current.high_closed)


def _hole(interval: Interval, unit: str) -> str:
    if interval.low is not None and interval.low == interval.high:
        return f"no band covers exactly {format_exact(interval.low)}{unit}"
    return f"no band covers values {interval.notation(unit)}"


def coverage_problems(
    intervals: list[Interval],
    domain: Interval,
    *,
    integers_only: bool = False,
    unit: str = "",
) -> list[CoverageProblem]:
    """Gaps and overlaps of `intervals` over `domain`. With `integers_only`, a gap that holds no
    whole number (between "3" and "4" meetings) is not a gap."""
    order = sorted(range(len(intervals)), key=lambda i: _low_key(intervals[i]))
    problems: list[CoverageProblem] = []

    def gap(low: Decimal | None, lc: bool, high: Decimal | None, hc: bool) -> bool:
        if integers_only and low is not None and high is not None:
            return _has_integer(low, lc, high, hc)
        return True

    # The domain's lower edge.
    first = intervals[order[0]] if order else None
    if first is not None and domain.low is not None:
        if first.low is not None:
            c = compare(first.low, domain.low)
            if (c > 0 or (c == 0 and domain.low_closed and not first.low_closed)) and gap(
                domain.low, domain.low_closed, first.low, not first.low_closed
            ):
                problems.append(
                    CoverageProblem(
                        "gap",
                        order[0],
                        None,
                        _hole(
                            Interval(
                                domain.low, domain.low_closed, first.low, not first.low_closed
                            ),
                            unit,
                        ),
                    )
                )
    elif first is not None and domain.low is None and first.low is not None:
        problems.append(
            CoverageProblem(
                "gap",
                order[0],
                None,
                "no band covers values "
                + Interval(None, False, first.low, not first.low_closed).notation(unit),
            )
        )
    # Walk the bands by lower bound, keeping the furthest upper bound reached so far: a band
    # is compared with everything before it, not only with its neighbour in that order.
    reach_index = order[0] if order else 0
    for b in order[1:]:
        a = reach_index
        left, right = intervals[a], intervals[b]
        if right.low is None:
            problems.append(
                CoverageProblem(
                    "overlap",
                    a,
                    b,
                    f"bands {min(a, b) + 1} and {max(a, b) + 1} both have no lower bound",
                )
            )
        elif left.high is None:
            problems.append(
                CoverageProblem(
                    "overlap",
                    a,
                    b,
                    f"band {a + 1} has no upper bound but band {b + 1} starts above it",
                )
            )
        else:
            c = compare(left.high, right.low)
            if c < 0:
                if gap(left.high, not left.high_closed, right.low, not right.low_closed):
                    hole = Interval(
                        left.high, not left.high_closed, right.low, not right.low_closed
                    )
                    problems.append(CoverageProblem("gap", a, b, _hole(hole, unit)))
            elif c > 0:
                top = left.high if right.high is None else min(left.high, right.high)
                problems.append(
                    CoverageProblem(
                        "overlap",
                        a,
                        b,
                        f"bands {min(a, b) + 1} and {max(a, b) + 1} both cover values from "
                        f"{format_exact(right.low)}{unit} to {format_exact(top)}{unit}",
                    )
                )
            elif left.high_closed and right.low_closed:
                problems.append(
                    CoverageProblem(
                        "overlap",
                        a,
                        b,
                        f"bands {min(a, b) + 1} and {max(a, b) + 1} both include "
                        f"{format_exact(left.high)}{unit}",
                    )
                )
            elif (
                not left.high_closed
                and not right.low_closed
                and gap(left.high, True, left.high, True)
            ):
                problems.append(
                    CoverageProblem(
                        "gap", a, b, f"no band covers exactly {format_exact(left.high)}{unit}"
                    )
                )
        if _reaches_further(right, intervals[reach_index]):
            reach_index = b
    last = intervals[reach_index] if order else None
    if last is not None and last.high is not None:
        if domain.high is None:
            problems.append(
                CoverageProblem(
                    "gap",
                    reach_index,
                    None,
                    "no band covers values "
                    + Interval(last.high, not last.high_closed, None, False).notation(unit),
                )
            )
        else:
            c = compare(last.high, domain.high)
            if (c < 0 or (c == 0 and domain.high_closed and not last.high_closed)) and gap(
                last.high, not last.high_closed, domain.high, domain.high_closed
            ):
                problems.append(
                    CoverageProblem(
                        "gap",
                        reach_index,
                        None,
                        _hole(
                            Interval(
                                last.high, not last.high_closed, domain.high, domain.high_closed
                            ),
                            unit,
                        ),
                    )
                )
    return problems
