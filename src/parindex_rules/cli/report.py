"""`parindex report RULESET --facts FILE --out DIR [--format html|xlsx]`: an audit report.

html (default): a static directory, index.html (ranking) and units/*.html (one page per unit
with its full explanation), written whole or not at all. xlsx: one workbook in the annex layout
(needs the ``excel`` extra); --out is then the file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from parindex_rules.api import CohortResult, Ruleset
from parindex_rules.cli.common import (
    CommandError,
    add_facts,
    emit,
    load_facts_for,
    load_ruleset,
    print_diagnostics,
)
from parindex_rules.evaluate.engine import STAGES
from parindex_rules.fileio import write_atomic
from parindex_rules.rank.ranking import RankTable
from parindex_rules.report.notes import rank_cohort

ORDER = 65


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="a static HTML audit report (or an .xlsx workbook in the annex layout)",
        description="Scores every unit and writes the ranking and one page per unit with its "
        "full explanation, points lost and appraisal changes. Nothing is written when the "
        "facts have errors.",
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_facts(parser)
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="the report directory (html) or file (xlsx)"
    )
    parser.add_argument("--format", choices=["html", "xlsx"], default="html")
    parser.add_argument("--stage", choices=list(STAGES), default="final")
    parser.set_defaults(run=run)


def cohorts(
    ruleset: Ruleset, args: argparse.Namespace
) -> tuple[CohortResult, CohortResult, RankTable] | None:
    """The ranked cohort at ``--stage``, the self stage and the ranking; None (diagnostics
    printed) on errors."""
    stage = args.stage
    facts = load_facts_for(ruleset, args)
    cohort = ruleset.evaluate_cohort(facts, stage=stage)
    diagnostics = cohort.all_diagnostics()
    if any(d.is_error for d in diagnostics):
        print_diagnostics(diagnostics)
        return None
    table = rank_cohort(ruleset, cohort)
    print_diagnostics(diagnostics + table.diagnostics)
    self_cohort = cohort if stage == "self" else ruleset.evaluate_cohort(facts, stage="self")
    return cohort, self_cohort, table


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and Path(args.out).is_dir():
        raise CommandError(f"{args.out} is a directory: --format xlsx writes a file")
    ruleset = load_ruleset(args.ruleset)
    if args.format == "xlsx":
        from parindex_rules.sheets.workbook import require_openpyxl

        require_openpyxl(args.out)
    found = cohorts(ruleset, args)
    if found is None:
        return 1
    cohort, self_cohort, table = found
    out = Path(args.out)
    if args.format == "xlsx":
        from parindex_rules.report.xlsx import results_workbook

        write_atomic(out, results_workbook(ruleset, cohort, self_cohort=self_cohort, table=table))
        emit(f"wrote {out} ({len(cohort.units)} units)", None)
        return 0
    from parindex_rules.report.html import report_files, write_report

    write_report(out, report_files(ruleset, cohort, self_cohort, table))
    emit(f"wrote {out / 'index.html'} and {len(cohort.units)} unit pages", None)
    return 0
