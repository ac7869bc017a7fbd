"""Words shared by the Excel and HTML reports: notes on a node, and the order units are shown in.

Reports are for province staff and auditors, so their labels are Vietnamese; the explanation
records they quote keep the engine's wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from parindex_rules.evaluate.result import NodeResult, UnitResult
from parindex_rules.numbers import compare

if TYPE_CHECKING:
    from parindex_rules.api import CohortResult, Ruleset
    from parindex_rules.rank.ranking import RankTable

ORIGIN_WORDS = {
    "survey": "điều tra XHH",
    "appraisal_only": "Hội đồng thẩm định chấm",
    "bonus": "điểm thưởng",
    "penalty": "điểm trừ",
}

STATUS_WORDS = {
    "not_applicable": "không áp dụng",
    "missing": "thiếu số liệu",
    "error": "lỗi số liệu",
    "withheld": "không đánh giá",
    "incomplete": "chưa đủ số liệu",
    "not_in_stage": "không tự đánh giá",
}


def differs(self_node: NodeResult | None, final: NodeResult) -> bool:
    """The council's score differs from the unit's own (both known)."""
    if self_node is None or self_node.score is None or final.score is None:
        return False
    return compare(self_node.score, final.score) != 0


def node_note(
    result: UnitResult, node: NodeResult, self_node: NodeResult | None, leaf: bool
) -> str:
    """Ghi chú of a row: origin, status, the reason, and a change made by the appraisal."""
    parts: list[str] = []
    if node.origin in ORIGIN_WORDS:
        parts.append(ORIGIN_WORDS[node.origin])
    if node.status != "scored":
        words = STATUS_WORDS.get(node.status, node.status)
        reason = node.explanation.zero_reason if node.status != "not_applicable" else None
        if node.status == "not_applicable":
            reason = next(
                (n for n in node.explanation.notes if n.startswith("not applicable")), None
            )
        parts.append(words + (f": {reason}" if reason else ""))
    if leaf and differs(self_node, node):
        assert self_node is not None and self_node.score is not None
        parts.append(f"thẩm định: {result.rounded(self_node.score)} → {result.rounded(node.score)}")
    if node.provisional:
        parts.append("tạm thời (chưa có nguồn)")
    return "; ".join(parts)


def rank_cohort(ruleset: Ruleset, cohort: CohortResult) -> RankTable:
    """Rank the cohort as its ruleset declares; ranks and classes are written on its units,
    and the table is kept on the cohort (``cohort.ranking``)."""
    from parindex_rules.rank.cohort import rank_results

    cohort.ranking = rank_results(ruleset.compiled, cohort.units, facts=cohort.facts)
    return cohort.ranking


def ensure_ranked(ruleset: Ruleset, cohort: CohortResult) -> RankTable | None:
    """The cohort's ranking: the one :func:`rank_cohort` made, or a new one for a cohort
    nobody has ranked yet (exporters get whatever their caller has)."""
    if cohort.ranking is not None:
        return cohort.ranking
    if any(u.rank is not None for u in cohort.units):
        return None
    return rank_cohort(ruleset, cohort)


def display_order(cohort: CohortResult, table: RankTable | None = None) -> list[UnitResult]:
    """Units in the ranking's order (ranked first, by group and rank), then the others."""
    if table is not None:
        by_id = {u.unit: u for u in cohort.units}
        ordered = [by_id[r.unit] for r in table.units if r.unit in by_id]
        return ordered + [u for u in cohort.units if u.unit not in {r.unit for r in table.units}]
    ranked = [u for u in cohort.units if u.rank is not None]
    others = [u for u in cohort.units if u.rank is None]
    return sorted(ranked, key=lambda u: u.rank or 0) + others


def tie_notes(table: RankTable | None) -> dict[str, str]:
    """Per unit, the note of the tie it is part of (how it was broken, or that it stands)."""
    if table is None:
        return {}
    return {r.unit: f"đồng hạng: {r.tie.text()}" for r in table.units if r.tie is not None}


def unit_status(result: UnitResult, tie: str | None = None) -> str:
    """Ghi chú of a unit: why it is not evaluated or not ranked, errors, or its tie."""
    if tie:
        return tie
    if not result.evaluated:
        return f"không đánh giá: {result.reason or ''}".strip(": ")
    if not result.ok:
        return "có lỗi số liệu (xem thông báo)"
    if not result.ranked:
        return f"không xếp hạng: {result.reason or ''}".strip(": ")
    return ""


def sheet_names(ids: Sequence[str], taken: Sequence[str] = ()) -> list[str]:
    """Valid, unique Excel sheet names (31 characters, none of []:*?/\\) for unit ids."""
    used = {t.casefold() for t in taken}
    out = []
    for unit_id in ids:
        base = "".join("-" if c in "[]:*?/\\" else c for c in unit_id).strip("'") or "don-vi"
        name = base[:31]
        n = 2
        while name.casefold() in used:
            suffix = f"~{n}"
            name = base[: 31 - len(suffix)] + suffix
            n += 1
        used.add(name.casefold())
        out.append(name)
    return out
