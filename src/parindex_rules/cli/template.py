"""`parindex template RULESET --format yaml|xlsx [--out FILE]`: an empty facts file to fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from parindex_rules.cli.common import CommandError, add_format, emit, load_ruleset
from parindex_rules.fileio import write_atomic
from parindex_rules.sheets.template import xlsx_template, yaml_template

ORDER = 60


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "template",
        help="an empty facts file for units to fill in (YAML, or .xlsx in the annex layout)",
        description="Every leaf of the ruleset is listed with its rule text and what to write. "
        "The .xlsx template has one sheet to copy per unit; `score --facts FILE.xlsx` reads it.",
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_format(parser, ["yaml", "xlsx"], "yaml")
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically); required for xlsx"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.out:
        raise CommandError("--format xlsx writes a binary file: give --out FILE.xlsx")
    if args.out and Path(args.out).is_dir():
        raise CommandError(f"{args.out} is a directory: give a file name to --out")
    ruleset = load_ruleset(args.ruleset)
    if args.format == "xlsx":
        write_atomic(Path(args.out), xlsx_template(ruleset))
        return 0
    emit(yaml_template(ruleset), args.out)
    return 0
