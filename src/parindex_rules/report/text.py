"""Plain-text tables for terminals. A provisional ruleset is announced on the first line."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from parindex_rules.evaluate.result import UnitResult
from parindex_rules.numbers import format_exact

if TYPE_CHECKING:
    from parindex_rules.api import CohortResult, Ruleset


def provisional_banner(ruleset_id: str, provisional: bool) -> str | None:
    if not provisional:
        return None
    return (
        f"PROVISIONAL — ruleset {ruleset_id} rests on content no source states (see `parindex "
        "describe`); these are not official results."
    )


def width(text: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else (2 if unicodedata.east_asian_width(c) in "WF" else 1)
        for c in text
    )


def fit(text: str, size: int) -> str:
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if width(text) <= size:
        return text + " " * (size - width(text))
    out = ""
    for char in text:
        if width(out + char) > size - 1:
            break
        out += char
    return out + "…" + " " * (size - width(out) - 1)


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()
) -> str:
    """A simple aligned table; columns in `right` are right-aligned (numbers)."""
    sizes = [width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            sizes[i] = max(sizes[i], width(cell))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            pad = " " * (sizes[i] - width(cell))
            parts.append(pad + cell if i in right else cell + pad)
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * s for s in sizes])]
    out.extend(line(row) for row in rows)
    return "\n".join(out)


def unit_rows(results: Sequence[UnitResult]) -> list[list[str]]:
    rows = []
    for r in results:
        rank = "" if r.rank is None else str(r.rank)
        status = "" if r.ranked else f"not ranked: {r.reason or ''}"
        if not r.evaluated:
            status = f"withheld: {r.reason or ''}"
        elif not r.ok:
            status = "has errors (see diagnostics)"
        rows.append(
            [
                rank,
                r.unit,
                fit(r.name, 40).rstrip(),
                r.rounded(r.score) or "—",
                "—" if r.max is None else format_exact(r.max),
                r.rounded(r.index) or "—",
                r.rank_class or "",
                status,
            ]
        )
    return rows


def node_rows(result: UnitResult, *, name_width: int = 48) -> list[list[str]]:
    rows = []
    for node_id, node in result.nodes.items():
        if node_id == "total":
            continue
        indent = "  " * (node_id.count("."))
        rows.append(
            [
                indent + node_id,
                fit(node.name, name_width).rstrip(),
                result.rounded(node.score) or "—",
                format_exact(node.max),
                result.rounded(node.index) or "—",
                node.origin,
                ("provisional " if node.provisional else "")
                + ("" if node.status == "scored" else node.status.replace("_", " ")),
            ]
        )
    return rows


def render_table(ruleset: Ruleset, cohort: CohortResult, *, summary: bool = False) -> str:
    lines = []
    banner = provisional_banner(ruleset.id, ruleset.provisional)
    if banner:
        lines.append(banner)
    lines.append(f"{ruleset.id} — {ruleset.title} — stage: {cohort.stage}")
    lines.append("")
    headers = ["rank", "unit", "name", "score", "max", "index %", "class", "note"]
    lines.append(table(headers, unit_rows(cohort.units), right=[0, 3, 4, 5]))
    if not summary:
        for result in cohort.units:
            if not result.evaluated:
                continue
            lines.append("")
            lines.append(f"{result.unit} — {result.name}")
            lines.append(
                table(
                    ["id", "name", "score", "max", "index %", "origin", "note"],
                    node_rows(result),
                    right=[2, 3, 4],
                )
            )
    return "\n".join(lines) + "\n"
