"""`checklist`: a list of conditions, each worth points; the score is the sum of those met."""

from __future__ import annotations

import difflib
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
from parindex_rules.model.common import Dec, Name, Strict
from parindex_rules.numbers import Number, total

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome


class Condition(Strict):
    key: Name
    label: str = Field(description="The condition as the decision words it, verbatim.")
    points: Dec


class ChecklistConfig(MethodConfig):
    conditions: list[Condition] = Field(min_length=1)


class ChecklistMethod(ScoringMethod):
    """Conditions met add their points; their points add up to the maximum."""

    Config = ChecklistConfig
    summary = "Conditions, each worth points; the score is the sum of those met."
    config: ChecklistConfig

    def __init__(self, config: MethodConfig, leaf: Any) -> None:
        super().__init__(config, leaf)
        self._lookup: dict[str, Condition] = {}
        for condition in self.config.conditions:
            self._lookup.setdefault(fold(condition.key), condition)
            self._lookup.setdefault(fold(condition.label), condition)

    def prepare(self, ctx: CompileContext) -> None:
        keys: set[str] = set()
        for i, condition in enumerate(self.config.conditions):
            if condition.key in keys:
                ctx.error("PR214", f"key {condition.key!r} is used twice", ("conditions", i, "key"))
            keys.add(condition.key)
            if condition.points < 0:
                ctx.error("PR520", "a condition cannot be worth negative points", ("conditions", i))
        points = total([c.points for c in self.config.conditions])
        if points != self.leaf.max:
            ctx.error(
                "PR215",
                f"conditions add up to {points_text(points)}, but the maximum is "
                f"{points_text(self.leaf.max)}",
                ("conditions",),
            )

    def best(self) -> Number | None:
        return total([c.points for c in self.config.conditions])

    def read(self, raw: Any) -> frozenset[str]:
        if isinstance(raw, dict):
            met = []
            for key, value in raw.items():
                if not isinstance(value, bool):
                    raise FactProblem(
                        "PR504",
                        f"condition {shown(key)}: expected true or false, got {shown(value)}",
                    )
                if value:
                    met.append(key)
        elif isinstance(raw, list):
            met = raw
        else:
            raise FactProblem(
                "PR504",
                f"expected the list of conditions met, got {shown(raw)}",
                hint="e.g. [" + ", ".join(c.key for c in self.config.conditions[:2]) + "]",
            )
        keys = set()
        for entry in met:
            condition = self._lookup.get(fold(str(entry)))
            if condition is None:
                close = difflib.get_close_matches(
                    str(entry), [c.key for c in self.config.conditions], n=1
                )
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else "known: " + ", ".join(c.key for c in self.config.conditions)
                )
                raise FactProblem(
                    "PR511", f"{shown(entry)} is not a condition of this item", hint=hint
                )
            keys.add(condition.key)
        return frozenset(keys)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        met: frozenset[str] = ctx.value
        steps = []
        gained = []
        for condition in self.config.conditions:
            if condition.key in met:
                gained.append(condition.points)
                steps.append(f"✓ {condition.label} (+{points_text(condition.points)})")
            else:
                steps.append(f"✗ {condition.label} (0 of {points_text(condition.points)})")
        score = total(gained)
        labels = [c.label for c in self.config.conditions if c.key in met]
        outcome = Outcome(score=score, matched="; ".join(labels) or None, steps=steps)
        if score == 0:
            outcome.zero_reason = "no condition is met"
        return outcome

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome:
        """Each distinct list of conditions met is read once and summed exactly."""

        def score(raw: Any) -> Number:
            met = self.read(raw)
            return total([c.points for c in self.config.conditions if c.key in met])

        return batch.by_value(score)

    def describe(self) -> str:
        return " · ".join(f"{c.label}: {points_text(c.points)}" for c in self.config.conditions)
