"""What a compiled ruleset means, as plain data, without where it was written.

Two rulesets with equal snapshots score every unit the same way: same nodes, maxima, origins,
rules, methods and settings, inputs, provenance, and the same evaluation graph. Used to compare
rulesets (``parindex diff``) and to check that a transformation (``extends:``, ``fmt``,
``import-annex``) keeps the meaning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parindex_rules.compile.compiled import CompiledNode, CompiledRuleset
from parindex_rules.numbers import format_exact

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset


def _compiled(ruleset: Ruleset | CompiledRuleset) -> CompiledRuleset:
    return ruleset if isinstance(ruleset, CompiledRuleset) else ruleset.compiled


def method_settings(node: CompiledNode) -> dict[str, Any] | None:
    """The scoring block as the method read it (defaults filled in), or None for a parent."""
    if node.method is None:
        return None
    settings: dict[str, Any] = node.method.config.model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    return settings


def node_row(node: CompiledNode) -> dict[str, Any]:
    return {
        "id": node.id,
        "name": node.name,
        "level": node.level,
        "parent": node.parent,
        "children": list(node.children),
        "max": format_exact(node.max),
        "excerpt_of": None if node.excerpt_of is None else format_exact(node.excerpt_of),
        "origin": node.origin.value,
        "origin_label": node.origin_label,
        "provenance": node.provenance.to_json(),
        "rule": node.rule,
        "method": node.method.name if node.method is not None else None,
        "scoring": method_settings(node),
        "inputs": {
            name: spec.model_dump(mode="json", exclude_none=True)
            for name, spec in node.inputs.items()
        },
        "evidence": None if node.evidence is None else node.evidence.model_dump(mode="json"),
        "missing": node.missing,
        "may_be_not_applicable": node.may_be_not_applicable,
        "notes": node.notes,
        "basis": node.basis,
        "evidence_documents": node.evidence_documents,
        "replaces": node.replaces,
    }


def node_table(ruleset: Ruleset | CompiledRuleset) -> dict[str, dict[str, Any]]:
    """Every node, in the decision's order, keyed by id."""
    compiled = _compiled(ruleset)
    return {node_id: node_row(node) for node_id, node in compiled.nodes.items()}


def graph_table(ruleset: Ruleset | CompiledRuleset) -> dict[str, Any]:
    """The evaluation graph: its nodes with their attributes, and its edges, sorted."""
    graph = _compiled(ruleset).graph
    return {
        "nodes": sorted((str(n), sorted(graph.nodes[n].items())) for n in graph.nodes),
        "edges": sorted((str(a), str(b)) for a, b in graph.edges),
    }


def snapshot(ruleset: Ruleset | CompiledRuleset) -> dict[str, Any]:
    """Nodes, graph, derived values, parameters and the document's settings."""
    compiled = _compiled(ruleset)
    document = compiled.document.model_dump(
        mode="json", by_alias=True, exclude={"fields", "extends"}
    )
    return {
        "document": document,
        "nodes": node_table(compiled),
        "graph": graph_table(compiled),
        "derived": {
            name: {
                "formula": d.formula.text,
                "label": d.label,
                "provenance": d.provenance.to_json(),
            }
            for name, d in compiled.derived.items()
        },
        "parameters": {name: format_exact(v) for name, v in compiled.parameters.items()},
        "derived_order": list(compiled.derived_order),
        "leaf_order": list(compiled.leaf_order),
    }
