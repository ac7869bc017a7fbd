"""Load a facts file (YAML or JSON) with the position of every value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parindex_rules import limits
from parindex_rules.diagnostics import Diagnostic, DiagnosticError, FactsError
from parindex_rules.loader.yaml import LoadedDocument, SourceMap, load_yaml_file, load_yaml_text
from parindex_rules.model.facts import FactsDocument, UnitFacts
from parindex_rules.model.validate import validate


@dataclass
class Facts:
    """A validated facts document and where each of its values stands in its file."""

    document: FactsDocument
    source_map: SourceMap

    @property
    def file(self) -> str:
        return self.source_map.file

    @property
    def units(self) -> list[UnitFacts]:
        return self.document.units

    def unit(self, unit_id: str) -> UnitFacts:
        for unit in self.document.units:
            if unit.unit == unit_id:
                return unit
        raise KeyError(unit_id)

    def unit_index(self, unit_id: str) -> int:
        for i, unit in enumerate(self.document.units):
            if unit.unit == unit_id:
                return i
        raise KeyError(unit_id)


def load_facts(path: str | Path) -> Facts:
    """Read and validate a facts file. Raises :class:`FactsError` listing every problem."""
    try:
        loaded = load_yaml_file(Path(path), max_bytes=limits.MAX_FACTS_BYTES, display=str(path))
    except DiagnosticError as exc:
        raise FactsError(exc.diagnostics) from None
    return facts_from_loaded(loaded)


def load_facts_text(text: str, name: str = "<facts>") -> Facts:
    try:
        loaded = load_yaml_text(text, name)
    except DiagnosticError as exc:
        raise FactsError(exc.diagnostics) from None
    return facts_from_loaded(loaded)


def facts_from_data(data: Any, name: str = "<facts>") -> Facts:
    """Facts given as Python data (no positions)."""
    return facts_from_loaded(LoadedDocument(data=data, source_map=SourceMap(name), text=""))


def facts_from_loaded(loaded: LoadedDocument) -> Facts:
    sm = loaded.source_map
    data = loaded.data
    if not isinstance(data, dict):
        raise FactsError([sm.diagnostic("PR007", "a facts file must be a mapping of keys", ())])
    units = data.get("units")
    if isinstance(units, list) and len(units) > limits.MAX_UNITS:
        raise FactsError(
            [
                sm.diagnostic(
                    "PR905",
                    f"the file has {len(units)} units; the limit is {limits.MAX_UNITS}",
                    ("units",),
                )
            ]
        )
    document, problems = validate(FactsDocument, data, sm)
    # The unit-level checks read the raw units, so that they are reported together with any
    # problem of shape (all problems at once), not after it has been fixed.
    problems = [*problems, *_unit_problems(units if isinstance(units, list) else [], sm)]
    if document is None or problems:
        raise FactsError(problems)
    return Facts(document=document, source_map=sm)


def _unit_problems(units: list[Any], sm: SourceMap) -> list[Diagnostic]:
    """A unit id given twice (PR501); a unit not evaluated or not ranked without a reason
    (PR514). Entries that are not mappings are left to the schema's own diagnostics."""
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, unit in enumerate(units):
        if not isinstance(unit, dict):
            continue
        unit_id = unit.get("unit")
        if isinstance(unit_id, int) and not isinstance(unit_id, bool):
            unit_id = str(unit_id)  # a bare number is read as text, as the model reads it
        if isinstance(unit_id, str):
            if unit_id in seen:
                line, _ = sm.locate(("units", seen[unit_id]))
                out.append(
                    sm.diagnostic(
                        "PR501",
                        f"unit {unit_id!r} appears twice (first at line {line})",
                        ("units", i, "unit"),
                    )
                )
            else:
                seen[unit_id] = i
        evaluated, ranked = unit.get("evaluated", True), unit.get("ranked", True)
        reason = unit.get("reason")
        if (evaluated is False or ranked is False) and not (
            isinstance(reason, str) and reason.strip()
        ):
            out.append(
                sm.diagnostic(
                    "PR514",
                    f"unit {unit_id!r} is not {'evaluated' if evaluated is False else 'ranked'}"
                    " but gives no reason",
                    ("units", i, "evaluated" if evaluated is False else "ranked"),
                    hint="add `reason:` (e.g. the decision's words)",
                )
            )
    return out
