"""The stated rules at work on the example cohorts: survey fallback, who is not ranked, xã
grouped by district, Hà Nội's exclusion and evidence rule, Quảng Trị's evidence rule and the
points taken off the maximum item by item."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction

import pytest

import parindex_rules as pr
from parindex_rules.evaluate.checks import check_unit
from parindex_rules.model.facts import UnitFacts

from ._support import (
    cli_json,
    cli_text,
    cohort_path,
    facts,
    ruleset,
    uniform_points,
    unit_facts,
)

NOT_RANKED = "không xếp hạng chung với các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh"


def cohort(ruleset_id: str) -> pr.CohortResult:
    return ruleset(ruleset_id).evaluate_cohort(facts(cohort_path(ruleset_id)))


# -- Vĩnh Long


def test_ministry_survey_falls_back_to_the_previous_year() -> None:
    """The example cohort has only 2022 Ministry results: the 2022 value is used, and said."""
    result = cohort("vinhlong-2023/so").unit("so-tu-phap")
    node = result.node("2.4.2")
    assert node.explain().method == "survey"
    value = facts(cohort_path("vinhlong-2023/so")).unit("so-tu-phap").items["2.4.2"]
    (percent,) = value.survey.values()
    assert node.score == Fraction(Decimal(percent)) / 100 * Fraction(Decimal("4.25"))
    assert any("the 2022 result is used" in n for n in node.explain().notes)


def test_sipas_has_no_previous_year_fallback() -> None:
    """The fallback is stated for the Ministry's survey only; a missing SIPAS year is missing."""
    rs = ruleset("vinhlong-2023/so")
    unit = unit_facts(rs, uniform_points(rs, Decimal(1)))
    unit["items"]["8.1.1"] = {"survey": {"2022": "90"}}
    unit["items"]["2.4.2"] = {"survey": {"2022": "90"}}  # Ministry item: 2022 is fine
    result = rs.evaluate(unit)
    assert [d.code for d in result.diagnostics] == ["PR518"]
    assert "8.1.1" in result.diagnostics[0].message
    assert result.node("8.1.1").status == "missing"
    assert result.node("2.4.2").score == Decimal("0.9") * Decimal("4.25")


def test_ban_dan_toc_and_thanh_tra_are_evaluated_but_not_ranked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = cohort("vinhlong-2023/so")
    assert result.ok
    names = {u.name: u for u in result.units}
    for name in ("Ban Dân tộc tỉnh", "Thanh tra tỉnh"):
        unit = names[name]
        assert unit.evaluated and unit.index is not None
        assert unit.ranked is False and unit.rank is None
        assert NOT_RANKED in unit.reason
    ranked = [u for u in result.units if u.ranked]
    assert len(ranked) == 17
    assert names["Ban Quản lý các khu công nghiệp tỉnh"].ranked is True
    data = cli_json(
        capsys,
        "score",
        "vinhlong-2023/so",
        "--facts",
        str(cohort_path("vinhlong-2023/so")),
        "--format",
        "json",
    )
    units = {u["name"]: u for u in data["units"]}
    assert units["Thanh tra tỉnh"]["ranked"] is False
    assert NOT_RANKED in units["Thanh tra tỉnh"]["reason"]
    assert units["Thanh tra tỉnh"]["index"] is not None
    code, out, _ = cli_text(
        capsys,
        "score",
        "vinhlong-2023/so",
        "--facts",
        str(cohort_path("vinhlong-2023/so")),
        "--summary",
    )
    assert code == 0
    row = next(line for line in out.splitlines() if "Ban Dân tộc tỉnh" in line)
    assert "not ranked: Cơ quan đặc thù" in row


@pytest.mark.parametrize("ruleset_id", ["vinhlong-2023/xa", "quangtri-2019/xa"])
def test_xa_are_grouped_by_district(ruleset_id: str) -> None:
    cohort_facts = facts(cohort_path(ruleset_id))
    result = ruleset(ruleset_id).evaluate_cohort(cohort_facts)
    assert ruleset(ruleset_id).document.ranking.within == "group"
    districts = {u.group for u in result.units}
    assert len(districts) >= 2 and None not in districts
    for fact, unit in zip(cohort_facts.units, result.units, strict=True):
        assert unit.group == fact.group
        assert f"({fact.group})" in fact.name  # "Xã ví dụ 1 (Long Hồ)": plainly an example
        assert fact.name.startswith("Xã ví dụ")


def test_vinhlong_keeps_the_fixed_denominator_when_an_item_does_not_apply() -> None:
    rs = ruleset("vinhlong-2023/so")
    unit = unit_facts(rs, uniform_points(rs, Decimal(1)))
    unit["items"]["1.1.1"] = {"applicable": False, "reason": "không phát sinh"}
    result = rs.evaluate(unit)
    assert result.ok
    assert result.max == Decimal(100)
    assert result.score == Decimal(100) - rs.node("1.1.1").max
    assert result.deductions == []


def test_exclusion_is_flagged_where_the_decision_states_none() -> None:
    """Vĩnh Long states no exclusion: `parindex check` flags an excluded unit (PR610); Hà Nội
    states it, so the same facts pass."""
    for ruleset_id, expected in (("vinhlong-2023/huyen", ["PR610"]), ("hanoi-2023/so", [])):
        rs = ruleset(ruleset_id)
        unit = unit_facts(rs, uniform_points(rs, Decimal(1)))
        unit.update(
            evaluated=False, reason="thiếu trung thực", submitted=f"{rs.document.year}-11-01"
        )
        checked = check_unit(rs.compiled, UnitFacts.model_validate(unit))
        assert [d.code for d in checked.diagnostics] == expected, ruleset_id


@pytest.mark.parametrize(
    ("ruleset_id", "on_time", "late", "error"),
    [
        # "chậm nhất vào ngày 30/11" / "15/12" / "20/12": the day itself is allowed; no lock.
        ("vinhlong-2023/xa", "2023-11-30", "2023-12-01", False),
        ("vinhlong-2023/so", "2023-12-15", "2023-12-16", False),
        ("vinhlong-2023/huyen", "2023-12-20", "2023-12-21", False),
        # "chậm nhất ngày 30/11/2023. Sau ngày 30/11/2023, Hệ thống phần mềm sẽ tự động đóng."
        ("hanoi-2023/so", "2023-11-30", "2023-12-01", True),
        # "chậm nhất trước ngày 30/11": our declared (provisional) reading excludes 30/11, so
        # 30/11 is late only by that reading: a warning, though the software locks ...
        ("quangtri-2019/xa", "2019-11-29", "2019-11-30", False),
        # ... and after 30/11, late by the stated date itself: an error (the lock).
        ("quangtri-2019/xa", "2019-11-29", "2019-12-01", True),
    ],
)
def test_submission_deadlines_as_encoded(
    ruleset_id: str, on_time: str, late: str, error: bool
) -> None:
    rs = ruleset(ruleset_id)
    unit = unit_facts(rs, uniform_points(rs, Decimal(1)))
    codes = {}
    for date in (on_time, late):
        checked = check_unit(rs.compiled, UnitFacts.model_validate({**unit, "submitted": date}))
        codes[date] = [(d.code, d.is_error) for d in checked.diagnostics]
    assert codes[on_time] == []
    (deadline,) = [d for d in rs.document.workflow.deadlines if d.id == "submission"]
    # Late is an error where the software locks (Hà Nội, Quảng Trị), a warning elsewhere —
    # and a warning when only a provisional reading of the day makes it late.
    assert deadline.locks is ("vinhlong" not in ruleset_id)
    assert codes[late] == [("PR605", error)]


# -- Hà Nội


def test_hanoi_excluded_unit_is_withheld_not_ranked_and_the_reason_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(cohort_path("hanoi-2023/so"))
    result = cohort("hanoi-2023/so")
    assert result.ok
    excluded = result.unit("don-vi-vi-du-loai-tru")
    assert excluded.evaluated is False and excluded.ranked is False
    assert excluded.score is None and excluded.index is None and excluded.nodes == {}
    assert "thiếu trung thực" in excluded.reason
    assert all(u.evaluated for u in result.units if u is not excluded)
    data = cli_json(capsys, "score", "hanoi-2023/so", "--facts", path, "--format", "json")
    unit = next(u for u in data["units"] if u["unit"] == "don-vi-vi-du-loai-tru")
    assert (unit["evaluated"], unit["ranked"], unit["score"], unit["index"], unit["rank"]) == (
        False,
        False,
        None,
        None,
        None,
    )
    assert unit["nodes"] == {} and "thiếu trung thực" in unit["reason"]
    _, out, _ = cli_text(capsys, "score", "hanoi-2023/so", "--facts", path, "--summary")
    row = next(line for line in out.splitlines() if "don-vi-vi-du-loai-tru" in line)
    assert "withheld: Giả định để minh họa: phát hiện thiếu trung thực" in row
    code, out, _ = cli_text(
        capsys, "explain", "hanoi-2023/so", "--facts", path, "--unit", "don-vi-vi-du-loai-tru"
    )
    assert code == 0
    assert "result withheld (Giả định để minh họa" in out


def test_hanoi_missing_evidence_needs_an_explanation() -> None:
    rs = ruleset("hanoi-2023/quan-huyen")
    unit = unit_facts(rs, uniform_points(rs, Decimal(1)))
    unit["items"]["I.1"] = {"self": "4", "appraisal": ["4"]}
    explained = copy.deepcopy(unit)
    explained["items"]["I.1"]["explanation"] = "Văn bản đang trình ký"
    flagged = rs.evaluate(unit)
    assert [(d.code, d.is_error) for d in flagged.diagnostics] == [("PR602", False)]
    assert flagged.node("I.1").score == Decimal(4)  # flagged for the council, not zeroed
    assert any("flagged" in n for n in flagged.node("I.1").explain().notes)
    assert rs.evaluate(explained).diagnostics == []


# -- Quảng Trị


@pytest.mark.parametrize("ruleset_id", ["quangtri-2019/so", "quangtri-2019/huyen"])
def test_quangtri_no_evidence_scores_nothing(ruleset_id: str) -> None:
    result = cohort(ruleset_id)
    assert result.ok
    first = result.units[0]
    node = first.node("2.3")
    assert node.score == 0
    assert "no evidence document" in node.explain().zero_reason
    warnings = [d for d in first.diagnostics if d.code == "PR601"]
    assert len(warnings) == 1 and "2.3" in warnings[0].message
    assert not warnings[0].is_error


@pytest.mark.parametrize(
    "ruleset_id", ["quangtri-2019/so", "quangtri-2019/huyen", "quangtri-2019/xa"]
)
def test_quangtri_points_taken_off_the_maximum_item_by_item(
    ruleset_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unit 2's criterion 5.4 (2.25 points) does not apply: 100 − 2.25 = 97.75 is its maximum,
    and the deduction names the criterion."""
    result = cohort(ruleset_id).units[1]
    assert result.max == Decimal("97.75")
    (deduction,) = result.deductions
    assert (deduction.item, deduction.points) == ("5.4", Decimal("2.25"))
    assert "Không phát sinh" in deduction.reason
    assert result.index == Fraction(result.score) / Fraction(Decimal("97.75")) * 100
    assert result.node("5").max == Decimal("13.5") - Decimal("2.25")
    data = cli_json(
        capsys, "score", ruleset_id, "--facts", str(cohort_path(ruleset_id)), "--format", "json"
    )
    unit = data["units"][1]
    assert unit["max"] == "97.75"
    assert unit["deductions"] == [
        {
            "item": "5.4",
            "name": deduction.name,
            "points": "2.25",
            "reason": "Không phát sinh trong năm (giả định)",
        }
    ]
