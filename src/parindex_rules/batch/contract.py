"""The batch contract of scoring methods: columns in, exact values out.

:meth:`ScoringMethod.evaluate_batch(ctx) <parindex_rules.methods.base.ScoringMethod.evaluate_batch>`
receives a :class:`BatchContext` for one leaf and every unit of the batch, and returns a
:class:`BatchOutcome`, or None to have the engine call :meth:`~ScoringMethod.evaluate` for each
unit, for that item alone. The outcome must be exact: a column of rationals
(:class:`~parindex_rules.batch.exact.Rationals`), never floats. Rows the method cannot score
exactly, or whose fact does not fit the item, are marked ``problem``: the engine scores those
units with the exact single-unit path, which reports the problem with its line and column.

Statuses follow the single-unit path: a row whose score carries the MISSING signal is a missing
value (the leaf's ``missing`` policy applies); ``not_applicable`` rows are not applicable.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from parindex_rules.batch.columns import RawColumn
from parindex_rules.batch.exact import (
    INEXACT,
    MISSING,
    Rationals,
    Truths,
    constant_of,
    filled,
    fits,
)
from parindex_rules.batch.formulas import BatchEnv, evaluate
from parindex_rules.expr.nodes import Formula
from parindex_rules.intervals import Interval
from parindex_rules.methods.base import FactProblem, LeafInfo
from parindex_rules.numbers import Number, RoundingMode

Bools = npt.NDArray[np.bool_]


@dataclass
class BatchOutcome:
    """A method's scores for one leaf, every row of the batch."""

    #: Exact scores. Signals: MISSING = a value is missing; any other = a problem row.
    score: Rationals
    #: Rows the method finds not applicable (e.g. a zero denominator read as "không phát sinh").
    not_applicable: Bools | None = None
    #: Rows to score with the exact single-unit path (facts that do not fit, values too large).
    problem: Bools | None = None


class BatchContext:
    """Given to :meth:`ScoringMethod.evaluate_batch`: one leaf, every unit of the batch."""

    def __init__(
        self,
        leaf: LeafInfo,
        *,
        n: int,
        stage: str,
        year: int,
        rounding: RoundingMode,
        survey_fallback: str,
        values: RawColumn | None,
        previous: RawColumn | None,
        lookup: Callable[[str], Rationals],
    ) -> None:
        self.leaf = leaf
        self.n = n
        self.stage = stage
        self.year = year
        self.rounding = rounding
        #: For survey methods: the ruleset's policy for a missing year.
        self.survey_fallback = survey_fallback
        #: The raw facts the method reads (assessment or survey value for `year`), if any.
        self.values = values
        #: Survey methods: the values for the year before (used by the fallback policy).
        self.previous = previous
        self._lookup = lookup

    def lookup(self, name: str) -> Rationals:
        """An input, derived value or parameter for every row (MISSING where not given)."""
        if name == "max":
            return self.constant(self.leaf.max)
        return self._lookup(name)

    def formula(self, formula: Formula) -> Rationals | Truths:
        """Evaluate a parsed formula for every row, exactly; `max` is the leaf's maximum."""
        return evaluate(formula.root, BatchEnv(self.lookup, self.rounding, self.n))

    def constant(self, value: Number | int) -> Rationals:
        return Rationals.constant(value, self.n)

    def by_value(self, score: Callable[[Any], Number]) -> BatchOutcome:
        """Score each distinct raw value once with `score` (exact) and spread it to its rows.

        `score` raises :class:`FactProblem` for a value that does not fit: those rows become
        problem rows. Rows with no value get the MISSING signal. This is how methods whose
        score depends on the fact alone (choice, boolean, checklist, points) batch: the work is
        per distinct answer, not per unit.
        """
        if self.values is None:
            return BatchOutcome(Rationals.signalled(self.n, MISSING))
        codes, uniques = self.values.factorize()
        k = len(uniques)
        num = np.zeros(k + 1, np.int64)
        den = np.ones(k + 1, np.int64)
        signal = np.zeros(k + 1, np.int8)
        problem = np.zeros(k + 1, np.bool_)
        for i, raw in enumerate(uniques):
            try:
                value = score(_as_fact(raw))
            except FactProblem:
                problem[i] = True
                signal[i] = INEXACT
                continue
            exact = value if isinstance(value, Fraction) else Fraction(value)
            if not fits(exact):
                problem[i] = True
                signal[i] = INEXACT
                continue
            num[i], den[i] = exact.numerator, exact.denominator
        signal[k] = MISSING
        index = np.where(codes < 0, k, codes)
        common = math.lcm(*(int(d) for d in den)) if k else 1
        if common < 2**31 and int(np.abs(num).max(initial=0)) * common < 2**62:
            # One denominator for the column: later steps take their fast paths.
            num = num * (common // den)
            return BatchOutcome(
                Rationals(num[index], filled(common, self.n), signal[index]),
                problem=problem[index],
            )
        return BatchOutcome(
            Rationals(num[index], den[index], signal[index]), problem=problem[index]
        )

    def numbers(self, column: RawColumn | str | None = "values") -> tuple[Rationals, Bools]:
        """The raw values (or another column, e.g. ``batch.previous``) as exact numbers, and the
        rows that are not numbers at all. A column that is not given is MISSING throughout."""
        if isinstance(column, str):
            column = self.values
        if column is None:
            return Rationals.signalled(self.n, MISSING), np.zeros(self.n, np.bool_)
        return column.rationals()


def _as_fact(raw: Any) -> Any:
    """A distinct raw value in the form the facts file gives it (a list, not a tuple)."""
    if isinstance(raw, tuple):
        return [_as_fact(v) for v in raw]
    return raw


def contains(values: Rationals, interval: Interval) -> Bools:
    """Rows whose value lies in `interval` (bounds included or excluded as declared), exactly.

    Rows with a signal are never inside.
    """
    n = len(values)
    clean = constant_of(values.signal) == 0
    inside: Bools = np.ones(n, np.bool_) if clean else values.signal == 0
    d = constant_of(values.den)
    bounds = [
        (bound, closed, low)
        for bound, closed, low in (
            (interval.low, interval.low_closed, True),
            (interval.high, interval.high_closed, False),
        )
        if bound is not None
    ]
    if d is not None and len(values.num):
        # One denominator for the column: compare num × q with p × d, for a bound p / q.
        largest = int(np.abs(values.num).max())
        for bound, closed, low in bounds:
            exact = Fraction(bound)
            target = exact.numerator * d
            if largest * exact.denominator >= 2**62 or abs(target) >= 2**62:
                break
            scaled = values.num * exact.denominator if exact.denominator != 1 else values.num
            if low:
                inside &= (scaled >= target) if closed else (scaled > target)
            else:
                inside &= (scaled <= target) if closed else (scaled < target)
        else:
            return inside
        inside = np.ones(n, np.bool_) if clean else values.signal == 0
    for bound, closed, low in bounds:
        sign, signal = values.compare(Rationals.constant(bound, n))
        if low:
            inside &= (sign > 0) | ((sign == 0) & closed)
        else:
            inside &= (sign < 0) | ((sign == 0) & closed)
        inside &= signal == 0
    return inside
