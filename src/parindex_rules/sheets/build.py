"""Turn the cells of a facts table into a facts document, remembering where each value stood.

Both table readers (.xlsx and .csv) hand their cells to a :class:`FactsBuilder`; it builds the
same plain data a YAML facts file gives, plus a :class:`TableSourceMap` so that every later
diagnostic (a wrong type, an unknown outcome, a score above the maximum) names the sheet and
cell, or the CSV line and column, and the item. The document is then validated exactly as a
YAML facts file is.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex_rules.compile.compiled import ROOT_ID
from parindex_rules.diagnostics import Diagnostic, FactsError, shown
from parindex_rules.diagnostics import Path as NodePath
from parindex_rules.loader.facts import Facts, facts_from_loaded
from parindex_rules.loader.yaml import LoadedDocument, SourceMap
from parindex_rules.numbers import NotADecimal, parse_decimal
from parindex_rules.sheets.layout import conditions, sub_inputs, yes_no

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset


@dataclass(frozen=True)
class Pos:
    """Where a cell stands: line (the row) and column, 1-based, and a label for people."""

    line: int
    column: int
    label: str


@dataclass
class TableSourceMap(SourceMap):
    """A source map whose positions also carry a sheet/cell (or CSV column) label."""

    labels: dict[NodePath, str] = field(default_factory=dict)

    def label(self, path: NodePath, *, key: bool = False) -> str | None:
        probe = tuple(path)
        while True:
            if probe in self.labels:
                return self.labels[probe]
            if not probe:
                return None
            probe = probe[:-1]

    def where(self, path: NodePath) -> str:
        text = super().where(path)
        label = self.label(path)
        return f"{text}, {label}" if label else text

    def diagnostic(
        self,
        code: str,
        message: str,
        path: NodePath,
        *,
        key: bool = False,
        hint: str | None = None,
        **extra: Any,
    ) -> Diagnostic:
        label = self.label(path, key=key)
        if label:
            message = f"{message} [{label}]"
        return super().diagnostic(code, message, path, key=key, hint=hint, **extra)

    def put(self, path: NodePath, pos: Pos, *, key: bool = False) -> None:
        (self.keys if key else self.values)[path] = (pos.line, pos.column)
        self.labels[path] = pos.label


def cell_value(raw: Any) -> Any:
    """A cell's content as the facts format reads it: text, exact decimal, true/false, or None."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, (int, float, Decimal)):
        try:
            return parse_decimal(raw)
        except NotADecimal:
            return str(raw)
    text = str(raw).strip()
    return text or None


def plain_text(value: Any) -> str:
    """A value back as text (for ids, names, reasons)."""
    if isinstance(value, Decimal):
        from parindex_rules.numbers import format_exact

        return format_exact(value)
    return str(value)


def evidence_entries(text: str) -> list[dict[str, str]]:
    """Tài liệu kiểm chứng, one per line: ``number | date | title | link`` or a title or link."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if "|" in line:
            parts = [p.strip() for p in line.split("|")]
            keys = ("number", "date", "title", "link")
            entry = {k: v for k, v in zip(keys, parts, strict=False) if v}
            if len(parts) > len(keys):
                entry["title"] = " | ".join([entry.get("title", ""), *parts[len(keys) :]]).strip(
                    " |"
                )
        elif line.startswith(("http://", "https://")):
            entry = {"link": line}
        else:
            entry = {"title": line}
        out.append(entry)
    return out


class FactsBuilder:
    """Collects units and item values from table cells; :meth:`facts` validates the result."""

    def __init__(self, file: str, ruleset: Ruleset) -> None:
        self.file = file
        self.ruleset = ruleset
        self.sm = TableSourceMap(file)
        self.top: dict[str, Any] = {}
        self.units: list[dict[str, Any]] = []
        self._unit_index: dict[str, int] = {}
        self._rows_seen: dict[tuple[int, str, str], Pos] = {}
        self.problems: list[Diagnostic] = []

    # -- problems
    def problem(self, code: str, message: str, pos: Pos, hint: str | None = None) -> None:
        self.problems.append(
            Diagnostic.make(
                code,
                f"{message} [{pos.label}]",
                file=self.file,
                line=pos.line,
                column=pos.column,
                hint=hint,
            )
        )

    # -- document and units
    def set_top(self, key: str, value: Any, pos: Pos) -> None:
        """`ruleset` or `year`, given once or the same everywhere."""
        whole = isinstance(value, Decimal) and value == value.to_integral_value()
        if key == "year" and (whole or (isinstance(value, str) and value.isdigit())):
            value = int(value)
        elif key == "ruleset":
            value = plain_text(value)
        if key in self.top:
            if self.top[key] != value:
                self.problem(
                    "PR823",
                    f"{key} is {shown(value)} here but {shown(self.top[key])} before",
                    pos,
                )
            return
        self.top[key] = value
        self.sm.put((key,), pos)

    def unit(self, unit_id: Any, pos: Pos) -> int:
        """The index of unit `unit_id`, created at its first mention."""
        text = plain_text(unit_id)
        if text in self._unit_index:
            return self._unit_index[text]
        index = len(self.units)
        self._unit_index[text] = index
        self.units.append({"unit": text})
        self.sm.put(("units", index), pos)
        self.sm.put(("units", index, "unit"), pos)
        return index

    def set_unit_field(self, index: int, key: str, value: Any, pos: Pos) -> None:
        """A unit detail (name, group, ...); `not_ranked`/`not_evaluated` carry the reason."""
        if key in ("not_ranked", "not_evaluated"):
            flag = "ranked" if key == "not_ranked" else "evaluated"
            self._set_unit(index, flag, False, pos)
            self._set_unit(index, "reason", plain_text(value), pos)
            return
        self._set_unit(index, key, plain_text(value), pos)

    def _set_unit(self, index: int, key: str, value: Any, pos: Pos) -> None:
        unit = self.units[index]
        if key in unit and unit[key] != value:
            self.problem(
                "PR823",
                f"unit {unit['unit']}: {key} is {shown(value)} here but {shown(unit[key])} before",
                pos,
            )
            return
        unit[key] = value
        self.sm.put(("units", index, key), pos)

    # -- items
    def item_row(
        self,
        index: int,
        node_id: str,
        sub_key: str | None,
        cells: dict[str, tuple[Any, Pos]],
        key_pos: Pos,
    ) -> None:
        """One row of values for item `node_id` (or its input/condition `sub_key`)."""
        unit = self.units[index]
        seen = (index, node_id, sub_key or "")
        if seen in self._rows_seen:
            first = self._rows_seen[seen]
            what = f"item {node_id}" + (f" / {sub_key}" if sub_key else "")
            self.problem(
                "PR823",
                f"unit {unit['unit']}: {what} is given twice (first at line {first.line})",
                key_pos,
            )
            return
        self._rows_seen[seen] = key_pos
        nodes = self.ruleset.nodes
        node = nodes.get(node_id)
        if node is None or node_id == ROOT_ID:
            close = difflib.get_close_matches(node_id, list(nodes), n=1, cutoff=0.6)
            self.problem(
                "PR822",
                f"item {node_id!r} is not in ruleset {self.ruleset.id}",
                key_pos,
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
            return
        items: dict[str, Any] = unit.setdefault("items", {})
        base: NodePath = ("units", index, "items", node_id)
        kind = None
        if sub_key is not None:
            inputs, marks = sub_inputs(node), dict(conditions(node))
            if sub_key in inputs:
                kind = "input"
            elif sub_key in marks:
                kind = "condition"
            else:
                known = inputs or list(marks)
                close = difflib.get_close_matches(sub_key, known, n=1)
                self.problem(
                    "PR822",
                    f"item {node_id} has no input or condition {sub_key!r}",
                    key_pos,
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + ("known: " + ", ".join(known) if known else "the item has no sub-rows"),
                )
                return
        item = items.get(node_id)
        if item is None:
            item = items[node_id] = {}
            self.sm.put(base, key_pos, key=True)
            self.sm.put(base, key_pos)
        for column, (value, pos) in cells.items():
            if kind == "condition" and (column == "self" or column.startswith("appraisal:")):
                mark = value if isinstance(value, bool) else yes_no(plain_text(value))
                if mark is None:
                    self.problem(
                        "PR824",
                        f"item {node_id}, condition {sub_key}: write x (met) or không, "
                        f"not {plain_text(value)!r}",
                        pos,
                    )
                    continue
                value = mark
            self._item_value(index, node_id, item, sub_key, column, value, pos)

    def _item_value(
        self,
        index: int,
        node_id: str,
        item: dict[str, Any],
        sub_key: str | None,
        column: str,
        value: Any,
        pos: Pos,
    ) -> None:
        base: NodePath = ("units", index, "items", node_id)
        if column == "self":
            if sub_key is None:
                item["self"] = value
                self.sm.put((*base, "self"), pos)
            else:
                item.setdefault("self", {})[sub_key] = value
                self.sm.put((*base, "self", sub_key), pos)
            return
        if column.startswith("appraisal:"):
            r = int(column.split(":")[1]) - 1
            rounds: list[Any] = item.setdefault("appraisal", [])
            while len(rounds) <= r:
                rounds.append(None)
            if sub_key is None:
                rounds[r] = value
                self.sm.put((*base, "appraisal", r), pos)
            else:
                if rounds[r] is None:
                    rounds[r] = {}
                rounds[r][sub_key] = value
                self.sm.put((*base, "appraisal", r, sub_key), pos)
            return
        if sub_key is not None:
            self.problem(
                "PR824",
                f"item {node_id}: {column} belongs on the item's own row, not on the row of "
                f"{sub_key}",
                pos,
            )
            return
        if column.startswith("survey:"):
            year = column.split(":")[1]
            item.setdefault("survey", {})[year] = value
            self.sm.put((*base, "survey", year), pos)
        elif column == "evidence":
            entries = evidence_entries(plain_text(value))
            item["evidence"] = entries
            for k in range(len(entries)):
                self.sm.put((*base, "evidence", k), pos)
            self.sm.put((*base, "evidence"), pos)
        elif column == "explanation":
            item["explanation"] = plain_text(value)
            self.sm.put((*base, "explanation"), pos)
        elif column == "not_applicable":
            item["applicable"] = False
            item["reason"] = plain_text(value)
            self.sm.put((*base, "applicable"), pos)
            self.sm.put((*base, "reason"), pos)
        elif column == "applicable":
            mark = value if isinstance(value, bool) else yes_no(plain_text(value))
            if mark is None:
                self.problem(
                    "PR824", f"item {node_id}: applicable is true or false, not {shown(value)}", pos
                )
                return
            if not mark:
                item["applicable"] = False
                self.sm.put((*base, "applicable"), pos)
        elif column == "reason":
            item["reason"] = plain_text(value)
            self.sm.put((*base, "reason"), pos)
        else:  # pragma: no cover - readers pass only the columns above
            raise ValueError(column)

    # -- the result
    def facts(self) -> Facts:
        """Validate what was collected; every problem found so far is reported at once."""
        data: dict[str, Any] = {
            "ruleset": self.top.get("ruleset", self.ruleset.id),
            "year": self.top.get("year", self.ruleset.document.year),
            "units": self.units,
        }
        try:
            facts = facts_from_loaded(LoadedDocument(data=data, source_map=self.sm, text=""))
        except FactsError as exc:
            raise FactsError([*self.problems, *exc.diagnostics]) from None
        if self.problems:
            raise FactsError(self.problems)
        return facts
