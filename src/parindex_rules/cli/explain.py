"""`parindex explain RULESET --facts FILE --unit ID [--item ID] [--format text|json|html]`."""

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
from parindex_rules.report.text import provisional_banner

ORDER = 50


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("explain", help="why a unit has each of its scores")
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_facts(parser)
    parser.add_argument("--unit", required=True, metavar="ID")
    parser.add_argument("--item", metavar="ID", help="only this node and what is under it")
    parser.add_argument("--stage", choices=list(STAGES), default="final")
    parser.add_argument("--depth", type=int, metavar="N", help="levels shown below the node")
    add_format(parser, ["text", "json", "html"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    facts = load_facts_for(ruleset, args)
    ids = [u.unit for u in facts.units]
    if args.unit not in ids:
        close = difflib.get_close_matches(args.unit, ids, n=1)
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR515",
                    f"no unit {args.unit!r} in {facts.file}",
                    file=facts.file,
                    hint=f"did you mean {close[0]!r}?"
                    if close
                    else "units: " + ", ".join(ids[:10]),
                )
            ]
        )
    unit = facts.unit(args.unit)
    result = ruleset.evaluate(unit, stage=args.stage, facts=facts)
    print_diagnostics(result.diagnostics)
    if not result.evaluated:
        return _withheld(ruleset, result, args)
    node_id = args.item or "total"
    if node_id not in result.nodes:
        close = difflib.get_close_matches(node_id, list(result.nodes), n=1)
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR502",
                    f"no item {node_id!r} in ruleset {ruleset.id}",
                    file=ruleset.file,
                    hint=f"did you mean {close[0]!r}?" if close else None,
                )
            ]
        )
    explanation = result.explain(node_id)
    if args.format == "json":
        data = {
            "ruleset": ruleset.id,
            "provisional": ruleset.provisional,
            "unit": result.unit,
            "name": result.name,
            "stage": result.stage,
            "explanation": explanation.to_json(depth=args.depth),
        }
        emit(dumps(data), args.out)
        return 1 if any(d.is_error for d in result.diagnostics) else 0
    if args.format == "html":
        from parindex_rules.report.html import unit_page

        self_result = None
        if result.stage != "self":
            self_result = ruleset.evaluate(unit, stage="self", facts=facts)
        emit(unit_page(ruleset, result, self_result, item=node_id), args.out)
        return 1 if any(d.is_error for d in result.diagnostics) else 0
    lines = []
    banner = provisional_banner(ruleset.id, ruleset.provisional)
    if banner:
        lines.append(banner)
    lines.append(f"{result.unit} — {result.name} — {ruleset.id}, stage {result.stage}")
    lines.append(explanation.to_text(depth=args.depth))
    emit("\n".join(lines) + "\n", args.out)
    return 1 if any(d.is_error for d in result.diagnostics) else 0


def _withheld(ruleset: Ruleset, result: UnitResult, args: argparse.Namespace) -> int:
    """A unit excluded from evaluation has no explanation: say so in the format asked for."""
    said = f"{result.unit} — {result.name}: result withheld ({result.reason})"
    if args.format == "json":
        data = {
            "ruleset": ruleset.id,
            "provisional": ruleset.provisional,
            "unit": result.unit,
            "name": result.name,
            "stage": result.stage,
            "evaluated": False,
            "reason": result.reason,
            "explanation": None,
        }
        emit(dumps(data), args.out)
    elif args.format == "html":
        from parindex_rules.report import html

        emit(html.page(result.name, f"{html.banner(ruleset)}<p>{html.esc(said)}</p>"), args.out)
    else:
        banner = provisional_banner(ruleset.id, ruleset.provisional)
        emit("".join(f"{line}\n" for line in (banner, said) if line), args.out)
    return 0
