"""`choice`: labelled outcomes, the most common rule in real annexes.

"Ban hành kịp thời: 1 · Ban hành không kịp thời: 0,5 · Không ban hành: 0". The fact names the
outcome by its key or its label (compared without regard to case or spacing); labels are kept
verbatim and the explanation names the outcome chosen.
"""

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
from parindex_rules.numbers import Number

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome


class ChoiceOption(Strict):
    key: Name | None = Field(None, description="A short stable key, e.g. kip_thoi.")
    label: str = Field(description="The outcome as the decision words it, verbatim.")
    points: Dec


class ChoiceConfig(MethodConfig):
    options: list[ChoiceOption] = Field(min_length=1)


class ChoiceMethod(ScoringMethod):
    """One of several labelled outcomes, each worth fixed points."""

    Config = ChoiceConfig
    summary = "Labelled outcomes, each worth fixed points."
    config: ChoiceConfig

    def __init__(self, config: MethodConfig, leaf: Any) -> None:
        super().__init__(config, leaf)
        self._by_text: dict[str, ChoiceOption] = {}
        for option in self.config.options:
            self._by_text.setdefault(fold(option.label), option)
            if option.key:
                self._by_text.setdefault(fold(option.key), option)
        # Answers written exactly as a key or label: found without folding them first.
        self._as_written = {
            text: option
            for option in self.config.options
            for text in (option.label, option.key)
            if text and self._by_text.get(fold(text)) is option
        }
        # What the explanation says of each option (the same for every unit).
        self._steps = {
            (option.label, option.points): f"outcome {option.label!r} → "
            f"{points_text(option.points)}"
            for option in self.config.options
        }

    def prepare(self, ctx: CompileContext) -> None:
        keys: set[str] = set()
        labels: set[str] = set()
        for i, option in enumerate(self.config.options):
            if option.key is not None:
                if option.key in keys:
                    ctx.error("PR214", f"key {option.key!r} is used twice", ("options", i, "key"))
                keys.add(option.key)
            folded = fold(option.label)
            if folded in labels:
                ctx.error("PR214", f"label {option.label!r} is used twice", ("options", i, "label"))
            labels.add(folded)
            if option.points < 0:
                ctx.error(
                    "PR520", "an outcome cannot give negative points", ("options", i, "points")
                )
            if option.points > self.leaf.max:
                ctx.error(
                    "PR213",
                    f"outcome {option.label!r} gives {points_text(option.points)}, above the "
                    f"maximum {points_text(self.leaf.max)}",
                    ("options", i, "points"),
                )
        best = self.best()
        if best is not None and best < self.leaf.max:
            ctx.warning(
                "PR221",
                f"no outcome gives the maximum {points_text(self.leaf.max)} "
                f"(best: {points_text(best)})",
                ("options",),
            )

    def best(self) -> Number | None:
        return max(option.points for option in self.config.options)

    def read(self, raw: Any) -> ChoiceOption:
        if not isinstance(raw, str):
            raise FactProblem(
                "PR504",
                f"expected the outcome's key or label, got {shown(raw)}",
                hint="one of: " + "; ".join(self._choices()),
            )
        option = self._as_written.get(raw) or self._by_text.get(fold(raw))
        if option is None:
            close = difflib.get_close_matches(fold(raw), list(self._by_text), n=1, cutoff=0.6)
            hint = "one of: " + "; ".join(self._choices())
            if close:
                hint = f"did you mean {self._by_text[close[0]].label!r}? " + hint
            raise FactProblem("PR511", f"{shown(raw)} is not an outcome of this item", hint=hint)
        return option

    def _choices(self) -> list[str]:
        return [f"{o.key} = {o.label!r}" if o.key else repr(o.label) for o in self.config.options]

    def evaluate(self, ctx: EvalContext) -> Outcome:
        option: ChoiceOption = ctx.value
        outcome = Outcome(
            score=option.points,
            matched=option.label,
            steps=[self._steps[option.label, option.points]],
        )
        if option.points == 0:
            outcome.zero_reason = f"the outcome {option.label!r} gives 0 points"
        return outcome

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome:
        """Each distinct answer is read once; its points spread to every unit that gave it."""
        return batch.by_value(lambda raw: self.read(raw).points)

    def describe(self) -> str:
        return " · ".join(f"{o.label}: {points_text(o.points)}" for o in self.config.options)
