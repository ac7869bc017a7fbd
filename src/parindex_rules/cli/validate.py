"""`parindex validate [--strict] PATH_OR_ID...`: check rulesets, report every problem."""

from __future__ import annotations

import argparse

from parindex_rules.api import validate_ruleset
from parindex_rules.cli.common import print_diagnostics

ORDER = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check rulesets and report every problem",
        description="Exit 0 when every ruleset is valid; otherwise one line per diagnostic "
        "(FILE:LINE:COL: CODE message) and exit 1.",
    )
    parser.add_argument("rulesets", nargs="+", metavar="PATH_OR_ID")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on provisional content: one error per provisional node",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    failed = False
    for ref in args.rulesets:
        diagnostics = validate_ruleset(ref, strict=args.strict)
        print_diagnostics(diagnostics)
        failed = failed or any(d.is_error for d in diagnostics)
    return 1 if failed else 0
