"""Comparing stages: what the council changed, and what a unit lost against the maximum.

The same compiled ruleset evaluates a unit's self-assessment and its appraisal; this module
puts the two side by side, item by item and node by node (self vs appraised, over the items
units self-assess, so both sides share the self-assessable maximum), and lists the points a
unit lost against each item's maximum, largest first: what to work on next year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parindex_rules.compile.compiled import ROOT_ID, CompiledNode, CompiledRuleset
from parindex_rules.evaluate.engine import Stage, evaluate_unit
from parindex_rules.evaluate.result import UnitResult
from parindex_rules.loader.facts import Facts
from parindex_rules.model.facts import UnitFacts
from parindex_rules.model.ruleset import Origin
from parindex_rules.numbers import (
    ZERO,
    NotADecimal,
    Number,
    add,
    compare,
    format_exact,
    parse_decimal,
    sub,
)


@dataclass(frozen=True)
class NodeChange:
    """One node at the self stage and at the appraised stage."""

    id: str
    name: str
    level: str
    max: Number
    self_score: Number | None
    appraised_score: Number | None
    #: For leaves: whether an appraisal round is given at all.
    appraised: bool
    #: Inputs (raw figures) a round restated with another value than the self-assessment.
    restated: tuple[str, ...] = ()

    @property
    def difference(self) -> Number | None:
        """appraised − self (negative: the council took points off)."""
        if self.self_score is None or self.appraised_score is None:
            return None
        return sub(self.appraised_score, self.self_score)

    @property
    def changed(self) -> bool:
        """The council's score differs from the unit's own (or exists where the unit gave none)."""
        if self.self_score is None or self.appraised_score is None:
            return self.self_score is not self.appraised_score
        return compare(self.self_score, self.appraised_score) != 0


@dataclass
class StageComparison:
    """One unit, self vs appraised: per item, per node, and in total."""

    unit: str
    name: str
    self_result: UnitResult
    appraised_result: UnitResult
    #: Leaves the unit self-assesses, in the decision's order.
    items: list[NodeChange] = field(default_factory=list)
    #: Fields, criteria with children, and the total.
    nodes: dict[str, NodeChange] = field(default_factory=dict)

    @property
    def total(self) -> NodeChange | None:
        """None when the unit's result is withheld."""
        return self.nodes.get(ROOT_ID)

    @property
    def changed(self) -> list[NodeChange]:
        """Items the council changed, in the decision's order."""
        return [item for item in self.items if item.changed]

    def to_json(self) -> dict[str, Any] | None:
        self_ = self.self_result
        total = self.total
        if total is None:
            return None

        def show(value: Number | None) -> str | None:
            return self_.rounded(value)

        return {
            "self_score": show(total.self_score),
            "appraised_score": show(total.appraised_score),
            "difference": show(total.difference),
            "max": format_exact(total.max),
            "changed": [
                {
                    "item": c.id,
                    "name": c.name,
                    "self": show(c.self_score),
                    "appraised": show(c.appraised_score),
                    "difference": show(c.difference),
                    "restated": list(c.restated),
                }
                for c in self.changed
            ],
            "nodes": {
                node_id: {
                    "self": show(n.self_score),
                    "appraised": show(n.appraised_score),
                    "difference": show(n.difference),
                }
                for node_id, n in self.nodes.items()
                if node_id != ROOT_ID
            },
        }


def compare_stages(
    compiled: CompiledRuleset,
    unit: UnitFacts,
    *,
    facts: Facts | None = None,
    year: int | None = None,
) -> StageComparison:
    """Evaluate `unit` at the self and appraised stages and compare them."""

    def run(stage: Stage) -> UnitResult:
        return evaluate_unit(compiled, unit, stage=stage, year=year, facts=facts)

    own, appraised = run("self"), run("appraised")
    comparison = StageComparison(unit.unit, unit.name, own, appraised)
    if not unit.evaluated:
        return comparison
    for node_id, node in compiled.nodes.items():
        if not (node.origin.self_assessable or node.origin_label == "mixed"):
            continue
        a, b = own.nodes[node_id], appraised.nodes[node_id]
        if a.status == "not_in_stage":
            continue
        item = unit.items.get(node_id)
        rounds = [r for r in (item.appraisal or []) if r is not None] if item else []
        change = NodeChange(
            id=node_id,
            name=node.name,
            level=node.level,
            max=a.max,
            self_score=a.score,
            appraised_score=b.score,
            appraised=bool(rounds),
            restated=_restated(list(node.inputs), item.self_, rounds) if item is not None else (),
        )
        if node.is_leaf:
            comparison.items.append(change)
        else:
            comparison.nodes[node_id] = change
    return comparison


def _restated(names: list[str], own: Any, rounds: list[Any]) -> tuple[str, ...]:
    """Input names whose final (merged) value differs from the self-assessed one."""
    if not names or not rounds:
        return ()

    def mapping(raw: Any) -> dict[str, Any]:
        if isinstance(raw, dict):
            return {k: v for k, v in raw.items() if v is not None}
        return {names[0]: raw} if len(names) == 1 and raw is not None else {}

    mine = mapping(own)
    final = dict(mine)
    for raw in rounds:
        final.update(mapping(raw))
    return tuple(
        name for name, value in final.items() if name not in mine or not _same(mine[name], value)
    )


def _same(a: Any, b: Any) -> bool:
    try:
        return parse_decimal(a) == parse_decimal(b)
    except NotADecimal:
        return bool(a == b)


@dataclass(frozen=True)
class PointsLost:
    """Points an item fell short of its maximum (or a penalty took off)."""

    item: str
    name: str
    origin: str
    max: Number
    score: Number
    lost: Number
    status: str


def points_lost(compiled: CompiledRuleset, result: UnitResult) -> list[PointsLost]:
    """Per scored leaf, the points lost against its maximum, largest first.

    Bonus items are outside the maximum and lose nothing; a penalty loses what it takes off.
    Items not applicable under ``applicable_maximum`` have no maximum left, so lose nothing;
    under ``fixed`` they lose their maximum. Equal losses keep the decision's order.
    """
    out: list[PointsLost] = []
    for node_id in compiled.leaf_order:
        node = compiled.nodes[node_id]
        scored = result.nodes.get(node_id)
        if scored is None or scored.score is None or node.origin is Origin.BONUS:
            continue
        penalty = node.origin is Origin.PENALTY
        lost = scored.score if penalty else sub(scored.max, scored.score)
        if compare(lost, ZERO) > 0:
            out.append(
                PointsLost(
                    node_id,
                    node.name,
                    node.origin.value,
                    scored.max,
                    scored.score,
                    lost,
                    scored.status,
                )
            )
    position = {node_id: i for i, node_id in enumerate(compiled.leaf_order)}
    out.sort(key=lambda p: position[p.item])
    out.sort(key=lambda p: _SortDesc(p.lost))
    return out


class _SortDesc:
    """Sort key putting larger exact numbers first."""

    def __init__(self, value: Number) -> None:
        self.value = value

    def __lt__(self, other: _SortDesc) -> bool:
        return compare(self.value, other.value) > 0


def not_self_assessed(compiled: CompiledRuleset) -> list[CompiledNode]:
    """The largest nodes units never self-assess (survey and appraisal-only items): a field
    wholly scored from the survey is listed once, not leaf by leaf. Decision order."""

    def only_others(node_id: str) -> bool:
        node = compiled.nodes[node_id]
        if node.is_leaf:
            return not node.origin.self_assessable
        return all(only_others(child) for child in node.children)

    out: list[CompiledNode] = []

    def walk(node_id: str) -> None:
        for child in compiled.nodes[node_id].children:
            if only_others(child):
                out.append(compiled.nodes[child])
            else:
                walk(child)

    walk(ROOT_ID)
    return out


def self_assessable_max(compiled: CompiledRuleset) -> Number:
    """The maximum of what units self-assess (bonus and penalty caps excepted)."""
    total: Number = ZERO
    for node in compiled.leaves():
        if node.origin.self_assessable and not node.origin.adjustment:
            total = add(total, node.max)
    return total
