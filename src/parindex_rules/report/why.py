"""Why a unit has its score and rank: the points it lost, and what separates it from another.

Everything is exact. A unit's points lost are, per leaf, the maximum it is measured against
minus its score (a penalty item's points count as lost; a bonus item's as gained), so that
they add up to the unit's maximum minus its score. Against another unit, each leaf contributes
the difference of the two scores (and of the two shares of the index); contributions add up
exactly to the difference of the totals. When the ruleset caps totals (``clamp_total``), what
the caps changed is one more, labelled line, so the sums stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.evaluate.result import NodeResult, UnitResult
from parindex_rules.evaluate.stages import points_lost
from parindex_rules.model.ruleset import Origin
from parindex_rules.numbers import (
    HUNDRED,
    ZERO,
    Number,
    as_fraction,
    compare,
    div,
    format_exact,
    mul,
    sub,
    total,
)
from parindex_rules.report.json import unit_json

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset
    from parindex_rules.rank.ranking import RankTable

register_codes(
    Code(
        "PR828",
        "no-result",
        Severity.ERROR,
        "The unit has no result to explain (not evaluated, or its result is withheld).",
    ),
)

#: The id of the line that carries what capped totals changed.
CAPS = "caps"


@dataclass(frozen=True)
class Loss:
    """Points a unit did not get on one leaf."""

    node: str
    name: str
    max: Number
    score: Number
    lost: Number
    #: The same loss in points of the unit's index (lost / unit maximum × 100).
    index_points: Number
    #: The rule's verdict: the band or outcome matched, or why 0.
    why: str


@dataclass(frozen=True)
class Contribution:
    """What one leaf adds to the gap between unit A and unit B (positive: A is ahead)."""

    node: str
    name: str
    score: Number | None
    versus_score: Number | None
    points: Number
    index_points: Number
    why: str
    versus_why: str


@dataclass
class Comparison:
    unit: UnitResult
    versus: UnitResult
    contributions: list[Contribution]

    @property
    def score_difference(self) -> Number:
        assert self.unit.score is not None and self.versus.score is not None
        return sub(self.unit.score, self.versus.score)

    @property
    def index_difference(self) -> Number:
        assert self.unit.index is not None and self.versus.index is not None
        return sub(self.unit.index, self.versus.index)


def verdict(node: NodeResult) -> str:
    """One line of why a leaf has its score: the rule's last step, the match, or why 0."""
    explanation = node.explanation
    if node.status == "not_applicable":
        return next(iter(explanation.notes), "không áp dụng")
    step = explanation.steps[-1] if explanation.steps else ""
    parts = []
    if explanation.matched and explanation.matched not in step:
        parts.append(explanation.matched)
    if step:
        parts.append(step)
    parts.extend(explanation.caps)
    if not step and explanation.zero_reason and (node.score is None or node.score == 0):
        parts.append(explanation.zero_reason)
    return " — ".join(dict.fromkeys(parts))


def usable(result: UnitResult) -> None:
    """Refuse a unit whose numbers cannot be trusted (withheld, or with errors)."""
    errors = [d for d in result.diagnostics if d.is_error]
    if errors:
        raise DiagnosticError(errors)
    if not result.evaluated or result.score is None or result.index is None:
        why = result.reason or "no total: see the diagnostics"
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR828",
                    f"unit {result.unit} has no result to explain ({why})",
                    file=f"<unit {result.unit}>",
                )
            ]
        )


def _leaves(ruleset: Ruleset) -> list[str]:
    return list(ruleset.compiled.leaf_order)


def _signed(ruleset: Ruleset, node: NodeResult) -> Number:
    """The leaf's part of its unit's total: penalties count negative; unscored parts 0."""
    if node.score is None:
        return ZERO
    if ruleset.nodes[node.id].origin is Origin.PENALTY:
        return -node.score
    return node.score


def losses(ruleset: Ruleset, result: UnitResult) -> list[Loss]:
    """The leaves where the unit lost points, largest loss first (then the decision's order).

    The points are those of :func:`~parindex_rules.evaluate.stages.points_lost` (one
    definition for `score --lost`, `why` and the reports); this adds each loss's share of the
    index and the rule's verdict.
    """
    usable(result)
    assert result.max is not None
    out = []
    for item in points_lost(ruleset.compiled, result):
        share = mul(div(item.lost, result.max), HUNDRED) if result.max else ZERO
        node = result.nodes[item.item]
        out.append(
            Loss(item.item, item.name, item.max, item.score, item.lost, share, verdict(node))
        )
    return out


def _exact(value: Number) -> Fraction:
    """A sort key that stays exact whatever mix of decimals and fractions."""
    return as_fraction(value)


def compare_units(ruleset: Ruleset, a: UnitResult, b: UnitResult) -> Comparison:
    """Each leaf's contribution to A's total minus B's, largest (in size) first."""
    usable(a)
    usable(b)
    assert a.max is not None and b.max is not None
    contributions = []
    points_sum: list[Number] = []
    index_sum: list[Number] = []
    for node_id in _leaves(ruleset):
        na, nb = a.nodes[node_id], b.nodes[node_id]
        sa, sb = _signed(ruleset, na), _signed(ruleset, nb)
        points = sub(sa, sb)
        share_a = mul(div(sa, a.max), HUNDRED) if a.max else ZERO
        share_b = mul(div(sb, b.max), HUNDRED) if b.max else ZERO
        index_points = sub(share_a, share_b)
        points_sum.append(points)
        index_sum.append(index_points)
        if compare(points, ZERO) == 0 and compare(index_points, ZERO) == 0:
            continue
        contributions.append(
            Contribution(
                node_id, na.name, na.score, nb.score, points, index_points, verdict(na), verdict(nb)
            )
        )
    comparison = Comparison(a, b, contributions)
    residual = sub(comparison.score_difference, total(points_sum))
    residual_index = sub(comparison.index_difference, total(index_sum))
    if compare(residual, ZERO) != 0 or compare(residual_index, ZERO) != 0:
        contributions.append(
            Contribution(
                CAPS,
                "Giới hạn tổng điểm (clamp_total): phần điểm bị chặn ở tổng",
                None,
                None,
                residual,
                residual_index,
                "",
                "",
            )
        )
    order = {n: i for i, n in enumerate([*_leaves(ruleset), CAPS])}
    contributions.sort(key=lambda c: (-abs(_exact(c.points)), order[c.node]))
    return comparison


def unit_above(table: RankTable, units: list[UnitResult], result: UnitResult) -> UnitResult | None:
    """The unit ranked just above `result` in its ranking group (None for a first or unranked)."""
    try:
        own = table.unit(result.unit)
    except KeyError:
        return None
    if own.rank is None or own.rank <= 1:
        return None
    ahead = [
        r for r in table.units if r.group == own.group and r.rank is not None and r.rank < own.rank
    ]
    if not ahead:
        return None
    best = max(r.rank or 0 for r in ahead)
    first = next(r for r in ahead if r.rank == best)
    return next((u for u in units if u.unit == first.unit), None)


# -- rendering -----------------------------------------------------------------------------


def _unit_json(result: UnitResult) -> dict[str, Any]:
    """The unit result of every command (shared/interfaces.md), without its nodes."""
    return unit_json(result, nodes=False)


def why_json(
    ruleset: Ruleset,
    result: UnitResult,
    comparison: Comparison | None,
    above: UnitResult | None = None,
) -> dict[str, Any]:
    """The `why` JSON: decimals as strings; `*_exact` values add up exactly (fractions a/b)."""
    lost = losses(ruleset, result)
    data: dict[str, Any] = {
        "ruleset": ruleset.id,
        "provisional": ruleset.provisional,
        "stage": result.stage,
        "unit": _unit_json(result),
        "lost": [
            {
                "node": x.node,
                "name": x.name,
                "max": format_exact(x.max),
                "score": result.rounded(x.score),
                "lost": result.rounded(x.lost),
                "lost_exact": format_exact(x.lost),
                "index_points": result.rounded(x.index_points),
                "index_points_exact": format_exact(x.index_points),
                "why": x.why,
            }
            for x in lost
        ],
        "lost_total_exact": format_exact(total([x.lost for x in lost])),
        "above": None if above is None else _unit_json(above),
    }
    if comparison is not None:
        data["versus"] = {
            "unit": _unit_json(comparison.versus),
            "score_difference": result.rounded(comparison.score_difference),
            "score_difference_exact": format_exact(comparison.score_difference),
            "index_difference": result.rounded(comparison.index_difference),
            "index_difference_exact": format_exact(comparison.index_difference),
            "items": [
                {
                    "node": c.node,
                    "name": c.name,
                    "score": result.rounded(c.score),
                    "versus_score": result.rounded(c.versus_score),
                    "points": result.rounded(c.points),
                    "points_exact": format_exact(c.points),
                    "index_points": result.rounded(c.index_points),
                    "index_points_exact": format_exact(c.index_points),
                    "why": c.why,
                    "versus_why": c.versus_why,
                }
                for c in comparison.contributions
            ],
        }
    return data


def _signed_text(result: UnitResult, value: Number) -> str:
    text = result.rounded(value) or "0"
    return text if text.startswith("-") else "+" + text


def why_text(
    ruleset: Ruleset,
    result: UnitResult,
    comparison: Comparison | None,
    above: UnitResult | None = None,
) -> str:
    from parindex_rules.report.text import fit, provisional_banner, table

    lines = []
    banner = provisional_banner(ruleset.id, ruleset.provisional)
    if banner:
        lines.append(banner)
    rank = f", rank {result.rank}" if result.rank is not None else ""
    group = f" in group {result.group}" if result.group and result.rank is not None else ""
    lines.append(
        f"{result.unit} — {result.name}: {result.rounded(result.score)} of "
        f"{format_exact(result.max or ZERO)} points, index {result.rounded(result.index)}%"
        f"{rank}{group} ({ruleset.id}, stage {result.stage})"
    )
    if above is not None:
        gap = sub(above.index or ZERO, result.index or ZERO)
        lines.append(
            f"Ranked just above: {above.unit} — {above.name}, rank {above.rank}, index "
            f"{above.rounded(above.index)}% ({result.rounded(gap)} index points ahead); "
            f"`--versus {above.unit}` shows the items that make the difference."
        )
    lost = losses(ruleset, result)
    lines.append("")
    if lost:
        lines.append(
            f"Points lost against the maximum ({result.rounded(total([x.lost for x in lost]))} "
            "in all), largest first:"
        )
        rows = [
            [
                x.node,
                fit(x.name, 44).rstrip(),
                format_exact(x.max),
                result.rounded(x.score) or "",
                result.rounded(x.lost) or "",
                result.rounded(x.index_points) or "",
                x.why,
            ]
            for x in lost
        ]
        lines.append(
            table(
                ["id", "name", "max", "score", "lost", "index pts", "why"], rows, right=[2, 3, 4, 5]
            )
        )
    else:
        lines.append("No points lost: every item scored its maximum.")
    if comparison is not None:
        b = comparison.versus
        lines.append("")
        lines.append(
            f"Against {b.unit} — {b.name}: {b.rounded(b.score)} points, index "
            f"{b.rounded(b.index)}%"
            + (f", rank {b.rank}" if b.rank is not None else "")
            + f". Difference: {_signed_text(result, comparison.score_difference)} points, "
            f"{_signed_text(result, comparison.index_difference)} index points."
        )
        if comparison.contributions:
            lines.append(
                f"The items that make the difference (positive: {result.unit} ahead), largest "
                "first; they add up exactly to the difference:"
            )
            rows = [
                [
                    c.node,
                    fit(c.name, 40).rstrip(),
                    result.rounded(c.score) or "",
                    result.rounded(c.versus_score) or "",
                    _signed_text(result, c.points),
                    _signed_text(result, c.index_points),
                    fit(c.why, 48).rstrip() if c.node != CAPS else "",
                    fit(c.versus_why, 48).rstrip() if c.node != CAPS else "",
                ]
                for c in comparison.contributions
            ]
            lines.append(
                table(
                    ["id", "name", result.unit, b.unit, "points", "index pts", "why", "versus"],
                    rows,
                    right=[2, 3, 4, 5],
                )
            )
            lines.append(
                "sum: "
                + format_exact(total([c.points for c in comparison.contributions]))
                + " points = "
                + format_exact(comparison.score_difference)
            )
        else:
            lines.append("No item differs: the two units have the same scores.")
    return "\n".join(lines) + "\n"
