"""Exact rational numbers, vectorised across units: numerator and denominator as int64 arrays.

The batch path never computes a score in binary floating point. Each value is ``num / den``
exactly (``den > 0``). A product that could leave int64 is detected beforehand and that row is
marked ``INEXACT``: the batch path then hands that row to the exact single-unit path, so a
result is never wrong, only occasionally computed the slow way. Fractions are reduced only on
rows whose terms grow large, which keeps the common case (small denominators) fast.

Each array carries a per-row *signal*, the vectorised form of what the single-unit evaluation
raises: a missing value, a zero denominator, or a value this path cannot hold exactly. Signals
follow evaluation order: an operation keeps the first signal of its operands, as the exact
path stops at the first exception.

Constants are zero-stride views (``np.broadcast_to``): as cheap as scalars, shaped as columns.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from parindex_rules.numbers import Number, RoundingMode

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Signals = npt.NDArray[np.int8]

#: Per-row signals, in the order the exact path would raise them.
OK = 0
MISSING = 1  # MissingValue: a value needed is not given
ZERO_DENOMINATOR = 2  # ZeroDenominator: the rule's on_zero_denominator decides
INEXACT = 3  # int64 cannot hold it: evaluate this row with the exact path

_SAFE = 2**31  # |a|, |b| below this: a * b and a * b + c * d fit int64
_LIMIT = float(2**62)
_REDUCE = 2**24  # reduce a fraction once its denominator passes this
_I64_MAX = 2**63 - 1


def filled(value: int, n: int, dtype: type = np.int64) -> Any:
    """A read-only column of one value (no memory per row)."""
    return np.broadcast_to(np.array(value, dtype=dtype), (n,))


def select(mask: Bools, a: Any, b: Any) -> Any:
    """`a` where `mask`, else `b` (integers; faster than np.where on scattered masks)."""
    return b + (a - b) * mask


def constant_of(column: npt.NDArray[np.generic]) -> int | None:
    """The one value of a column made by :func:`filled` (None for an ordinary column)."""
    if column.strides == (0,) and len(column):
        return int(column[0])
    return None


def first_signal(*signals: Signals) -> Signals:
    """The first non-OK signal of each row, in the order given (evaluation order)."""
    out: Signals | None = None
    for signal in signals:
        if constant_of(signal) == OK:
            continue  # no signal in this operand
        out = signal if out is None else select(out != OK, out, signal)
    if out is None:
        return signals[0]
    return np.asarray(out, dtype=np.int8)


def fraction_of(value: Number | int) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def fits(value: Fraction) -> bool:
    return abs(value.numerator) <= _I64_MAX and value.denominator <= _I64_MAX


def overflows(a: Ints, b: Ints) -> Bools:
    """Rows where a * b may leave ±2**62: a fast integer bound, refined in floats if needed."""
    constant = constant_of(b)
    if constant is not None:
        limit = (2**62) // max(1, abs(constant))
        return np.abs(a) >= limit
    constant = constant_of(a)
    if constant is not None:
        limit = (2**62) // max(1, abs(constant))
        return np.abs(b) >= limit
    suspect = (np.abs(a) >= _SAFE) | (np.abs(b) >= _SAFE)
    if not suspect.any():
        return suspect
    rows = np.flatnonzero(suspect)
    aa = np.broadcast_to(a, suspect.shape)[rows].astype(np.float64)
    bb = np.broadcast_to(b, suspect.shape)[rows].astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        big = ~(np.abs(aa * bb) < _LIMIT)
    out = np.zeros(suspect.shape, np.bool_)
    out[rows] = big
    return out


_CONSTANTS: dict[tuple[object, int], Rationals] = {}


class Rationals:
    """A column of exact rationals ``num / den`` with a signal per row."""

    __slots__ = ("den", "num", "signal")

    def __init__(self, num: Ints, den: Ints, signal: Signals) -> None:
        self.num = num
        self.den = den
        self.signal = signal

    # -- building
    @classmethod
    def constant(cls, value: Number | int, n: int) -> Rationals:
        key = (value, n)
        cached = _CONSTANTS.get(key)
        if cached is not None:
            return cached
        exact = fraction_of(value)
        if not fits(exact):
            return cls.inexact(n)
        made = cls(
            filled(exact.numerator, n),
            filled(exact.denominator, n),
            filled(OK, n, np.int8),
        )
        if len(_CONSTANTS) > 4096:
            _CONSTANTS.clear()
        _CONSTANTS[key] = made
        return made

    @classmethod
    def integers(cls, values: Ints) -> Rationals:
        n = len(values)
        return cls(values.astype(np.int64), filled(1, n), np.zeros(n, np.int8))

    @classmethod
    def decimals(cls, values: Ints, digits: int) -> Rationals:
        """values × 10**-digits."""
        n = len(values)
        return cls(values, filled(10**digits, n), filled(OK, n, np.int8))

    @classmethod
    def inexact(cls, n: int) -> Rationals:
        return cls.signalled(n, INEXACT)

    @classmethod
    def signalled(cls, n: int, signal: int) -> Rationals:
        return cls(filled(0, n), filled(1, n), filled(signal, n, np.int8))

    def __len__(self) -> int:
        return len(self.num)

    @property
    def ok(self) -> Bools:
        result: Bools = self.signal == OK
        return result

    def value(self, row: int) -> Fraction:
        return Fraction(int(self.num[row]), int(self.den[row]))

    def with_signal(self, signal: Signals) -> Rationals:
        return Rationals(self.num, self.den, signal)

    def where(self, mask: Bools, other: Rationals) -> Rationals:
        """This value where `mask`, else `other` (values and signals)."""
        return Rationals(
            select(mask, self.num, other.num),
            select(mask, self.den, other.den),
            select(mask, self.signal, other.signal).astype(np.int8),
        )

    def floats(self) -> npt.NDArray[np.float64]:
        result: npt.NDArray[np.float64] = self.num / self.den
        return result

    # -- arithmetic (each result keeps the operands' first signal, then adds its own)
    @staticmethod
    def _finish(num: Ints, den: Ints, signal: Signals, overflow: Bools) -> Rationals:
        if overflow.any():
            signal = select(overflow & (signal == OK), INEXACT, signal).astype(np.int8)
        if constant_of(signal) != OK:
            bad = signal != OK
            if bad.any():
                num = num * ~bad
                if constant_of(den) is None:
                    den = select(bad, 1, den)
        constant = constant_of(den)
        large = (den >= _REDUCE) if constant is None else None
        if large is not None and large.any():
            rows = np.flatnonzero(large)
            num = np.array(num, dtype=np.int64)
            den = np.array(den, dtype=np.int64)
            g = np.gcd(num[rows], den[rows])
            g[g == 0] = 1
            num[rows] //= g
            den[rows] //= g
        return Rationals(num, den, signal)

    def __neg__(self) -> Rationals:
        return Rationals(-self.num, self.den, self.signal)

    def __abs__(self) -> Rationals:
        return Rationals(np.abs(self.num), self.den, self.signal)

    def __add__(self, other: Rationals) -> Rationals:
        return self._combine(other, 1)

    def __sub__(self, other: Rationals) -> Rationals:
        return self._combine(other, -1)

    def _combine(self, other: Rationals, sign: int) -> Rationals:
        signal = first_signal(self.signal, other.signal)
        if self.den is other.den or (
            self.den.strides == other.den.strides == (0,)
            and len(self.den)
            and self.den[0] == other.den[0]
        ):
            overflow = (np.abs(self.num) >= 2**61) | (np.abs(other.num) >= 2**61)
            return self._finish(self.num + sign * other.num, self.den, signal, overflow)
        overflow = overflows(self.num, other.den) | overflows(other.num, self.den)
        overflow |= overflows(self.den, other.den)
        with np.errstate(over="ignore"):
            num = self.num * other.den + sign * other.num * self.den
            den = self.den * other.den
        return self._finish(num, den, signal, overflow)

    def __mul__(self, other: Rationals) -> Rationals:
        signal = first_signal(self.signal, other.signal)
        d1, d2 = constant_of(self.den), constant_of(other.den)
        if d1 is not None and d2 is not None and d1 * d2 < _REDUCE:
            overflow = overflows(self.num, other.num)
            with np.errstate(over="ignore"):
                num = self.num * other.num
            return self._finish(num, filled(d1 * d2, len(self)), signal, overflow)
        overflow = overflows(self.num, other.num) | overflows(self.den, other.den)
        with np.errstate(over="ignore"):
            return self._finish(self.num * other.num, self.den * other.den, signal, overflow)

    def divide(self, other: Rationals) -> Rationals:
        """self / other; a zero divisor signals ZERO_DENOMINATOR on that row."""
        signal = first_signal(self.signal, other.signal)
        d1, n2, d2 = constant_of(self.den), constant_of(other.num), constant_of(other.den)
        if d1 is not None and n2 is not None and d2 is not None and n2 != 0:
            # a column with one denominator by a constant: (num × d2) / (d1 × n2)
            sign = -1 if n2 < 0 else 1
            common = d1 * abs(n2)
            if common < _REDUCE:
                overflow = overflows(self.num, other.den)
                with np.errstate(over="ignore"):
                    scaled = self.num * (d2 * sign)
                return self._finish(scaled, filled(common, len(self)), signal, overflow)
        zero = (other.num == 0) & (signal == OK)
        if zero.any():
            signal = select(zero, ZERO_DENOMINATOR, signal).astype(np.int8)
        overflow = overflows(self.num, other.den) | overflows(self.den, other.num)
        flip = 1 - 2 * (other.num < 0)
        with np.errstate(over="ignore"):
            num = self.num * other.den * flip
            den = self.den * other.num * flip
        den = select(zero, 1, den)
        return self._finish(num, den, signal, overflow)

    def compare(self, other: Rationals) -> tuple[npt.NDArray[np.int64], Signals]:
        """Sign of self - other per row (-1, 0, 1), and the first signal."""
        signal = first_signal(self.signal, other.signal)
        if self.den is other.den:
            return np.sign(self.num - other.num), signal
        d1, d2 = constant_of(self.den), constant_of(other.den)
        n2 = constant_of(other.num)
        if d1 is not None and d2 is not None and n2 is not None:
            # a column with one denominator against a constant: num × d2 vs n2 × d1
            target = n2 * d1
            limit = (2**62) // max(1, d2)
            big = np.abs(self.num) >= limit
            if abs(target) < 2**62 and not big.any():
                return np.sign(self.num * d2 - target), signal
        overflow = overflows(self.num, other.den) | overflows(other.num, self.den)
        if overflow.any():
            signal = select(overflow & (signal == OK), INEXACT, signal).astype(np.int8)
        with np.errstate(over="ignore"):
            diff = self.num * other.den - other.num * self.den
        return np.sign(diff), signal

    # -- rounding and scaling
    def round(self, places: int, mode: RoundingMode) -> Rationals:
        """Rounded to `places` decimals with the declared mode, exactly."""
        n = len(self)
        scale = 10**places
        overflow = overflows(self.num, filled(scale, n))
        with np.errstate(over="ignore"):
            scaled = self.num * scale
        quotient = round_division(scaled, self.den, mode)
        return self._finish(quotient, filled(scale, n), self.signal, overflow)

    def scaled(self, digits: int) -> tuple[Ints, Bools]:
        """The value × 10**digits as int64 where that is exact, and where it is.

        Rows whose value has more decimals (or is not a decimal at all, 1/3) are not exact.
        """
        scale = 10**digits
        if self.den.strides == (0,) and len(self.den):  # one denominator for every row
            d = int(self.den[0])
            if scale % d:
                return np.zeros(len(self), np.int64), np.zeros(len(self), np.bool_)
            factor = scale // d
            big = np.abs(self.num) >= (2**62) // factor
            ok = (self.signal == OK) & ~big
            return self.num * factor * ok, ok
        big = overflows(self.num, filled(scale, len(self)))
        with np.errstate(over="ignore"):
            scaled = self.num * scale
        values = scaled // self.den
        remainder = scaled - values * self.den
        exact = (remainder == 0) & (self.signal == OK) & ~big
        return values * exact, exact


def round_nonnegative(num: Ints, den: int, mode: RoundingMode) -> Any:
    """num / den rounded with `mode`, for num >= 0 and a constant den > 0 (the common case:
    two cheap passes instead of a dozen)."""
    if mode is RoundingMode.HALF_UP:
        return (2 * num + den) // (2 * den)
    if mode is RoundingMode.HALF_DOWN:
        return (2 * num + den - 1) // (2 * den)
    if mode is RoundingMode.HALF_EVEN:
        twice = 2 * num + den
        quotient = twice // (2 * den)
        tie = twice - quotient * (2 * den) == 0
        return quotient - (tie & (quotient % 2 == 1))
    if mode in (RoundingMode.FLOOR, RoundingMode.DOWN):
        return num // den
    return (num + den - 1) // den  # CEILING, UP


def round_division(num: Ints, den: Ints | int, mode: RoundingMode) -> Any:
    """num / den rounded to a whole number with `mode`, exactly (den > 0)."""
    quotient = num // den
    remainder = num - quotient * den
    if mode is RoundingMode.FLOOR:
        return quotient
    up = remainder != 0
    if mode is RoundingMode.CEILING:
        return quotient + up
    negative = num < 0
    if mode is RoundingMode.UP:  # away from zero
        return quotient + (up & ~negative)
    if mode is RoundingMode.DOWN:  # toward zero
        return quotient + (up & negative)
    twice = 2 * remainder
    above = twice > den
    tie = twice == den
    if mode is RoundingMode.HALF_UP:
        tie_up = tie & ~negative
    elif mode is RoundingMode.HALF_DOWN:
        tie_up = tie & negative
    else:  # HALF_EVEN
        tie_up = tie & (quotient % 2 == 1)
    return quotient + (above | tie_up)


class Truths:
    """A column of true/false values with a signal per row (the result of a comparison)."""

    __slots__ = ("signal", "value")

    def __init__(self, value: Bools, signal: Signals) -> None:
        self.value = value
        self.signal = signal

    @classmethod
    def constant(cls, value: bool, n: int) -> Truths:
        return cls(filled(value, n, np.bool_), filled(OK, n, np.int8))

    def __len__(self) -> int:
        return len(self.value)
