"""`per_occurrence_deduction`: the maximum minus n × step, never below 0.

This illustrates a rule shape common in provinces' annexes, for instance "mỗi báo cáo chậm trừ
0,25 điểm, tối đa trừ hết số điểm của tiêu chí" (each late report costs 0.25 points, down to
nothing). It is not taken from a decision we hold: the demo ruleset that uses it is provisional.

The unit reports the occurrences (the late reports) as a count, or better as a list naming
each one; the council may restate the list in an appraisal round. The explanation names the
occurrences, the deduction, and the cap when it applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from parindex_rules.methods.base import (
    CompileContext,
    EvalContext,
    FactProblem,
    LeafInfo,
    MethodConfig,
    Outcome,
    ScoringMethod,
)
from parindex_rules.model.common import Dec
from parindex_rules.model.ruleset import Origin
from parindex_rules.numbers import (
    NotADecimal,
    Number,
    compare,
    format_exact,
    mul,
    parse_decimal,
    sub,
)


class PerOccurrenceDeductionConfig(MethodConfig):
    """The settings written under the leaf's ``scoring:``."""

    step: Dec = Field(
        gt=0, description="Points deducted per occurrence, e.g. 0,25 ('mỗi ... trừ 0,25 điểm')."
    )
    occurrence: str = Field(
        min_length=1,
        description="One occurrence in the decision's words, e.g. 'báo cáo chậm'.",
    )
    max_deduction: Dec | None = Field(
        None,
        gt=0,
        description="The most that may be deducted ('tối đa trừ ... điểm'); by default the "
        "item's maximum ('tối đa trừ hết số điểm của tiêu chí').",
    )


@dataclass(frozen=True)
class Occurrences:
    """What a unit reported: how many, and their names when it listed them."""

    count: int
    names: tuple[str, ...] = ()


class PerOccurrenceDeduction(ScoringMethod):
    """The maximum minus ``step`` per occurrence, never below 0 (nor below max − cap)."""

    #: Written as a number, not imported: it states the API this code was written against.
    api_version: ClassVar[int] = 1
    Config = PerOccurrenceDeductionConfig
    allowed_origins: ClassVar[frozenset[Origin]] = frozenset(
        {Origin.ASSESSED, Origin.APPRAISAL_ONLY}
    )
    summary = "The maximum minus n × step for n occurrences, never below 0 (demo plugin)."
    config: PerOccurrenceDeductionConfig

    def __init__(self, config: MethodConfig, leaf: LeafInfo) -> None:
        super().__init__(config, leaf)
        self.cap: Decimal = self.config.max_deduction or leaf.max

    def prepare(self, ctx: CompileContext) -> None:
        config = self.config
        if config.max_deduction is not None and config.max_deduction > self.leaf.max:
            ctx.error(
                "PR104",
                f"max_deduction {format_exact(config.max_deduction)} is above the item's "
                f"maximum {format_exact(self.leaf.max)}: the score would go below 0",
                ("max_deduction",),
            )
        elif config.step > self.cap:
            ctx.error(
                "PR104",
                f"one {config.occurrence} would deduct {format_exact(config.step)}, more than "
                f"the most that may be deducted ({format_exact(self.cap)})",
                ("step",),
            )

    def best(self) -> Number | None:
        return self.leaf.max

    def read(self, raw: Any) -> Occurrences:
        what = self.config.occurrence
        if isinstance(raw, list):
            names = []
            for entry in raw:
                if not isinstance(entry, str) or not entry.strip():
                    raise FactProblem("PR504", f"each {what} is named by a text, not {entry!r}")
                name = " ".join(entry.split())
                if name in names:
                    raise FactProblem("PR504", f"{what} {name!r} is listed twice")
                names.append(name)
            return Occurrences(len(names), tuple(names))
        try:
            count = None if isinstance(raw, bool) else parse_decimal(raw)
        except NotADecimal:
            count = None
        if count is None or count < 0 or count != count.to_integral_value():
            raise FactProblem(
                "PR504",
                f"expected the number of {what} (a whole number) or the list of them, got {raw!r}",
                hint=f'e.g. 2, or ["{what} 1", "{what} 2"]',
            )
        return Occurrences(int(count))

    def evaluate(self, ctx: EvalContext) -> Outcome:
        found: Occurrences = ctx.value
        what = self.config.occurrence
        top = self.leaf.max
        listed = f": {'; '.join(found.names)}" if found.names else ""
        steps = [f"{found.count} × {what}{listed}"]
        deduction: Number = mul(Decimal(found.count), self.config.step)
        steps.append(
            f"deduction {found.count} × {format_exact(self.config.step)} = "
            f"{format_exact(deduction)}"
        )
        caps = []
        if compare(deduction, self.cap) > 0:
            caps.append(
                f"deduction {format_exact(deduction)} capped at {format_exact(self.cap)} "
                "(the most the rule deducts)"
            )
            deduction = self.cap
        score = sub(top, deduction)
        steps.append(f"{format_exact(top)} − {format_exact(deduction)} = {format_exact(score)}")
        outcome = Outcome(
            score=score,
            matched=f"{found.count} × {what}" if found.count else f"không có {what}",
            steps=steps,
            caps=caps,
        )
        if compare(score, Decimal(0)) == 0:
            outcome.zero_reason = (
                f"{found.count} × {what} deduct the whole maximum ({format_exact(top)})"
            )
        return outcome

    def describe(self) -> str:
        text = f"trừ {format_exact(self.config.step)} điểm mỗi {self.config.occurrence}"
        return text + f", tối đa trừ {format_exact(self.cap)} điểm"
