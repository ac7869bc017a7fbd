"""Rank evaluated units the way their ruleset declares (``ranking:`` and ``classes:``)."""

from __future__ import annotations

from collections.abc import Sequence

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.compile.compiled import ROOT_ID, CompiledRuleset
from parindex_rules.diagnostics import Diagnostic
from parindex_rules.evaluate.result import UnitResult
from parindex_rules.loader.facts import Facts
from parindex_rules.model.ruleset import RulesetDocument
from parindex_rules.numbers import Number
from parindex_rules.rank.classes import Classifier
from parindex_rules.rank.ranking import ALL, RankedUnit, RankEntry, Ranking, RankTable, Where
from parindex_rules.rank.ties import ExactTies, NodeIndexTieBreaker, RoundedTies, TiePolicy

register_codes(
    Code(
        "PR624",
        "not-ranked-unmatched",
        Severity.WARNING,
        "A `ranking.not_ranked` entry matches no unit of the cohort ranked (check the spelling).",
    ),
)


def tie_policy(document: RulesetDocument) -> TiePolicy:
    places, mode = document.rounding.places, document.rounding.mode
    if document.ranking.ties == "exact":
        return ExactTies(places, mode)
    return RoundedTies(places, mode)


def ranking_for(compiled: CompiledRuleset) -> Ranking:
    """The ruleset's ranking: tie option, grouping, tie-breakers, classes, fields for statistics."""
    document = compiled.document
    policy = tie_policy(document)
    breakers = [
        NodeIndexTieBreaker(
            b.node,
            compiled.nodes[b.node].name if b.node in compiled.nodes else None,
            policy,
        )
        for b in document.ranking.tie_breakers
    ]
    fields = [
        child
        for child in compiled.nodes[ROOT_ID].children
        if not compiled.nodes[child].adjusts_parent
    ]
    return Ranking(
        policy,
        within=document.ranking.within,
        tie_breakers=breakers,
        classifier=Classifier.from_bounds([(band.label, band) for band in document.classes]),
        fields=fields,
    )


def entry_for(result: UnitResult, where: Where | None = None) -> RankEntry:
    nodes: dict[str, Number | None] = {
        node_id: node.index for node_id, node in result.nodes.items() if node_id != ROOT_ID
    }
    return RankEntry(
        unit=result.unit,
        name=result.name,
        group=result.group,
        index=result.index if result.evaluated else None,
        ranked=result.ranked,
        reason=result.reason,
        evaluated=result.evaluated,
        nodes=nodes,
        where=where,
    )


def rank_results(
    compiled: CompiledRuleset,
    results: Sequence[UnitResult],
    *,
    facts: Facts | None = None,
    ranking: Ranking | None = None,
) -> RankTable:
    """Rank unit results and write each one's rank, class and (when not ranked) reason back.

    With `facts`, diagnostics point at the units in the facts file.
    """
    ranking = ranking or ranking_for(compiled)
    positions: dict[str, int] = {}
    if facts is not None:
        positions = {unit.unit: i for i, unit in enumerate(facts.units)}
    entries = []
    for result in results:
        where: Where | None = None
        if facts is not None and result.unit in positions:
            line, column = facts.source_map.locate(("units", positions[result.unit]))
            where = (facts.file, line, column)
        entries.append(entry_for(result, where))
    table = ranking.rank(entries)
    table.diagnostics.extend(_unmatched_not_ranked(compiled, results))
    by_unit = {r.unit: r for r in results}
    for placed in table.units:
        result = by_unit[placed.unit]
        result.rank = placed.rank
        result.rank_class = placed.rank_class
        result.ranked = placed.ranked
        result.reason = placed.reason if not placed.ranked else result.reason
        total = result.nodes.get(ROOT_ID)
        if total is not None:
            total.explanation.notes.append(_rank_note(placed, ranking))
    return table


def _unmatched_not_ranked(
    compiled: CompiledRuleset, results: Sequence[UnitResult]
) -> list[Diagnostic]:
    """A `ranking.not_ranked` entry that names none of the units ranked: most often a name
    spelt otherwise than in the facts (names match after NFC, case folding and whitespace
    collapsing), which would silently rank a unit the decision excludes."""
    out = []
    for i, rule in enumerate(compiled.document.ranking.not_ranked):
        if any(rule.matches(r.unit, r.name) for r in results):
            continue
        named = f"unit {rule.unit}" if rule.unit is not None else f"name {rule.name!r}"
        out.append(
            compiled.source_map.diagnostic(
                "PR624",
                f"the not-ranked entry for {named} matches none of the {len(results)} units "
                "ranked: check its spelling against the facts",
                ("ranking", "not_ranked", i),
            )
        )
    return out


def _rank_note(placed: RankedUnit, ranking: Ranking) -> str:
    """Why the unit has its rank, for the explanation of its total."""
    if not placed.ranked:
        return f"not ranked: {placed.reason}"
    where = f" in group {placed.group}" if placed.group != ALL else ""
    text = f"rank {placed.rank}{where} ({ranking.describe()})"
    if placed.tie is not None:
        text += f"; {placed.tie.text()}"
    if placed.rank_class is not None:
        text += f"; class {placed.rank_class}"
    return text
