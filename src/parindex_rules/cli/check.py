"""`parindex check RULESET --facts FILE [--format text|json]`: workflow checks before appraisal.

Per unit: items with a score but no evidence, items with evidence but no score, explanations
missing where the ruleset needs one, self scores for items units do not self-assess, a
submission after the deadline; and every problem that would stop the facts from being scored
(at the self and the final stage). Diagnostics go to stderr as ``FILE:LINE:COL: CODE message``;
a per-unit summary goes to stdout. Exit 1 when any diagnostic is an error.
"""

from __future__ import annotations

import argparse
from typing import Any

from parindex_rules.cli.common import (
    add_facts,
    add_format,
    add_out,
    emit,
    load_facts_for,
    load_ruleset,
    print_diagnostics,
)
from parindex_rules.diagnostics import Diagnostic, sort_diagnostics
from parindex_rules.evaluate.checks import CHECK_CODES, UnitCheck, check_unit
from parindex_rules.evaluate.engine import UnitEvaluation, check_cohort
from parindex_rules.report.json import dumps
from parindex_rules.report.text import fit, provisional_banner, table

ORDER = 42

#: Missing values at the self stage are the council's business, not a malformed fact.
_SELF_STAGE_SKIP = frozenset({"PR509", "PR510", "PR518"})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check", help="evidence, explanation, stage and deadline checks of a facts file"
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_facts(parser)
    add_format(parser, ["text", "json"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    compiled = ruleset.compiled
    facts = load_facts_for(ruleset, args)
    cohort_problems = check_cohort(compiled, facts)
    checks: list[UnitCheck] = []
    for i, unit in enumerate(facts.units):
        check = check_unit(compiled, unit, facts=facts)
        found: list[Diagnostic] = []
        for stage in ("self", "final"):
            result = UnitEvaluation.of(compiled, facts, i, stage=stage).run()
            skip = CHECK_CODES | (_SELF_STAGE_SKIP if stage == "self" else frozenset())
            found += [d for d in result.diagnostics if d.code not in skip]
        check.diagnostics = sort_diagnostics(check.diagnostics + found)
        checks.append(check)
    everything = cohort_problems + [d for c in checks for d in c.diagnostics]
    print_diagnostics(everything)
    failed = any(d.is_error for d in everything)
    if args.format == "json":
        data: dict[str, Any] = {
            "ruleset": ruleset.id,
            "provisional": ruleset.provisional,
            "ok": not failed,
            "diagnostics": [d.to_json() for d in sort_diagnostics(cohort_problems)],
            "units": [c.to_json() for c in checks],
        }
        emit(dumps(data), args.out)
    else:
        emit(_text(ruleset.id, ruleset.title, ruleset.provisional, checks, failed), args.out)
    return 1 if failed else 0


def _ids(items: list[str]) -> str:
    if len(items) > 6:
        return ", ".join(items[:6]) + f", … ({len(items)})"
    return ", ".join(items)


def _text(
    ruleset_id: str, title: str, provisional: bool, checks: list[UnitCheck], failed: bool
) -> str:
    lines = [line for line in (provisional_banner(ruleset_id, provisional),) if line]
    lines.append(f"{ruleset_id} — {title} — check")
    lines.append("")
    rows = []
    for c in checks:
        errors = sum(1 for d in c.diagnostics if d.is_error)
        warnings = sum(1 for d in c.diagnostics if d.severity.value == "warning")
        late = "" if c.late is None else ("late" if c.late else "on time")
        rows.append(
            [
                c.unit,
                fit(c.name, 32).rstrip(),
                str(errors),
                str(warnings),
                _ids(c.score_without_evidence),
                _ids(c.evidence_without_score),
                _ids(c.explanation_missing),
                _ids(c.not_self_assessed),
                late,
            ]
        )
    headers = ["unit", "name", "errors", "warnings", "score, no evidence"]
    headers += ["evidence, no score", "explanation missing", "self score not allowed"]
    headers += ["deadline"]
    lines.append(table(headers, rows, right=[2, 3]))
    lines.append("")
    lines.append("errors found: see the diagnostics above" if failed else "no errors")
    return "\n".join(lines) + "\n"
