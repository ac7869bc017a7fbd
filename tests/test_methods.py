"""Every built-in scoring method, with values worked out by hand from the rule text."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

import parindex_rules as pr

from .helpers import codes, ruleset, unit


def leaf(item_id: str, maximum: str, scoring: dict, **extra: object) -> dict:
    return {
        "id": item_id,
        "name": f"Tiêu chí {item_id}",
        "max": maximum,
        "rule": "…",
        "scoring": scoring,
        **extra,
    }


def compile_codes(criteria: list[dict], **kw: object) -> list[str]:
    with pytest.raises(pr.RulesetError) as info:
        ruleset(criteria, **kw)
    return [d.code for d in info.value.errors]


# -- points -----------------------------------------------------------------------------------


class TestPoints:
    rs = ruleset(
        [
            leaf("1.1", "1", {"method": "points", "allowed": [0, "0,5", 1]}),
            leaf("1.2", "2", {"method": "points", "step": "0.25"}),
        ]
    )

    def test_given_scores(self) -> None:
        result = self.rs.evaluate(unit({"1.1": {"self": "0,5"}, "1.2": {"self": "1.75"}}))
        assert result.ok
        assert result.score == Decimal("2.25")
        assert result.node("1.1").explain().steps == ["score given: 0.5"]

    @pytest.mark.parametrize(
        ("item", "value", "code"),
        [
            ("1.1", "0.7", "PR507"),
            ("1.2", "1.3", "PR507"),
            ("1.1", "1.5", "PR506"),
            ("1.2", "-1", "PR520"),
            ("1.1", "nhiều", "PR504"),
        ],
    )
    def test_bad_scores_are_diagnostics_never_clamped(
        self, item: str, value: str, code: str
    ) -> None:
        items = {"1.1": {"self": 1}, "1.2": {"self": 1}, item: {"self": value}}
        result = self.rs.evaluate(unit(items))
        assert codes(result) == [code]
        assert result.node(item).score is None
        assert result.node(item).status == "error"
        assert result.score is None  # the total cannot be trusted

    def test_allowed_value_above_max_is_a_compile_error(self) -> None:
        assert compile_codes([leaf("1.1", "1", {"method": "points", "allowed": [0, 2]})]) == [
            "PR213"
        ]


# -- appraisal_only ---------------------------------------------------------------------------


class TestAppraisalOnly:
    rs = ruleset(
        [leaf("1.1", "2", {"method": "points"}), leaf("1.2", "3", {"method": "appraisal_only"})]
    )

    def test_council_score_counts_only_at_final_stage(self) -> None:
        facts = unit({"1.1": {"self": 2, "appraisal": [1]}, "1.2": {"appraisal": ["2.5"]}})
        final = self.rs.evaluate(facts)
        assert final.score == Decimal("3.5") and final.max == Decimal(5)
        appraised = self.rs.evaluate(facts, stage="appraised")
        assert appraised.score == Decimal(1) and appraised.max == Decimal(2)
        self_stage = self.rs.evaluate(facts, stage="self")
        assert self_stage.score == Decimal(2) and self_stage.max == Decimal(2)
        assert self_stage.node("1.2").status == "not_in_stage"

    def test_self_score_is_refused(self) -> None:
        result = self.rs.evaluate(unit({"1.1": {"self": 2}, "1.2": {"self": 3, "appraisal": [3]}}))
        assert codes(result) == ["PR508"]

    def test_origin_must_fit_the_method(self) -> None:
        assert compile_codes(
            [leaf("1.1", "1", {"method": "appraisal_only"}, origin="assessed")]
        ) == ["PR209"]


# -- choice -----------------------------------------------------------------------------------

KE_HOACH = {
    "method": "choice",
    "options": [
        {"key": "kip_thoi", "label": "Ban hành kịp thời", "points": 1},
        {"key": "khong_kip_thoi", "label": "Ban hành không kịp thời", "points": "0,5"},
        {"key": "khong_ban_hanh", "label": "Không ban hành", "points": 0},
    ],
}


class TestChoice:
    rs = ruleset([leaf("1.1", "1", KE_HOACH)])

    @pytest.mark.parametrize(
        ("given", "score", "label"),
        [
            ("kip_thoi", "1", "Ban hành kịp thời"),
            ("ban hành  KHÔNG kịp thời", "0.5", "Ban hành không kịp thời"),
            ("Không ban hành", "0", "Không ban hành"),
        ],
    )
    def test_outcome_by_key_or_label(self, given: str, score: str, label: str) -> None:
        result = self.rs.evaluate(unit({"1.1": {"self": given}}))
        node = result.node("1.1")
        assert node.score == Decimal(score)
        assert node.explain().matched == label

    def test_zero_is_explained(self) -> None:
        node = self.rs.evaluate(unit({"1.1": {"self": "khong_ban_hanh"}})).node("1.1")
        assert node.explain().zero_reason == "the outcome 'Không ban hành' gives 0 points"

    def test_unknown_outcome_suggests(self) -> None:
        result = self.rs.evaluate(unit({"1.1": {"self": "Ban hanh kip thoi"}}))
        assert codes(result) == ["PR511"]
        assert "did you mean 'Ban hành kịp thời'?" in (result.diagnostics[0].hint or "")

    def test_compile_checks(self) -> None:
        dup = {
            **KE_HOACH,
            "options": KE_HOACH["options"] + [{"label": "Ban hành kịp thời", "points": 1}],
        }
        assert compile_codes([leaf("1.1", "1", dup)]) == ["PR214"]
        too_much = {
            "method": "choice",
            "options": [{"label": "Có", "points": 2}, {"label": "Không", "points": 0}],
        }
        assert compile_codes([leaf("1.1", "1", too_much)]) == ["PR213"]


# -- boolean and checklist ----------------------------------------------------------------------


def test_boolean() -> None:
    rs = ruleset(
        [leaf("1.1", "2", {"method": "boolean", "true_label": "Đạt", "false_label": "Không đạt"})]
    )
    assert rs.evaluate(unit({"1.1": {"self": "đạt"}})).score == Decimal(2)
    assert rs.evaluate(unit({"1.1": {"self": False}})).score == Decimal(0)
    assert (
        rs.evaluate(unit({"1.1": {"self": "Không đạt"}})).node("1.1").explain().matched
        == "Không đạt"
    )
    assert codes(rs.evaluate(unit({"1.1": {"self": "có lẽ"}}))) == ["PR504"]


def test_checklist() -> None:
    """Conditions 0.5 + 0.25 + 0.25 = 1; meeting the first and last gives 0.75."""
    rs = ruleset(
        [
            leaf(
                "1.1",
                "1",
                {
                    "method": "checklist",
                    "conditions": [
                        {"key": "ke_hoach", "label": "Có kế hoạch", "points": "0.5"},
                        {"key": "bao_cao", "label": "Có báo cáo", "points": "0.25"},
                        {"key": "kiem_tra", "label": "Có kiểm tra", "points": "0.25"},
                    ],
                },
            )
        ]
    )
    result = rs.evaluate(unit({"1.1": {"self": ["ke_hoach", "Có kiểm tra"]}}))
    assert result.score == Decimal("0.75")
    assert result.node("1.1").explain().matched == "Có kế hoạch; Có kiểm tra"
    by_map = rs.evaluate(
        unit({"1.1": {"self": {"ke_hoach": True, "bao_cao": True, "kiem_tra": False}}})
    )
    assert by_map.score == Decimal("0.75")
    assert codes(rs.evaluate(unit({"1.1": {"self": ["kiem_tr"]}}))) == ["PR511"]
    bad_sum = {"method": "checklist", "conditions": [{"key": "a", "label": "A", "points": "0.5"}]}
    assert compile_codes([leaf("1.1", "1", bad_sum)]) == ["PR215"]


# -- bands ------------------------------------------------------------------------------------

CA_MAU_114 = {
    "method": "bands",
    "input": "ty_le",
    "direction": "increasing",
    "bands": [
        {"above": 90, "points": 2},
        {"from": 70, "to": 90, "points": 1},
        {"below": 70, "points": 0},
    ],
}
PERCENT_INPUT = {"ty_le": {"label": "Tỷ lệ", "kind": "percent"}}


class TestBands:
    rs = ruleset([leaf("1.1", "2", CA_MAU_114, inputs=PERCENT_INPUT)])

    @pytest.mark.parametrize(
        ("value", "points"),
        [("100", 2), ("90.01", 2), ("90", 1), ("70", 1), ("69.99", 0), ("0", 0)],
    )
    def test_bounds_as_worded(self, value: str, points: int) -> None:
        """'trên 90%' excludes 90; 'từ 70% - 90%' includes both 70 and 90."""
        assert self.rs.evaluate(unit({"1.1": {"self": value}})).score == Decimal(points)

    def test_explanation_words_the_band(self) -> None:
        explanation = self.rs.evaluate(unit({"1.1": {"self": 70}})).node("1.1").explain()
        assert explanation.steps[-1] == "band [70%, 90%] (từ 70% đến 90%) → 1"

    def test_value_outside_the_domain(self) -> None:
        assert codes(self.rs.evaluate(unit({"1.1": {"self": 120}}))) == ["PR505"]
        assert codes(self.rs.evaluate(unit({"1.1": {"self": -5}}))) == ["PR505"]

    def test_gap_and_overlap_are_located(self) -> None:
        gap = {
            **CA_MAU_114,
            "bands": [
                {"above": 90, "points": 2},
                {"from": 70, "below": 90, "points": 1},
                {"below": 70, "points": 0},
            ],
        }
        with pytest.raises(pr.RulesetError) as info:
            ruleset([leaf("1.1", "2", gap, inputs=PERCENT_INPUT)])
        (problem,) = info.value.errors
        assert problem.code == "PR210"
        assert "exactly 90%" in problem.message
        assert problem.path[-2:] == ("bands", 0)
        overlap = {
            **CA_MAU_114,
            "bands": [
                {"from": 90, "points": 2},
                {"from": 70, "to": 90, "points": 1},
                {"below": 70, "points": 0},
            ],
        }
        assert compile_codes([leaf("1.1", "2", overlap, inputs=PERCENT_INPUT)]) == ["PR211"]

    def test_direction(self) -> None:
        wrong = {
            **CA_MAU_114,
            "bands": [
                {"above": 90, "points": 0},
                {"from": 70, "to": 90, "points": 1},
                {"below": 70, "points": 2},
            ],
        }
        assert compile_codes([leaf("1.1", "2", wrong, inputs=PERCENT_INPUT)]) == ["PR212", "PR212"]

    def test_count_steps(self) -> None:
        """4 meetings: 20 · 3: 15 · 2: 10 · 1: 5 · otherwise 0 — whole numbers leave no gap."""
        steps = {
            "method": "bands",
            "input": "so_cuoc_hop",
            "bands": [
                {"from": 4, "points": 20},
                {"equals": 3, "points": 15},
                {"equals": 2, "points": 10},
                {"equals": 1, "points": 5},
                {"equals": 0, "points": 0},
            ],
        }
        rs = ruleset(
            [
                leaf(
                    "1.1",
                    "20",
                    steps,
                    inputs={"so_cuoc_hop": {"label": "Số cuộc họp", "kind": "count"}},
                )
            ]
        )
        assert [rs.evaluate(unit({"1.1": {"self": n}})).score for n in (0, 1, 2, 3, 4, 7)] == [
            Decimal(v) for v in (0, 5, 10, 15, 20, 20)
        ]
        assert codes(rs.evaluate(unit({"1.1": {"self": "2.5"}}))) == ["PR504"]

    def test_value_from_a_formula(self) -> None:
        """80 of 100 on time → 80 % → band 'từ 80% đến dưới 100%' → 0.5."""
        scoring = {
            "method": "bands",
            "value": "percent(dung_han, tong_so)",
            "unit": "%",
            "domain": {"from": 0, "to": 100},
            "bands": [
                {"equals": 100, "points": 1},
                {"from": 80, "below": 100, "points": "0.5"},
                {"below": 80, "points": 0},
            ],
        }
        inputs = {
            "dung_han": {"label": "Đúng hạn", "kind": "count"},
            "tong_so": {"label": "Tổng số", "kind": "count"},
        }
        rs = ruleset([leaf("1.1", "1", scoring, inputs=inputs)])
        result = rs.evaluate(unit({"1.1": {"self": {"dung_han": 80, "tong_so": 100}}}))
        assert result.score == Decimal("0.5")
        assert result.node("1.1").explain().matched == "từ 80% đến dưới 100%"


# -- formula ----------------------------------------------------------------------------------

RATIO = {
    "a": {"label": "Số cuộc họp do Bí thư hoặc Chủ tịch chủ trì", "kind": "count"},
    "b": {"label": "Tổng số cuộc họp", "kind": "count"},
}


class TestFormula:
    def rs(self, **scoring: object) -> pr.Ruleset:
        return ruleset(
            [
                leaf(
                    "1.1",
                    "20",
                    {"method": "formula", "formula": "ratio(a, b) * max", **scoring},
                    inputs=RATIO,
                )
            ]
        )

    def test_ratio_times_maximum(self) -> None:
        """a = 2, b = 3: 2/3 × 20 = 40/3 = 13.333…, exact until shown, then 13.33."""
        result = self.rs().evaluate(unit({"1.1": {"self": {"a": 2, "b": 3}}}))
        assert result.score == Fraction(40, 3)
        assert result.rounded(result.score) == "13.33"
        inputs = {r.name: r.value for r in result.node("1.1").explain().inputs}
        assert inputs == {"a": "2", "b": "3", "max": "20"}

    @pytest.mark.parametrize(
        ("policy", "score", "status"),
        [
            ("full", "20", "scored"),
            ("zero", "0", "scored"),
            ("not_applicable", "0", "not_applicable"),
        ],
    )
    def test_zero_denominator_as_declared(self, policy: str, score: str, status: str) -> None:
        rs = self.rs(on_zero_denominator={"score": policy, "reason": "Không phát sinh"})
        node = rs.evaluate(unit({"1.1": {"self": {"a": 0, "b": 0}}})).node("1.1")
        assert node.score == Decimal(score)
        assert node.status == status
        assert "Không phát sinh" in " ".join(node.explain().steps + node.explain().notes)

    def test_zero_denominator_undeclared_is_an_error(self) -> None:
        assert codes(self.rs().evaluate(unit({"1.1": {"self": {"a": 0, "b": 0}}}))) == ["PR516"]

    def test_result_above_max_is_an_error_unless_capped(self) -> None:
        facts = unit({"1.1": {"self": {"a": 5, "b": 4}}})
        assert codes(self.rs().evaluate(facts)) == ["PR506"]
        capped = self.rs(cap=True).evaluate(facts).node("1.1")
        assert capped.score == Decimal(20)
        assert capped.explain().caps == ["25 capped at the maximum 20"]

    def test_council_restates_one_figure(self) -> None:
        """Self a=3, b=4; round 1 restates a=2 only: 2/4 × 20 = 10 (b kept from self)."""
        result = self.rs().evaluate(
            unit({"1.1": {"self": {"a": 3, "b": 4}, "appraisal": [{"a": 2}]}})
        )
        assert result.score == Decimal(10)
        sources = {r.name: r.source for r in result.node("1.1").explain().inputs}
        assert sources["a"].startswith("appraisal round 1")
        assert sources["b"].startswith("self-assessment")

    def test_unknown_input_and_missing_input(self) -> None:
        assert codes(self.rs().evaluate(unit({"1.1": {"self": {"a": 1, "c": 2, "b": 2}}}))) == [
            "PR512"
        ]
        assert codes(self.rs().evaluate(unit({"1.1": {"self": {"a": 1}}}))) == ["PR509"]

    def test_inputs_need_a_method_that_reads_them(self) -> None:
        assert compile_codes([leaf("1.1", "1", {"method": "points"}, inputs=RATIO)]) == ["PR222"]


# -- survey -----------------------------------------------------------------------------------


class TestSurvey:
    def rs(self, **policies: object) -> pr.Ruleset:
        return ruleset(
            [
                leaf("1.1", "2", {"method": "points"}),
                leaf("1.2", "4", {"method": "survey", "scale": 100}),
            ],
            policies=policies,
        )

    def test_scaled_from_percent(self) -> None:
        """SIPAS 87.5 % of a 4-point item: 87.5 / 100 × 4 = 3.5."""
        result = self.rs().evaluate(unit({"1.1": {"self": 2}, "1.2": {"survey": {"2024": "87,5"}}}))
        assert result.node("1.2").score == Decimal("3.5")
        assert result.node("1.2").origin == "survey"

    def test_previous_year_fallback_is_recorded(self) -> None:
        rs = self.rs(survey_fallback={"value": "previous_year", "provisional": "test"})
        node = rs.evaluate(unit({"1.1": {"self": 2}, "1.2": {"survey": {"2023": 75}}})).node("1.2")
        assert node.score == Decimal(3)
        assert "the 2023 result is used" in node.explain().notes[0]

    def test_without_fallback_a_missing_year_is_an_error(self) -> None:
        result = self.rs().evaluate(unit({"1.1": {"self": 2}, "1.2": {"survey": {"2023": 75}}}))
        assert codes(result) == ["PR518"]

    def test_out_of_scale(self) -> None:
        assert codes(
            self.rs().evaluate(unit({"1.1": {"self": 2}, "1.2": {"survey": {"2024": 101}}}))
        ) == ["PR505"]

    def test_survey_items_are_not_self_assessed(self) -> None:
        result = self.rs().evaluate(
            unit({"1.1": {"self": 2}, "1.2": {"self": 4, "survey": {"2024": 50}}})
        )
        assert codes(result) == ["PR508"]
        self_stage = self.rs().evaluate(unit({"1.1": {"self": 2}}), stage="self")
        assert (self_stage.score, self_stage.max) == (Decimal(2), Decimal(2))


# -- bonus and penalty -------------------------------------------------------------------


def test_bonus_and_penalty_outside_the_maximum() -> None:
    """Regular 6 of 10; bonus 1.5 (cap 2) and penalty 0.5 (cap 1): 6 + 1.5 − 0.5 = 7 of 10."""
    rs = ruleset(
        [
            leaf("1.1", "10", {"method": "points"}),
            leaf("1.2", "2", {"method": "points"}, origin="bonus"),
            leaf("1.3", "1", {"method": "points"}, origin="penalty"),
        ]
    )
    result = rs.evaluate(unit({"1.1": {"self": 6}, "1.2": {"self": "1.5"}, "1.3": {"self": "0.5"}}))
    assert (result.score, result.max) == (Decimal(7), Decimal(10))
    assert codes(
        rs.evaluate(unit({"1.1": {"self": 6}, "1.2": {"self": 3}, "1.3": {"self": 0}}))
    ) == ["PR506"]
    capped = rs.evaluate(unit({"1.1": {"self": 10}, "1.2": {"self": 2}, "1.3": {"self": 0}}))
    assert capped.score == Decimal(10)
    assert capped.node("1").explain().caps == ["12 capped at the maximum 10"]
    floored = rs.evaluate(unit({"1.1": {"self": 0}, "1.2": {"self": 0}, "1.3": {"self": 1}}))
    assert floored.score == Decimal(0)


# -- derived values ----------------------------------------------------------------------


def test_derived_value_shared_by_two_leaves() -> None:
    """ty_le = 45/50 × 100 = 90 %: leaf 1.1 bands it (từ 90%: 1), leaf 1.2 scales it (0.9 × 2)."""
    inputs = {
        "dung_han": {"label": "Hồ sơ đúng hạn", "kind": "count"},
        "tong_so": {"label": "Tổng số hồ sơ", "kind": "count"},
    }
    rs = ruleset(
        [
            leaf(
                "1.1",
                "1",
                {
                    "method": "bands",
                    "input": "ty_le",
                    "domain": {"from": 0, "to": 100},
                    "bands": [{"from": 90, "points": 1}, {"below": 90, "points": 0}],
                },
                inputs=inputs,
            ),
            leaf("1.2", "2", {"method": "formula", "formula": "ty_le / 100 * max"}),
        ],
        derived={"ty_le": {"formula": "percent(dung_han, tong_so)", "provisional": "test"}},
    )
    result = rs.evaluate(unit({"1.1": {"self": {"dung_han": 45, "tong_so": 50}}}))
    assert result.node("1.1").score == Decimal(1)
    assert result.node("1.2").score == Decimal("1.8")
    recorded = result.node("1.2").explain().inputs[0]
    assert (recorded.name, recorded.value) == ("ty_le", "90")
    assert recorded.source.startswith("derived value = percent(dung_han, tong_so)")


def test_derived_cycle_is_spelled_out() -> None:
    with pytest.raises(pr.RulesetError) as info:
        ruleset(
            [leaf("1.1", "1", {"method": "formula", "formula": "x"})],
            derived={
                "x": {"formula": "y + 1", "provisional": "t"},
                "y": {"formula": "x * 2", "provisional": "t"},
            },
        )
    (problem,) = info.value.errors
    assert problem.code == "PR401"
    assert problem.message == "derived values depend on themselves: x → y → x"
