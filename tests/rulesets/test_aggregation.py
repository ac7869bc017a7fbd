"""Aggregation through the province rulesets: full marks give 100, zeros give 0, and any
scores add up exactly (the maximum is a fixed 100, or the applicable maximum in Quảng Trị).

Facts are written here from each compiled ruleset (every leaf's own maximum), not fixtures, so
the tests follow the rulesets when their numbers change.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import parindex_rules as pr
from parindex_rules.numbers import HUNDRED

from ._support import PROVINCE_IDS, ruleset, uniform_points, unit_facts


def evaluate(rs: pr.Ruleset, points: dict[str, Decimal]) -> pr.CohortResult:
    facts = {"ruleset": rs.id, "year": rs.document.year, "units": [unit_facts(rs, points)]}
    cohort = rs.evaluate_cohort(facts)
    assert cohort.ok, [d.format() for d in cohort.all_diagnostics()]
    return cohort


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_full_marks_give_index_100(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    result = evaluate(rs, uniform_points(rs, Decimal(1))).units[0]
    assert result.score == Decimal(100)
    assert result.max == Decimal(100)
    assert result.index == HUNDRED
    assert result.rounded(result.index) == "100.00"
    for node_id, node in result.nodes.items():
        assert node.index == HUNDRED, node_id


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_all_zeros_give_index_0(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    result = evaluate(rs, uniform_points(rs, Decimal(0))).units[0]
    assert result.score == 0
    assert result.index == 0
    assert result.max == Decimal(100)  # the denominator never shrinks because of zeros
    assert all(node.score == 0 for node in result.nodes.values())


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_half_marks_give_index_50_in_every_field(ruleset_id: str) -> None:
    """Half of every leaf's maximum: every field, criterion and the total index is exactly 50."""
    rs = ruleset(ruleset_id)
    result = evaluate(rs, uniform_points(rs, Decimal("0.5"))).units[0]
    assert result.score == Decimal(50)
    for node_id, node in result.nodes.items():
        assert node.index == Decimal(50), node_id


def _leaf_scores(ruleset_id: str) -> st.SearchStrategy[dict[str, Decimal]]:
    """Points a leaf can take: quarter points for scored items; for survey items a whole
    percentage of the maximum (the survey value), so the expected points stay exact."""
    rs = ruleset(ruleset_id)
    quarter = Decimal("0.25")
    strategies = {}
    for leaf in rs.compiled.leaves():
        if leaf.method.reads == "survey":
            top = leaf.max
            strategies[leaf.id] = st.integers(0, 100).map(lambda n, top=top: top * n / 100)
        else:
            steps = int(leaf.max / quarter)
            strategies[leaf.id] = st.integers(0, steps).map(lambda n: n * quarter)
    return st.fixed_dictionaries(strategies)


@pytest.mark.parametrize("ruleset_id", ["hanoi-2023/so"])
@given(data=st.data())
def test_any_scores_add_up_exactly(ruleset_id: str, data: st.DataObject) -> None:
    """Index = Σ leaf points (the maximum is 100), and every parent is the sum of its children."""
    rs = ruleset(ruleset_id)
    points = data.draw(_leaf_scores(ruleset_id))
    result = evaluate(rs, points).units[0]
    assert result.score == sum(points.values())
    assert result.index == result.score  # max 100
    for node in rs.nodes.values():
        if node.children:
            assert result.node(node.id).score == sum(result.node(c).score for c in node.children), (
                node.id
            )
