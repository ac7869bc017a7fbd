"""`parindex score RULESET --facts FILE [--stage] [--format table|json]`: score every unit."""

from __future__ import annotations

import argparse

from parindex_rules.api import CohortResult, Ruleset
from parindex_rules.cli.common import add_format, add_out, emit, load_ruleset, print_diagnostics
from parindex_rules.evaluate.engine import STAGES
from parindex_rules.readers import read_facts
from parindex_rules.report.json import dumps, unit_json
from parindex_rules.report.text import render_table

ORDER = 40


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("score", help="score every unit of a facts file")
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    parser.add_argument("--facts", required=True, metavar="FILE", help="facts file (YAML or JSON)")
    parser.add_argument(
        "--stage",
        choices=list(STAGES),
        default="final",
        help="self: what units self-assess; appraised: the council's scores of those items; "
        "final: everything, survey and council items included (default)",
    )
    add_format(parser, ["table", "json"], "table")
    parser.add_argument(
        "--summary", action="store_true", help="table format: units only, without per-node rows"
    )
    add_out(parser)
    parser.set_defaults(run=run)


def score_cohort(ruleset: Ruleset, facts_path: str, stage: str) -> CohortResult | None:
    """Evaluate; print diagnostics; None when any is an error (nothing partial is written)."""
    facts = read_facts(facts_path, ruleset=ruleset)
    cohort = ruleset.evaluate_cohort(facts, stage=stage)  # type: ignore[arg-type]
    diagnostics = cohort.all_diagnostics()
    print_diagnostics(diagnostics)
    if any(d.is_error for d in diagnostics):
        return None
    return cohort


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    cohort = score_cohort(ruleset, args.facts, args.stage)
    if cohort is None:
        return 1
    if args.format == "json":
        data = {
            "ruleset": ruleset.id,
            "provisional": ruleset.provisional,
            "stage": cohort.stage,
            "units": [unit_json(u) for u in cohort.units],
        }
        emit(dumps(data), args.out)
        return 0
    emit(render_table(ruleset, cohort, summary=args.summary), args.out)
    return 0
