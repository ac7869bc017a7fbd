"""`parindex diff OLD NEW [--format text|json]`: what changed between two rulesets."""

from __future__ import annotations

import argparse

from parindex_rules.authoring.diff import diff_rulesets
from parindex_rules.cli.common import add_format, add_out, emit, load_ruleset
from parindex_rules.report.json import dumps

ORDER = 60


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="what changed between two rulesets (added, removed, renamed, moved, re-scored)",
        description="Nodes are paired by id, then by a declared `replaces:`, then by an "
        "identical name at the same level. Exit 0 whether or not they differ.",
    )
    parser.add_argument("old", metavar="OLD", help="an installed id or a file")
    parser.add_argument("new", metavar="NEW", help="an installed id or a file")
    add_format(parser, ["text", "json"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = diff_rulesets(load_ruleset(args.old), load_ruleset(args.new))
    emit(dumps(result.to_json()) if args.format == "json" else result.to_text(), args.out)
    return 0
