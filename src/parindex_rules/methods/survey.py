"""`survey`: the score comes from a survey result (SIPAS %, the Ministry's published points).

The facts give the survey value by year. ``scale`` is the survey's own scale: with
``scale: 100`` a value of 87.5 (%) gives 87.5 / 100 × maximum; without it the value is already
points. Where the ruleset says so (Vĩnh Long), a value missing for the year assessed is taken
from the year before, and the explanation records it. Survey items are never self-assessed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from parindex_rules.diagnostics import shown
from parindex_rules.expr.nodes import MissingValue
from parindex_rules.methods._read import points_text, read_decimal
from parindex_rules.methods.base import (
    CompileContext,
    EvalContext,
    FactProblem,
    MethodConfig,
    Outcome,
    ScoringMethod,
)
from parindex_rules.model.common import Dec
from parindex_rules.model.ruleset import Origin
from parindex_rules.numbers import div, format_exact, mul

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome


class SurveyConfig(MethodConfig):
    scale: Dec | None = Field(
        None,
        gt=0,
        description="The survey's own scale (100 for a %): score = value / scale × maximum. "
        "Omit it when the survey value is already points.",
    )
    fallback: Literal["none", "previous_year"] | None = Field(
        None, description="Overrides the ruleset's survey_fallback policy for this item."
    )


class SurveyMissing(MissingValue):
    """No survey value for the year assessed (nor for the fallback year)."""

    code = "PR518"


class SurveyMethod(ScoringMethod):
    """Scored from a survey result, scaled as the rule says."""

    Config = SurveyConfig
    allowed_origins = frozenset({Origin.SURVEY})
    default_origin = Origin.SURVEY
    reads = "survey"
    summary = "Scored from a survey result (never self-assessed)."
    config: SurveyConfig

    def prepare(self, ctx: CompileContext) -> None:
        return None

    def read(self, raw: Any) -> dict[int, Decimal]:
        if not isinstance(raw, dict):
            raise FactProblem("PR504", "survey values are given by year, e.g. {'2023': '87.5'}")
        values: dict[int, Decimal] = {}
        for year, value in raw.items():
            if not str(year).isdigit():
                raise FactProblem("PR504", f"survey year {shown(year)} is not a year")
            number = read_decimal(value, "a survey value")
            limit = self.config.scale if self.config.scale is not None else self.leaf.max
            if number < 0 or number > limit:
                raise FactProblem(
                    "PR505",
                    f"survey value {format_exact(number)} for {year} is outside 0 to "
                    f"{format_exact(limit)}",
                )
            values[int(str(year))] = number
        return values

    def evaluate(self, ctx: EvalContext) -> Outcome:
        values: dict[int, Decimal] = ctx.value or {}
        year = ctx.year
        fallback = self.config.fallback or ctx.survey_fallback
        notes = []
        value = values.get(year)
        used = year
        if value is None and fallback == "previous_year" and (year - 1) in values:
            used = year - 1
            value = values[used]
            notes.append(
                f"no survey result published for {year}: the {used} result is used, as the "
                "ruleset's fallback rule says"
            )
        if value is None:
            wanted = f"survey result for {year}"
            if fallback == "previous_year":
                wanted += f" (or {year - 1})"
            raise SurveyMissing(wanted)
        shown = format_exact(value)
        steps = [f"survey {used}: {shown}"]
        if self.config.scale is not None:
            score = mul(div(value, self.config.scale), self.leaf.max)
            steps.append(
                f"{shown} / {format_exact(self.config.scale)} × "
                f"{points_text(self.leaf.max)} = {format_exact(score)}"
            )
        else:
            score = value
        outcome = Outcome(
            score=score,
            steps=steps,
            notes=notes,
            inputs=[(f"survey {used}", shown, ctx.value_source)],
        )
        if score == 0:
            outcome.zero_reason = f"the survey result for {used} is 0"
        return outcome

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome:
        """Survey values of every unit at once: checked as :meth:`read` checks them, the
        previous year's value taken where the fallback rule says, scaled exactly."""
        from parindex_rules.batch.contract import BatchOutcome
        from parindex_rules.batch.exact import INEXACT, MISSING, OK

        limit = self.config.scale if self.config.scale is not None else self.leaf.max
        current, problem = batch.numbers()
        years = [current]
        previous = None
        if batch.previous is not None:
            previous, problem_previous = batch.numbers(batch.previous)
            problem = problem | problem_previous
            years.append(previous)
        for values in years:
            ok = values.signal == OK
            problem |= values.signal == INEXACT
            low, _ = values.compare(batch.constant(0))
            high, _ = values.compare(batch.constant(limit))
            problem |= ok & ((low < 0) | (high > 0))  # PR505, whichever year it is
        value = current
        fallback = self.config.fallback or batch.survey_fallback
        if fallback == "previous_year" and previous is not None:
            value = previous.where((current.signal == MISSING) & (previous.signal == OK), current)
        if self.config.scale is not None:
            value = value.divide(batch.constant(self.config.scale)) * batch.constant(self.leaf.max)
        return BatchOutcome(value, problem=problem)

    def describe(self) -> str:
        if self.config.scale is not None:
            return f"survey value / {format_exact(self.config.scale)} × maximum"
        return "survey value in points"
