"""`parindex why`: points lost, and the items that separate two units, summing exactly.

Cà Mau (tests/test_example_camau.py): A = 1 + 1 + 1 + 1 + 1 + 1 = 6 (loses 1 on 1.1.4, 90 % →
1 of 2); B = 0.5 + 0 + 1 + 2 + 0 + 1 = 4.5. A − B = 1.5 = (1 − 0.5) + (1 − 0) + 0 + (1 − 2)
+ (1 − 0) + 0; in index points each point is 100/7.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.numbers import sub, total
from parindex_rules.report.why import CAPS, compare_units, losses

from ..helpers import ruleset as make_ruleset
from ..helpers import unit
from .helpers import FACTS, RULESET

CAMAU = pr.load(RULESET)
COHORT = CAMAU.evaluate_cohort(pr.load_facts(FACTS))


def test_losses_largest_first_and_they_add_up() -> None:
    b = COHORT.unit("don-vi-b")
    found = [(x.node, x.lost, x.index_points) for x in losses(CAMAU, b)]
    assert found == [
        ("1.1.2", Decimal(1), Fraction(100, 7)),
        ("1.2.1", Decimal(1), Fraction(100, 7)),
        ("1.1.1", Decimal("0.5"), Fraction(50, 7)),
    ]
    assert total([x.lost for x in losses(CAMAU, b)]) == b.max - b.score


def test_versus_contributions_sum_exactly_to_the_difference() -> None:
    a, b = COHORT.unit("don-vi-a"), COHORT.unit("don-vi-b")
    comparison = compare_units(CAMAU, a, b)
    found = [(c.node, c.points) for c in comparison.contributions]
    assert found == [
        ("1.1.2", Decimal(1)),
        ("1.1.4", Decimal(-1)),
        ("1.2.1", Decimal(1)),
        ("1.1.1", Decimal("0.5")),
    ]
    assert total([c.points for c in comparison.contributions]) == Decimal("1.5")
    assert total([c.index_points for c in comparison.contributions]) == sub(a.index, b.index)


CHOICES = {
    "1.1.1": ["kip_thoi", "khong_kip_thoi", "khong_ban_hanh"],
    "1.1.2": ["day_du", "khong_day_du"],
    "1.1.3": ["dat", "khong_dat"],
    "1.2.1": ["du_dung_han", "khong_du"],
    "1.2.2": ["dat", "khong_dat"],
}


def camau_unit(draw: st.DrawFn, name: str) -> dict[str, object]:
    items: dict[str, object] = {k: {"self": draw(st.sampled_from(v))} for k, v in CHOICES.items()}
    percent = draw(st.decimals(min_value=0, max_value=100, places=2))
    items["1.1.4"] = {"self": str(percent)}
    return unit(items, unit=name, name=name)


@st.composite
def two_units(draw: st.DrawFn) -> tuple[dict[str, object], dict[str, object]]:
    return camau_unit(draw, "a"), camau_unit(draw, "b")


@given(two_units())
def test_property_contributions_always_sum_to_the_difference(
    pair: tuple[dict[str, object], dict[str, object]],
) -> None:
    a, b = (CAMAU.evaluate(u) for u in pair)
    comparison = compare_units(CAMAU, a, b)
    assert total([c.points for c in comparison.contributions]) == sub(a.score, b.score)
    assert total([c.index_points for c in comparison.contributions]) == sub(a.index, b.index)
    assert total([x.lost for x in losses(CAMAU, a)]) == sub(a.max, a.score)
    sizes = [abs(Fraction(c.points)) for c in comparison.contributions]
    assert sizes == sorted(sizes, reverse=True)


def test_caps_and_not_applicable_keep_the_sums_exact() -> None:
    """Regular 10 + bonus 2 (cap at 10) vs regular 6 + penalty 1: totals 10 and 5.
    Leaves: 10 − 6 = 4, bonus 2 − 0 = 2, penalty 0 − (−1) = 1: 7; the cap took 2 off A: −2.
    Index: A 10/10 = 100 %; B 5/10 = 50 %; difference 50 = 40 + 20 + 10 − 20."""
    leaf = {"rule": "…", "scoring": {"method": "points"}}
    ruleset = make_ruleset(
        [
            {"id": "1.1", "name": "Thường", "max": "10", **leaf},
            {"id": "1.2", "name": "Thưởng", "max": "2", "origin": "bonus", **leaf},
            {"id": "1.3", "name": "Trừ", "max": "1", "origin": "penalty", **leaf},
        ]
    )
    a = ruleset.evaluate(unit({"1.1": {"self": 10}, "1.2": {"self": 2}, "1.3": {"self": 0}}))
    b = ruleset.evaluate(unit({"1.1": {"self": 6}, "1.2": {"self": 0}, "1.3": {"self": 1}}))
    comparison = compare_units(ruleset, a, b)
    found = {c.node: (c.points, c.index_points) for c in comparison.contributions}
    assert found == {
        "1.1": (Decimal(4), Decimal(40)),
        "1.2": (Decimal(2), Decimal(20)),
        "1.3": (Decimal(1), Decimal(10)),
        CAPS: (Decimal(-2), Decimal(-20)),
    }
    assert total([p for p, _ in found.values()]) == a.score - b.score == Decimal(5)
    assert [(x.node, x.lost) for x in losses(ruleset, b)] == [("1.1", 4), ("1.3", 1)]


def test_cli_text(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "why",
        str(RULESET),
        "--facts",
        str(FACTS),
        "--unit",
        "don-vi-a",
        "--versus",
        "don-vi-b",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("don-vi-a — Đơn vị ví dụ A: 6.00 of 7 points, index 85.71%")
    assert "Points lost against the maximum (1.00 in all), largest first:" in out
    assert "Difference: +1.50 points, +21.43 index points." in out
    assert out.rstrip().endswith("sum: 1.5 points = 1.5")


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["why", str(RULESET), "--facts", str(FACTS), "--unit", "don-vi-c", "--versus",
            "don-vi-a", "--format", "json"]  # fmt: skip
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ruleset"], data["provisional"], data["unit"]["index"]) == (
        "camau-2013/so-trich",
        False,
        "78.57",
    )
    assert [x["node"] for x in data["lost"]] == ["1.1.4", "1.1.1"]
    versus = data["versus"]
    assert versus["score_difference_exact"] == "-0.5"
    assert [(i["node"], i["points_exact"]) for i in versus["items"]] == [("1.1.1", "-0.5")]
    assert versus["index_difference_exact"] == "-50/7"


def test_unknown_unit_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["why", str(RULESET), "--facts", str(FACTS), "--unit", "don-vi-x"]) == 1
    assert "PR515 no unit 'don-vi-x'" in capsys.readouterr().err


def test_a_unit_with_errors_is_not_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FACTS.read_text(encoding="utf-8").replace("{self: 90}", "{self: sai}"))
    assert main(["why", str(RULESET), "--facts", str(bad), "--unit", "don-vi-a"]) == 1
    assert "PR504" in capsys.readouterr().err


def test_an_excluded_unit_has_nothing_to_explain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        FACTS.read_text(encoding="utf-8").replace(
            "name: Đơn vị ví dụ B\n",
            "name: Đơn vị ví dụ B\n    evaluated: false\n    reason: Gian lận\n",
        ),
        encoding="utf-8",
    )
    assert main(["why", str(RULESET), "--facts", str(facts), "--unit", "don-vi-b"]) == 1
    assert "PR828 unit don-vi-b has no result to explain (Gian lận)" in capsys.readouterr().err


def test_the_unit_ranked_just_above() -> None:
    """Ranked by index: A 1 (85.71), C 2 (78.57), B 3 (64.29); C is 14.29 points above B."""
    from parindex_rules.report.notes import rank_cohort
    from parindex_rules.report.why import unit_above, why_text

    cohort = CAMAU.evaluate_cohort(pr.load_facts(FACTS))
    table = rank_cohort(CAMAU, cohort)
    assert table.ranks() == {"don-vi-a": 1, "don-vi-c": 2, "don-vi-b": 3}
    b = cohort.unit("don-vi-b")
    above = unit_above(table, cohort.units, b)
    assert above is not None and above.unit == "don-vi-c"
    assert unit_above(table, cohort.units, cohort.unit("don-vi-a")) is None
    text = why_text(CAMAU, b, None, above)
    assert text.startswith("don-vi-b — Đơn vị ví dụ B: 4.50 of 7 points, index 64.29%, rank 3")
    assert "Ranked just above: don-vi-c — Đơn vị ví dụ C, rank 2, index 78.57% (14.29 index" in text


def test_cli_json_names_the_unit_above(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["why", str(RULESET), "--facts", str(FACTS), "--unit", "don-vi-b", "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["unit"]["rank"], data["above"]["unit"], data["above"]["rank"]) == (
        3,
        "don-vi-c",
        2,
    )
