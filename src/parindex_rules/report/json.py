"""JSON documents with the keys of shared/interfaces.md. Decimals are strings (exactness).

Computed values (score, index) are rounded once with the ruleset's declared places and mode;
declared quantities (maxima) are shown exactly. Key order is fixed, so output is byte-stable.
"""

from __future__ import annotations

import json
from typing import Any

from parindex_rules.evaluate.result import UnitResult
from parindex_rules.numbers import format_exact


def node_json(result: UnitResult, node_id: str) -> dict[str, Any]:
    node = result.node(node_id)
    return {
        "name": node.name,
        "score": result.rounded(node.score),
        "max": format_exact(node.max),
        "index": result.rounded(node.index),
        "origin": node.origin,
        "provisional": node.provisional,
        "status": node.status,
    }


def unit_json(result: UnitResult, *, nodes: bool = True) -> dict[str, Any]:
    """A unit result; `nodes` adds every node keyed by id (the root is the unit itself)."""
    data: dict[str, Any] = {
        "unit": result.unit,
        "name": result.name,
        "group": result.group,
        "stage": result.stage,
        "score": result.rounded(result.score),
        "max": None if result.max is None else format_exact(result.max),
        "index": result.rounded(result.index),
        "rank": result.rank,
        "ranked": result.ranked,
        "reason": result.reason,
        "class": result.rank_class,
        "deductions": [
            {"item": d.item, "name": d.name, "points": format_exact(d.points), "reason": d.reason}
            for d in result.deductions
        ],
        "provisional": result.provisional,
        "evaluated": result.evaluated,
        "ok": result.ok,
    }
    if nodes:
        data["nodes"] = {
            node_id: node_json(result, node_id) for node_id in result.nodes if node_id != "total"
        }
    return data


def dumps(data: Any) -> str:
    """Stable JSON: Vietnamese kept readable, fixed indentation, a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
