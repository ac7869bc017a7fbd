"""Band coverage: the compiler reports a gap exactly when some value of the domain is in no
band, and an overlap exactly when some value is in two bands (checked against brute force).
Overlaps count outside the domain too: two bands claiming the same value contradict each other
whether or not a unit can reach it."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from parindex_rules.intervals import Interval, coverage_problems

DOMAIN = Interval(Decimal(0), True, Decimal(10), True)
# Bounds are multiples of 0.5 in [0, 10]; probing every multiple of 0.25 visits each bound
# and a point strictly between any two consecutive bounds, so it sees every region.
PROBES = [Decimal(i) / 4 for i in range(0, 41)]
OUTSIDE = [Decimal(-1), Decimal(11)]

bound = st.integers(0, 20).map(lambda i: Decimal(i) / 2)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    low = draw(st.none() | bound)
    high = draw(st.none() | bound)
    if low is not None and high is not None and low > high:
        low, high = high, low
    low_closed = low is not None and draw(st.booleans())
    high_closed = high is not None and draw(st.booleans())
    interval = Interval(low, low_closed, high, high_closed)
    if interval.empty:
        return Interval(low, True, high, True)
    return interval


@settings(max_examples=400)
@given(st.lists(intervals(), min_size=1, max_size=5))
def test_gaps_and_overlaps_match_brute_force(bands: list[Interval]) -> None:
    covered = [sum(band.contains(x) for band in bands) for x in PROBES]
    everywhere = covered + [sum(band.contains(x) for band in bands) for x in OUTSIDE]
    problems = coverage_problems(bands, DOMAIN)
    kinds = {p.kind for p in problems}
    assert ("gap" in kinds) == any(count == 0 for count in covered), problems
    assert ("overlap" in kinds) == any(count > 1 for count in everywhere), problems
