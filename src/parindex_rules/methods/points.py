"""`points` and `appraisal_only`: a score given directly.

The unit self-assesses a number of points and the council appraises it (``points``), or only
the council scores the item (``appraisal_only``, e.g. Hà Nội content I criterion 8). A score
above the maximum, negative, or off the allowed values or step is a diagnostic: it is never
clamped or rounded into shape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

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
from parindex_rules.numbers import Number

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome


class PointsConfig(MethodConfig):
    allowed: list[Dec] | None = Field(
        None, description="The only scores allowed, e.g. [0, 0.5, 1]."
    )
    step: Dec | None = Field(None, gt=0, description="Scores must be multiples of this step.")


class PointsMethod(ScoringMethod):
    """A score given directly; the council's appraisal is final."""

    Config = PointsConfig
    allowed_origins = frozenset(
        {Origin.ASSESSED, Origin.BONUS, Origin.PENALTY, Origin.SURVEY, Origin.APPRAISAL_ONLY}
    )
    summary = "A score given directly (self-assessed, then appraised)."
    config: PointsConfig

    def prepare(self, ctx: CompileContext) -> None:
        config = self.config
        top = self.leaf.max
        if config.allowed is not None:
            if not config.allowed:
                ctx.error("PR104", "`allowed` must list at least one score", ("allowed",))
            seen: set[Decimal] = set()
            for i, value in enumerate(config.allowed):
                if value < 0:
                    ctx.error("PR520", f"allowed score {value} is negative", ("allowed", i))
                if value > top:
                    ctx.error(
                        "PR213",
                        f"allowed score {points_text(value)} is above the maximum "
                        f"{points_text(top)}",
                        ("allowed", i),
                    )
                if value in seen:
                    ctx.error(
                        "PR214", f"score {points_text(value)} is listed twice", ("allowed", i)
                    )
                seen.add(value)
            if config.allowed and max(config.allowed) < top:
                ctx.warning(
                    "PR221",
                    f"the highest allowed score {points_text(max(config.allowed))} is below the "
                    f"maximum {points_text(top)}",
                    ("allowed",),
                )
        if config.step is not None and top % config.step != 0:
            ctx.warning(
                "PR221",
                f"the maximum {points_text(top)} is not a multiple of the step "
                f"{points_text(config.step)}",
                ("step",),
            )

    def best(self) -> Number | None:
        if self.config.allowed:
            return max(self.config.allowed)
        return self.leaf.max

    def read(self, raw: Any) -> Decimal:
        value = read_decimal(raw)
        if value < 0:
            raise FactProblem("PR520", f"score {points_text(value)} is negative")
        if value > self.leaf.max:
            raise FactProblem(
                "PR506",
                f"score {points_text(value)} is above the item's maximum "
                f"{points_text(self.leaf.max)}",
                hint="scores are never clamped: correct the score",
            )
        allowed = self.config.allowed
        if allowed is not None and value not in allowed:
            choices = ", ".join(points_text(v) for v in sorted(allowed))
            raise FactProblem(
                "PR507", f"score {points_text(value)} is not allowed", hint=f"allowed: {choices}"
            )
        step = self.config.step
        if step is not None and value % step != 0:
            raise FactProblem(
                "PR507",
                f"score {points_text(value)} is not a multiple of the step {points_text(step)}",
            )
        return value

    def evaluate(self, ctx: EvalContext) -> Outcome:
        score: Decimal = ctx.value
        outcome = Outcome(score=score, steps=[f"score given: {points_text(score)}"])
        if score == 0:
            outcome.zero_reason = f"the {ctx.value_source} is 0"
        return outcome

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome:
        """Scores given directly, checked as :meth:`read` checks them, for every unit at once."""
        import numpy as np

        from parindex_rules.batch.contract import BatchOutcome
        from parindex_rules.batch.exact import INEXACT, OK, Rationals

        values, problem = batch.numbers()
        ok = values.signal == OK
        problem = problem | (values.signal == INEXACT)
        low, _ = values.compare(batch.constant(0))
        high, _ = values.compare(batch.constant(self.leaf.max))
        problem |= ok & ((low < 0) | (high > 0))
        if self.config.allowed is not None:
            member = np.zeros(batch.n, np.bool_)
            for allowed in self.config.allowed:
                sign, _ = values.compare(batch.constant(allowed))
                member |= sign == 0
            problem |= ok & ~member
        if self.config.step is not None:
            quotient = values.divide(batch.constant(self.config.step))
            whole = quotient.num % quotient.den == 0
            problem |= ok & (~whole | (quotient.signal != OK))
        return BatchOutcome(values.where(~problem, Rationals.inexact(batch.n)), problem=problem)

    def describe(self) -> str:
        if self.config.allowed:
            return "score given, one of " + ", ".join(points_text(v) for v in self.config.allowed)
        if self.config.step:
            return f"score given, in steps of {points_text(self.config.step)}"
        return "score given directly"


class AppraisalOnlyMethod(PointsMethod):
    """Scored by the appraisal council alone; units give an explanation and evidence, no score."""

    allowed_origins: ClassVar[frozenset[Origin]] = frozenset({Origin.APPRAISAL_ONLY})
    default_origin = Origin.APPRAISAL_ONLY
    summary = "Scored by the appraisal council only; never self-assessed."
