"""The compiled ruleset: a validated hierarchy, parsed formulas and the evaluation graph.

Everything here is computed once per ruleset and shared, read-only, by every evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import networkx as nx

from parindex_rules.diagnostics import Diagnostic, Path
from parindex_rules.expr.nodes import Formula
from parindex_rules.loader.yaml import SourceMap
from parindex_rules.methods.base import ScoringMethod
from parindex_rules.model.ruleset import InputSpec, Origin, RulesetDocument, Source, Sourced

#: The id of the whole index (the root of the hierarchy). No decision number looks like it.
ROOT_ID = "total"

Level = Literal["total", "field", "criterion", "subcriterion"]


@dataclass(frozen=True)
class Provenance:
    """A node's `source`, or why it is `provisional`."""

    source: Source | None
    provisional: str | None

    @property
    def is_provisional(self) -> bool:
        return self.provisional is not None

    def text(self, documents: dict[str, str] | None = None) -> str:
        if self.provisional is not None:
            return f"provisional: {self.provisional}"
        if self.source is None:
            return "no provenance"
        s = self.source
        title = (documents or {}).get(s.document, s.document)
        parts = [title]
        if s.part:
            parts.append(f"part {s.part}")
        if s.row:
            parts.append(f"row {s.row}")
        if s.line:
            parts.append(f"line {s.line}")
        text = ", ".join(parts)
        if s.quote:
            text += f': "{s.quote}"'
        return text

    def to_json(self) -> dict[str, object]:
        if self.provisional is not None:
            return {"provisional": self.provisional}
        if self.source is None:
            return {}
        return {"source": self.source.model_dump(exclude_none=True)}


@dataclass
class CompiledNode:
    """One node of the hierarchy (the root, a field, a criterion or a sub-criterion)."""

    id: str
    name: str
    level: Level
    parent: str | None
    children: list[str]
    max: Decimal
    origin: Origin
    provenance: Provenance
    path: Path
    file: str
    line: int
    rule: str | None = None
    method: ScoringMethod | None = None
    inputs: dict[str, InputSpec] = field(default_factory=dict)
    evidence: Sourced[Any] | None = None
    missing: str = "error"
    may_be_not_applicable: bool = True
    notes: str | None = None
    basis: str | None = None
    excerpt_of: Decimal | None = None
    evidence_documents: str | None = None
    replaces: str | None = None
    #: True when this node or any descendant is provisional: its score rests on provisional content.
    rests_on_provisional: bool = False
    #: The origin shown in reports: the node's own, or "mixed" for a parent of several origins.
    origin_label: str = "assessed"
    #: Provisional readings inside the leaf's rule (a band, a zero-denominator rule): where, why.
    readings: list[tuple[Path, str]] = field(default_factory=list)
    #: How the node counts in its parent, set by the compiler. A bonus or penalty node directly
    #: under a regular node adjusts it: its points sit outside the parent's maximum and are
    #: added (bonus) or subtracted (penalty). Every other node adds its score and its maximum,
    #: the items inside a bonus or penalty criterion included (that criterion is their sum).
    adjusts_parent: bool = False

    @property
    def subtracted(self) -> bool:
        """Whether the parent subtracts this node's score (a penalty adjusting it)."""
        return self.adjusts_parent and self.origin is Origin.PENALTY

    @property
    def is_leaf(self) -> bool:
        return not self.children and self.level != "total"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class CompiledDerived:
    """A named intermediate value."""

    name: str
    formula: Formula
    label: str | None
    provenance: Provenance
    file: str
    line: int


@dataclass
class CompiledRuleset:
    """Everything needed to evaluate units, computed once."""

    document: RulesetDocument
    source_map: SourceMap
    file: str
    #: Nodes in pre-order (root first, then each field and its descendants in the decision's order).
    nodes: dict[str, CompiledNode]
    derived: dict[str, CompiledDerived]
    parameters: dict[str, Decimal]
    #: Input name → the leaf that declares it.
    input_owner: dict[str, str]
    graph: nx.DiGraph
    #: Derived values in dependency order.
    derived_order: list[str]
    #: Leaves in the decision's order, then parents bottom-up (children before parents).
    leaf_order: list[str]
    parent_order: list[str]
    diagnostics: list[Diagnostic]
    content_hash: str = ""
    #: Provisional settings (parameters, policies, ranking, classes, workflow, ...): where, why.
    settings: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def root(self) -> CompiledNode:
        return self.nodes[ROOT_ID]

    @property
    def provisional_nodes(self) -> list[CompiledNode]:
        return [n for n in self.nodes.values() if n.provenance.is_provisional]

    @property
    def provisional_readings(self) -> list[tuple[CompiledNode, Path, str]]:
        """Readings of silent rule text inside leaves' rules: (leaf, path, why)."""
        return [(n, path, why) for n in self.nodes.values() for path, why in n.readings]

    @property
    def provisional_derived(self) -> list[CompiledDerived]:
        return [d for d in self.derived.values() if d.provenance.is_provisional]

    @property
    def provisional_settings(self) -> list[tuple[Path, str]]:
        """Settings that are readings of silent text: every `provisional:` in the document
        that is not a node's or a derived value's own (a parameter, a policy, the ranking and
        its parts, a class, the rounding, declared counts, a deadline, ...): (path, why)."""
        return list(self.settings)

    @property
    def provisional(self) -> bool:
        """A ruleset is official only when nothing in it is provisional: no node, no derived
        value, no reading inside a rule, no setting — no `provisional:` anywhere."""
        return (
            bool(self.settings)
            or any(n.provenance.is_provisional or n.readings for n in self.nodes.values())
            or any(d.provenance.is_provisional for d in self.derived.values())
        )

    def leaves(self) -> list[CompiledNode]:
        return [self.nodes[i] for i in self.leaf_order]

    def document_titles(self) -> dict[str, str]:
        return {key: ref.title for key, ref in self.document.documents.items()}

    def fingerprint(self) -> dict[str, object]:
        """Everything that decides scores, as plain data: equal fingerprints score alike.

        Used to check that rewriting a ruleset (dump, `fmt`, `extends`) never changes meaning.
        Positions and file names are left out on purpose.
        """
        nodes = {}
        for node in self.nodes.values():
            method = node.method
            nodes[node.id] = {
                "name": node.name,
                "level": node.level,
                "parent": node.parent,
                "children": list(node.children),
                "max": str(node.max),
                "origin": node.origin.value,
                "rule": node.rule,
                "method": method.config.model_dump(mode="json") if method else None,
                "inputs": {k: v.model_dump(mode="json") for k, v in node.inputs.items()},
                "provenance": node.provenance.to_json(),
                "missing": node.missing,
                "evidence": node.evidence.model_dump(mode="json") if node.evidence else None,
                "may_be_not_applicable": node.may_be_not_applicable,
            }
        return {
            "document": self.document.model_dump(mode="json", exclude={"fields"}),
            "nodes": nodes,
            "derived": {name: d.formula.text for name, d in self.derived.items()},
            "edges": sorted(self.graph.edges()),
        }
