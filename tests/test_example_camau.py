"""The Cà Mau 1880/QĐ-UBND excerpt (rulebooks.md §5), scored by hand.

Unit A: 1 + 1 + 1 + 1 (exactly 90 %: "từ 70% - 90%" → 1) + 1 + 1 = 6 of 7 → 85.71 %.
Unit B: 0.5 + 0 + 1 + 2 (95.5 %) + 0 + 1 = 4.5 of 7 → 64.29 %.
Unit C (appraised): 0.5 (round 1 "không kịp thời") + 1 + 1 + 1 (88 % restated) + 1 + 1 (round 2)
= 5.5 of 7 → 78.57 %; self-assessed it would be 1 + 1 + 1 + 2 + 1 + 1 = 7 → 100 %.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import parindex_rules as pr
from parindex_rules.cli import main

from .conftest import EXAMPLES

RULESET = EXAMPLES / "camau-2013" / "ruleset.yaml"
FACTS = EXAMPLES / "camau-2013" / "facts.yaml"


@pytest.fixture(scope="module")
def cohort() -> pr.CohortResult:
    return pr.load(RULESET).evaluate_cohort(pr.load_facts(FACTS))


def test_scores_worked_out_by_hand(cohort: pr.CohortResult) -> None:
    expected = {
        "don-vi-a": (Decimal("6"), "85.71"),
        "don-vi-b": (Decimal("4.5"), "64.29"),
        "don-vi-c": (Decimal("5.5"), "78.57"),
    }
    assert cohort.ok
    for unit, (score, index) in expected.items():
        result = cohort.unit(unit)
        assert result.score == score
        assert result.max == Decimal(7)
        assert result.rounded(result.index) == index


def test_exactly_90_percent_is_in_the_one_point_band(cohort: pr.CohortResult) -> None:
    node = cohort.unit("don-vi-a").node("1.1.4")
    assert node.score == Decimal(1)
    explanation = node.explain()
    assert explanation.matched == "Thực hiện từ 70% - 90% kế hoạch"
    assert explanation.inputs[0].name == "ty_le_thuc_hien"
    assert explanation.inputs[0].value == "90"
    assert "facts.yaml:13" in explanation.inputs[0].source


def test_last_appraisal_round_is_final(cohort: pr.CohortResult) -> None:
    result = cohort.unit("don-vi-c")
    assert result.node("1.1.1").score == Decimal("0.5")
    assert result.node("1.2.2").score == Decimal(1)
    assert "appraisal round 2" in result.node("1.2.2").explain().inputs[0].source


def test_self_stage_uses_self_scores() -> None:
    ruleset = pr.load(RULESET)
    facts = pr.load_facts(FACTS)
    result = ruleset.evaluate(facts.unit("don-vi-c"), stage="self", facts=facts)
    assert result.score == Decimal(7)
    assert result.node("1.1.4").score == Decimal(2)


def test_fully_sourced_so_strict_validation_passes() -> None:
    ruleset = pr.load(RULESET)
    assert not ruleset.provisional
    assert ruleset.provisional_diagnostics(strict=True) == []
    assert main(["validate", "--strict", str(RULESET)]) == 0


def test_cli_score_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(RULESET), "--facts", str(FACTS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"] == "camau-2013/so-trich"
    assert data["provisional"] is False
    units = {u["unit"]: u for u in data["units"]}
    assert units["don-vi-b"]["score"] == "4.50"
    assert units["don-vi-b"]["index"] == "64.29"
    assert units["don-vi-b"]["max"] == "7"
    assert units["don-vi-b"]["nodes"]["1.1.4"] == {
        "name": "Mức độ thực hiện kế hoạch CCHC",
        "score": "2.00",
        "max": "2",
        "index": "100.00",
        "origin": "assessed",
        "provisional": False,
        "status": "scored",
    }


def test_cli_explain_names_the_band(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["explain", str(RULESET), "--facts", str(FACTS), "--unit", "don-vi-a", "--item", "1.1.4"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "band [70%, 90%] (từ 70% đến 90%) → 1" in out
    assert "ruleset.yaml:72" in out
