"""The public API: load a ruleset, evaluate units, read results.

>>> import parindex_rules as pr
>>> ruleset = pr.load("vinhlong-2023/so")                       # doctest: +SKIP
>>> facts = pr.load_facts("cohort.yaml")                         # doctest: +SKIP
>>> result = ruleset.evaluate(facts.unit("so-tai-chinh"))        # doctest: +SKIP
>>> result.index, result.node("2.3.1").explain().to_text()       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex_rules import limits
from parindex_rules.codes import Severity
from parindex_rules.compile.compiled import CompiledNode, CompiledRuleset
from parindex_rules.compile.compiler import compile_document, points_by_origin
from parindex_rules.diagnostics import Diagnostic, DiagnosticError, RulesetError, format_path
from parindex_rules.evaluate.engine import (
    STAGES,
    Stage,
    check_cohort,
    evaluate_unit,
    evaluate_units,
)
from parindex_rules.evaluate.result import UnitResult
from parindex_rules.loader import cache
from parindex_rules.loader.extends import expand_extends
from parindex_rules.loader.facts import Facts, facts_from_data, load_facts
from parindex_rules.loader.resolve import resolve
from parindex_rules.loader.yaml import decode, load_yaml_text
from parindex_rules.model.facts import UnitFacts
from parindex_rules.model.ruleset import Origin, RulesetDocument
from parindex_rules.model.validate import validate
from parindex_rules.numbers import format_exact

if TYPE_CHECKING:
    from parindex_rules.batch.result import BatchResult
    from parindex_rules.rank.ranking import RankTable

# Importing the built-in methods' base registers the method validator with the registry.
import parindex_rules.methods.base  # noqa: F401  isort: skip


@dataclass
class CohortResult:
    """All units of a facts file at one stage, with every diagnostic found."""

    ruleset: str
    stage: str
    provisional: bool
    units: list[UnitResult]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The facts evaluated, so exporters can show another stage (self vs appraised) beside it.
    facts: Facts | None = field(default=None, repr=False, compare=False)
    #: The ranking once :func:`parindex_rules.report.notes.rank_cohort` has ranked it, so that
    #: exporters show its ties and group statistics without ranking again.
    ranking: RankTable | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.all_diagnostics())

    def all_diagnostics(self) -> list[Diagnostic]:
        out = list(self.diagnostics)
        for unit in self.units:
            out.extend(unit.diagnostics)
        return out

    def unit(self, unit_id: str) -> UnitResult:
        for unit in self.units:
            if unit.unit == unit_id:
                return unit
        raise KeyError(unit_id)


class Ruleset:
    """A compiled ruleset, ready to evaluate any number of units."""

    def __init__(self, compiled: CompiledRuleset) -> None:
        self.compiled = compiled

    def __repr__(self) -> str:
        return f"<Ruleset {self.id} ({len(self.compiled.leaf_order)} leaves)>"

    # -- what it is
    @property
    def id(self) -> str:
        return self.compiled.id

    @property
    def document(self) -> RulesetDocument:
        return self.compiled.document

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def file(self) -> str:
        return self.compiled.file

    @property
    def provisional(self) -> bool:
        return self.compiled.provisional

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Warnings found while compiling (errors stop compilation)."""
        return list(self.compiled.diagnostics)

    @property
    def nodes(self) -> dict[str, CompiledNode]:
        return self.compiled.nodes

    def node(self, node_id: str) -> CompiledNode:
        return self.compiled.nodes[node_id]

    def provisional_diagnostics(self, *, strict: bool) -> list[Diagnostic]:
        """One warning for the ruleset, or (strict) one error per provisional node, derived
        value, reading of a rule and setting, each at its place in the file."""
        compiled = self.compiled
        provisional = compiled.provisional_nodes
        derived = compiled.provisional_derived
        readings = compiled.provisional_readings
        settings = compiled.provisional_settings
        if not compiled.provisional:
            return []
        sm = compiled.source_map
        if not strict:
            points = sum((n.max for n in provisional if n.is_leaf), start=Decimal(0))
            also = []
            if derived:
                also.append(f"{len(derived)} provisional derived value(s)")
            if readings:
                also.append(f"{len(readings)} reading(s) of silent rule text")
            if settings:
                also.append(f"{len(settings)} provisional setting(s)")
            return [
                sm.diagnostic(
                    "PR230",
                    f"ruleset {self.id} is provisional: {len(provisional)} of "
                    f"{len(compiled.nodes)} nodes ({format_exact(points)} points of leaves) "
                    "rest on content no source states"
                    + (f"; also {', '.join(also)}" if also else ""),
                    (),
                    severity=Severity.WARNING,
                    hint="run `parindex describe` to list them; `validate --strict` fails on them",
                )
            ]
        out = [
            sm.diagnostic(
                "PR230",
                f"node {n.id or 'total'} is provisional: {n.provenance.provisional}",
                n.path,
                severity=Severity.ERROR,
            )
            for n in provisional
        ]
        out += [
            Diagnostic.make(
                "PR230",
                f"derived value {d.name} is provisional: {d.provenance.provisional}",
                file=d.file,
                line=d.line,
                column=1,
                severity=Severity.ERROR,
            )
            for d in derived
        ]
        out += [
            sm.diagnostic(
                "PR230",
                f"leaf {node.id}: a provisional reading of the rule: {why}",
                path,
                severity=Severity.ERROR,
            )
            for node, path, why in readings
        ]
        out += [
            sm.diagnostic(
                "PR230",
                f"setting {format_path(path)} is provisional: {why}",
                path,
                key=True,
                severity=Severity.ERROR,
            )
            for path, why in settings
        ]
        return out

    # -- evaluation
    def evaluate(
        self,
        unit: UnitFacts | Mapping[str, Any],
        *,
        stage: Stage = "final",
        year: int | None = None,
        facts: Facts | None = None,
    ) -> UnitResult:
        """Score one unit. `unit` is a UnitFacts (from :func:`load_facts`) or a plain mapping."""
        if not isinstance(unit, UnitFacts):
            from parindex_rules.diagnostics import FactsError
            from parindex_rules.loader.yaml import SourceMap

            checked, problems = validate(UnitFacts, dict(unit), SourceMap("<unit>"))
            if checked is None:
                raise FactsError(problems)
            unit = checked
        return evaluate_unit(self.compiled, unit, stage=stage, year=year, facts=facts)

    def evaluate_cohort(
        self, facts: Facts | Mapping[str, Any], *, stage: Stage = "final"
    ) -> CohortResult:
        """Score every unit of a facts file; ranking is added by :mod:`parindex_rules.rank`."""
        if not isinstance(facts, Facts):
            facts = facts_from_data(dict(facts))
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
        units = list(evaluate_units(self.compiled, facts, stage=stage))
        return CohortResult(
            ruleset=self.id,
            stage=stage,
            provisional=self.provisional,
            units=units,
            diagnostics=check_cohort(self.compiled, facts),
            facts=facts,
        )

    def evaluate_many(
        self, table: Any, *, stage: Stage = "final", year: int | None = None
    ) -> BatchResult:
        """Score many units at once, vectorised, exactly; no explanation records.

        `table` is a list of unit facts (UnitFacts or mappings), a Facts object, a mapping of
        columns, a pandas DataFrame or an Arrow table (docs/scale.md). Every rounded score
        equals :meth:`evaluate`'s; explain any unit with ``ruleset.evaluate(unit)``. Needs the
        ``batch`` extra (numpy).
        """
        try:
            from parindex_rules.batch.run import evaluate_table
        except ImportError as exc:  # pragma: no cover - numpy missing
            raise ImportError(
                f"evaluate_many needs numpy: pip install 'parindex-rules[batch]' ({exc})"
            ) from None
        return evaluate_table(self.compiled, table, stage=stage, year=year)

    # -- description
    def counts(self) -> dict[str, int]:
        counts = {"fields": 0, "criteria": 0, "subcriteria": 0}
        names = {"field": "fields", "criterion": "criteria", "subcriterion": "subcriteria"}
        for node in self.compiled.nodes.values():
            if node.level in names and not node.origin.adjustment:
                counts[names[node.level]] += 1
        return counts

    def points_by_origin(self) -> dict[str, str]:
        points = points_by_origin(self.compiled.nodes)
        return {o.value: format_exact(points[o]) for o in Origin if o in points}

    def self_assessable_max(self) -> str:
        points = points_by_origin(self.compiled.nodes)
        return format_exact(
            sum(
                (v for o, v in points.items() if o.self_assessable and not o.adjustment),
                start=Decimal(0),
            )
        )

    def describe(self) -> dict[str, Any]:
        """The `describe` JSON of shared/interfaces.md."""
        doc = self.document
        nodes = list(self.compiled.nodes.values())
        provisional = [n for n in nodes if n.provenance.is_provisional]
        provisional_points = sum((n.max for n in provisional if n.is_leaf), start=Decimal(0))
        sourced_points = sum(
            (n.max for n in nodes if n.is_leaf and not n.provenance.is_provisional),
            start=Decimal(0),
        )
        counts = self.counts()
        return {
            "ruleset": self.id,
            "title": doc.title,
            "decision": doc.decision.model_dump(exclude_none=True, exclude_defaults=True),
            "level": doc.level.value,
            "year": doc.year,
            "fields": counts["fields"],
            "criteria": counts["criteria"],
            "subcriteria": counts["subcriteria"],
            "max": format_exact(doc.max),
            "points_by_origin": self.points_by_origin(),
            "provenance": {
                "sourced_nodes": len(nodes) - len(provisional),
                "provisional_nodes": len(provisional),
                "provisional_points": format_exact(provisional_points),
                "sourced_points": format_exact(sourced_points),
                "provisional_readings": len(self.compiled.provisional_readings),
                "provisional_derived": len(self.compiled.provisional_derived),
                "provisional_settings": len(self.compiled.provisional_settings),
                # Each provisional setting at its place, with the reason the file gives.
                "settings": {
                    format_path(path): why for path, why in self.compiled.provisional_settings
                },
            },
            "provisional": self.provisional,
        }


def load(ref: str | Path) -> Ruleset:
    """Load and compile a ruleset by installed id (``vinhlong-2023/so``) or by file path.

    Raises :class:`~parindex_rules.diagnostics.RulesetError` listing every problem found.
    """
    resolved = resolve(ref)
    try:
        if resolved.path is not None:
            size = resolved.path.stat().st_size if resolved.path.exists() else 0
            if size > limits.MAX_RULESET_BYTES:
                raise DiagnosticError(
                    [
                        Diagnostic.make(
                            "PR901",
                            f"file is {size} bytes; the limit is {limits.MAX_RULESET_BYTES}",
                            file=resolved.display,
                            line=1,
                            column=1,
                        )
                    ]
                )
        try:
            raw = resolved.read_bytes()
        except OSError as exc:
            raise DiagnosticError(
                [
                    Diagnostic.make(
                        "PR001", f"cannot read file: {exc.strerror or exc}", file=resolved.display
                    )
                ]
            ) from None
        text = decode(raw, resolved.display)
        name = resolved.name  # an installed id: its file on disk, so FILE:LINE:COL opens
        cached = cache.load(text, name)  # keyed by the content hash: never stale
        if cached is not None:
            return Ruleset(cached)
        loaded = load_yaml_text(text, name, max_nodes=limits.MAX_RULESET_YAML_NODES)
        if resolved.path is not None:
            loaded = expand_extends(loaded, resolved.path.parent, origin=resolved.path)
    except DiagnosticError as exc:
        if isinstance(exc, RulesetError):
            raise
        raise RulesetError(exc.diagnostics) from None
    compiled = compile_document(loaded)
    cache.store(text, name, compiled)
    return Ruleset(compiled)


def loads(text: str, name: str = "<ruleset>") -> Ruleset:
    """Compile a ruleset from YAML text."""
    try:
        loaded = load_yaml_text(text, name, max_nodes=limits.MAX_RULESET_YAML_NODES)
    except DiagnosticError as exc:
        raise RulesetError(exc.diagnostics) from None
    return Ruleset(compile_document(loaded))


def validate_ruleset(ref: str | Path, *, strict: bool = False) -> list[Diagnostic]:
    """Every diagnostic for a ruleset (errors and warnings), without raising."""
    try:
        ruleset = load(ref)
    except DiagnosticError as exc:
        return exc.diagnostics
    return ruleset.diagnostics + ruleset.provisional_diagnostics(strict=strict)


__all__ = [
    "CohortResult",
    "Facts",
    "Ruleset",
    "load",
    "load_facts",
    "loads",
    "validate_ruleset",
]
