"""`bands`: a value mapped through threshold bands to points.

The value is an input (e.g. the % of the plan carried out) or a formula over inputs. Bands are
written as the decision words them: "Thực hiện trên 90% kế hoạch: 2 · từ 70% - 90%: 1 · Dưới
70%: 0" is ``above: 90`` / ``from: 70, to: 90`` / ``below: 70``, so exactly 90 % scores 1. The
compiler rejects gaps and overlaps over the value's domain and says where.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from parindex_rules.expr.nodes import Formula
from parindex_rules.intervals import Interval, bound_problems, coverage_problems
from parindex_rules.methods._read import points_text
from parindex_rules.methods.base import (
    CompileContext,
    EvalContext,
    FactProblem,
    MethodConfig,
    Outcome,
    ScoringMethod,
)
from parindex_rules.model.common import Dec, Name
from parindex_rules.model.ruleset import Bounds
from parindex_rules.numbers import Number, format_exact

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome

#: The domain of an input of each kind, when the band block does not declare one.
KIND_DOMAINS = {
    "percent": Interval(Decimal(0), True, Decimal(100), True),
    "ratio": Interval(Decimal(0), True, Decimal(1), True),
    "count": Interval(Decimal(0), True, None, False),
    "number": Interval(None, False, None, False),
}


class Band(Bounds):
    points: Dec
    label: str | None = Field(None, description="The band as the decision words it, verbatim.")
    provisional: str | None = Field(
        None,
        description="This band is a reading of silent text (e.g. 'more than 4' where the rule "
        "names only 4): why. Shown in the explanation whenever the band is matched.",
    )


class BandsConfig(MethodConfig):
    input: Name | None = Field(None, description="The input (or derived value) banded.")
    value: str | None = Field(None, description="A formula giving the value banded.")
    unit: str | None = Field(None, description="Shown after values, e.g. '%'.")
    domain: Bounds | None = Field(
        None, description="Values the input can take (default from the input's kind)."
    )
    direction: Literal["increasing", "decreasing"] | None = Field(
        None, description="If given, points must not fall (rise) as the value grows."
    )
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_value(self) -> BandsConfig:
        if (self.input is None) == (self.value is None):
            raise ValueError("give exactly one of `input` (a name) or `value` (a formula)")
        return self


@dataclass(frozen=True)
class _BandTexts:
    label: str  # the band's label, or its words
    step: str  # "band [70%, 90%] (từ 70% đến 90%) → 1"
    words: str


class BandsMethod(ScoringMethod):
    """Threshold bands over a value; bounds included or excluded as the decision words them."""

    Config = BandsConfig
    reads = "inputs"
    summary = "A value mapped through threshold bands to points."
    config: BandsConfig

    def __init__(self, config: MethodConfig, leaf: Any) -> None:
        super().__init__(config, leaf)
        self.intervals = [Interval.from_bounds(band) for band in self.config.bands]
        self.formula: Formula | None = None
        self.domain = self._domain()
        self.integers_only = self._kind() == "count"
        # The unit and each band's words as explanations show them: the same for every unit.
        self._unit = unit = self.unit
        self._texts = [
            _BandTexts(
                label=band.label or interval.words(unit),
                step=f"band {interval.notation(unit)} ({interval.words(unit)}) → "
                f"{points_text(band.points)}",
                words=interval.words(unit),
            )
            for band, interval in zip(self.config.bands, self.intervals, strict=False)
        ]

    def _kind(self) -> str | None:
        if self.config.input and self.config.input in self.leaf.inputs:
            return self.leaf.inputs[self.config.input].kind
        return None

    def _domain(self) -> Interval:
        if self.config.domain is not None:
            return Interval.from_bounds(self.config.domain)
        kind = self._kind()
        return KIND_DOMAINS.get(kind or "number", KIND_DOMAINS["number"])

    @property
    def unit(self) -> str:
        """Shown after values: the declared unit, else "%" for a percentage input."""
        if self.config.unit is not None:
            return self.config.unit
        return "%" if self._kind() == "percent" else ""

    def prepare(self, ctx: CompileContext) -> None:
        config = self.config
        if config.value is not None:
            self.formula = ctx.formula(config.value, ("value",))
        elif config.input is not None and not ctx.has_name(config.input):
            ctx.error(
                "PR303",
                f"unknown input {config.input!r}",
                ("input",),
                hint="declare it under the leaf's `inputs:` or as a derived value",
            )
        if config.domain is not None:
            for text in bound_problems(config.domain):
                ctx.error("PR217", text, ("domain",))
        broken = False
        for i, band in enumerate(config.bands):
            for text in bound_problems(band):
                ctx.error("PR217", text, ("bands", i))
                broken = True
            if band.points < 0:
                ctx.error("PR520", "a band cannot give negative points", ("bands", i, "points"))
            if band.points > self.leaf.max:
                ctx.error(
                    "PR213",
                    f"band {i + 1} gives {points_text(band.points)}, above the maximum "
                    f"{points_text(self.leaf.max)}",
                    ("bands", i, "points"),
                )
        if broken:
            return
        for problem in coverage_problems(
            self.intervals, self.domain, integers_only=self.integers_only, unit=self.unit
        ):
            code = "PR210" if problem.kind == "gap" else "PR211"
            index = problem.second if problem.second is not None else problem.first
            ctx.error(code, problem.text, ("bands", index))
        best = self.best()
        if best is not None and best < self.leaf.max:
            ctx.warning(
                "PR221",
                f"no band gives the maximum {points_text(self.leaf.max)} "
                f"(best: {format_exact(best)})",
                ("bands",),
            )
        if config.direction is not None:
            order = sorted(
                range(len(self.intervals)),
                key=lambda i: (self.intervals[i].low is not None, self.intervals[i].low or 0),
            )
            for a, b in itertools.pairwise(order):
                pa, pb = config.bands[a].points, config.bands[b].points
                if (config.direction == "increasing" and pb < pa) or (
                    config.direction == "decreasing" and pb > pa
                ):
                    ctx.error(
                        "PR212",
                        f"band {b + 1} gives {points_text(pb)} and the band below it gives "
                        f"{points_text(pa)}: points must be {config.direction} with the value",
                        ("bands", b, "points"),
                    )

    def names(self) -> set[str]:
        if self.formula is not None:
            return set(self.formula.names)
        return {self.config.input} if self.config.input else set()

    def best(self) -> Number | None:
        return max(band.points for band in self.config.bands)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        unit = self._unit
        if self.formula is not None:
            raw = self.formula.evaluate(ctx.env())
            assert not isinstance(raw, bool)
            value: Number = raw
            steps = [f"value = {self.formula.text} = {format_exact(value)}{unit}"]
        else:
            assert self.config.input is not None
            value = ctx.lookup(self.config.input)
            steps = [f"value = {self.config.input} = {format_exact(value)}{unit}"]
        if not self.domain.contains(value):
            raise FactProblem(
                "PR505",
                f"value {format_exact(value)}{unit} is outside {self.domain.notation(unit)}",
            )
        for band, interval, texts in zip(
            self.config.bands, self.intervals, self._texts, strict=False
        ):
            if interval.contains(value):
                steps.append(texts.step)
                outcome = Outcome(score=band.points, matched=texts.label, steps=steps)
                if band.provisional:
                    outcome.notes.append(f"provisional reading: {band.provisional}")
                if band.points == 0:
                    outcome.zero_reason = (
                        f"{format_exact(value)}{unit} falls in the band {texts.words}, "
                        "which gives 0"
                    )
                return outcome
        # Unreachable after the coverage check; kept as a located problem, not an assertion.
        raise FactProblem(
            "PR505", f"value {format_exact(value)}{self.unit} falls in no band"
        )  # pragma: no cover

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome:
        """The value of every unit at once (a formula or an input), then the band it falls in,
        compared exactly with the declared bounds."""
        import numpy as np

        from parindex_rules.batch.contract import BatchOutcome, contains
        from parindex_rules.batch.exact import OK, Rationals, filled

        if self.formula is not None:
            evaluated = batch.formula(self.formula)
            if not isinstance(evaluated, Rationals):
                return BatchOutcome(Rationals.inexact(batch.n))
            value = evaluated
        else:
            assert self.config.input is not None
            value = batch.lookup(self.config.input)
        ok = value.signal == OK
        problem = ok & ~contains(value, self.domain)  # PR505: outside the value's domain
        # Points as multiples of one denominator, so that each band adds one masked term.
        common = math.lcm(*(Fraction(band.points).denominator for band in self.config.bands))
        num = np.zeros(batch.n, np.int64)
        placed = np.zeros(batch.n, np.bool_)
        for band, interval in zip(self.config.bands, self.intervals, strict=False):
            rows = ok & ~placed & contains(value, interval)
            num += int(Fraction(band.points) * common) * rows
            placed |= rows
        problem |= ok & ~placed
        score = Rationals(num, filled(common, batch.n), value.signal)
        return BatchOutcome(score.where(~problem, Rationals.inexact(batch.n)), problem=problem)

    def describe(self) -> str:
        return " · ".join(
            f"{band.label or interval.words(self.unit)}: {points_text(band.points)}"
            for band, interval in zip(self.config.bands, self.intervals, strict=False)
        )
