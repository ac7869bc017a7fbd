"""`parindex why RULESET --facts FILE --unit A [--versus B] [--format text|json]`."""

from __future__ import annotations

import argparse
import difflib

from parindex_rules.api import Ruleset
from parindex_rules.cli.common import (
    add_facts,
    add_format,
    add_out,
    emit,
    load_facts_for,
    load_ruleset,
    print_diagnostics,
)
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.evaluate.engine import STAGES
from parindex_rules.evaluate.result import UnitResult
from parindex_rules.report.json import dumps
from parindex_rules.report.notes import rank_cohort
from parindex_rules.report.why import compare_units, unit_above, why_json, why_text

ORDER = 55


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "why",
        help="why a unit ranks where it does: points lost, and what separates it from another",
        description="Lists the items where the unit lost most points against the maximum; "
        "with --versus, the items that make the difference between two units, largest first, "
        "adding up exactly to the difference of their totals.",
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_facts(parser)
    parser.add_argument("--unit", required=True, metavar="A")
    parser.add_argument("--versus", metavar="B", help="another unit to compare with")
    parser.add_argument("--stage", choices=list(STAGES), default="final")
    add_format(parser, ["text", "json"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def unit_result(
    ruleset: Ruleset, cohort_units: list[UnitResult], unit_id: str, file: str
) -> UnitResult:
    for result in cohort_units:
        if result.unit == unit_id:
            return result
    ids = [u.unit for u in cohort_units]
    close = difflib.get_close_matches(unit_id, ids, n=1)
    raise DiagnosticError(
        [
            Diagnostic.make(
                "PR515",
                f"no unit {unit_id!r} in {file}",
                file=file,
                hint=f"did you mean {close[0]!r}?" if close else "units: " + ", ".join(ids[:10]),
            )
        ]
    )


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    facts = load_facts_for(ruleset, args)
    cohort = ruleset.evaluate_cohort(facts, stage=args.stage)
    print_diagnostics(cohort.diagnostics)
    if any(d.is_error for d in cohort.diagnostics):
        return 1
    table = rank_cohort(ruleset, cohort)
    a = unit_result(ruleset, cohort.units, args.unit, facts.file)
    b = unit_result(ruleset, cohort.units, args.versus, facts.file) if args.versus else None
    comparison = compare_units(ruleset, a, b) if b is not None else None
    above = unit_above(table, cohort.units, a)
    if args.format == "json":
        emit(dumps(why_json(ruleset, a, comparison, above)), args.out)
    else:
        emit(why_text(ruleset, a, comparison, above), args.out)
    return 0
