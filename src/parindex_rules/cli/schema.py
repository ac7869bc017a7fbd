"""`parindex schema [--facts]`: the JSON Schema of the ruleset (or facts) format."""

from __future__ import annotations

import argparse

from parindex_rules.cli.common import add_out, emit
from parindex_rules.model.schema import facts_schema, ruleset_schema
from parindex_rules.report.json import dumps

ORDER = 30


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("schema", help="print the JSON Schema of the ruleset format")
    parser.add_argument("--facts", action="store_true", help="the facts format instead")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    emit(dumps(facts_schema() if args.facts else ruleset_schema()), args.out)
    return 0
