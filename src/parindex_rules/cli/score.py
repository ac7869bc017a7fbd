"""`parindex score RULESET --facts FILE [--stage] [--format table|json | --exporter NAME]`.

Scores every unit. Each carries its rank, class, the items taken off its maximum (deductions)
and the points it lost against the maximum, item by item. ``--stage self`` states the
self-assessable maximum and lists what units do not self-assess; ``--changes`` compares the
self and appraised stages. ``--exporter NAME`` writes the results with any installed exporter
(built-in or a plugin's: ``parindex list`` shows them) instead of the table or JSON.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from parindex_rules import exporters
from parindex_rules.api import CohortResult, Ruleset
from parindex_rules.cli.common import (
    CommandError,
    add_facts,
    add_format,
    add_out,
    emit,
    load_facts_for,
    load_ruleset,
    print_diagnostics,
)
from parindex_rules.evaluate.engine import STAGES
from parindex_rules.evaluate.stages import (
    StageComparison,
    compare_stages,
    not_self_assessed,
    points_lost,
    self_assessable_max,
)
from parindex_rules.fileio import write_atomic
from parindex_rules.loader.facts import Facts
from parindex_rules.numbers import format_exact
from parindex_rules.rank.ranking import RankTable
from parindex_rules.report.json import dumps, unit_json
from parindex_rules.report.notes import rank_cohort
from parindex_rules.report.text import render_table

ORDER = 40


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("score", help="score every unit of a facts file")
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_facts(parser)
    add_stage(parser)
    add_format(parser, ["table", "json"], "table")
    parser.set_defaults(format=None)  # to tell a --format given from the default
    parser.add_argument(
        "--exporter",
        metavar="NAME",
        help="write the results with this exporter instead (json, text, xlsx, html or a "
        "plugin's; `parindex list` shows them); one writing a binary file needs --out",
    )
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


def score_and_rank(
    ruleset: Ruleset, args: argparse.Namespace
) -> tuple[CohortResult, Facts, RankTable] | None:
    """Read ``--facts``, evaluate at ``--stage`` and rank; print diagnostics; None when any is
    an error (nothing partial is written)."""
    stage = args.stage
    facts = load_facts_for(ruleset, args)
    cohort = ruleset.evaluate_cohort(facts, stage=stage)
    diagnostics = cohort.all_diagnostics()
    if any(d.is_error for d in diagnostics):
        print_diagnostics(diagnostics)
        return None
    table = rank_cohort(ruleset, cohort)
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
    if args.exporter is not None:
        return run_exporter(args)
    args.format = args.format or "table"
    ruleset = load_ruleset(args.ruleset)
    scored = score_and_rank(ruleset, args)
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


def run_exporter(args: argparse.Namespace) -> int:
    """``--exporter NAME``: the scored cohort, written by `exporters.export` (PR708 for an
    unknown name, PR704/PR707 for an exporter that raises or breaks its contract)."""
    given = [
        option
        for option, value in (
            ("--format", args.format),
            ("--summary", args.summary),
            ("--lost", args.lost),
            ("--changes", args.changes),
        )
        if value
    ]
    if given:
        raise CommandError(f"--exporter writes the exporter's own format: drop {given[0]}")
    if args.out and Path(args.out).is_dir():
        raise CommandError(f"{args.out} is a directory: give a file name to --out")
    chosen = exporters.exporter(args.exporter)  # PR708 before any work
    if chosen.binary and not args.out:
        raise CommandError(
            f"exporter {args.exporter!r} writes a binary file: give --out FILE{chosen.suffix}"
        )
    ruleset = load_ruleset(args.ruleset)
    scored = score_and_rank(ruleset, args)
    if scored is None:
        return 1
    content = exporters.export(args.exporter, ruleset, scored[0])
    if isinstance(content, bytes):
        write_atomic(Path(args.out), content)
    else:
        emit(content, args.out)
    return 0
