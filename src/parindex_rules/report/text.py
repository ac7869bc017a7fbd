"""Plain-text tables for terminals. A provisional ruleset is announced on the first line."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from parindex_rules.evaluate.result import UnitResult
from parindex_rules.numbers import Number, RoundingMode, format_exact, format_rounded

if TYPE_CHECKING:
    from parindex_rules.api import CohortResult, Ruleset
    from parindex_rules.evaluate.stages import PointsLost, StageComparison
    from parindex_rules.rank.ranking import RankedUnit, RankTable


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


def render_table(
    ruleset: Ruleset,
    cohort: CohortResult,
    *,
    summary: bool = False,
    notes: Sequence[str] = (),
    lost: dict[str, list[PointsLost]] | None = None,
    changes: dict[str, StageComparison] | None = None,
) -> str:
    lines = []
    banner = provisional_banner(ruleset.id, ruleset.provisional)
    if banner:
        lines.append(banner)
    lines.append(f"{ruleset.id} — {ruleset.title} — stage: {cohort.stage}")
    lines.extend(notes)
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
    for result in cohort.units:
        comparison = (changes or {}).get(result.unit)
        if comparison is not None and comparison.total is not None:
            lines.append("")
            lines.extend(change_lines(result, comparison))
        if lost and lost.get(result.unit):
            lines.append("")
            lines.append(f"{result.unit} — points lost against the maximum, largest first")
            lines.append(
                table(
                    ["item", "name", "score", "max", "lost"],
                    [
                        [
                            p.item,
                            fit(p.name, 48).rstrip(),
                            result.rounded(p.score) or "—",
                            format_exact(p.max),
                            result.rounded(p.lost) or "—",
                        ]
                        for p in lost[result.unit]
                    ],
                    right=[2, 3, 4],
                )
            )
    return "\n".join(lines) + "\n"


def change_lines(result: UnitResult, comparison: StageComparison) -> list[str]:
    """Self vs appraised for one unit: the totals, then each item the council changed."""
    total = comparison.total
    assert total is not None
    lines = [
        f"{result.unit} — self {result.rounded(total.self_score) or '—'} → appraised "
        f"{result.rounded(total.appraised_score) or '—'} of {format_exact(total.max)} "
        f"(difference {result.rounded(total.difference) or '—'}); "
        f"{len(comparison.changed)} item(s) changed by the council"
    ]
    if comparison.changed:
        lines.append(
            table(
                ["item", "name", "self", "appraised", "difference", "figures restated"],
                [
                    [
                        c.id,
                        fit(c.name, 40).rstrip(),
                        result.rounded(c.self_score) or "—",
                        result.rounded(c.appraised_score) or "—",
                        result.rounded(c.difference) or "—",
                        ", ".join(c.restated),
                    ]
                    for c in comparison.changed
                ],
                right=[2, 3, 4],
            )
        )
    return lines


def _note(placed: RankedUnit) -> str:
    if not placed.entry.evaluated:
        return f"withheld: {placed.reason or ''}"
    if not placed.ranked:
        return f"not ranked: {placed.reason or ''}"
    tie = placed.tie
    if tie is None:
        return ""
    if tie.broken_by:
        still = any(placed.unit in units for units in tie.remaining)
        return f"tie at {tie.value} broken by {', '.join(tie.broken_by)}" + (
            "; still tied" if still else ""
        )
    return f"tie at {tie.value}"


def render_ranking(
    table_: RankTable,
    *,
    heading: Sequence[str],
    places: int,
    mode: RoundingMode,
    results: dict[str, UnitResult] | None = None,
) -> str:
    """The ranking as a table, then each group's statistics and every tie explained."""

    def show(value: Number | None) -> str:
        return "—" if value is None else format_rounded(value, places, mode)

    lines = [*heading, f"ranking: {table_.ranking.describe()}", ""]
    rows = []
    grouped = len(table_.groups) > 1 or any(u.entry.group for u in table_.units)
    for placed in table_.units:
        result = (results or {}).get(placed.unit)
        rows.append(
            [
                "" if placed.rank is None else str(placed.rank),
                *([placed.group] if grouped else []),
                placed.unit,
                fit(placed.entry.name, 40).rstrip(),
                show(placed.entry.index),
                "—" if result is None else (result.rounded(result.score) or "—"),
                "—" if result is None or result.max is None else format_exact(result.max),
                placed.rank_class or "",
                _note(placed),
            ]
        )
    headers = ["rank", *(["group"] if grouped else []), "unit", "name", "index %", "score"]
    headers += ["max", "class", "note"]
    shift = 1 if grouped else 0
    lines.append(table(headers, rows, right=[0, 3 + shift, 4 + shift, 5 + shift]))
    for group, stats in table_.groups.items():
        lines.append("")
        lines.append(f"group {group}: {stats.count} ranked unit(s)")
        stat_rows = [["index", show(stats.index.mean), show(stats.index.median)]]
        stat_rows[0] += [show(stats.index.min), show(stats.index.max)]
        for field_id, summary in stats.fields.items():
            stat_rows.append(
                [
                    f"field {field_id}",
                    show(summary.mean),
                    show(summary.median),
                    show(summary.min),
                    show(summary.max),
                ]
            )
        lines.append(table(["", "mean", "median", "min", "max"], stat_rows, right=[1, 2, 3, 4]))
    if table_.ties:
        lines.append("")
        lines.append("ties:")
        lines.extend(f"  {record.text()}" for record in table_.ties)
    return "\n".join(lines) + "\n"
