"""`boolean`: done gives the maximum (or the points declared), not done gives 0."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import Field

from parindex_rules.diagnostics import shown
from parindex_rules.methods._read import fold, points_text
from parindex_rules.methods.base import (
    CompileContext,
    EvalContext,
    FactProblem,
    MethodConfig,
    Outcome,
    ScoringMethod,
)
from parindex_rules.model.common import Dec
from parindex_rules.numbers import Number

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome


_TRUE = {"true", "yes", "có", "đạt", "đã thực hiện", "1"}
_FALSE = {"false", "no", "không", "không đạt", "chưa thực hiện", "0"}


class BooleanConfig(MethodConfig):
    true_label: str | None = Field(None, description="The decision's words for done, e.g. 'Đạt'.")
    false_label: str | None = Field(None, description="The words for not done, e.g. 'Không đạt'.")
    points: Dec | None = Field(None, description="Points when done (default: the maximum).")


class BooleanMethod(ScoringMethod):
    """Done → the maximum (or `points`); not done → 0."""

    Config = BooleanConfig
    summary = "Done gives the maximum, not done gives 0."
    config: BooleanConfig

    @property
    def _points(self) -> Decimal:
        return self.config.points if self.config.points is not None else self.leaf.max

    def prepare(self, ctx: CompileContext) -> None:
        if self.config.points is not None:
            if self.config.points > self.leaf.max:
                ctx.error(
                    "PR213",
                    f"done gives {points_text(self.config.points)}, above the maximum "
                    f"{points_text(self.leaf.max)}",
                    ("points",),
                )
            elif self.config.points < self.leaf.max:
                ctx.warning("PR221", "done gives less than the maximum", ("points",))

    def best(self) -> Number | None:
        return self._points

    def read(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            text = fold(raw)
            if self.config.true_label and text == fold(self.config.true_label):
                return True
            if self.config.false_label and text == fold(self.config.false_label):
                return False
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
        labels = [x for x in (self.config.true_label, self.config.false_label) if x]
        hint = "write true or false" + (f" (or {' / '.join(map(repr, labels))})" if labels else "")
        raise FactProblem("PR504", f"expected done or not done, got {shown(raw)}", hint=hint)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        done: bool = ctx.value
        label = (
            (self.config.true_label or "done") if done else (self.config.false_label or "not done")
        )
        score = self._points if done else Decimal(0)
        outcome = Outcome(score=score, matched=label, steps=[f"{label} → {points_text(score)}"])
        if not done:
            outcome.zero_reason = f"{label}: the rule gives 0"
        return outcome

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome:
        """Each distinct answer is read once; done gives the points, not done 0."""
        return batch.by_value(lambda raw: self._points if self.read(raw) else Decimal(0))

    def describe(self) -> str:
        return (
            f"{self.config.true_label or 'done'}: {points_text(self._points)} · "
            f"{self.config.false_label or 'not done'}: 0"
        )
