"""The rulesets' ranking keys at work through the ranking (parindex rank) on the example
cohorts: sở high to low with Ban Dân tộc tỉnh and Thanh tra tỉnh after, unranked, with the
decision's reason; xã ranked within their district; Hà Nội's excluded unit withheld; Quảng Trị's
(provisional) classes."""

from __future__ import annotations

from decimal import Decimal

import pytest

import parindex_rules as pr
from parindex_rules.rank.cohort import rank_results
from parindex_rules.rank.ranking import RankTable

from ._support import cli_json, cohort_path, facts, ruleset, uniform_points, unit_facts


def ranked(ruleset_id: str) -> tuple[pr.CohortResult, RankTable]:
    cohort_facts = facts(cohort_path(ruleset_id))
    cohort = ruleset(ruleset_id).evaluate_cohort(cohort_facts)
    table = rank_results(ruleset(ruleset_id).compiled, cohort.units, facts=cohort_facts)
    return cohort, table


def test_vinhlong_so_ranks_17_and_lists_the_two_special_agencies_last() -> None:
    _, table = ranked("vinhlong-2023/so")
    assert [u.rank for u in table.units[:17]] == list(range(1, 18))  # no ties in this cohort
    indices = [u.entry.index for u in table.units[:17]]
    assert indices == sorted(indices, reverse=True)
    last = table.units[17:]
    assert {u.entry.name for u in last} == {"Ban Dân tộc tỉnh", "Thanh tra tỉnh"}
    for unit in last:
        assert (unit.rank, unit.ranked) == (None, False)
        assert "không xếp hạng chung" in unit.reason
    # Ban Dân tộc tỉnh has the second-best index of the cohort, and still is not ranked.
    assert max(u.entry.index for u in last) > table.units[1].entry.index


@pytest.mark.parametrize("ruleset_id", ["vinhlong-2023/xa", "quangtri-2019/xa"])
def test_xa_ranks_restart_in_each_district(ruleset_id: str) -> None:
    _, table = ranked(ruleset_id)
    by_group: dict[str, list[int | None]] = {}
    for unit in table.units:
        by_group.setdefault(unit.group, []).append(unit.rank)
    assert len(by_group) >= 2
    for group, ranks in by_group.items():
        assert ranks == list(range(1, len(ranks) + 1)), group
    assert set(table.groups) == set(by_group)


def test_hanoi_excluded_unit_is_listed_after_the_ranked_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, table = ranked("hanoi-2023/so")
    last = table.units[-1]
    assert last.unit == "don-vi-vi-du-loai-tru"
    assert (last.rank, last.ranked) == (None, False)
    assert "thiếu trung thực" in last.reason
    assert all(u.ranked for u in table.units[:-1])
    data = cli_json(
        capsys,
        "rank",
        "hanoi-2023/so",
        "--facts",
        str(cohort_path("hanoi-2023/so")),
        "--format",
        "json",
    )
    assert data["provisional"] is True
    unit = data["units"][-1]
    assert (unit["unit"], unit["rank"], unit["ranked"], unit["index"]) == (
        "don-vi-vi-du-loai-tru",
        None,
        False,
        None,
    )
    assert data["groups"]["all"]["count"] == 21  # statistics cover ranked units only


def test_quangtri_classes_follow_the_provisional_thresholds() -> None:
    """Tốt from 80; every example unit is above 90, so all are Tốt (cf. 2020: 7 Tốt, 3 Khá)."""
    cohort, table = ranked("quangtri-2019/huyen")
    assert {u.rank_class for u in table.units} == {"Tốt"}
    assert all(r.rank_class == "Tốt" for r in cohort.units)
    # The unit with 5.4 not applicable is first: 91.5 of 97.75 = 93.61 %.
    assert table.units[0].unit == "thi-xa-quang-tri"


@pytest.mark.parametrize(
    ("fraction", "label"),
    [
        ("1", "Tốt"),
        ("0.8", "Tốt"),  # from 80: included
        ("0.79", "Khá"),
        ("0.65", "Khá"),
        ("0.64", "Trung bình"),
        ("0.5", "Trung bình"),
        ("0.49", "Yếu"),
        ("0", "Yếu"),
    ],
)
def test_quangtri_class_bounds(fraction: str, label: str) -> None:
    """Every leaf at `fraction` of its maximum gives index 100 × fraction exactly."""
    rs = ruleset("quangtri-2019/huyen")
    result = rs.evaluate(unit_facts(rs, uniform_points(rs, Decimal(fraction))))
    assert result.ok and result.index == Decimal(fraction) * 100
    table = rank_results(rs.compiled, [result])
    assert table.units[0].rank_class == label
