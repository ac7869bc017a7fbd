"""`parindex list [--format text|json]`: installed rulesets and plugins, and where they come from.

Everything is listed with the distribution (and version) that registered it, built-ins
included, since they register through the same entry points. Broken plugins are listed with
their diagnostic; the command then exits 1, so that it doubles as an installation check.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from parindex_rules import __version__
from parindex_rules.cli.common import add_format, add_out, emit, print_diagnostics
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.expr.functions import FunctionSpec
from parindex_rules.loader.resolve import RulesetPack, index
from parindex_rules.loader.yaml import load_yaml_text
from parindex_rules.plugins import API_VERSION, PluginInfo, declared_api_version, registry
from parindex_rules.report.json import dumps
from parindex_rules.report.text import fit, table

ORDER = 90

#: JSON key and section title of each plugin group, in output order. (The `rulesets` key
#: lists ruleset ids; the packs that ship them are under `packs`.)
SECTIONS = {
    "methods": ("methods", "Scoring methods"),
    "functions": ("functions", "Formula functions"),
    "readers": ("readers", "Facts readers"),
    "exporters": ("exporters", "Exporters"),
    "rulesets": ("packs", "Ruleset packs"),
}

#: The heading of the column particular to a group, and how to read it from a JSON entry.
DETAILS: dict[str, tuple[str, Any]] = {
    "functions": ("signature", lambda e: e.get("signature", "")),
    "readers": ("suffixes", lambda e: " ".join(e.get("suffixes", []))),
    "exporters": ("suffix", lambda e: e.get("suffix", "")),
}

_TITLE_LINE = re.compile(r"^title:[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "list",
        help="installed rulesets and plugins, with their distributions and versions",
        description="List installed rulesets, scoring methods, formula functions, facts "
        "readers, exporters and ruleset packs with the distribution each comes from. Broken "
        "plugins are listed with their diagnostic, and the exit status is then 1.",
    )
    add_format(parser, ["text", "json"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    data, diagnostics = collect()
    emit(dumps(data) if args.format == "json" else render(data), args.out)
    print_diagnostics(diagnostics)
    return 1 if any(d.is_error for d in diagnostics) else 0


def collect() -> tuple[dict[str, Any], list[Diagnostic]]:
    """The `list` JSON document, and every diagnostic found while loading plugins."""
    data: dict[str, Any] = {
        "parindex_rules": __version__,
        "api_version": API_VERSION,
        "rulesets": [],
    }
    diagnostics: list[Diagnostic] = []
    broken: list[dict[str, Any]] = []
    for kind in SECTIONS:
        entries = []
        for info in registry.infos(kind):
            if info.working:
                entries.append(_plugin_json(info))
            else:
                assert info.error is not None
                broken.append({"group": kind, **_origin_json(info), "error": info.error.to_json()})
        data[SECTIONS[kind][0]] = entries
        diagnostics.extend(registry.problems(kind))
    ids, pack_problems = index()
    diagnostics.extend(pack_problems)
    pack_infos = {id(i.obj): i for i in registry.infos("rulesets") if i.working}
    for ruleset_id in sorted(ids):
        pack = ids[ruleset_id]
        origin = pack_infos.get(id(pack))
        data["rulesets"].append(
            {
                "id": ruleset_id,
                "title": _title(pack, ruleset_id),
                "pack": origin.name if origin else pack.name,
                "distribution": origin.distribution if origin else None,
                "version": origin.version if origin else None,
            }
        )
    data["broken"] = broken
    data["warnings"] = [d.to_json() for d in diagnostics if not d.is_error]
    return data, diagnostics


def _origin_json(info: PluginInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "distribution": info.distribution,
        "version": info.version,
        "object": info.value,
    }


def _plugin_json(info: PluginInfo) -> dict[str, Any]:
    obj = info.obj
    out = _origin_json(info)
    declared = declared_api_version(obj)
    out["api_version"] = declared if declared is not None else API_VERSION
    out["summary"] = info.summary
    if info.group == "methods":
        out["reads"] = obj.reads
        out["origins"] = sorted(o.value for o in obj.allowed_origins)
    elif info.group == "functions" and isinstance(obj, FunctionSpec):
        out["signature"] = obj.signature()
    elif info.group == "readers":
        out["suffixes"] = list(obj.suffixes)
    elif info.group == "exporters":
        out["suffix"] = obj.suffix
    elif info.group == "rulesets" and isinstance(obj, RulesetPack):
        del out["api_version"]
        out["summary"] = f"rulesets of package {obj.package}" + (
            f", folder {obj.folder}" if obj.folder else ""
        )
        out["package"] = obj.package
    return out


def _title(pack: RulesetPack, ruleset_id: str) -> str | None:
    """The ruleset's `title:`, read from its top-level line without compiling the file."""
    resource = pack.find(ruleset_id)
    if resource is None:
        return None
    try:
        match = _TITLE_LINE.search(resource.read_text(encoding="utf-8"))
        if match is None:
            return None
        title = load_yaml_text(f"title: {match.group(1)}").data.get("title")
    except (DiagnosticError, OSError, UnicodeDecodeError, AttributeError):
        return None
    return title if isinstance(title, str) else None


def _from(entry: dict[str, Any]) -> str:
    name = entry.get("distribution") or "?"
    return f"{name} {entry['version']}" if entry.get("version") else name


def render(data: dict[str, Any]) -> str:
    """The text form: one table per section."""
    lines = [f"parindex-rules {data['parindex_rules']}, plugin API version {data['api_version']}"]
    rulesets = data["rulesets"]
    lines += ["", f"Rulesets ({len(rulesets)})"]
    if rulesets:
        rows = [[r["id"], fit(r["title"] or "", 60).rstrip(), _from(r)] for r in rulesets]
        lines.append(table(["id", "title", "from"], rows))
    for kind, (key, title) in SECTIONS.items():
        entries = data[key]
        lines += ["", f"{title} ({len(entries)})"]
        if not entries:
            continue
        detail = DETAILS.get(kind)
        headers = ["name", *([detail[0]] if detail else []), "from", "summary"]
        rows = [
            [
                e["name"],
                *([detail[1](e)] if detail else []),
                _from(e),
                fit(e["summary"], 60).rstrip(),
            ]
            for e in entries
        ]
        lines.append(table(headers, rows))
    if data["broken"]:
        lines += ["", f"Broken plugins ({len(data['broken'])}): not loaded"]
        rows = [
            [b["group"], b["name"], _from(b), b["error"]["code"], fit(b["error"]["message"], 70)]
            for b in data["broken"]
        ]
        lines.append(table(["group", "name", "from", "code", "problem"], rows))
    if data["warnings"]:
        lines += ["", f"Warnings ({len(data['warnings'])})"]
        lines += [f"{w['code']} {w['message']}" for w in data["warnings"]]
    return "\n".join(lines) + "\n"
