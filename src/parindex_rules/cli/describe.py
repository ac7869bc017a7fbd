"""`parindex describe RULESET [--expanded] [--format text|json]`: what a ruleset holds, and its
sources; `--expanded` prints the ruleset written out in full (its `extends:` merged in)."""

from __future__ import annotations

import argparse

from parindex_rules.authoring.inherit import expanded_yaml
from parindex_rules.cli.common import CommandError, add_format, add_out, emit, load_ruleset
from parindex_rules.numbers import format_exact
from parindex_rules.report.json import dumps
from parindex_rules.report.text import fit, provisional_banner, table

ORDER = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "describe", help="counts, point split and provenance of a ruleset"
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    parser.add_argument(
        "--expanded",
        action="store_true",
        help="print the ruleset as YAML written out in full, with its `extends:` merged in",
    )
    add_format(parser, ["text", "json"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    if args.expanded:
        if args.format != "text":
            raise CommandError("--expanded prints YAML; it does not take --format json")
        emit(expanded_yaml(args.ruleset), args.out)
        return 0
    data = ruleset.describe()
    if args.format == "json":
        emit(dumps(data), args.out)
        return 0
    lines = []
    banner = provisional_banner(ruleset.id, ruleset.provisional)
    if banner:
        lines.append(banner)
    decision = ruleset.document.decision
    lines += [
        f"{data['ruleset']}: {data['title']}",
        f"decision {decision.number}"
        + (f" of {decision.date}" if decision.date else "")
        + (f", {decision.issuer}" if decision.issuer else ""),
        f"level {data['level']}, evaluation year {data['year']}, maximum {data['max']}",
        f"{data['fields']} fields, {data['criteria']} criteria, {data['subcriteria']} sub-criteria",
        "points by origin: " + ", ".join(f"{k} {v}" for k, v in data["points_by_origin"].items()),
        "provenance: {sourced_nodes} nodes sourced, {provisional_nodes} provisional "
        "({provisional_points} points of leaves)".format(**data["provenance"]),
        "",
    ]
    rows = []
    for node in ruleset.nodes.values():
        if node.level == "total":
            continue
        rows.append(
            [
                "  " * node.id.count(".") + node.id,
                fit(node.name, 56).rstrip(),
                format_exact(node.max),
                node.origin_label,
                node.method.name if node.method else "",
                "provisional" if node.provenance.is_provisional else "sourced",
            ]
        )
    lines.append(table(["id", "name", "max", "origin", "method", "provenance"], rows, right=[2]))
    emit("\n".join(lines) + "\n", args.out)
    return 0
