"""Exact numbers.

Scores are decimals and must never carry binary-float noise. Addition, subtraction and
multiplication of decimals are exact (the context below has far more digits than any rule
needs, and traps the rare case that would not be). Division is the one operation that can
leave the decimals (1/3): the result then becomes a :class:`fractions.Fraction`, which stays
exact, and goes back to a decimal whenever the value is a finite decimal again. Rounding happens
once, at the end, with the mode the ruleset declares (:func:`round_to`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Underflow,
)
from enum import Enum
from fractions import Fraction
from math import gcd

from parindex_rules import limits
from parindex_rules.diagnostics import shown

Number = Decimal | Fraction

#: Exact decimal arithmetic: an inexact result raises, and we switch to a fraction.
EXACT = Context(
    prec=80,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[Inexact, InvalidOperation, DivisionByZero, Overflow, Underflow],
)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

_DECIMAL_TEXT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class RoundingMode(str, Enum):
    """Rounding modes a ruleset may declare (default ``half_up``, as published tables round)."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    HALF_DOWN = "half_down"
    UP = "up"
    DOWN = "down"
    CEILING = "ceiling"
    FLOOR = "floor"

    @property
    def decimal_mode(self) -> str:
        return _DECIMAL_MODES[self]


_DECIMAL_MODES = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
    RoundingMode.HALF_DOWN: ROUND_HALF_DOWN,
    RoundingMode.UP: ROUND_UP,
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.CEILING: ROUND_CEILING,
    RoundingMode.FLOOR: ROUND_FLOOR,
}


class NotADecimal(ValueError):
    """A value that cannot be read exactly as a decimal."""


def parse_decimal(value: object) -> Decimal:
    """Read a decimal exactly from text ("0,5", "14.5"), an int, a Decimal or a float.

    A float is read through its shortest repr (0.1 -> "0.1"), which is what the person who
    typed it meant. Booleans, non-finite values, thousands separators and numbers longer than
    :data:`limits.MAX_NUMBER_DIGITS` digits written out (1e999999) are refused.
    """
    if type(value) is int and -_WHOLE_LIMIT < value < _WHOLE_LIMIT:
        return Decimal(value)  # the common case: a whole number short enough
    return _within_limit(_parse_decimal(value), value)


#: Whole numbers below this in size have at most MAX_NUMBER_DIGITS digits.
_WHOLE_LIMIT = 10**limits.MAX_NUMBER_DIGITS


def _within_limit(number: Decimal, written: object) -> Decimal:
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: checked by _parse_decimal
    width = max(len(digits), len(digits) + exponent, -exponent)
    if width > limits.MAX_NUMBER_DIGITS:
        shown = str(written)
        if len(shown) > 24:
            shown = shown[:20] + "..."
        raise NotADecimal(
            f"{shown} is too large or too long: numbers have at most "
            f"{limits.MAX_NUMBER_DIGITS} digits"
        )
    return number


def _parse_decimal(value: object) -> Decimal:
    if type(value) is str:  # as facts files write most numbers
        return _parse_text(value)
    if isinstance(value, bool):
        raise NotADecimal(f"{shown(value)} is true/false, not a number")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotADecimal(f"{value} is not a finite number")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotADecimal(f"{shown(value)} is not a finite number")
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        exact = fraction_to_decimal(value)
        if exact is None:
            raise NotADecimal(f"{value} has no finite decimal form")
        return exact
    if isinstance(value, str):
        return _parse_text(value)
    raise NotADecimal(f"{shown(value)} is not a number")


def _parse_text(value: str) -> Decimal:
    text = value.strip()
    if not _DECIMAL_TEXT.match(text):
        raise NotADecimal(f"{shown(value)} is not a decimal number (write 0.5 or 0,5)")
    return Decimal(text.replace(",", "."))


def fraction_to_decimal(value: Fraction) -> Decimal | None:
    """The exact decimal of a fraction, or None when it has no finite decimal form."""
    return _finite_decimal(value.numerator, value.denominator)


def _finite_decimal(numerator: int, denominator: int) -> Decimal | None:
    """The exact decimal of numerator / denominator (in lowest terms, denominator > 0), with
    as few places as it needs, or None when it has no finite decimal form."""
    twos = (denominator & -denominator).bit_length() - 1  # the factors 2, at once
    den = denominator >> twos
    fives = 0
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    scaled = numerator * (10**places) // denominator
    # Built from text, which is always exact (a context would round past its precision).
    return Decimal(f"{scaled}E-{places}")


def _rational(numerator: int, denominator: int) -> Number:
    """numerator / denominator (denominator != 0) as :func:`normalize` gives it: a decimal
    whenever the value has a finite decimal form, else a fraction."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    common = gcd(numerator, denominator)
    if common != 1:
        numerator //= common
        denominator //= common
    exact = _finite_decimal(numerator, denominator)
    return exact if exact is not None else Fraction(numerator, denominator)


def normalize(value: Number) -> Number:
    """Prefer a decimal whenever the value has a finite decimal form."""
    if type(value) is Decimal:  # the common case, without the ABC check of Fraction
        return value
    if isinstance(value, Fraction):
        exact = fraction_to_decimal(value)
        return exact if exact is not None else value
    return value


def as_fraction(value: Number) -> Fraction:
    if type(value) is Decimal:
        return Fraction(value)
    return value if isinstance(value, Fraction) else Fraction(value)


# Decimals add, subtract and multiply exactly in the EXACT context; when a result would need
# more digits, or a fraction takes part, the operation is done on the exact integer ratios of
# the operands (the same value Fraction arithmetic gives, without building the fractions).


def add(a: Number, b: Number) -> Number:
    if type(a) is Decimal and type(b) is Decimal:
        try:
            return EXACT.add(a, b)
        except (Inexact, Overflow, Underflow):
            pass
    na, da = a.as_integer_ratio()
    nb, db = b.as_integer_ratio()
    return _rational(na * db + nb * da, da * db)


def sub(a: Number, b: Number) -> Number:
    if type(a) is Decimal and type(b) is Decimal:
        try:
            return EXACT.subtract(a, b)
        except (Inexact, Overflow, Underflow):
            pass
    na, da = a.as_integer_ratio()
    nb, db = b.as_integer_ratio()
    return _rational(na * db - nb * da, da * db)


def mul(a: Number, b: Number) -> Number:
    if type(a) is Decimal and type(b) is Decimal:
        try:
            return EXACT.multiply(a, b)
        except (Inexact, Overflow, Underflow):
            pass
    na, da = a.as_integer_ratio()
    nb, db = b.as_integer_ratio()
    return _rational(na * nb, da * db)


def div(a: Number, b: Number) -> Number:
    """Exact a / b. Dividing by zero raises ZeroDivisionError (callers apply the rule's policy)."""
    if b == 0:
        raise ZeroDivisionError("division by zero")
    if type(a) is Decimal and type(b) is Decimal:
        try:
            return EXACT.divide(a, b)
        except (Inexact, Overflow, Underflow):
            pass
    na, da = a.as_integer_ratio()
    nb, db = b.as_integer_ratio()
    return _rational(na * db, da * nb)


def total(values: Iterable[Number]) -> Number:
    """Exact sum."""
    acc: Number = ZERO
    for value in values:
        acc = add(acc, value)
    return acc


def neg(a: Number) -> Number:
    return -a


def round_to(value: Number, places: int, mode: RoundingMode = RoundingMode.HALF_UP) -> Decimal:
    """Round exactly, once, to `places` decimal places with the declared mode."""
    exponent = Decimal(1).scaleb(-places)
    if isinstance(value, Decimal):
        return value.quantize(exponent, rounding=mode.decimal_mode, context=_ROUNDING)
    # An exact fraction: find the two neighbouring decimals and choose by the mode.
    scale = 10**places
    scaled = value * scale
    floor = scaled.numerator // scaled.denominator
    remainder = scaled - floor  # in [0, 1)
    chosen = floor if remainder == 0 else _choose(floor, remainder, negative=value < 0, mode=mode)
    return Decimal(chosen).scaleb(-places, _ROUNDING).quantize(exponent, context=_ROUNDING)


# Enough digits for any value evaluation lets through (limits.MAX_VALUE_DIGITS) and its places.
_ROUNDING = Context(
    prec=limits.MAX_VALUE_DIGITS + 50,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, Overflow],
)


def _choose(floor: int, remainder: Fraction, *, negative: bool, mode: RoundingMode) -> int:
    ceil = floor + 1
    half = Fraction(1, 2)
    # "Away from zero" is the ceiling for positives and the floor for negatives.
    away, toward = (floor, ceil) if negative else (ceil, floor)
    if mode is RoundingMode.CEILING:
        return ceil
    if mode is RoundingMode.FLOOR:
        return floor
    if mode is RoundingMode.UP:
        return away
    if mode is RoundingMode.DOWN:
        return toward
    if remainder != half:
        return ceil if remainder > half else floor
    if mode is RoundingMode.HALF_UP:
        return away
    if mode is RoundingMode.HALF_DOWN:
        return toward
    return floor if floor % 2 == 0 else ceil  # HALF_EVEN


def format_decimal(value: Decimal) -> str:
    """Plain notation, never an exponent: "66", "0.5", "89.95"."""
    if value.is_zero():
        value = value.copy_abs()
    return format(value, "f")


_SHOWN: dict[Decimal, str] = {}


def format_exact(value: Number) -> str:
    """A declared quantity (a maximum) without trailing zeros: "100", "14.5"; fractions as a/b."""
    if type(value) is Decimal:  # explanations show the same few values again and again
        shown = _SHOWN.get(value)
        if shown is None:
            if len(_SHOWN) > 65_536:
                _SHOWN.clear()
            shown = _SHOWN[value] = _format_exact(value)
        return shown
    return _format_exact(value)


def _format_exact(value: Number) -> str:
    value = normalize(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if value == value.to_integral_value():
        return format_decimal(value.quantize(ONE, context=_ROUNDING))
    return format_decimal(value.normalize(_ROUNDING))


def format_rounded(value: Number, places: int, mode: RoundingMode) -> str:
    """A computed quantity (a score, an index) rounded once, shown with exactly `places` digits."""
    return format_decimal(round_to(value, places, mode))


def compare(a: Number, b: Number) -> int:
    """-1, 0 or 1, exactly, whatever mix of decimals and fractions."""
    if type(a) is Decimal and type(b) is Decimal:
        return (a > b) - (a < b)
    na, da = a.as_integer_ratio()
    nb, db = b.as_integer_ratio()
    left, right = na * db, nb * da  # denominators are positive
    return (left > right) - (left < right)
