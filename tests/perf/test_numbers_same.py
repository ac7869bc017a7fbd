"""The exact arithmetic gives the very same numbers as before it worked on integer ratios.

`numbers.add`, `sub`, `mul`, `div` and `compare` used to build Fraction objects whenever a
fraction took part (or a decimal result needed too many digits); they now work on the integer
ratios directly. The reference below is the former code: values, types and, for decimals, the
exact decimal form (digits and exponent) must agree.
"""

from __future__ import annotations

from decimal import Decimal, Inexact, Overflow, Underflow
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from parindex_rules import numbers
from parindex_rules.numbers import EXACT, Number, fraction_to_decimal


def _normalize(value: Number) -> Number:
    if isinstance(value, Fraction):
        exact = fraction_to_decimal(value)
        return exact if exact is not None else value
    return value


def _fraction(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def _former(op: str, a: Number, b: Number) -> Number:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        context_op = {"+": EXACT.add, "-": EXACT.subtract, "*": EXACT.multiply, "/": EXACT.divide}
        try:
            return context_op[op](a, b)
        except (Inexact, Overflow, Underflow):
            pass
    fa, fb = _fraction(a), _fraction(b)
    exact = {"+": fa + fb, "-": fa - fb, "*": fa * fb, "/": fa / fb if op == "/" else None}[op]
    assert exact is not None
    return _normalize(exact)


def _same(mine: Number, former: Number) -> bool:
    if isinstance(former, Decimal):
        return type(mine) is Decimal and str(mine) == str(former)
    return type(mine) is Fraction and mine == former


decimals = st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False)
fractions = st.fractions(min_value=-1000, max_value=1000, max_denominator=60)
numbers_ = st.one_of(decimals, fractions, fractions.map(_normalize))


@given(numbers_, numbers_)
def test_add_sub_mul_div_compare_give_what_they_gave(a: Number, b: Number) -> None:
    for op, function in (("+", numbers.add), ("-", numbers.sub), ("*", numbers.mul)):
        assert _same(function(a, b), _former(op, a, b)), (op, a, b)
    if b != 0:
        assert _same(numbers.div(a, b), _former("/", a, b)), ("/", a, b)
    fa, fb = _fraction(a), _fraction(b)
    assert numbers.compare(a, b) == (fa > fb) - (fa < fb)


def test_long_decimals_still_fall_back_to_exact_ratios() -> None:
    """A product past the context's 80 digits is computed exactly, as before."""
    a = Decimal("1." + "3" * 60)
    assert _same(numbers.mul(a, a), _former("*", a, a))
    assert _same(numbers.div(Decimal(1), Decimal(3)), Fraction(1, 3))
