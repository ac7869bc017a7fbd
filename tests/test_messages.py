"""Values in messages are shown as the user wrote them, never as Python spells them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

import parindex_rules as pr
from parindex_rules.diagnostics import shown

from .conftest import EXAMPLES


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("5"), "5"),
        (Decimal("0.50"), "0.50"),  # the digits written, trailing zero included
        (5, "5"),
        (Fraction(1, 3), "1/3"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
        ("có", "'có'"),
        ([Decimal("1"), "x"], "[1, 'x']"),
        ({"a": Decimal("1.5"), "b": True}, "{a: 1.5, b: true}"),
        (datetime.date(2023, 12, 14), "2023-12-14"),
        (frozenset({"b", "a"}), "['a', 'b']"),
    ],
)
def test_shown_as_written(value: object, text: str) -> None:
    assert shown(value) == text


def test_a_choice_given_a_decimal_says_the_number() -> None:
    """The audit found "got Decimal('5')" in a user message (methods/choice.py)."""
    ruleset = pr.load(EXAMPLES / "camau-2013" / "ruleset.yaml")
    unit = {"unit": "a", "name": "A", "items": {"1.1.1": {"self": Decimal("5")}}}
    result = ruleset.evaluate(unit)
    [problem] = [d for d in result.diagnostics if d.code == "PR504"]
    assert "got 5 " in problem.message + " " and "Decimal" not in problem.message
