"""Workflow checks of a unit's facts: evidence, explanations, stages, deadlines.

What a council secretary checks before appraisal, per unit: items with a score but no evidence
(tài liệu kiểm chứng), items with evidence but no score, explanations (giải trình) missing where
the ruleset needs one, self scores given for items units do not self-assess, and a submission
dated after the ruleset's submission deadline. Each finding is a located diagnostic; the lists
are also kept on :class:`UnitCheck` for reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.compile.compiled import CompiledNode, CompiledRuleset
from parindex_rules.compile.workflow import deadline_date
from parindex_rules.diagnostics import Diagnostic, Path
from parindex_rules.loader.facts import Facts
from parindex_rules.loader.yaml import SourceMap
from parindex_rules.model.facts import ItemFacts, UnitFacts
from parindex_rules.model.ruleset import Deadline

register_codes(
    Code(
        "PR603",
        "evidence-without-score",
        Severity.WARNING,
        "An item has evidence documents but neither a self score nor an appraised score.",
    ),
    Code(
        "PR604",
        "explained-without-evidence",
        Severity.INFO,
        "An item has a score and a written explanation but no evidence; the council reads the "
        "explanation.",
    ),
    Code(
        "PR605",
        "submitted-late",
        Severity.ERROR,
        "A unit submitted after the ruleset's submission deadline (an error when the scoring "
        "software locks after it, otherwise a warning).",
    ),
    Code(
        "PR606",
        "submission-undated",
        Severity.INFO,
        "The ruleset declares a submission deadline but the unit gives no `submitted` date.",
    ),
    Code(
        "PR610",
        "exclusion-not-declared",
        Severity.WARNING,
        "A unit is excluded (`evaluated: false`) but the ruleset does not declare exclusion.",
    ),
)

#: Codes this module reports. The engine reports some of them too while scoring (PR508, PR601,
#: PR602); a full check keeps this module's version, which covers every stage at once.
CHECK_CODES = frozenset({"PR508", "PR601", "PR602", "PR603", "PR604", "PR605", "PR606", "PR610"})


@dataclass
class UnitCheck:
    """The findings for one unit (item ids in the decision's order)."""

    unit: str
    name: str
    score_without_evidence: list[str] = field(default_factory=list)
    evidence_without_score: list[str] = field(default_factory=list)
    explanation_missing: list[str] = field(default_factory=list)
    not_self_assessed: list[str] = field(default_factory=list)
    submitted: dt.date | None = None
    deadline: dt.date | None = None
    late: bool | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "score_without_evidence": self.score_without_evidence,
            "evidence_without_score": self.evidence_without_score,
            "explanation_missing": self.explanation_missing,
            "not_self_assessed": self.not_self_assessed,
            "submitted": None if self.submitted is None else self.submitted.isoformat(),
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "late": self.late,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


def submission_deadlines(compiled: CompiledRuleset, unit: UnitFacts) -> list[Deadline]:
    """The ruleset's submission deadlines (id `submission`, or starting `submission`) that apply
    to the unit: `applies_to`, when given, names the unit `type` it concerns."""
    out = []
    for deadline in compiled.document.workflow.deadlines:
        if not deadline.id.startswith("submission"):
            continue
        if deadline.applies_to and unit.type and deadline.applies_to != unit.type:
            continue
        out.append(deadline)
    return out


class _Checker:
    def __init__(
        self,
        compiled: CompiledRuleset,
        unit: UnitFacts,
        facts_map: SourceMap,
        unit_path: Path,
        year: int,
    ) -> None:
        self.compiled = compiled
        self.doc = compiled.document
        self.unit = unit
        self.map = facts_map
        self.unit_path = unit_path
        self.year = year
        self.check = UnitCheck(unit.unit, unit.name)

    def report(
        self,
        code: str,
        message: str,
        path: Path,
        *,
        key: bool = True,
        severity: Severity | None = None,
    ) -> None:
        extra = {"severity": severity} if severity is not None else {}
        self.check.diagnostics.append(
            self.map.diagnostic(
                code,
                f"unit {self.unit.unit}: {message}",
                (*self.unit_path, *path),
                key=key,
                **extra,
            )
        )

    def run(self) -> UnitCheck:
        unit = self.unit
        if not unit.evaluated and not self.doc.ranking.exclusion.value:
            self.report(
                "PR610",
                "is excluded (`evaluated: false`) but the ruleset does not declare that units "
                "may be excluded (ranking.exclusion)",
                ("evaluated",),
            )
        self._deadline()
        if not unit.evaluated:
            return self.check
        for node_id in self.compiled.leaf_order:
            item = unit.items.get(node_id)
            if item is not None:
                self._item(self.compiled.nodes[node_id], item)
        return self.check

    def _item(self, node: CompiledNode, item: ItemFacts) -> None:
        path = ("items", node.id)
        check = self.check
        if not node.origin.self_assessable:
            if item.self_ is not None:
                check.not_self_assessed.append(node.id)
                self.report(
                    "PR508",
                    f"item {node.id} ({node.origin.value}) is not self-assessed: remove its "
                    "`self` score",
                    (*path, "self"),
                )
            return
        if not item.applicable:
            return
        scored = item.self_ is not None or any(r is not None for r in item.appraisal or [])
        evidenced = bool(item.evidence)
        explained = bool(item.explanation and item.explanation.strip())
        policy = node.evidence or self.doc.policies.evidence
        if evidenced and not scored:
            check.evidence_without_score.append(node.id)
            self.report(
                "PR603",
                f"item {node.id} has {len(item.evidence)} evidence document(s) but no score",
                (*path, "evidence"),
            )
        if not scored or evidenced:
            return
        check.score_without_evidence.append(node.id)
        if policy.value == "required":
            self.report(
                "PR601",
                f"item {node.id} has a score but no evidence document: it scores 0 (evidence is "
                "required)",
                path,
            )
        elif policy.value == "explanation" and not explained:
            check.explanation_missing.append(node.id)
            self.report(
                "PR602",
                f"item {node.id} has no evidence and no written explanation (giải trình): "
                "flagged for the appraisal council",
                path,
            )
        elif policy.value == "explanation":
            self.report(
                "PR604",
                f"item {node.id} has no evidence; its written explanation goes to the council",
                path,
            )

    def _deadline(self) -> None:
        deadlines = submission_deadlines(self.compiled, self.unit)
        if not deadlines:
            return
        submitted = self.unit.submitted
        if submitted is None:
            self.report(
                "PR606",
                "gives no `submitted` date: the submission deadline is not checked",
                (),
                key=False,
            )
            return
        when = dt.date.fromisoformat(submitted)
        self.check.submitted = when
        for deadline in deadlines:
            due = deadline_date(deadline, self.year)
            if due is None:
                continue
            self.check.deadline = due
            late = when > due or (when == due and not deadline.inclusive.value)
            self.check.late = late or bool(self.check.late)
            if not late:
                continue
            inclusive = deadline.inclusive
            day = "the day itself is allowed" if inclusive.value else "the day itself is late"
            # Late on the day itself only by a provisional reading of the words: say so, and
            # warn rather than fail (the reading is not official).
            on_the_day_by_reading = when == due and inclusive.provisional is not None
            if on_the_day_by_reading:
                day += f" — a provisional reading: {inclusive.provisional}"
            locks = "; the scoring software locks after it" if deadline.locks else ""
            self.report(
                "PR605",
                f"submitted on {when.strftime('%d/%m/%Y')}, after the deadline "
                f"{due.strftime('%d/%m/%Y')} ({deadline.what}; {day}{locks})",
                ("submitted",),
                key=False,
                severity=Severity.ERROR
                if deadline.locks and not on_the_day_by_reading
                else Severity.WARNING,
            )


def check_unit(
    compiled: CompiledRuleset,
    unit: UnitFacts,
    *,
    facts: Facts | None = None,
    year: int | None = None,
) -> UnitCheck:
    """Check one unit's facts; with `facts`, diagnostics point into its file."""
    facts_map = facts.source_map if facts is not None else SourceMap("<facts>")
    unit_path: Path = ()
    if facts is not None:
        for i, candidate in enumerate(facts.units):
            if candidate is unit:
                unit_path = ("units", i)
        year = year if year is not None else facts.document.year
    return _Checker(
        compiled, unit, facts_map, unit_path, year if year is not None else compiled.document.year
    ).run()


def check_facts(compiled: CompiledRuleset, facts: Facts) -> list[UnitCheck]:
    """Check every unit of a facts file."""
    return [check_unit(compiled, unit, facts=facts) for unit in facts.units]
