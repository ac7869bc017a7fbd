"""The second real-rule example (rulebooks.md §5, end): a ratio item and a count-step item.

Rules: 1.1 "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa", maximum 20.
       1.2 "4 meetings a year: 20; 3: 15; 2: 10; 1: 5; otherwise 0", maximum 20.
Declared readings (provisional): b = 0 scores 0; more than 4 meetings score 20.

Worked by hand (examples/chuyendoiso-huyen/facts.yaml), maximum 40:
  A: 3/4 × 20 = 15; 4 meetings → 20.                    35 / 40 → 87.50 %
  B: 2/3 × 20 = 40/3 = 13.33…; 3 meetings → 15.         85/3 / 40 × 100 = 70.833… → 70.83 %
  C: b = 0 → 0 (reading); 0 meetings → 0 ("otherwise"). 0 → 0.00 %
  D: 5/5 × 20 = 20; 6 meetings → 20 (reading).          40 → 100.00 %
  E: the council restates a = 3 of 4 → 15, and 1 meeting → 5: 20 → 50.00 %;
     self-assessed it was 4/4 → 20 and 2 meetings → 10: 30 → 75.00 %.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import parindex_rules as pr

from ..conftest import EXAMPLES
from ._support import cli_text

RULESET = EXAMPLES / "chuyendoiso-huyen" / "ruleset.yaml"
FACTS = EXAMPLES / "chuyendoiso-huyen" / "facts.yaml"
READING = "provisional reading: "


@pytest.fixture(scope="module")
def rs() -> pr.Ruleset:
    return pr.load(RULESET)


@pytest.fixture(scope="module")
def cohort(rs: pr.Ruleset) -> pr.CohortResult:
    return rs.evaluate_cohort(pr.load_facts(FACTS))


def one(rs: pr.Ruleset, ratio: Any, meetings: Any) -> pr.UnitResult:
    return rs.evaluate(
        {"unit": "x", "name": "X", "items": {"1.1": {"self": ratio}, "1.2": {"self": meetings}}}
    )


def test_hand_worked_units(cohort: pr.CohortResult) -> None:
    assert cohort.ok
    expected = {
        "don-vi-a": (Decimal(15), Decimal(20), "35.00", "87.50"),
        "don-vi-b": (Fraction(40, 3), Decimal(15), "28.33", "70.83"),
        "don-vi-c": (Decimal(0), Decimal(0), "0.00", "0.00"),
        "don-vi-d": (Decimal(20), Decimal(20), "40.00", "100.00"),
        "don-vi-e": (Decimal(15), Decimal(5), "20.00", "50.00"),
    }
    for unit, (ratio, steps, score, index) in expected.items():
        result = cohort.unit(unit)
        assert result.node("1.1").score == ratio, unit
        assert result.node("1.2").score == steps, unit
        assert result.max == Decimal(40)
        assert (result.rounded(result.score), result.rounded(result.index)) == (score, index)


def test_ratio_stays_exact(cohort: pr.CohortResult) -> None:
    result = cohort.unit("don-vi-b")
    assert result.score == Fraction(85, 3)
    assert result.index == Fraction(85, 3) / 40 * 100
    explanation = result.node("1.1").explain()
    assert explanation.formula == "ratio(a, b) * max"
    assert explanation.rule == "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa"
    inputs = {r.name: r for r in explanation.inputs}
    assert (inputs["a"].value, inputs["b"].value, inputs["max"].value) == ("2", "3", "20")
    assert "facts.yaml:" in inputs["a"].source


def test_b_zero_uses_the_declared_reading(cohort: pr.CohortResult, rs: pr.Ruleset) -> None:
    node = cohort.unit("don-vi-c").node("1.1")
    explanation = node.explain()
    assert node.score == 0 and node.status == "scored"
    assert "denominator is 0 and the rule gives 0" in explanation.zero_reason
    (note,) = explanation.notes
    assert note.startswith(READING) and "b = 0" in note
    # The reading holds whatever a says when b = 0 (inconsistent facts still give 0, explained).
    assert one(rs, {"a": 2, "b": 0}, 1).node("1.1").score == 0
    # The reading is declared in the ruleset, marked provisional on the rule itself.
    zero = rs.node("1.1").method.config.on_zero_denominator
    assert zero.score == "zero" and zero.provisional


def test_count_steps_and_their_edges(rs: pr.Ruleset) -> None:
    points = {n: one(rs, {"a": 1, "b": 1}, n).node("1.2").score for n in range(8)}
    assert points == {0: 0, 1: 5, 2: 10, 3: 15, 4: 20, 5: 20, 6: 20, 7: 20}
    exactly_four = one(rs, {"a": 1, "b": 1}, 4).node("1.2").explain()
    assert exactly_four.notes == []  # 4 meetings is the rule itself
    more = one(rs, {"a": 1, "b": 1}, 12).node("1.2").explain()
    (note,) = more.notes
    assert note.startswith(READING) and "hơn 4 cuộc" in note
    assert one(rs, {"a": 1, "b": 1}, 0).node("1.2").explain().matched == "otherwise 0"


def test_more_than_4_is_a_declared_provisional_reading(cohort: pr.CohortResult) -> None:
    node = cohort.unit("don-vi-d").node("1.2")
    assert node.score == 20
    assert any(n.startswith(READING) for n in node.explain().notes)


def test_bad_facts_are_errors_never_clamped(rs: pr.Ruleset) -> None:
    too_many = one(rs, {"a": 5, "b": 4}, 4)  # a > b: 25 points of 20
    assert [d.code for d in too_many.diagnostics] == ["PR506"]
    assert too_many.node("1.1").score is None and too_many.score is None
    half = one(rs, {"a": 1, "b": 2}, "2,5")  # a count is whole
    assert "PR504" in {d.code for d in half.diagnostics}
    assert half.node("1.2").score is None and not half.ok
    negative = one(rs, {"a": 1, "b": 2}, -1)
    assert "PR505" in {d.code for d in negative.diagnostics}
    assert negative.node("1.2").score is None and not negative.ok


def test_stages(rs: pr.Ruleset) -> None:
    facts = pr.load_facts(FACTS)
    self_stage = rs.evaluate(facts.unit("don-vi-e"), stage="self", facts=facts)
    assert (self_stage.node("1.1").score, self_stage.node("1.2").score) == (20, 10)
    assert self_stage.rounded(self_stage.index) == "75.00"
    final = rs.evaluate(facts.unit("don-vi-e"), facts=facts)
    assert "appraisal round 1" in final.node("1.1").explain().inputs[0].source


def test_the_example_is_provisional_because_its_decision_is_unnamed(rs: pr.Ruleset) -> None:
    assert rs.provisional
    assert all(n.provenance.is_provisional for n in rs.nodes.values())
    assert "không nêu" in rs.document.decision.note
    assert rs.node("1.2").rule == "4 meetings a year: 20; 3: 15; 2: 10; 1: 5; otherwise 0"


def test_cli_explain_shows_the_reading(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli_text(
        capsys,
        "explain",
        str(RULESET),
        "--facts",
        str(FACTS),
        "--unit",
        "don-vi-d",
        "--item",
        "1.2",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("PROVISIONAL")
    assert any("band (4, +∞)" in line and "→ 20" in line for line in lines)
    assert any("note: provisional reading:" in line for line in lines)
