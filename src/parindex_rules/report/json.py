"""JSON documents with the keys of shared/interfaces.md. Decimals are strings (exactness).

Computed values (score, index) are rounded once with the ruleset's declared places and mode;
declared quantities (maxima) are shown exactly. Key order is fixed, so output is byte-stable.
"""

from __future__ import annotations

import json
from typing import Any

from parindex_rules.evaluate.result import UnitResult
from parindex_rules.evaluate.stages import PointsLost
from parindex_rules.numbers import Number, RoundingMode, format_exact, format_rounded
from parindex_rules.rank.ranking import RankedUnit, RankTable


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


def unit_json(
    result: UnitResult,
    *,
    nodes: bool = True,
    lost: list[PointsLost] | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A unit result; `nodes` adds every node keyed by id (the root is the unit itself).

    `lost` adds the points lost against the maximum, largest first; `changes` the comparison
    of the self and appraised stages (:meth:`StageComparison.to_json`).
    """
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
    if lost is not None:
        data["lost"] = [
            {
                "item": p.item,
                "name": p.name,
                "score": result.rounded(p.score),
                "max": format_exact(p.max),
                "lost": result.rounded(p.lost),
            }
            for p in lost
        ]
    if changes is not None:
        data["changes"] = changes
    if nodes:
        data["nodes"] = {
            node_id: node_json(result, node_id) for node_id in result.nodes if node_id != "total"
        }
    return data


def ranked_entry_json(
    placed: RankedUnit, places: int, mode: RoundingMode, *, provisional: bool = False
) -> dict[str, Any]:
    """A unit result for a unit known only by its index (a row of published scores)."""
    entry = placed.entry
    return {
        "unit": entry.unit,
        "name": entry.name,
        "group": entry.group,
        "stage": None,
        "score": None,
        "max": None,
        "index": _show(entry.index, places, mode),
        "rank": placed.rank,
        "ranked": placed.ranked,
        "reason": placed.reason,
        "class": placed.rank_class,
        "deductions": [],
        "provisional": provisional,
        "evaluated": entry.evaluated,
        "ok": True,
    }


def rank_json(
    table: RankTable,
    *,
    ruleset: str | None,
    provisional: bool,
    places: int,
    mode: RoundingMode,
    stage: str | None = None,
    results: dict[str, UnitResult] | None = None,
) -> dict[str, Any]:
    """The `rank` document: units without nodes in rank order, the not ranked after them with
    their reasons; statistics of each group over its ranked units; every tie and how it went."""
    units = []
    for placed in table.units:
        result = (results or {}).get(placed.unit)
        if result is not None:
            units.append(unit_json(result, nodes=False))
        else:
            units.append(ranked_entry_json(placed, places, mode, provisional=provisional))
    return {
        "ruleset": ruleset,
        "provisional": provisional,
        "stage": stage,
        "ranking": table.ranking.describe(),
        "units": units,
        "groups": {group: stats.to_json(places, mode) for group, stats in table.groups.items()},
        "ties": [record.to_json() for record in table.ties],
    }


def _show(value: Number | None, places: int, mode: RoundingMode) -> str | None:
    return None if value is None else format_rounded(value, places, mode)


def dumps(data: Any) -> str:
    """Stable JSON: Vietnamese kept readable, fixed indentation, a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
