"""`parindex score RULESET --facts FILE [--stage] [--format table|json]`: score every unit.

Each unit carries its rank, class, the items taken off its maximum (deductions) and the points
it lost against the maximum, item by item. ``--stage self`` states the self-assessable maximum
and lists what units do not self-assess; ``--changes`` compares the self and appraised stages.
"""

from __future__ import annotations

import argparse
from typing import Any

from parindex_rules.api import CohortResult, Ruleset
from parindex_rules.cli.common import add_format, add_out, emit, load_ruleset, print_diagnostics
from parindex_rules.evaluate.engine import STAGES
from parindex_rules.evaluate.stages import (
    StageComparison,
    compare_stages,
    not_self_assessed,
    points_lost,
    self_assessable_max,
)
from parindex_rules.loader.facts import Facts
from parindex_rules.numbers import format_exact
from parindex_rules.rank.cohort import rank_results
from parindex_rules.rank.ranking import RankTable
from parindex_rules.readers import read_facts
from parindex_rules.report.json import dumps, unit_json
from parindex_rules.report.text import render_table

ORDER = 40


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("score", help="score every unit of a facts file")
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    parser.add_argument("--facts", required=True, metavar="FILE", help="facts file (YAML or JSON)")
    add_stage(parser)
    add_format(parser, ["table", "json"], "table")
    parser.add_argument(
        "--summary", action="store_true", help="table format: units only, without per-node rows"
    )
    parser.add_argument(
        "--lost",
        action="store_true",
        help="table format: list each unit's points lost against the maximum (always in JSON)",
    )
    parser.add_argument(
        "--changes",
        action="store_true",
        help="compare the self-assessment with the appraisal: per unit, per item, and the items "
        "the council changed",
    )
    add_out(parser)
    parser.set_defaults(run=run)


def add_stage(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stage",
        choices=list(STAGES),
        default="final",
        help="self: what units self-assess; appraised: the council's scores of those items; "
        "final: everything, survey and council items included (default)",
    )


def score_cohort(ruleset: Ruleset, facts_path: str, stage: str) -> CohortResult | None:
    """Evaluate; print diagnostics; None when any is an error (nothing partial is written)."""
    scored = score_and_rank(ruleset, facts_path, stage)
    return None if scored is None else scored[0]


def score_and_rank(
    ruleset: Ruleset, facts_path: str, stage: str
) -> tuple[CohortResult, Facts, RankTable] | None:
    """Evaluate and rank; print diagnostics; None when any is an error."""
    facts = read_facts(facts_path, ruleset=ruleset)
    cohort = ruleset.evaluate_cohort(facts, stage=stage)  # type: ignore[arg-type]
    diagnostics = cohort.all_diagnostics()
    if any(d.is_error for d in diagnostics):
        print_diagnostics(diagnostics)
        return None
    table = rank_results(ruleset.compiled, cohort.units, facts=facts)
    print_diagnostics(diagnostics + table.diagnostics)
    return cohort, facts, table


def stage_notes(ruleset: Ruleset, stage: str) -> tuple[list[str], dict[str, Any]]:
    """What the self and appraised stages leave out: text lines and JSON keys."""
    if stage == "final":
        return [], {}
    compiled = ruleset.compiled
    left_out = not_self_assessed(compiled)
    maximum = format_exact(self_assessable_max(compiled))
    total = format_exact(compiled.root.max)
    lines = [f"self-assessable maximum: {maximum} of {total} points"]
    if left_out:
        lines.append(
            "not self-assessed (survey and appraisal-only items, not part of this stage): "
            + "; ".join(
                f"{n.id} {n.name} ({n.origin_label}, {format_exact(n.max)})" for n in left_out
            )
        )
    data = {
        "self_assessable_max": maximum,
        "not_self_assessed": [
            {"id": n.id, "name": n.name, "origin": n.origin_label, "max": format_exact(n.max)}
            for n in left_out
        ],
    }
    return lines, data


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    scored = score_and_rank(ruleset, args.facts, args.stage)
    if scored is None:
        return 1
    cohort, facts, _ = scored
    compiled = ruleset.compiled
    lost = {u.unit: points_lost(compiled, u) for u in cohort.units if u.evaluated}
    changes: dict[str, StageComparison] = {}
    if args.changes:
        changes = {
            unit.unit: compare_stages(compiled, unit, facts=facts)
            for unit in facts.units
            if unit.evaluated
        }
    notes, extra = stage_notes(ruleset, cohort.stage)
    if args.format == "json":
        data: dict[str, Any] = {
            "ruleset": ruleset.id,
            "provisional": ruleset.provisional,
            "stage": cohort.stage,
            **extra,
            "units": [
                unit_json(
                    u,
                    lost=lost.get(u.unit, []),
                    changes=changes[u.unit].to_json() if u.unit in changes else None,
                )
                for u in cohort.units
            ],
        }
        emit(dumps(data), args.out)
        return 0
    emit(
        render_table(
            ruleset,
            cohort,
            summary=args.summary,
            notes=notes,
            lost=lost if args.lost else None,
            changes=changes,
        ),
        args.out,
    )
    return 0
