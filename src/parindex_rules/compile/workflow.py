"""Checks of what a ruleset declares about ranking, classes and deadlines.

These declarations are read after evaluation (by :mod:`parindex_rules.rank` and
:mod:`parindex_rules.evaluate.checks`), but a mistake in them is the ruleset author's, so it is
reported when the ruleset compiles, located in the ruleset file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.compile.compiled import ROOT_ID, CompiledNode
from parindex_rules.diagnostics import Diagnostic
from parindex_rules.intervals import Interval, bound_problems, coverage_problems
from parindex_rules.loader.yaml import SourceMap
from parindex_rules.model.ruleset import Deadline, RulesetDocument

register_codes(
    Code(
        "PR620",
        "unknown-tie-breaker",
        Severity.ERROR,
        "A ranking tie-breaker names a node the ruleset does not have.",
    ),
    Code("PR621", "classes-overlap", Severity.ERROR, "Two classification bands cover one index."),
    Code(
        "PR622",
        "bad-deadline",
        Severity.ERROR,
        "A deadline gives neither `date` nor `day`, both, or a day that is not a real date.",
    ),
    Code(
        "PR623",
        "not-ranked-unnamed",
        Severity.ERROR,
        "A `ranking.not_ranked` entry names neither a unit id nor a unit name.",
    ),
)


def deadline_date(deadline: Deadline, evaluation_year: int) -> dt.date | None:
    """The deadline's date for an evaluation year: `date` as written, or `day` ("30/11") in the
    evaluation year (``year: evaluation``) or the year after (``year: next``)."""
    if deadline.date is not None:
        return dt.date.fromisoformat(deadline.date)
    if deadline.day is None:
        return None
    day, month = (int(part) for part in deadline.day.split("/"))
    year = evaluation_year + (1 if deadline.year == "next" else 0)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def declaration_problems(
    document: RulesetDocument, source_map: SourceMap, nodes: Mapping[str, CompiledNode]
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    ids = [i for i in nodes if i != ROOT_ID]
    for i, breaker in enumerate(document.ranking.tie_breakers):
        if breaker.node not in nodes or breaker.node == ROOT_ID:
            close = difflib.get_close_matches(breaker.node, ids, n=1)
            problems.append(
                source_map.diagnostic(
                    "PR620",
                    f"tie-breaker node {breaker.node!r} is not in the ruleset",
                    ("ranking", "tie_breakers", i, "node"),
                    hint=f"did you mean {close[0]!r}?" if close else "name a field or criterion",
                )
            )
    for i, rule in enumerate(document.ranking.not_ranked):
        if not (rule.unit or rule.name):
            problems.append(
                source_map.diagnostic(
                    "PR623",
                    "a not-ranked entry needs `unit` (id) or `name` (the unit's name)",
                    ("ranking", "not_ranked", i),
                )
            )
    problems += _class_problems(document, source_map)
    for i, deadline in enumerate(document.workflow.deadlines):
        path = ("workflow", "deadlines", i)
        if (deadline.date is None) == (deadline.day is None):
            problems.append(
                source_map.diagnostic(
                    "PR622",
                    f"deadline {deadline.id!r} needs exactly one of `date` (2023-11-30) or "
                    '`day` ("30/11", yearly)',
                    path,
                )
            )
        elif deadline.day is not None and deadline_date(deadline, document.year) is None:
            problems.append(
                source_map.diagnostic(
                    "PR622",
                    f"deadline {deadline.id!r}: {deadline.day!r} is not a day of "
                    f"{document.year + (1 if deadline.year == 'next' else 0)} (write DD/MM)",
                    (*path, "day"),
                )
            )
    return problems


def _class_problems(document: RulesetDocument, source_map: SourceMap) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    labels: dict[str, int] = {}
    intervals: list[Interval] = []
    for i, band in enumerate(document.classes):
        if band.label in labels:
            problems.append(
                source_map.diagnostic(
                    "PR214",
                    f"class {band.label!r} is declared twice "
                    f"(first as band {labels[band.label] + 1})",
                    ("classes", i, "label"),
                )
            )
        labels.setdefault(band.label, i)
        bad = bound_problems(band)
        for text in bad:
            problems.append(
                source_map.diagnostic("PR217", f"class {band.label!r}: {text}", ("classes", i))
            )
        if not bad:
            intervals.append(Interval.from_bounds(band))
    if len(intervals) == len(document.classes):
        # Gaps are allowed (an index may have no class); overlaps never are.
        for problem in coverage_problems(intervals, Interval(None, False, None, False), unit="%"):
            if problem.kind == "overlap" and problem.second is not None:
                first, second = sorted((problem.first, problem.second))
                problems.append(
                    source_map.diagnostic(
                        "PR621",
                        f"classes {document.classes[first].label!r} and "
                        f"{document.classes[second].label!r}: {problem.text}",
                        ("classes", problem.second),
                    )
                )
    return problems
