"""`formula`: the score is a safe expression over inputs, derived values and parameters.

"Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa" is ``formula: ratio(a, b) * max``. What a zero
denominator means is the rule's to declare (``on_zero_denominator``): "không phát sinh" may
give full points, zero, or make the item not applicable; without a declaration it is an error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from parindex_rules.expr.nodes import Formula, ZeroDenominator
from parindex_rules.methods._read import points_text
from parindex_rules.methods.base import (
    CompileContext,
    EvalContext,
    FactProblem,
    MethodConfig,
    Outcome,
    ScoringMethod,
)
from parindex_rules.model.common import Strict
from parindex_rules.model.ruleset import Source
from parindex_rules.numbers import format_exact

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome


class ZeroDenominatorRule(Strict):
    """What the rule says when a ratio's denominator is 0 (e.g. "không phát sinh")."""

    score: Literal["full", "zero", "not_applicable"]
    reason: str = Field(description="The rule's words, e.g. 'Không phát sinh hồ sơ'.")
    source: Source | None = None
    provisional: str | None = None


class FormulaConfig(MethodConfig):
    formula: str = Field(description="e.g. ratio(so_dung_han, tong_so) * max")
    on_zero_denominator: ZeroDenominatorRule | None = None
    cap: bool = Field(
        False,
        description="Keep the result within [0, maximum] (the explanation says when it applies). "
        "Without it, a result outside is an error, never clamped silently.",
    )


class FormulaMethod(ScoringMethod):
    """A safe arithmetic expression, parsed once at compile time."""

    Config = FormulaConfig
    reads = "inputs"
    summary = "A safe expression over inputs, derived values and parameters."
    config: FormulaConfig
    formula: Formula | None = None

    def prepare(self, ctx: CompileContext) -> None:
        self.formula = ctx.formula(self.config.formula, ("formula",))

    def names(self) -> set[str]:
        return set(self.formula.names) if self.formula is not None else set()

    def evaluate(self, ctx: EvalContext) -> Outcome:
        assert self.formula is not None
        try:
            raw = self.formula.evaluate(ctx.env())
        except ZeroDenominator as exc:
            rule = self.config.on_zero_denominator
            if rule is None:
                raise FactProblem(
                    "PR516",
                    f"denominator is 0 in {exc.text}",
                    hint="declare `on_zero_denominator` (full, zero or not_applicable) as the "
                    "decision says",
                ) from None
            step = f"denominator is 0 in {exc.text}: {rule.reason}"
            notes = [f"provisional reading: {rule.provisional}"] if rule.provisional else []
            if rule.score == "not_applicable":
                return Outcome(
                    score=Decimal(0), steps=[step], notes=notes, not_applicable=rule.reason
                )
            score = self.leaf.max if rule.score == "full" else Decimal(0)
            outcome = Outcome(score=score, steps=[f"{step} → {points_text(score)}"], notes=notes)
            if score == 0:
                outcome.zero_reason = f"denominator is 0 and the rule gives 0 ({rule.reason})"
            return outcome
        assert not isinstance(raw, bool)
        value = raw
        outcome = Outcome(score=value, steps=[f"{self.formula.text} = {format_exact(value)}"])
        if self.config.cap:
            if value > self.leaf.max:
                outcome.caps.append(
                    f"{format_exact(value)} capped at the maximum {points_text(self.leaf.max)}"
                )
                outcome.score = self.leaf.max
            elif value < 0:
                outcome.caps.append(f"{format_exact(value)} raised to 0")
                outcome.score = Decimal(0)
        if outcome.score == 0:
            outcome.zero_reason = f"{self.formula.text} = 0"
        return outcome

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome:
        """The formula for every unit at once, exactly; then the zero-denominator rule and the
        cap, as :meth:`evaluate` applies them."""
        from parindex_rules.batch.contract import BatchOutcome
        from parindex_rules.batch.exact import OK, ZERO_DENOMINATOR, Rationals

        assert self.formula is not None
        evaluated = batch.formula(self.formula)
        if not isinstance(evaluated, Rationals):
            return BatchOutcome(Rationals.inexact(batch.n))
        score = evaluated
        zero = score.signal == ZERO_DENOMINATOR
        not_applicable = None
        rule = self.config.on_zero_denominator
        if rule is not None and zero.any():
            if rule.score == "not_applicable":
                not_applicable = zero
            else:
                points = self.leaf.max if rule.score == "full" else Decimal(0)
                fixed = batch.constant(points)
                score = fixed.where(zero, score)
        if self.config.cap:
            ok = score.signal == OK
            above, _ = score.compare(batch.constant(self.leaf.max))
            below, _ = score.compare(batch.constant(0))
            score = batch.constant(self.leaf.max).where(ok & (above > 0), score)
            score = batch.constant(0).where(ok & (below < 0), score)
        return BatchOutcome(score, not_applicable=not_applicable)

    def describe(self) -> str:
        return f"điểm = {self.config.formula}"
