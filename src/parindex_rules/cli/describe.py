"""`parindex describe RULESET [--expanded] [--format text|json]`: what a ruleset holds, its
workflow and its sources; `--expanded` prints the ruleset written out in full (its `extends:`
merged in), as YAML or as JSON."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from typing import Any

from parindex_rules.api import Ruleset
from parindex_rules.authoring.inherit import expanded_data, expanded_yaml
from parindex_rules.cli.common import add_format, add_out, emit, load_ruleset
from parindex_rules.compile.workflow import deadline_date
from parindex_rules.diagnostics import format_path
from parindex_rules.model.ruleset import Deadline, Provenanced
from parindex_rules.numbers import format_exact
from parindex_rules.report.json import dumps
from parindex_rules.report.text import fit, provisional_banner, table

ORDER = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "describe", help="counts, point split, workflow and provenance of a ruleset"
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    parser.add_argument(
        "--expanded",
        action="store_true",
        help="print the ruleset written out in full, with its `extends:` merged in (YAML; "
        "with --format json, the document as JSON)",
    )
    add_format(parser, ["text", "json"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.ruleset)
    if args.expanded:
        emit(_expanded(ruleset, args.ruleset, args.format), args.out)
        return 0
    data = ruleset.describe()
    if args.format == "json":
        emit(dumps(data), args.out)
        return 0
    emit(_text(ruleset, data), args.out)
    return 0


def _expanded(ruleset: Ruleset, ref: str, form: str) -> str:
    """The expanded ruleset: YAML whose first line is the banner, as a comment (the output
    stays a ruleset file); or JSON with `ruleset`, `provisional` and the `document`."""
    if form == "json":
        _name, data = expanded_data(ref)
        return dumps(
            {"ruleset": ruleset.id, "provisional": ruleset.provisional, "document": _plain(data)}
        )
    text = expanded_yaml(ref)
    banner = provisional_banner(ruleset.id, ruleset.provisional)
    return f"# {banner}\n{text}" if banner else text


def _plain(value: Any) -> Any:
    """Ruleset data as JSON: decimals as strings, read back exactly (as the ruleset format
    accepts them); everything else as it is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _text(ruleset: Ruleset, data: dict[str, Any]) -> str:
    compiled = ruleset.compiled
    lines = []
    banner = provisional_banner(ruleset.id, ruleset.provisional)
    if banner:
        lines.append(banner)
    decision = ruleset.document.decision
    provenance = data["provenance"]
    lines += [
        f"{data['ruleset']}: {data['title']}",
        f"decision {decision.number}"
        + (f" of {decision.date}" if decision.date else "")
        + (f", {decision.issuer}" if decision.issuer else ""),
        f"level {data['level']}, evaluation year {data['year']}, maximum {data['max']}",
        f"{data['fields']} fields, {data['criteria']} criteria, {data['subcriteria']} sub-criteria",
        "points by origin: " + ", ".join(f"{k} {v}" for k, v in data["points_by_origin"].items()),
        "provenance: {sourced_nodes} nodes sourced, {provisional_nodes} provisional "
        "({provisional_points} points of leaves); {provisional_readings} provisional readings "
        "of rules, {provisional_settings} provisional settings".format(**provenance),
    ]
    lines += _workflow(ruleset)
    lines.append("")
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
    listed = [
        *(f"  {format_path(path)}: {why}" for path, why in compiled.provisional_settings),
        *(
            f"  leaf {node.id}, {format_path(path)}: {why}"
            for node, path, why in compiled.provisional_readings
        ),
        *(
            f"  derived value {d.name}: {d.provenance.provisional}"
            for d in compiled.provisional_derived
        ),
    ]
    if listed:
        lines += ["", "provisional settings, readings of rules and derived values:", *listed]
    return "\n".join(lines) + "\n"


def _mark(item: Provenanced | None) -> str:
    if item is None:
        return ""
    if item.provisional is not None:
        return "  [provisional]"
    return "  [sourced]" if item.source is not None else ""


def _date(value: dt.date | str) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d/%m/%Y")


def _deadline(deadline: Deadline, year: int) -> list[str]:
    due = deadline_date(deadline, year)
    when = _date(due) if due is not None else deadline.day or deadline.date or "?"
    day = f"{deadline.day or when} itself: "
    if deadline.day is not None:
        when += (
            f" (yearly {deadline.day}"
            + (", the year after" if deadline.year == "next" else "")
            + ")"
        )
    head = f"  deadline {deadline.id}: {when} — {deadline.what}"
    if deadline.applies_to:
        head += f" (applies to {deadline.applies_to})"
    inclusive = deadline.inclusive
    day += "on time" if inclusive.value else "late"
    if inclusive.provisional is not None:
        day += " [provisional reading]"
    detail = f"      {day}" + ("; the scoring software locks after it" if deadline.locks else "")
    return [head + _mark(deadline), detail]


def _workflow(ruleset: Ruleset) -> list[str]:
    """The workflow the decision states, each entry marked sourced or provisional (the
    reasons are listed at the end)."""
    doc = ruleset.document
    workflow = doc.workflow
    lines: list[str] = []
    if workflow.reports_to is not None:
        lines.append(f"  reports to: {workflow.reports_to.value}{_mark(workflow.reports_to)}")
    for deadline in workflow.deadlines:
        lines += _deadline(deadline, doc.year)
    for body in workflow.appraisal:
        text = f"  appraisal: {body.body}"
        if body.convened_by:
            text += f", convened by {body.convened_by}"
        if body.applies_to:
            text += f" (applies to {body.applies_to})"
        lines.append(text + _mark(body))
    period = workflow.data_period
    if period is not None:
        text = f"  data period: {_date(period.start)} – {_date(period.end)}"
        if period.estimated_to:
            text += f", estimated to {_date(period.estimated_to)}"
        lines.append(text + _mark(period))
    return ["workflow:", *lines] if lines else []
