"""Between facts (one unit at a time) and batch columns (one item at a time).

- :func:`table_from_facts`: units from a facts file, or mappings in its shape, become columns;
  for each item the value the stage reads is picked exactly as the single-unit engine picks it
  (the self score; or the last appraisal round present, else the self score when the ruleset
  lets it stand; inputs merged round over round; survey values by year).
- :func:`row_facts`: one row of a column table becomes the facts of one unit, so that the exact
  single-unit path can score it (and explain it) with the same meaning.

Column names (docs/scale.md): ``<item id>`` (the value read, e.g. ``"1.1.1"``), ``<input name>``
(e.g. ``so_dung_han``), ``<item id>@<year>`` (a survey value of another year),
``<item id>:applicable``, ``<item id>:reason``, ``<item id>:evidence`` (true/false).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from parindex_rules.batch.columns import ObjectColumn, Table
from parindex_rules.compile.compiled import ROOT_ID, CompiledNode, CompiledRuleset
from parindex_rules.diagnostics import Diagnostic, FactsError
from parindex_rules.loader.yaml import SourceMap
from parindex_rules.model.facts import ItemFacts, UnitFacts
from parindex_rules.model.validate import validate


def table_from_facts(
    units: Sequence[UnitFacts], compiled: CompiledRuleset, *, stage: str, year: int
) -> Table:
    """Columns holding what each unit's facts give at `stage` (anything unusual: exact path)."""
    n = len(units)
    columns: dict[str, list[Any]] = {}
    delegate = np.zeros(n, np.bool_)
    nodes = compiled.nodes
    unappraised_self = compiled.document.policies.unappraised.value == "self"
    owned: dict[str, list[str]] = {}
    for name, owner in compiled.input_owner.items():
        owned.setdefault(owner, []).append(name)

    def put(name: str, row: int, value: Any) -> None:
        column = columns.get(name)
        if column is None:
            column = columns[name] = [None] * n
        column[row] = value

    for row, unit in enumerate(units):
        if not unit.evaluated:
            delegate[row] = True
            continue
        for item_id, item in unit.items.items():
            node = nodes.get(item_id)
            if node is None or item_id == ROOT_ID or not node.is_leaf:
                delegate[row] = True  # PR502 / PR503
                continue
            if item.self_ is not None and not node.origin.self_assessable:
                delegate[row] = True  # PR508
            if not item.applicable:
                put(f"{item_id}:applicable", row, False)
                put(f"{item_id}:reason", row, item.reason)
            else:
                put(f"{item_id}:applicable", row, True)
            put(f"{item_id}:evidence", row, bool(item.evidence))
            method = node.method
            assert method is not None
            if method.reads == "assessment":
                value = _pick(node, item, stage, unappraised_self)
                if value is not None:
                    put(item_id, row, value)
            elif method.reads == "survey" and item.survey is not None:
                for key, value in item.survey.items():
                    if key == str(year):
                        put(item_id, row, value)
                    elif key == str(year - 1):
                        put(f"{item_id}@{year - 1}", row, value)
                    else:
                        delegate[row] = True  # other years are checked by the exact path
            names = owned.get(item_id)
            if names and not _inputs(node, item, names, stage, row, put):
                delegate[row] = True
    table = Table(
        n,
        {name: ObjectColumn(values) for name, values in columns.items()},
        [u.unit for u in units],
        names=[u.name for u in units],
        groups=[u.group for u in units],
        ranked=[u.ranked and u.evaluated for u in units],
        reasons=[u.reason for u in units],
        delegate=delegate,
    )
    table.row_facts = units.__getitem__
    return table


def _pick(node: CompiledNode, item: ItemFacts, stage: str, unappraised_self: bool) -> Any:
    """The value the stage reads (as ``UnitEvaluation._pick`` does)."""
    if stage == "self":
        return item.self_
    for raw in reversed(item.appraisal or []):
        if raw is not None:
            return raw
    if item.self_ is not None and node.origin.self_assessable and unappraised_self:
        return item.self_
    return None


def _inputs(
    node: CompiledNode,
    item: ItemFacts,
    names: list[str],
    stage: str,
    row: int,
    put: Any,
) -> bool:
    """Merge the item's input layers (self, then each appraisal round); False on a misfit."""
    layers: list[Any] = []
    if item.self_ is not None and node.origin.self_assessable:
        layers.append(item.self_)
    if stage != "self":
        layers.extend(raw for raw in (item.appraisal or []) if raw is not None)
    merged: dict[str, Any] = {}
    for raw in layers:
        if isinstance(raw, dict):
            mapping = raw
        elif len(node.inputs) == 1:
            mapping = {next(iter(node.inputs)): raw}
        else:
            return False  # PR504
        for name, value in mapping.items():
            if name not in node.inputs:
                return False  # PR512
            if value is not None:
                merged[name] = value
    for name, value in merged.items():
        put(name, row, value)
    return True


def row_facts(
    table: Table, row: int, compiled: CompiledRuleset, *, stage: str, year: int
) -> UnitFacts:
    """The facts of one row of a column table, for the exact path (same meaning)."""
    items: dict[str, dict[str, Any]] = {}
    owned: dict[str, list[str]] = {}
    for name, owner in compiled.input_owner.items():
        owned.setdefault(owner, []).append(name)
    round_key = "self" if stage == "self" else "appraisal"

    def given(name: str) -> Any:
        column = table.column(name)
        return None if column is None else column.item(row)

    for node in compiled.leaves():
        entry: dict[str, Any] = {}
        applicable = given(f"{node.id}:applicable")
        if applicable is not None:
            entry["applicable"] = applicable
            reason = given(f"{node.id}:reason")
            if reason is not None:
                entry["reason"] = reason
        if given(f"{node.id}:evidence") in (True, 1):
            entry["evidence"] = [{"title": f"(column {node.id}:evidence)"}]
        method = node.method
        assert method is not None
        readable = stage != "self" or node.origin.self_assessable
        if method.reads == "assessment" and readable:
            value = given(node.id)
            if value is not None:
                entry[round_key] = value if round_key == "self" else [value]
        elif method.reads == "survey":
            survey: dict[str, Any] = {}
            for name in table.columns:
                if name.startswith(f"{node.id}@"):
                    value = given(name)
                    if value is not None:
                        survey[name.split("@", 1)[1]] = value
            value = given(node.id)
            if value is not None:
                survey[str(year)] = value
            if survey:
                entry["survey"] = survey
        names = owned.get(node.id, [])
        values = {name: given(name) for name in names}
        values = {k: v for k, v in values.items() if v is not None}
        if values and readable:
            entry[round_key] = values if round_key == "self" else [values]
        if entry:
            items[node.id] = entry
    data: dict[str, Any] = {
        "unit": table.units[row],
        "name": table.names[row] or table.units[row],
        "items": items,
    }
    if table.groups[row] is not None:
        data["group"] = table.groups[row]
    if not table.ranked[row]:
        data["ranked"] = False
    if table.reasons[row] is not None:
        data["reason"] = table.reasons[row]
    unit, problems = validate(UnitFacts, data, SourceMap(f"<batch row {row}>"))
    if unit is None:
        raise FactsError(
            [
                Diagnostic.make(
                    d.code,
                    f"unit {table.units[row]}: {d.message}",
                    file=d.file,
                    line=d.line,
                    column=d.column,
                    path=d.path,
                    hint=d.hint,
                )
                for d in problems
            ]
        )
    return unit


def as_units(data: Sequence[Any]) -> list[UnitFacts]:
    """A list of UnitFacts or mappings (facts file `units:` entries), validated."""
    units: list[UnitFacts] = []
    problems: list[Diagnostic] = []
    for i, entry in enumerate(data):
        if isinstance(entry, UnitFacts):
            units.append(entry)
            continue
        if not isinstance(entry, Mapping):
            raise TypeError(f"unit {i}: expected UnitFacts or a mapping, got {type(entry)}")
        unit, found = validate(UnitFacts, dict(entry), SourceMap(f"<units[{i}]>"))
        if unit is None:
            problems.extend(found)
        else:
            units.append(unit)
    if problems:
        raise FactsError(problems)
    return units
