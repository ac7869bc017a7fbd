"""Survey and council-only items refuse self-scores (PR508), in every ruleset that has them."""

from __future__ import annotations

from decimal import Decimal

import pytest

import parindex_rules as pr

from ._support import PROVINCE_IDS, ruleset, uniform_points, unit_facts

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def _not_self_assessed(rs: pr.Ruleset) -> list[str]:
    return [leaf.id for leaf in rs.compiled.leaves() if not leaf.origin.self_assessable]


@pytest.mark.parametrize("ruleset_id", [i for i in PROVINCE_IDS if _not_self_assessed(ruleset(i))])
def test_self_scores_on_survey_and_council_items_are_refused(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    unit = unit_facts(rs, uniform_points(rs, Decimal(1)))
    targets = _not_self_assessed(rs)
    for item_id in targets:
        unit["items"][item_id]["self"] = str(rs.node(item_id).max)
    cohort = rs.evaluate_cohort({"ruleset": rs.id, "year": rs.document.year, "units": [unit]})
    refused = [d for d in cohort.all_diagnostics() if d.code == "PR508"]
    assert len(refused) == len(targets)
    assert all(d.is_error for d in refused)
    for item_id, diagnostic in zip(targets, refused, strict=True):
        assert f"item {item_id} " in diagnostic.message
        assert "is not self-assessed" in diagnostic.message
    assert not cohort.ok


def test_which_items_refuse_self_scores() -> None:
    """Vĩnh Long: 8.1 and the named fields' survey items; Hà Nội: I.8 and the survey criteria;
    Quảng Trị: none (its survey share is not available, so no survey item is modelled)."""
    so = _not_self_assessed(ruleset("vinhlong-2023/so"))
    assert {"8.1.1", "8.1.2", "8.1.3"} <= set(so)
    xa = _not_self_assessed(ruleset("vinhlong-2023/xa"))
    assert {i.split(".")[0] for i in xa} == {"5", "6", "7", "8"}
    hanoi = _not_self_assessed(ruleset("hanoi-2023/so"))
    assert "I.8" in hanoi
    assert {i for i in hanoi if i != "I.8"} == {f"{r}.2" for r in ROMAN[1:]}
    assert _not_self_assessed(ruleset("quangtri-2019/huyen")) == []


def test_hanoi_i8_takes_the_councils_score_with_explanation_and_evidence() -> None:
    """No self score: the unit gives an explanation and evidence; the council's round counts."""
    rs = ruleset("hanoi-2023/so")
    unit = unit_facts(rs, uniform_points(rs, Decimal(1)))
    unit["items"]["I.8"] = {
        "appraisal": ["3.5"],
        "explanation": "Giải trình kết quả cải thiện các chỉ số",
        "evidence": [{"title": "Báo cáo kết quả"}],
    }
    result = rs.evaluate(unit)
    assert result.ok
    node = result.node("I.8")
    assert node.score == Decimal("3.5")
    assert "appraisal round 1" in node.explain().inputs[0].source
    # At the self stage the item is not part of what the unit scores.
    self_stage = rs.evaluate(unit, stage="self")
    assert self_stage.node("I.8").status == "not_in_stage"
    assert self_stage.node("I.8").score is None
