"""`parindex docs RULESET [--format markdown|html] [--out FILE]`: the ruleset as a document in
the layout of the decision's annex."""

from __future__ import annotations

import argparse

from parindex_rules.authoring.docs import render_html, render_markdown
from parindex_rules.cli.common import add_format, add_out, emit, load_ruleset

ORDER = 70


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "docs",
        help="the ruleset as a readable document (Markdown or HTML), in the annex's layout",
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_format(parser, ["markdown", "html"], "markdown")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    render = render_html if args.format == "html" else render_markdown
    emit(render(ruleset), args.out)
    return 0
