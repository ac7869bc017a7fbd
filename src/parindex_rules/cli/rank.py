"""`parindex rank [RULESET] (--facts FILE | --scores FILE.csv) [--format table|json]`.

With ``--facts``, units are scored with the ruleset and ranked as it declares. With
``--scores``, a CSV of published indices (columns ``unit,index`` and optionally
``name,group,ranked,reason``) is ranked exactly as given: by the ruleset's ranking options when
one is named (and without ranking the units its ``ranking.not_ranked`` names, matched by id or
by name as :func:`~parindex_rules.model.common.normalise_name` compares them), otherwise on the
exact values within their groups.
"""

from __future__ import annotations

import argparse

from parindex_rules.cli.common import (
    CommandError,
    add_format,
    add_out,
    add_reader,
    emit,
    load_ruleset,
    print_diagnostics,
)
from parindex_rules.cli.score import add_stage, score_and_rank
from parindex_rules.rank.cohort import ranking_for
from parindex_rules.rank.ranking import Ranking
from parindex_rules.rank.scores import apply_not_ranked, read_scores
from parindex_rules.rank.ties import ExactTies
from parindex_rules.report.json import dumps, rank_json
from parindex_rules.report.text import provisional_banner, render_ranking

ORDER = 45


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rank", help="rank units (scored from facts, or published indices from a CSV)"
    )
    parser.add_argument(
        "ruleset",
        metavar="RULESET",
        nargs="?",
        help="an installed id or a file (optional with --scores)",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--facts", metavar="FILE", help="facts file to score and rank")
    source.add_argument(
        "--scores",
        metavar="FILE.csv",
        help="indices computed elsewhere: columns unit,index[,name,group,ranked,reason]",
    )
    add_reader(parser)
    add_stage(parser)
    add_format(parser, ["table", "json"], "table")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.facts is not None:
        return _rank_facts(args)
    return _rank_scores(args)


def _rank_facts(args: argparse.Namespace) -> int:
    if args.ruleset is None:
        raise CommandError("rank --facts needs the RULESET the facts are scored with")
    ruleset = load_ruleset(args.ruleset)
    scored = score_and_rank(ruleset, args)
    if scored is None:
        return 1
    cohort, _, table = scored
    doc = ruleset.document
    places, mode = doc.rounding.places, doc.rounding.mode
    results = {u.unit: u for u in cohort.units}
    if args.format == "json":
        data = rank_json(
            table,
            ruleset=ruleset.id,
            provisional=ruleset.provisional,
            places=places,
            mode=mode,
            stage=cohort.stage,
            results=results,
        )
        emit(dumps(data), args.out)
        return 0
    heading = [
        line
        for line in (
            provisional_banner(ruleset.id, ruleset.provisional),
            f"{ruleset.id} — {ruleset.title} — stage: {cohort.stage}",
        )
        if line
    ]
    emit(
        render_ranking(table, heading=heading, places=places, mode=mode, results=results),
        args.out,
    )
    return 0


def _rank_scores(args: argparse.Namespace) -> int:
    if args.stage != "final":
        raise CommandError("--stage applies to --facts; published scores are ranked as given")
    if args.reader is not None:
        raise CommandError("--reader applies to --facts; --scores is always a CSV file")
    scores = read_scores(args.scores)
    notes: list[str] = []
    if args.ruleset is not None:
        ruleset = load_ruleset(args.ruleset)
        declared = ranking_for(ruleset.compiled)
        if declared.tie_breakers:
            notes.append(
                "note: the CSV holds no node indices, so the ruleset's tie-breakers ("
                + ", ".join(b.name for b in declared.tie_breakers)
                + ") are not applied"
            )
        marked = apply_not_ranked(scores, ruleset.document.ranking.not_ranked)
        if marked:
            notes.append(
                "note: not ranked as the ruleset's ranking.not_ranked says: " + ", ".join(marked)
            )
        ranking = Ranking(declared.ties, within=declared.within, classifier=declared.classifier)
        ruleset_id: str | None = ruleset.id
        provisional = ruleset.provisional
        places, mode = declared.ties.places, declared.ties.mode
        banner = provisional_banner(ruleset.id, ruleset.provisional)
        heading = ([banner] if banner else []) + [f"{ruleset.id} — {scores.file}"]
    else:
        ranking = Ranking(ExactTies(places=scores.places), within="group")
        ruleset_id, provisional = None, False
        places, mode = ranking.ties.places, ranking.ties.mode
        heading = [f"{scores.file} — indices ranked exactly as given"]
    table = ranking.rank(scores.entries)
    print_diagnostics(table.diagnostics)
    if args.format == "json":
        data = rank_json(
            table, ruleset=ruleset_id, provisional=provisional, places=places, mode=mode
        )
        if notes:
            data["notes"] = notes
        emit(dumps(data), args.out)
        return 0
    emit(render_ranking(table, heading=heading + notes, places=places, mode=mode), args.out)
    return 0
