"""What every unit's evaluation shares: per-node facts worked out once per compiled ruleset.

A node's label, location, provenance text, method name, flags and input limits are the same
for every unit; the engine reads them from here instead of recomputing them per unit. A plan
is kept per compiled ruleset (compiled rulesets are read-only once built).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex_rules.compile.compiled import ROOT_ID, CompiledNode, CompiledRuleset
from parindex_rules.methods.base import ScoringMethod
from parindex_rules.model.ruleset import InputSpec, Origin, Sourced

#: (low, high, what): an input outside [low, high] is refused (PR505); None is unbounded.
Limit = tuple[Decimal | None, Decimal | None, str]


@dataclass(frozen=True, slots=True)
class InputCheck:
    """What an input's values must be: whole (a count), and within the limits its kind and
    declared range set, checked in this order."""

    whole: bool
    limits: tuple[Limit, ...]


@dataclass(frozen=True, slots=True)
class NodePlan:
    """One node's share of every evaluation."""

    node: CompiledNode
    id: str
    name: str
    level: str
    origin: Origin
    origin_label: str
    max: Decimal
    location: str
    provenance: str
    provisional: bool
    rule: str | None
    method: ScoringMethod | None
    method_name: str | None
    #: The leaf's formula text (formula methods), shown in its explanation.
    formula: str | None
    reads: str
    #: The evidence policy that applies (the node's own, else the ruleset's), and whether it
    #: can change anything (a self-assessed item, a policy other than "none").
    evidence: Sourced[Any]
    checks_evidence: bool
    self_assessable: bool
    adjustment: bool
    penalty: bool
    bonus: bool
    #: Children that count towards the maximum, and all children, in the decision's order.
    children: tuple[NodePlan, ...]
    regular_children: tuple[NodePlan, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    compiled: CompiledRuleset
    nodes: dict[str, NodePlan]
    leaves: tuple[NodePlan, ...]
    parents: tuple[NodePlan, ...]
    #: Leaves that declare inputs, with their input names in declaration order.
    input_owners: tuple[tuple[NodePlan, tuple[str, ...]], ...]
    #: Per input name, what its values must be.
    input_checks: dict[str, InputCheck]
    documents: dict[str, str]
    #: Whether anything in the ruleset is provisional (every result says so).
    provisional: bool


_PLANS: dict[int, Plan] = {}


def plan_of(compiled: CompiledRuleset) -> Plan:
    """The plan of `compiled`, made on first use."""
    plan = _PLANS.get(id(compiled))
    if plan is None or plan.compiled is not compiled:
        if len(_PLANS) > 64:
            _PLANS.clear()
        plan = _PLANS[id(compiled)] = _make_plan(compiled)
    return plan


def _make_plan(compiled: CompiledRuleset) -> Plan:
    documents = compiled.document_titles()
    nodes: dict[str, NodePlan] = {}
    # Children before parents, so that each parent links its children's plans.
    order = [*compiled.leaf_order, *compiled.parent_order]
    order += [i for i in compiled.nodes if i not in set(order)]
    for node_id in order:
        nodes[node_id] = _node_plan(compiled, compiled.nodes[node_id], documents, nodes)
    nodes = {node_id: nodes[node_id] for node_id in _result_order(compiled)}
    owners: dict[str, list[str]] = {}
    for name, owner in compiled.input_owner.items():
        owners.setdefault(owner, []).append(name)
    checks = {
        name: _check(compiled.nodes[owner].inputs[name])
        for name, owner in compiled.input_owner.items()
    }
    return Plan(
        compiled=compiled,
        nodes=nodes,
        leaves=tuple(nodes[i] for i in compiled.leaf_order),
        parents=tuple(nodes[i] for i in compiled.parent_order),
        input_owners=tuple((nodes[owner], tuple(names)) for owner, names in owners.items()),
        input_checks=checks,
        documents=documents,
        provisional=compiled.provisional,
    )


def _result_order(compiled: CompiledRuleset) -> list[str]:
    """The order of a result's nodes: the total first, then the decision's order."""
    return [ROOT_ID, *(i for i in compiled.nodes if i != ROOT_ID)]


def _node_plan(
    compiled: CompiledRuleset,
    node: CompiledNode,
    documents: dict[str, str],
    done: dict[str, NodePlan],
) -> NodePlan:
    method = node.method
    evidence = node.evidence or compiled.document.policies.evidence
    formula: Any = getattr(method, "formula", None)
    children = tuple(done[c] for c in node.children)
    return NodePlan(
        node=node,
        id=node.id,
        name=node.name,
        level=node.level,
        origin=node.origin,
        origin_label=node.origin_label,
        max=node.max,
        location=node.location,
        provenance=node.provenance.text(documents),
        provisional=node.rests_on_provisional,
        rule=node.rule,
        method=method,
        method_name=method.name if method is not None else None,
        formula=getattr(formula, "text", None),
        reads=method.reads if method is not None else "assessment",
        evidence=evidence,
        checks_evidence=node.origin.self_assessable and evidence.value != "none",
        self_assessable=node.origin.self_assessable,
        adjustment=node.origin.adjustment,
        penalty=node.origin is Origin.PENALTY,
        bonus=node.origin is Origin.BONUS,
        children=children,
        regular_children=tuple(c for c in children if not c.adjustment),
    )


def _check(spec: InputSpec) -> InputCheck:
    limits: list[Limit] = []
    if spec.kind == "count":
        limits.append((Decimal(0), None, "a count"))
    elif spec.kind == "percent":
        limits.append((Decimal(0), Decimal(100), "a percentage"))
    elif spec.kind == "ratio":
        limits.append((Decimal(0), Decimal(1), "a ratio"))
    if spec.min is not None or spec.max is not None:
        limits.append((spec.min, spec.max, "declared range"))
    return InputCheck(whole=spec.kind == "count", limits=tuple(limits))
