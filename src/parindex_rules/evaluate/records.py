"""Explanation records, made from what the engine recorded while it evaluated a unit.

While it scores, the engine keeps per node only what the explanation needs: the method's
:class:`Outcome`, the values the rule read and where each was written, what the evidence policy
did, the children's results. :class:`Explainer` turns that into an :class:`Explanation` (every
text included) the first time one is asked for; nothing is evaluated again. An explainer holds
no reference to the evaluation, so a result is freed as soon as it is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex_rules.diagnostics import Path
from parindex_rules.evaluate.explanation import Explanation, InputRecord
from parindex_rules.evaluate.plan import NodePlan
from parindex_rules.loader.yaml import SourceMap
from parindex_rules.methods.base import Outcome
from parindex_rules.model.facts import ItemFacts
from parindex_rules.numbers import ZERO, Number, RoundingMode, format_exact

if TYPE_CHECKING:
    from parindex_rules.evaluate.result import NodeResult


@dataclass(slots=True)
class Value:
    """A value read from the facts (or derived), with what it is and where it was written.

    Explanations show where it came from as ``label (FILE:LINE:COL)``
    (:meth:`Explainer.source`). An empty `path` means `label` is the whole text.
    """

    value: Any
    label: str
    path: Path = ()


#: A value a rule read while scoring a leaf: its name, value, label and path (as in Value).
Read = tuple[str, Number, str, Path]


@dataclass(frozen=True, slots=True)
class EvidenceEffect:
    """What the evidence policy did to the score of an item without evidence."""

    policy: str  # "required": scored 0 instead of `score`; "explanation": flagged
    score: Number
    quote: str  # the policy's source, quoted, or ""


class Explainer:
    """Makes the explanation records of one unit at one stage."""

    __slots__ = ("facts_map", "located", "not_applicable", "places", "rounding", "stage")

    def __init__(
        self,
        *,
        stage: str,
        places: int,
        rounding: RoundingMode,
        facts_map: SourceMap,
        not_applicable: str,
    ) -> None:
        self.stage = stage
        self.places = places
        self.rounding = rounding
        self.facts_map = facts_map
        self.located = bool(facts_map.values or facts_map.keys)
        #: The ruleset's not-applicable policy ("fixed" or "applicable_maximum").
        self.not_applicable = not_applicable

    # -- where values came from
    def where(self, path: Path, what: str) -> str:
        if not self.located:
            return what
        return f"{what} ({self.facts_map.where(path)})"

    def source(self, value: Value) -> str:
        return self.where(value.path, value.label) if value.path else value.label

    # -- records
    def base(self, plan: NodePlan, status: str, score: Number | None, max_: Number) -> Explanation:
        """What every record of the node says: what it is and where it is defined."""
        return Explanation(
            node=plan.id,
            name=plan.name,
            level=plan.level,
            stage=self.stage,
            origin=plan.origin_label,
            status=status,
            score=score,
            max=max_,
            places=self.places,
            rounding=self.rounding,
            location=plan.location,
            provenance=plan.provenance,
            provisional=plan.provisional,
            method=plan.method_name,
            rule=plan.rule,
        )

    def leaf(self, plan: NodePlan, item: ItemFacts | None) -> Explanation:
        """A leaf's record before its method ran: what it is, and the evidence given."""
        explanation = self.base(plan, "scored", None, plan.max)
        explanation.evidence = [_evidence_text(e) for e in (item.evidence if item else [])]
        return explanation

    def scored(
        self,
        plan: NodePlan,
        item: ItemFacts | None,
        picked: Value | None,
        reads: list[Read],
        outcome: Outcome,
        effect: EvidenceEffect | None,
        score: Number | None,
    ) -> Explanation:
        """A leaf its method scored: the values read, the method's outcome, and what the
        evidence policy did."""
        explanation = self.leaf(plan, item)
        records = []
        if picked is not None and plan.reads == "assessment":  # survey values: Outcome.inputs
            records.append(InputRecord("value given", _show(picked.value), self.source(picked)))
        for name, value, label, path in reads:
            source = self.where(path, label) if path else label
            records.append(InputRecord(name, format_exact(value), source))
        records.extend(InputRecord(*entry) for entry in outcome.inputs)
        explanation.inputs = records
        explanation.matched = outcome.matched
        explanation.steps = list(outcome.steps)
        explanation.caps = list(outcome.caps)
        explanation.notes.extend(outcome.notes)
        explanation.zero_reason = outcome.zero_reason
        explanation.formula = plan.formula
        if effect is not None and effect.policy == "required":
            explanation.caps.append(
                f"{format_exact(effect.score)} → 0: no evidence document (tài liệu kiểm chứng)"
            )
            explanation.zero_reason = (
                f"no evidence document: the ruleset gives no points without one{effect.quote}"
            )
        elif effect is not None:
            explanation.notes.append(
                "no evidence and no explanation: flagged for the appraisal council" + effect.quote
            )
        explanation.score = score
        return explanation

    def not_in_stage(self, plan: NodePlan) -> Explanation:
        explanation = self.base(plan, "not_in_stage", None, ZERO)
        explanation.notes.append(
            f"{plan.origin.value} item: not self-assessed, so not part of the {self.stage} stage"
        )
        return explanation

    def not_applicable_leaf(
        self, plan: NodePlan, reason: str, steps: tuple[str, ...], max_: Number
    ) -> Explanation:
        if self.not_applicable == "applicable_maximum":
            note = (
                f"not applicable ({reason}): its {format_exact(plan.max)} points come off this "
                "unit's maximum"
            )
        else:
            note = (
                f"not applicable ({reason}): scored 0; the ruleset keeps the declared maximum "
                "as the denominator"
            )
        explanation = self.base(plan, "not_applicable", ZERO, max_)
        explanation.steps = list(steps)
        explanation.notes.append(note)
        explanation.zero_reason = note
        return explanation

    def parent(
        self,
        plan: NodePlan,
        children: list[NodeResult],
        max_: Number,
        status: str,
        sum_: Number | None,
        score: Number | None,
        clamp: str | None,
    ) -> Explanation:
        """A parent: its children's records, and their sum in words (`clamp` says how the sum
        was kept within 0 and the maximum)."""
        explanation = self.base(plan, status, None, max_)
        explanation.children = [c.explanation for c in children]
        counted = [
            (child, child_plan)
            for child, child_plan in zip(children, plan.children, strict=True)
            if child.status != "not_in_stage"
        ]
        if status == "not_in_stage":
            explanation.notes.append(f"no item of this node is part of the {self.stage} stage")
            return explanation
        if status == "incomplete":
            broken = [child.id for child, _ in counted if child.score is None]
            explanation.zero_reason = "no score: " + ", ".join(broken) + " could not be scored"
            return explanation
        assert sum_ is not None
        terms = []
        for child, child_plan in counted:
            assert child.score is not None
            if child_plan.penalty:
                terms.append(f"− {format_exact(child.score)} ({child.id}, penalty)")
            else:
                tag = f" ({child.id}, bonus)" if child_plan.bonus else ""
                terms.append(f"+ {format_exact(child.score)}{tag}")
        text = " ".join(terms).lstrip("+ ")
        explanation.steps.append(f"sum of {len(counted)} items: {text} = {format_exact(sum_)}")
        if clamp is not None:
            explanation.caps.append(clamp)
        if score == 0:
            explanation.zero_reason = "every item counted scored 0"
        explanation.score = score
        return explanation


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_exact(value)
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _evidence_text(evidence: Any) -> str:
    parts = [p for p in (evidence.number, evidence.date, evidence.title, evidence.link) if p]
    return " · ".join(str(p) for p in parts)
