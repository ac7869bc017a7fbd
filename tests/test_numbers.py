"""Exact numbers: reading, arithmetic that never drifts, rounding once with the declared mode."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex_rules import numbers as num
from parindex_rules.numbers import RoundingMode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0,5", Decimal("0.5")),
        ("14,5", Decimal("14.5")),
        (" 2 ", Decimal("2")),
        ("1.10", Decimal("1.10")),
        (3, Decimal(3)),
        (0.1, Decimal("0.1")),  # a float is read through its shortest repr
        (Decimal("87.50"), Decimal("87.50")),
        (Fraction(1, 8), Decimal("0.125")),
    ],
)
def test_parse_decimal_reads_exactly(raw: object, expected: Decimal) -> None:
    assert num.parse_decimal(raw) == expected
    assert str(num.parse_decimal(raw)) == str(expected)


@pytest.mark.parametrize(
    "raw", [True, "1.234,5", "1,2,3", "abc", "", "1e5", float("nan"), Decimal("Infinity"), None]
)
def test_parse_decimal_refuses(raw: object) -> None:
    with pytest.raises(num.NotADecimal):
        num.parse_decimal(raw)


def test_division_stays_exact_and_comes_back_to_decimal() -> None:
    third = num.div(Decimal(1), Decimal(3))
    assert third == Fraction(1, 3)
    assert num.mul(third, Decimal(3)) == Decimal(1)
    assert isinstance(num.mul(third, Decimal(3)), Decimal)
    assert num.div(Decimal(1), Decimal(8)) == Decimal("0.125")
    assert isinstance(num.div(Decimal(1), Decimal(8)), Decimal)


def test_long_sum_of_ratios_is_exact() -> None:
    """Ninety-nine items each scored 1/3 of a point sum to exactly 33 (no 32.99999...)."""
    parts = [num.div(Decimal(1), Decimal(3)) for _ in range(99)]
    assert num.total(parts) == Decimal(33)


def test_zero_division_raises() -> None:
    with pytest.raises(ZeroDivisionError):
        num.div(Decimal(1), Decimal(0))


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        (Decimal("89.945"), RoundingMode.HALF_UP, "89.95"),
        (Decimal("89.945"), RoundingMode.HALF_EVEN, "89.94"),
        (Decimal("89.945"), RoundingMode.HALF_DOWN, "89.94"),
        (Decimal("89.941"), RoundingMode.UP, "89.95"),
        (Decimal("89.949"), RoundingMode.DOWN, "89.94"),
        (Decimal("-0.125"), RoundingMode.HALF_UP, "-0.13"),
        (Decimal("-0.125"), RoundingMode.CEILING, "-0.12"),
        (Decimal("-0.125"), RoundingMode.FLOOR, "-0.13"),
        (Fraction(1, 3), RoundingMode.HALF_UP, "0.33"),
        (Fraction(2, 3), RoundingMode.DOWN, "0.66"),
        (Fraction(2, 3), RoundingMode.UP, "0.67"),
        (Fraction(-2, 3), RoundingMode.UP, "-0.67"),
        (Fraction(-2, 3), RoundingMode.CEILING, "-0.66"),
        # 1/8 = 0.125 exactly: a true tie, settled by the mode.
        (Fraction(1, 8), RoundingMode.HALF_UP, "0.13"),
        (Fraction(1, 8), RoundingMode.HALF_EVEN, "0.12"),
        (Fraction(5, 8), RoundingMode.HALF_EVEN, "0.62"),
        (Fraction(7, 8), RoundingMode.HALF_EVEN, "0.88"),
    ],
)
def test_round_to_each_mode(value: num.Number, mode: RoundingMode, expected: str) -> None:
    assert str(num.round_to(value, 2, mode)) == expected


def test_published_total_rounds_from_unrounded_parts() -> None:
    """Bộ Tư pháp 2023: 61,86 + 28,10 printed as 89,95 — parts 61.855 and 28.095 are
    printed rounded, but their exact sum 89.95 is what the total shows."""
    appraisal, survey = Decimal("61.855"), Decimal("28.095")
    assert num.format_rounded(appraisal, 2, RoundingMode.HALF_UP) == "61.86"
    assert num.format_rounded(survey, 2, RoundingMode.HALF_UP) == "28.10"
    assert num.format_rounded(num.add(appraisal, survey), 2, RoundingMode.HALF_UP) == "89.95"
    assert Decimal("61.86") + Decimal("28.10") != Decimal("89.95")


def test_formats() -> None:
    assert num.format_exact(Decimal("100.00")) == "100"
    assert num.format_exact(Decimal("14.50")) == "14.5"
    assert num.format_exact(Fraction(1, 3)) == "1/3"
    assert num.format_rounded(Decimal("-0.001"), 2, RoundingMode.HALF_UP) == "0.00"
    assert num.format_decimal(Decimal("1E+2")) == "100"


@given(
    st.fractions(min_value=-1000, max_value=1000, max_denominator=10_000),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(list(RoundingMode)),
)
def test_fraction_rounding_matches_decimal_rounding_of_exact_values(
    value: Fraction, places: int, mode: RoundingMode
) -> None:
    """Where a fraction has a finite decimal form, both rounding paths agree; and the rounded
    value is always within one unit of the last place."""
    rounded = num.round_to(value, places, mode)
    assert abs(Fraction(rounded) - value) <= Fraction(1, 10**places)
    exact = num.fraction_to_decimal(value)
    if exact is not None:
        assert num.round_to(exact, places, mode) == rounded


@given(st.lists(st.fractions(min_value=0, max_value=100, max_denominator=50), max_size=30))
def test_total_equals_fraction_sum(values: list[Fraction]) -> None:
    numbers = [num.normalize(v) for v in values]
    assert num.as_fraction(num.total(numbers)) == sum(values, Fraction(0))
