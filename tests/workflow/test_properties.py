"""Properties of ranking, checked on generated cohorts (hypothesis; profile in conftest)."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from parindex_rules.rank import (
    ExactTies,
    NodeIndexTieBreaker,
    RankEntry,
    Ranking,
    RoundedTies,
    rank_results,
)

from .helpers import TWO_FIELDS, facts, ruleset

# Indices with three decimals from a small range, so that ties, exact and rounded, are common.
INDEX = st.integers(min_value=84_990, max_value=85_010).map(lambda n: Decimal(n).scaleb(-3))


@st.composite
def cohorts(draw: st.DrawFn, *, with_not_ranked: bool = False) -> list[RankEntry]:
    size = draw(st.integers(min_value=1, max_value=12))
    out = []
    for i in range(size):
        index = draw(st.one_of(INDEX, st.none()) if with_not_ranked else INDEX)
        ranked = draw(st.booleans()) if with_not_ranked else True
        evaluated = draw(st.booleans()) if with_not_ranked else True
        out.append(
            RankEntry(
                unit=f"u{i}",
                name=f"U{i}",
                group=draw(st.sampled_from([None, "g1", "g2"])),
                index=index,
                ranked=ranked,
                evaluated=evaluated,
                reason=None if ranked and evaluated else "lý do",
                nodes={"2": draw(INDEX)},
            )
        )
    return out


def compared(entry: RankEntry, exact: bool) -> Decimal:
    assert isinstance(entry.index, Decimal)
    if exact:
        return entry.index
    return entry.index.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(cohorts(), st.booleans(), st.sampled_from(["group", "all"]))
def test_ranks_are_a_competition_ranking_of_the_indices(
    entries: list[RankEntry], exact: bool, within: Any
) -> None:
    """Each rank is 1 + the number of units of the group whose compared index is strictly
    greater; hence ranks within a group run 1, 2, 2, 4, … in output order."""
    ranking = Ranking(ExactTies() if exact else RoundedTies(2), within=within)
    table = ranking.rank(entries)
    for placed in table.units:
        group = [e for e in entries if ranking.group_of(e) == placed.group]
        ahead = sum(1 for e in group if compared(e, exact) > compared(placed.entry, exact))
        assert placed.rank == 1 + ahead
    for group in {u.group for u in table.units}:
        ranks = [u.rank for u in table.units if u.group == group]
        assert ranks[0] == 1
        for position, (before, after) in enumerate(itertools.pairwise(ranks), 2):
            assert after in (before, position)


@given(cohorts(with_not_ranked=True), st.booleans(), st.data())
def test_removing_a_not_ranked_unit_changes_no_other_rank(
    entries: list[RankEntry], breakers: bool, data: st.DataObject
) -> None:
    ranking = Ranking(tie_breakers=[NodeIndexTieBreaker("2")] if breakers else [])
    table = ranking.rank(entries)
    not_ranked = [u.unit for u in table.units if not u.ranked]
    if not not_ranked:
        return
    gone = data.draw(st.sampled_from(not_ranked))
    before = table.ranks()
    after = ranking.rank([e for e in entries if e.unit != gone]).ranks()
    del before[gone]
    assert after == before


RULESET = ruleset(TWO_FIELDS, head='ranking:\n  tie_breakers: [{node: "2"}]\n')
MAXIMA = {"1.1": 2, "1.2": 3, "2.1": 5}
STEP = Decimal("0.5")


def score(item: str) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=0, max_value=MAXIMA[item] * 2).map(lambda n: n * STEP)


@st.composite
def scored_cohorts(draw: st.DrawFn) -> list[dict[str, Decimal]]:
    size = draw(st.integers(min_value=2, max_value=6))
    return [{item: draw(score(item)) for item in MAXIMA} for _ in range(size)]


def ranks_of(cohort: list[dict[str, Decimal]]) -> dict[str, int | None]:
    units = [
        {"unit": f"u{i}", "name": f"U{i}", "items": {k: {"self": v} for k, v in scores.items()}}
        for i, scores in enumerate(cohort)
    ]
    results = RULESET.evaluate_cohort(facts(units))
    assert results.ok
    return rank_results(RULESET.compiled, results.units).ranks()


@given(scored_cohorts(), st.data())
def test_raising_an_item_score_never_lowers_the_unit_rank(
    cohort: list[dict[str, Decimal]], data: st.DataObject
) -> None:
    """Scored through the ruleset (field 2's index breaks ties): one unit's item goes up by
    0.5 (within its maximum); that unit's rank never gets worse."""
    who = data.draw(st.integers(min_value=0, max_value=len(cohort) - 1))
    item = data.draw(st.sampled_from([i for i in MAXIMA if cohort[who][i] < MAXIMA[i]] or ["-"]))
    if item == "-":
        return
    before = ranks_of(cohort)[f"u{who}"]
    raised = [dict(scores) for scores in cohort]
    raised[who][item] += STEP
    after = ranks_of(raised)[f"u{who}"]
    assert before is not None and after is not None
    assert after <= before
