"""The ranking object: competition ranking, tie options, tie-breakers, not-ranked units, classes,
group statistics. Entries are built by hand; every expected rank is worked out in the docstring.
"""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817  (short, in tables of values)
from fractions import Fraction

import pytest

from parindex_rules.intervals import Interval
from parindex_rules.rank import (
    Classifier,
    ExactTies,
    NodeIndexTieBreaker,
    RankEntry,
    Ranking,
    RoundedTies,
)
from parindex_rules.rank.classes import ClassBand

#: Synthetic indices (not the published values, which we do not hold) built so that, judged on
#: the index rounded to 2 places, they reproduce the published Vĩnh Long 2017 department ranking
#: 1, 2, 3, 4, 4, 6, 7, 7, 9, 9, 9, 12, 12, 14, 15, 16, 17, 18.
VINHLONG_2017 = [
    ("so-01", "92.50"),
    ("so-02", "91.20"),
    ("so-03", "90.00"),
    ("so-04", "88.7549"),  # rounds to 88.75
    ("so-05", "88.754"),  # rounds to 88.75
    ("so-06", "87.10"),
    ("so-07", "86.0149"),  # rounds to 86.01
    ("so-08", "86.005"),  # rounds (half up) to 86.01
    ("so-09", "85.50"),
    ("so-10", "85.5"),  # equal to 85.50 exactly
    ("so-11", "85.496"),  # rounds to 85.50
    ("so-12", "84.20"),
    ("so-13", "84.1951"),  # rounds to 84.20
    ("so-14", "83.00"),
    ("so-15", "82.00"),
    ("so-16", "81.00"),
    ("so-17", "80.00"),
    ("so-18", "79.00"),
]


def entries(rows: list[tuple[str, str]], **common: object) -> list[RankEntry]:
    return [RankEntry(uid, uid, None, D(index), **common) for uid, index in rows]  # type: ignore[arg-type]


def test_vinhlong_2017_published_ranking_with_rounded_ties() -> None:
    """Rounded to 2 places the indices are 92.50, 91.20, 90.00, 88.75 ×2, 87.10, 86.01 ×2,
    85.50 ×3, 84.20 ×2, 83.00 … 79.00. A unit's rank is 1 + the number strictly ahead:
    88.75 → 1 + 3 = 4 (both); 87.10 → 6; 86.01 → 7 (both); 85.50 → 9 (all three);
    84.20 → 12 (both); 83.00 → 14; then 15, 16, 17, 18."""
    table = Ranking(RoundedTies(2)).rank(entries(VINHLONG_2017))
    assert [u.rank for u in table.units] == [
        1, 2, 3, 4, 4, 6, 7, 7, 9, 9, 9, 12, 12, 14, 15, 16, 17, 18,
    ]  # fmt: skip
    # Four tie groups, recorded with the shared rank and the value as published.
    assert [(t.rank, t.value, t.units) for t in table.ties] == [
        (4, "88.75", ["so-04", "so-05"]),
        (7, "86.01", ["so-07", "so-08"]),
        (9, "85.50", ["so-09", "so-10", "so-11"]),
        (12, "84.20", ["so-12", "so-13"]),
    ]
    assert all(t.remaining == [t.units] for t in table.ties)
    assert table.diagnostics == []  # no tie-breaker declared: ties are normal, not a warning


def test_vinhlong_2017_indices_on_exact_ties() -> None:
    """Unrounded, only 85.50 and 85.5 are equal: 88.7549 > 88.754 (4, 5), 86.0149 > 86.005
    (7, 8), 85.50 = 85.5 > 85.496 (9, 9, 11), 84.20 > 84.1951 (12, 13)."""
    table = Ranking(ExactTies()).rank(entries(VINHLONG_2017))
    assert [u.rank for u in table.units] == [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 11, 12, 13, 14, 15, 16, 17, 18,
    ]  # fmt: skip
    assert [t.units for t in table.ties] == [["so-09", "so-10"]]


def test_exact_ties_compare_fractions_exactly() -> None:
    """200/3 = 66.666… rounds to 66.67, as does 66.67 itself: a tie when rounded. Exactly,
    66.67 − 200/3 = 1/300 > 0, so 66.67 is ahead. 2/3 × 100 computed two ways is one value."""
    rows = [
        RankEntry("a", "A", None, Fraction(200, 3)),
        RankEntry("b", "B", None, D("66.67")),
        RankEntry("c", "C", None, Fraction(2, 3) * 100),
    ]
    assert Ranking(RoundedTies(2)).rank(rows).ranks() == {"a": 1, "b": 1, "c": 1}
    assert Ranking(ExactTies()).rank(rows).ranks() == {"b": 1, "a": 2, "c": 2}


def test_not_ranked_and_withheld_units_come_last_with_their_reasons() -> None:
    """Ranked: 90 → 1, 80 → 2. Ban Dân tộc (95, not ranked) and a withheld unit keep their
    reasons, have no rank, and come after the ranked units in their input order; a unit with no
    index cannot be ranked and is a warning."""
    rows = [
        RankEntry("bdt", "Ban Dân tộc tỉnh", None, D(95), ranked=False, reason="không xếp hạng"),
        RankEntry("a", "A", None, D(80)),
        RankEntry("x", "X", None, None, evaluated=False, reason="gian dối"),
        RankEntry("b", "B", None, D(90)),
        RankEntry("c", "C", None, None),
    ]
    table = Ranking().rank(rows)
    assert [(u.unit, u.rank, u.ranked, u.reason) for u in table.units] == [
        ("b", 1, True, None),
        ("a", 2, True, None),
        ("bdt", None, False, "không xếp hạng"),
        ("x", None, False, "gian dối"),
        ("c", None, False, "no index: the unit's score is incomplete"),
    ]
    assert [d.code for d in table.diagnostics] == ["PR608"]
    assert table.groups["all"].count == 2  # statistics over ranked units only


def test_ranks_within_groups_and_statistics_per_group() -> None:
    """Group Long Hồ: 90, 85, 85 → 1, 2, 2; group Mang Thít: 70, 95 → 2, 1.
    Long Hồ: mean (90 + 85 + 85) / 3 = 260/3 = 86.666… → 86.67; median 85; min 85; max 90.
    Mang Thít: mean 82.5, median (70 + 95) / 2 = 82.5, min 70, max 95."""
    rows = [
        RankEntry("x1", "X1", "long-ho", D(90)),
        RankEntry("y1", "Y1", "mang-thit", D(70)),
        RankEntry("x2", "X2", "long-ho", D(85)),
        RankEntry("x3", "X3", "long-ho", D(85)),
        RankEntry("y2", "Y2", "mang-thit", D(95)),
    ]
    table = Ranking().rank(rows)
    assert table.ranks() == {"x1": 1, "x2": 2, "x3": 2, "y2": 1, "y1": 2}
    assert [u.unit for u in table.units] == ["x1", "x2", "x3", "y2", "y1"]
    long_ho = table.groups["long-ho"]
    assert long_ho.count == 3
    assert long_ho.index.mean == Fraction(260, 3)
    assert long_ho.to_json(2, RoundedTies().mode)["index"] == {
        "mean": "86.67",
        "median": "85.00",
        "min": "85.00",
        "max": "90.00",
    }
    mang_thit = table.groups["mang-thit"].index
    assert (mang_thit.mean, mang_thit.median, mang_thit.min, mang_thit.max) == (
        D("82.5"),
        D("82.5"),
        D(70),
        D(95),
    )
    # The same units ranked all together: 95, 90, 85, 85, 70 → 1, 2, 3, 3, 5.
    together = Ranking(within="all").rank(rows)
    assert together.ranks() == {"y2": 1, "x1": 2, "x2": 3, "x3": 3, "y1": 5}


def test_tie_breaker_decides_and_says_so() -> None:
    """a, b, c tie at 85.00. The tie-breaker is field 8's index, higher first: b 90, a 80,
    c 80 → b rank 1; a and c still tie (rank 2), which is a warning because a declared
    tie-breaker left them tied. d (84) is 4th either way."""
    rows = [
        RankEntry("a", "A", None, D(85), nodes={"8": D(80)}),
        RankEntry("b", "B", None, D("84.996"), nodes={"8": D(90)}),
        RankEntry("c", "C", None, D(85), nodes={"8": D(80)}),
        RankEntry("d", "D", None, D(84), nodes={"8": D(99)}),
    ]
    ranking = Ranking(RoundedTies(2), tie_breakers=[NodeIndexTieBreaker("8", "Tác động")])
    table = ranking.rank(rows)
    assert table.ranks() == {"b": 1, "a": 2, "c": 2, "d": 4}
    (tie,) = table.ties
    assert tie.units == ["b", "a", "c"]
    assert tie.broken_by == ["the index of 8 (Tác động)"]
    assert tie.remaining == [["a", "c"]]
    assert "broken by the index of 8 (Tác động): b 90.00, a 80.00, c 80.00" in tie.text()
    assert [d.code for d in table.diagnostics] == ["PR607"]
    assert "a, c remain tied at 85.00" in table.diagnostics[0].message


def test_second_tie_breaker_and_missing_values() -> None:
    """a and b tie on the index and on field 1 (70); field 2 decides: b 60 > a 50. c has no
    field 1 index (all its items were not applicable): it comes after a value, so after a, b."""
    rows = [
        RankEntry("a", "A", None, D(80), nodes={"1": D(70), "2": D(50)}),
        RankEntry("b", "B", None, D(80), nodes={"1": D(70), "2": D(60)}),
        RankEntry("c", "C", None, D(80), nodes={"1": None, "2": D(99)}),
    ]
    ranking = Ranking(tie_breakers=[NodeIndexTieBreaker("1"), NodeIndexTieBreaker("2")])
    table = ranking.rank(rows)
    assert table.ranks() == {"b": 1, "a": 2, "c": 3}
    (tie,) = table.ties
    assert tie.broken and tie.broken_by == ["the index of 1", "the index of 2"]
    assert table.diagnostics == []


def test_classes_judged_on_the_rounded_index_by_default() -> None:
    """A: from 90; B: from 80 below 90. 89.996 rounds to 90.00 → A (as a published table
    shows it); exactly it is below 90 → B. 79.99 has no class."""
    classifier = Classifier(
        (
            ClassBand("A", Interval(D(90), True, None, False)),
            ClassBand("B", Interval(D(80), True, D(90), False)),
        )
    )
    rows = [RankEntry("x", "X", None, D("89.996")), RankEntry("y", "Y", None, D("79.99"))]
    rounded = Ranking(RoundedTies(2), classifier=classifier).rank(rows)
    exact = Ranking(ExactTies(), classifier=classifier).rank(rows)
    assert {u.unit: u.rank_class for u in rounded.units} == {"x": "A", "y": None}
    assert {u.unit: u.rank_class for u in exact.units} == {"x": "B", "y": None}


def test_description_names_every_option() -> None:
    ranking = Ranking(ExactTies(), within="all", tie_breakers=[NodeIndexTieBreaker("8")])
    text = ranking.describe()
    assert "1, 2, 2, 4" in text and "all units together" in text
    assert "exact" in text and "then the index of 8" in text


@pytest.mark.parametrize("policy", [RoundedTies(2), ExactTies()])
def test_ranking_ignores_input_order(policy: RoundedTies | ExactTies) -> None:
    """Ranks depend on the values only: reversing the input changes no rank."""
    rows = entries(VINHLONG_2017)
    forward = Ranking(policy).rank(rows).ranks()
    backward = Ranking(policy).rank(list(reversed(rows))).ranks()
    assert forward == backward


def test_units_without_a_group_are_ranked_together_with_a_warning() -> None:
    """Within groups, x (group g1, 80) is 1st of g1; y and z name no group: ranked together
    under `all` (z 90 → 1, y 70 → 2), each flagged PR609."""
    rows = [
        RankEntry("x", "X", "g1", D(80)),
        RankEntry("y", "Y", None, D(70), where=("facts.yaml", 9, 5)),
        RankEntry("z", "Z", None, D(90)),
    ]
    table = Ranking().rank(rows)
    assert [(u.unit, u.group, u.rank) for u in table.units] == [
        ("x", "g1", 1),
        ("z", "all", 1),
        ("y", "all", 2),
    ]
    assert [(d.code, d.line) for d in table.diagnostics] == [("PR609", 9), ("PR609", 0)]
